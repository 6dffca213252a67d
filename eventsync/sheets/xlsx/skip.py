"""Passing over the rows a splice leaves alone, with a few byte searches per row.

A 1%-edit sync writes into 1,000 rows of 100,000; the row loop (`splice._splice_rows`)
would take the other 99,000 one by one, and look up the style of each written column in
every one of them. Here a run of such rows is checked for what the row loop checks (each
row closed, the numbers ascending) by its start tag and the first `</row>` after it, and
the styles new cells follow are taken from the last row of the run that has a cell in
each column.

It takes only rows the row loop would take without a word: anything else (a row spelled
otherwise, rows out of order, a cell without r=, markup between rows, the end of the
rows or of the buffer) stops the run there, and the row loop reads that row itself, with
its refusals. It never writes: skipped rows are copied by the row loop as they were.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from eventsync.sheets.xlsx.scanner import READ_CHUNK_BYTES, Patterns, attr
from eventsync.sheets.xlsx.splice_plan import Outcome, SplicePlan

_DIGITS_AND_QUOTE = re.compile(rb'(\d+)"')


def skip_rows(
    buf: bytes, cur: int, stop: int, last: int, plan: SplicePlan, pats: Patterns, outcome: Outcome
) -> tuple[int, int]:
    """Take the rows from `cur` numbered below `stop`, as the row loop would, up to the
    first one ending at READ_CHUNK_BYTES or later (where the loop compacts its buffer).
    Only for rows below the header (`last` is at least the header row). Returns where
    the rows taken end and the number of the last one (`cur`, `last` if none)."""
    ends: list[int] = []  # of each row taken
    numbers: list[int] = []
    bodies: list[tuple[int, int]] = []  # (start, end) of each row's cells
    pos, previous = cur, last
    tag, close = pats.row_tag, pats.row_end[:-1]  # `</row`, as `row_close` starts
    # bytes.find for the row's bounds: a regex step per byte of a 600-byte row costs
    # more than the whole row loop.
    while (start := buf.find(b"<", pos)) >= 0:
        found = tag.match(buf, start)
        if found is None:
            break  # the end of the rows, or a row spelled otherwise
        number = int(found["r"])
        if number <= previous or number >= stop:
            break
        body = found.end()
        if found["empty"]:
            end = after = body
        else:
            end = buf.find(close, body)
            after = end + len(close) + 1
            if end < 0 or buf[after - 1 : after] != b">":
                break  # not in this buffer yet, or spelled `</row >`
        previous, pos = number, after
        bodies.append((body, end))
        ends.append(pos)
        numbers.append(number)
        if pos >= READ_CHUNK_BYTES:
            break
    # A cell without r= needs the row loop's cell-by-cell reading: stop before its row.
    odd = pats.cell_without_r.search(buf, cur, pos) if ends else None
    if odd is not None:
        taken = bisect_right(ends, odd.start())
        del ends[taken:], numbers[taken:], bodies[taken:]
    if not ends:
        return cur, last
    if plan.followed:
        _follow(buf, numbers, bodies, plan, pats, outcome)
    return ends[-1], numbers[-1]


def _follow(
    buf: bytes,
    numbers: list[int],
    bodies: list[tuple[int, int]],
    plan: SplicePlan,
    pats: Patterns,
    outcome: Outcome,
) -> None:
    """What the row loop notes row by row (`splice._follow_styles`) for these rows: the
    style of each followed column's cell in the last row that has one, found as the row
    loop finds it (`<c r="` + the column and this row's number, the first in the row)."""
    low, high = bodies[0][0], bodies[-1][1]
    starts = [start for start, _ in bodies]
    for column, letters in plan.followed:
        token = pats.cell_r_token + letters
        at = buf.rfind(token, low, high)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            row = b"%d" % numbers[i]
            digits = _DIGITS_AND_QUOTE.match(buf, at + len(token))
            if digits is not None and digits[1] == row and at < bodies[i][1]:
                first = buf.find(token + row + b'"', bodies[i][0], bodies[i][1])
                after = first + len(token) + len(row) + 1
                outcome.above[column] = style_at(buf, after, bodies[i][1])
                break
            at = buf.rfind(token, low, at)


def style_at(buf: bytes, at: int, end: int) -> bytes | None:
    """The `s` of the cell whose reference ends just before `at` (at its closing quote)."""
    if buf.startswith(b' s="', at):  # the usual spelling: s= right after r=
        return buf[at + 4 : buf.index(b'"', at + 4)]
    attrs = buf[at : buf.find(b">", at, end)]
    return attr(attrs, b"s") if b"s=" in attrs else None
