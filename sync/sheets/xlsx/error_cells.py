"""Find formula-error cells (#N/A, #REF!, ...) of a worksheet, which calamine reads as "".

Without this an error in a text column would look like an emptied cell, and the sync
would clear that field in HubSpot. Reads only, streaming, and costs one pass of
`bytes.find` when the sheet holds no error at all.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from sync.model import ExcelError
from sync.sheets.xlsx.parts import column_number, find_sheet_part, find_workbook_part, reading

CHUNK_BYTES = 4 << 20
CELL_START = re.compile(rb"<(?:\w+:)?c[\s>]")
REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
MARK = b't="e"'


def error_cells(path: Path, sheet_name: str) -> dict[tuple[int, int], ExcelError]:
    """(row, column), both 1-based -> the error the cell shows."""
    workbook_part = find_workbook_part(path)
    found: dict[tuple[int, int], ExcelError] = {}
    with reading(path), zipfile.ZipFile(path) as zf:
        part = find_sheet_part(zf, workbook_part, sheet_name, path.name)
        with zf.open(part) as stream:
            carry = b""
            while chunk := stream.read(CHUNK_BYTES):
                buffer = carry + chunk
                # Keep an unfinished cell for the next round.
                cut = buffer.rfind(b"<", max(0, len(buffer) - 4096))
                cut = cut if cut > 0 else len(buffer)
                _scan(buffer[:cut], found)
                carry = buffer[cut:]
            _scan(carry, found)
    return found


def _scan(data: bytes, found: dict) -> None:
    start = 0
    while (at := data.find(MARK, start)) >= 0:
        start = at + len(MARK)
        begin = data.rfind(b"<", 0, at)
        if not CELL_START.match(data, begin):
            continue
        tag_end = data.find(b">", at)
        ref = REF.search(data, begin, tag_end)
        if ref is None:
            continue  # a cell without r= cannot be placed; calamine's "" stands
        end = data.find(b"</", tag_end)
        close = data.find(b"c>", end) if end >= 0 else -1
        value = VALUE.search(data, tag_end, close if close > 0 else len(data))
        text = value.group(1).decode("utf-8", "replace") if value else "#ERROR"
        found[(int(ref.group(2)), column_number(ref.group(1)))] = ExcelError(text)
