"""xlsx_patch: annotation cells spliced into the user's workbook, everything else kept.

Every fixture is built in tmp_path, with xlsxwriter or openpyxl (builders in
workbooks.py), and some have their sheet XML rewritten to carry what those libraries
never write (a namespace prefix, cells without r=, self-closing rows, a calcChain,
shared formulas). For each one we check: every other zip member is identical (content, compressed bytes,
zip metadata); the sheet XML is identical outside the written cells; openpyxl and
python-calamine read every original value back plus the new texts.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from helpers.workbooks import (
    MAIN,
    SHEET,
    assert_members_kept,
    assert_patched,
    kitchen_sink,
    openpyxl_book,
    openpyxl_values,
    rewrite,
    simple_book,
    style_of,
    table_book,
    typed_book,
    with_prefix,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from eventsync.errors import SheetError, UnsupportedWorkbookError
from eventsync.model import CellValue
from eventsync.sheets.xlsx.parts import check_patchable
from eventsync.sheets.xlsx.patch import patch_cells
from eventsync.sheets.xlsx.refusals import CellValueError
from eventsync.sheets.xlsx.values import excel_serial

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
    cells: dict[tuple[int, int], CellValue] = {
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
    src = table_book(tmp_path / "events.xlsx")
    dst = tmp_path / "out.xlsx"
    cells = {(1, 4): "updatedAt", (1, 5): "syncError", (2, 4): "now", (1, 2): "eventName"}
    patch_cells(src, dst, "Events", cells)
    assert_patched(src, dst, cells)
    table = openpyxl.load_workbook(dst)["Events"].tables["Table1"]
    assert table.ref == "A1:C4"

    with pytest.raises(UnsupportedWorkbookError, match="cell B1: a header cell of table 'Table1'"):
        patch_cells(src, tmp_path / "bad.xlsx", "Events", {(1, 2): "renamed"})
    assert not (tmp_path / "bad.xlsx").exists()


def test_openpyxl_workbook(tmp_path):
    src = openpyxl_book(tmp_path / "events.xlsx")
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
    with pytest.raises(
        UnsupportedWorkbookError, match="cell D3: the cell holds the formula shared by D3:D5"
    ):
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
    check_patchable(simple_book(tmp_path / "events.xlsx"))  # raises when it is not


def test_comments_inside_cell_data_are_refused(tmp_path):
    src = rewrite(
        simple_book(tmp_path / "events.xlsx"),
        SHEET,
        lambda xml: xml.replace(b'<row r="3"', b'<!-- </row> --><row r="3"'),
    )
    with pytest.raises(
        UnsupportedWorkbookError, match="after cell [A-Z]2: the cell data holds an XML comment"
    ):
        patch_cells(src, tmp_path / "out.xlsx", "Events", {(2, 5): "x"})


def test_caller_mistakes(tmp_path):
    src = simple_book(tmp_path / "events.xlsx")
    with pytest.raises(SheetError, match="no sheet named 'Evnets'.*'Events', 'Other'"):
        patch_cells(src, tmp_path / "out.xlsx", "Evnets", {(1, 1): "x"})
    with pytest.raises(ValueError, match="new file"):
        patch_cells(src, src, "Events", {(1, 1): "x"})
    bad: Any  # wrong on purpose: what a caller must not pass
    for bad in [(0, 1), (1, 16385), (1.0, 2), (True, 1)]:
        with pytest.raises(ValueError, match="is not a"):
            patch_cells(src, tmp_path / "out.xlsx", "Events", {bad: "x"})
    with pytest.raises(
        CellValueError, match="cell A1: a text of 32768 characters exceeds .* cell limit"
    ):
        patch_cells(src, tmp_path / "out.xlsx", "Events", {(1, 1): "x" * 32768})
    for bad in [b"bytes", [1], 1j]:
        with pytest.raises(TypeError, match="must be str, bool, int, float, datetime, date"):
            patch_cells(src, tmp_path / "out.xlsx", "Events", {(2, 2): bad})
    for bad in [float("nan"), float("inf")]:
        with pytest.raises(
            CellValueError, match="cell B2: the number .* cannot be stored in an Excel"
        ):
            patch_cells(src, tmp_path / "out.xlsx", "Events", {(2, 2): bad})
    with pytest.raises(ValueError, match="cell B2: .* has a time zone and Excel cells hold none"):
        patch_cells(
            src, tmp_path / "out.xlsx", "Events", {(2, 2): datetime(2025, 1, 1, tzinfo=UTC)}
        )
    assert not (tmp_path / "out.xlsx").exists()


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


@pytest.mark.slow
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
    with pytest.raises(
        UnsupportedWorkbookError,
        match="events.xlsx, sheet 'Events', row 2: row 2 comes after row 3",
    ):
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


@pytest.mark.slow
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


# --- typed values (two-way sync writes HubSpot's values into event cells) ----------------


def sheet_cell(path: Path, ref: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        xml = zf.read(SHEET)
    return re.search(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', xml).group()


def calamine_rows(path: Path) -> list[list]:
    return CalamineWorkbook.from_path(path).get_sheet_by_name("Events").to_python()


@pytest.mark.parametrize("date1904", [False, True], ids=["1900", "1904"])
def test_typed_values_read_back_as_written_and_keep_their_style(tmp_path, date1904):
    src = typed_book(tmp_path / "events.xlsx", date1904=date1904)
    dst = tmp_path / "out.xlsx"
    cells: dict[tuple[int, int], CellValue] = {
        (2, 3): datetime(2026, 5, 1, 9, 30, 15, 250_000),  # over a date: keeps its format
        (3, 3): datetime(2026, 5, 2, 18, 0),  # a new cell: takes C2's format
        (4, 3): datetime(2026, 5, 3),  # an empty date-formatted cell
        (2, 4): True,
        (3, 4): False,
        (2, 5): 99.25,  # over a number: keeps 0.00
        (3, 5): 7,  # a new cell: takes E2's 0.00
        (4, 2): 12345678901,  # over a text cell
        (4, 6): None,  # emptied, as HubSpot cleared it
        (6, 3): datetime(2026, 6, 1, 10, 0),  # an appended row: the column's format again
        (6, 4): True,
        (6, 5): 0.1,
    }
    patch_cells(src, dst, "Events", cells)

    assert_patched(src, dst, cells)
    start_style = style_of(src, SHEET, "C2")
    assert [style_of(dst, SHEET, ref) for ref in ("C2", "C3", "C4", "C6")] == [start_style] * 4
    assert style_of(dst, SHEET, "E3") == style_of(dst, SHEET, "E6") == style_of(src, SHEET, "E2")
    assert style_of(dst, SHEET, "D6") == style_of(src, SHEET, "D3")
    assert b't="b"><v>1</v>' in sheet_cell(dst, "D2")
    assert sheet_cell(dst, "B4") == b'<c r="B4"><v>12345678901</v></c>'
    rows = calamine_rows(dst)
    assert rows[1][2] == datetime(2026, 5, 1, 9, 30, 15, 250_000)
    assert rows[5][2:5] == [datetime(2026, 6, 1, 10, 0), True, 0.1]


def test_dates_use_the_workbooks_date_system(tmp_path):
    moment = datetime(2026, 4, 6, 12, 0)
    serials = []
    for date1904 in (False, True):
        src = typed_book(tmp_path / f"{date1904}.xlsx", date1904=date1904)
        dst = tmp_path / f"{date1904}.out.xlsx"
        patch_cells(src, dst, "Events", {(2, 3): moment})
        serials.append(float(re.search(rb"<v>([\d.]+)</v>", sheet_cell(dst, "C2")).group(1)))
        assert calamine_rows(dst)[1][2] == moment
        assert openpyxl.load_workbook(dst)["Events"]["C2"].value == moment
    assert serials == [46118.5, 46118.5 - 1462]  # 1904-01-01 is day 1462 of the 1900 system


ms_datetimes = st.datetimes(min_value=datetime(1904, 1, 2), max_value=datetime(9999, 12, 31)).map(
    lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)
)


@pytest.fixture(scope="module")
def typed_books(tmp_path_factory) -> dict[bool, Path]:
    folder = tmp_path_factory.mktemp("typed")
    return {d: typed_book(folder / f"{d}.xlsx", date1904=d) for d in (False, True)}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moments=st.lists(ms_datetimes, min_size=1, max_size=12), date1904=st.booleans())
def test_any_date_time_reads_back_to_the_millisecond(typed_books, tmp_path, moments, date1904):
    dst = tmp_path / "out.xlsx"
    patch_cells(
        typed_books[date1904], dst, "Events", {(2 + i, 3): m for i, m in enumerate(moments)}
    )
    read = [row[2] for row in calamine_rows(dst)[1 : 1 + len(moments)]]
    # calamine gives a date for a date-time at midnight: the same instant to the reader.
    assert [as_datetime(value) for value in read] == moments


def as_datetime(value: object) -> object:
    return datetime.combine(value, time()) if type(value) is date else value


def test_a_date_in_a_cell_without_a_date_format_is_written_as_text(tmp_path):
    src = typed_book(tmp_path / "events.xlsx")
    dst = tmp_path / "out.xlsx"
    cells: dict[tuple[int, int], CellValue] = {
        (2, 6): datetime(2026, 4, 6, 10, 0),  # memo is General: a serial would show 46118.42
        (3, 6): datetime(2026, 4, 6, 10, 0, 5, 120_000),
        (4, 6): date(2026, 4, 6),
        (5, 3): datetime(1899, 12, 31, 23, 0),  # before Excel's first date
    }
    patch_cells(src, dst, "Events", cells)
    rows = calamine_rows(dst)
    assert [rows[1][5], rows[2][5], rows[3][5]] == [
        "2026-04-06 10:00",
        "2026-04-06 10:00:05.120",
        "2026-04-06",
    ]
    assert rows[4][2] == "1899-12-31 23:00"
    assert all(b"inlineStr" in sheet_cell(dst, ref) for ref in ("F2", "F3", "F4", "C5"))


def test_excel_serials_count_the_leap_day_1900_never_had():
    assert excel_serial(date(1900, 1, 1)) == b"1"
    assert excel_serial(date(1900, 2, 28)) == b"59"
    assert excel_serial(date(1900, 3, 1)) == b"61"
    assert excel_serial(datetime(2026, 4, 6, 18, 0)) == b"46118.75"
    assert excel_serial(date(1904, 1, 2), date1904=True) == b"1"
    # Day 0 (and before) reads back as a time of day: such dates are written as text.
    assert excel_serial(date(1899, 12, 31)) is None
    assert excel_serial(datetime(1904, 1, 1, 12, 0), date1904=True) is None


def test_new_cells_take_the_style_of_the_nearest_cell_above_not_the_header(tmp_path):
    def loosen(xml: bytes) -> bytes:  # row 2's cells (A2:E2) lose r=: the careful path
        row2 = re.search(rb'<row r="2".*?</row>', xml).group()
        return xml.replace(row2, re.sub(rb' r="[A-Z]+2"', b"", row2))

    src = rewrite(typed_book(tmp_path / "events.xlsx"), SHEET, loosen)
    dst = tmp_path / "out.xlsx"
    cells: dict[tuple[int, int], CellValue] = {
        (1, 7): "updatedAt",  # a new header cell borrows the header's style
        (2, 7): "2026-01-01T00:00:00Z",  # a new column below the header: no style
        (5, 4): True,  # D4 does not exist: D3 is the nearest
        (8, 5): 3.5,  # rows 5-7 do not exist, nor E3, E4: E2 (no r=) is the nearest
        (8, 7): "x",
    }
    patch_cells(src, dst, "Events", cells)
    assert_patched(src, dst, cells)
    assert style_of(dst, SHEET, "G1") == style_of(src, SHEET, "F1")
    assert style_of(dst, SHEET, "G2") is None and style_of(dst, SHEET, "G8") is None
    assert style_of(dst, SHEET, "D5") == style_of(src, SHEET, "D3") is not None
    money = openpyxl.load_workbook(dst)["Events"]
    assert money["E8"].number_format == "0.00" and money["E8"].value == 3.5
