"""Splicing a worksheet part: stream it from `<worksheet>` to the end, handing every byte
to a sink, with the planned rows spliced and `<dimension>`/`<autoFilter>` widened.

The same code runs for the write (the sink deflates) and for the check before anything
is sent (the sink discards), so both meet the same refusals. It must never parse the
sheet into a tree, and never guess at bytes a byte scanner cannot read safely: XML
comments, CDATA and processing instructions inside `<sheetData>`, a DOCTYPE, non-UTF-8
parts and out-of-order rows are refused with the file, sheet and place named.
"""

from __future__ import annotations

import re

from eventsync.messages import Text
from eventsync.sheets.xlsx.parts import STRICT_NS
from eventsync.sheets.xlsx.refs import MAX_ROW, format_ref, parse_ref
from eventsync.sheets.xlsx.rows import all_cells, markup_refusal, new_row, splice_row
from eventsync.sheets.xlsx.scanner import (
    READ_CHUNK_BYTES,
    SHEET_DATA,
    XML_ENCODING,
    Patterns,
    Scanner,
    Sink,
    Source,
    attr,
    patterns,
    with_attr,
)
from eventsync.sheets.xlsx.skip import skip_rows, style_at
from eventsync.sheets.xlsx.splice_plan import Outcome, SplicePlan, refusal


def splice_sheet(stream: Source, plan: SplicePlan, sink: Sink) -> Outcome:
    """Hand the whole sheet part to `sink`, with the planned cells written; returns what
    the splice met on the way (new header cells, a replaced formula)."""
    scanner = Scanner(stream)
    outcome = Outcome()
    pats, cur = _splice_head(scanner, sink, plan, outcome)
    if cur is not None:
        _splice_rows(scanner, sink, plan, pats, outcome, cur)
    _splice_tail(scanner, sink, plan, pats, outcome, scanner.done)
    return outcome


def _splice_head(
    sc: Scanner, sink: Sink, plan: SplicePlan, outcome: Outcome
) -> tuple[Patterns, int | None]:
    """Write everything up to and including `<sheetData>`; returns where rows start
    (None when the sheet had `<sheetData/>` and its new rows are already written)."""
    sc.read_more()
    if sc.buf.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refusal(plan, Text("refuse.stored_utf16"))
    found = sc.search(SHEET_DATA, 0)
    if found is None:
        raise refusal(plan, Text("refuse.no_sheet_data"))
    head = sc.buf[: found.start()]
    _check_head(head, plan)
    pats = patterns(found.group(1) + b":" if found.group(1) else b"")
    sink.write(_with_dimension(head, pats, plan))
    sc.done = found.end()
    attrs = found.group(2)
    if not attrs.endswith(b"/"):
        sink.write(found.group())
        return pats, found.end()
    sink.write(b"<" + pats.prefix + b"sheetData" + attrs[:-1] + b">")
    for number in plan.order:
        sink.write(new_row(number, plan, pats, outcome))
    sink.write(b"</" + pats.prefix + b"sheetData>")
    return pats, None


def _check_head(head: bytes, plan: SplicePlan) -> None:
    declared = XML_ENCODING.search(head[:200])
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        raise refusal(plan, Text("refuse.stored_as", encoding=declared.group(1).decode()))
    if b"<!DOCTYPE" in head:
        raise refusal(plan, Text("refuse.doctype"))
    if STRICT_NS.encode() in head:
        raise refusal(plan, Text("refuse.strict_sheet"))


def _with_dimension(head: bytes, pats: Patterns, plan: SplicePlan) -> bytes:
    found = pats.dimension.search(head)
    if found is None or plan.bounds is None:
        return head
    ref = attr(found.group("a"), b"ref")
    old = parse_ref(ref) if ref else None
    if old is None:
        return head
    new = plan.bounds
    union = (min(old[0], new[0]), min(old[1], new[1]), max(old[2], new[2]), max(old[3], new[3]))
    attrs = with_attr(found.group("a"), b"ref", format_ref(*union))
    return head[: found.start("a")] + attrs + head[found.end("a") :]


def _splice_rows(
    sc: Scanner, sink: Sink, plan: SplicePlan, pats: Patterns, outcome: Outcome, cur: int
) -> int:
    """Copy rows, splicing the planned ones and inserting missing ones in order; returns
    the position of `</sheetData>` (not yet written)."""
    pending, last, checked, buf = 0, 0, cur, sc.buf
    order, row, row_close, followed = plan.order, pats.row, pats.row_close, plan.followed
    while True:
        if last >= plan.header_row:  # rows the write leaves alone go by fast
            stop = order[pending] if pending < len(order) else MAX_ROW + 1
            cur, last = skip_rows(buf, cur, stop, last, plan, pats, outcome)
            if cur >= READ_CHUNK_BYTES:
                _check_plain(buf, checked, cur, plan, last)
                sc.compact(cur, sink)
                cur = checked = 0
                buf = sc.buf
        found = row.search(buf, cur)
        if found is None:
            found, buf = sc.search(row, cur), sc.buf
            if found is None:
                raise refusal(plan, Text("refuse.ends_in_data"))
        if found["end"] is not None:
            _check_plain(buf, checked, found.start(), plan, last)
            sc.copy_to(found.start(), sink)
            for number in order[pending:]:
                sink.write(new_row(number, plan, pats, outcome))
            return found.start()
        number = int(found["r"]) if found["r"] is not None else _row_number(found, last, plan)
        if number <= last:
            raise refusal(
                plan,
                Text("refuse.rows_out_of_order", row=number, last=last),
                at=Text("refuse.row", row=number),
            )
        if found["empty"]:
            body_end = cur = found.end()
            close = None
        else:
            closing = row_close.search(buf, found.end())
            if closing is None:
                closing, buf = sc.search(row_close, found.end()), sc.buf
                if closing is None:
                    raise refusal(
                        plan, Text("refuse.row_not_closed"), at=Text("refuse.row", row=number)
                    )
            body_end, cur, close = closing.start(), closing.end(), closing.group()
        planned = None
        if pending < len(order) and order[pending] <= number:
            sc.copy_to(found.start(), sink)
            while pending < len(order) and order[pending] < number:
                sink.write(new_row(order[pending], plan, pats, outcome))
                pending += 1
            if pending < len(order) and order[pending] == number:
                planned = plan.rows[number]
                pending += 1
        # Note the styles of this row's cells in the followed columns, for new cells
        # below; _splice_row notes those of the cells it looks up anyway.
        if (
            followed
            and close is not None
            and number > plan.header_row
            and (planned is None or not planned.keys() >= plan.followed_columns)
        ):
            _follow_styles(buf, found.end(), body_end, number, plan, pats, outcome)
        if planned is not None:
            body = buf[found.end() : body_end]
            spliced = splice_row(number, found["a"], body, close, plan, pats, outcome)
            if spliced is not None:
                sink.write(spliced)
                sc.done = cur
        last = number
        if cur >= READ_CHUNK_BYTES:
            _check_plain(buf, checked, cur, plan, last)
            sc.compact(cur, sink)
            cur = checked = 0
            buf = sc.buf


def _row_number(found: re.Match[bytes], last: int, plan: SplicePlan) -> int:
    r = attr(found["a"], b"r")
    if r is None:
        return last + 1  # rows without r= follow the previous row
    if not r.isdigit():
        raise refusal(
            plan,
            Text("refuse.row_number", number=r.decode()),
            at=Text("refuse.after_row", row=last),
        )
    return int(r)


def _follow_styles(
    buf: bytes,
    start: int,
    end: int,
    number: int,
    plan: SplicePlan,
    pats: Patterns,
    outcome: Outcome,
) -> None:
    """Note the `s` of this row's cells in the followed columns (rows below the header).

    Runs on every row, so the usual spelling `<c r="P7" s="3"` is found with one find per
    column; only a row whose cells lack r= is read cell by cell."""
    above, row = outcome.above, b'%d"' % number
    by_reference = None
    for column, letters in plan.followed:
        needle = pats.cell_r_token + letters + row
        at = buf.find(needle, start, end)
        if at >= 0:
            above[column] = style_at(buf, at + len(needle), end)
            continue
        if by_reference is None:  # does every cell of the row start with r=?
            by_reference = pats.cell_without_r.search(buf, start, end) is None
        if not by_reference:
            for cell in all_cells(buf[start:end], number, plan, pats):
                if cell.column in plan.followed_columns:
                    above[cell.column] = cell.style
            return


def _check_plain(buf: bytes, start: int, end: int, plan: SplicePlan, last: int) -> None:
    # Comments, CDATA and processing instructions could hide "</row>" or "<c" from a
    # byte scanner; no spreadsheet program writes them inside sheetData.
    if buf.find(b"<!", start, end) >= 0 or buf.find(b"<?", start, end) >= 0:
        place = Text("refuse.after_row", row=last) if last else Text("refuse.before_first_row")
        raise markup_refusal(buf, start, end, plan, place)


def _splice_tail(
    sc: Scanner, sink: Sink, plan: SplicePlan, pats: Patterns, outcome: Outcome, cur: int
) -> None:
    """Copy everything after the rows, extending the autoFilter over new header cells."""
    if outcome.new_header_columns:
        found = sc.search(pats.autofilter, cur)
        attrs = found.group("a") if found else None
        new_attrs = _extended_autofilter(attrs, plan, outcome) if attrs else None
        if found is not None and new_attrs is not None:
            sc.copy_to(found.start("a"), sink)
            sink.write(new_attrs)
            sc.done = found.end("a")
    sc.copy_rest(sink)


def _extended_autofilter(attrs: bytes, plan: SplicePlan, outcome: Outcome) -> bytes | None:
    ref = attr(attrs, b"ref")
    bounds = parse_ref(ref) if ref else None
    if bounds is None:
        return None
    top, left, bottom, right = bounds
    if not top <= plan.header_row <= bottom:
        return None
    new_right = right
    while new_right + 1 in outcome.new_header_columns:
        new_right += 1
    if new_right == right:
        return None
    return with_attr(attrs, b"ref", format_ref(top, left, bottom, new_right))
