"""Read a sheet: an .xlsx/.xlsm workbook or a CSV -> header map and raw rows.

The first stage. It finds the events worksheet (`Events`, else the visible worksheet
whose header holds an objectId column: `sheet_choice`), its header row (below any title rows) and the columns eventsync knows, and
hands on raw cell values with the row numbers the user sees. It never interprets a
value (that is `inputs`) and never writes. A file that cannot be used at all raises
`SheetError` with a message naming the file and what to do.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, cast

from sync.columns import ANNOTATIONS, EVENT_FIELDS, OBJECT_ID, field_for_header, is_custom
from sync.errors import SheetError
from sync.messages import Text
from sync.model import FileStamp, HeaderCell, MergedRange, Sheet, SheetRow, frozen
from sync.sheets.csv_file import CsvTable, read_csv
from sync.sheets.csv_guard import unescape_value
from sync.sheets.layout import (
    MAX_HEADER_ROW,
    check_merged,
    find_header_row,
    header_row_in,
    occupied_beside,
)
from sync.sheets.sheet_choice import choose_sheet
from sync.sheets.xlsx.cell_scan import CellScan, scan_cells
from sync.sheets.xlsx.limits import check_extent, check_package_size
from sync.sheets.xlsx.macro_sheets import readable_by_calamine
from sync.sheets.xlsx.parts import check_patchable
from sync.sheets.xlsx.refs import column_letters
from sync.values import format_text, is_blank
from sync.visible import breaks_lines

if TYPE_CHECKING:
    from python_calamine import CalamineSheet, CalamineWorkbook

Position = tuple[int, int]  # (row, column), both 1-based

EVENTS_SHEET = "Events"
EVENTS_SHEET_NAMES = (EVENTS_SHEET, "イベント")  # the sheet read, whichever sheet is first
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SHEET_SUFFIXES = (*XLSX_SUFFIXES, ".csv")
READ_ATTEMPTS = 3  # reads of a file that changes while it is read, before giving up


def read_sheet(path: Path) -> Sheet:
    """The sheet at `path`, stamped with the version of the file it was read from (a save
    landing during the read is met by reading again)."""
    if breaks_lines(path.name):
        # Refused before anything names it: no message about the file can then show
        # its name across lines, the rest of it reading as eventsync's own.
        raise SheetError(Text("sheet.name_breaks_line", file=path.name))
    suffix = path.suffix.lower()
    if path.is_dir():
        raise SheetError(Text("limits.sheet_is_folder", path=path))
    if not path.is_file():
        raise SheetError(Text("refuse.no_file", path=path))
    if suffix in XLSX_SUFFIXES:
        read = _read_workbook
    elif suffix == ".csv":
        read = _read_csv
    else:
        raise _unknown_format(path)
    for _ in range(READ_ATTEMPTS):
        before = file_stamp(path)
        sheet = read(path)
        if file_stamp(path) == before:
            return replace(sheet, stamp=before)
    raise SheetError(Text("refuse.kept_changing", file=path.name))


def file_stamp(path: Path) -> FileStamp:
    """Identity, size and modification time of the file at `path` (through a symlink)."""
    return stamp_of(os.stat(path))


def stamp_of(status: os.stat_result) -> FileStamp:
    return FileStamp(status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def _unknown_format(path: Path) -> SheetError:
    if path.suffix.lower() == ".ods":  # the one .ods advice, as for one in the folder
        return SheetError(Text("folder.ods_one", names=path.name))
    return SheetError(Text("refuse.unknown_format", file=path.name))


def _read_csv(path: Path) -> Sheet:
    table = read_csv(path)
    if not table.rows:
        raise SheetError(Text("refuse.csv_empty", file=path.name))
    # Cells as the user typed them: without the formula guard eventsync writes into
    # CSV cells (csv_file.escape_value), so a value it wrote reads back as itself.
    grid = [
        tuple(map(unescape_value, row)) if any(v[:1] == "'" for v in row) else row
        for row in table.rows
    ]
    sheet = _build_sheet(path, "csv", None, grid)
    return replace(sheet, narrow_encoding=_narrow_encoding(table))


def _narrow_encoding(table: CsvTable) -> str | None:
    """ "cp932" for Japanese Excel's "CSV"; "ascii" for a UTF-8 file of plain ASCII (a
    save that turned every other character into "?" looks just like that)."""
    encoding = table.format.encoding
    if encoding == "cp932":
        return encoding
    if encoding == "utf-8" and all(value.isascii() for row in table.rows for value in row):
        return "ascii"
    return None


def _read_workbook(path: Path) -> Sheet:
    from python_calamine import CalamineError, CalamineWorkbook

    # Refuse what the writer could not annotate safely before anything is sent, and
    # what calamine could not read without taking all the memory there is.
    check_patchable(path)
    check_package_size(path)
    try:
        # A copy without Excel 4 macro sheets, which calamine cannot read past.
        with (
            readable_by_calamine(path) as readable,
            CalamineWorkbook.from_path(str(readable)) as workbook,
        ):
            name, probed = _events_sheet(path, workbook)
            if probed is None:
                scan = scan_cells(path, name)
                check_extent(path, name, scan.last_row, scan.last_column)
                sheet = workbook.get_sheet_by_name(name)
            else:
                scan, sheet = probed
            merged = sheet.merged_cell_ranges or []
            ranges = tuple((r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in merged)
            # Row by row: the whole grid as Python lists beside the sheet's rows would
            # double the memory a 100k-row sheet takes.
            rows = _rows_from_a1(sheet, scan.errors)
            first = next(rows, None)
            if first is None:
                raise SheetError(Text("refuse.sheet_empty", file=path.name, sheet=name))
            grid = chain([first], rows)
            return _build_sheet(
                path, "xlsx", name, grid, formula_cells=scan.formulas, merged=ranges
            )
    except CalamineError as error:
        raise SheetError(
            Text("refuse.unreadable_workbook", file=path.name, error=str(error))
        ) from None


def _rows_from_a1(
    sheet: CalamineSheet, errors: Mapping[Position, object]
) -> Iterator[list[object]]:
    """The sheet's rows from row 1, each from column A, error cells showing their error.

    calamine's iterator starts at row 1 but at the first used column (python-calamine
    issue 177); a version that starts both at the first used cell is met too: a row of
    nothing but empty cells before the range can only be one it filled in, since the
    range starts at a row holding a value."""
    start, end = sheet.start, sheet.end
    if start is None or end is None:
        return
    top, width = start[0], end[1] + 1
    by_row: dict[int, list[tuple[int, object]]] = {}
    for (row, column), shown in errors.items():
        by_row.setdefault(row, []).append((column, shown))
    number = 0
    for values in cast("Iterator[list[object]]", sheet.iter_rows()):
        if number == 0 and top and any(v != "" and v is not None for v in values):
            number = top  # not filled in: the first row is the range's
        number += 1
        if len(values) < width:
            values = [*([""] * (width - len(values))), *values]
        if number in by_row:
            for column, shown in by_row[number]:
                if column <= len(values):
                    values[column - 1] = shown
        yield values


def _events_sheet(
    path: Path, workbook: CalamineWorkbook
) -> tuple[str, tuple[CellScan, CalamineSheet] | None]:
    """The worksheet holding the events, and (when it was read to find that out) its scan
    and cells: the sheet named `Events` (or `イベント`), else the one visible worksheet
    whose header holds an objectId column (`choose_sheet` decides; a hidden sheet, a
    chart, dialog or macro sheet holds no events table)."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    sheets = workbook.sheets_metadata
    named = _named_events_sheet([sheet.name for sheet in sheets])
    if named is not None:
        return named, None
    visible = [
        sheet.name
        for sheet in sheets
        if sheet.typ == SheetTypeEnum.WorkSheet and sheet.visible == SheetVisibleEnum.Visible
    ]
    if len(visible) < 2:  # nothing to choose between: no sheet read twice
        return choose_sheet(path.name, visible, ()), None
    holding: list[str] = []
    first: tuple[CellScan, CalamineSheet] | None = None
    for name in visible:
        probed = _probe(path, workbook, name)
        if probed is None:
            continue
        holding.append(name)
        first = first or probed  # only the first is kept: a second one is refused
    chosen = choose_sheet(path.name, visible, holding)
    return chosen, (first if holding and chosen == holding[0] else None)


def _probe(
    path: Path, workbook: CalamineWorkbook, name: str
) -> tuple[CellScan, CalamineSheet] | None:
    """The scan and cells of sheet `name` if an objectId header sits in its first rows.
    A sheet too large to read is not probed (its cells would take all the memory there
    is): it is no candidate, and if it is the first visible sheet and none holds a
    header, reading it says why it cannot be read."""
    scan = scan_cells(path, name)
    try:
        check_extent(path, name, scan.last_row, scan.last_column)
    except SheetError:
        return None
    sheet = workbook.get_sheet_by_name(name)
    if header_row_in(list(islice(_rows_from_a1(sheet, {}), MAX_HEADER_ROW))) is None:
        return None
    return scan, sheet


def _named_events_sheet(names: Sequence[str]) -> str | None:
    """`Events` (or `イベント`), as typed or in another case or with spaces around."""
    for wanted in EVENTS_SHEET_NAMES:
        if wanted in names:
            return wanted
    for wanted in EVENTS_SHEET_NAMES:
        for name in names:
            if name.strip().casefold() == wanted.casefold():
                return name
    return None


def _build_sheet(
    path: Path,
    fmt: Literal["xlsx", "csv"],
    sheet_name: str | None,
    grid: Iterable[Sequence[object]],
    *,
    formula_cells: frozenset[tuple[int, int]] = frozenset(),
    merged: tuple[MergedRange, ...] = (),
) -> Sheet:
    """The sheet from its rows of raw values (read once, in order): the header is the
    first row holding an objectId column (rows above it are the user's titles), the rows
    below it events."""
    where: str = path.name
    if sheet_name:
        where = Text("refuse.in_sheet", file=path.name, sheet=sheet_name)
    rows_in = iter(grid)
    head = list(islice(rows_in, MAX_HEADER_ROW))
    header_row = find_header_row(head, where)
    header = head[header_row - 1]
    headers: dict[str, HeaderCell] = {}
    last_column = 0
    for index, raw in enumerate(header):
        if is_blank(raw):
            continue
        text = format_text(raw)
        column_number = index + 1
        last_column = column_number
        field = field_for_header(text)
        if field is None:
            continue
        if field in headers:
            raise SheetError(
                Text(
                    "refuse.header_twice",
                    where=Text("refuse.at_row", where=where, row=header_row),
                    first=_column_letter(headers[field].column_number),
                    second=_column_letter(column_number),
                    header=text,
                )
            )
        headers[field] = HeaderCell(text, column_number)
    if merged:
        columns = {name: h.column_number for name, h in headers.items()}
        annotation_columns = {columns.pop(name) for name in ANNOTATIONS if name in columns}
        check_merged(merged, header_row, set(columns.values()), annotation_columns, where)

    wanted = [f for f in headers if f in EVENT_FIELDS or is_custom(f) or f == OBJECT_ID]
    annotations = [f for f in headers if f in ANNOTATIONS]
    rows: list[SheetRow] = []
    # 100k rows x 15 columns pass through here: the loop avoids a call per cell.
    wanted_at = [headers[f].column_number - 1 for f in wanted]
    pick_wanted = itemgetter(*wanted_at, wanted_at[0])  # (always a tuple)
    annotations_at = [headers[f].column_number - 1 for f in annotations]
    width = last_column
    filled_beside: set[int] = set()  # columns right of the header holding the user's notes
    first_row = header_row + 1
    # One object for each text and date-time the sheet repeats (types, organisers,
    # start times, one updatedAt per batch): tens of MB at 100k rows. Dropped once read.
    shared: dict[object, object] = {}
    share = shared.setdefault
    for offset, raw_row in enumerate(chain(head[header_row:], rows_in)):
        if len(raw_row) < width:
            raw_row = [*raw_row, *([None] * (width - len(raw_row)))]
        elif len(raw_row) > width:
            beside = raw_row[width:]  # (counted in C: most rows hold nothing there)
            if beside.count("") + beside.count(None) != len(beside):
                filled_beside.update(
                    width + 1 + i for i, v in enumerate(beside) if _value(v) is not None
                )
        # Blank: None, "" (calamine's empty cell), only spaces, NaN (v != v).
        values = [
            (share(v, v) if v.__class__ is str or v.__class__ is datetime else v)
            if (v.__class__ is not str or v.strip()) and v == v
            else None
            for v in pick_wanted(raw_row)
        ]
        # A row with nothing in any event column is not an event (blank, or the
        # user's own notes): skip it silently.
        if values.count(None) == len(values):
            continue
        cells = dict(zip(wanted, values, strict=False))  # (minus the extra last value)
        for f, i in zip(annotations, annotations_at, strict=True):
            value = _value(raw_row[i])
            cells[f] = share(value, value) if value.__class__ is str else value
        rows.append(SheetRow(first_row + offset, MappingProxyType(cells)))
    return Sheet(
        path=path,
        format=fmt,
        sheet_name=sheet_name,
        headers=frozen(headers),
        last_column=last_column,
        rows=tuple(rows),
        formula_cells=formula_cells,
        merged=merged,
        header_row=header_row,
        occupied_columns=occupied_beside(
            header_row, last_column, filled_beside, formula_cells, merged
        ),
    )


def _value(value: object) -> object:
    """A cell's value, None when it is blank (calamine gives "" for an empty cell)."""
    # is_blank, inlined: this runs for every annotation cell of every row
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def _column_letter(number: int) -> str:
    return column_letters(number).decode()
