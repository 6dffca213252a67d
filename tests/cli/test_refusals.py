"""Every refusal comes before the first request, and a formula is never overwritten.

A workbook the writer could not annotate safely (a formula where a result goes, XML the
splicer cannot take) stops `sync` with exit 2 and a message naming the file and the
cell, and HubSpot receives nothing. A two-way value for a formula cell keeps the cell
and the row says why. Workbooks are built the way Excel writes these features: shared
formulas filled down a column, a formula with its cached result.
"""

from __future__ import annotations

import re

import pytest
from helpers import read_rows
from helpers.workbooks import SHEET, rewrite

from eventsync.sheets.csv_file import read_csv

SYNC_ERROR_COLUMN = "L"  # the sample workbook's last column


def put_cells(row_xml: dict[int, str]):
    """A sheet-XML rewrite that appends a cell to rows (the sample's last column is L,
    so appending keeps the cells in column order, as the format requires)."""

    def change(xml: bytes) -> bytes:
        text = xml.decode("utf-8")
        for row_number, cell in row_xml.items():
            pattern = re.compile(rf'(<row r="{row_number}"[^>]*>.*?)(</row>)', re.S)
            text, count = pattern.subn(lambda m: m.group(1) + cell + m.group(2), text)  # noqa: B023
            assert count == 1, row_number
        return text.encode("utf-8")

    return change


def fill_down_formula(book, first: int, last: int) -> None:
    """Excel's fill-down: a shared formula whose master is the first cell."""
    column = SYNC_ERROR_COLUMN
    cells = {
        first: f'<c r="{column}{first}" t="str"><f t="shared" ref="{column}{first}:{column}{last}"'
        f' si="0">A{first}&amp;""</f><v>{first}</v></c>'
    }
    for row in range(first + 1, last + 1):
        cells[row] = f'<c r="{column}{row}" t="str"><f t="shared" si="0"/><v>{row}</v></c>'
    rewrite(book, SHEET, put_cells(cells))


def synced_sample(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    return book


def replace_cell(book, ref: str, cell: str) -> None:
    """Put `cell` (its XML) in place of the sheet's existing cell `ref`."""

    def change(xml: bytes) -> bytes:
        pattern = re.compile(rf'<c r="{ref}"[^>]*>.*?</c>', re.S)
        text, count = pattern.subn(lambda m: cell, xml.decode("utf-8"))
        assert count == 1, ref
        return text.encode("utf-8")

    rewrite(book, SHEET, change)


def test_a_shared_formula_where_sync_error_goes_stops_the_run_before_sending(workspace):
    book = workspace.sample_workbook()
    fill_down_formula(book, 2, 21)
    before = book.read_bytes()
    result = workspace.run("sync")
    assert result.code == 2, (result.out, result.err)
    assert "events.xlsx" in result.err and f"{SYNC_ERROR_COLUMN}2" in result.err, result.err
    assert workspace.sandbox.batch_update_requests() == []
    assert book.read_bytes() == before
    # plan says the same, since it is sync without the send
    planned = workspace.run("plan")
    assert planned.code == 2 and f"{SYNC_ERROR_COLUMN}2" in planned.err


def test_an_xml_comment_in_the_sheet_data_stops_the_run_before_sending(workspace):
    book = workspace.sample_workbook()

    def comment(xml: bytes) -> bytes:
        return xml.replace(b"<sheetData>", b"<sheetData><!-- kept by a script -->", 1)

    rewrite(book, SHEET, comment)
    result = workspace.run("sync")
    assert result.code == 2, (result.out, result.err)
    assert "events.xlsx" in result.err and "comment" in result.err.lower(), result.err
    assert workspace.sandbox.batch_update_requests() == []


@pytest.mark.slow
def test_a_two_way_value_for_a_formula_cell_keeps_the_formula_and_the_row_explains(workspace):
    book = synced_sample(workspace)
    # C4 (eventType of row 4) becomes a formula showing the same value, as Excel saves it.
    shown = read_rows(book)[2]["eventType"]
    replace_cell(book, "C4", f'<c r="C4" t="str"><f>"{shown}"&amp;""</f><v>{shown}</v></c>')
    object_id = str(read_rows(book)[2]["objectId"])
    workspace.sandbox.edit_event(object_id, eventType="Conference")
    before = len(workspace.sandbox.batch_update_requests())

    result = workspace.run("sync", "--two-way")
    assert result.code == 1, (result.out, result.err)
    assert "bug" not in result.err
    row = read_rows(book)[2]
    assert "formula" in row["syncError"] and "Conference" in row["syncError"]
    assert b'<c r="C4" t="str"><f>' in _sheet_xml(book)
    assert workspace.sandbox.batch_update_requests()[before:] == []
    assert workspace.sandbox.events[object_id]["eventType"] == "Conference"


def _sheet_xml(book) -> bytes:
    import zipfile

    with zipfile.ZipFile(book) as zf:
        return zf.read(SHEET)


def test_two_way_sync_lists_events_only_hubspot_has(workspace):
    workspace.csv_sheet("events.csv", [["objectId", "eventName"], ["5823713201", "A"]])
    result = workspace.run("sync", "--two-way")
    assert result.code == 0, result.out
    assert "19 events are in HubSpot but not in this sheet" in result.out
    assert "--add-new" in result.out


def test_add_new_never_appends_an_event_whose_row_is_in_the_sheet_even_if_invalid(workspace):
    # Row 3 names event 5823713202 with a float id (as Excel stores numbers) and a date
    # that cannot be read: the row is invalid, but the event is in the sheet.
    path = workspace.csv_sheet(
        "events.csv",
        [
            ["objectId", "eventName", "startDateTime"],
            ["5823713201", "A", "2026-04-06 10:00"],
            ["5823713202.0", "B", "not a date"],
        ],
    )
    result = workspace.run("sync", "--two-way", "--add-new")
    assert result.code == 1, result.out
    assert "appended 18 events from HubSpot as new rows" in result.out
    ids = [row[0] for row in read_csv(path).rows[1:]]
    assert len(ids) == 20 and "5823713202" not in ids and ids[1] == "5823713202.0"
