"""Duplicates: the same objectId on two rows of one run (one file, or two files).

Pure. Every row naming an event another row also names is flagged, whatever else is
wrong with either: a row with another error (an end before its start, a bad date) still
names its event, and leaving it out would let the other row go out alone. So the rows'
objectIds are read from the cells, not only from the rows that built cleanly; a row
whose objectId cannot be read names no event. Neither row is sent, and neither counts
as a stale copy afterwards (nothing was sent from either), so no advice points a user
at taking one row's values into the other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from eventsync.columns import OBJECT_ID
from eventsync.messages import Text, joined
from eventsync.model import EventUpdate, ProblemCode, RowProblem, Sheet, SheetRow
from eventsync.values import is_blank, parse_object_id

Built = EventUpdate | tuple[RowProblem, ...]


def named_id(row: SheetRow, item: Built) -> str | None:
    """The event a row names: its built objectId, else its cell read as one (None: the
    cell is empty or no objectId, so the row names no event)."""
    if isinstance(item, EventUpdate):
        return item.object_id
    raw = row.cells.get(OBJECT_ID)
    if is_blank(raw):
        return None
    try:
        return parse_object_id(raw)
    except ValueError:
        return None


def with_problem(item: Built, problem: RowProblem) -> tuple[RowProblem, ...]:
    """The row's problems with `problem` first: the duplicate is what to fix first (an
    other error fixed alone would still leave two rows for one event)."""
    if isinstance(item, EventUpdate):
        return (problem,)
    return (problem, *item)


def flag_duplicates(built: Iterable[Built], sheet: Sheet) -> list[Built]:
    """The same objectId on two rows of a file: both rows are flagged, neither is sent.

    Sending both would let whichever HubSpot applies last win, silently. `built` holds
    one item per row of `sheet`, in order.
    """
    items = list(built)
    ids = [named_id(row, item) for row, item in zip(sheet.rows, items, strict=True)]
    named = [i for i in ids if i is not None]
    if len(set(named)) == len(named):  # the usual case: nothing to flag
        return items
    rows_by_id: dict[str, list[int]] = defaultdict(list)
    for row, object_id in zip(sheet.rows, ids, strict=True):
        if object_id is not None:
            rows_by_id[object_id].append(row.row_number)
    label = sheet.column_label(OBJECT_ID)
    result: list[Built] = []
    for row, item, object_id in zip(sheet.rows, items, ids, strict=True):
        if object_id is not None and len(rows_by_id[object_id]) > 1:
            others = [str(n) for n in rows_by_id[object_id] if n != row.row_number]
            message = Text(
                "row.duplicate",
                label=label,
                object_id=object_id,
                count=len(others),
                rows=", ".join(others),
            )
            code = ProblemCode.DUPLICATE_OBJECT_ID
            item = with_problem(item, RowProblem(row.row_number, label, code, message))
        result.append(item)
    return result


def flag_duplicates_across(sheets: Sequence[tuple[Sheet, list[Built]]]) -> list[list[Built]]:
    """The same objectId in two files of one run (a copy of the workbook left in the
    folder, a CSV export next to its xlsx): every such row is flagged, none is sent, and
    each names where the others are (file and row).

    Sending both would make HubSpot flip between the two files' values on every run.
    """
    if len(sheets) < 2:  # one file: nothing can be elsewhere
        return [list(built) for _, built in sheets]
    # By path: two files of one name in different folders are two files.
    places: dict[str, list[tuple[Path, str, int]]] = defaultdict(list)
    named: list[list[str | None]] = []
    for sheet, built in sheets:
        ids = [named_id(row, item) for row, item in zip(sheet.rows, built, strict=True)]
        named.append(ids)
        for row, object_id in zip(sheet.rows, ids, strict=True):
            if object_id is not None:
                places[object_id].append((sheet.path, sheet.name, row.row_number))
    flagged: list[list[Built]] = []
    for (sheet, built), ids in zip(sheets, named, strict=True):
        label = sheet.column_label(OBJECT_ID)
        result: list[Built] = []
        for row, item, object_id in zip(sheet.rows, built, ids, strict=True):
            elsewhere = [p for p in places[object_id] if p[0] != sheet.path] if object_id else []
            if elsewhere:
                where = joined(
                    (Text("place.file_row", file=name, row=at) for _, name, at in elsewhere), ", "
                )
                message = Text(
                    "row.duplicate_in_file", label=label, object_id=object_id, where=where
                )
                code = ProblemCode.DUPLICATE_IN_OTHER_FILE
                item = with_problem(item, RowProblem(row.row_number, label, code, message))
            result.append(item)
        flagged.append(result)
    return flagged
