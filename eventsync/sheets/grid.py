"""A sheet from its grid of raw cell values: the header row, the columns eventsync knows,
the events below it, with the row numbers the user sees.

Read stage, shared by every format (`sheets/formats/`): a format reads its file into
rows of raw values and hands them here. It never interprets a value (that is `inputs`)
and never touches a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path
from types import MappingProxyType

from eventsync.columns import (
    ANNOTATIONS,
    COUNTER_FIELDS,
    EVENT_FIELDS,
    EXTERNAL_EVENT_ID,
    LIFECYCLE,
    OBJECT_ID,
    field_for_header,
    is_custom,
)
from eventsync.errors import SheetError
from eventsync.messages import Text
from eventsync.model import HeaderCell, MergedRange, Sheet, SheetRow, frozen
from eventsync.sheets.layout import MAX_HEADER_ROW, check_merged, find_header_row, occupied_beside
from eventsync.sheets.xlsx.refs import column_letters
from eventsync.values import format_text, is_blank


def build_sheet(
    path: Path,
    fmt: str,  # the name of the format read (`Sheet.format`)
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
        # (HubSpot's counters are written by eventsync as annotations are)
        written = (*ANNOTATIONS, *COUNTER_FIELDS)
        annotation_columns = {columns.pop(name) for name in written if name in columns}
        check_merged(merged, header_row, set(columns.values()), annotation_columns, where)

    wanted = [
        f
        for f in headers
        if f in EVENT_FIELDS or is_custom(f) or f in (OBJECT_ID, LIFECYCLE, EXTERNAL_EVENT_ID)
    ]
    # Read as they are, after the event cells: an annotation or a counter alone does not
    # make a row an event.
    annotations = [f for f in headers if f in ANNOTATIONS or f in COUNTER_FIELDS]
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
