"""Where the events table sits in a sheet: its header row below the user's titles, the
merged cells that would make a row's values ambiguous, and which columns right of the
table already hold the user's own notes.

Read stage, pure: a grid of raw cell values in, positions out. It never opens a file
and never decides a value; what it refuses, it refuses with a message naming the cells.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from eventsync.columns import OBJECT_ID, field_for_header
from eventsync.errors import SheetError
from eventsync.messages import Text
from eventsync.model import MergedRange
from eventsync.sheets.xlsx.refs import column_letters
from eventsync.values import format_text, is_blank

# Rows a title block may take above the header: a sheet whose first 20 rows hold no
# objectId column is not an events sheet (or the header is somewhere nobody looks).
MAX_HEADER_ROW = 20


def header_row_in(grid: Sequence[Sequence[object]]) -> int | None:
    """The 1-based number of the first row (of the first MAX_HEADER_ROW) holding an
    objectId column, in any of its spellings (`objectId`, `イベントID`, ...); None if none."""
    for index, row in enumerate(grid[:MAX_HEADER_ROW]):
        for value in row:
            if not is_blank(value) and field_for_header(format_text(value)) == OBJECT_ID:
                return index + 1
    return None


def find_header_row(grid: Sequence[Sequence[object]], where: str) -> int:
    """`header_row_in`, or a refusal saying what the sheet lacks."""
    found = header_row_in(grid)
    if found is not None:
        return found
    # No header anywhere: row 1 is where a new sheet's header belongs.
    if not grid or all(is_blank(value) for value in grid[0]):
        raise SheetError(Text("refuse.row1_empty", where=where, most=MAX_HEADER_ROW))
    raise SheetError(Text("refuse.no_id_column", where=where, most=MAX_HEADER_ROW))


def check_merged(
    merged: Iterable[MergedRange],
    header_row: int,
    event_columns: Collection[int],
    annotation_columns: Collection[int],
    where: str,
) -> None:
    """Refuse merged cells that touch an event column (objectId, a field, a custom
    property) in the header row or below, or an annotation column's header: a merged
    header leaves a column without its name, and a merge across event cells leaves every
    cell but the first empty, which a sync would send as "clear this field". Merges in
    the title rows and in the user's own columns are the user's business; one over an
    annotation cell below the header is refused by the writer, and only when a result
    goes there (`merged_cells.hidden_cell`)."""

    def touches(c1: int, c2: int, columns: Collection[int]) -> bool:
        return any(c1 <= column <= c2 for column in columns)

    touching = sorted(
        (r1, c1, r2, c2)
        for r1, c1, r2, c2 in merged
        if (r2 >= header_row and touches(c1, c2, event_columns))
        or (r1 <= header_row <= r2 and touches(c1, c2, annotation_columns))
    )
    if not touching:
        return
    r1, c1, r2, c2 = touching[0]  # the topmost: a merged header comes first
    cells = f"{cell_ref(r1, c1)}:{cell_ref(r2, c2)}"
    if r1 <= header_row <= r2:
        at = Text("refuse.at_row", where=where, row=header_row)
        raise SheetError(Text("refuse.header_merged", where=at, cells=cells))
    raise SheetError(Text("refuse.table_merged", where=where, cells=cells))


def occupied_beside(
    header_row: int,
    last_column: int,
    filled: Iterable[int],
    formula_cells: Iterable[tuple[int, int]],
    merged: Iterable[MergedRange],
) -> frozenset[int]:
    """Columns right of the header (`last_column`) that hold something in the header row
    or below: `filled` (columns with a value, found by the reader's pass over the rows),
    formulas (whose result may show as empty), and merged cells."""
    occupied = set(filled)
    occupied.update(c for r, c in formula_cells if r >= header_row and c > last_column)
    for _r1, c1, r2, c2 in merged:
        if r2 >= header_row and c2 > last_column:
            occupied.update(range(max(c1, last_column + 1), c2 + 1))
    return frozenset(occupied)


def cell_ref(row: int, column: int) -> str:
    """`B3` for row 3, column 2 (both 1-based)."""
    return f"{column_letters(column).decode()}{row}"
