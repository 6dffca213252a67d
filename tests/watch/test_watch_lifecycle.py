"""`watch` and the status column: a save marking one row Delete deletes its event and the
row says so; a later save filling Delete down the column hits the delete guard, sends
nothing, and watch goes on watching (it never passes the guard by itself)."""

from __future__ import annotations

import pytest
import xlsxwriter
from helpers import read_rows
from watch_process import replace_file

from eventsync.model import CellValue
from eventsync.sheets.xlsx.patch import patch_cells

FIRST = 5823713201


def book_of(path, rows: int = 8):
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Events")
    sheet.write_row(0, 0, ["objectId", "eventName", "eventLifecycle", "updatedAt", "syncError"])
    for n in range(rows):
        sheet.write_number(n + 1, 0, FIRST + n)
        sheet.write_string(n + 1, 1, f"Product Update {n + 1:02d}")
    book.close()
    return path


def archives(sandbox) -> list[dict]:
    return [r.body for r in sandbox.requests if r.path.endswith("/batch/archive")]


@pytest.mark.slow
def test_watch_deletes_a_marked_row_and_stops_at_a_filled_down_delete(workspace, watcher):
    book = book_of(workspace.sheets / "events.xlsx")
    assert workspace.run("sync").code == 0
    watch = watcher()

    one: dict[tuple[int, int], CellValue] = {(2, 3): "削除"}
    replace_file(book, lambda temp: patch_cells(book, temp, "Events", one))
    watch.wait_for(lambda: archives(workspace.sandbox), "the deletion")
    assert archives(workspace.sandbox) == [{"inputs": [{"objectId": str(FIRST)}]}]
    watch.wait_for(
        lambda: (read_rows(book)[0]["syncError"] or "").startswith("deleted in HubSpot by"),
        "the row saying so",
    )

    filled = {(row, 3): "Delete" for row in range(3, 10)}
    replace_file(book, lambda temp: patch_cells(book, temp, "Events", filled))
    watch.wait_for(
        lambda: any("marked Delete" in str(s.get("message")) for s in watch.syncs), "the guard"
    )
    [said] = [s for s in watch.syncs if "marked Delete" in str(s.get("message"))]
    assert said["exitCode"] == 2 and "7 rows are marked Delete" in said["message"]
    assert len(archives(workspace.sandbox)) == 1  # nothing more deleted
    assert len(workspace.sandbox.events) == 19
    assert watch.process.poll() is None  # still watching
