"""Merged cells: which cells a merge hides (Excel shows only a merge's first cell, so a
value written into another is invisible, and lost when the merge is undone). Shared by
the writers, which refuse to write there, and two-way sync's counters, which leave such
cells alone. Vocabulary: pure, no I/O.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from eventsync.model import MergedRange

Position = tuple[int, int]  # (row, column), from 1


def hidden_cell(
    merged: Sequence[MergedRange], positions: Iterable[Position]
) -> tuple[Position, MergedRange] | None:
    """The first position covered by a merge other than the merge's first cell, if any.
    Rows are looked up per column by bisection: 200,000 cells x many merges stay cheap."""
    if not merged:
        return None
    rows_at: dict[int, list[int]] = {}
    for row, column in positions:
        rows_at.setdefault(column, []).append(row)
    for listed in rows_at.values():
        listed.sort()
    found: list[tuple[Position, MergedRange]] = []
    for merge in merged:
        r1, c1, r2, c2 = merge
        for column in range(c1, c2 + 1):
            rows = rows_at.get(column)
            if not rows:
                continue
            for at in range(bisect_left(rows, r1), bisect_right(rows, r2)):
                if (rows[at], column) != (r1, c1):
                    found.append(((rows[at], column), merge))
                    break
    return min(found) if found else None
