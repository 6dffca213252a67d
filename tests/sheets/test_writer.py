"""The annotate stage: which cells change, and what happens to the user's file.

Sheets are tiny files read back with the real reader, so the writer sees exactly what a
run hands it. Nothing here touches the network."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from openpyxl import load_workbook

from eventsync.errors import UnsupportedWorkbookError, WorkbookOpenError
from eventsync.model import Annotation
from eventsync.sheets.backups import BACKUPS_KEPT, backup_dir
from eventsync.sheets.reader import read_sheet
from eventsync.sheets.writer import (
    MAX_NOTE_CHARS,
    annotate,
    check_writable,
    plan_cells,
)

STAMP = "2026-05-01T10:00:00.123Z"
LATER = "2026-05-02T08:30:00.456Z"
SHEET_XML = "xl/worksheets/sheet1.xml"


def csv_file(folder: Path, text: str, name: str = "events.csv") -> Path:
    path = folder / name
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    return path


def xlsx_file(folder: Path, rows: list[list], name: str = "events.xlsx") -> Path:
    path = folder / name
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Events")
    for number, row in enumerate(rows):
        sheet.write_row(number, 0, row)
    book.close()
    return path


def listing(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes: a write anywhere shows up here."""
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# -- plan_cells -----------------------------------------------------------------------------


def test_only_cells_whose_text_changes_are_written(tmp_path):
    sheet = read_sheet(
        csv_file(
            tmp_path,
            "objectId,eventName,updatedAt,syncError\n"
            f"101,Expo,{STAMP},\n"
            "102,Meetup,,old error\n"
            f"103,Gala,{STAMP},\n",
        )
    )
    cells = plan_cells(
        sheet,
        {
            2: Annotation(STAMP, ""),  # as it is: nothing to write
            3: Annotation(LATER, ""),  # synced now: stamp in, old error cleared
            4: Annotation(None, "HubSpot: rejected"),  # failed: its updatedAt is left
        },
    )
    assert cells == {(3, 3): LATER, (3, 4): None, (4, 4): "HubSpot: rejected"}


def test_an_unchanged_result_adds_no_annotation_columns(tmp_path):
    sheet = read_sheet(csv_file(tmp_path, "objectId,eventName\n101,Expo\n"))
    assert plan_cells(sheet, {2: Annotation(None, "")}) == {}


def test_missing_annotation_columns_are_added_after_the_users_last_column(tmp_path):
    sheet = read_sheet(csv_file(tmp_path, "objectId,eventName,my notes\n101,Expo,call Ken\n"))
    cells = plan_cells(sheet, {2: Annotation(STAMP, "")})
    assert cells == {(1, 4): "updatedAt", (1, 5): "syncError", (2, 4): STAMP}


def test_an_existing_annotation_column_is_reused_and_only_the_missing_one_added(tmp_path):
    sheet = read_sheet(csv_file(tmp_path, "objectId,syncError,eventName,notes\n101,old,Expo,x\n"))
    cells = plan_cells(sheet, {2: Annotation(STAMP, "")})
    assert cells == {(1, 5): "updatedAt", (2, 5): STAMP, (2, 2): None}


def test_a_sheet_headed_in_japanese_gets_japanese_annotation_headers(tmp_path):
    sheet = read_sheet(csv_file(tmp_path, "イベントID,イベント名\n101,展示会\n"))
    cells = plan_cells(sheet, {2: Annotation(STAMP, "HubSpot: rejected")})
    assert cells == {
        (1, 3): "更新日時",
        (1, 4): "同期エラー",
        (2, 3): STAMP,
        (2, 4): "HubSpot: rejected",
    }


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)"])
def test_formula_looking_error_text_is_escaped_in_a_csv_only(tmp_path, text):
    csv_sheet = read_sheet(csv_file(tmp_path, "objectId,eventName\n101,Expo\n"))
    assert plan_cells(csv_sheet, {2: Annotation(None, text)})[(2, 4)] == "'" + text
    # An xlsx cell is written as an inline string, never a formula: no quote needed.
    book = read_sheet(xlsx_file(tmp_path, [["objectId", "eventName"], [101, "Expo"]]))
    assert plan_cells(book, {2: Annotation(None, text)})[(2, 4)] == text


def test_an_escaped_error_already_in_the_csv_is_not_written_again(tmp_path):
    sheet = read_sheet(csv_file(tmp_path, "objectId,eventName,syncError\n101,Expo,'=1+1\n"))
    assert plan_cells(sheet, {2: Annotation(None, "=1+1")}) == {}


def test_a_very_long_message_is_cut_to_fit_a_cell(tmp_path):
    sheet = read_sheet(csv_file(tmp_path, "objectId,eventName\n101,Expo\n"))
    cells = plan_cells(sheet, {2: Annotation(None, "x" * (MAX_NOTE_CHARS * 3))})
    assert cells[(2, 4)] == "x" * MAX_NOTE_CHARS


# -- annotate -------------------------------------------------------------------------------


def test_nothing_to_change_leaves_the_file_byte_identical_and_makes_no_backup(tmp_path):
    path = csv_file(tmp_path, f"objectId,eventName,updatedAt,syncError\n101,Expo,{STAMP},\n")
    state = tmp_path / ".eventsync"
    before = listing(tmp_path)
    assert annotate(read_sheet(path), {2: Annotation(STAMP, "")}, state).cells == 0
    assert listing(tmp_path) == before
    assert not state.exists()


def test_annotate_writes_the_cells_and_keeps_the_previous_version_as_a_backup(tmp_path):
    original = "objectId,eventName,notes\n101,Expo,mine\n102,Gala,\n"
    path = csv_file(tmp_path, original)
    state = tmp_path / ".eventsync"
    written = annotate(
        read_sheet(path), {2: Annotation(STAMP, ""), 3: Annotation(None, "bad")}, state
    )
    assert written.cells == 4  # two headers, row 2's updatedAt, row 3's syncError
    assert path.read_bytes().decode("utf-8") == (
        "objectId,eventName,notes,updatedAt,syncError\r\n"
        f"101,Expo,mine,{STAMP}\r\n"  # padded only as far as the written cell
        "102,Gala,,,bad\r\n"
    )
    [backup] = backup_dir(state, path).iterdir()
    assert backup.name.endswith("-events.csv")
    assert backup.read_bytes() == original.replace("\n", "\r\n").encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".eventsync", "events.csv"]  # no temp


def test_at_most_five_backups_are_kept_the_newest_from_just_before_the_last_write(tmp_path):
    path = csv_file(tmp_path, "objectId,eventName\n101,Expo\n")
    state = tmp_path / ".eventsync"
    versions = []
    for n in range(BACKUPS_KEPT + 2):
        versions.append(path.read_bytes())
        assert annotate(read_sheet(path), {2: Annotation(None, f"error {n}")}, state).cells >= 1
    backups = sorted(backup_dir(state, path).iterdir())
    assert BACKUPS_KEPT == 5 and len(backups) == 5
    # The oldest two went; what is left is the last five versions before each write.
    assert [b.read_bytes() for b in backups] == versions[-5:]
    assert b"error 6" in path.read_bytes()


def test_an_open_workbook_is_refused_and_nothing_is_written(tmp_path):
    path = xlsx_file(tmp_path, [["objectId", "eventName"], [101, "Expo"], [102, "Gala"]])
    (tmp_path / "~$events.xlsx").write_bytes(b"owner")
    state = tmp_path / ".eventsync"
    before = listing(tmp_path)
    notes = {2: Annotation(STAMP, ""), 3: Annotation(LATER, "")}
    with pytest.raises(WorkbookOpenError) as refused:
        annotate(read_sheet(path), notes, state)
    assert str(refused.value) == (
        "events.xlsx is open in Excel; close it and run eventsync sync again: 2 results are waiting"
    )
    assert refused.value.exit_code == 1
    assert listing(tmp_path) == before  # no write, no backup, no temp file

    (tmp_path / "~$events.xlsx").unlink()  # Excel closed: the results go in
    assert annotate(read_sheet(path), notes, state).cells == 4  # 2 headers, 2 stamps
    rows = list(load_workbook(path)["Events"].iter_rows(values_only=True))
    assert rows == [
        ("objectId", "eventName", "updatedAt", "syncError"),
        (101, "Expo", STAMP, None),
        (102, "Gala", LATER, None),
    ]


def test_the_lock_file_of_another_workbook_does_not_block(tmp_path):
    path = xlsx_file(tmp_path, [["objectId", "eventName"], [101, "Expo"]])
    (tmp_path / "~$other.xlsx").write_bytes(b"owner")
    assert (
        annotate(read_sheet(path), {2: Annotation(STAMP, "")}, tmp_path / ".eventsync").cells == 3
    )


# -- check_writable -------------------------------------------------------------------------


def shared_formula_book(folder: Path) -> Path:
    """syncError column C holds a shared formula whose master is C3 (ref C3:C4)."""
    path = xlsx_file(folder, [["objectId", "eventName", "syncError"], [101, "Expo"], [102, "Gala"]])
    with zipfile.ZipFile(path) as zf:
        members = {info.filename: zf.read(info) for info in zf.infolist()}
    sheet = members[SHEET_XML]
    sheet = re.sub(
        rb'(<c r="B3"[^>]*>.*?</c>)',
        rb'\1<c r="C3" t="str"><f t="shared" ref="C3:C4" si="0">A3&amp;""</f><v>102</v></c>',
        sheet,
    )
    assert b'<f t="shared"' in sheet
    members[SHEET_XML] = sheet
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_check_writable_passes_a_writable_sheet_and_writes_nothing(tmp_path):
    path = xlsx_file(tmp_path, [["objectId", "eventName"], [101, "Expo"]])
    before = listing(tmp_path)
    sheet = read_sheet(path)
    check_writable(sheet, {2: Annotation(STAMP, "HubSpot: rejected")}, {(2, 2): "Expo 2"})
    assert listing(tmp_path) == before


def test_check_writable_refuses_what_annotate_would_refuse_and_writes_nothing(tmp_path):
    """Checked before the first request, so a refusal never follows a send."""
    path = shared_formula_book(tmp_path)
    sheet = read_sheet(path)
    notes = {3: Annotation(None, "HubSpot: rejected")}
    before = listing(tmp_path)
    with pytest.raises(UnsupportedWorkbookError, match=r"events\.xlsx, sheet .*cell C3\b.*formula"):
        check_writable(sheet, notes)
    assert listing(tmp_path) == before
    with pytest.raises(UnsupportedWorkbookError, match=r"cell C3\b"):
        annotate(sheet, notes, tmp_path / ".eventsync")
    assert (tmp_path / "events.xlsx").read_bytes() == before["events.xlsx"]
    # Row 2's cell holds no formula: that write is fine.
    check_writable(sheet, {2: Annotation(None, "HubSpot: rejected")})


def test_check_writable_refuses_a_formula_where_a_result_would_go(tmp_path):
    """The user's formula in the syncError column is theirs: never replaced by a result."""
    path = tmp_path / "events.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Events")
    sheet.write_row(0, 0, ["objectId", "eventName", "syncError"])
    sheet.write_row(1, 0, [101, "Expo"])
    sheet.write_formula("C2", '=IF(A2>0,"","id?")', None, "")
    book.close()
    before = listing(tmp_path)
    with pytest.raises(UnsupportedWorkbookError, match=r"cell C2\b.*formula"):
        check_writable(read_sheet(path), {2: Annotation(None, "HubSpot: rejected")})
    assert listing(tmp_path) == before


def test_check_writable_also_checks_two_way_values(tmp_path):
    path = shared_formula_book(tmp_path)
    sheet = read_sheet(path)
    with pytest.raises(UnsupportedWorkbookError, match="cell C3"):
        check_writable(sheet, {}, {(3, 3): "from HubSpot"})
