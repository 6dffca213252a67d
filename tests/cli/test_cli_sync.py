"""End to end: the CLI against the sandbox over real HTTP, asserting what a user sees:
exit codes, messages, the sheet that comes back, and what HubSpot received."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import TOKEN, all_files_text, edit, read_rows

from eventsync.sandbox.sample import sample_rows


def test_first_sync_sends_every_row_and_annotates_each_with_hubspots_updated_at(workspace):
    book = workspace.sample_workbook()
    result = workspace.run("sync")
    assert result.code == 0, result.err
    assert (
        "events.xlsx (sheet Events): 20 rows read, 0 unchanged, 20 sent, 20 updated, 0 failed, 0 invalid"
        in result.out
    )
    rows = read_rows(book)
    hubspot = workspace.sandbox.events
    assert len(rows) == 20
    for row in rows:
        event = hubspot[str(row["objectId"])]
        assert row["updatedAt"] == event["updatedAt"]
        assert row["syncError"] is None
        assert event["eventName"] == row["eventName"]
        assert event["customProperties"] == [{"name": "region", "value": "APAC"}]
    # Tokyo 10:00 is 01:00 UTC.
    assert hubspot["5823713201"]["startDateTime"].startswith("2026-04-06T01:00:00")
    [request] = workspace.sandbox.batch_update_requests()
    assert len(request.body["inputs"]) == 20


def test_syncing_an_unchanged_sheet_again_makes_no_request_and_leaves_the_file_alone(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    before_bytes, before_requests = book.read_bytes(), workspace.sandbox.request_count
    result = workspace.run("sync")
    assert result.code == 0
    assert "20 unchanged, 0 sent" in result.out
    assert workspace.sandbox.request_count == before_requests
    assert book.read_bytes() == before_bytes


def test_three_cells_in_two_rows_send_one_request_with_only_those_fields(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    before = len(workspace.sandbox.batch_update_requests())
    edit(book, {(3, 2): "Renamed", (3, 3): "Hybrid", (8, 10): "EMEA"})
    result = workspace.run("sync")
    assert result.code == 0, result.out
    assert "18 unchanged, 2 sent, 2 updated" in result.out
    [request] = workspace.sandbox.batch_update_requests()[before:]
    assert sorted(request.body["inputs"], key=lambda i: i["objectId"]) == [
        {"objectId": "5823713202", "eventName": "Renamed", "eventType": "Hybrid"},
        {"objectId": "5823713207", "customProperties": [{"name": "region", "value": "EMEA"}]},
    ]
    rows = read_rows(book)
    assert rows[1]["updatedAt"] == workspace.sandbox.events["5823713202"]["updatedAt"]


def test_invalid_rows_are_annotated_and_not_sent_while_the_others_sync(workspace):
    rows = sample_rows()
    rows[2][7] = "2024/13/01"  # startDateTime of row 4
    rows[5][0] = rows[4][0]  # rows 6 and 7 share an objectId
    rows[9][6] = "perhaps"  # eventCancelled of row 11
    book = workspace.sample_workbook(rows=rows)
    result = workspace.run("sync")
    assert result.code == 1
    assert "16 sent, 16 updated, 0 failed, 4 invalid" in result.out
    assert 'row 4: startDateTime: "2024/13/01" is not a real date or time' in result.out
    annotated = read_rows(book)
    assert annotated[2]["syncError"].startswith('startDateTime: "2024/13/01"')
    assert annotated[2]["updatedAt"] is None
    assert (
        annotated[4]["syncError"]
        == "objectId: 5823713205 is also on row 7; keep the event on one row only"
    )
    assert (
        annotated[5]["syncError"]
        == "objectId: 5823713205 is also on row 6; keep the event on one row only"
    )
    assert (
        annotated[9]["syncError"]
        == 'eventCancelled: "perhaps" is not a yes/no value; use TRUE or FALSE'
    )
    sent = {
        i["objectId"] for r in workspace.sandbox.batch_update_requests() for i in r.body["inputs"]
    }
    assert "5823713203" not in sent and "5823713205" not in sent and len(sent) == 16


def test_an_unknown_object_id_is_found_before_sending_and_annotated(workspace):
    rows = sample_rows()
    rows[3][0] = 999
    book = workspace.sample_workbook(rows=rows)
    result = workspace.run("sync")
    assert result.code == 1
    assert "19 updated, 0 failed, 1 invalid" in result.out
    annotated = read_rows(book)
    assert (
        annotated[3]["syncError"]
        == "objectId: HubSpot has no event 999; check the id (copy it from HubSpot)"
    )
    sent = [
        i["objectId"] for r in workspace.sandbox.batch_update_requests() for i in r.body["inputs"]
    ]
    assert "999" not in sent and len(sent) == 19


def test_without_the_remote_check_hubspots_207_error_lands_on_its_own_row(workspace):
    rows = sample_rows()
    rows[3][0] = 999
    book = workspace.sample_workbook(rows=rows)
    result = workspace.run("sync", "--no-remote-check")
    assert result.code == 1
    assert "19 updated, 1 failed" in result.out
    # No event is read first; the custom column's definitions are (plan/properties.py).
    events = [r for r in workspace.sandbox.requests if "/properties/" not in r.path]
    assert [r.method for r in events] == ["POST"]
    annotated = read_rows(book)
    assert "OBJECT_NOT_FOUND" in annotated[3]["syncError"]
    assert annotated[3]["updatedAt"] is None
    assert all(r["updatedAt"] for i, r in enumerate(annotated) if i != 3)
    # The failed row is not in the snapshot, so the next run tries it again.
    again = workspace.run("plan", "--json", "--no-remote-check")
    plan = json.loads(again.out)
    assert [u["objectId"] for u in plan["sheets"][0]["updates"]] == ["999"]


def test_plan_shows_exactly_the_bodies_sync_sends(workspace):
    workspace.sample_workbook()
    preview = workspace.run("plan", "--json", EVENTSYNC_BATCH_SIZE="7")
    assert preview.code == 0
    planned = json.loads(preview.out)["sheets"][0]["requests"]
    assert workspace.sandbox.batch_update_requests() == []
    assert workspace.run("sync", EVENTSYNC_BATCH_SIZE="7").code == 0
    sent = [r.body for r in workspace.sandbox.batch_update_requests()]
    assert [len(b["inputs"]) for b in sent] == [7, 7, 6]
    assert sent == planned


def test_plan_text_lists_each_change_old_to_new(workspace):
    book = workspace.sample_workbook()
    workspace.run("sync")
    edit(book, {(3, 2): "Renamed"})
    result = workspace.run("plan")
    assert result.code == 0
    assert "row 3, objectId 5823713202:" in result.out
    assert 'eventName: "Spring Product Update 02" -> "Renamed"' in result.out
    assert "Would send 1 event in 1 request; nothing was sent." in result.out


def test_a_refused_token_stops_the_run_with_exit_3_and_no_snapshot(workspace):
    workspace.sample_workbook()
    result = workspace.run("sync", HUBSPOT_ACCESS_TOKEN="pat-wrong-token")
    assert result.code == 3
    assert "HubSpot refused the access token (401" in result.err
    assert "HUBSPOT_ACCESS_TOKEN" in result.err
    assert not (workspace.root / ".eventsync" / "snapshots").exists()


def test_a_missing_scope_names_the_scope(workspace):
    workspace.sample_workbook()
    workspace.sandbox.configure(missing_scopes=True)
    result = workspace.run("sync")
    assert result.code == 3
    assert "crm.objects.marketing_events.write" in result.err


def test_a_server_error_fails_only_that_batch_and_the_run_goes_on(workspace):
    book = workspace.sample_workbook()
    # Requests 1 and 2 read the custom properties' definitions and HubSpot's current state.
    workspace.sandbox.script_fault(3, status=503)
    result = workspace.run("sync", EVENTSYNC_BATCH_SIZE="10", EVENTSYNC_MAX_RETRIES="0")
    assert result.code == 1
    assert "10 updated, 10 failed" in result.out
    annotated = read_rows(book)
    assert all("HubSpot answered 503" in r["syncError"] for r in annotated[:10])
    assert all(r["updatedAt"] and not r["syncError"] for r in annotated[10:])
    # The next run sends just the ten that failed, and clears their errors.
    again = workspace.run("sync", EVENTSYNC_BATCH_SIZE="10")
    assert again.code == 0 and "10 sent, 10 updated" in again.out
    assert all(r["updatedAt"] and not r["syncError"] for r in read_rows(book))


def test_user_columns_and_other_sheets_are_left_alone(workspace):
    book = workspace.sample_workbook()
    before = read_rows(book, "Instructions")
    workspace.run("sync")
    assert read_rows(book, "Instructions") == before
    for row, original in zip(read_rows(book), sample_rows(), strict=True):
        assert row["objectId"] == original[0] and row["eventDescription"] == original[4]


def test_settings_problems_are_reported_together_with_exit_2(workspace):
    workspace.sample_workbook()
    result = workspace.run(
        "sync",
        HUBSPOT_ACCESS_TOKEN="",
        EVENTSYNC_BATCH_SIZE="500",
        EVENTSYNC_BASE_URL="http://example.com",
        EVENTSYNC_TIMEZONE="Mars/Olympus",
    )
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 4
    assert any("HUBSPOT_ACCESS_TOKEN is not set" in line for line in lines)
    assert any(
        "EVENTSYNC_BATCH_SIZE is '500'; use a whole number from 1 to 100" in line for line in lines
    )
    assert any("plain http" in line for line in lines)
    assert any("EVENTSYNC_TIMEZONE" in line for line in lines)
    assert workspace.sandbox.request_count == 0


def test_a_file_that_cannot_be_used_stops_everything_before_sending(workspace):
    workspace.sample_workbook()
    (workspace.sheets / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    result = workspace.run("sync")
    assert result.code == 2
    assert "old.xlsx" in result.err and ".xlsx" in result.err
    assert workspace.sandbox.request_count == 0


def test_a_sheet_without_an_object_id_column_is_refused(workspace):
    workspace.csv_sheet("events.csv", [["eventName"], ["x"]])
    result = workspace.run("plan")
    assert result.code == 2
    assert "events.csv, row 1: no objectId column" in result.err


def test_lock_files_and_hidden_files_in_the_sheets_folder_are_skipped(workspace):
    workspace.sample_workbook()
    (workspace.sheets / "~$events.xlsx").write_bytes(b"lock")
    (workspace.sheets / ".hidden.csv").write_text("junk")
    result = workspace.run("plan")
    assert result.code == 0, result.err


def test_the_token_appears_in_no_output_sheet_or_state_file(workspace):
    book = workspace.sample_workbook()
    outputs = [workspace.run("sync"), workspace.run("plan", "--json")]
    edit(book, {(3, 2): "x"})
    workspace.sandbox.script_fault(len(workspace.sandbox.requests) + 1, status=500)
    outputs.append(workspace.run("sync", "--json", EVENTSYNC_MAX_RETRIES="0"))
    outputs.append(workspace.run("sync", HUBSPOT_ACCESS_TOKEN=TOKEN + "x"))
    text = "".join(o.out + o.err for o in outputs) + all_files_text(workspace.root)
    assert TOKEN not in text
    assert TOKEN not in json.dumps([r.__dict__ for r in workspace.sandbox.requests], default=str)


def test_json_output_for_scripts(workspace):
    workspace.sample_workbook()
    result = workspace.run("sync", "--json")
    document = json.loads(result.out)
    assert document["exitCode"] == 0
    [sheet] = document["sheets"]
    assert sheet["sent"] == 20 and sheet["updated"] == 20
    assert all(row["status"] == "updated" and row["updatedAt"] for row in sheet["rows"])


@pytest.mark.slow
def test_python_dash_m_sync_is_the_same_command(workspace):
    workspace.sample_workbook()
    env = {**workspace.env, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "eventsync", "plan"],
        cwd=workspace.root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "Would send 20 events in 1 request" in done.stdout
