"""The sheet's shape as people keep it: title rows above the header, notes and formulas
beside the table, hidden sheets before the events, Excel 4 macro and dialog sheets,
LibreOffice's lock file and its .ods files.

Workbooks are built with xlsxwriter/openpyxl the way Excel and LibreOffice write these
features; the macro and dialog sheets (which neither library writes) are added by
rewriting the package as Excel lays them out (tests/helpers/sheet_kinds.py).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from helpers import read_rows
from helpers.sheet_kinds import add_dialog_sheet, add_macro_sheet
from helpers.workbooks import SHEET, assert_members_kept, assert_sheet_kept, rewrite

from eventsync.errors import SheetError, WorkbookOpenError
from eventsync.model import Annotation
from eventsync.sheets.folder import find_sheets, open_by
from eventsync.sheets.reader import read_sheet
from eventsync.sheets.writer import annotate, annotation_columns, check_not_open, check_writable

STAMP = "2026-04-01T09:30:00Z"


def titled_book(path: Path, *, header=("イベントID", "イベント名", "メモ"), build=None) -> Path:
    """As Excel users lay out a list: a title merged across the table (A1:E1), an
    "updated by" line, a blank row, the header in row 4, events in rows 5-7."""
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Events")
    title = wb.add_format({"bold": True, "font_size": 16, "align": "center"})
    ws.merge_range("A1:E1", "2026年 春のイベント一覧", title)
    ws.write("A2", "更新: 営業企画部 山田")
    ws.write_row(3, 0, list(header), wb.add_format({"bold": True, "bg_color": "#DDEBF7"}))
    ws.write_row(4, 0, [5823713201, "春の新製品発表会", "東京"])
    ws.write_row(5, 0, [5823713202, "パートナー会議"])
    ws.write_row(6, 0, [5823713203, "ウェビナー", "録画あり"])
    ws.autofilter("A4:C7")
    if build is not None:
        build(wb, ws)
    wb.close()
    return path


# -- title rows above the header -------------------------------------------------------


def test_the_header_is_the_first_row_with_an_object_id_column(tmp_path):
    sheet = read_sheet(titled_book(tmp_path / "events.xlsx"))
    assert sheet.header_row == 4
    assert sheet.column_label("objectId") == "イベントID"
    assert [row.row_number for row in sheet.rows] == [5, 6, 7]  # as Excel shows them
    assert sheet.rows[0].cells["eventName"] == "春の新製品発表会"


def test_annotations_go_in_the_header_row_and_the_title_rows_stay_as_they_were(tmp_path):
    path = titled_book(tmp_path / "events.xlsx")
    before = path.read_bytes()
    sheet = read_sheet(path)
    annotate(sheet, {5: Annotation(STAMP, ""), 6: Annotation(None, "エラー")}, tmp_path / "state")
    written = {(4, 4): "更新日時", (4, 5): "同期エラー", (5, 4): STAMP, (6, 5): "エラー"}
    original = tmp_path / "before.xlsx"
    original.write_bytes(before)
    assert_members_kept(original, path)
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(path) as b:
        assert_sheet_kept(a.read(SHEET), b.read(SHEET), written)  # rows 1-3 byte for byte
    again = read_sheet(path)
    assert again.header_row == 4 and again.headers["syncError"].column_number == 5
    assert again.rows[1].cells["syncError"] == "エラー"


def test_a_merged_title_is_fine_but_a_merge_over_the_header_or_event_cells_is_not(tmp_path):
    assert read_sheet(titled_book(tmp_path / "title.xlsx")).header_row == 4  # A1:E1 merged
    header = titled_book(
        tmp_path / "header.xlsx", build=lambda wb, ws: ws.merge_range("B4:C4", "イベント名")
    )
    with pytest.raises(SheetError, match=r"row 4: header cells B4:C4 are merged"):
        read_sheet(header)
    events = titled_book(
        tmp_path / "events.xlsx", build=lambda wb, ws: ws.merge_range("B8:B9", "未定")
    )
    with pytest.raises(SheetError, match=r"cells B8:B9 are merged across the events table"):
        read_sheet(events)
    # ... while a merge in the user's own column (メモ) below the header is theirs.
    notes = titled_book(tmp_path / "notes.xlsx", build=lambda wb, ws: ws.merge_range("C6:C7", "x"))
    assert [row.row_number for row in read_sheet(notes).rows] == [5, 6, 7]


def test_a_header_below_row_20_is_not_looked_for(tmp_path):
    path = tmp_path / "events.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Events")
    ws.write("A1", "Events")
    ws.write_row(20, 0, ["objectId", "eventName"])  # row 21
    wb.close()
    with pytest.raises(SheetError, match=r"row 1: no objectId column.*within rows 1-20"):
        read_sheet(path)


def test_a_csv_with_title_rows_is_annotated_in_its_header_row(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(b"Spring events,,\r\n,,\r\nobjectId,eventName,memo\r\n101,Expo,a\r\n")
    sheet = read_sheet(path)
    assert (sheet.header_row, [row.row_number for row in sheet.rows]) == (3, [4])
    annotate(sheet, {4: Annotation(STAMP, "")}, tmp_path / "state")
    assert path.read_bytes() == (
        b"Spring events,,\r\n,,\r\nobjectId,eventName,memo,updatedAt,syncError\r\n"
        b"101,Expo,a,2026-04-01T09:30:00Z\r\n"
    )


# -- notes beside the table ------------------------------------------------------------


def beside_book(path: Path) -> Path:
    """objectId, eventName, memo in A-C; without a header: a note in D6, a formula in E3
    (a total, as users put beside a table), nothing in F and beyond."""
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Events")
    ws.write_row(0, 0, ["objectId", "eventName", "memo"])
    ws.write_row(1, 0, [101, "Expo", "a"])
    ws.write_row(2, 0, [102, "Forum"])
    ws.write_formula("E3", "=COUNT(A2:A10)", None, 2)
    ws.write_row(3, 0, [103, "Gala"])
    ws.write("D6", "ask Ann about the budget")
    wb.close()
    return path


def test_new_annotation_columns_skip_notes_and_formulas_beside_the_table(tmp_path):
    path = beside_book(tmp_path / "events.xlsx")
    sheet = read_sheet(path)
    assert sheet.occupied_columns == {4, 5}
    assert annotation_columns(sheet) == {"updatedAt": 6, "syncError": 7}
    check_writable(sheet, {2: Annotation(STAMP, "x"), 3: Annotation(STAMP, "y")})
    annotate(sheet, {3: Annotation(STAMP, "y")}, tmp_path / "state")
    [first, second, *_] = read_rows(path)
    assert second["updatedAt"] == STAMP and second["syncError"] == "y"
    book = openpyxl.load_workbook(path)["Events"]
    assert book["D6"].value == "ask Ann about the budget"
    assert book["E3"].value == "=COUNT(A2:A10)"
    assert (book["F1"].value, book["G1"].value) == ("updatedAt", "syncError")


def test_a_column_holding_anything_in_any_row_is_skipped_but_one_only_above_is_free(tmp_path):
    path = tmp_path / "events.csv"
    # D holds a note in row 1 only (the header row); E in a row with no event; F above
    # nothing, so it is free; G is the next free one.
    path.write_bytes(b"objectId,eventName,,note\r\n101,Expo\r\n,,,,later\r\n")
    sheet = read_sheet(path)
    assert sheet.last_column == 4 and sheet.occupied_columns == {5}
    assert annotation_columns(sheet) == {"updatedAt": 6, "syncError": 7}


# -- which sheet ---------------------------------------------------------------------------


def test_hidden_and_very_hidden_sheets_are_passed_over_for_the_first_visible_one(tmp_path):
    path = tmp_path / "events.xlsx"
    wb = openpyxl.Workbook()
    lookup = wb.active
    lookup.title = "Lists"
    lookup.append(["objectId", "eventName"])  # looks like events, but hidden
    lookup.append([1, "template row"])
    lookup.sheet_state = "hidden"
    old = wb.create_sheet("Archive")
    old.append(["objectId"])
    old.sheet_state = "veryHidden"
    q2 = wb.create_sheet("Q2 events")
    q2.append(["objectId", "eventName"])
    q2.append([5823713201, "Expo"])
    wb.active = 2
    wb.save(path)
    sheet = read_sheet(path)
    assert sheet.sheet_name == "Q2 events"
    assert [row.cells["eventName"] for row in sheet.rows] == ["Expo"]


def test_a_sheet_named_events_in_japanese_is_read_wherever_it_is(tmp_path):
    path = tmp_path / "events.xlsx"
    wb = xlsxwriter.Workbook(path)
    wb.add_worksheet("表紙").write("A1", "表紙")
    events = wb.add_worksheet("イベント")
    events.write_row(0, 0, ["イベントID", "イベント名"])
    events.write_row(1, 0, [5823713201, "発表会"])
    wb.close()
    assert read_sheet(path).sheet_name == "イベント"


def test_a_workbook_whose_worksheets_are_all_hidden_says_what_to_do(tmp_path):
    path = tmp_path / "events.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Data"
    wb.active.append(["objectId"])
    wb.save(path)  # openpyxl refuses to hide a workbook's only worksheet; Excel does not
    rewrite(
        path,
        "xl/workbook.xml",
        lambda xml: xml.replace(b'state="visible"', b'state="hidden"'),
    )
    add_dialog_sheet(path, first=True)  # the only visible sheet holds no cells
    with pytest.raises(SheetError, match=r"events.xlsx has no visible worksheet; unhide"):
        read_sheet(path)


# -- Excel 4 macro sheets and dialog sheets ------------------------------------------------


@pytest.mark.parametrize("add", [add_macro_sheet, add_dialog_sheet], ids=["macro", "dialog"])
def test_workbooks_with_macro_or_dialog_sheets_are_read_and_patched_byte_exact(tmp_path, add):
    path = tmp_path / "events.xlsm"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Events")
    ws.write_row(0, 0, ["objectId", "eventName"])
    ws.write_row(1, 0, [5823713201, "Expo"])
    wb.close()
    add(path, first=True)
    original = tmp_path / "original.xlsm"
    original.write_bytes(path.read_bytes())
    sheet = read_sheet(path)
    assert sheet.sheet_name == "Events" and len(sheet.rows) == 1
    annotate(sheet, {2: Annotation(STAMP, "")}, tmp_path / "state")
    assert_members_kept(original, path)  # the macro / dialog sheet part included
    assert read_sheet(path).rows[0].cells["updatedAt"] == STAMP


def test_a_macro_sheet_first_and_no_events_sheet_reads_the_first_worksheet(tmp_path):
    path = tmp_path / "events.xlsm"
    wb = xlsxwriter.Workbook(path)
    wb.add_worksheet("Plan").write_row(0, 0, ["objectId", "eventName"])
    wb.close()
    add_macro_sheet(path, first=True)
    add_dialog_sheet(path, first=True)
    assert read_sheet(path).sheet_name == "Plan"


# -- LibreOffice ---------------------------------------------------------------------------


def test_a_libreoffice_lock_file_means_the_workbook_is_open(tmp_path):
    path = titled_book(tmp_path / "events.xlsx")
    before = path.read_bytes()
    lock = tmp_path / ".~lock.events.xlsx#"
    # What LibreOffice 7.4 writes into it: user, host, user, date, profile URL.
    lock.write_text(",Yamada Hanako,pc-042,Yamada Hanako,06.04.2026 10:00,file:///home/h/.config;")
    assert open_by(path) == "LibreOffice"
    with pytest.raises(WorkbookOpenError, match=r"events.xlsx is open in LibreOffice.*2 results"):
        check_not_open(path, 2)
    with pytest.raises(WorkbookOpenError, match="open in LibreOffice"):
        annotate(read_sheet(path), {5: Annotation(STAMP, "")}, tmp_path / "state")
    assert path.read_bytes() == before
    lock.unlink()
    (tmp_path / "~$events.xlsx").write_bytes(b"\x0dYamada")
    assert open_by(path) == "Excel"


def test_an_ods_in_the_sheets_folder_is_named_and_the_others_still_sync(tmp_path):
    folder = tmp_path / "sheets"
    folder.mkdir()
    (folder / "events.csv").write_text("objectId\n1\n")
    (folder / "budget.ods").write_bytes(b"PK\x03\x04")
    (folder / ".~lock.events.csv#").write_text(",me,pc,me,now,url;")
    warnings: list[str] = []
    found = find_sheets([], folder, tmp_path, warn=warnings.append)
    assert found == [folder / "events.csv"]
    [warning] = warnings
    assert warning.startswith("skipped budget.ods: it is an OpenDocument spreadsheet")
    assert "save it as .xlsx" in warning and "other sheets sync" in warning
    (folder / "events.csv").unlink()
    with pytest.raises(SheetError, match=r"no \.xlsx.*budget\.ods: it is an OpenDocument"):
        find_sheets([], folder, tmp_path)
