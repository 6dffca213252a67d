"""Hostile and odd files get a clear "no" (or are read as Excel reads them), and the
text eventsync writes into a file is neutralised.

Every hostile file is built here, small on disk: a cell at XFD1048576 (calamine would
ask for half a terabyte and abort the process), zip bombs with honest and with lying
sizes, a CSV starting with Excel's `sep=;` line, and HubSpot messages carrying NUL,
escape sequences, bidi overrides and formula triggers.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest
from helpers.workbooks import SHEET, rewrite, simple_book

from eventsync.errors import SheetError, UnsupportedWorkbookError
from eventsync.model import Annotation
from eventsync.sheets.csv_file import read_csv
from eventsync.sheets.reader import read_sheet
from eventsync.sheets.writer import annotate
from eventsync.sheets.xlsx.limits import MAX_GRID_CELLS, MAX_UNCOMPRESSED_BYTES

STAMP = "2026-04-01T09:30:00Z"


def far_cell_book(path: Path, ref: bytes, row: int) -> Path:
    """simple_book plus one cell far away (its <dimension> left as it was)."""
    simple_book(path)
    far = b'<row r="%d"><c r="%s"><v>1</v></c></row></sheetData>' % (row, ref)
    return rewrite(path, SHEET, lambda xml: xml.replace(b"</sheetData>", far))


def test_a_cell_at_xfd1048576_is_refused_before_calamine_reads_the_sheet(tmp_path):
    path = far_cell_book(tmp_path / "events.xlsx", b"XFD1048576", 1048576)
    assert path.stat().st_size < 10_000
    with pytest.raises(UnsupportedWorkbookError, match=r"cells reach XFD1048576.*Delete"):
        read_sheet(path)


def test_a_long_sheet_with_few_columns_is_fine_and_so_is_a_wide_short_one(tmp_path):
    read_sheet(far_cell_book(tmp_path / "long.xlsx", b"C300000", 300000))
    read_sheet(far_cell_book(tmp_path / "wide.xlsx", b"XFD7", 7))
    assert MAX_GRID_CELLS >= 1048576 * 38


@pytest.mark.slow
def test_a_workbook_declaring_huge_parts_is_refused_unread(tmp_path):
    """An honest zip bomb: 420 MB of spaces in one part, under 1 MB on disk."""
    path = simple_book(tmp_path / "events.xlsx")
    chunk = b" " * (1 << 20)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo("customXml/item1.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as part:
            for _ in range((MAX_UNCOMPRESSED_BYTES >> 20) + 20):
                part.write(chunk)
    assert path.stat().st_size < 1 << 20
    with pytest.raises(UnsupportedWorkbookError, match=r"would take 4\d\d MB once unpacked"):
        read_sheet(path)


def test_a_part_inflating_beyond_its_declared_size_is_refused_as_damaged(tmp_path):
    """A lying zip bomb: the directory says 1,000 bytes, the sheet inflates to megabytes."""
    path = simple_book(tmp_path / "events.xlsx")
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(7, 60000))
    rewrite(path, SHEET, lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>"))
    data = bytearray(path.read_bytes())
    for signature, size_at, name_len_at, header in (
        (b"PK\x01\x02", 24, 28, 46),
        (b"PK\x03\x04", 22, 26, 30),
    ):
        at = data.find(signature)
        while at >= 0:
            (name_len,) = struct.unpack_from("<H", data, at + name_len_at)
            if data[at + header : at + header + name_len] == SHEET.encode():
                struct.pack_into("<L", data, at + size_at, 1000)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    with pytest.raises(SheetError, match=r"events\.xlsx (is damaged|could not be read)"):
        read_sheet(path)


def test_the_cli_refuses_a_hostile_workbook_with_exit_2_and_sends_nothing(workspace):
    far_cell_book(workspace.sheets / "events.xlsx", b"XFD1048576", 1048576)
    result = workspace.run("sync")
    assert result.code == 2, result.err
    assert "events.xlsx, sheet Events: cells reach XFD1048576" in result.err
    assert workspace.sandbox.batch_update_requests() == []


# -- Excel's sep= line ---------------------------------------------------------------------


def test_a_csv_with_a_sep_line_is_read_with_that_delimiter_and_written_back_intact(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(b"sep=;\r\nobjectId;eventName;notes\r\n101;Expo, Tokyo;a\r\n102;Forum;b\r\n")
    table = read_csv(path)
    assert table.format.delimiter == ";" and table.format.sep_line
    assert table.rows[0] == ("objectId", "eventName", "notes")  # row 1, as Excel shows it
    sheet = read_sheet(path)
    assert [(row.row_number, row.cells["eventName"]) for row in sheet.rows] == [
        (2, "Expo, Tokyo"),
        (3, "Forum"),
    ]
    annotate(sheet, {3: Annotation(STAMP, "")}, tmp_path / "state")
    assert path.read_bytes() == (
        b"sep=;\r\nobjectId;eventName;notes;updatedAt;syncError\r\n"
        b"101;Expo, Tokyo;a\r\n102;Forum;b;2026-04-01T09:30:00Z\r\n"
    )


def test_a_sep_line_names_the_delimiter_even_when_another_is_more_frequent(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(b"SEP=,\nobjectId,eventName;with;semicolons\n101,a;b;c\n")
    assert read_csv(path).rows == (("objectId", "eventName;with;semicolons"), ("101", "a;b;c"))


# -- what is written into a cell -----------------------------------------------------------

HOSTILE = "bad\x00 \x1b[2J\x1b]0;owned\x07 \u202egnp.exe\u202c \r\nnext"


def test_control_characters_from_hubspot_never_reach_a_csv_cell_raw(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(b"objectId,eventName\r\n101,Expo\r\n")
    annotate(read_sheet(path), {2: Annotation(STAMP, HOSTILE)}, tmp_path / "state")
    assert b"\x00" not in path.read_bytes() and b"\x1b" not in path.read_bytes()
    [row] = read_sheet(path).rows  # still readable by eventsync, for good
    shown = row.cells["syncError"]
    assert shown == "bad\\x00 \\x1b[2J\\x1b]0;owned\\x07 \\u202egnp.exe\\u202c \nnext"


def test_control_characters_never_reach_an_xlsx_cell_raw(tmp_path):
    path = simple_book(tmp_path / "events.xlsx")
    annotate(read_sheet(path), {2: Annotation(STAMP, HOSTILE)}, tmp_path / "state")
    xml = zipfile.ZipFile(path).read(SHEET)
    assert "\u202e".encode() not in xml and b"_x001B_" not in xml
    [first, *_] = read_sheet(path).rows
    assert str(first.cells["syncError"]).startswith("bad\\x00 \\x1b[2J")


@pytest.mark.parametrize("stamp", ['=HYPERLINK("http://x","y")', "+1", "@SUM(A1)", "-2"])
def test_an_updatedat_from_hubspot_is_guarded_against_formulas_in_a_csv(tmp_path, stamp):
    path = tmp_path / "events.csv"
    path.write_bytes(b"objectId,eventName\r\n101,Expo\r\n")
    annotate(read_sheet(path), {2: Annotation(stamp, "")}, tmp_path / "state")
    assert read_csv(path).rows[1][2] == "'" + stamp  # Excel shows text, runs nothing
    assert read_sheet(path).rows[0].cells["updatedAt"] == stamp  # and it reads back as sent


def test_a_two_way_value_holding_a_nul_never_makes_a_csv_unreadable(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(b"objectId,eventName\r\n101,Expo\r\n")
    sheet = read_sheet(path)
    annotate(sheet, {2: Annotation(STAMP, "")}, tmp_path / "state", values={(2, 2): "Ex\x00po"})
    assert read_sheet(path).rows[0].cells["eventName"] == "Expo"
