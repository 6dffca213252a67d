"""Custom property values go out as the portal's definitions say, or not at all.

End to end over HTTP: a sheet, `eventsync plan` / `sync` through `eventsync.cli.main`, and
what the sandbox (serving typed property definitions) received.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime

import pytest
from helpers import TOKEN, Workspace, sent_inputs
from openpyxl import Workbook

from eventsync.sandbox.server import Sandbox, make_event

IDS = ["5201", "5202", "5203"]
DEFINITIONS = [
    {"name": "starts_at", "label": "Starts at", "type": "datetime", "fieldType": "date"},
    {"name": "day", "label": "Day", "type": "date", "fieldType": "date"},
    {"name": "vip", "label": "VIP", "type": "bool", "fieldType": "booleancheckbox"},
    {
        "name": "venue",
        "label": "Venue",
        "type": "enumeration",
        "fieldType": "select",
        "options": [
            {"label": "Tokyo Office", "value": "tokyo_office"},
            {"label": "Osaka", "value": "osaka"},
        ],
    },
    {
        "name": "tracks",
        "label": "Tracks",
        "type": "enumeration",
        "fieldType": "checkbox",
        "options": [
            {"label": "AI", "value": "ai"},
            {"label": "Cloud", "value": "cloud"},
            {"label": "Security", "value": "sec"},
        ],
    },
    {"name": "seats", "label": "Seats", "type": "number", "fieldType": "number"},
    {"name": "note", "label": "Note", "type": "string", "fieldType": "text"},
]


@pytest.fixture
def portal():
    events = [make_event(i) for i in IDS]
    with Sandbox(events, token=TOKEN, property_definitions=DEFINITIONS) as sandbox:
        yield sandbox


def custom_sent(sandbox: Sandbox) -> dict[str, dict[str, str]]:
    return {
        i["objectId"]: {p["name"]: p["value"] for p in i.get("customProperties", [])}
        for i in sent_inputs(sandbox)
    }


def sync_errors(path) -> dict[str, str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["objectId"]: row.get("syncError") or "" for row in csv.DictReader(handle)}


def test_a_tokyo_wall_clock_date_time_is_sent_as_utc_and_plan_shows_exactly_that(tmp_path, portal):
    ws = Workspace(tmp_path, portal)
    ws.csv_sheet(
        "events.csv",
        [["objectId", "eventName", "custom:starts_at"], [IDS[0], "Launch", "2026/4/6 10:00"]],
    )
    plan = ws.run("plan", EVENTSYNC_TIMEZONE="Asia/Tokyo")
    assert plan.code == 0, plan.out + plan.err
    assert 'custom:starts_at: "2026-04-06T01:00:00Z"' in plan.out
    requests = json.loads(ws.run("plan", "--json").out)["sheets"][0]["requests"]
    assert requests[0]["inputs"][0]["customProperties"] == [
        {"name": "starts_at", "value": "2026-04-06T01:00:00Z"}
    ]
    assert portal.batch_update_requests() == []

    result = ws.run("sync", EVENTSYNC_TIMEZONE="Asia/Tokyo")
    assert result.code == 0, result.out + result.err
    assert custom_sent(portal) == {IDS[0]: {"starts_at": "2026-04-06T01:00:00Z"}}
    # What was sent is what the state holds: the next sync has nothing to send.
    again = len(portal.batch_update_requests())
    assert ws.run("sync", EVENTSYNC_TIMEZONE="Asia/Tokyo").code == 0
    assert len(portal.batch_update_requests()) == again


def test_an_excel_date_time_cell_is_sent_as_utc(tmp_path, portal):
    ws = Workspace(tmp_path, portal)
    book = Workbook()
    sheet = book.active
    sheet.title = "Events"
    sheet.append(["objectId", "eventName", "custom:starts_at", "custom:day"])
    sheet.append([int(IDS[0]), "Launch", datetime(2026, 4, 6, 10, 0), datetime(2026, 4, 6)])
    book.save(ws.sheets / "events.xlsx")
    result = ws.run("sync", EVENTSYNC_TIMEZONE="Asia/Tokyo")
    assert result.code == 0, result.out + result.err
    # The date-only property keeps its calendar day: never moved through the time zone.
    assert custom_sent(portal) == {
        IDS[0]: {"starts_at": "2026-04-06T01:00:00Z", "day": "2026-04-06"}
    }


def test_every_type_is_sent_the_way_hubspot_documents_it(tmp_path, portal):
    ws = Workspace(tmp_path, portal)
    header = ["objectId", "eventName", "custom:vip", "custom:venue", "custom:tracks"]
    header += ["custom:seats", "custom:day", "custom:note"]
    ws.csv_sheet(
        "events.csv",
        [
            header,
            [IDS[0], "A", "はい", "tokyo office", "AI; Security", "1,234,567", "2026/4/6", "Hi"],
            [IDS[1], "B", "FALSE", "osaka", "cloud", "12.50", "2026-04-07", "TRUE"],
        ],
    )
    result = ws.run("sync")
    assert result.code == 0, result.out + result.err
    assert custom_sent(portal) == {
        IDS[0]: {
            "vip": "true",
            "venue": "tokyo_office",
            "tracks": "ai;sec",
            "seats": "1234567",
            "day": "2026-04-06",
            "note": "Hi",
        },
        IDS[1]: {
            "vip": "false",
            "venue": "osaka",
            "tracks": "cloud",
            "seats": "12.5",
            "day": "2026-04-07",
            "note": "TRUE",
        },
    }


def test_an_unknown_option_and_an_unconvertible_value_are_refused_before_any_request(
    tmp_path, portal
):
    ws = Workspace(tmp_path, portal)
    path = ws.csv_sheet(
        "events.csv",
        [
            ["objectId", "eventName", "custom:venue", "custom:seats"],
            [IDS[0], "New name", "Nagoya", "12"],
            [IDS[1], "Other name", "Osaka", "about 30"],
        ],
    )
    plan = ws.run("plan")
    assert plan.code == 1
    assert '"Nagoya" is not an option of this property in HubSpot' in plan.out
    assert "Tokyo Office (tokyo_office), Osaka (osaka)" in plan.out
    assert '"about 30" is not a number' in plan.out

    result = ws.run("sync")
    assert result.code == 1
    assert portal.batch_update_requests() == []  # nothing of either row went out
    errors = sync_errors(path)
    assert errors[IDS[0]].startswith("custom:venue: ")
    assert "type one of: Tokyo Office (tokyo_office), Osaka (osaka)" in errors[IDS[0]]
    assert errors[IDS[1]].startswith("custom:seats: ")
    assert portal.events[IDS[0]]["eventName"] != "New name"


def test_a_string_beyond_hubspots_limit_is_refused_not_cut(tmp_path, portal):
    ws = Workspace(tmp_path, portal)
    path = ws.csv_sheet(
        "events.csv", [["objectId", "custom:note"], [IDS[0], "x" * 65_537], [IDS[1], "y" * 65_536]]
    )
    result = ws.run("sync")
    assert result.code == 1
    assert "is 65537 characters long" in sync_errors(path)[IDS[0]]
    assert custom_sent(portal) == {IDS[1]: {"note": "y" * 65_536}}


def test_unreadable_definitions_hold_custom_values_and_send_the_other_rows(tmp_path):
    events = [make_event(i) for i in IDS]
    with Sandbox(
        events, token=TOKEN, property_definitions=DEFINITIONS, properties_readable=False
    ) as sandbox:
        ws = Workspace(tmp_path, sandbox)
        path = ws.csv_sheet(
            "events.csv",
            [
                ["objectId", "eventName", "custom:starts_at"],
                [IDS[0], "Held", "2026/4/6 10:00"],
                [IDS[1], "Sent", ""],
            ],
        )
        result = ws.run("sync")
        assert result.code == 1, result.out + result.err
        sent = sent_inputs(sandbox)
        assert [i["objectId"] for i in sent] == [IDS[1]]
        assert "customProperties" not in sent[0]
        error = sync_errors(path)[IDS[0]]
        assert "property definitions could not be read" in error
        assert "crm.schemas.custom.read" in error  # the scope HubSpot named
        assert sandbox.events[IDS[0]]["eventName"] != "Held"


def test_unreadable_definitions_hold_only_changed_custom_values(tmp_path, portal):
    ws = Workspace(tmp_path, portal)
    header = ["objectId", "eventName", "custom:starts_at", "custom:vip"]
    ws.csv_sheet("events.csv", [header, [IDS[0], "A", "2026/4/6 10:00", "はい"]])
    assert ws.run("sync").code == 0
    portal.configure(properties_readable=False)
    # Unchanged: the Tokyo wall clock is the UTC instant the state holds, はい is true.
    same = ws.run("plan")
    assert same.code == 0, same.out
    ws.csv_sheet("events.csv", [header, [IDS[0], "B", "2026/4/6 11:00", "はい"]])
    changed = ws.run("plan")
    assert changed.code == 1
    assert "custom:starts_at: not sent: the portal's property definitions could not" in changed.out
    assert "custom:vip" not in changed.out


def test_definitions_hubspot_cannot_serve_now_stop_the_run_before_anything_is_sent(
    tmp_path, portal
):
    ws = Workspace(tmp_path, portal)
    path = ws.csv_sheet(
        "events.csv",
        [["objectId", "eventName", "custom:starts_at"], [IDS[0], "A", "2026/4/6 10:00"]],
    )
    before = path.read_bytes()
    for n in range(1, 4):
        portal.script_fault(n, status=503)
    result = ws.run("sync", EVENTSYNC_MAX_RETRIES="0")
    assert result.code == 1, result.out + result.err
    assert "HubSpot answered 503" in result.err
    assert portal.batch_update_requests() == []
    assert path.read_bytes() == before  # no row is marked: nothing is wrong with it


def test_a_refused_token_on_the_definitions_read_is_exit_3(tmp_path, portal):
    ws = Workspace(tmp_path, portal)
    ws.csv_sheet(
        "events.csv",
        [["objectId", "eventName", "custom:starts_at"], [IDS[0], "A", "2026/4/6 10:00"]],
    )
    result = ws.run("sync", "--no-remote-check", HUBSPOT_ACCESS_TOKEN="pat-wrong-token")
    assert result.code == 3, result.out + result.err
    assert portal.batch_update_requests() == []


def test_a_value_sent_as_typed_before_is_sent_again_converted(tmp_path):
    """What an older eventsync left (a Tokyo wall clock sent as typed, and recorded so),
    or a property whose type changed in HubSpot: the cell is the same text as the
    state, but not what HubSpot should hold; it goes out once, converted."""
    region = {"name": "region", "type": "string", "fieldType": "text"}  # defined: kept
    as_text = [{"name": "starts_at", "type": "string", "fieldType": "text"}, region]
    with Sandbox([make_event(IDS[0])], token=TOKEN, property_definitions=as_text) as sandbox:
        ws = Workspace(tmp_path, sandbox)
        header = ["objectId", "eventName", "custom:starts_at", "custom:region"]
        ws.csv_sheet("events.csv", [header, [IDS[0], "A", "2026/4/6 10:00", "EMEA"]])
        assert ws.run("sync").code == 0
        assert custom_sent(sandbox)[IDS[0]] == {"starts_at": "2026/4/6 10:00", "region": "EMEA"}
        before = len(sandbox.batch_update_requests())
        reads = len([r for r in sandbox.requests if "/properties/" in r.path])
        sandbox.configure(property_definitions=[DEFINITIONS[0], region])  # now a datetime
        assert ws.run("sync").code == 0
        [again] = sent_inputs(sandbox, before)
        assert again["customProperties"] == [{"name": "starts_at", "value": "2026-04-06T01:00:00Z"}]
        # In sync now: the definitions are read (the cell could be sent otherwise), and
        # nothing is sent.
        before = len(sandbox.batch_update_requests())
        assert ws.run("sync").code == 0
        assert len(sandbox.batch_update_requests()) == before
        assert len([r for r in sandbox.requests if "/properties/" in r.path]) == reads + 2


def test_a_sheet_of_plain_text_in_sync_reads_no_definitions(tmp_path, portal):
    ws = Workspace(tmp_path, portal)
    ws.csv_sheet(
        "events.csv", [["objectId", "eventName", "custom:note"], [IDS[0], "A", "Hello there"]]
    )
    assert ws.run("sync").code == 0
    requests = portal.request_count
    assert ws.run("sync", "--no-remote-check").code == 0
    assert portal.request_count == requests
