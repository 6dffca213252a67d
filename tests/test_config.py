"""Settings: every one in docs/settings.md's table parsed, problems reported together, plain http
only to this machine, and `.env` read from the user's folder with the environment
winning over it."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from eventsync.config import Settings, load_settings, local_zone, read_environment
from eventsync.dates import DateOrder
from eventsync.errors import ExitCode, SettingsError
from eventsync.hubspot.routes import routes_for
from eventsync.participant_mapping import ParticipantMapping

SETTINGS_DOC = (Path(__file__).resolve().parents[1] / "docs" / "settings.md").read_text(
    encoding="utf-8"
)
TOKEN = f"pat-config-canary-{uuid.uuid4().hex}"

# Each documented setting: a value that is not its default, and what it becomes.
MAPPING = ParticipantMapping({"state": "参加状況"}, {"出席": "attend"})
PARSED = {
    "HUBSPOT_ACCESS_TOKEN": (f"  {TOKEN}  ", "token", TOKEN),
    "EVENTSYNC_BASE_URL": ("https://eu1.api.hubapi.com/", "base_url", "https://eu1.api.hubapi.com"),
    "EVENTSYNC_API_VERSION": ("2026-03", "api_version", "2026-03"),
    "EVENTSYNC_SHEETS_DIR": ("my sheets", "sheets_dir", "CWD/my sheets"),
    "EVENTSYNC_STATE_DIR": ("state", "state_dir", "CWD/state"),
    "EVENTSYNC_TIMEZONE": ("Asia/Tokyo", "timezone", ZoneInfo("Asia/Tokyo")),
    "EVENTSYNC_DATE_ORDER": ("dmy", "date_order", DateOrder.DMY),
    "EVENTSYNC_LANG": ("JA", "language", "ja"),
    "EVENTSYNC_BATCH_SIZE": ("25", "batch_size", 25),
    "EVENTSYNC_MAX_REQUESTS_PER_10S": ("150", "max_requests_per_10s", 150),
    "EVENTSYNC_MAX_RETRIES": ("0", "max_retries", 0),
    "EVENTSYNC_TIMEOUT_S": ("90", "timeout_s", 90.0),
    "EVENTSYNC_CREATE_CHECK_MINUTES": ("30", "create_check_minutes", 30),
    "EVENTSYNC_CREATE_CONTACTS": (" Yes ", "create_contacts", True),
    # (Both read into one attribute, so each expects what both give.)
    "EVENTSYNC_PARTICIPANTS_COLUMNS": ("state=参加状況", "participant_mapping", MAPPING),
    "EVENTSYNC_PARTICIPANTS_STATES": ("attend=出席", "participant_mapping", MAPPING),
}


# Read where the state database goes (eventsync/state/place.py), each tested end to end in
# tests/cli/test_state_place.py, not settings of the run.
PLACE_SETTINGS = {"EVENTSYNC_STATE_DIR_ANYWHERE", "EVENTSYNC_DATA_HOME"}


def documented_settings() -> list[str]:
    return re.findall(r"^\| `([A-Z_0-9]+)` \|", SETTINGS_DOC, re.MULTILINE)


def settings(env: dict, tmp_path: Path, *, require_token: bool = False) -> Settings:
    return load_settings(env, cwd=tmp_path, require_token=require_token)


def problems_of(env: dict, tmp_path: Path, *, require_token: bool = False) -> list[str]:
    with pytest.raises(SettingsError) as failed:
        settings(env, tmp_path, require_token=require_token)
    assert failed.value.exit_code == ExitCode.BAD_INPUT
    assert str(failed.value).splitlines() == failed.value.problems  # one line each
    return failed.value.problems


def test_every_documented_setting_is_parsed(tmp_path):
    # This test covers each one but those of the state's place.
    assert sorted(documented_settings()) == sorted([*PARSED, *PLACE_SETTINGS])
    env = {name: raw for name, (raw, _, _) in PARSED.items()}
    loaded = settings(env, tmp_path, require_token=True)
    for name, (_, attribute, expected) in PARSED.items():
        if isinstance(expected, str) and expected.startswith("CWD/"):
            expected = tmp_path / expected[4:]
        assert getattr(loaded, attribute) == expected, name
    assert routes_for(loaded.api_version).events == "/marketing/marketing-events/2026-03"


def test_unset_settings_take_the_documented_defaults(tmp_path):
    loaded = settings({}, tmp_path)
    assert loaded.token is None
    assert loaded.base_url == "https://api.hubapi.com"
    assert loaded.api_version == "2026-09"  # v3 ends September 2027: docs/api-versions.md
    assert routes_for(loaded.api_version).events == "/marketing/marketing-events/2026-09"
    assert loaded.sheets_dir == tmp_path / "sheets"
    assert loaded.state_dir == tmp_path / ".eventsync"
    assert loaded.timezone == local_zone()
    assert (loaded.batch_size, loaded.max_requests_per_10s) == (100, 100)
    assert (loaded.max_retries, loaded.timeout_s) == (5, 30.0)
    assert loaded.create_contacts is False  # the careful default: no contact is created


def test_blank_values_count_as_unset(tmp_path):
    loaded = settings({"EVENTSYNC_BATCH_SIZE": "  ", "EVENTSYNC_API_VERSION": ""}, tmp_path)
    assert (loaded.batch_size, loaded.api_version) == (100, "2026-09")


def test_an_absolute_folder_is_kept_as_given(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    loaded = settings({"EVENTSYNC_STATE_DIR": str(elsewhere)}, tmp_path / "project")
    assert loaded.state_dir == elsewhere


def test_every_bad_setting_is_reported_at_once_one_line_each_naming_it(tmp_path):
    env = {
        "HUBSPOT_ACCESS_TOKEN": TOKEN,
        "EVENTSYNC_BASE_URL": "api.hubapi.com",
        "EVENTSYNC_API_VERSION": "v4",
        "EVENTSYNC_TIMEZONE": "Tokyo",
        "EVENTSYNC_BATCH_SIZE": "101",
        "EVENTSYNC_MAX_REQUESTS_PER_10S": "0",
        "EVENTSYNC_MAX_RETRIES": "five",
        "EVENTSYNC_TIMEOUT_S": "1.5",
    }
    problems = problems_of(env, tmp_path, require_token=True)
    assert [p.split(" ", 1)[0] for p in problems] == [
        "EVENTSYNC_BASE_URL",
        "EVENTSYNC_API_VERSION",
        "EVENTSYNC_TIMEZONE",
        "EVENTSYNC_BATCH_SIZE",
        "EVENTSYNC_MAX_RETRIES",
        "EVENTSYNC_MAX_REQUESTS_PER_10S",
        "EVENTSYNC_TIMEOUT_S",
    ]
    # Each says what is allowed.
    assert "use a URL such as https://api.hubapi.com" in problems[0]
    assert problems[1].startswith("EVENTSYNC_API_VERSION is 'v4'; allowed: v3 or 2026-03")
    assert "use an IANA name such as Asia/Tokyo" in problems[2]
    assert problems[3] == "EVENTSYNC_BATCH_SIZE is '101'; use a whole number from 1 to 100"
    assert problems[4] == "EVENTSYNC_MAX_RETRIES is 'five'; use a whole number from 0 to 20"
    assert problems[5].endswith("use a whole number from 1 to 1000")
    assert problems[6] == "EVENTSYNC_TIMEOUT_S is '1.5'; use a whole number from 1 to 600"
    assert TOKEN not in "\n".join(problems)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8765",
        "http://localhost:8765",
        "http://[::1]:8765",
        "http://127.0.0.2:8765",
        "https://api.hubapi.com",
        "https://example.com/hubspot-proxy",
    ],
)
def test_plain_http_is_allowed_only_to_this_machine(tmp_path, url):
    assert settings({"EVENTSYNC_BASE_URL": url}, tmp_path).base_url == url


@pytest.mark.parametrize(
    "url",
    [
        "http://api.hubapi.com",
        "http://10.0.0.5:8765",
        "http://localhost.example.com",
        "http://127.0.0.1.example.com",
    ],
)
def test_plain_http_anywhere_else_is_refused_as_sending_the_token_unencrypted(tmp_path, url):
    [problem] = problems_of({"EVENTSYNC_BASE_URL": url}, tmp_path)
    assert problem.startswith(f"EVENTSYNC_BASE_URL is {url!r}: plain http would send the token")
    assert "use https" in problem


@pytest.mark.parametrize("url", ["ftp://api.hubapi.com", "https://", "api.hubapi.com"])
def test_a_base_url_that_is_no_web_address_is_refused(tmp_path, url):
    [problem] = problems_of({"EVENTSYNC_BASE_URL": url}, tmp_path)
    assert problem.startswith("EVENTSYNC_BASE_URL is ")


def test_a_missing_token_is_an_error_only_when_the_command_needs_one(tmp_path):
    assert settings({}, tmp_path, require_token=False).token is None
    for env in ({}, {"HUBSPOT_ACCESS_TOKEN": "   "}):
        [problem] = problems_of(env, tmp_path, require_token=True)
        assert problem.startswith("HUBSPOT_ACCESS_TOKEN is not set")
        assert ".env" in problem


def test_a_token_pasted_with_an_invisible_character_is_refused_without_echoing_it(tmp_path):
    pasted = TOKEN[:20] + "\u200b" + TOKEN[20:]  # a zero-width space from a web page
    [problem] = problems_of({"HUBSPOT_ACCESS_TOKEN": pasted}, tmp_path, require_token=True)
    assert problem.startswith("HUBSPOT_ACCESS_TOKEN ")
    assert TOKEN[:20] not in problem and TOKEN[21:] not in problem


def test_a_base_url_carrying_credentials_is_refused_without_echoing_them(tmp_path):
    url = f"https://user:{TOKEN}@api.hubapi.com"
    [problem] = problems_of({"EVENTSYNC_BASE_URL": url}, tmp_path)
    assert problem.startswith("EVENTSYNC_BASE_URL ")
    assert TOKEN not in problem and "user:" not in problem


def test_the_token_is_not_in_the_settings_repr(tmp_path):
    loaded = settings({"HUBSPOT_ACCESS_TOKEN": TOKEN}, tmp_path)
    assert loaded.token == TOKEN
    assert TOKEN not in repr(loaded) and TOKEN not in str(loaded)


# -- where settings come from ---------------------------------------------------------------


def write_dotenv(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".env").write_text(text, encoding="utf-8")
    return folder


def test_dotenv_in_the_given_folder_is_read_as_the_example_file_writes_it(tmp_path):
    project = write_dotenv(
        tmp_path / "project",
        "# comment\n"
        f"HUBSPOT_ACCESS_TOKEN={TOKEN}\n"
        "EVENTSYNC_TIMEZONE=Asia/Tokyo\n"
        "EVENTSYNC_BATCH_SIZE=50             # 1 to 100 events per request\n"
        'EVENTSYNC_SHEETS_DIR="my sheets"\n',
    )
    values = read_environment(project, {})
    loaded = load_settings(values, cwd=project, require_token=True)
    assert loaded.token == TOKEN
    assert loaded.timezone == ZoneInfo("Asia/Tokyo")
    assert loaded.batch_size == 50
    assert loaded.sheets_dir == project / "my sheets"


def test_only_the_given_folders_dotenv_is_read_not_a_parents_or_the_codes(tmp_path):
    write_dotenv(tmp_path, "EVENTSYNC_BATCH_SIZE=7\n")
    child = tmp_path / "child"
    child.mkdir()
    assert "EVENTSYNC_BATCH_SIZE" not in read_environment(child, {})
    # Not the process's working directory either: the folder passed in counts.
    assert read_environment(tmp_path, {})["EVENTSYNC_BATCH_SIZE"] == "7"
    assert Path.cwd() != tmp_path


def test_the_environment_wins_over_dotenv(tmp_path):
    write_dotenv(tmp_path, "EVENTSYNC_BATCH_SIZE=50\nEVENTSYNC_TIMEZONE=Asia/Tokyo\n")
    values = read_environment(tmp_path, {"EVENTSYNC_BATCH_SIZE": "10"})
    loaded = load_settings(values, cwd=tmp_path, require_token=False)
    assert loaded.batch_size == 10  # the environment's
    assert loaded.timezone == ZoneInfo("Asia/Tokyo")  # .env's, where the environment has none


def test_without_an_explicit_environment_the_process_environment_is_used(tmp_path, monkeypatch):
    write_dotenv(tmp_path, "EVENTSYNC_API_VERSION=v3\n")
    monkeypatch.setenv("EVENTSYNC_API_VERSION", "2026-03")
    assert read_environment(tmp_path)["EVENTSYNC_API_VERSION"] == "2026-03"


def test_no_dotenv_is_no_problem(tmp_path):
    assert read_environment(tmp_path, {"A": "1"}) == {"A": "1"}
