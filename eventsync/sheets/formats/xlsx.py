"""The .xlsx/.xlsm format: a workbook's events worksheet read with calamine, results
patched into the sheet's XML (`sheets/xlsx/`), every other byte of the package kept.

Read and annotate stages, the workbook's edge. It finds the events worksheet (`Events`,
else the visible worksheet whose header holds an objectId column: `sheet_choice`) and
hands its rows to `grid.build_sheet`; a `Participants` / `参加者` worksheet is never it
(`worksheet_rows` reads that one for the participants run). It never re-saves a workbook through openpyxl,
and refuses (before anything is sent) what the patcher could not write safely.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import chain, islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from eventsync.errors import SheetError
from eventsync.messages import Text
from eventsync.model import MergedRange, Sheet
from eventsync.sheets.formats.interface import Cells, SheetFormat
from eventsync.sheets.grid import build_sheet
from eventsync.sheets.layout import MAX_HEADER_ROW, header_row_in
from eventsync.sheets.sheet_choice import choose_sheet, is_participants_sheet
from eventsync.sheets.xlsx.cell_scan import CellScan, scan_cells
from eventsync.sheets.xlsx.limits import check_extent, check_package_size
from eventsync.sheets.xlsx.macro_sheets import readable_by_calamine
from eventsync.sheets.xlsx.parts import check_patchable
from eventsync.sheets.xlsx.patch import check_cells, patch_cells
from eventsync.sheets.xlsx.refs import MAX_COLUMN

if TYPE_CHECKING:
    from python_calamine import CalamineSheet, CalamineWorkbook

Position = tuple[int, int]  # (row, column), both 1-based

EVENTS_SHEET = "Events"
EVENTS_SHEET_NAMES = (EVENTS_SHEET, "イベント")  # the sheet read, whichever sheet is first


def read_workbook(path: Path) -> Sheet:
    with opened(path) as workbook:
        name, probed = _events_sheet(path, workbook)
        if probed is None:
            scan = scan_cells(path, name)
            check_extent(path, name, scan.last_row, scan.last_column)
            sheet = workbook.get_sheet_by_name(name)
        else:
            scan, sheet = probed
        ranges = _merged(sheet)
        # Row by row: the whole grid as Python lists beside the sheet's rows would
        # double the memory a 100k-row sheet takes.
        rows = _rows_from_a1(sheet, scan.errors)
        first = next(rows, None)
        if first is None:
            raise SheetError(Text("refuse.sheet_empty", file=path.name, sheet=name))
        grid = chain([first], rows)
        return build_sheet(path, "xlsx", name, grid, formula_cells=scan.formulas, merged=ranges)


def _merged(sheet: CalamineSheet) -> tuple[MergedRange, ...]:
    """The sheet's merged ranges, as (first row, first column, last row, last column)
    from 1."""
    merged = sheet.merged_cell_ranges or []
    return tuple((r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in merged)


@contextmanager
def opened(path: Path) -> Iterator[CalamineWorkbook]:
    """The workbook as calamine reads it, once what the writer could not annotate safely
    and what calamine could not read without taking all the memory there is are refused
    (before anything is sent); calamine's own failures as a SheetError naming the file."""
    from python_calamine import CalamineError, CalamineWorkbook

    check_patchable(path)
    check_package_size(path)
    try:
        # A copy without Excel 4 macro sheets, which calamine cannot read past.
        with (
            readable_by_calamine(path) as readable,
            CalamineWorkbook.from_path(str(readable)) as workbook,
        ):
            yield workbook
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
    named = named_events_sheet([sheet.name for sheet in workbook.sheets_metadata])
    if named is not None:
        return named, None
    visible = _visible_worksheets(workbook)
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


def _visible_worksheets(workbook: CalamineWorkbook) -> list[str]:
    """The visible worksheets but the participants sheet (never the events)."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    return [
        sheet.name
        for sheet in workbook.sheets_metadata
        if sheet.typ == SheetTypeEnum.WorkSheet
        and sheet.visible == SheetVisibleEnum.Visible
        and not is_participants_sheet(sheet.name)
    ]


def has_events_sheet(path: Path) -> bool:
    """Whether a workbook holding a participants sheet holds an events sheet too: one
    named `Events`, or a visible worksheet whose header holds an objectId column (the
    reader's rule, the participants sheet left out). A workbook that cannot be read has
    one: reading it as events says why."""
    try:
        with opened(path) as workbook:
            if named_events_sheet([sheet.name for sheet in workbook.sheets_metadata]):
                return True
            return any(_probe(path, workbook, name) for name in _visible_worksheets(workbook))
    except (SheetError, OSError):
        return True


def worksheet_rows(
    path: Path, name: str
) -> tuple[list[list[object]], CellScan, tuple[MergedRange, ...]]:
    """Every row of the worksheet `name` from row 1, each from column A (error cells
    showing their error), and its scan: a sheet other than the events one (the
    participants sheet), read by the events reader's rules and limits."""
    with opened(path) as workbook:
        scan = scan_cells(path, name)
        check_extent(path, name, scan.last_row, scan.last_column)
        sheet = workbook.get_sheet_by_name(name)
        return list(_rows_from_a1(sheet, scan.errors)), scan, _merged(sheet)


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


def named_events_sheet(names: Sequence[str]) -> str | None:
    """`Events` (or `イベント`), as typed or in another case or with spaces around."""
    for wanted in EVENTS_SHEET_NAMES:
        if wanted in names:
            return wanted
    for wanted in EVENTS_SHEET_NAMES:
        for name in names:
            if name.strip().casefold() == wanted.casefold():
                return name
    return None


def write_workbook(sheet: Sheet, target: Path, cells: Cells, source: IO[bytes] | None) -> None:
    """The workbook with `cells` changed in the events sheet's XML, every other byte of
    the package as it was (lossless)."""
    patch_cells(
        sheet.path,
        target,
        sheet.sheet_name or "",
        cells,
        header_row=sheet.header_row,
        source=source,
    )


def check_workbook(sheet: Sheet, cells: Cells) -> None:
    """What the splicer would refuse for these cells (a table header where a result
    goes, XML it cannot take), found without writing."""
    check_cells(sheet.path, sheet.sheet_name or "", cells.keys(), header_row=sheet.header_row)


XLSX = SheetFormat(
    name="xlsx",
    suffixes=(".xlsx", ".xlsm"),
    read=read_workbook,
    write=write_workbook,
    check=check_workbook,
    max_column=MAX_COLUMN,  # XFD
)
