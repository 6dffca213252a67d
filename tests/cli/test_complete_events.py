"""Completing the events eventsync created (issue 25, docs/event-status-and-deleting.md),
end to end through `eventsync.cli.main` against the sandbox over real HTTP: a created
row set to Completed is listed by `plan` (nothing sent), marked completed by `sync`
through HubSpot's complete call (what the sandbox received: the path, the
externalAccountId, the start and end), its updatedAt written back, and never sent again;
a key HubSpot no longer counts as the creating app gets a row error saying what to do."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
import xlsxwriter
from helpers import TOKEN, Workspace, edit, read_rows

from eventsync.sandbox.external_ids import created_events
from eventsync.sandbox.sample import sample_events
from eventsync.sandbox.server import Sandbox

HEADERS = [
    "objectId",
    "eventName",
    "eventLifecycle",
    "updatedAt",
    "syncError",
    "eventOrganizer",
    "startDateTime",
    "endDateTime",
]
JA_HEADERS = ["イベントID", "イベント名", "イベント状態", "更新日時", "同期エラー", "主催者"]
JA_HEADERS += ["開始日時", "終了日時"]
STATUS = 3
NEW_ROW = 4  # below two events HubSpot has
START, END = "2026-09-01T05:00:00Z", "2026-09-01T07:00:00Z"  # Tokyo 14:00-16:00
ACCOUNT = "eventsync-880001"


def book_with_a_new_row(path: Path, headers: list[str] = HEADERS) -> Path:
    """Two events HubSpot has (rows 2-3) and a new row 4 with what a create needs."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Events")
    sheet.write_row(0, 0, headers, book.add_format({"bold": True}))
    for n in range(2):
        sheet.write_number(n + 1, 0, 5823713201 + n)
        sheet.write_string(n + 1, 1, f"Product Update {n + 1:02d}")
    new = NEW_ROW - 1
    sheet.write_string(new, 1, "Kyoto partner day")
    sheet.write_string(new, 5, "Marketing Japan")
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_datetime(new, 6, datetime(2026, 9, 1, 14), when)
    sheet.write_datetime(new, 7, datetime(2026, 9, 1, 16), when)
    book.close()
    return path


def completes(sandbox: Sandbox) -> list:
    return [r for r in sandbox.requests if r.path.endswith("/complete")]


def created(workspace: Workspace, book: Path) -> tuple[str, str]:
    """Sync the new row into an event: (its objectId, its externalEventId)."""
    result = workspace.run("sync")
    assert result.code == 0, result.out + result.err
    row = read_rows(book)[NEW_ROW - 2]
    [event] = created_events(workspace.sandbox).values()
    assert str(row.get("objectId") or row.get("イベントID")) == event["objectId"]
    return event["objectId"], event["externalEventId"]


@pytest.mark.slow
def test_a_created_event_marked_completed_is_shown_then_completed_once(workspace):
    sandbox = workspace.sandbox
    book = book_with_a_new_row(workspace.sheets / "events.xlsx")
    object_id, external_id = created(workspace, book)
    edit(book, {(NEW_ROW, STATUS): "Completed"})

    before = sandbox.request_count
    plan = workspace.run("plan")
    assert plan.code == 0, plan.out + plan.err
    assert (
        f"row 4, objectId {object_id}: will be marked completed in HubSpot (status Completed;"
        f" start 2026-09-01 14:00:00 JST, end 2026-09-01 16:00:00 JST)" in plan.out
    )
    assert "Would mark 1 event completed in HubSpot; nothing was sent." in plan.out
    assert "Nothing to send" not in plan.out
    as_json = json.loads(workspace.run("plan", "--json").out)
    [sheet] = as_json["sheets"]
    assert sheet["completes"] == [
        {
            "row": 4,
            "objectId": object_id,
            "externalEventId": external_id,
            "externalAccountId": ACCOUNT,
            "body": {"startDateTime": START, "endDateTime": END},
        }
    ]
    assert completes(sandbox) == [] and sandbox.events[object_id]["eventCompleted"] is False
    assert all(r.method == "GET" for r in sandbox.requests[before:])

    result = workspace.run("sync")
    assert result.code == 0, result.out + result.err
    assert "1 marked completed" in result.out
    [call] = completes(sandbox)
    assert call.method == "POST"
    assert call.path.endswith(f"/events/{external_id}/complete")
    assert call.query == {"externalAccountId": ACCOUNT}
    assert call.body == {"startDateTime": START, "endDateTime": END}
    event = sandbox.events[object_id]
    assert event["eventCompleted"] is True and event["eventStatus"] == "COMPLETED"
    row = read_rows(book)[NEW_ROW - 2]
    assert row["updatedAt"] == event["updatedAt"] and row["syncError"] is None

    before, saved = sandbox.request_count, book.read_bytes()
    again = workspace.run("sync")
    assert again.code == 0, again.out + again.err
    assert sandbox.request_count == before  # the unchanged Completed is not sent again
    assert book.read_bytes() == saved

    # A pull rewrites the state's events from HubSpot's: the completion stays known.
    # (Rows 2-3 leave dates empty that HubSpot holds: those rows are told so, not this one.)
    assert workspace.run("pull", "pulled.xlsx").code == 0
    workspace.run("sync")
    assert len(completes(sandbox)) == 1
    assert read_rows(book)[NEW_ROW - 2]["syncError"] is None

    history = workspace.run("history", object_id)
    assert history.code == 0, history.err
    assert "eventCompleted: (never synced) -> true  (sent, events.xlsx row 4;" in history.out
    assert "startDateTime" not in history.out.split("(created")[0]  # the same dates: no change


@pytest.fixture
def any_token_sandbox():
    """A sandbox taking any token, each one app (as HubSpot's rule for external ids)."""
    with Sandbox(events=sample_events(), custom_properties=["region"]) as server:
        yield server


@pytest.mark.slow
def test_completing_with_another_key_says_to_complete_it_in_hubspot(tmp_path, any_token_sandbox):
    workspace = Workspace(tmp_path, any_token_sandbox)
    book = book_with_a_new_row(workspace.sheets / "events.xlsx")
    object_id, _ = created(workspace, book)
    edit(book, {(NEW_ROW, STATUS): "Completed"})

    rotated = "pat-na1-rotated-key-0000"  # a new key: to HubSpot, another app
    result = workspace.run("sync", HUBSPOT_ACCESS_TOKEN=rotated)
    assert result.code == 1, result.out + result.err
    [call] = completes(any_token_sandbox)
    assert call.path.endswith("/complete")  # asked once, refused (404: not this app's)
    assert any_token_sandbox.events[object_id]["eventCompleted"] is False
    said = read_rows(book)[NEW_ROW - 2]["syncError"]
    assert said.startswith(
        f"not completed: HubSpot no longer lets this key mark event {object_id} completed"
    )
    assert "Mark it completed in HubSpot (Marketing > Events), then empty this cell" in said
    assert rotated not in result.out + result.err and TOKEN not in result.out + result.err


@pytest.mark.slow
def test_japanese_completed_in_a_japanese_sheet(workspace):
    sandbox = workspace.sandbox
    book = book_with_a_new_row(workspace.sheets / "events.xlsx", JA_HEADERS)
    object_id, external_id = created(workspace, book)
    edit(book, {(NEW_ROW, STATUS): "完了"})
    plan = workspace.run("plan", EVENTSYNC_LANG="ja")
    assert f"4行目、イベントID {object_id}：HubSpotで完了にします（状態「完了」" in plan.out
    assert workspace.run("sync", EVENTSYNC_LANG="ja").code == 0
    [call] = completes(sandbox)
    assert call.path.endswith(f"/events/{external_id}/complete")
    assert sandbox.events[object_id]["eventCompleted"] is True
    row = read_rows(book)[NEW_ROW - 2]
    assert row["更新日時"] == sandbox.events[object_id]["updatedAt"] and row["同期エラー"] is None


@pytest.mark.slow
def test_a_date_changed_in_hubspot_is_not_overwritten_by_the_completion(workspace):
    sandbox = workspace.sandbox
    book = book_with_a_new_row(workspace.sheets / "events.xlsx")
    object_id, _ = created(workspace, book)
    sandbox.edit_event(object_id, endDateTime="2026-09-01T08:30:00Z")  # a colleague's
    edit(book, {(NEW_ROW, STATUS): "Completed"})
    result = workspace.run("sync")
    assert result.code == 0, result.out + result.err
    [call] = completes(sandbox)
    assert call.body == {"startDateTime": START, "endDateTime": "2026-09-01T08:30:00Z"}
    assert sandbox.events[object_id]["endDateTime"] == "2026-09-01T08:30:00Z"
