"""A sync writes only the annotation cells whose text changes: after one edit in a
synced sheet, the edited row's updatedAt, and nothing in the other rows."""

from __future__ import annotations

import json

import pytest
from helpers import edit, read_rows


@pytest.mark.slow
def test_after_one_edit_only_that_rows_annotation_is_written(workspace):
    book = workspace.sample_workbook()
    first = json.loads(workspace.run("sync", "--json").out)
    assert first["sheets"][0]["cellsWritten"] >= 20  # every row's updatedAt, at first
    before = read_rows(book)

    edit(book, {(5, 2): "Renamed in Excel"})
    second = json.loads(workspace.run("sync", "--json").out)
    [sheet] = second["sheets"]
    assert (sheet["sent"], sheet["updated"]) == (1, 1)
    assert sheet["cellsWritten"] == 1  # row 5's updatedAt: its syncError stays empty
    after = read_rows(book)
    assert after[3]["updatedAt"] != before[3]["updatedAt"]
    assert [row["updatedAt"] for i, row in enumerate(after) if i != 3] == [
        row["updatedAt"] for i, row in enumerate(before) if i != 3
    ]


@pytest.mark.slow
def test_a_stale_error_is_still_cleared_when_the_row_is_in_sync(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    header = list(read_rows(book)[0])
    edit(book, {(3, header.index("syncError") + 1): "an old error the user left"})
    result = json.loads(workspace.run("sync", "--json").out)
    assert result["sheets"][0]["cellsWritten"] == 1
    assert read_rows(book)[1]["syncError"] is None
