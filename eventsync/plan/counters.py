"""HubSpot's counters per event as the events sheet's read-only cells (issue 26).

Plan stage, pure: `counter_values` turns an event's `Counters` into the five cells
(`columns.COUNTERS`), `attendance_rate` is eventsync's own figure, and `counter_cells`
says which counter cells of a sheet two-way sync writes: only those whose value differs
from HubSpot's, never one holding a formula or text the user typed (a number there is
taken for an older count and refreshed). These values are never sent, never compared by
the three-way rule and never recorded as agreed: nothing here reaches a plan's updates.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from eventsync.columns import COUNTER_FIELDS, OBJECT_ID
from eventsync.merged_cells import hidden_cell
from eventsync.model import CellValue, Sheet
from eventsync.portal_model import Counters

Position = tuple[int, int]  # (row, column), both 1-based as Excel counts
_TENTH = Decimal("0.1")


def attendance_rate(counters: Counters) -> float | None:
    """Attendees as a percentage of everyone who registered and did not cancel
    (attendees + registrants + noShows: HubSpot counts each contact once, in its current
    state), rounded half up to one decimal; None when that sum is 0 or attendees unknown.
    A missing registrants or noShows count is taken as 0 (noShows is given only once the
    event is over)."""
    if counters.attendees is None:
        return None
    base = counters.attendees + (counters.registrants or 0) + (counters.no_shows or 0)
    if base == 0:
        return None
    percent = Decimal(100 * counters.attendees) / Decimal(base)
    return float(percent.quantize(_TENTH, rounding=ROUND_HALF_UP))


def counter_values(counters: Counters) -> list[CellValue]:
    """The cells of `columns.COUNTER_FIELDS`, in that order."""
    return [
        counters.registrants,
        counters.attendees,
        counters.cancellations,
        counters.no_shows,
        attendance_rate(counters),
    ]


@dataclass(frozen=True)
class CounterCells:
    values: dict[Position, CellValue]  # what two-way sync writes
    kept: tuple[Position, ...] = ()  # cells holding the user's own text: left, and said


def counter_cells(sheet: Sheet, counters: Mapping[str, Counters]) -> CounterCells:
    """The counter cells of the sheet's rows whose event HubSpot listed (`counters` by
    objectId) that differ from HubSpot's values."""
    columns = [(f, sheet.headers[f].column_number) for f in COUNTER_FIELDS if f in sheet.headers]
    if not columns or OBJECT_ID not in sheet.headers:
        return CounterCells({})
    values: dict[Position, CellValue] = {}
    kept: list[Position] = []
    for row in sheet.rows:
        found = counters.get(_object_id(row.cells.get(OBJECT_ID)))
        if found is None:
            continue
        wanted = dict(zip(COUNTER_FIELDS, counter_values(found), strict=True))
        for field, column in columns:
            position = (row.row_number, column)
            if position in sheet.formula_cells or hidden_cell(sheet.merged, [position]):
                continue  # the user's calculation, or a cell Excel does not show
            held = row.cells.get(field)
            number = _number(held)
            if number is _TEXT:
                kept.append(position)
                continue
            new = wanted[field]
            if number != (None if new is None else Decimal(str(new))):
                values[position] = new
    return CounterCells(values, tuple(kept))


_TEXT = object()  # a cell holding something eventsync never writes there


def _number(value: object) -> Decimal | None | object:
    """A counter cell's number (None: empty); `_TEXT` when it holds anything else."""
    if value is None or isinstance(value, bool):
        return None if value is None else _TEXT
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return _TEXT
    return number if number.is_finite() else _TEXT


def _object_id(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = unicodedata.normalize("NFKC", str(value)).strip() if value is not None else ""
    return text
