"""Settings that could send the token where it must not go are refused before any request.

The base URL is read with the parser requests uses (urllib3's), and must be exactly
scheme://host[:port][/path]; a token cannot hold what an HTTP header cannot. Refusals
name the setting and what to do, and never print the token or a URL's user info.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import all_files_text

from eventsync.config import check_base_url, load_settings
from eventsync.errors import SettingsError

CANARY = "pat-security-canary-5d1e0c9a7b3f44e2"  # fixed: test ids must match across xdist workers


def problems_of(env: dict[str, str], tmp_path: Path) -> list[str]:
    with pytest.raises(SettingsError) as refused:
        load_settings(env, cwd=tmp_path, require_token=False)
    return refused.value.problems


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8765",
        "http://localhost",
        "http://[::1]:8765/base",
        "http://127.0.0.2",
        "https://api.hubapi.com",
        "HTTPS://API.hubapi.com",
        "https://example.com:8443/hubspot-proxy",
        "https://example.com:65535",
    ],
)
def test_a_plain_base_url_is_accepted(url):
    assert check_base_url(url) is None


@pytest.mark.parametrize(
    ("url", "says"),
    [
        # Our old parser saw 127.0.0.1; requests dials 127.0.0.2 and sends the token.
        ("http://127.0.0.2:8080\\@127.0.0.1:8080", "user name, password or token"),
        ("http://127.0.0.2:8080\\.example.com", "scheme://host[:port][/path]"),
        ("https://api.hubapi.com\\", "scheme://host[:port][/path]"),
        ("https://@api.hubapi.com", "user name, password or token"),
        ("https://api.hubapi.com?x=1", "scheme://host[:port][/path]"),
        ("https://api.hubapi.com/#x", "scheme://host[:port][/path]"),
        ("https://api.hubapi.com /x", "scheme://host[:port][/path]"),
        ("https://api.hubapi.com\n.evil", "scheme://host[:port][/path]"),
        ("https://äpi.hubapi.com", "scheme://host[:port][/path]"),
        ("https://api.hubapi.com:0", "port 0 is out of range; use a port from 1 to 65535"),
        ("https://api.hubapi.com:70000", "port 70000 is out of range"),
        ("https://api.hubapi.com:", "scheme://host[:port][/path]"),
        ("http://127.0.0.1.example.com", "plain http would send the token"),
    ],
)
def test_a_base_url_that_is_not_exactly_scheme_host_port_path_is_refused(tmp_path, url, says):
    [problem] = problems_of({"EVENTSYNC_BASE_URL": url}, tmp_path)
    assert problem.startswith("EVENTSYNC_BASE_URL ")
    assert says in problem
    assert "\n" not in problem


@pytest.mark.parametrize(
    "url",
    [
        f"https://{CANARY}@api.hubapi.com",
        f"https://user:{CANARY}@api.hubapi.com",
        f"http://x:{CANARY}@127.0.0.1:8080",
    ],
)
def test_a_token_in_the_url_is_refused_without_echoing_it(tmp_path, url):
    [problem] = problems_of({"EVENTSYNC_BASE_URL": url}, tmp_path)
    assert CANARY not in problem and "api.hubapi.com" not in problem
    assert "HUBSPOT_ACCESS_TOKEN" in problem


@pytest.mark.parametrize(
    ("token", "named"),
    [
        (f"{CANARY[:10]}\u200b{CANARY[10:]}", "U+200B ZERO WIDTH SPACE"),
        (f"{CANARY[:10]}\n{CANARY[10:]}", "U+000A"),
        (f"{CANARY[:10]} {CANARY[10:]}", "U+0020 SPACE"),
        (f"{CANARY}\u30c8", "U+30C8 KATAKANA LETTER TO"),
        (f"{CANARY}\u00e9", "U+00E9"),
    ],
)
def test_a_token_a_header_cannot_hold_is_refused_without_printing_it(tmp_path, token, named):
    [problem] = problems_of({"HUBSPOT_ACCESS_TOKEN": token}, tmp_path)
    assert problem.startswith("HUBSPOT_ACCESS_TOKEN holds a character")
    assert named in problem
    assert CANARY[:10] not in problem and CANARY[10:] not in problem


def test_a_plain_token_is_accepted(tmp_path):
    loaded = load_settings({"HUBSPOT_ACCESS_TOKEN": CANARY}, cwd=tmp_path, require_token=True)
    assert loaded.token == CANARY


@pytest.mark.parametrize(
    "env",
    [
        {"EVENTSYNC_BASE_URL": "https://user:{token}@api.hubapi.com"},
        {"EVENTSYNC_BASE_URL": "http://127.0.0.2:8080\\@127.0.0.1:{port}"},
        {"HUBSPOT_ACCESS_TOKEN": "{token}\u200b"},
        {"EVENTSYNC_BASE_URL": "https://127.0.0.1:99999"},
    ],
    ids=["token-in-url", "backslash-userinfo", "zero-width-space", "port-out-of-range"],
)
@pytest.mark.parametrize("command", ["sync", "plan", "pull"])
def test_settings_refusals_send_nothing_and_leave_the_token_nowhere(workspace, env, command):
    """The canary: exit 2 before any request, and the token in no output or file."""
    workspace.sample_workbook()
    port = str(workspace.sandbox.port)
    env = {k: v.format(token=CANARY, port=port) for k, v in env.items()}
    env.setdefault("HUBSPOT_ACCESS_TOKEN", CANARY)
    argv = ["pull", "pulled.xlsx"] if command == "pull" else [command]
    result = workspace.run(*argv, **env)
    assert result.code == 2, result.err
    assert "bug" not in result.err and result.err.startswith("eventsync: ")
    assert workspace.sandbox.request_count == 0
    assert CANARY not in result.out + result.err
    assert CANARY not in all_files_text(workspace.root)
    assert not any(CANARY in str(path) for path in workspace.root.rglob("*"))
