"""Splicing one row: find the cells a write needs, and build the row with the new cells.

A row's bytes are taken apart only as far as the write needs (usually one `find` per
written column), and put together again from the original bytes and the new cells.
It must never change a cell it was not asked to write, emit a formula, drop a cell's
style, or overwrite the master cell of a shared or array formula.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import NamedTuple

from eventsync.errors import UnsupportedWorkbookError
from eventsync.messages import Text
from eventsync.sheets.xlsx.refs import ColumnNumbers, column_letters
from eventsync.sheets.xlsx.scanner import Patterns, attr, attr_span
from eventsync.sheets.xlsx.splice_plan import Outcome, SplicePlan, refusal
from eventsync.sheets.xlsx.values import DATE, NUMBER, Encoded

_DIGITS = re.compile(rb"\d+")


class Cell(NamedTuple):
    column: int
    start: int  # of "<c" in the row body
    end: int  # just after "</c>" or "/>"
    attrs: bytes
    inner: bytes | None  # None for <c .../>
    style: bytes | None  # its s= value


def cells_of(
    body: bytes, wanted: list[int], number: int, plan: SplicePlan, pats: Patterns
) -> list[Cell]:
    """The cells a write to the `wanted` columns (ascending) needs, in order: those at
    the wanted columns and the last cell of the row (after which new cells go).

    A 100k-row annotation touches every row, so the usual row is not read cell by cell:
    when every "<c" in it starts a cell whose first attribute is r= (count equal; rich
    text elements such as <color> make them differ), a cell is found by its reference
    alone. Rows where that does not hold, the header row (it needs its left neighbours'
    styles) and writes that land between existing cells read the whole row.
    """
    token = pats.cell_r_token
    if (
        number == plan.header_row
        or b"extLst" in body
        or body.count(pats.cell_token) != body.count(token)
    ):
        return all_cells(body, number, plan, pats)
    last = body.rfind(token)
    if last < 0:
        return []
    tail = pats.cell_with_r.match(body, last)
    if tail is None or body[tail.end() :].strip():
        return all_cells(body, number, plan, pats)
    last_column = COLUMNS[tail["col"]]
    row = b'%d"' % number
    cells = []
    for column in wanted:
        if column >= last_column:
            break
        at = body.find(token + column_letters(column) + row)
        found = pats.cell_with_r.match(body, at) if at >= 0 else None
        if found is None:
            return all_cells(body, number, plan, pats)
        cells.append(Cell(column, at, found.end(), found["a"], found["b"], _style(found)))
    cells.append(Cell(last_column, last, tail.end(), tail["a"], tail["b"], _style(tail)))
    return cells


def _style(found: re.Match[bytes]) -> bytes | None:
    # Excel writes s= right after r=; the regex took it when it is there.
    if found["s"] is not None or b" s=" not in found["a"]:
        return found["s"]
    return attr(found["a"], b"s")


def all_cells(body: bytes, number: int, plan: SplicePlan, pats: Patterns) -> list[Cell]:
    cells: list[Cell] = []
    pos = column = 0
    while (found := pats.cell_after_space.match(body, pos)) is not None:
        attrs = found.group("a")
        r = attr(attrs, b"r")
        letters = _LETTERS.match(r) if r is not None else None
        next_column = COLUMNS[letters.group()] if letters else column + 1
        if next_column <= column:
            raise refusal(
                plan,
                Text("refuse.cells_out_of_order", row=number),
                at=Text("refuse.cell", cell=(r or b"").decode()),
            )
        column = next_column
        cells.append(
            Cell(column, found.start("c"), found.end(), attrs, found["b"], attr(attrs, b"s"))
        )
        pos = found.end()
    rest = body[pos:].lstrip()
    if rest and not rest.startswith(b"<" + pats.prefix + b"extLst"):
        if b"<!" in rest or b"<?" in rest:
            raise markup_refusal(
                body, pos, len(body), plan, Text("refuse.row_first_cell", row=number)
            )
        raise refusal(plan, Text("refuse.not_only_cells"), at=Text("refuse.row", row=number))
    return cells


_MARKUP = (
    (b"<!--", Text("refuse.markup.comment")),
    (b"<![CDATA[", Text("refuse.markup.cdata")),
    (b"<?", Text("refuse.markup.instruction")),
)
_LAST_CELL = re.compile(rb"<(?:[\w.-]+:)?c\s[^>]*?(?<![\w:.-])r=[\"']([A-Za-z]{1,3}\d+)")
_LAST_ROW = re.compile(rb"<(?:[\w.-]+:)?row\s[^>]*?(?<![\w:.-])r=[\"'](\d+)")


def markup_refusal(
    buf: bytes, start: int, end: int, plan: SplicePlan, fallback: Text
) -> UnsupportedWorkbookError:
    """Name the markup found in buf[start:end] and the cell (or row) it follows; `fallback`
    says where it is when buf holds neither before it."""
    at = min(p for p in (buf.find(b"<!", start, end), buf.find(b"<?", start, end)) if p >= 0)
    what = next(
        (name for token, name in _MARKUP if buf.startswith(token, at)),
        Text("refuse.markup.doctype"),
    )
    cells = [m for m in _LAST_CELL.finditer(buf, 0, at)]
    rows = [m for m in _LAST_ROW.finditer(buf, 0, at)]
    if rows and (not cells or rows[-1].start() > cells[-1].start()):
        place = Text("refuse.row_first_cell", row=int(rows[-1][1]))
    elif cells:
        place = Text("refuse.after_cell", cell=cells[-1][1].decode())
    else:
        place = fallback
    return refusal(plan, Text("refuse.markup", markup=what), at=place)


COLUMNS = ColumnNumbers()  # letters -> number, cached: 100k rows share a few columns
_LETTERS = re.compile(rb"[A-Za-z]{1,3}(?=\d)")


def splice_row(
    number: int,
    attrs: bytes,
    body: bytes,
    close: bytes | None,
    plan: SplicePlan,
    pats: Patterns,
    outcome: Outcome,
) -> bytes | None:
    targets = plan.rows[number]
    wanted = sorted(targets)
    cells = cells_of(body, wanted, number, plan, pats)
    columns = [c.column for c in cells]
    # New cells go after the last cell, before any extLst or trailing whitespace.
    after_cells = cells[-1].end if cells else 0
    row = b"%d" % number
    pieces, pos, written = [], 0, []
    for column in wanted:
        value = targets[column]
        i = bisect_left(columns, column)
        cell = cells[i] if i < len(cells) and columns[i] == column else None
        if cell is None and value is None:
            continue
        ref = column_letters(column) + row
        if cell is not None:
            style = cell.style
            if number > plan.header_row:
                outcome.above[column] = style
        elif number > plan.header_row:
            style = outcome.above.get(column)
        else:
            style = None
        if cell is not None and cell.inner and pats.formula_token in cell.inner:
            outcome.replaced_formula |= holds_formula(cell.inner, ref, plan, pats)
        if number == plan.header_row and value and not (cell and has_value(cell, pats)):
            outcome.new_header_columns.add(column)
            if style in (None, b"0"):
                style = left_style(cells[:i], pats) or style
        start = cell.start if cell else cells[i].start if i < len(cells) else after_cells
        pieces += [body[pos:start], cell_xml(pats, ref, style, value, plan)]
        pos = cell.end if cell else start
        if value is not None:
            written.append(column)
    if not pieces:
        return None  # only empty writes to cells that do not exist: keep the row's bytes
    pieces.append(body[pos:])
    if close is None:  # <row .../> grows a body
        close = pats.row_end
    if written and b"spans" in attrs:
        attrs = _with_spans(attrs, written[0], written[-1])
    return b"".join([pats.row_start, attrs, b">", *pieces, close])


def has_value(cell: Cell, pats: Patterns) -> bool:
    return bool(cell.inner and pats.has_value.search(cell.inner))


def holds_formula(inner: bytes, ref: bytes, plan: SplicePlan, pats: Patterns) -> bool:
    """Whether a cell about to be replaced holds a formula; refuses the master cell of a
    shared or array formula (its `<f>` has ref=), which the other cells depend on."""
    formula = pats.formula.search(inner)
    if formula is None:
        return False
    master_of = attr(formula.group(1), b"ref")
    if master_of is not None:
        array = attr(formula.group(1), b"t") == b"array"
        where = Text("refuse.at_cell", where=plan.where, cell=ref.decode())
        master = master_of.decode()
        raise UnsupportedWorkbookError(
            Text("refuse.array_formula", where=where, master=master)
            if array
            else Text("refuse.shared_formula", where=where, master=master)
        )
    return True


def left_style(cells_before: list[Cell], pats: Patterns) -> bytes | None:
    """Style of the nearest non-empty cell among `cells_before` (None if there is none)."""
    for cell in reversed(cells_before):
        if has_value(cell, pats):
            return attr(cell.attrs, b"s")
    return None


def _with_spans(attrs: bytes, low: int, high: int) -> bytes:
    span = attr_span(attrs, b"spans")
    if span is None:
        return attrs
    start, end = span
    return attrs[:start] + _widened_spans(attrs[start:end], low, high) + attrs[end:]


@lru_cache(maxsize=256)  # rows in a block share one spans value
def _widened_spans(spans: bytes, low: int, high: int) -> bytes:
    """Widen `spans` ("1:15", or several "1:3 5:9") to cover columns low..high."""
    bounds = [int(n) for n in _DIGITS.findall(spans)]
    return b"%d:%d" % (min([low, *bounds]), max([high, *bounds]))


def new_row(number: int, plan: SplicePlan, pats: Patterns, outcome: Outcome) -> bytes:
    cells = [(c, value) for c, value in sorted(plan.rows[number].items()) if value is not None]
    if not cells:
        return b""
    if number == plan.header_row:
        outcome.new_header_columns.update(c for c, _ in cells)
    above = outcome.above if number > plan.header_row else {}
    row = b"%d" % number
    xml = [cell_xml(pats, column_letters(c) + row, above.get(c), value, plan) for c, value in cells]
    return b"".join([pats.row_start, b' r="', row, b'">', *xml, pats.row_end])


def cell_xml(
    pats: Patterns, ref: bytes, style: bytes | None, value: Encoded | None, plan: SplicePlan
) -> bytes:
    s = b' s="%s"' % style if style is not None else b""
    if value is None:
        return pats.empty_cell % (ref, s, b"")
    if isinstance(value, bytes):
        return pats.text_cell % (ref, s, value)
    kind = value.kind
    if kind == DATE:
        if (style or b"0") not in plan.date_styles:
            return pats.text_cell % (ref, s, value.text)
        kind = NUMBER
    template = pats.number_cell if kind == NUMBER else pats.bool_cell
    return template % (ref, s, value.data)
