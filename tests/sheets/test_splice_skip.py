"""The rows a write leaves alone are passed over fast (sheets/xlsx/skip.py); the result
must be what reading every row gives: the same bytes, the same new-cell styles, the same
refusal with the same words.

Sheets are generated as XML, with what spreadsheet programs write and what they rarely
do (rows and cells without r=, self-closing rows, rows out of order, rich text, gaps,
comments), and spliced both ways, with a read buffer compacted every few rows and with one
that holds the whole sheet.
"""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventsync.errors import UnsupportedWorkbookError
from eventsync.sheets.xlsx import scanner, skip, splice
from eventsync.sheets.xlsx.refs import column_letters
from eventsync.sheets.xlsx.splice_plan import make_plan

HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<dimension ref="A1:E40"/><sheetData>'
)
TAIL = b'</sheetData><autoFilter ref="A1:C40"/></worksheet>'

cell_kinds = st.sampled_from(["plain", "styled", "no-r", "rich", "empty", "missing", "other-row"])
row_kinds = st.sampled_from(
    ["usual", "usual", "usual", "self-closing", "no-r", "spans-first", "absent", "comment"]
)


def cell(kind: str, ref: bytes, style: int) -> bytes:
    if kind == "plain":
        return b'<c r="%s"><v>1</v></c>' % ref
    if kind == "styled":
        return b'<c r="%s" s="%d"><v>2</v></c>' % (ref, style)
    if kind == "no-r":
        return b'<c s="%d" t="inlineStr"><is><t>x</t></is></c>' % style
    if kind == "rich":
        return (
            b'<c r="%s" s="%d" t="inlineStr"><is><r><rPr><color rgb="FF0000"/></rPr>'
            b"<t>red</t></r></is></c>" % (ref, style)
        )
    if kind == "empty":
        return b'<c r="%s" s="%d"/>' % (ref, style)
    if kind == "other-row":  # a reference naming the next row: found by no row's lookup
        letters, number = re.match(rb"([A-Z]+)(\d+)", ref).groups()
        return b'<c r="%s%d" s="%d"><v>3</v></c>' % (letters, int(number) + 1, style)
    return b""


@st.composite
def sheets(draw):
    rows = []
    for number in range(1, draw(st.integers(2, 40)) + 1):
        kind = draw(row_kinds)
        if kind == "absent":
            continue
        kinds = draw(st.lists(cell_kinds, min_size=0, max_size=5))
        styles = draw(st.lists(st.integers(0, 9), min_size=5, max_size=5))
        cells = b"".join(
            cell(k, column_letters(c + 1) + b"%d" % number, styles[c]) for c, k in enumerate(kinds)
        )
        if kind == "self-closing" or not cells:
            rows.append(b'<row r="%d"/>' % number)
        elif kind == "no-r":
            rows.append(b"<row>%s</row>" % cells)
        elif kind == "spans-first":
            rows.append(b'<row spans="1:5" r="%d">%s</row>' % (number, cells))
        elif kind == "comment":
            rows.append(b'<row r="%d"><!-- note -->%s</row>' % (number, cells))
        else:
            rows.append(b'<row r="%d" spans="1:5">%s</row>\n' % (number, cells))
    if draw(st.booleans()) and len(rows) > 3:  # a row out of order
        i = draw(st.integers(1, len(rows) - 2))
        rows[i], rows[i + 1] = rows[i + 1], rows[i]
    return HEAD + b"".join(rows) + TAIL


writes = st.dictionaries(
    st.tuples(st.integers(1, 45), st.integers(1, 7)),
    st.one_of(st.text("abc<&", min_size=1, max_size=3), st.none(), st.just(1.5)),
    min_size=1,
    max_size=12,
)


def spliced(xml: bytes, cells, header_row: int) -> tuple[bytes, dict, set] | str:
    plan = make_plan(cells, header_row, "events.xlsx, sheet 'Events'", date1904=False)
    out = io.BytesIO()
    try:
        outcome = splice.splice_sheet(io.BytesIO(xml), plan, out)
    except UnsupportedWorkbookError as error:
        return str(error)
    return out.getvalue(), outcome.above, outcome.new_header_columns


@pytest.fixture(params=[97, scanner.READ_CHUNK_BYTES], ids=["small-buffer", "usual-buffer"])
def buffer(request, monkeypatch):
    """A buffer compacted every few rows, and one that holds a whole (small) sheet."""
    for module in (scanner, skip, splice):
        monkeypatch.setattr(module, "READ_CHUNK_BYTES", request.param)


@pytest.mark.slow
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(xml=sheets(), cells=writes, header_row=st.integers(1, 3))
def test_passing_rows_over_fast_gives_what_reading_each_row_gives(
    buffer, monkeypatch, xml, cells, header_row
):
    fast = spliced(xml, cells, header_row)
    with monkeypatch.context() as m:
        m.setattr(splice, "skip_rows", lambda buf, cur, stop, last, *rest: (cur, last))
        careful = spliced(xml, cells, header_row)
    assert fast == careful


def rows_xml(*rows: bytes) -> bytes:
    return HEAD + b"".join(rows) + TAIL


@pytest.mark.parametrize(
    ("xml", "style"),
    [
        # A row without r= (row 3) whose cell in column B has a style of its own.
        (
            rows_xml(
                b'<row r="1"><c r="A1"><v>1</v></c></row>',
                b'<row r="2"><c r="B2" s="1"><v>1</v></c></row>',
                b'<row><c r="B3" s="7"><v>1</v></c></row>',
                b'<row r="4"><c r="A4"><v>1</v></c></row>',
            ),
            b"7",
        ),
        # A cell without r= in column B (after A3), styled otherwise than B2.
        (
            rows_xml(
                b'<row r="1"><c r="A1"><v>1</v></c></row>',
                b'<row r="2"><c r="B2" s="1"><v>1</v></c></row>',
                b'<row r="3"><c r="A3"><v>1</v></c><c s="7"><v>1</v></c></row>',
                b'<row r="4"><c r="A4"><v>1</v></c></row>',
            ),
            b"7",
        ),
        # Row 3 holds a cell naming row 4: no row's own B cell, so B2 is the nearest.
        (
            rows_xml(
                b'<row r="1"><c r="A1"><v>1</v></c></row>',
                b'<row r="2"><c r="B2" s="1"><v>1</v></c></row>',
                b'<row r="3"><c r="A3"><v>1</v></c><c r="B4" s="7"><v>1</v></c></row>',
                b'<row r="4"><c r="A4"><v>1</v></c></row>',
            ),
            b"1",
        ),
        # Row 3 spelled with spans first, then a row 3 again (out of order).
        (
            rows_xml(
                b'<row r="1"><c r="A1"><v>1</v></c></row>',
                b'<row spans="1:2" r="3"><c r="B3" s="7"><v>1</v></c></row>',
                b'<row r="3"><c r="A3"><v>1</v></c></row>',
            ),
            None,
        ),
    ],
    ids=["row-without-r", "cell-without-r", "cell-naming-another-row", "rows-out-of-order"],
)
def test_rows_the_fast_way_cannot_take_are_read_one_by_one(buffer, monkeypatch, xml, style):
    cells = {(5, 2): "new below", (1, 3): "header"}
    fast = spliced(xml, cells, 1)
    with monkeypatch.context() as m:
        m.setattr(splice, "skip_rows", lambda buf, cur, stop, last, *rest: (cur, last))
        careful = spliced(xml, cells, 1)
    assert fast == careful
    if style is None:
        assert isinstance(fast, str) and "row 3 comes after row 3" in fast
    else:
        assert b'<c r="B5" s="%s"' % style in fast[0]
