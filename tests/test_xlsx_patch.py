"""xlsx_patch: annotation cells spliced into the user's workbook, everything else kept.

Every fixture is built here, in tmp_path, with xlsxwriter or openpyxl, and some have
their sheet XML rewritten to carry what those libraries never write (a namespace
prefix, cells without r=, self-closing rows, a calcChain, shared formulas).
For each one we check: every other zip member is identical (content, compressed bytes,
zip metadata); the sheet XML is identical outside the written cells; openpyxl and
pandas/calamine read every original value back plus the new texts.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from python_calamine import CalamineWorkbook

from sync.errors import SheetError, UnsupportedWorkbookError
from sync.xlsx_patch import check_patchable, patch_cells

SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

# openpyxl warns that it would drop x14 extensions on save; we only read.
pytestmark = pytest.mark.filterwarnings("ignore:.*is not supported:UserWarning")


def annotation(column: int) -> dict[tuple[int, int], str]:
    """What a sync typically writes in two new columns: header cells, then row cells,
    including a row in a gap (5), rows past the end (9, 12) and formula-like texts."""
    updated, error = column, column + 1
    return {
        (1, updated): "updatedAt",
        (1, error): "syncError",
        (2, updated): "2024-05-01T10:00:00Z",
        (2, error): "",
        (3, updated): "2024-05-01T10:00:01Z",
        (3, error): '=HYPERLINK("http://evil")',
        (5, updated): "gap row",
        (6, error): "-5 is not a count",
        (9, updated): "@beyond",
        (12, error): "+far beyond",
    }


ANNOTATION = annotation(6)  # right of the kitchen sink's A:E


# --- fixture builders ---------------------------------------------------------------------


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def kitchen_sink(path: Path, *, vba: Path | None = None) -> Path:
    """Events sheet with most of what users put in a workbook, and a Calc sheet."""
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Events")
    head = wb.add_format({"bold": True, "bg_color": "#FFD966", "border": 1})
    when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, ["objectId", "name", "startDateTime", "status", "notes"], head)
    ws.set_column("A:A", 12)
    ws.set_column("B:B", 30)
    ws.freeze_panes(1, 0)
    for row, (oid, name, status) in {
        1: (101, "Expo", "live"),
        2: (102, "Meetup", "done"),
        3: (103, "Webinar", "planned"),
        5: (105, "Gala", "live"),
    }.items():
        ws.write_number(row, 0, oid)
        ws.write_string(row, 1, name)
        ws.write_datetime(row, 2, datetime(2024, 5, row, 18, 30), when)
        ws.write_string(row, 3, status)
    ws.write_url("E2", "https://example.com/expo", string="site")
    ws.write_rich_string("E3", "plain ", bold, "bold", " tail")
    ws.write_boolean("E4", True)
    ws.autofilter("A1:E6")
    ws.data_validation("D2:D100", {"validate": "list", "source": ["planned", "live", "done"]})
    ws.conditional_format("A2:A6", {"type": "cell", "criteria": ">", "value": 102, "format": bold})
    ws.conditional_format("A2:A6", {"type": "data_bar", "data_bar_2010": True})
    ws.write_comment("B2", "ask Ken about the venue")
    ws.merge_range("I10:J10", "merged", head)
    ws.add_sparkline("K2", {"range": "Events!A2:A6"})
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "=Events!$A$2:$A$6"})
    ws.insert_chart("L2", chart)
    ws.insert_image("L20", "tiny.png", {"image_data": io.BytesIO(tiny_png())})
    ws.insert_textbox("L30", "Read me")
    calc = wb.add_worksheet("Calc")
    calc.write_formula("A1", "=SUM(Events!A2:A6)", None, 411)
    calc.write_formula("A2", "=IF(A1>0,TRUE,FALSE)", None, True)
    calc.write("B1", "total")
    wb.define_name("EventIds", "=Events!$A$2:$A$6")
    if vba is not None:
        wb.add_vba_project(str(vba))
        ws.insert_button("L40", {"macro": "say_hello", "caption": "Hello"})
    wb.close()
    return path


def simple_book(path: Path, **options) -> Path:
    """A small Events sheet: styled header A1:C1, rows 2-4 and 6, autofilter A1:C6."""
    wb = xlsxwriter.Workbook(path, options)
    ws = wb.add_worksheet("Events")
    head = wb.add_format({"bold": True, "font_color": "#1F4E79"})
    ws.write_row(0, 0, ["objectId", "name", "status"], head)
    for row in (1, 2, 3, 5):
        ws.write_row(row, 0, [100 + row, f"event {row}", "live"])
    ws.autofilter("A1:C6")
    wb.add_worksheet("Other").write("A1", "untouched", wb.add_format({"italic": True}))
    wb.close()
    return path


def rewrite(path: Path, name: str, change) -> Path:
    """Replace one member of a zip (content through `change`), keeping the others."""
    with zipfile.ZipFile(path) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            zf.writestr(info.filename, change(data) if info.filename == name else data)
    return path


def with_prefix(xml: bytes) -> bytes:
    """The same sheet with its main namespace bound to `x:` instead of the default."""
    xml = xml.replace(f'xmlns="{MAIN}"'.encode(), f'xmlns:x="{MAIN}"'.encode())
    return re.sub(rb"<(/?)([A-Za-z][\w]*)(?=[\s/>])", rb"<\1x:\2", xml)


# --- checks -----------------------------------------------------------------------------


def raw_record(path: Path, info: zipfile.ZipInfo) -> bytes:
    with open(path, "rb") as f:
        f.seek(info.header_offset)
        local = f.read(30)
        name_len, extra_len = struct.unpack("<2H", local[26:30])
        f.seek(name_len + extra_len, 1)
        return f.read(info.compress_size)


ZIPINFO_FIELDS = (
    "filename",
    "date_time",
    "compress_type",
    "comment",
    "extra",
    "create_system",
    "create_version",
    "extract_version",
    "flag_bits",
    "volume",
    "internal_attr",
    "external_attr",
    "CRC",
    "compress_size",
    "file_size",
)


def assert_members_kept(src: Path, dst: Path, *, changed=(SHEET,), dropped=()) -> None:
    """Every member but `changed`/`dropped` is the same record: content, compressed
    bytes and zip metadata; and the order of members is unchanged."""
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst) as b:
        assert b.testzip() is None
        assert [i.filename for i in b.infolist()] == [
            i.filename for i in a.infolist() if i.filename not in dropped
        ]
        for old in a.infolist():
            if old.filename in changed or old.filename in dropped:
                continue
            new = b.getinfo(old.filename)
            assert a.read(old) == b.read(new), old.filename
            assert raw_record(src, old) == raw_record(dst, new), old.filename
            for field in ZIPINFO_FIELDS:
                assert getattr(old, field) == getattr(new, field), (old.filename, field)


def row_number_of(tag: bytes, previous: int) -> int:
    found = re.search(rb'\sr="(\d+)"', tag)
    return int(found.group(1)) if found else previous + 1


def split_sheet(xml: bytes) -> tuple[bytes, list[tuple[int, bytes]], bytes]:
    """(head, [(row number, row bytes)], tail) of a sheet part."""
    start = re.search(rb"<(?:\w+:)?sheetData\b[^>]*>", xml)
    if start.group().endswith(b"/>"):
        return xml[: start.start()], [], xml[start.end() :]
    end = re.search(rb"</(?:\w+:)?sheetData\s*>", xml)
    rows, number = [], 0
    for row in re.finditer(
        rb"<(?:\w+:)?row(?=[\s/>])[^>]*?(?:/>|>.*?</(?:\w+:)?row\s*>)",
        xml[start.end() : end.start()],
        re.S,
    ):
        number = row_number_of(row.group()[: row.group().index(b">")], number)
        rows.append((number, row.group()))
    return xml[: start.start()], rows, xml[end.end() :]


def cells_of(xml: bytes, row: bytes) -> dict[int, etree._Element]:
    """Cells of one row by column (following the implicit numbering of cells without r=)."""
    root = re.search(rb"<(?:\w+:)?worksheet\b[^>]*>", xml).group()
    name = root[1:].split()[0]
    tree = etree.fromstring(root + row + b"</" + name + b">")
    cells, column = {}, 0
    for cell in tree.iter(f"{{{MAIN}}}c"):
        ref = cell.get("r")
        column = (
            openpyxl.utils.column_index_from_string(re.match(r"[A-Z]+", ref).group())
            if ref
            else column + 1
        )
        cells[column] = cell
    return cells


def canonical(cell: etree._Element) -> tuple:
    attrs = {k: v for k, v in cell.attrib.items() if k != "r"}
    return attrs, [etree.tostring(child) for child in cell]


def assert_sheet_kept(before: bytes, after: bytes, cells: dict) -> None:
    """The sheet part changed only in the written cells (and dimension/spans/autoFilter)."""
    written_rows = {r for r, _ in cells}
    head0, rows0, tail0 = split_sheet(before)
    head1, rows1, tail1 = split_sheet(after)
    ref = rb'(<(?:\w+:)?(?:dimension|autoFilter)\b[^>]*?\bref=")[^"]*'
    assert re.sub(ref, rb"\1*", head0) == re.sub(ref, rb"\1*", head1)
    assert re.sub(ref, rb"\1*", tail0) == re.sub(ref, rb"\1*", tail1)
    untouched0 = [(n, r) for n, r in rows0 if n not in written_rows]
    untouched1 = [(n, r) for n, r in rows1 if n not in written_rows]
    assert untouched0 == untouched1  # byte for byte, same order
    assert [n for n, _ in rows1] == sorted({n for n, _ in rows1})
    old_rows = dict(rows0)
    for number, row in rows1:
        if number not in written_rows:
            continue
        new_cells = cells_of(after, row)
        old_cells = cells_of(before, old_rows[number]) if number in old_rows else {}
        for column, old in old_cells.items():
            if (number, column) not in cells:
                assert canonical(new_cells[column]) == canonical(old), (number, column)
        for column, new in new_cells.items():
            if (number, column) in cells:
                assert new.find(f"{{{MAIN}}}f") is None
                if cells[(number, column)]:
                    assert new.get("t") == "inlineStr"
                if column in old_cells and old_cells[column].get("s"):
                    assert new.get("s") == old_cells[column].get("s")
            else:
                assert column in old_cells, (number, column)


def openpyxl_values(path: Path) -> dict[str, dict[tuple[int, int], object]]:
    wb = openpyxl.load_workbook(path)
    return {
        ws.title: {
            (c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None
        }
        for ws in wb.worksheets
    }


def calamine_values(path: Path) -> dict[str, dict[tuple[int, int], object]]:
    frames = pd.read_excel(path, sheet_name=None, header=None, engine="calamine")
    return {
        name: {
            (r + 1, c + 1): v
            for (r, c), v in ((rc, frame.iat[rc]) for rc in _positions(frame))
            if not (v is None or v == "" or (isinstance(v, float) and v != v))
        }
        for name, frame in frames.items()
    }


def _positions(frame: pd.DataFrame):
    return ((r, c) for r in range(frame.shape[0]) for c in range(frame.shape[1]))


def expected_values(before: dict, sheet: str, cells: dict) -> dict:
    after = {name: dict(values) for name, values in before.items()}
    for key, text in cells.items():
        after[sheet].pop(key, None)
        if text:
            after[sheet][key] = text
    return after


def assert_patched(
    src: Path,
    dst: Path,
    cells: dict,
    *,
    sheet: str = "Events",
    part: str = SHEET,
    read_calamine: bool = True,
) -> None:
    """The common checks: members, sheet bytes, values through openpyxl and calamine."""
    assert_members_kept(src, dst, changed=(part,))
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst) as b:
        assert_sheet_kept(a.read(part), b.read(part), cells)
    assert openpyxl_values(dst) == expected_values(openpyxl_values(src), sheet, cells)
    if read_calamine:
        assert calamine_values(dst) == expected_values(calamine_values(src), sheet, cells)


def style_of(path: Path, part: str, ref: str) -> str | None:
    with zipfile.ZipFile(path) as zf:
        xml = zf.read(part)
    found = re.search(rb'<(?:\w+:)?c r="' + ref.encode() + rb'"([^>]*)', xml)
    style = re.search(rb'\ss="(\d+)"', found.group(1))
    return style.group(1).decode() if style else None


# --- the kitchen sink -------------------------------------------------------------------


@pytest.mark.parametrize("macro", [False, True], ids=["xlsx", "xlsm"])
def test_kitchen_sink_keeps_everything_but_the_written_cells(tmp_path, macro):
    vba = tmp_path / "vbaProject.bin"
    vba.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000))
    src = kitchen_sink(
        tmp_path / ("events.xlsm" if macro else "events.xlsx"), vba=vba if macro else None
    )
    dst = tmp_path / ("out.xlsm" if macro else "out.xlsx")

    patch_cells(src, dst, "Events", ANNOTATION)

    assert_patched(src, dst, ANNOTATION)
    ws = openpyxl.load_workbook(dst)["Events"]
    assert ws.auto_filter.ref == "A1:G6"
    assert style_of(dst, SHEET, "F1") == style_of(dst, SHEET, "G1") == style_of(src, SHEET, "E1")
    assert ws["F1"].font.b and ws["F1"].fill.fgColor.rgb == ws["E1"].fill.fgColor.rgb
    with zipfile.ZipFile(dst) as zf:
        xml = zf.read(SHEET)
        assert b'<dimension ref="A1:J12"/>' in xml
        assert b"<f>" not in xml.split(b"updatedAt")[1]
        if macro:
            assert zf.read("xl/vbaProject.bin") == vba.read_bytes()
            assert b"macroEnabled" in zf.read("[Content_Types].xml")


def test_reannotating_replaces_cells_without_growth(tmp_path):
    src = kitchen_sink(tmp_path / "events.xlsx")
    first, second, third = tmp_path / "1.xlsx", tmp_path / "2.xlsx", tmp_path / "3.xlsx"
    patch_cells(src, first, "Events", ANNOTATION)
    again = {key: (text.upper() if text else "error!") for key, text in ANNOTATION.items()}
    again[(2, 7)] = ""  # same lengths as before, except this one stays empty
    patch_cells(first, second, "Events", again)
    patch_cells(second, third, "Events", again)

    assert_patched(first, second, again)
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b, zipfile.ZipFile(third) as c:
        assert len(a.read(SHEET)) == len(b.read(SHEET)) == len(c.read(SHEET))
        assert b.read(SHEET) == c.read(SHEET)
        assert a.read(SHEET).count(b"<c ") == b.read(SHEET).count(b"<c ")
    assert openpyxl.load_workbook(second)["Events"].auto_filter.ref == "A1:G6"


def test_emptying_cells_keeps_their_style(tmp_path):
    src = kitchen_sink(tmp_path / "events.xlsx")
    dst = tmp_path / "out.xlsx"
    cells = {(1, 5): None, (2, 3): "", (2, 1): None, (40, 40): None}
    patch_cells(src, dst, "Events", cells)
    assert_patched(src, dst, cells)
    with zipfile.ZipFile(dst) as zf:
        xml = zf.read(SHEET)
    assert re.search(rb'<c r="E1" s="\d+"/>', xml)
    assert style_of(dst, SHEET, "C2") == style_of(src, SHEET, "C2") is not None
    assert b"AN40" not in xml  # nothing written, nothing created


def test_written_text_stays_text(tmp_path):
    src = simple_book(tmp_path / "events.xlsx")
    dst = tmp_path / "out.xlsx"
    risky = ["=1+2", "+SUM(A1:A2)", "-2", "@A1", "\t=x", "\r=x", "\n=x", "=cmd|' /C calc'!A0"]
    cells = {(10 + i, 2): text for i, text in enumerate(risky)}
    patch_cells(src, dst, "Events", cells)
    with zipfile.ZipFile(dst) as zf:
        assert b"<f" not in zf.read(SHEET)
    sheet = CalamineWorkbook.from_path(dst).get_sheet_by_name("Events").to_python()
    assert [sheet[r - 1][1] for r, _ in cells] == risky
    ws = openpyxl.load_workbook(dst)["Events"]
    assert all(ws.cell(r, 2).data_type == "s" for r, _ in cells)


# --- sheet shapes -----------------------------------------------------------------------


def test_prefixed_namespace(tmp_path):
    src = rewrite(simple_book(tmp_path / "events.xlsx"), SHEET, with_prefix)
    dst = tmp_path / "out.xlsx"
    cells = annotation(4)
    patch_cells(src, dst, "Events", cells)
    assert_patched(src, dst, cells)
    with zipfile.ZipFile(dst) as zf:
        xml = zf.read(SHEET)
    assert b'<x:c r="D1" s="1" t="inlineStr"><x:is><x:t xml:space="preserve">updatedAt' in xml
    assert b'<x:row r="12"><x:c r="E12"' in xml
    assert b'<x:autoFilter ref="A1:E6"/>' in xml


def test_cells_without_r_and_self_closing_rows(tmp_path):
    def loosen(xml: bytes) -> bytes:
        row3 = re.search(rb'<row r="3".*?</row>', xml).group()
        xml = xml.replace(row3, re.sub(rb' r="[A-Z]+3"', b"", row3))  # cells lack r=
        xml = re.sub(rb'<row r="4"', b"<row", xml)  # row 4 lacks r= (follows row 3)
        return xml.replace(b'<row r="6"', b'<row r="5" ht="30" customHeight="1"/><row r="6"')

    src = rewrite(simple_book(tmp_path / "events.xlsx"), SHEET, loosen)
    dst = tmp_path / "out.xlsx"
    cells = {
        (3, 2): "replaced",
        (3, 5): "appended",
        (4, 1): "four",
        (5, 2): "in the empty row",
        (1, 4): "updatedAt",
    }
    patch_cells(src, dst, "Events", cells)
    assert_patched(src, dst, cells)
    with zipfile.ZipFile(dst) as zf:
        xml = zf.read(SHEET)
    assert b'<row r="5" ht="30" customHeight="1"><c r="B5" t="inlineStr">' in xml
    assert openpyxl.load_workbook(dst)["Events"].auto_filter.ref == "A1:D6"


def test_inline_strings_and_self_closing_sheet_data(tmp_path):
    src = tmp_path / "events.xlsx"
    wb = xlsxwriter.Workbook(src, {"constant_memory": True})  # writes inline strings
    ws = wb.add_worksheet("Events")
    ws.write_row(0, 0, ["objectId", "name"])
    ws.write_row(1, 0, [1, "inline text"])
    wb.add_worksheet("Empty")
    wb.close()
    dst = tmp_path / "out.xlsx"
    patch_cells(src, dst, "Events", {(1, 3): "updatedAt", (2, 3): "now"})
    assert_patched(src, dst, {(1, 3): "updatedAt", (2, 3): "now"})

    empty = tmp_path / "empty.xlsx"
    cells = {(1, 1): "first", (3, 2): "second"}
    patch_cells(src, empty, "Empty", cells)
    assert_patched(src, empty, cells, sheet="Empty", part="xl/worksheets/sheet2.xml")


def test_sheet_found_through_relationships_not_file_names(tmp_path):
    src = simple_book(tmp_path / "events.xlsx")
    with zipfile.ZipFile(src) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    # Swap the two parts' names and point the workbook at them with absolute targets.
    members["xl/worksheets/sheet1.xml"], members["xl/worksheets/sheet2.xml"] = (
        members["xl/worksheets/sheet2.xml"],
        members["xl/worksheets/sheet1.xml"],
    )
    rels = members["xl/_rels/workbook.xml.rels"]
    rels = rels.replace(b'Target="worksheets/sheet1.xml"', b'Target="/xl/worksheets/TMP"')
    rels = rels.replace(b'Target="worksheets/sheet2.xml"', b'Target="/xl/worksheets/sheet1.xml"')
    members["xl/_rels/workbook.xml.rels"] = rels.replace(b"TMP", b"sheet2.xml")
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    dst = tmp_path / "out.xlsx"
    patch_cells(src, dst, "Events", {(2, 4): "found"})
    assert_patched(src, dst, {(2, 4): "found"}, part="xl/worksheets/sheet2.xml")


def test_table_is_left_as_is(tmp_path):
    src = tmp_path / "events.xlsx"
    wb = xlsxwriter.Workbook(src)
    ws = wb.add_worksheet("Events")
    ws.add_table(
        "A1:C4",
        {
            "columns": [{"header": "objectId"}, {"header": "name"}, {"header": "status"}],
            "data": [[1, "a", "live"], [2, "b", "done"], [3, "c", "live"]],
        },
    )
    wb.close()
    dst = tmp_path / "out.xlsx"
    cells = {(1, 4): "updatedAt", (1, 5): "syncError", (2, 4): "now", (1, 2): "name"}
    patch_cells(src, dst, "Events", cells)
    assert_patched(src, dst, cells)
    table = openpyxl.load_workbook(dst)["Events"].tables["Table1"]
    assert table.ref == "A1:C4"

    with pytest.raises(ValueError, match="table 'Table1'"):
        patch_cells(src, tmp_path / "bad.xlsx", "Events", {(1, 2): "renamed"})
    assert not (tmp_path / "bad.xlsx").exists()


def test_openpyxl_workbook(tmp_path):
    src = tmp_path / "events.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Events"
    ws.append(["objectId", "name", "when"])
    ws["A1"].font = openpyxl.styles.Font(bold=True)
    ws["C1"].font = openpyxl.styles.Font(italic=True)
    ws.append([1, "Expo", datetime(2024, 5, 1)])
    ws.append([2, "Meetup", None])
    ws["B2"].comment = openpyxl.comments.Comment("note", "me")
    ws["B3"].hyperlink = "https://example.com"
    ws.auto_filter.ref = "A1:C3"
    ws.freeze_panes = "A2"
    wb.create_sheet("Calc")["A1"] = "=SUM(Events!A2:A3)"
    wb.save(src)
    dst = tmp_path / "out.xlsx"
    cells = {(1, 4): "updatedAt", (2, 4): "now", (3, 4): "later"}
    patch_cells(src, dst, "Events", cells)
    assert_patched(src, dst, cells)
    assert style_of(dst, SHEET, "D1") == style_of(src, SHEET, "C1")
    assert openpyxl.load_workbook(dst)["Events"].auto_filter.ref == "A1:D3"


# --- formulas and calcChain -------------------------------------------------------------

CALC_CHAIN = b'<?xml version="1.0"?><calcChain xmlns="%s"><c r="D2" i="1"/></calcChain>' % (
    MAIN.encode()
)


def with_formulas(tmp_path: Path) -> Path:
    src = tmp_path / "events.xlsx"
    wb = xlsxwriter.Workbook(src)
    ws = wb.add_worksheet("Events")
    ws.write_row(0, 0, ["a", "b", "c", "sum"])
    for row in range(1, 5):
        ws.write_row(row, 0, [row, row * 2, "x"])
    ws.write_formula("D2", "=A2+B2", None, 3)
    wb.close()
    with zipfile.ZipFile(src) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    sheet = members[SHEET]
    sheet = sheet.replace(b'<c r="E3"', b'<c r="E3"')  # (no E column yet)
    sheet = sheet.replace(
        b'<c r="C3" t="s"><v>4</v></c>',
        b'<c r="C3" t="s"><v>4</v></c><c r="D3"><f t="shared" ref="D3:D5" si="0">A3+B3</f>'
        b"<v>6</v></c>",
    ).replace(
        b'<c r="C4" t="s"><v>4</v></c>',
        b'<c r="C4" t="s"><v>4</v></c><c r="D4"><f t="shared" si="0"/><v>9</v></c>',
    )
    members[SHEET] = sheet
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/calcChain" Target="calcChain.xml"/></Relationships>',
    )
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.calcChain+xml"/></Types>',
    )
    members["xl/calcChain.xml"] = CALC_CHAIN
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return src


def test_replacing_a_formula_drops_the_calc_chain(tmp_path):
    src = with_formulas(tmp_path)
    dst = tmp_path / "out.xlsx"
    patch_cells(src, dst, "Events", {(2, 4): "no longer a formula", (4, 4): "child"})
    changed = (SHEET, "xl/_rels/workbook.xml.rels", "[Content_Types].xml")
    assert_members_kept(src, dst, changed=changed, dropped=("xl/calcChain.xml",))
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst) as b:
        for name, cut in (
            ("xl/_rels/workbook.xml.rels", rb'<Relationship Id="rId99"[^>]*/>'),
            ("[Content_Types].xml", rb'<Override PartName="/xl/calcChain.xml"[^>]*/>'),
        ):
            assert re.sub(cut, b"", a.read(name)) == b.read(name)
    values = openpyxl_values(dst)["Events"]
    assert values[(2, 4)] == "no longer a formula" and values[(3, 4)] == "=A3+B3"


def test_plain_writes_keep_the_calc_chain(tmp_path):
    src = with_formulas(tmp_path)
    dst = tmp_path / "out.xlsx"
    patch_cells(src, dst, "Events", {(2, 5): "beside the formula"})
    assert_patched(src, dst, {(2, 5): "beside the formula"})


def test_shared_formula_master_is_refused(tmp_path):
    src = with_formulas(tmp_path)
    with pytest.raises(ValueError, match="D3 holds the formula shared by D3:D5"):
        patch_cells(src, tmp_path / "out.xlsx", "Events", {(3, 4): "oops"})
    assert not (tmp_path / "out.xlsx").exists()


# --- zip containers -----------------------------------------------------------------------


class Unseekable(io.RawIOBase):
    """A write-only stream: zipfile then writes data descriptors after each member."""

    def __init__(self, target):
        self.target = target

    def writable(self):
        return True

    def write(self, data):
        return self.target.write(data)


def test_streamed_zip_with_data_descriptors(tmp_path):
    plain = simple_book(tmp_path / "plain.xlsx")
    src = tmp_path / "events.xlsx"
    with (
        zipfile.ZipFile(plain) as zf,
        open(src, "wb") as f,
        zipfile.ZipFile(Unseekable(f), "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in zf.infolist():
            with out.open(info.filename, "w", force_zip64=info.filename == SHEET) as w:
                w.write(zf.read(info))
    with zipfile.ZipFile(src) as zf:
        assert all(info.flag_bits & 0x08 for info in zf.infolist())
    dst = tmp_path / "out.xlsx"
    cells = annotation(4)
    patch_cells(src, dst, "Events", cells)
    assert_patched(src, dst, cells)


# --- refusals -----------------------------------------------------------------------------


def ods(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    return path


def xlsb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>',
        )
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")
    return path


def strict(path: Path) -> Path:
    simple_book(path)
    return rewrite(
        path,
        "xl/workbook.xml",
        lambda xml: xml.replace(MAIN.encode(), b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
    )


def without_workbook(path: Path) -> Path:
    simple_book(path)
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist() if i.filename != "xl/workbook.xml"}
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        zf.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
        )
    return path


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


@pytest.mark.parametrize(
    ("name", "build", "what"),
    [
        ("events.xls", lambda p: p.write_bytes(OLE), "old-format Excel file"),
        ("events.xlsx", lambda p: p.write_bytes(OLE), "password-protected"),
        ("events.xlsx", lambda p: p.write_bytes(bytes(range(256)) * 4), "not an Excel workbook"),
        ("events.xlsx", lambda p: p.write_bytes(b"PK\x03\x04broken"), "damaged"),
        ("events.ods", ods, "OpenDocument"),
        ("events.xlsb", xlsb, "Excel Binary Workbook"),
        ("events.xlsx", strict, "Strict Open XML"),
        ("events.xlsx", without_workbook, "no workbook part"),
        ("report.docx", docx, "not an Excel workbook"),
    ],
)
def test_unpatchable_files_are_refused(tmp_path, name, build, what):
    path = tmp_path / name
    build(path)
    with pytest.raises(UnsupportedWorkbookError) as refused:
        check_patchable(path)
    message = str(refused.value)
    assert name in message and what in message and "save it as .xlsx" in message
    with pytest.raises(UnsupportedWorkbookError):
        patch_cells(path, tmp_path / "out.xlsx", "Events", {(1, 1): "x"})
    assert not (tmp_path / "out.xlsx").exists()


def test_patchable_files_pass(tmp_path):
    assert check_patchable(simple_book(tmp_path / "events.xlsx")) is None


def test_comments_inside_cell_data_are_refused(tmp_path):
    src = rewrite(
        simple_book(tmp_path / "events.xlsx"),
        SHEET,
        lambda xml: xml.replace(b'<row r="3"', b'<!-- </row> --><row r="3"'),
    )
    with pytest.raises(UnsupportedWorkbookError, match="comments"):
        patch_cells(src, tmp_path / "out.xlsx", "Events", {(2, 5): "x"})


def test_caller_mistakes(tmp_path):
    src = simple_book(tmp_path / "events.xlsx")
    with pytest.raises(SheetError, match="no sheet named 'Evnets'.*'Events', 'Other'"):
        patch_cells(src, tmp_path / "out.xlsx", "Evnets", {(1, 1): "x"})
    with pytest.raises(ValueError, match="new file"):
        patch_cells(src, src, "Events", {(1, 1): "x"})
    for bad in [(0, 1), (1, 16385), (1.0, 2), (True, 1)]:
        with pytest.raises(ValueError, match="is not a"):
            patch_cells(src, tmp_path / "out.xlsx", "Events", {bad: "x"})
    with pytest.raises(ValueError, match="cell limit"):
        patch_cells(src, tmp_path / "out.xlsx", "Events", {(1, 1): "x" * 32768})
    with pytest.raises(TypeError):
        patch_cells(src, tmp_path / "out.xlsx", "Events", {(1, 1): 5})


# --- any text survives --------------------------------------------------------------------

SPECIAL = [
    "=1+2",
    "_x000D_",
    "_x005F_x000D_",
    "a_x0041_",
    "\r\n",
    "\x00\x01\x1f",
    "😀",
    "日本語のイベント",
    "&<>\"'",
    "]]>",
    "  spaced  ",
    "_x00",
    "x\ufffe\uffffy",
    "_\x01",
]
texts = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(max_size=40),
    st.text(alphabet="_x0Dd5F\r\n\x01&<", max_size=20),
)


@pytest.fixture(scope="module")
def base_book(tmp_path_factory) -> Path:
    return simple_book(tmp_path_factory.mktemp("prop") / "events.xlsx")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(texts, min_size=1, max_size=8))
def test_any_text_reads_back_as_written(base_book, tmp_path, values):
    dst = tmp_path / "out.xlsx"
    cells = {(2 + i, 5): text for i, text in enumerate(values)}
    patch_cells(base_book, dst, "Events", cells)
    rows = (
        CalamineWorkbook.from_path(dst).get_sheet_by_name("Events").to_python(skip_empty_area=False)
    )
    # XML cannot carry U+FFFE/U+FFFF at all: they are written as U+FFFD.
    expected = [t.replace("\ufffe", "\ufffd").replace("\uffff", "\ufffd") for t in values]
    got = [
        rows[1 + i][4] if len(rows) > 1 + i and len(rows[1 + i]) > 4 else ""
        for i in range(len(values))
    ]
    assert got == expected
    # openpyxl does not decode _xHHHH_ in inline strings; check it on texts without them.
    ws = openpyxl.load_workbook(dst)["Events"]
    for i, text in enumerate(expected):
        if text and not re.search(r"_x[0-9A-Fa-f]{4}_|[\x00-\x08\x0b-\x1f]", text):
            assert ws.cell(2 + i, 5).value == text


# --- more shapes and rules --------------------------------------------------------------


def test_header_cells_borrow_style_only_when_they_have_none(tmp_path):
    def pre_formatted(xml: bytes) -> bytes:  # D1 empty but formatted, E1 empty and plain
        return xml.replace(
            b'<c r="C1" s="1" t="s"><v>2</v></c>',
            b'<c r="C1" s="1" t="s"><v>2</v></c><c r="D1" s="2"/><c r="E1"/>',
        )

    src = rewrite(simple_book(tmp_path / "events.xlsx"), SHEET, pre_formatted)
    dst = tmp_path / "out.xlsx"
    cells = {(1, 4): "updatedAt", (1, 5): "syncError", (1, 6): "third"}
    patch_cells(src, dst, "Events", cells)
    assert_patched(src, dst, cells)
    assert [style_of(dst, SHEET, ref) for ref in ("D1", "E1", "F1")] == ["2", "1", "1"]
    assert openpyxl.load_workbook(dst)["Events"].auto_filter.ref == "A1:F6"


def test_autofilter_left_alone_when_not_adjacent_or_not_on_the_header(tmp_path):
    src = simple_book(tmp_path / "events.xlsx")
    gap = tmp_path / "gap.xlsx"
    patch_cells(src, gap, "Events", {(1, 5): "updatedAt"})  # D is left empty: no extension
    assert openpyxl.load_workbook(gap)["Events"].auto_filter.ref == "A1:C6"
    below = tmp_path / "below.xlsx"
    patch_cells(src, below, "Events", {(8, 4): "x"}, header_row=8)
    assert openpyxl.load_workbook(below)["Events"].auto_filter.ref == "A1:C6"
    assert style_of(below, SHEET, "D8") is None  # no header to borrow a style from


def test_empty_writes_to_missing_cells_change_nothing(tmp_path):
    def with_empty_row(xml: bytes) -> bytes:
        return xml.replace(b'<row r="6"', b'<row r="5" ht="30" customHeight="1"/><row r="6"')

    src = rewrite(simple_book(tmp_path / "events.xlsx"), SHEET, with_empty_row)
    dst = tmp_path / "out.xlsx"
    patch_cells(src, dst, "Events", {(5, 2): None, (2, 9): "", (30, 1): None})
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst) as b:
        assert a.read(SHEET) == b.read(SHEET)


def test_rich_inline_text_and_row_extensions_take_the_careful_path(tmp_path):
    rich = (
        b'<c r="B3" t="inlineStr"><is><r><rPr><color rgb="FFFF0000"/><charset val="1"/>'
        b"</rPr><t>red</t></r><r><t> plain</t></r></is></c>"
    )

    def enrich(xml: bytes) -> bytes:
        xml = re.sub(rb'<c r="B3" t="s"><v>\d+</v></c>', rich, xml)
        ext = b'<extLst><ext uri="{x}"><x14ac:test xmlns:x14ac="urn:x"/></ext></extLst>'
        return xml.replace(
            b'<c r="C4" t="s"><v>4</v></c></row>', b'<c r="C4" t="s"><v>4</v></c>' + ext + b"</row>"
        )

    src = rewrite(simple_book(tmp_path / "events.xlsx"), SHEET, enrich)
    dst = tmp_path / "out.xlsx"
    cells = {(3, 4): "after rich", (3, 2): None, (4, 5): "before extLst", (4, 1): "A4"}
    patch_cells(src, dst, "Events", cells)
    with zipfile.ZipFile(dst) as zf:
        xml = zf.read(SHEET)
    assert b'inlineStr"><is><t xml:space="preserve">before extLst</t></is></c><extLst>' in xml
    assert re.search(rb'<c r="B3"/>', xml)
    values = openpyxl_values(dst)["Events"]
    assert values[(3, 4)] == "after rich" and (3, 2) not in values and values[(4, 1)] == "A4"


def test_second_sheet_formula_replaced_without_calc_chain(tmp_path):
    src = kitchen_sink(tmp_path / "events.xlsx")
    dst = tmp_path / "out.xlsx"
    cells = {(1, 1): "was a formula", (3, 3): "new"}
    patch_cells(src, dst, "Calc", cells)
    assert_patched(src, dst, cells, sheet="Calc", part="xl/worksheets/sheet2.xml")


def test_out_of_order_rows_are_refused(tmp_path):
    src = rewrite(
        simple_book(tmp_path / "events.xlsx"),
        SHEET,
        lambda xml: xml.replace(b'<row r="4"', b'<row r="2"'),
    )
    with pytest.raises(UnsupportedWorkbookError, match="row 2 comes after row 3"):
        patch_cells(src, tmp_path / "out.xlsx", "Events", {(6, 4): "x"})


def test_chart_sheets_are_refused(tmp_path):
    src = tmp_path / "events.xlsx"
    wb = xlsxwriter.Workbook(src)
    wb.add_worksheet("Events").write_column("A1", [1, 2, 3])
    chart = wb.add_chart({"type": "line"})
    chart.add_series({"values": "=Events!$A$1:$A$3"})
    wb.add_chartsheet("Trend").set_chart(chart)
    wb.close()
    with pytest.raises(UnsupportedWorkbookError, match="not a worksheet"):
        patch_cells(src, tmp_path / "out.xlsx", "Trend", {(1, 1): "x"})


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_file_saved_by_libreoffice(tmp_path):
    original = kitchen_sink(tmp_path / "original.xlsx")
    out = tmp_path / "lo"
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(original)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    src = out / "original.xlsx"
    dst = tmp_path / "out.xlsx"
    patch_cells(src, dst, "Events", ANNOTATION)
    assert_patched(src, dst, ANNOTATION)


def test_dimension_covers_a_single_new_cell(tmp_path):
    src = simple_book(tmp_path / "events.xlsx")
    dst = tmp_path / "out.xlsx"
    patch_cells(src, dst, "Events", {(20, 8): "alone"})
    with zipfile.ZipFile(dst) as zf:
        assert b'<dimension ref="A1:H20"/>' in zf.read(SHEET)
