"""An `updatedAt` that is not an RFC 3339 date-time is never taken for a version (issue
21, item 3): HubSpot's answer carrying one confirms nothing, a read carrying one stops
before anything is sent, and a row whose updatedAt cell was typed over is "synced once,
version unknown": compared with HubSpot or held, never sent whole as a new row. End to
end through `eventsync.cli.main` over HTTP against the sandbox."""

from __future__ import annotations

import json
import shutil

from helpers import TOKEN, edit, read_rows, sent_inputs
from openpyxl import load_workbook

from eventsync.sandbox.sample import sample_events

ID = "5823713202"  # row 3 of the sample workbook
HOSTILE = ["not-a-date", '=HYPERLINK("http://example.invalid","open")', "2026-13-45T99:00:00Z"]


def column_of(path, header: str) -> int:
    sheet = load_workbook(path, read_only=True)["Events"]
    try:
        names = next(sheet.iter_rows(max_row=1, values_only=True))
    finally:
        sheet.parent.close()
    return names.index(header) + 1


def answer_with_versions(versions: list[str]) -> dict:
    """A 200 answer to the first sync's one batch, every result's updatedAt hostile."""
    results = []
    for n, event in enumerate(sample_events()):
        result = {k: v for k, v in event.items() if k != "customProperties"}
        results.append({**result, "updatedAt": versions[n % len(versions)]})
    return {
        "status": "COMPLETE",
        "results": results,
        "startedAt": "2026-04-01T00:00:00Z",
        "completedAt": "2026-04-01T00:00:01Z",
    }


def test_an_answer_whose_updated_at_is_not_a_date_time_confirms_nothing(workspace):
    book = workspace.sample_workbook()
    # Request 1 reads the portal's custom property definitions (the sample's `custom:`
    # column); request 2 is the batch.
    workspace.sandbox.script_fault(2, status=200, body=answer_with_versions(HOSTILE))
    result = workspace.run("sync", "--no-remote-check")
    assert [r.path for r in workspace.sandbox.requests][1].endswith("/batch/update")
    assert result.code == 1, result.out + result.err
    assert "0 updated, 20 failed" in result.out
    rows = read_rows(book)
    assert all(row["updatedAt"] is None for row in rows)  # nothing hostile in a cell
    assert all("which is not a date-time; nothing is confirmed" in row["syncError"] for row in rows)
    assert '"=HYPERLINK(' in rows[1]["syncError"]  # shown quoted, as text
    # Nothing reached the state: the next sync sends every row again, and confirms it.
    plan = workspace.run("plan")
    assert "20 to send" in plan.out, plan.out
    again = workspace.run("sync")
    assert again.code == 0, again.out + again.err
    assert "20 sent, 20 updated" in again.out
    assert all(row["updatedAt"].endswith("Z") and not row["syncError"] for row in read_rows(book))
    assert len(workspace.sandbox.batch_update_requests()) == 2


def test_a_read_whose_updated_at_is_not_a_date_time_stops_before_sending(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    workspace.sandbox.edit_event(ID, eventName="Theirs", updatedAt="=cmd|' /C calc'!A0")
    edit(book, {(3, 2): "Mine"})
    before = len(workspace.sandbox.batch_update_requests())
    result = workspace.run("sync")
    assert result.code == 1, result.out + result.err
    assert f"HubSpot's answer gives event {ID} the updatedAt" in result.out + result.err
    assert "Nothing was sent" in result.out + result.err
    assert len(workspace.sandbox.batch_update_requests()) == before
    assert workspace.sandbox.events[ID]["eventName"] == "Theirs"


def lost_state_with_typed_over_version(workspace):
    """Synced; a colleague renames event ID in HubSpot; the state folder is deleted; the
    row's updatedAt cell is typed over and its description edited."""
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    workspace.sandbox.edit_event(ID, eventName="Colleague's name")
    shutil.rmtree(workspace.root / ".eventsync")
    stamp = column_of(book, "updatedAt")
    edit(book, {(3, stamp): "not-a-date", (3, 5): "My new description"})
    return book


def test_a_typed_over_version_after_a_lost_state_is_a_conflict_not_a_new_row(workspace):
    book = lost_state_with_typed_over_version(workspace)
    before = len(workspace.sandbox.batch_update_requests())
    result = workspace.run("sync")
    assert result.code == 1, result.out + result.err
    assert "conflict" in result.out
    assert ID not in {i["objectId"] for i in sent_inputs(workspace.sandbox, before)}
    assert workspace.sandbox.events[ID]["eventName"] == "Colleague's name"
    assert "conflict" in read_rows(book)[1]["syncError"]


def test_a_typed_over_version_is_held_without_reading_hubspot(workspace):
    book = lost_state_with_typed_over_version(workspace)
    before = len(workspace.sandbox.batch_update_requests())
    result = workspace.run("sync", "--no-remote-check")
    assert result.code == 1, result.out + result.err
    assert ID not in {i["objectId"] for i in sent_inputs(workspace.sandbox, before)}
    assert workspace.sandbox.events[ID]["eventName"] == "Colleague's name"
    message = read_rows(book)[1]["syncError"]
    assert "does not hold a date-time eventsync wrote" in message
    assert f"sync --force {ID}" in message


def test_a_typed_over_version_with_the_state_kept_is_checked_and_healed(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    stamp = column_of(book, "updatedAt")
    edit(book, {(3, stamp): "=HYPERLINK(1)", (3, 5): "My new description", (4, stamp): "?"})

    held = workspace.run("plan", HUBSPOT_ACCESS_TOKEN="")
    assert held.code == 1 and "does not hold a date-time" in held.out, held.out

    result = workspace.run("sync")
    assert result.code == 0, result.out + result.err
    assert [i["objectId"] for i in sent_inputs(workspace.sandbox)][-1:] == [ID]
    row, unchanged = read_rows(book)[1:3]
    assert row["updatedAt"] == workspace.sandbox.events[ID]["updatedAt"]
    assert (
        unchanged["updatedAt"] == workspace.sandbox.events[str(unchanged["objectId"])]["updatedAt"]
    )
    assert TOKEN not in json.dumps(row, default=str)
