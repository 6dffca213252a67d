"""The user's workbook comes back exactly as they left it, plus the annotations.

End to end: `eventsync sync` against the sandbox on workbooks saved by LibreOffice
(committed in fixtures/xlsx) and built by xlsxwriter and openpyxl with the features
of ../shared/xlsx-writeback.md. After each sync: every other zip member is identical,
the sheet XML is identical outside the written cells, and python-calamine reads the
same values plus the annotations HubSpot's answers call for. Syncing again after an
edit changes the annotation values without the sheet growing.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import cast

import openpyxl
import pytest
from helpers.workbooks import (
    assert_members_kept,
    assert_sheet_kept,
    calamine_values,
    expected_values,
    kitchen_sink,
    openpyxl_book,
    rewrite,
    simple_book,
    table_book,
    with_prefix,
)

from eventsync.sheets.reader import read_sheet
from eventsync.sheets.xlsx.parts import find_sheet_part, find_workbook_part
from eventsync.sheets.xlsx.patch import patch_cells

FIXTURES = Path(__file__).parent / "fixtures" / "xlsx"
SANDBOX_IDS = 5823713200  # + n is the sandbox's sample event n

pytestmark = pytest.mark.filterwarnings("ignore:.*is not supported:UserWarning")


def libreoffice(name: str):
    return lambda path: shutil.copyfile(FIXTURES / name, path)


def kitchen_sink_xlsm(path: Path) -> Path:
    vba = path.with_name("vbaProject.bin")
    vba.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000))
    return kitchen_sink(path, vba=vba, base_id=SANDBOX_IDS, name_header="eventName")


def prefixed(path: Path) -> Path:
    simple_book(path, base_id=SANDBOX_IDS, name_header="eventName")
    return rewrite(path, "xl/worksheets/sheet1.xml", with_prefix)


WORKBOOKS = {
    "libreoffice-features": ("events.xlsx", libreoffice("libreoffice-features.xlsx")),
    "libreoffice-japanese": ("events.xlsx", libreoffice("libreoffice-japanese-from-csv.xlsx")),
    "xlsxwriter-kitchen-sink": (
        "events.xlsx",
        lambda p: kitchen_sink(p, base_id=SANDBOX_IDS, name_header="eventName"),
    ),
    "xlsxwriter-kitchen-sink-xlsm": ("events.xlsm", kitchen_sink_xlsm),
    "xlsxwriter-table": ("events.xlsx", lambda p: table_book(p, base_id=SANDBOX_IDS)),
    "openpyxl": ("events.xlsx", lambda p: openpyxl_book(p, base_id=SANDBOX_IDS)),
    "prefixed-namespace": ("events.xlsx", prefixed),
}


def sheet_part(path: Path, sheet_name: str) -> str:
    with zipfile.ZipFile(path) as zf:
        return find_sheet_part(zf, find_workbook_part(path), sheet_name, path.name)


def expected_annotations(before: Path, sandbox, changed_rows=None) -> dict:
    """The cells a sync should write: header cells for new annotation columns, and
    HubSpot's updatedAt on each event row (or on `changed_rows` only)."""
    sheet = read_sheet(before)
    japanese = not sheet.column_label("objectId").isascii()
    cells, column = {}, sheet.last_column
    for name, ja in (("updatedAt", "更新日時"), ("syncError", "同期エラー")):
        header = sheet.headers.get(name)
        if header is None:
            column += 1
            cells[(1, column)] = ja if japanese else name
    updated = (
        sheet.headers["updatedAt"].column_number
        if "updatedAt" in sheet.headers
        else (sheet.last_column + 1)
    )
    events = sandbox.events
    for row in sheet.rows:
        if changed_rows is None or row.row_number in changed_rows:
            object_id = str(int(cast(float, row.cells["objectId"])))
            cells[(row.row_number, updated)] = events[object_id]["updatedAt"]
    return cells if changed_rows is None else {k: v for k, v in cells.items() if k[0] > 1}


def assert_only_annotations_changed(before: Path, after: Path, cells: dict) -> None:
    sheet_name = read_sheet(before).sheet_name
    assert sheet_name is not None  # an xlsx sheet has a name
    part = sheet_part(before, sheet_name)
    assert_members_kept(before, after, changed=(part,))
    with zipfile.ZipFile(before) as a, zipfile.ZipFile(after) as b:
        assert_sheet_kept(a.read(part), b.read(part), cells)
    assert calamine_values(after) == expected_values(calamine_values(before), sheet_name, cells)


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(WORKBOOKS))
def test_sync_changes_only_the_annotation_cells(workspace, tmp_path, case):
    name, build = WORKBOOKS[case]
    book = workspace.sheets / name
    build(book)
    original = tmp_path / ("original" + book.suffix)
    shutil.copyfile(book, original)

    first = workspace.run("sync")
    assert first.code == 0, first.out + first.err
    cells = expected_annotations(original, workspace.sandbox)
    assert_only_annotations_changed(original, book, cells)

    # Edit one event, sync again: its updatedAt changes, and the sheet does not grow.
    sheet = read_sheet(book)
    assert sheet.sheet_name is not None  # an xlsx sheet has a name
    row = sheet.rows[0].row_number
    patch_cells(book, tmp_path / "edited", sheet.sheet_name, {(row, 2): "Renamed"})
    shutil.copyfile(tmp_path / "edited", book)
    shutil.copyfile(book, original)
    second = workspace.run("sync")
    assert second.code == 0, second.out + second.err
    assert ("1 sent, 1 updated" in second.out) or ("送信1、更新1" in second.out)
    cells = expected_annotations(original, workspace.sandbox, changed_rows={row})
    assert_only_annotations_changed(original, book, cells)
    part = sheet_part(book, sheet.sheet_name)
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(book) as b:
        old, new = a.read(part), b.read(part)
    assert old != new and len(old) == len(new) and old.count(b"<") == new.count(b"<")


def test_the_filter_grows_over_new_annotation_columns_and_tables_stay(workspace):
    libreoffice("libreoffice-features.xlsx")(workspace.sheets / "events.xlsx")
    table_book(workspace.sheets / "table.xlsx", base_id=SANDBOX_IDS + 10)
    assert workspace.run("sync").code == 0
    events = openpyxl.load_workbook(workspace.sheets / "events.xlsx")["Events"]
    assert events.auto_filter.ref == "A1:J6"  # was A1:H6: updatedAt and syncError join it
    assert events["I1"].font.b and events["I1"].fill.fgColor.rgb == events["H1"].fill.fgColor.rgb
    # A table is never resized: the annotation columns sit beside it.
    table = openpyxl.load_workbook(workspace.sheets / "table.xlsx")["Events"]
    assert table.tables["Table1"].ref == "A1:C4"
    assert [table.cell(1, c).value for c in (4, 5)] == ["updatedAt", "syncError"]


# -- Excel has the file open -----------------------------------------------------------


def batch_updates(workspace) -> int:
    return len(workspace.sandbox.batch_update_requests())


def test_an_open_workbook_is_left_alone_and_its_results_written_next_time(workspace):
    book = workspace.sample_workbook()
    lock = workspace.sheets / "~$events.xlsx"
    lock.write_bytes(b"\x00lock")
    before = book.read_bytes()

    result = workspace.run("sync")
    assert result.code == 1
    assert (
        "events.xlsx is open in Excel; close it and run eventsync sync again: 20 results are waiting"
        in result.out + result.err
    )
    assert book.read_bytes() == before
    assert batch_updates(workspace) == 1  # HubSpot has the changes; only the sheet waits

    lock.unlink()
    again = workspace.run("sync")
    assert again.code == 0, again.out + again.err
    assert batch_updates(workspace) == 1  # nothing sent again
    events = workspace.sandbox.events
    cells = {
        (row.row_number, 11): events[str(int(cast(float, row.cells["objectId"])))]["updatedAt"]
        for row in read_sheet(book).rows
    }
    assert len(cells) == 20
    assert calamine_values(book)["Events"].items() >= cells.items()


def test_a_workbook_windows_will_not_replace_is_left_alone_and_written_next_time(
    workspace, windows_files
):
    book = workspace.sample_workbook()
    before = book.read_bytes()
    windows_files.hold(book)  # another program has it open: Windows refuses the replace
    result = workspace.run("sync")
    assert result.code == 1
    assert "events.xlsx is in use by another program" in result.out + result.err
    assert book.read_bytes() == before
    assert [p.name for p in workspace.sheets.iterdir()] == ["events.xlsx"]  # no temp left
    windows_files.let_go()
    assert workspace.run("sync").code == 0
    assert batch_updates(workspace) == 1


# -- backups ---------------------------------------------------------------------------


@pytest.mark.slow
def test_the_last_five_versions_are_kept_and_the_newest_is_the_previous_one(workspace, tmp_path):
    book = workspace.sample_workbook()
    for n in range(7):
        sheet = read_sheet(book)
        patch_cells(book, tmp_path / "edited.xlsx", "Events", {(2, 2): f"Renamed {n}"})
        shutil.copyfile(tmp_path / "edited.xlsx", book)
        previous = book.read_bytes()
        result = workspace.run("sync")
        assert result.code == 0, result.out + result.err
        assert book.read_bytes() != previous
    backups = sorted((workspace.root / ".eventsync" / "backups" / "events.xlsx").iterdir())
    assert len(backups) == 5
    assert all(b.name.endswith("-events.xlsx") for b in backups)
    assert backups[-1].read_bytes() == previous
    assert read_sheet(backups[0]).rows[0].cells["eventName"] == "Renamed 2"
    assert sheet.rows[0].cells["eventName"] == "Renamed 5"
