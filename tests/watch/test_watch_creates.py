"""Issue 25 through `watch`: new rows in a watched sheet become events once, and a later
save of a created row is an ordinary update by its objectId."""

from __future__ import annotations

import pytest
from helpers import TOKEN, read_rows, sent_inputs
from watch_process import replace_file

from eventsync.sandbox.external_ids import created_events
from eventsync.sandbox.sample import sample_events, sample_rows
from eventsync.sandbox.server import Sandbox
from eventsync.sheets.xlsx.patch import patch_cells


@pytest.fixture
def sandbox():
    with Sandbox(events=sample_events(2), token=TOKEN, custom_properties=["region"]) as server:
        yield server


def new_rows() -> list[list]:
    rows = sample_rows(2)
    start = rows[0][7]
    for name in ("Kyoto partner day", "Sendai user meetup"):
        rows.append(
            [None, name, "Webinar", "Marketing Japan", None, None, False, start, None, None]
        )
    return rows


@pytest.mark.slow
def test_watch_creates_new_rows_once_and_sends_a_later_edit_by_object_id(workspace, watcher):
    sandbox = workspace.sandbox
    watch = watcher()
    book = workspace.sample_workbook(rows=new_rows())
    watch.wait_for(lambda: len(created_events(sandbox)) == 2, "the two events created")
    watch.wait_for(lambda: _named(book), "the new ids in the sheet")
    made = {e["eventName"]: e["objectId"] for e in created_events(sandbox).values()}
    before = len(sandbox.batch_update_requests())
    syncs = len(watch.sheet_syncs("events.xlsx"))

    edit = {(4, 2): "Kyoto partner day (full)"}
    replace_file(book, lambda temp: patch_cells(book, temp, "Events", edit))
    watch.wait_for(lambda: sent_inputs(sandbox, before), "the edit of the created row", timeout=60)
    assert sent_inputs(sandbox, before) == [
        {"objectId": made["Kyoto partner day"], "eventName": "Kyoto partner day (full)"}
    ]
    watch.wait_for(lambda: len(watch.sheet_syncs("events.xlsx")) > syncs, "its sync's line")
    assert len(created_events(sandbox)) == 2
    upserts = [r for r in sandbox.requests if r.path.endswith("/events/upsert")]
    assert len(upserts) == 1


def _named(path) -> bool:
    try:
        rows = read_rows(path)
    except Exception:  # noqa: BLE001 - mid-replace on a slow disk: not yet
        return False
    return all(row["objectId"] and row["updatedAt"] for row in rows)
