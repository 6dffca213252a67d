"""`python -m eventsync.sandbox edit|add|delete|list`: a running sandbox's events changed as a
colleague would change them in HubSpot, typed in a terminal (a real process, over HTTP
to a sandbox on 127.0.0.1)."""

from __future__ import annotations

import http.server
import threading
from zoneinfo import ZoneInfo

import pytest
from helpers.sandbox_process import sandbox_command

from eventsync.messages import Moment
from eventsync.sandbox.colleague import ColleagueError, parse_fields
from eventsync.sandbox.sample import sample_events
from eventsync.sandbox.server import Sandbox

# Each test runs the sandbox or eventsync as a process of its own (make test-fast skips them).
pytestmark = pytest.mark.slow

FIRST = "5823713201"


@pytest.fixture
def running():
    with Sandbox(sample_events(), custom_properties=["region"]) as sandbox:
        yield sandbox


def colleague(sandbox, folder, *words, **env):
    return sandbox_command(folder, *words, "--port", str(sandbox.port), **env)


def test_edit_changes_an_event_as_a_colleague_would_and_says_what_changed(running, tmp_path):
    before = running.events[FIRST]
    done = colleague(
        running,
        tmp_path,
        "edit",
        FIRST,
        "eventName=Renamed by a colleague",
        "region=EMEA",
        EVENTSYNC_TIMEZONE="UTC",
    )
    assert done.returncode == 0, done.stderr
    after = running.events[FIRST]
    assert after["eventName"] == "Renamed by a colleague"
    assert {"name": "region", "value": "EMEA"} in after["customProperties"]
    assert after["updatedAt"] > before["updatedAt"]  # HubSpot moves updatedAt on an edit
    assert done.stdout.splitlines() == [
        f"event {FIRST} changed, as a colleague would change it in HubSpot"
        f" (HubSpot's updatedAt is now {Moment(after['updatedAt'])}):",
        f'  eventName: "{before["eventName"]}" -> "Renamed by a colleague"',
        '  custom property region: "APAC" -> "EMEA"',
        "to see what eventsync makes of it, run eventsync plan in your working folder",
    ]
    assert running.request_count == 0  # not an API request: nothing counted or recorded


def test_edit_says_the_new_time_in_the_users_zone_from_env_in_japanese(running, tmp_path):
    # A Japanese user in Tokyo, EVENTSYNC_TIMEZONE in .env as README.ja.md says: the
    # time reads as plan's conflict line will show it, not as HubSpot's UTC.
    (tmp_path / ".env").write_text("EVENTSYNC_TIMEZONE=Asia/Tokyo\n", encoding="utf-8")
    done = colleague(running, tmp_path, "edit", FIRST, "eventName=同僚が変更", EVENTSYNC_LANG="ja")
    assert done.returncode == 0, done.stderr
    updated = running.events[FIRST]["updatedAt"]
    shown = Moment(updated, ZoneInfo("Asia/Tokyo"))
    assert str(shown).endswith(" JST")
    first = done.stdout.splitlines()[0]
    assert first == (
        f"イベント{FIRST}を、同僚がHubSpotで変更したように変更しました"
        f"（HubSpotの更新日時は{shown}になりました）："
    )
    assert "updatedAt" not in first and updated not in first


def test_edit_cancels_and_uncancels_with_true_and_false(running, tmp_path):
    assert colleague(running, tmp_path, "edit", FIRST, "eventCancelled=TRUE").returncode == 0
    assert running.events[FIRST]["eventCancelled"] is True
    assert running.events[FIRST]["eventStatus"] == "CANCELLED"
    assert colleague(running, tmp_path, "edit", FIRST, "eventCancelled=false").returncode == 0
    assert running.events[FIRST]["eventCancelled"] is False


def test_add_creates_an_event_with_the_next_id_or_the_one_given(running, tmp_path):
    done = colleague(running, tmp_path, "add", "eventName=New webinar", "eventType=WEBINAR")
    assert done.returncode == 0, done.stderr
    newest = max(running.events, key=int)
    assert running.events[newest]["eventName"] == "New webinar"
    assert done.stdout.startswith(f"event {newest} added, as a colleague would create it in")
    done = colleague(running, tmp_path, "add", "objectId=99", "eventName=Chosen id")
    assert done.returncode == 0 and running.events["99"]["eventName"] == "Chosen id"


def test_add_refuses_an_id_that_is_taken(running, tmp_path):
    done = colleague(running, tmp_path, "add", f"objectId={FIRST}", "eventName=Twin")
    assert done.returncode == 2
    assert done.stderr.startswith(f"sandbox: the sandbox already has an event {FIRST}")
    assert running.events[FIRST]["eventName"] != "Twin"


def test_delete_removes_an_event_and_an_unknown_id_is_named(running, tmp_path):
    name = running.events[FIRST]["eventName"]
    done = colleague(running, tmp_path, "delete", FIRST)
    assert done.returncode == 0, done.stderr
    assert FIRST not in running.events
    assert done.stdout.startswith(f"event {FIRST} deleted, as a colleague would delete it in")
    assert f'"{name}"' in done.stdout
    again = colleague(running, tmp_path, "delete", FIRST)
    assert again.returncode == 2
    assert f"has no event {FIRST}; " in again.stderr
    assert (
        f"-m eventsync.sandbox list --port {running.port} lists the events it has" in again.stderr
    )


def test_list_shows_every_event_with_its_updated_at(running, tmp_path):
    done = colleague(running, tmp_path, "list")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"20 events in the sandbox at {running.url}"
    event = running.events[FIRST]
    assert lines[1] == f"  {FIRST}  {event['updatedAt']}  {event['eventName']}"
    assert len(lines) == 21


def test_the_sandbox_refusing_a_value_is_said_with_its_reason(running, tmp_path):
    done = colleague(running, tmp_path, "edit", FIRST, "startDateTime=2026-07-01 09:00")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "refused it (400): startDateTime '2026-07-01 09:00' is not an RFC 3339" in done.stderr


@pytest.mark.parametrize(
    ("word", "said"),
    [
        ("eventname=x", "eventname is not a field name: did you mean eventName?"),
        ("updatedAt=2026-01-01T00:00:00Z", "updatedAt is set by HubSpot itself"),
        ("objectId=5", "objectId is set by HubSpot itself"),
        ("eventCancelled=yes", 'eventCancelled is true or false, not "yes"'),
        ("Renamed", '"Renamed" is not FIELD=VALUE'),
    ],
)
def test_a_mistyped_word_is_refused_before_anything_changes(running, tmp_path, word, said):
    before = running.events
    done = colleague(running, tmp_path, "edit", FIRST, word)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"sandbox: {said}")
    assert running.events == before


def test_an_id_that_is_not_a_number_is_refused(running, tmp_path):
    done = colleague(running, tmp_path, "edit", "58237x", "eventName=x")
    assert done.returncode == 2
    assert done.stderr.startswith('sandbox: "58237x" is not an objectId')


def test_no_sandbox_at_the_port_says_how_to_start_one(tmp_path):
    with Sandbox() as gone:
        port = gone.port
    done = sandbox_command(tmp_path, "list", "--port", str(port))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"sandbox: no sandbox answers at http://127.0.0.1:{port}:")
    assert f"-m eventsync.sandbox --port {port}" in done.stderr


def test_another_program_on_the_port_is_not_taken_for_a_sandbox(tmp_path):
    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        done = sandbox_command(tmp_path, "delete", FIRST, "--port", str(port))
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 2
    assert done.stderr.startswith(f"sandbox: no sandbox answers at http://127.0.0.1:{port}:")


def test_the_port_comes_from_port_as_make_sandbox_takes_it(running, tmp_path):
    done = sandbox_command(tmp_path, "edit", FIRST, "eventName=Via PORT", PORT=str(running.port))
    assert done.returncode == 0, done.stderr
    assert running.events[FIRST]["eventName"] == "Via PORT"


def test_it_speaks_japanese_when_eventsync_does(running, tmp_path):
    done = colleague(running, tmp_path, "edit", FIRST, "eventName=同僚が変更", EVENTSYNC_LANG="ja")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"イベント{FIRST}を、同僚がHubSpotで変更したように変更しました")
    assert "  eventName：「Product Update 01」→「同僚が変更」" in done.stdout
    assert running.events[FIRST]["eventName"] == "同僚が変更"


def test_help_lists_the_commands_and_examples(tmp_path):
    done = sandbox_command(tmp_path, "edit", "--help")
    assert done.returncode == 0
    assert "python -m eventsync.sandbox edit 5823713201 eventName=" in done.stdout
    assert "any other name is a custom property" in done.stdout.lower().replace("\n", " ")
    server_help = sandbox_command(tmp_path, "--help")
    assert "edit|add|delete|list" in server_help.stdout and "--any-token" in server_help.stdout


@pytest.mark.parametrize(
    ("words", "fields"),
    [
        (["eventName=a=b"], {"eventName": "a=b"}),  # only the first = splits
        (["eventDescription="], {"eventDescription": ""}),  # emptied, as in HubSpot's form
        (["eventCancelled= True "], {"eventCancelled": True}),
        (
            ["region=EMEA", "tier=Gold"],
            {
                "customProperties": [
                    {"name": "region", "value": "EMEA"},
                    {"name": "tier", "value": "Gold"},
                ]
            },
        ),
    ],
)
def test_words_become_fields(words, fields):
    assert parse_fields(words) == fields


def test_only_add_takes_an_object_id():
    assert parse_fields(["objectId=77"], adding=True) == {"objectId": "77"}
    with pytest.raises(ColleagueError):
        parse_fields(["objectId=77"])
