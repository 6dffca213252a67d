"""Where results go in the file as it is: rows by objectId and columns by header when the
file was saved since it was read, and never into a cell hidden under merged cells.

Annotate stage, pure: sheets and positions in, positions out. It never reads or writes
a file (the writer reads the saved version and hands it over).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from eventsync.columns import OBJECT_ID
from eventsync.model import Annotation, CellValue, Sheet
from eventsync.values import format_text, is_blank

Position = tuple[int, int]  # (row, column), both 1-based as Excel counts
T = TypeVar("T")


def place_again(
    old: Sheet,
    new: Sheet,
    annotations: Mapping[int, Annotation],
    values: Mapping[Position, CellValue],
) -> tuple[dict[int, Annotation], dict[Position, CellValue], int]:
    """The same results, placed for `new` (the file as saved since `old` was read): rows
    by objectId (the n-th row holding an id in `old` -> the n-th holding it in `new`),
    columns by header, rows appended for new events after the new last row. Returns the
    annotations, the values, and how many rows' results have no place any more."""
    row_for = _rows_moved(old, new)
    placed_notes: dict[int, Annotation] = {}
    lost_rows: set[int] = set()
    for row, note in annotations.items():
        moved = row_for(row)
        if moved is None:
            lost_rows.add(row)
        else:
            placed_notes[moved] = note
    placed_values, lost = place_cells(old, new, values)
    return placed_notes, placed_values, len(lost_rows | lost)


def place_cells(
    old: Sheet, new: Sheet, cells: Mapping[Position, T]
) -> tuple[dict[Position, T], set[int]]:
    """Cells placed by `place_again`'s rule: (the cells placed for `new`, the rows of
    `old` whose cells have no place any more)."""
    row_for = _rows_moved(old, new)
    field_at = {header.column_number: name for name, header in old.headers.items()}
    placed: dict[Position, T] = {}
    lost: set[int] = set()
    for (row, column), value in cells.items():
        moved = row_for(row)
        header = new.headers.get(field_at.get(column, ""))
        if moved is None or header is None:
            lost.add(row)
        else:
            placed[(moved, header.column_number)] = value
    return placed, lost


def _rows_moved(old: Sheet, new: Sheet) -> Callable[[int], int | None]:
    old_keys = row_keys(old)
    now_at = {key: row for row, key in row_keys(new).items()}
    old_last = max((row.row_number for row in old.rows), default=old.header_row)
    new_last = max((row.row_number for row in new.rows), default=new.header_row)

    def row_for(row: int) -> int | None:
        key = old_keys.get(row)
        if key is not None:
            return now_at.get(key)
        return new_last + (row - old_last) if row > old_last else None

    return row_for


def row_keys(sheet: Sheet) -> dict[int, tuple[str, int]]:
    """Row number -> (objectId as text, which occurrence of it): the key a result is
    placed by. Rows without an objectId have no key."""
    keys: dict[int, tuple[str, int]] = {}
    seen: dict[str, int] = {}
    for row in sheet.rows:
        raw = row.cells.get(OBJECT_ID)
        if is_blank(raw):
            continue
        text = format_text(raw).strip()
        seen[text] = seen.get(text, 0) + 1
        keys[row.row_number] = (text, seen[text])
    return keys
