"""Annotate stage: write a few cells (updatedAt, syncError, HubSpot's values) into the user's workbook.

The user's workbook carries things no Python library round-trips (charts, text boxes,
x14 conditional formats, sparklines, VBA, comment formatting, cached formula results), so
this module never re-saves it through a spreadsheet library. It splices new `<c>`
elements into the original bytes of one worksheet part, streaming, and copies every
other zip member as its raw compressed record (`xlsx_parts.write_package`).

It must never: change a cell it was not asked to write, emit a formula, drop a cell's
style, overwrite the master cell of a shared/array formula, touch any other zip member
(the one exception is below), or parse the user's XML with entities or network enabled.

Inside the sheet part only these bytes change: the written cells, `<dimension ref>`, the
start tags of touched rows (their `spans`; `<row .../>` becomes `<row ...>...</row>`),
new `<row>` elements for rows that did not exist, and an extended `<autoFilter ref>`.

Decisions:
- Values are typed: `str` is text, `bool` a TRUE/FALSE cell (`t="b"`), `int`/`float` a
  number, `datetime`/`date` a number holding the Excel serial in the workbook's date
  system (`<workbookPr date1904>`). A date-time goes in as a serial only where the cell's
  style (kept or borrowed, see below) is a date or time format; in a cell formatted as
  General or text a serial would show as 46118.42 and read back as a number, so there it
  is written as the text `2026-04-06 10:00` (seconds and milliseconds when it has them),
  which the reader parses like any typed date. The same text is used for dates a serial
  cannot carry (before 1900-01-01, or 1904-01-02 in the 1904 system: a serial below 1
  reads back as a time of day). styles.xml is only read, never changed.
- Text is written as an inline string (`t="inlineStr"`, `xml:space="preserve"`), so
  `sharedStrings.xml` is untouched and a text starting with `=`, `+`, `-`, `@`, tab, CR
  or LF stays text: an inline string is never a formula.
- An overwritten cell keeps its `s` (and gets an explicit `r`); its children and its
  `t`/`cm`/`vm`/`ph` attributes go. Writing None or "" leaves `<c r=".." s=".."/>`
  (value gone, style kept); empty writes to cells that do not exist change nothing.
- A new cell below the header row takes the `s` of the nearest existing cell above it in
  the same column (below the header), as the sheet will be after this write: appended
  rows get the column's date or number format, a new annotation column stays unstyled.
- Characters: C0 controls other than tab and LF, and CR (which XML parsers would turn
  into LF), are written in Excel's `_xHHHH_` form; an underscore that would otherwise
  read as the start of such an escape is written `_x005F_` (so the literal text
  `_x000D_` survives). Excel and calamine decode these; openpyxl does not decode them in
  inline strings (it shows the `_xHHHH_` text). U+FFFE, U+FFFF and lone surrogates cannot
  be carried by XML or UTF-8 at all and become U+FFFD. Texts over Excel's 32,767-character
  cell limit raise ValueError: the caller shortens its messages, we never truncate.
- `spans` (an optional hint) is widened on touched rows that have it; new rows get none.
- New header cells (header-row cells that were absent or empty and now get text) take
  the style of the nearest non-empty header cell to their left, unless the empty cell
  already had a style of its own (the user formatted it). A sheet `<autoFilter>` whose
  ref covers the header row and ends just left of new header cells is extended over
  them. The hidden `_xlnm._FilterDatabase` name in workbook.xml is left as it is (changing
  it would rewrite workbook.xml; Excel takes the sheet's autoFilter and rewrites the name
  when it saves).
- Tables (ListObjects) are never changed: annotation columns that land just right of a
  table sit beside it, outside the table and its filter; the user can widen the table in
  Excel. Writing into a table's header row is refused unless the text equals that
  column's name, because a header cell that differs from its table column makes Excel
  repair the file.
- Replacing a formula cell makes `xl/calcChain.xml` stale, so then that part is dropped
  together with its relationship (in the workbook's .rels) and its `[Content_Types].xml`
  override: those two members change by exactly the removed element. Excel rebuilds the
  chain on load. Without a replaced formula, every other member is byte-identical.
- Column widths for new columns are not set (`<cols>` is left alone).
- The sheet scanner is a byte scanner, not an XML parser: XML comments, CDATA sections
  and processing instructions inside `<sheetData>` (no spreadsheet program writes them),
  a DOCTYPE, and non-UTF-8 sheet parts are refused rather than guessed at.

Known limits: cells inside an array formula's range (other than its master) are not
detected; a caller writing there breaks that array. Rows and cells must be in ascending
order, as the format requires; out-of-order files are refused.
"""

from __future__ import annotations

import re
import zipfile
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO, NamedTuple

from sync.errors import UnsupportedWorkbookError
from sync.sheets.xlsx.parts import (
    SAVE_AS_XLSX,
    STRICT_NS,
    DeflatedPart,
    DeflateWriter,
    Table,
    column_letters,
    column_number,
    date_styles,
    drop_calc_chain,
    find_sheet_part,
    find_workbook_part,
    format_ref,
    parse_ref,
    read_tables,
    reading,
    uses_1904_dates,
    write_package,
)
from sync.sheets.xlsx.values import (
    DATE,
    NUMBER,
    CellValue,
    Encoded,
    encode_text,
    encode_value,
)

MAX_ROW = 1_048_576
MAX_COLUMN = 16_384

READ_CHUNK_BYTES = 1 << 20
SINK_FLUSH_BYTES = 1 << 20


def check_patchable(path: Path) -> None:
    """Raise UnsupportedWorkbookError (message: what the file is and what to do) for files
    we cannot patch safely: .xls and encrypted workbooks (OLE containers), other non-zip
    files, .xlsb, .ods, strict OOXML, a missing workbook part. Reads only the first bytes,
    the zip directory, `_rels/.rels` and the first tag of the workbook part."""
    find_workbook_part(Path(path))


# --- the write ----------------------------------------------------------------------------


def patch_cells(
    src: Path,
    dst: Path,
    sheet_name: str,
    cells: Mapping[tuple[int, int], CellValue],
    *,
    header_row: int = 1,
) -> None:
    """Write values into cells of one worksheet of src, saving the result to dst (dst != src;
    the caller does the atomic rename).

    cells: (row_number, column_number), both 1-based as Excel shows them (row 1, column
    A=1) -> the value to write (str, bool, int, float, datetime, date; a datetime must be
    naive: Excel cells hold no time zone), or None / "" to make the cell empty (value
    removed, style kept). An overwritten cell keeps its style; a new cell below the header
    takes the style of the nearest cell above it in its column. Cells in `header_row` that
    did not exist (or were empty) before are new header cells: they take the style of the
    nearest non-empty header cell to their left, and a sheet autoFilter ending just before
    them is extended over them. Tables are not changed.
    """
    src, dst = Path(src), Path(dst)
    if dst.resolve() == src.resolve():
        raise ValueError(f"patch_cells writes to a new file; dst is the source {src}")
    where = f"{src.name}, sheet {sheet_name!r}"
    workbook_part = find_workbook_part(src)
    with reading(src), zipfile.ZipFile(src) as zf:
        has_dates = any(isinstance(value, date) for value in cells.values())
        date1904 = has_dates and uses_1904_dates(zf, workbook_part)
        plan = _make_plan(cells, header_row, where, date1904=date1904)
        if has_dates:
            plan = replace(plan, date_styles=date_styles(zf, workbook_part))
        sheet_part = find_sheet_part(zf, workbook_part, sheet_name, src.name)
        _check_tables(read_tables(zf, sheet_part), cells, where)
        with zf.open(sheet_part) as stream:
            sheet, outcome = _splice_sheet(stream, plan)
        replacements: dict[str, DeflatedPart | None] = {sheet_part: sheet}
        if outcome.replaced_formula:
            replacements.update(drop_calc_chain(zf, workbook_part))
    write_package(src, dst, replacements)


@dataclass(frozen=True)
class _Plan:
    rows: dict[int, dict[int, Encoded | None]]  # row_number -> column -> value (None = empty)
    order: list[int]  # row numbers, ascending
    header_row: int
    bounds: tuple[int, int, int, int] | None  # cells that get a value: rows and columns
    where: str  # file and sheet, for messages
    # Columns that get a value below the header, with `<c r="` + their letters: a new cell
    # there takes the style of the nearest cell above it, so those styles are followed.
    followed: tuple[tuple[int, bytes], ...] = ()
    followed_columns: frozenset[int] = frozenset()
    date_styles: frozenset[bytes] = frozenset()  # `s` values whose format is a date/time


@dataclass
class _Outcome:
    new_header_columns: set[int] = field(default_factory=set)
    replaced_formula: bool = False
    # column -> `s` of the nearest cell so far below the header (None: no style).
    above: dict[int, bytes | None] = field(default_factory=dict)


def _make_plan(
    cells: Mapping[tuple[int, int], CellValue], header_row: int, where: str, *, date1904: bool
) -> _Plan:
    _check_position(header_row, 1, where)
    rows: dict[int, dict[int, Encoded | None]] = {}
    followed: set[int] = set()
    top, left, bottom, right = MAX_ROW + 1, MAX_COLUMN + 1, 0, 0
    for (row, column), value in cells.items():
        # type() is: bool and float are no row numbers (and this runs 200k times).
        if (
            not (type(row) is int and type(column) is int and 0 < row <= MAX_ROW)
            or not 0 < column <= MAX_COLUMN
        ):
            _check_position(row, column, where)
        if type(value) is str:
            encoded = encode_text(value, where) if value else None
        else:
            encoded = encode_value(value, where, date1904=date1904)
        rows.setdefault(row, {})[column] = encoded
        if encoded is not None:
            top, bottom = min(top, row), max(bottom, row)
            left, right = min(left, column), max(right, column)
            if row > header_row:
                followed.add(column)
    bounds = (top, left, bottom, right) if bottom else None
    return _Plan(
        rows,
        sorted(rows),
        header_row,
        bounds,
        where,
        tuple((c, column_letters(c)) for c in sorted(followed)),
        frozenset(followed),
    )


def _check_position(row: object, column: object, where: str) -> None:
    for value, limit, what in ((row, MAX_ROW, "row"), (column, MAX_COLUMN, "column")):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
            raise ValueError(f"{where}: {what} {value!r} is not a {what} number 1..{limit}")


def _check_tables(
    tables: list[Table], cells: Mapping[tuple[int, int], CellValue], where: str
) -> None:
    for table in tables:
        if not table.has_header:
            continue
        for (row, column), text in cells.items():
            if row != table.first_row or not table.first_col <= column <= table.last_col:
                continue
            index = column - table.first_col
            name = table.columns[index] if index < len(table.columns) else None
            if name is None or (text != name and text != _decode_name(name)):
                raise ValueError(
                    f"{where}: {column_letters(column).decode()}{row} is a header cell of "
                    f"table {table.name!r} (column {name!r}); writing {text!r} there would "
                    "make Excel repair the file"
                )


def _decode_name(name: str) -> str:
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), name)


# --- the sheet scanner --------------------------------------------------------------------

# Attributes of a start tag, quotes honoured ("unrolled" so runs of plain bytes are one
# step of the regex engine); the _OPEN form stops before the "/>" of an empty element.
_ATTRS = rb"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*"""
_ATTRS_OPEN = rb"""[^>"'/]*(?:(?:"[^"]*"|'[^']*'|/(?!>))[^>"'/]*)*"""
_SHEET_DATA = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?sheetData(?=[\s/>])(" + _ATTRS + rb")>")
_AFTER_AUTOFILTER = (
    b"sortState|dataConsolidate|customSheetViews|mergeCells|phoneticPr|conditionalFormatting"
    b"|dataValidations|hyperlinks|printOptions|pageMargins|pageSetup|headerFooter|rowBreaks"
    b"|colBreaks|customProperties|cellWatches|ignoredErrors|smartTags|drawing|legacyDrawing"
    b"|legacyDrawingHF|drawingHF|picture|oleObjects|controls|webPublishItems|tableParts|extLst"
)
_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([^"']+)""")
_DIGITS = re.compile(rb"\d+")


@dataclass(frozen=True)
class _Patterns:
    """Regular expressions for one namespace prefix (b"" or e.g. b"x:")."""

    prefix: bytes
    row: re.Pattern[bytes]
    row_close: re.Pattern[bytes]
    cell_after_space: re.Pattern[bytes]
    cell_with_r: re.Pattern[bytes]
    cell_token: bytes
    cell_without_r: re.Pattern[bytes]
    cell_r_token: bytes
    formula_token: bytes
    row_start: bytes
    row_end: bytes
    text_cell: bytes  # % (ref, style attribute, text)
    bool_cell: bytes  # % (ref, style attribute, b"1" or b"0")
    number_cell: bytes  # % (ref, style attribute, number)
    empty_cell: bytes  # % (ref, style attribute, b"")
    has_value: re.Pattern[bytes]
    formula: re.Pattern[bytes]
    dimension: re.Pattern[bytes]
    autofilter: re.Pattern[bytes]


# Templates: "@" stands for the namespace prefix of the sheet's elements.
_CELL = rb"<@c(?=[\s/>])(?P<a>ATTRS_OPEN)(?:/>|>(?P<b>.*?)</@c\s*>)"
# The usual spelling, `<c r="B2" s="3" ...>`: column and style come with the match.
_CELL_WITH_R = rb"""<@c(?P<a> r="(?P<col>[A-Z]{1,3})\d+"(?: s="(?P<s>\d+)")?ATTRS_OPEN)"""
_TEXT_CELL = b'<@c r="%s"%s t="inlineStr"><@is><@t xml:space="preserve">%s</@t></@is></@c>'


@lru_cache(maxsize=8)
def _patterns(prefix: bytes) -> _Patterns:
    def compile_(template: bytes, flags: int = 0) -> re.Pattern[bytes]:
        pattern = template.replace(b"@", re.escape(prefix)).replace(b"AFTER", _AFTER_AUTOFILTER)
        pattern = pattern.replace(b"ATTRS_OPEN", _ATTRS_OPEN).replace(b"ATTRS", _ATTRS)
        return re.compile(pattern, flags)

    return _Patterns(
        prefix=prefix,
        # A row's start tag (its number captured when r= comes first), or the end of rows.
        row=compile_(
            rb"""<@row(?=[\s/>])(?P<a>(?: r="(?P<r>\d+)")?ATTRS_OPEN)(?P<empty>/?)>"""
            rb"|(?P<end></@sheetData\s*>)"
        ),
        row_close=compile_(rb"</@row\s*>"),
        cell_after_space=compile_(rb"\s*(?P<c>" + _CELL + b")", re.S),
        cell_with_r=compile_(_CELL_WITH_R + rb"(?:/>|>(?P<b>.*?)</@c\s*>)", re.S),
        cell_token=b"<" + prefix + b"c",
        cell_without_r=compile_(rb'<@c(?=[\s/>])(?! r=")'),
        cell_r_token=b"<" + prefix + b'c r="',
        formula_token=b"<" + prefix + b"f",
        row_start=b"<" + prefix + b"row",
        row_end=b"</" + prefix + b"row>",
        text_cell=_TEXT_CELL.replace(b"@", prefix),
        bool_cell=b'<@c r="%s"%s t="b"><@v>%s</@v></@c>'.replace(b"@", prefix),
        number_cell=b'<@c r="%s"%s><@v>%s</@v></@c>'.replace(b"@", prefix),
        empty_cell=b'<@c r="%s"%s/>%s'.replace(b"@", prefix),
        has_value=compile_(rb"<@(?:v|is|f)(?=[\s/>])"),
        formula=compile_(rb"<@f(?=[\s/>])(ATTRS)>"),
        dimension=compile_(rb"<@dimension(?=[\s/>])(?P<a>ATTRS)>"),
        # The autoFilter, or the first element that can only come after it.
        autofilter=compile_(
            rb"<@(?:autoFilter(?=[\s/>])(?P<a>ATTRS)>|(?:AFTER)(?=[\s/>]))|</@worksheet\s*>"
        ),
    )


@lru_cache(maxsize=16)
def _attr_pattern(name: bytes) -> re.Pattern[bytes]:
    # The look-behind keeps `s` from matching the end of `spans`, `r` of `x14ac:r`.
    return re.compile(rb"(?<![\w:.-])" + name + rb"""\s*=\s*(["'])(?P<v>.*?)\1""", re.S)


def _attr_span(attrs: bytes, name: bytes) -> tuple[int, int] | None:
    """Where the value of attribute `name` sits in a start tag's attribute bytes."""
    # Fast path for the common spelling ` name="value"`: with no single quote in the tag,
    # every value is double-quoted and cannot contain `"`, so ` r="` starts an attribute.
    if b"'" not in attrs:
        key = b" " + name + b'="'
        at = attrs.find(key)
        if at >= 0:
            start = at + len(key)
            return start, attrs.index(b'"', start)
    found = _attr_pattern(name).search(attrs)
    return found.span("v") if found else None


def _attr(attrs: bytes, name: bytes) -> bytes | None:
    span = _attr_span(attrs, name)
    return attrs[span[0] : span[1]] if span else None


def _with_attr(attrs: bytes, name: bytes, value: bytes) -> bytes:
    start, end = _attr_span(attrs, name)
    return attrs[:start] + value + attrs[end:]


class _Scanner:
    """A window over the sheet part: `buf[done:]` has not been written out yet.

    Positions into `buf` stay valid until `compact`, which the row loop calls only
    between rows; reading more only appends."""

    def __init__(self, stream: IO[bytes]):
        self.stream = stream
        self.buf = b""
        self.done = 0

    def read_more(self) -> bool:
        chunk = self.stream.read(READ_CHUNK_BYTES)
        self.buf += chunk
        return bool(chunk)

    def search(self, pattern: re.Pattern[bytes], start: int) -> re.Match[bytes] | None:
        while True:
            found = pattern.search(self.buf, start)
            if found is not None or not self.read_more():
                return found

    def copy_to(self, end: int, sink: _Sink) -> None:
        if end > self.done:
            sink.write(self.buf[self.done : end])
        self.done = end

    def compact(self, upto: int, sink: _Sink) -> None:
        self.copy_to(upto, sink)
        self.buf = self.buf[upto:]
        self.done = 0

    def copy_rest(self, sink: _Sink) -> None:
        self.copy_to(len(self.buf), sink)
        self.buf, self.done = b"", 0
        while chunk := self.stream.read(READ_CHUNK_BYTES):
            sink.write(chunk)


class _Sink:
    """Collects output pieces and hands them to the deflater about a megabyte at a time."""

    def __init__(self, writer: DeflateWriter):
        self.writer = writer
        self.pieces: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> None:
        self.pieces.append(data)
        self.size += len(data)
        if self.size >= SINK_FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        self.writer.write(b"".join(self.pieces))
        self.pieces, self.size = [], 0


def _splice_sheet(stream: IO[bytes], plan: _Plan) -> tuple[DeflatedPart, _Outcome]:
    scanner = _Scanner(stream)
    writer = DeflateWriter()
    sink = _Sink(writer)
    outcome = _Outcome()
    pats, cur = _splice_head(scanner, sink, plan, outcome)
    if cur is not None:
        cur = _splice_rows(scanner, sink, plan, pats, outcome, cur)
    _splice_tail(scanner, sink, plan, pats, outcome, scanner.done)
    sink.flush()
    return writer.finish(), outcome


def _splice_head(
    sc: _Scanner, sink: _Sink, plan: _Plan, outcome: _Outcome
) -> tuple[_Patterns, int | None]:
    """Write everything up to and including `<sheetData>`; returns where rows start
    (None when the sheet had `<sheetData/>` and its new rows are already written)."""
    sc.read_more()
    if sc.buf.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refusal(plan, "the sheet is stored as UTF-16")
    found = sc.search(_SHEET_DATA, 0)
    if found is None:
        raise _refusal(plan, "the sheet has no <sheetData>")
    head = sc.buf[: found.start()]
    _check_head(head, plan)
    pats = _patterns(found.group(1) + b":" if found.group(1) else b"")
    sink.write(_with_dimension(head, pats, plan))
    sc.done = found.end()
    attrs = found.group(2)
    if not attrs.endswith(b"/"):
        sink.write(found.group())
        return pats, found.end()
    sink.write(b"<" + pats.prefix + b"sheetData" + attrs[:-1] + b">")
    for number in plan.order:
        sink.write(_new_row(number, plan, pats, outcome))
    sink.write(b"</" + pats.prefix + b"sheetData>")
    return pats, None


def _check_head(head: bytes, plan: _Plan) -> None:
    declared = _ENCODING.search(head[:200])
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        raise _refusal(plan, f"the sheet is stored as {declared.group(1).decode()}")
    if b"<!DOCTYPE" in head:
        raise _refusal(plan, "the sheet has a DOCTYPE")
    if STRICT_NS.encode() in head:
        raise _refusal(plan, "the sheet is Strict Open XML")


def _with_dimension(head: bytes, pats: _Patterns, plan: _Plan) -> bytes:
    found = pats.dimension.search(head)
    ref = _attr(found.group("a"), b"ref") if found else None
    old = parse_ref(ref) if ref else None
    if plan.bounds is None or old is None:
        return head
    new = plan.bounds
    union = (min(old[0], new[0]), min(old[1], new[1]), max(old[2], new[2]), max(old[3], new[3]))
    attrs = _with_attr(found.group("a"), b"ref", format_ref(*union))
    return head[: found.start("a")] + attrs + head[found.end("a") :]


def _splice_rows(
    sc: _Scanner, sink: _Sink, plan: _Plan, pats: _Patterns, outcome: _Outcome, cur: int
) -> int:
    """Copy rows, splicing the planned ones and inserting missing ones in order; returns
    the position of `</sheetData>` (not yet written)."""
    pending, last, checked, buf = 0, 0, cur, sc.buf
    order, row, row_close, followed = plan.order, pats.row, pats.row_close, plan.followed
    while True:
        found = row.search(buf, cur)
        if found is None:
            found, buf = sc.search(row, cur), sc.buf
            if found is None:
                raise _refusal(plan, "the sheet ends inside <sheetData>")
        if found["end"] is not None:
            _check_plain(buf, checked, found.start(), plan)
            sc.copy_to(found.start(), sink)
            for number in order[pending:]:
                sink.write(_new_row(number, plan, pats, outcome))
            return found.start()
        number = int(found["r"]) if found["r"] is not None else _row_number(found, last, plan)
        if number <= last:
            raise _refusal(plan, f"row {number} comes after row {last}")
        if found["empty"]:
            body_end = cur = found.end()
            close = None
        else:
            closing = row_close.search(buf, found.end())
            if closing is None:
                closing, buf = sc.search(row_close, found.end()), sc.buf
                if closing is None:
                    raise _refusal(plan, f"row {number} is not closed")
            body_end, cur, close = closing.start(), closing.end(), closing.group()
        planned = None
        if pending < len(order) and order[pending] <= number:
            sc.copy_to(found.start(), sink)
            while pending < len(order) and order[pending] < number:
                sink.write(_new_row(order[pending], plan, pats, outcome))
                pending += 1
            if pending < len(order) and order[pending] == number:
                planned = plan.rows[number]
                pending += 1
        # Note the styles of this row's cells in the followed columns, for new cells
        # below; _splice_row notes those of the cells it looks up anyway.
        if (
            followed
            and close is not None
            and number > plan.header_row
            and (planned is None or not planned.keys() >= plan.followed_columns)
        ):
            _follow_styles(buf, found.end(), body_end, number, plan, pats, outcome)
        if planned is not None:
            body = buf[found.end() : body_end]
            spliced = _splice_row(number, found["a"], body, close, plan, pats, outcome)
            if spliced is not None:
                sink.write(spliced)
                sc.done = cur
        last = number
        if cur >= READ_CHUNK_BYTES:
            _check_plain(buf, checked, cur, plan)
            sc.compact(cur, sink)
            cur = checked = 0
            buf = sc.buf


def _row_number(found: re.Match[bytes], last: int, plan: _Plan) -> int:
    r = _attr(found["a"], b"r")
    if r is None:
        return last + 1  # rows without r= follow the previous row
    if not r.isdigit():
        raise _refusal(plan, f"a row after row {last} has the number {r.decode()!r}")
    return int(r)


def _follow_styles(
    buf: bytes, start: int, end: int, number: int, plan: _Plan, pats: _Patterns, outcome: _Outcome
) -> None:
    """Note the `s` of this row's cells in the followed columns (rows below the header).

    Runs on every row, so the usual spelling `<c r="P7" s="3"` is found with one find per
    column; only a row whose cells lack r= is read cell by cell."""
    above, row = outcome.above, b'%d"' % number
    by_reference = None
    for column, letters in plan.followed:
        needle = pats.cell_r_token + letters + row
        at = buf.find(needle, start, end)
        if at >= 0:
            at += len(needle)
            if buf.startswith(b' s="', at):  # the usual spelling: s= right after r=
                above[column] = buf[at + 4 : buf.index(b'"', at + 4)]
            else:
                attrs = buf[at : buf.find(b">", at, end)]
                above[column] = _attr(attrs, b"s") if b"s=" in attrs else None
            continue
        if by_reference is None:  # does every cell of the row start with r=?
            by_reference = pats.cell_without_r.search(buf, start, end) is None
        if not by_reference:
            for cell in _all_cells(buf[start:end], number, plan, pats):
                if cell.column in plan.followed_columns:
                    above[cell.column] = cell.style
            return


def _check_plain(buf: bytes, start: int, end: int, plan: _Plan) -> None:
    # Comments, CDATA and processing instructions could hide "</row>" or "<c" from a
    # byte scanner; no spreadsheet program writes them inside sheetData.
    if buf.find(b"<!", start, end) >= 0 or buf.find(b"<?", start, end) >= 0:
        raise _refusal(plan, "the cell data contains XML comments or CDATA")


def _splice_tail(
    sc: _Scanner, sink: _Sink, plan: _Plan, pats: _Patterns, outcome: _Outcome, cur: int
) -> None:
    """Copy everything after the rows, extending the autoFilter over new header cells."""
    if outcome.new_header_columns:
        found = sc.search(pats.autofilter, cur)
        attrs = found.group("a") if found else None
        new_attrs = _extended_autofilter(attrs, plan, outcome) if attrs else None
        if new_attrs is not None:
            sc.copy_to(found.start("a"), sink)
            sink.write(new_attrs)
            sc.done = found.end("a")
    sc.copy_rest(sink)


def _extended_autofilter(attrs: bytes, plan: _Plan, outcome: _Outcome) -> bytes | None:
    ref = _attr(attrs, b"ref")
    bounds = parse_ref(ref) if ref else None
    if bounds is None:
        return None
    top, left, bottom, right = bounds
    if not top <= plan.header_row <= bottom:
        return None
    new_right = right
    while new_right + 1 in outcome.new_header_columns:
        new_right += 1
    if new_right == right:
        return None
    return _with_attr(attrs, b"ref", format_ref(top, left, bottom, new_right))


# --- rows and cells -----------------------------------------------------------------------


class _Cell(NamedTuple):
    column: int
    start: int  # of "<c" in the row body
    end: int  # just after "</c>" or "/>"
    attrs: bytes
    inner: bytes | None  # None for <c .../>
    style: bytes | None  # its s= value


def _cells_of(
    body: bytes, wanted: list[int], number: int, plan: _Plan, pats: _Patterns
) -> list[_Cell]:
    """The cells a write to the `wanted` columns (ascending) needs, in order: those at
    the wanted columns and the last cell of the row (after which new cells go).

    A 100k-row annotation touches every row, so the usual row is not read cell by cell:
    when every "<c" in it starts a cell whose first attribute is r= (count equal; rich
    text elements such as <color> make them differ), a cell is found by its reference
    alone. Rows where that does not hold, the header row (it needs its left neighbours'
    styles) and writes that land between existing cells read the whole row.
    """
    token = pats.cell_r_token
    if (
        number == plan.header_row
        or b"extLst" in body
        or body.count(pats.cell_token) != body.count(token)
    ):
        return _all_cells(body, number, plan, pats)
    last = body.rfind(token)
    if last < 0:
        return []
    tail = pats.cell_with_r.match(body, last)
    if tail is None or body[tail.end() :].strip():
        return _all_cells(body, number, plan, pats)
    last_column = _COLUMNS[tail["col"]]
    row = b'%d"' % number
    cells = []
    for column in wanted:
        if column >= last_column:
            break
        at = body.find(token + column_letters(column) + row)
        found = pats.cell_with_r.match(body, at) if at >= 0 else None
        if found is None:
            return _all_cells(body, number, plan, pats)
        cells.append(_Cell(column, at, found.end(), found["a"], found["b"], _style(found)))
    cells.append(_Cell(last_column, last, tail.end(), tail["a"], tail["b"], _style(tail)))
    return cells


def _style(found: re.Match[bytes]) -> bytes | None:
    # Excel writes s= right after r=; the regex took it when it is there.
    if found["s"] is not None or b" s=" not in found["a"]:
        return found["s"]
    return _attr(found["a"], b"s")


def _all_cells(body: bytes, number: int, plan: _Plan, pats: _Patterns) -> list[_Cell]:
    cells: list[_Cell] = []
    pos = column = 0
    while (found := pats.cell_after_space.match(body, pos)) is not None:
        attrs = found.group("a")
        r = _attr(attrs, b"r")
        letters = _LETTERS.match(r) if r is not None else None
        next_column = _COLUMNS[letters.group()] if letters else column + 1
        if next_column <= column:
            raise _refusal(plan, f"the cells of row {number} are out of order")
        column = next_column
        cells.append(
            _Cell(column, found.start("c"), found.end(), attrs, found["b"], _attr(attrs, b"s"))
        )
        pos = found.end()
    rest = body[pos:].lstrip()
    if rest and not rest.startswith(b"<" + pats.prefix + b"extLst"):
        raise _refusal(plan, f"row {number} holds something other than cells")
    return cells


class _ColumnNumbers(dict):
    def __missing__(self, letters: bytes) -> int:
        self[letters] = number = column_number(letters)
        return number


_COLUMNS = _ColumnNumbers()
_LETTERS = re.compile(rb"[A-Za-z]{1,3}(?=\d)")


def _splice_row(
    number: int,
    attrs: bytes,
    body: bytes,
    close: bytes | None,
    plan: _Plan,
    pats: _Patterns,
    outcome: _Outcome,
) -> bytes | None:
    targets = plan.rows[number]
    wanted = sorted(targets)
    cells = _cells_of(body, wanted, number, plan, pats)
    columns = [c.column for c in cells]
    # New cells go after the last cell, before any extLst or trailing whitespace.
    after_cells = cells[-1].end if cells else 0
    row = b"%d" % number
    pieces, pos, written = [], 0, []
    for column in wanted:
        value = targets[column]
        i = bisect_left(columns, column)
        cell = cells[i] if i < len(cells) and columns[i] == column else None
        if cell is None and value is None:
            continue
        ref = column_letters(column) + row
        if cell is not None:
            style = cell.style
            if number > plan.header_row:
                outcome.above[column] = style
        elif number > plan.header_row:
            style = outcome.above.get(column)
        else:
            style = None
        if cell is not None and cell.inner and pats.formula_token in cell.inner:
            outcome.replaced_formula |= _holds_formula(cell.inner, ref, plan, pats)
        if number == plan.header_row and value and not (cell and _has_value(cell, pats)):
            outcome.new_header_columns.add(column)
            if style in (None, b"0"):
                style = _left_style(cells[:i], pats) or style
        start = cell.start if cell else cells[i].start if i < len(cells) else after_cells
        pieces += [body[pos:start], _cell_xml(pats, ref, style, value, plan)]
        pos = cell.end if cell else start
        if value is not None:
            written.append(column)
    if not pieces:
        return None  # only empty writes to cells that do not exist: keep the row's bytes
    pieces.append(body[pos:])
    if close is None:  # <row .../> grows a body
        close = pats.row_end
    if written and b"spans" in attrs:
        attrs = _with_spans(attrs, written[0], written[-1])
    return b"".join([pats.row_start, attrs, b">", *pieces, close])


def _has_value(cell: _Cell, pats: _Patterns) -> bool:
    return bool(cell.inner and pats.has_value.search(cell.inner))


def _holds_formula(inner: bytes, ref: bytes, plan: _Plan, pats: _Patterns) -> bool:
    formula = pats.formula.search(inner)
    if formula is None:
        return False
    master_of = _attr(formula.group(1), b"ref")
    if master_of is not None:
        raise ValueError(
            f"{plan.where}: {ref.decode()} holds the formula shared by {master_of.decode()}; "
            "overwriting it would break the other cells' formulas (choose another column)"
        )
    return True


def _left_style(cells_before: list[_Cell], pats: _Patterns) -> bytes | None:
    """Style of the nearest non-empty cell among `cells_before` (None if there is none)."""
    for cell in reversed(cells_before):
        if _has_value(cell, pats):
            return _attr(cell.attrs, b"s")
    return None


def _with_spans(attrs: bytes, low: int, high: int) -> bytes:
    span = _attr_span(attrs, b"spans")
    if span is None:
        return attrs
    start, end = span
    return attrs[:start] + _widened_spans(attrs[start:end], low, high) + attrs[end:]


@lru_cache(maxsize=256)  # rows in a block share one spans value
def _widened_spans(spans: bytes, low: int, high: int) -> bytes:
    """Widen `spans` ("1:15", or several "1:3 5:9") to cover columns low..high."""
    bounds = [int(n) for n in _DIGITS.findall(spans)]
    return b"%d:%d" % (min([low, *bounds]), max([high, *bounds]))


def _new_row(number: int, plan: _Plan, pats: _Patterns, outcome: _Outcome) -> bytes:
    cells = [(c, value) for c, value in sorted(plan.rows[number].items()) if value is not None]
    if not cells:
        return b""
    if number == plan.header_row:
        outcome.new_header_columns.update(c for c, _ in cells)
    above = outcome.above if number > plan.header_row else {}
    row = b"%d" % number
    xml = [
        _cell_xml(pats, column_letters(c) + row, above.get(c), value, plan) for c, value in cells
    ]
    return b"".join([pats.row_start, b' r="', row, b'">', *xml, pats.row_end])


def _cell_xml(
    pats: _Patterns, ref: bytes, style: bytes | None, value: Encoded | None, plan: _Plan
) -> bytes:
    s = b' s="%s"' % style if style is not None else b""
    if value is None:
        return pats.empty_cell % (ref, s, b"")
    if type(value) is bytes:
        return pats.text_cell % (ref, s, value)
    kind = value.kind
    if kind == DATE:
        if (style or b"0") not in plan.date_styles:
            return pats.text_cell % (ref, s, value.text)
        kind = NUMBER
    template = pats.number_cell if kind == NUMBER else pats.bool_cell
    return template % (ref, s, value.data)


def _refusal(plan: _Plan, what: str) -> UnsupportedWorkbookError:
    return UnsupportedWorkbookError(
        f"{plan.where}: {what}, which eventsync cannot annotate safely; open the file in "
        f"Excel and {SAVE_AS_XLSX}"
    )
