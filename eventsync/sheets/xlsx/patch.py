"""Annotate stage: write a few cells (updatedAt, syncError, HubSpot's values) into the user's
workbook, or check beforehand that the write would succeed.

The user's workbook carries things no Python library round-trips (charts, text boxes,
x14 conditional formats, sparklines, VBA, comment formatting, cached formula results), so
this module never re-saves it through a spreadsheet library. It splices new `<c>`
elements into the original bytes of one worksheet part, streaming, and copies every
other zip member as its raw compressed record (`package.write_package`). `check_cells`
runs the very same splice with a sink that discards the bytes, so everything the write
could refuse is refused before anything is sent to HubSpot.

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
  cell limit raise CellValueError (an UnsupportedWorkbookError naming the cell): the
  caller shortens its messages, we never truncate.
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

import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import IO

from eventsync.messages import Text
from eventsync.model import CellValue
from eventsync.safe_files import open_shared
from eventsync.sheets.xlsx.calc_chain import calc_chain_cuts, drop_calc_chain
from eventsync.sheets.xlsx.overlap import PIECE_BYTES, read_ahead
from eventsync.sheets.xlsx.package import (
    DeflatedPart,
    DeflateWriter,
    check_part_size,
    read_members,
    write_package,
)
from eventsync.sheets.xlsx.parts import find_sheet_part, find_workbook_part
from eventsync.sheets.xlsx.refusals import reading
from eventsync.sheets.xlsx.splice import splice_sheet
from eventsync.sheets.xlsx.splice_plan import make_plan
from eventsync.sheets.xlsx.styles import date_styles, uses_1904_dates
from eventsync.sheets.xlsx.tables import check_table_headers, read_tables

SINK_FLUSH_BYTES = 1 << 20
# What check_cells pretends to write at a bare position: a non-empty text, so the
# splice visits (and may refuse) every cell the write could touch.
PLACEHOLDER_TEXT = "eventsync"

Position = tuple[int, int]  # (row_number, column_number), both 1-based


def patch_cells(
    src: Path,
    dst: Path,
    sheet_name: str,
    cells: Mapping[Position, CellValue],
    *,
    header_row: int = 1,
    source: IO[bytes] | None = None,
) -> None:
    """Write values into cells of one worksheet of src, saving the result to dst (dst != src;
    the caller does the atomic rename). With `source` (an open handle of src), every part
    is read from that handle: a save replacing src meanwhile cannot mix two versions.

    cells: (row_number, column_number), both 1-based as Excel shows them (row 1, column
    A=1) -> the value to write (str, bool, int, float, datetime, date; a datetime must be
    naive: Excel cells hold no time zone), or None / "" to make the cell empty (value
    removed, style kept). An overwritten cell keeps its style; a new cell below the header
    takes the style of the nearest cell above it in its column. Cells in `header_row` that
    did not exist (or were empty) before are new header cells: they take the style of the
    nearest non-empty header cell to their left, and a sheet autoFilter ending just before
    them is extended over them. Tables are not changed.

    Raises UnsupportedWorkbookError (naming file, sheet and cell) for what cannot be
    written safely, SheetError for a missing sheet, ValueError/TypeError for a caller's
    mistake (a position outside the grid, dst == src, a value of the wrong type).
    """
    src, dst = Path(src), Path(dst)
    if dst.resolve() == src.resolve():
        raise ValueError(f"patch_cells writes to a new file; dst is the source {src}")
    if source is None:
        with open_shared(src) as handle:
            _splice_workbook(src, handle, sheet_name, cells, header_row, dst)
    else:
        _splice_workbook(src, source, sheet_name, cells, header_row, dst)


def check_cells(
    src: Path,
    sheet_name: str,
    positions: Iterable[Position] | Mapping[Position, CellValue],
    *,
    header_row: int = 1,
) -> None:
    """Raise what `patch_cells` would raise for writing into these cells, without writing.

    It runs the same splice over the same bytes, with a sink that discards them: no
    deflating, no temporary file, no output. Bare positions are checked as if a text were
    written into each; a mapping is checked with its own values (so a header cell that
    repeats its table column's name passes, as it does in the write).
    """
    src = Path(src)
    cells = (
        positions if isinstance(positions, Mapping) else dict.fromkeys(positions, PLACEHOLDER_TEXT)
    )
    with open_shared(src) as handle:
        _splice_workbook(src, handle, sheet_name, cells, header_row, None)


def _splice_workbook(
    src: Path,
    source: IO[bytes],
    sheet_name: str,
    cells: Mapping[Position, CellValue],
    header_row: int,
    dst: Path | None,
) -> None:
    """The write (to dst) or, with dst None, the check: one code path up to the output.
    Every byte is read from `source`, one open handle of src."""
    where = Text("refuse.in_sheet_named", file=src.name, sheet=sheet_name)
    workbook_part = find_workbook_part(src, source)
    with reading(src), zipfile.ZipFile(source) as zf:
        has_dates = any(isinstance(value, date) for value in cells.values())
        date1904 = has_dates and uses_1904_dates(zf, workbook_part)
        plan = make_plan(cells, header_row, where, date1904=date1904)
        if has_dates:
            plan = replace(plan, date_styles=date_styles(zf, workbook_part))
        sheet_part = find_sheet_part(zf, workbook_part, sheet_name, src.name)
        check_table_headers(read_tables(zf, sheet_part), cells, where)
        with zf.open(sheet_part) as raw, read_ahead(raw, PIECE_BYTES) as stream:
            if dst is None:
                counter = CountingSink()
                outcome = splice_sheet(stream, plan, counter)
                check_part_size(counter.size, 0)
            else:
                writer = DeflateWriter()
                sink = DeflatingSink(writer)
                outcome = splice_sheet(stream, plan, sink)
                sink.flush()
                sheet = writer.finish()
        if dst is None:
            if outcome.replaced_formula:
                calc_chain_cuts(zf, workbook_part)
        else:
            replacements: dict[str, DeflatedPart | None] = {sheet_part: sheet}
            if outcome.replaced_formula:
                replacements.update(drop_calc_chain(zf, workbook_part))
    if dst is None:
        read_members(src, source)  # the zip directory the write would copy from
    else:
        write_package(src, dst, replacements, source)


class DeflatingSink:
    """Collects output pieces and hands them to the deflater about a megabyte at a time."""

    def __init__(self, writer: DeflateWriter) -> None:
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


class CountingSink:
    """Discards the output, counting its bytes (the write refuses a part over 4 GB)."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> None:
        self.size += len(data)
