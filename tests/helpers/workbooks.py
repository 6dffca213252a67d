"""Workbooks for the tests, built in tmp_path, and the checks every patched file must pass.

Builders (xlsxwriter, openpyxl) carry the features of ../shared/xlsx-writeback.md; some
have their sheet XML rewritten to carry what those libraries never write. The checks:
every other zip member identical (content, compressed bytes, zip metadata), the sheet XML
identical outside the written cells, and openpyxl and python-calamine reading every
original value back plus the written ones. Shared by test_xlsx_patch.py and
test_workbook_fidelity.py.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from datetime import date, datetime
from pathlib import Path

import openpyxl
import openpyxl.comments
import openpyxl.styles
import openpyxl.utils
import python_calamine
import xlsxwriter
from lxml import etree

SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


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


def kitchen_sink(
    path: Path, *, vba: Path | None = None, base_id: int = 100, name_header: str = "name"
) -> Path:
    """Events sheet with most of what users put in a workbook, and a Calc sheet.
    objectIds are base_id + 1, 2, 3 and 5 (rows 2-4 and 6; row 5 is blank); column D is
    hidden. With base_id=5823713200 and name_header="eventName" it syncs with the sandbox."""
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Events")
    head = wb.add_format({"bold": True, "bg_color": "#FFD966", "border": 1})
    when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, ["objectId", name_header, "startDateTime", "status", "notes"], head)
    ws.set_column("A:A", 12)
    ws.set_column("B:B", 30)
    ws.set_column("D:D", 10, None, {"hidden": True})
    ws.freeze_panes(1, 0)
    for row, (oid, name, status) in {
        1: (101, "Expo", "live"),
        2: (102, "Meetup", "done"),
        3: (103, "Webinar", "planned"),
        5: (105, "Gala", "live"),
    }.items():
        ws.write_number(row, 0, oid - 100 + base_id)
        ws.write_string(row, 1, name)
        ws.write_datetime(row, 2, datetime(2024, 5, row, 18, 30), when)
        ws.write_string(row, 3, status)
    ws.write_url("E2", "https://example.com/expo", string="site")
    ws.write_rich_string("E3", "plain ", bold, "bold", " tail")
    ws.write_boolean("E4", True)
    ws.autofilter("A1:E6")
    ws.data_validation("D2:D100", {"validate": "list", "source": ["planned", "live", "done"]})
    ws.conditional_format(
        "A2:A6", {"type": "cell", "criteria": ">", "value": base_id + 2, "format": bold}
    )
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


def simple_book(path: Path, *, base_id: int = 100, name_header: str = "name", **options) -> Path:
    """A small Events sheet: styled header A1:C1, rows 2-4 and 6 (objectIds base_id + 1,
    2, 3, 5), autofilter A1:C6."""
    wb = xlsxwriter.Workbook(path, options)
    ws = wb.add_worksheet("Events")
    head = wb.add_format({"bold": True, "font_color": "#1F4E79"})
    ws.write_row(0, 0, ["objectId", name_header, "status"], head)
    for row in (1, 2, 3, 5):
        ws.write_row(row, 0, [base_id + row, f"event {row}", "live"])
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
                value = cells[(number, column)]
                if isinstance(value, str) and value:
                    assert new.get("t") == "inlineStr"
                elif isinstance(value, bool):
                    assert new.get("t") == "b"
                elif isinstance(value, int | float):
                    assert new.get("t") is None
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
    """Every non-empty cell of every sheet as python-calamine reads it, by (row, column),
    with the conversions pandas' calamine engine makes (whole floats as int, dates as
    datetime). Read without pandas so that these checks run under Windows Python in Wine
    too, where numpy cannot load."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {
        name: {
            (r + 1, c + 1): _as_pandas_reads(v)
            for r, row in enumerate(book.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for c, v in enumerate(row)
            if not (v is None or v == "" or (isinstance(v, float) and v != v))
        }
        for name in book.sheet_names
    }


def _as_pandas_reads(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def expected_values(before: dict, sheet: str, cells: dict) -> dict:
    after = {name: dict(values) for name, values in before.items()}
    for key, value in cells.items():
        after[sheet].pop(key, None)
        if value is not None and value != "":
            after[sheet][key] = value
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


def typed_book(path: Path, *, date1904: bool = False) -> Path:
    """Events with typed columns: A objectId, B name, C start (a date-time format), D
    cancelled (TRUE/FALSE, centred), E budget (format 0.00), F memo (General). Rows 2-4; row 3
    has no start, row 4 has an empty but date-formatted start cell."""
    wb = xlsxwriter.Workbook(path, {"date_1904": date1904})
    ws = wb.add_worksheet("Events")
    head = wb.add_format({"bold": True})
    when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    money = wb.add_format({"num_format": "0.00"})
    centred = wb.add_format({"align": "center"})
    ws.write_row(0, 0, ["objectId", "name", "start", "cancelled", "budget", "memo"], head)
    ws.write_row(1, 0, [101, "Expo"])
    ws.write_datetime(1, 2, datetime(2026, 4, 6, 10, 0), when)
    ws.write_boolean(1, 3, False, centred)
    ws.write_number(1, 4, 1200.5, money)
    ws.write_row(2, 0, [102, "Meetup"])
    ws.write_boolean(2, 3, True, centred)
    ws.write_row(3, 0, [103, "Gala"])
    ws.write_blank(3, 2, None, when)
    ws.write_string(3, 5, "call back")
    wb.close()
    return path


def openpyxl_book(path: Path, *, base_id: int = 0) -> Path:
    """Made by openpyxl: bold and italic header cells, a date, a comment, a hyperlink, a
    filter, frozen header, and a Calc sheet with a formula (no cached value)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Events"
    ws.append(["objectId", "eventName", "startDateTime"])
    ws["A1"].font = openpyxl.styles.Font(bold=True)
    ws["C1"].font = openpyxl.styles.Font(italic=True)
    ws.append([base_id + 1, "Expo", datetime(2024, 5, 1)])
    ws.append([base_id + 2, "Meetup", None])
    ws["B2"].comment = openpyxl.comments.Comment("note", "me")
    ws["B3"].hyperlink = "https://example.com"
    ws.auto_filter.ref = "A1:C3"
    ws.freeze_panes = "A2"
    wb.create_sheet("Calc")["A1"] = "=SUM(Events!A2:A3)"
    wb.save(path)
    return path


def table_book(path: Path, *, base_id: int = 0) -> Path:
    """Events kept in an Excel table (ListObject) A1:C4."""
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Events")
    ws.add_table(
        "A1:C4",
        {
            "columns": [{"header": "objectId"}, {"header": "eventName"}, {"header": "eventType"}],
            "data": [[base_id + n, f"event {n}", "Webinar"] for n in (1, 2, 3)],
        },
    )
    wb.close()
    return path
