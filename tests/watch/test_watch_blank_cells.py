"""Issue 20, case 3, through `watch`: a sheet made with `eventsync template`, only
objectId and eventName filled, dropped into the watched folder, sends only eventName
for each row; and once its rows are synced, a later save still clears nothing."""

from __future__ import annotations

import shutil

import pytest
from helpers import read_rows, sent_inputs
from watch_process import replace_file

from eventsync.model import CellValue
from eventsync.sheets.xlsx.patch import patch_cells


@pytest.mark.slow
def test_a_template_sheet_dropped_into_the_watched_folder_sends_only_its_names(
    workspace, watcher, tmp_path_factory
):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0  # the events, synced once from another workbook
    shutil.move(book, tmp_path_factory.mktemp("archive") / "events.xlsx")
    hubspot_before = {k: dict(v) for k, v in workspace.sandbox.events.items()}
    before = len(workspace.sandbox.batch_update_requests())

    assert workspace.run("template", "new.xlsx").code == 0
    made = workspace.root / "new.xlsx"
    cells: dict[tuple[int, int], CellValue] = {
        (2, 1): 5823713201,
        (2, 2): "Renamed 01",
        (3, 1): 5823713202,
        (3, 2): "Renamed 02",
    }
    replace_file(made, lambda temp: patch_cells(made, temp, "Events", cells))
    watch = watcher()
    dropped = workspace.sheets / "new.xlsx"
    shutil.copy(made, dropped)

    watch.wait_for(lambda: watch.sheet_syncs("new.xlsx"), "the sync of the dropped sheet")
    assert watch.sheet_syncs("new.xlsx")[0]["sent"] == 2
    assert sent_inputs(workspace.sandbox, before) == [
        {"objectId": "5823713201", "eventName": "Renamed 01"},
        {"objectId": "5823713202", "eventName": "Renamed 02"},
    ]
    watch.wait_for(lambda: _annotated(dropped), "the results in the sheet")

    # A later save of the now-synced rows: only the edited cell goes out, no blank clears.
    edit = {(3, 2): "Renamed again"}
    replace_file(dropped, lambda temp: patch_cells(dropped, temp, "Events", edit))
    watch.wait_for(lambda: len(watch.sheet_syncs("new.xlsx")) == 2, "the sync of the edit")
    assert sent_inputs(workspace.sandbox, before)[2:] == [
        {"objectId": "5823713202", "eventName": "Renamed again"}
    ]
    for object_id in ("5823713201", "5823713202"):
        event, earlier = workspace.sandbox.events[object_id], hubspot_before[object_id]
        for field in ("eventType", "eventOrganizer", "eventUrl", "eventCancelled"):
            assert event[field] == earlier[field], (object_id, field)


def _annotated(path) -> bool:
    try:
        rows = read_rows(path)
    except Exception:  # noqa: BLE001 - mid-replace on a slow disk: not yet
        return False
    return len(rows) == 2 and all(row["updatedAt"] for row in rows)
