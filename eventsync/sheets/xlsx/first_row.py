"""The texts of a worksheet's row 1 (or first rows), read from the start of its XML and
the shared strings they use, without reading the rest of the sheet.

Read stage. Asked of a workbook with one visible worksheet (is it a participants
workbook? is its header below a report's title lines? docs/participants-workbooks.md),
it must cost nothing against the sheet's size:
calamine would parse all of an events sheet's 100,000 rows for its header. It never
writes and never parses the sheet into a tree; a first row it cannot read plainly is
read as empty (the caller then takes the workbook for what it took it before: events).
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from lxml import etree

from eventsync.errors import SheetError
from eventsync.safe_files import open_shared
from eventsync.sheets.xlsx.parts import (
    MAIN_NS,
    find_sheet_part,
    find_workbook_part,
    related_part,
)
from eventsync.sheets.xlsx.refs import column_number
from eventsync.sheets.xlsx.refusals import reading
from eventsync.values import format_text

CHUNK_BYTES = 64 * 1024
MAX_HEAD_BYTES = 4 << 20  # a sheet whose row 1 has not ended by then: read as empty
MAX_COLUMNS = 1000  # a header wider than this is nobody's participants sheet
RT_SHARED_STRINGS = "/sharedStrings"

_ROW = re.compile(rb"<(?:[\w.-]+:)?row\b([^>]*?)(/>|>(.*?)</(?:[\w.-]+:)?row\s*>)", re.S)
_ROW_END = re.compile(rb"</(?:[\w.-]+:)?(?:row|sheetData)\s*>|<(?:[\w.-]+:)?sheetData\s*/>")
_CELL = re.compile(rb"<(?:[\w.-]+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?c\s*>)", re.S)
# (XML lets an attribute's value stand in single quotes as well as double.)
_ATTR = re.compile(rb"""\s(r|t)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>([^<]*)</(?:[\w.-]+:)?v>")
_TEXT = re.compile(rb"<(?:[\w.-]+:)?t(?:\s[^>]*)?>([^<]*)</(?:[\w.-]+:)?t>|<(?:[\w.-]+:)?t\s*/>")
_PHONETIC = re.compile(rb"<(?:[\w.-]+:)?rPh\b.*?</(?:[\w.-]+:)?rPh>", re.S)
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")


def first_row(path: Path, sheet_name: str) -> tuple[str, ...]:
    """Row 1 of the worksheet `sheet_name`, each cell as text ("" for an empty one)."""
    rows = first_rows(path, sheet_name, 1)
    return rows[0] if rows else ()


def first_rows(path: Path, sheet_name: str, count: int) -> list[tuple[str, ...]]:
    """Rows 1 to `count` of the worksheet (fewer when it ends sooner; a row it skips is
    empty), each cell as text: where a header below a report's title lines is looked
    for. Nothing when the start of the sheet cannot be read plainly."""
    try:
        part = find_workbook_part(path)
        with reading(path), open_shared(path) as file, zipfile.ZipFile(file) as zf:
            member = find_sheet_part(zf, part, sheet_name, path.name)
            rows = _rows(_head(zf, member, count), count)
            indexes = [
                int(v)
                for cells in rows
                for kind, v in cells.values()
                if kind == "s" and v.isdigit()
            ]
            strings = _shared_strings(zf, part, max(indexes, default=-1))
        return [
            tuple(
                _text(*cells.get(n, ("", "")), strings) for n in range(1, max(cells, default=0) + 1)
            )
            for cells in rows
        ]
    except (SheetError, OSError, etree.XMLSyntaxError, ValueError):
        return []  # (a value that is no number where one stands too: read as empty)


def _head(zf: zipfile.ZipFile, member: str, count: int) -> bytes:
    """The start of the sheet's XML, as far as its row `count` (or its data's end)."""
    head = b""
    with zf.open(member) as raw:
        while len(head) < MAX_HEAD_BYTES:
            chunk = raw.read(CHUNK_BYTES)
            head += chunk
            if not chunk or len(_ROW_END.findall(head)) >= count:
                break
    return head


def _rows(head: bytes, count: int) -> list[dict[int, tuple[str, str]]]:
    """Column -> (type, raw value) of the cells of rows 1 to `count` (inline text as its
    value); a row not written is empty."""
    rows: list[dict[int, tuple[str, str]]] = []
    for row in _ROW.finditer(head):
        number = _ROW_NUMBER.search(row.group(1))
        at = int(number.group(1)) if number is not None else len(rows) + 1
        if at > count or at <= len(rows):
            break
        rows.extend({} for _ in range(at - len(rows) - 1))
        rows.append(_cells(row.group(3) or b"") if row.group(2) != b"/>" else {})
    return rows


def _cells(row: bytes) -> dict[int, tuple[str, str]]:
    cells: dict[int, tuple[str, str]] = {}
    column = 0
    for cell in _CELL.finditer(row):
        attrs = {name: double or single for name, double, single in _ATTR.findall(cell.group(1))}
        ref = re.match(rb"[A-Z]+", attrs.get(b"r", b""))
        column = column_number(ref.group()) if ref else column + 1
        if column > MAX_COLUMNS:
            break
        kind = attrs.get(b"t", b"n").decode("ascii", "replace")
        inner = cell.group(2) or b""
        if kind == "inlineStr":
            value = _joined(inner)
        else:
            found = _VALUE.search(inner)
            value = html.unescape(found.group(1).decode("utf-8")) if found else ""
        cells[column] = (kind, value)
    return cells


def _joined(inner: bytes) -> str:
    """The text of a string item (inline or shared): its runs, without phonetic guides."""
    inner = _PHONETIC.sub(b"", inner)
    return "".join(
        html.unescape((m.group(1) or b"").decode("utf-8")) for m in _TEXT.finditer(inner)
    )


def _shared_strings(zf: zipfile.ZipFile, workbook_part: str, last: int) -> list[str]:
    """The shared strings up to index `last`, read from the start of the table (Excel
    writes a header's texts among the first)."""
    member = related_part(zf, workbook_part, RT_SHARED_STRINGS) if last >= 0 else None
    if member is None:
        return []
    strings: list[str] = []
    with zf.open(member) as raw:
        for _event, item in etree.iterparse(
            raw,
            events=("end",),
            tag=f"{{{MAIN_NS}}}si",
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
        ):
            strings.append(_joined(etree.tostring(item)))
            item.clear()
            if len(strings) > last:
                break
    return strings


def _text(kind: str, value: str, strings: list[str]) -> str:
    if kind == "s":
        index = int(value) if value.isdigit() else -1
        return strings[index] if 0 <= index < len(strings) else ""
    if kind == "b":
        return "TRUE" if value == "1" else "FALSE"
    if kind == "n" and value:
        return format_text(float(value))
    return value
