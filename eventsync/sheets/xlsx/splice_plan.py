"""The plan of one splice: the cells to write, encoded and sorted by row, and what the
splice learns on its way through the sheet (`Outcome`).

Pure: it reads no file. It must never accept a position outside Excel's grid or a value
no cell can hold; a refusal names the file, the sheet and the cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from eventsync.errors import UnsupportedWorkbookError
from eventsync.messages import Text
from eventsync.model import CellValue
from eventsync.sheets.xlsx.refs import MAX_COLUMN, MAX_ROW, cell_name, column_letters
from eventsync.sheets.xlsx.refusals import CellValueError
from eventsync.sheets.xlsx.values import Encoded, encode_text, encode_value


@dataclass(frozen=True)
class SplicePlan:
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
class Outcome:
    new_header_columns: set[int] = field(default_factory=set)
    replaced_formula: bool = False
    # column -> `s` of the nearest cell so far below the header (None: no style).
    above: dict[int, bytes | None] = field(default_factory=dict)


def make_plan(
    cells: Mapping[tuple[int, int], CellValue], header_row: int, where: str, *, date1904: bool
) -> SplicePlan:
    check_position(header_row, 1, where)
    rows: dict[int, dict[int, Encoded | None]] = {}
    followed: set[int] = set()
    top, left, bottom, right = MAX_ROW + 1, MAX_COLUMN + 1, 0, 0
    encoded: Encoded | None
    for (row, column), value in cells.items():
        # type() is: bool and float are no row numbers (and this runs 200k times).
        if (
            not (type(row) is int and type(column) is int and 0 < row <= MAX_ROW)
            or not 0 < column <= MAX_COLUMN
        ):
            check_position(row, column, where)
        try:
            if type(value) is str:
                encoded = encode_text(value, where) if value else None
            else:
                encoded = encode_value(value, where, date1904=date1904)
        except (CellValueError, ValueError, TypeError):
            # Encode again, naming the cell (rare: building that name for each of
            # 200k cells up front would cost more than the encoding).
            at = Text("refuse.at_cell", where=where, cell=cell_name(row, column))
            encode_value(value, at, date1904=date1904)
            raise
        rows.setdefault(row, {})[column] = encoded
        if encoded is not None:
            top, bottom = min(top, row), max(bottom, row)
            left, right = min(left, column), max(right, column)
            if row > header_row:
                followed.add(column)
    bounds = (top, left, bottom, right) if bottom else None
    return SplicePlan(
        rows,
        sorted(rows),
        header_row,
        bounds,
        where,
        tuple((c, column_letters(c)) for c in sorted(followed)),
        frozenset(followed),
    )


def check_position(row: object, column: object, where: str) -> None:
    """Refuse (ValueError: a caller's mistake) a position outside Excel's grid."""
    for value, limit, what in ((row, MAX_ROW, "row"), (column, MAX_COLUMN, "column")):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
            raise ValueError(f"{where}: {what} {value!r} is not a {what} number 1..{limit}")


def refusal(plan: SplicePlan, what: Text, *, at: Text | None = None) -> UnsupportedWorkbookError:
    """The refusal of a sheet whose bytes the splicer cannot handle safely; `at` says
    where in the sheet (`cell G7`, `row 5`) when that is known."""
    where = Text("refuse.at_place", where=plan.where, at=at) if at else plan.where
    return UnsupportedWorkbookError(Text("refuse.cannot_annotate", where=where, what=what))
