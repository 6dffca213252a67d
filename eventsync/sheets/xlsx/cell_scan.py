"""One read-only pass over a worksheet for the cells the reader must know about: cells
showing a formula error (#N/A, #REF!, ...), which calamine reads as "", and cells holding
a formula, whose value a sync must never overwrite.

LibreOffice has no boolean cell: it saves every TRUE/FALSE as the formula `=TRUE()` /
`=FALSE()` with its cached value. Such a cell is that value, not a calculation: it is
not counted as a formula, so two-way sync may write over it (as over a typed TRUE).
Only that exact shape counts; any other formula stays the user's.

Without the first an error in a text column would look like an emptied cell, and the
sync would clear that field in HubSpot; without the second a value from HubSpot would
replace the user's formula. Streaming, and one `bytes.find` per chunk for each kind
when the sheet holds neither. It must never write, and never parse the sheet into a tree.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from eventsync.model import ExcelError
from eventsync.safe_files import open_shared
from eventsync.sheets.xlsx.overlap import read_ahead
from eventsync.sheets.xlsx.parts import find_sheet_part, find_workbook_part
from eventsync.sheets.xlsx.refs import ColumnNumbers
from eventsync.sheets.xlsx.refusals import reading
from eventsync.sheets.xlsx.scanner import SHEET_DATA

CHUNK_BYTES = 4 << 20
CELL_START = re.compile(rb"<(?:[\w.-]+:)?c[\s>]")
REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
VALUE = re.compile(rb"<(?:[\w.-]+:)?v>([^<]*)</(?:[\w.-]+:)?v>")
FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[\s/>]")
ERROR_MARK = b't="e"'
# `<f aca="false">TRUE()</f><v>1</v></c>` as LibreOffice writes it (Excel, for a typed
# =TRUE(), writes `<f>TRUE()</f><v>1</v>`): the whole rest of the cell, nothing else in it.
CONSTANT_BOOLEAN = re.compile(
    rb"<(?:[\w.-]+:)?f(?:\s+aca=\"(?:true|false|1|0)\")?\s*>(?i:(TRUE|FALSE))(?:\(\))?"
    rb"</(?:[\w.-]+:)?f>\s*<(?:[\w.-]+:)?v>([01])</(?:[\w.-]+:)?v>\s*</(?:[\w.-]+:)?c>"
)
CELL_TYPE = re.compile(rb'\st="([^"]*)"')
ROW_REF = re.compile(rb'\br="(\d+)"')
WIDE_REF = re.compile(rb'r="([A-Z]{2,3})(\d+)"')  # no \b: its literal start makes it fast
_DELIMITERS = frozenset(b" \t\r\n>/")
# Far more than one cell takes (32,767 characters, escaped, with rich-text runs).
MAX_CELL_BYTES = 4 << 20

Position = tuple[int, int]  # (row, column), both 1-based


@dataclass(frozen=True)
class CellScan:
    """What one pass over a sheet found, by (row, column)."""

    errors: dict[Position, ExcelError] = field(default_factory=dict)
    formulas: frozenset[Position] = frozenset()  # every cell with an <f>, shared children too
    # The sheet's extent as its cells and rows say (not its <dimension>, which may be
    # stale): the last row number met, and the widest column (at least Z, an upper bound
    # for sheets whose cells all sit in A..Z, which is all this is used for).
    last_row: int = 0
    last_column: int = 0


def scan_cells(path: Path, sheet_name: str) -> CellScan:
    """Error cells and formula cells of the worksheet `sheet_name` of the workbook at path."""
    workbook_part = find_workbook_part(path)
    found = _Found()
    with reading(path), open_shared(path) as file, zipfile.ZipFile(file) as zf:
        part = find_sheet_part(zf, workbook_part, sheet_name, path.name)
        with zf.open(part) as raw, read_ahead(raw, CHUNK_BYTES) as stream:
            carry = b""
            while chunk := stream.read(CHUNK_BYTES):
                buffer = carry + chunk
                if found.prefix is None:
                    found.prefix = _prefix(buffer)
                # Keep the last cell, which may be unfinished, for the next round.
                cut = _cut(buffer, b"<" + (found.prefix or b"") + b"c")
                found.scan(buffer[:cut])
                found.measure(buffer[:cut])
                carry = buffer[cut:]
            found.scan(carry)
            found.measure(carry)
    return CellScan(
        found.errors, frozenset(found.formulas), found.last_row, max(found.last_column, 26)
    )


def _prefix(head: bytes) -> bytes | None:
    """The namespace prefix of the sheet's elements (b"" or e.g. b"x:"); None if the
    start of `<sheetData>` is not in `head`."""
    sheet_data = SHEET_DATA.search(head)
    if sheet_data is None:
        return None
    return sheet_data.group(1) + b":" if sheet_data.group(1) else b""


def _cut(data: bytes, cell_token: bytes) -> int:
    """Where to split `data` for scanning: at the start of its last cell, which may be
    unfinished (0: `data` is one unfinished cell, wait for more)."""
    pos = len(data)
    while (pos := data.rfind(cell_token, 0, pos)) >= 0:
        end = pos + len(cell_token)
        if end >= len(data) or data[end] in _DELIMITERS:
            break
    if pos > 0 or (pos == 0 and len(data) <= MAX_CELL_BYTES):
        return pos
    # No cell start (the parts around sheetData): split before the last tag.
    last = data.rfind(b"<", max(0, len(data) - 4096))
    return last if last >= 0 else len(data)


@lru_cache(maxsize=8)
def _formula_pattern(prefix: bytes) -> re.Pattern[bytes]:
    return re.compile(b"<" + re.escape(prefix) + rb"f[\s/>]")


class _Found:
    def __init__(self) -> None:
        self.errors: dict[Position, ExcelError] = {}
        self.formulas: set[Position] = set()
        self.columns = ColumnNumbers()
        self.prefix: bytes | None = None  # of the sheet's elements, once known
        self.last_row = 0
        self.last_column = 0

    def measure(self, data: bytes) -> None:
        """Track the last row and the widest column (two or three letters) in `data`:
        rows come in ascending order, so the last row tag of each chunk is enough, and a
        sheet with no column past Z costs one regex pass that finds nothing."""
        at = data.rfind(b"<" + (self.prefix or b"") + b"row")
        while at >= 0:
            tag_end = data.find(b">", at)
            row = ROW_REF.search(data, at, tag_end if tag_end > 0 else len(data))
            if row is not None:
                self.last_row = max(self.last_row, int(row.group(1)))
                break
            at = data.rfind(b"<" + (self.prefix or b"") + b"row", 0, at)
        for letters, number in WIDE_REF.findall(data):
            self.last_column = max(self.last_column, self.columns[letters])
            self.last_row = max(self.last_row, int(number))

    def scan(self, data: bytes) -> None:
        if data.find(ERROR_MARK) >= 0:
            self._scan_errors(data)
        # A compiled search for the formula tag is faster here than bytes.find ("<" is
        # the most common byte of a sheet).
        pattern = FORMULA if self.prefix is None else _formula_pattern(self.prefix)
        first = pattern.search(data)
        if first is not None:
            self._scan_formulas(data, first.start())

    def _position(self, data: bytes, begin: int, end: int) -> Position | None:
        """The position of the cell whose start tag is data[begin:end], if it has r=."""
        if not CELL_START.match(data, begin):
            return None
        ref = REF.search(data, begin, end)
        if ref is None:
            return None  # a cell without r= cannot be placed; calamine's value stands
        return int(ref.group(2)), self.columns[ref.group(1)]

    def _scan_errors(self, data: bytes) -> None:
        start = 0
        while (at := data.find(ERROR_MARK, start)) >= 0:
            start = at + len(ERROR_MARK)
            begin = data.rfind(b"<", 0, at)
            tag_end = data.find(b">", at)
            position = self._position(data, begin, tag_end)
            if position is None:
                continue
            end = data.find(b"</", tag_end)
            close = data.find(b"c>", end) if end >= 0 else -1
            value = VALUE.search(data, tag_end, close if close > 0 else len(data))
            text = value.group(1).decode("utf-8", "replace") if value else "#ERROR"
            self.errors[position] = ExcelError(text)

    def _scan_formulas(self, data: bytes, start: int) -> None:
        # <f> is a cell's first child, so the tag just before it is the cell's start tag;
        # an <xm:f> outside the cells (validations, sparklines) follows no cell start tag.
        for formula in FORMULA.finditer(data, start):
            begin = data.rfind(b"<", 0, formula.start())
            position = self._position(data, begin, formula.start())
            if position is not None and not is_constant_boolean(data, begin, formula.start()):
                self.formulas.add(position)


def is_constant_boolean(data: bytes, begin: int, at: int) -> bool:
    """Whether the cell whose start tag is data[begin:at] and whose `<f>` starts at `at`
    is LibreOffice's TRUE/FALSE: `=TRUE()` or `=FALSE()` alone, its cached value the
    same (1 or 0), the cell a boolean or a number. Anything more is a real formula."""
    found = CONSTANT_BOOLEAN.match(data, at)
    if found is None:
        return False
    kind = CELL_TYPE.search(data, begin, at)
    if kind is not None and kind.group(1) not in (b"b", b"n"):
        return False
    return (found.group(1).upper() == b"TRUE") == (found.group(2) == b"1")
