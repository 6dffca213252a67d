"""End to end, the lifecycle of an event (docs/event-status-and-deleting.md): the status
column cancels and un-cancels, Completed is refused for an event eventsync did not
create, Delete archives the event once after `plan` showed it, a Delete filled down
stops before anything is sent, and an event deleted in HubSpot is marked in its row and
never comes back. Over real HTTP against the sandbox, through `eventsync.cli.main`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import xlsxwriter
from helpers import edit, read_rows

from eventsync.sandbox.external_ids import lose_answers

FIRST = 5823713201
HEADERS = ["objectId", "eventName", "eventLifecycle", "updatedAt", "syncError"]
JA_HEADERS = ["イベントID", "イベント名", "イベント状態", "更新日時", "同期エラー"]
STATUS = 3  # the status column (C)
NAME = 2


def status_book(path: Path, rows: int = 6, *, headers=HEADERS, statuses=None) -> Path:
    """An Events sheet as Excel writes it (shared strings, a styled header, a filter):
    `rows` events of the sandbox, each with its status cell (`statuses`, by index)."""
    statuses = statuses or {}
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Events")
    sheet.write_row(0, 0, headers, book.add_format({"bold": True}))
    for n in range(rows):
        sheet.write_number(n + 1, 0, FIRST + n)
        sheet.write_string(n + 1, 1, f"Product Update {n + 1:02d}")
        if n in statuses:
            sheet.write_string(n + 1, 2, statuses[n])
    sheet.autofilter(0, 0, rows, len(headers) - 1)
    book.close()
    return path


def archives(sandbox) -> list[dict]:
    return [r.body for r in sandbox.requests if r.path.endswith("/batch/archive")]


def updates(sandbox) -> list[dict]:
    return [i for r in sandbox.batch_update_requests() for i in r.body["inputs"]]


@pytest.mark.slow
def test_a_row_marked_delete_is_shown_by_plan_then_archived_once(workspace):
    book = status_book(workspace.sheets / "events.xlsx")
    assert workspace.run("sync").code == 0
    edit(book, {(3, STATUS): "Delete"})  # row 3: 5823713202

    plan = workspace.run("plan")
    assert plan.code == 0, plan.out
    assert "row 3, objectId 5823713202: will be DELETED in HubSpot (status Delete)" in plan.out
    assert "Would delete 1 event in HubSpot; nothing was deleted." in plan.out
    assert archives(workspace.sandbox) == [] and "5823713202" in workspace.sandbox.events
    [planned] = json.loads(workspace.run("plan", "--json").out)["sheets"]
    assert planned["deletes"] == [{"row": 3, "objectId": "5823713202"}]
    assert planned["requests"] == []  # the updates' bodies: the deletion is not one
    assert planned["archiveRequests"] == [{"inputs": [{"objectId": "5823713202"}]}]

    synced = workspace.run("sync")
    assert synced.code == 0, synced.out
    assert archives(workspace.sandbox) == [{"inputs": [{"objectId": "5823713202"}]}]
    assert "5823713202" not in workspace.sandbox.events
    assert updates(workspace.sandbox) == []  # (the sheet's names are HubSpot's already)
    assert ", 1 deleted" in synced.out
    rows = read_rows(book)
    assert rows[1]["syncError"].startswith("deleted in HubSpot by eventsync (")
    assert rows[1]["eventLifecycle"] == "Delete"  # what the user typed stays
    assert all(row["syncError"] is None for i, row in enumerate(rows) if i != 1)

    before = workspace.sandbox.request_count
    again = workspace.run("sync")
    assert again.code == 0, again.out
    assert workspace.sandbox.request_count == before  # nothing sent, nothing read
    assert read_rows(book)[1]["syncError"] == rows[1]["syncError"]

    history = json.loads(workspace.run("history", "5823713202", "--json").out)["changes"]
    assert history[0]["kind"] == "deleted" and history[0]["row"] == 3


@pytest.mark.slow
def test_a_filled_down_delete_column_stops_before_anything_is_sent(workspace):
    book = status_book(workspace.sheets / "events.xlsx", rows=8)
    assert workspace.run("sync").code == 0
    before = workspace.sandbox.request_count
    edit(book, {**{(r, STATUS): "Delete" for r in range(2, 10)}, (2, NAME): "Renamed"})

    plan = workspace.run("plan")
    assert "Would delete 8 events in HubSpot" in plan.out
    assert "eventsync sync will stop before sending anything" in plan.out

    refused = workspace.run("sync")
    assert refused.code == 2
    assert "8 rows are marked Delete (events.xlsx)" in refused.err
    assert "eventsync sync --allow-deletes" in refused.err
    assert [r.path for r in workspace.sandbox.requests[before:] if r.method != "GET"] == []
    assert len(workspace.sandbox.events) == 20

    allowed = workspace.run("sync", "--allow-deletes")
    assert allowed.code == 0, allowed.out
    assert not any(str(FIRST + n) in workspace.sandbox.events for n in range(8))
    assert len(workspace.sandbox.events) == 12


@pytest.mark.slow
def test_an_event_deleted_in_hubspot_is_marked_and_never_comes_back(workspace):
    book = status_book(workspace.sheets / "events.xlsx")
    assert workspace.run("sync").code == 0
    gone = str(FIRST + 2)  # row 4
    workspace.sandbox.delete_event(gone)
    edit(book, {(4, NAME): "Renamed after it was deleted", (5, NAME): "Renamed"})

    plan = workspace.run("plan")
    assert plan.code == 1  # news to tell, once
    assert f"row 4, objectId {gone}: no longer exists in HubSpot (deleted there)" in plan.out

    synced = workspace.run("sync")
    assert synced.code == 1, synced.out
    assert updates(workspace.sandbox) == [{"objectId": str(FIRST + 3), "eventName": "Renamed"}]
    assert ", 1 deleted in HubSpot" in synced.out
    rows = read_rows(book)
    assert rows[2]["syncError"].startswith("deleted in HubSpot (found ")

    # HubSpot lists it again (a list that lags behind, an event restored): still never
    # sent, appended, or pulled; its row keeps saying so.
    edit(book, {(4, NAME): "Renamed once more"})
    workspace.sandbox.add_event({"objectId": gone, "eventName": "Back in the list"})
    before = len(updates(workspace.sandbox))
    assert workspace.run("sync").code == 0
    assert workspace.run("sync", "--two-way").code == 0
    assert updates(workspace.sandbox)[before:] == []
    assert read_rows(book)[2]["syncError"] == rows[2]["syncError"]
    # The row removed from the sheet: --add-new appends HubSpot's other events, not it.
    edit(book, {(4, column): None for column in range(1, 6)})
    added = workspace.run("sync", "--two-way", "--add-new")
    assert added.code == 0, added.out
    appended = [str(row["objectId"]) for row in read_rows(book)[5:]]
    assert len(appended) == 14 and gone not in appended
    assert updates(workspace.sandbox)[before:] == []
    pulled = workspace.run("pull", "--force", "pulled.xlsx")
    assert pulled.code == 0, pulled.err
    assert gone not in [str(row["objectId"]) for row in read_rows(workspace.root / "pulled.xlsx")]
    assert str(FIRST) in [str(row["objectId"]) for row in read_rows(workspace.root / "pulled.xlsx")]

    history = json.loads(workspace.run("history", gone, "--json").out)["changes"]
    assert history[0]["kind"] == "deleted in HubSpot"


@pytest.mark.slow
def test_cancelled_sends_only_event_cancelled_and_scheduled_sends_it_back(workspace):
    book = status_book(
        workspace.sheets / "events.xlsx", statuses={n: "Scheduled" for n in range(6)}
    )
    assert workspace.run("sync").code == 0
    assert updates(workspace.sandbox) == []  # HubSpot holds false already
    edit(book, {(3, STATUS): "cancelled"})
    assert workspace.run("sync").code == 0
    assert updates(workspace.sandbox) == [{"objectId": "5823713202", "eventCancelled": True}]
    assert workspace.sandbox.events["5823713202"]["eventCancelled"] is True

    before = workspace.sandbox.request_count
    assert workspace.run("sync").code == 0  # a status nobody changed sends nothing
    assert workspace.sandbox.request_count == before

    edit(book, {(3, STATUS): "ＳＣＨＥＤＵＬＥＤ"})  # (typed full-width)
    assert workspace.run("sync").code == 0
    assert updates(workspace.sandbox)[1:] == [{"objectId": "5823713202", "eventCancelled": False}]
    assert workspace.sandbox.events["5823713202"]["eventCancelled"] is False
    history = json.loads(workspace.run("history", "5823713202", "--json").out)["changes"]
    assert [(c["field"], c["value"]) for c in history[:2]] == [
        ("eventCancelled", False),
        ("eventCancelled", True),
    ]


@pytest.mark.slow
def test_completed_for_an_event_eventsync_did_not_create_is_a_row_error(workspace):
    book = status_book(workspace.sheets / "events.xlsx")
    assert workspace.run("sync").code == 0
    edit(
        book,
        {(2, STATUS): "Completed", (2, NAME): "Done", (3, NAME): "Renamed", (4, STATUS): "Maybe"},
    )
    result = workspace.run("sync")
    assert result.code == 1
    assert updates(workspace.sandbox) == [{"objectId": "5823713202", "eventName": "Renamed"}]
    rows = read_rows(book)
    assert rows[0]["syncError"].startswith(
        "eventLifecycle: HubSpot lets only the app that created an event mark it completed"
    )
    assert "Mark it completed in HubSpot" in rows[0]["syncError"]
    assert rows[2]["syncError"] == (
        'eventLifecycle: "Maybe" is not a status; use one of Scheduled, Completed, Cancelled,'
        " Delete (予定, 完了, 中止, 削除)"
    )
    assert workspace.sandbox.events["5823713201"]["eventName"] == "Product Update 01"


@pytest.mark.slow
def test_japanese_headers_and_values_cancel_and_delete(workspace):
    book = status_book(workspace.sheets / "events.xlsx", headers=JA_HEADERS)
    assert workspace.run("sync").code == 0
    edit(book, {(2, STATUS): "中止", (3, STATUS): "削除"})
    plan = workspace.run("plan", EVENTSYNC_LANG="ja")
    assert "3行目、イベントID 5823713202：HubSpotで削除されます（状態「削除」）" in plan.out
    assert workspace.run("sync").code == 0
    assert updates(workspace.sandbox) == [{"objectId": "5823713201", "eventCancelled": True}]
    assert "5823713202" not in workspace.sandbox.events
    rows = read_rows(book)
    assert rows[1]["同期エラー"].startswith(
        "この行の状態の指定どおり、eventsyncがHubSpotで削除しました"
    )


@pytest.mark.slow
def test_a_csv_row_marked_delete_is_archived(workspace):
    rows = [["objectId", "eventName", "eventLifecycle"]]
    rows += [[str(FIRST + n), f"Product Update {n + 1:02d}", ""] for n in range(4)]
    path = workspace.csv_sheet("events.csv", rows)
    assert workspace.run("sync").code == 0
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("Product Update 04,", "Product Update 04,delete"), encoding="utf-8"
    )
    assert workspace.run("sync").code == 0
    assert archives(workspace.sandbox) == [{"inputs": [{"objectId": "5823713204"}]}]
    assert "5823713204" not in workspace.sandbox.events
    assert "deleted in HubSpot by eventsync" in path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_not_found_in_a_batch_answer_marks_the_row_deleted_in_hubspot(workspace):
    book = status_book(workspace.sheets / "events.xlsx")
    assert workspace.run("sync").code == 0
    workspace.sandbox.delete_event("5823713203")
    edit(book, {(4, NAME): "Renamed", (5, NAME): "Renamed too"})
    synced = workspace.run("sync", "--no-remote-check")  # HubSpot is not read first
    assert synced.code == 1, synced.out
    assert ", 1 deleted in HubSpot" in synced.out
    assert read_rows(book)[2]["syncError"].startswith("deleted in HubSpot (found ")
    assert workspace.sandbox.events["5823713204"]["eventName"] == "Renamed too"
    before = workspace.sandbox.request_count
    assert workspace.run("sync", "--no-remote-check").code == 0
    assert workspace.sandbox.request_count == before


@pytest.mark.slow
def test_a_deletion_whose_answer_was_lost_says_so_and_the_next_sync_settles_it(workspace):
    book = status_book(workspace.sheets / "events.xlsx")
    assert workspace.run("sync").code == 0
    edit(book, {(2, STATUS): "Delete"})
    lose_answers(workspace.sandbox, "status", action="archive", status=503)
    lost = workspace.run("sync", EVENTSYNC_MAX_RETRIES="0")
    assert lost.code == 1
    assert "5823713201" not in workspace.sandbox.events  # HubSpot deleted it meanwhile
    said = read_rows(book)[0]["syncError"]
    assert said.startswith("unclear whether HubSpot deleted the event (HubSpot answered 503")
    settled = workspace.run("sync")
    assert settled.code == 0, settled.out
    assert read_rows(book)[0]["syncError"].startswith("deleted in HubSpot by eventsync (")


@pytest.mark.slow
def test_two_way_brings_a_cancellation_made_in_hubspot_into_the_status_cell(workspace):
    statuses = {0: "Scheduled", 1: "予定"}  # row 4: no status
    book = status_book(workspace.sheets / "events.xlsx", statuses=statuses)
    assert workspace.run("sync").code == 0
    for object_id in ("5823713201", "5823713202", "5823713203"):
        workspace.sandbox.edit_event(object_id, eventCancelled=True)  # a colleague, in HubSpot
    synced = workspace.run("sync", "--two-way")
    assert synced.code == 0, synced.out
    assert updates(workspace.sandbox) == []
    rows = read_rows(book)
    assert [row["eventLifecycle"] for row in rows[:3]] == ["Cancelled", "中止", None]
    before = workspace.sandbox.request_count
    assert workspace.run("sync").code == 0
    assert [r for r in workspace.sandbox.requests[before:] if r.method != "GET"] == []


@pytest.mark.slow
def test_a_conflict_on_the_status_is_said_in_status_words(workspace):
    book = status_book(workspace.sheets / "events.xlsx", statuses={0: "Scheduled"})
    assert workspace.run("sync").code == 0
    edit(book, {(2, NAME): "Renamed"})
    assert workspace.run("sync").code == 0  # the row carries HubSpot's version now
    shutil.rmtree(workspace.root / ".eventsync")  # a new machine: no record of that sync
    workspace.sandbox.edit_event("5823713201", eventCancelled=True)  # a colleague cancels
    result = workspace.run("plan")
    assert result.code == 1, result.out
    assert 'row 2: conflict: the event was set to "Cancelled" in HubSpot at' in result.out
    assert 'type "Cancelled" into eventLifecycle' in result.out
    assert "eventsync sync --force 5823713201" in result.out


@pytest.mark.slow
def test_a_new_row_marked_delete_or_completed_is_neither_created_nor_archived(workspace):
    # Rows without an objectId become new events (docs/creating-events.md): one marked
    # Delete or Completed asks for something only an existing event can do.
    headers = [*HEADERS, "eventOrganizer"]  # (F): what a create needs besides a name
    book = status_book(
        workspace.sheets / "events.xlsx", rows=3, headers=headers, statuses={1: "Cancelled"}
    )
    edit(book, {(5, 2): "New partner day", (5, STATUS): "Delete", (5, 6): "Marketing"})
    edit(book, {(6, 2): "Old seminar", (6, STATUS): "完了", (6, 6): "Marketing"})
    result = workspace.run("sync")
    assert result.code != 0, result.out
    rows = read_rows(book)
    for row in rows[3:5]:
        assert (
            "this row has no event in HubSpot yet, so there is nothing to delete"
            in (row["syncError"])
        )
        assert row["objectId"] is None
    assert archives(workspace.sandbox) == []
    assert not any(r.path.endswith("/events/upsert") for r in workspace.sandbox.requests)
    assert updates(workspace.sandbox) == [{"objectId": "5823713202", "eventCancelled": True}]
