"""Issue 20, case 1: a duplicate objectId is flagged on both rows whatever else is wrong
with either (in one file and across files), nothing is sent for that event, and neither
row later counts as a stale copy pointing at `--two-way`."""

from __future__ import annotations

from datetime import datetime

from helpers import edit, read_rows, sent_inputs

from eventsync.sheets.csv_file import read_csv

EVENT = "5823713210"  # row 11 of the sample workbook
REAL_ROW, COPY_ROW = 11, 22
DUPLICATE_OF_COPY = f"objectId: {EVENT} is also on row {COPY_ROW}; keep the event on one row only"
DUPLICATE_OF_REAL = f"objectId: {EVENT} is also on row {REAL_ROW}; keep the event on one row only"
END_FIRST = "endDateTime: the end is before the start (startDateTime); fix one of the two"


def synced_workbook(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    return book


def test_a_copy_typed_below_a_row_with_an_error_sends_nothing_and_both_rows_say_why(workspace):
    book = synced_workbook(workspace)
    before_rows = read_rows(book)
    hubspot_before = dict(workspace.sandbox.events[EVENT])
    # The real row gets an end before its start; a copy of it is typed at the bottom.
    edit(
        book,
        {
            (REAL_ROW, 9): datetime(2026, 6, 8, 9, 0),  # start is 2026-06-08 10:00 (Tokyo)
            (COPY_ROW, 1): int(EVENT),
            (COPY_ROW, 2): "Copy typed over",
            (COPY_ROW, 3): "Seminar",
            (COPY_ROW, 6): "https://copy.example.com",
            (COPY_ROW, 8): datetime(2026, 7, 1, 10, 0),
            (COPY_ROW, 9): datetime(2026, 7, 1, 12, 0),
        },
    )
    planned = workspace.run("plan")
    assert planned.code == 1, planned.out
    assert "0 to send" in planned.out and f"objectId {EVENT}:" not in planned.out

    sent_before = len(workspace.sandbox.batch_update_requests())
    for _ in range(2):  # and again: nothing turns either row into a stale copy
        result = workspace.run("sync")
        assert result.code == 1, result.out
        assert sent_inputs(workspace.sandbox, sent_before) == []
        assert workspace.sandbox.events[EVENT] == hubspot_before
        real, copy = read_rows(book)[REAL_ROW - 2], read_rows(book)[COPY_ROW - 2]
        assert real["syncError"] == f"{DUPLICATE_OF_COPY}; {END_FIRST}"
        assert copy["syncError"] == DUPLICATE_OF_REAL
        assert "--two-way" not in real["syncError"] + copy["syncError"]
        assert real["updatedAt"] == before_rows[REAL_ROW - 2]["updatedAt"]  # left as it was
        assert copy["updatedAt"] is None


def test_the_issues_csv_sends_nothing_for_the_event(workspace):
    path = workspace.csv_sheet(
        "events.csv",
        [
            ["objectId", "eventName", "startDateTime", "endDateTime"],
            [EVENT, "Copy typed over", "2026-06-08 10:00", "2026-06-08 12:00"],
            [EVENT, "Product Update 10", "2026-06-08 12:00", "2026-06-08 10:00"],
            ["5823713211", "Renamed 11", "2026-06-15 10:00", "2026-06-15 12:00"],
        ],
    )
    hubspot_before = dict(workspace.sandbox.events[EVENT])
    result = workspace.run("sync")
    assert result.code == 1, result.out
    assert [i["objectId"] for i in sent_inputs(workspace.sandbox)] == ["5823713211"]
    assert workspace.sandbox.events[EVENT] == hubspot_before
    rows = read_csv(path).rows
    error = rows[0].index("syncError")
    assert rows[1][error] == f"objectId: {EVENT} is also on row 3; keep the event on one row only"
    assert rows[2][error] == (
        f"objectId: {EVENT} is also on row 2; keep the event on one row only; {END_FIRST}"
    )
    assert rows[3][error:] in ((), ("",))  # the other event synced


def test_across_files_a_row_with_an_error_still_keeps_the_other_file_from_sending(workspace):
    book = synced_workbook(workspace)
    edit(book, {(REAL_ROW, 2): "Renamed in the workbook"})
    copy = workspace.csv_sheet(
        "copy.csv",
        [
            ["objectId", "eventName", "startDateTime", "endDateTime"],
            [EVENT, "Copy typed over", "2026-06-08 12:00", "2026-06-08 10:00"],
        ],
    )
    before = len(workspace.sandbox.batch_update_requests())
    hubspot_before = dict(workspace.sandbox.events[EVENT])
    result = workspace.run("sync")
    assert result.code == 1, result.out
    assert sent_inputs(workspace.sandbox, before) == []
    assert workspace.sandbox.events[EVENT] == hubspot_before
    assert read_rows(book)[REAL_ROW - 2]["syncError"] == (
        f"objectId: {EVENT} is also on copy.csv row 2; keep each event in one file only"
        " (move the other copy out of the sheets folder)"
    )
    rows = read_csv(copy).rows
    assert rows[1][rows[0].index("syncError")] == (
        f"objectId: {EVENT} is also on events.xlsx row {REAL_ROW}; keep each event in one file"
        f" only (move the other copy out of the sheets folder); {END_FIRST}"
    )
