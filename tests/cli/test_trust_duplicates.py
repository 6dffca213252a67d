"""Issue 13, case 1: the same events in two files of one run are sent from neither.

Sending both would make HubSpot flip between the two files' values on every sync.
"""

from __future__ import annotations

import shutil

import pytest
from helpers import Workspace, edit, read_rows

from eventsync.sheets.csv_file import read_csv


def sent_ids(workspace: Workspace, since: int = 0) -> list[object]:
    requests = workspace.sandbox.batch_update_requests()[since:]
    return [i["objectId"] for r in requests for i in r.body["inputs"]]


@pytest.mark.slow
def test_a_copy_of_the_workbook_sends_nothing_for_its_events_on_any_run(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    copy = workspace.sheets / "events - Copy.xlsx"
    shutil.copyfile(book, copy)
    edit(book, {(3, 2): "Name in the original"})
    edit(copy, {(3, 2): "Name in the copy"})
    before = len(workspace.sandbox.batch_update_requests())
    for _ in range(3):
        result = workspace.run("sync")
        assert result.code == 1, result.out
    assert sent_ids(workspace, before) == []
    assert workspace.sandbox.events["5823713202"]["eventName"] != "Name in the copy"
    assert read_rows(book)[1]["syncError"] == (
        "objectId: 5823713202 is also on events - Copy.xlsx row 3; keep each event in one"
        " file only (move the other copy out of the sheets folder)"
    )
    assert read_rows(copy)[1]["syncError"] == (
        "objectId: 5823713202 is also on events.xlsx row 3; keep each event in one"
        " file only (move the other copy out of the sheets folder)"
    )
    # Taking the copy away: the original syncs again.
    copy.unlink()
    assert workspace.run("sync").code == 0
    assert workspace.sandbox.events["5823713202"]["eventName"] == "Name in the original"


def test_an_xlsx_and_a_csv_export_of_it_never_reach_hubspot_from_either(workspace):
    workspace.sample_workbook()
    csv_path = workspace.csv_sheet(
        "events.csv",
        [
            ["objectId", "eventName"],
            ["5823713299", "Only in the CSV"],  # not in the workbook: still fine
            ["5823713205", "From the CSV"],
        ],
    )
    before = len(workspace.sandbox.batch_update_requests())
    result = workspace.run("sync")  # the very first run already
    assert result.code == 1, result.out
    assert "5823713205" not in sent_ids(workspace, before)
    assert "5823713201" in sent_ids(workspace, before)  # the other events still sync
    rows = read_csv(csv_path).rows
    error_column = rows[0].index("syncError")
    assert rows[2][error_column] == (  # row 3 as the user sees it
        "objectId: 5823713205 is also on events.xlsx row 6; keep each event in one"
        " file only (move the other copy out of the sheets folder)"
    )
    assert read_rows(workspace.sheets / "events.xlsx")[4]["syncError"].startswith(
        "objectId: 5823713205 is also on events.csv row 3;"
    )
