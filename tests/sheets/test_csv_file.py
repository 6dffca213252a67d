"""sync.csv_file: reading users' CSV files and writing annotation cells back, byte-exact."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventsync.errors import SheetError
from eventsync.sheets.csv_file import (
    CsvFormat,
    detect_format,
    escape_formula,
    read_csv,
    write_csv_cells,
)

PROPERTY_SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# -- helpers ---------------------------------------------------------------------------


def write(tmp_path: Path, data: bytes, name: str = "events.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def rewrite(src: Path, cells: dict[tuple[int, int], str | None]) -> bytes:
    dst = src.with_name("out-" + src.name)
    write_csv_cells(src, dst, cells)
    return dst.read_bytes()


def raw_records(data: bytes, delimiter: bytes) -> list[tuple[list[bytes], bytes]]:
    """Test oracle: a character-by-character reading of a well-formed file into each
    record's raw field bytes (quotes and all) and its terminator."""
    records: list[tuple[list[bytes], bytes]] = []
    fields: list[bytes] = []
    field = bytearray()
    in_quotes, at_start, i = False, True, 0
    while i < len(data):
        c = data[i : i + 1]
        if in_quotes:
            if c == b'"' and data[i + 1 : i + 2] == b'"':
                field += b'""'
                i += 2
                continue
            in_quotes = c != b'"'
            field += c
        elif c == b'"' and at_start:
            in_quotes, at_start = True, False
            field += c
        elif c == delimiter:
            fields.append(bytes(field))
            field, at_start = bytearray(), True
        elif c in (b"\r", b"\n"):
            terminator = b"\r\n" if data[i : i + 2] == b"\r\n" else c
            records.append(([*fields, bytes(field)], terminator))
            fields, field, at_start = [], bytearray(), True
            i += len(terminator)
            continue
        else:
            field += c
            at_start = False
        i += 1
    assert not in_quotes, "oracle: unclosed quote"
    if fields or field:
        records.append(([*fields, bytes(field)], b""))
    return records


def serialise(
    rows, *, delimiter: str, newline: str, quoting: Literal[0, 1, 2, 3] = csv.QUOTE_MINIMAL
) -> str:
    """Rows written by Python's csv module, one writer per row: csv only quotes CR and LF
    when they are in its own line terminator, so a row holding the other one is written
    with QUOTE_ALL (as any real CSV writer would quote it)."""
    buffer = io.StringIO()
    for row in rows:
        bare_newline = any(c in value for value in row for c in "\r\n" if c not in newline)
        row_quoting = csv.QUOTE_ALL if bare_newline else quoting
        csv.writer(
            buffer, delimiter=delimiter, lineterminator=newline, quoting=row_quoting
        ).writerow(row)
    return buffer.getvalue()


# -- encodings -------------------------------------------------------------------------


def test_utf8_without_bom(tmp_path):
    src = write(tmp_path, "eventName,city\n展示会,東京\n".encode())
    table = read_csv(src)
    assert table.format == CsvFormat("utf-8", ",", "\n", quote_all=False)
    assert table.rows == (("eventName", "city"), ("展示会", "東京"))


def test_bom_is_read_as_utf8_sig_and_kept_on_write(tmp_path):
    src = write(tmp_path, b"\xef\xbb\xbfeventName,syncError\r\n" + "展示会,\r\n".encode())
    table = read_csv(src)
    assert table.format.encoding == "utf-8-sig"
    assert table.rows[0] == ("eventName", "syncError")  # no U+FEFF on the first header
    out = rewrite(src, {(2, 2): "エラー"})
    assert out == b"\xef\xbb\xbfeventName,syncError\r\n" + "展示会,エラー\r\n".encode()


def test_cp932_found_when_only_row_5000_is_japanese(tmp_path):
    lines = [b"objectId,eventName,syncError"] + [b"%d,event %d," % (n, n) for n in range(2, 5001)]
    # Row 5000 holds Japanese, and an IBM-extension kanji that decode+encode would turn
    # into its NEC twin (b"\xfa\x4a" -> b"\x87\x54"): it must survive byte for byte.
    lines[4999] = b"5000," + "東京展示会".encode("cp932") + b"\xfa\x4a,"
    data = b"\r\n".join(lines) + b"\r\n"
    src = write(tmp_path, data)
    table = read_csv(src)
    assert table.format.encoding == "cp932"
    assert len(table.rows) == 5000
    assert table.rows[4999] == ("5000", "東京展示会Ⅰ", "")
    out = rewrite(src, {(5000, 3): "送信済み", (2, 3): "ok"})
    expected = lines.copy()
    expected[1] = b"2,event 2,ok"
    expected[4999] = lines[4999] + "送信済み".encode("cp932")
    assert out == b"\r\n".join(expected) + b"\r\n"


def test_cp932_write_replaces_what_it_cannot_hold(tmp_path):
    src = write(tmp_path, "name,note\r\n東京,\r\n".encode("cp932"))
    out = rewrite(src, {(2, 2): "ok 🎉 〜"})
    # The emoji has no CP932 code: "?". The Mac wave dash becomes CP932's own tilde.
    assert out == "name,note\r\n東京,ok ? ～\r\n".encode("cp932")


def test_neither_utf8_nor_cp932_names_the_file_and_the_fix(tmp_path):
    src = write(tmp_path, b"name\r\ncaf\xe9,\x80\xff\r\n", name="legacy.csv")
    with pytest.raises(SheetError) as raised:
        read_csv(src)
    message = str(raised.value)
    assert "legacy.csv" in message
    assert "neither UTF-8 nor Shift-JIS (CP932)" in message
    assert "CSV UTF-8" in message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"),
        ("name,city\r\n".encode("utf-16"), "UTF-16"),
        (b"name,city\r\nab\x00cd,x\r\n", "binary"),
    ],
)
def test_binary_files_are_refused(tmp_path, data, words):
    src = write(tmp_path, data, name="events.csv")
    with pytest.raises(SheetError, match=words) as raised:
        detect_format(src.read_bytes(), name=src.name)
    assert "events.csv" in str(raised.value)
    with pytest.raises(SheetError):
        write_csv_cells(src, tmp_path / "out.csv", {})
    assert not (tmp_path / "out.csv").exists()


# -- delimiters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        (b"a,b,c", ","),
        (b"a;b;c", ";"),
        (b"a\tb\tc", "\t"),
        (b"name", ","),  # none: comma
        (b"a;b,c", ","),  # tie: comma
        (b'"x,y,z";b;c', ";"),  # delimiters inside quotes do not count
        (b'"a\r\nb,c,d";e;f', ";"),  # nor do they across a line break
        (b"a,b;c;d", ";"),
    ],
)
def test_delimiter_from_header(header, delimiter):
    assert detect_format(header + b"\r\n1\r\n", name="x.csv").delimiter == delimiter


def test_delimiter_only_in_data_rows_is_not_used():
    data = b"name\r\na;b;c\r\n"
    assert detect_format(data, name="x.csv").delimiter == ","


# -- record terminators ----------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
@pytest.mark.parametrize("final_newline", [True, False])
def test_terminators_and_final_newline_round_trip(tmp_path, newline, final_newline):
    text = newline.join(["name,syncError", "a,", '"b\nc",', "d,x"])
    data = (text + (newline if final_newline else "")).encode()
    src = write(tmp_path, data)
    table = read_csv(src)
    assert table.format.newline == newline
    assert table.rows == (("name", "syncError"), ("a", ""), ("b\nc", ""), ("d", "x"))
    assert rewrite(src, {}) == data
    out = rewrite(src, {(4, 2): "new", (2, 3): "pad"})
    expected = newline.join(["name,syncError", "a,,pad", '"b\nc",', "d,new"])
    assert out == (expected + (newline if final_newline else "")).encode()


def test_mixed_terminators_each_record_keeps_its_own(tmp_path):
    data = b"h1,h2\r\na,1\nb,2\rc,3\r\nd,4"
    src = write(tmp_path, data)
    assert read_csv(src).format.newline == "\r\n"  # dominant: 2 of 4 terminators
    out = rewrite(src, {(2, 3): "x", (3, 3): "y", (4, 3): "z", (5, 3): "w"})
    assert out == b"h1,h2\r\na,1,x\nb,2,y\rc,3,z\r\nd,4,w"


def test_single_line_without_terminator_defaults_to_crlf(tmp_path):
    table = read_csv(write(tmp_path, b"a,b"))
    assert table.format.newline == "\r\n"
    assert table.rows == (("a", "b"),)


def test_empty_file_has_no_rows(tmp_path):
    assert read_csv(write(tmp_path, b"")).rows == ()
    assert read_csv(write(tmp_path, b"\xef\xbb\xbf")).rows == ()


# -- parsing ---------------------------------------------------------------------------


def test_quoted_fields_span_lines_but_count_as_one_row(tmp_path):
    data = b'name,description,syncError\r\n"A","line 1\r\nline 2\r\n",\r\nB,plain,\r\n'
    src = write(tmp_path, data)
    rows = read_csv(src).rows
    assert rows[1] == ("A", "line 1\r\nline 2\r\n", "")
    assert rows[2] == ("B", "plain", "")
    out = rewrite(src, {(3, 3): "failed"})
    assert out == data.replace(b"B,plain,", b"B,plain,failed")


def test_emptying_an_unterminated_last_row_keeps_the_row(tmp_path):
    src = write(tmp_path, b"a\r\nx")
    assert rewrite(src, {(2, 1): None}) == b'a\r\n""'
    assert rewrite(src, {(1, 1): None}) == b'""\r\nx'
    src = write(tmp_path, b"a\r;\nb\n")  # emptying `;` must not make CR + LF one CRLF
    assert rewrite(src, {(2, 1): ""}) == b'a\r""\nb\n'


def test_empty_lines_are_rows_with_one_empty_field(tmp_path):
    src = write(tmp_path, b"a,b\r\n\r\nc,d\r\n\r\n")
    assert read_csv(src).rows == (("a", "b"), ("",), ("c", "d"), ("",))
    assert rewrite(src, {(2, 2): "x", (4, 1): "y"}) == b"a,b\r\n,x\r\nc,d\r\ny\r\n"


def test_quotes_doubled_and_delimiters_inside_quotes(tmp_path):
    src = write(tmp_path, b'a,b\r\n"say ""hi""","x,y"\r\n"",""""\r\n')
    assert read_csv(src).rows == (("a", "b"), ('say "hi"', "x,y"), ("", '"'))


def test_stray_quotes_are_kept_literally_like_excel(tmp_path):
    src = write(tmp_path, b'a,b,c\r\n5" screen,"q"tail, "spaced"\r\n')
    assert read_csv(src).rows[1] == ('5" screen', "qtail", ' "spaced"')


def test_unclosed_quote_names_the_row_where_it_started(tmp_path):
    data = b"a,b\r\n" + b"x,y\r\n" * 10 + b'z,"never closed\r\nmore,rows\r\n'
    src = write(tmp_path, data, name="events.csv")
    with pytest.raises(SheetError, match=r"events\.csv row 12: a quoted field is never closed"):
        read_csv(src)
    with pytest.raises(SheetError, match="row 12"):
        write_csv_cells(src, tmp_path / "out.csv", {})


def test_escaped_quote_at_end_does_not_close_the_field(tmp_path):
    # `"x""` is x, an escaped quote, and no closing quote: never read as `x"`.
    src = write(tmp_path, b'a,b\r\n"x"",y\r\n')
    with pytest.raises(SheetError, match="row 2"):
        read_csv(src)


# -- quoting of written fields ---------------------------------------------------------


def test_quote_all_files_get_quoted_new_fields_and_padding(tmp_path):
    data = b'"name";"city"\n"a";"b"\n"c";"d"\n'
    src = write(tmp_path, data)
    assert read_csv(src).format == CsvFormat("utf-8", ";", "\n", quote_all=True)
    out = rewrite(src, {(1, 4): "syncError", (3, 4): None})
    assert out == b'"name";"city";"";"syncError"\n"a";"b"\n"c";"d";"";""\n'


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("plain", b"plain"),
        ("", b""),
        (None, b""),
        ("a,b", b'"a,b"'),
        ("a;b", b'"a;b"'),  # any candidate delimiter: re-detection stays stable
        ('say "hi"', b'"say ""hi"""'),
        ("two\nlines", b'"two\nlines"'),
        ("cr\rhere", b'"cr\rhere"'),
        (" lead", b'" lead"'),
        ("trail ", b'"trail "'),
        ("=1+2", b"=1+2"),  # escape_formula is the caller's decision
    ],
)
def test_written_field_quoting(tmp_path, text, field):
    src = write(tmp_path, b"a,b\r\n1,2\r\n")
    assert rewrite(src, {(2, 2): text}) == b"a,b\r\n1," + field + b"\r\n"
    if text:
        assert read_csv(src.with_name("out-" + src.name)).rows[1][1] == text


def test_tab_files_quote_tabs_in_new_text(tmp_path):
    src = write(tmp_path, b"a\tb\n1\t2\n")
    assert rewrite(src, {(2, 2): "x\ty"}) == b'a\tb\n1\t"x\ty"\n'


# -- padding and caller errors ---------------------------------------------------------


def test_short_records_are_padded(tmp_path):
    src = write(tmp_path, b"name,city,updatedAt,syncError\r\nA\r\nB,Osaka\r\n")
    out = rewrite(src, {(2, 4): "e1", (3, 3): "2025-03-01"})
    assert out == b"name,city,updatedAt,syncError\r\nA,,,e1\r\nB,Osaka,2025-03-01\r\n"


def test_positions_below_one_are_a_caller_bug(tmp_path):
    src = write(tmp_path, b"a,b\r\n1,2\r\n")
    for cell in [(0, 1), (1, 0), (-1, 2)]:
        with pytest.raises(ValueError, match="count from 1"):
            write_csv_cells(src, tmp_path / "out.csv", {cell: "x"})
    assert not (tmp_path / "out.csv").exists()
    with pytest.raises(ValueError):
        write_csv_cells(src, src, {})


# -- appended records (two-way sync adds events HubSpot has) ---------------------------


@pytest.mark.parametrize(
    ("data", "cells", "expected"),
    [
        # Consecutive rows, the file's own newline, the final newline kept.
        (b"a,b\r\n1,2\r\n", {(3, 1): "x", (4, 2): "y"}, b"a,b\r\n1,2\r\nx\r\n,y\r\n"),
        # A gap is an empty record; no final newline before, none after.
        (b"a;b\n1;2", {(5, 2): "z"}, b"a;b\n1;2\n\n\n;z"),
        # A quote-every-field file quotes the new fields and the padding.
        (b'"a","b"\r"1","2"\r', {(3, 2): "x"}, b'"a","b"\r"1","2"\r"","x"\r'),
        # Nothing but empty values beyond the end: nothing appended.
        (b"a,b\r\n1,2\r\n", {(3, 1): None, (5, 2): ""}, b"a,b\r\n1,2\r\n"),
        # CR + empty record + LF must not read as one CRLF.
        (b"a,b\n1,2\n3,4\r", {(5, 1): "x"}, b'a,b\n1,2\n3,4\r""\nx\n'),
    ],
)
def test_rows_beyond_the_last_record_are_appended(tmp_path, data, cells, expected):
    src = write(tmp_path, data)
    assert rewrite(src, cells) == expected


def test_appending_to_a_cp932_file_with_a_bom_less_header(tmp_path):
    src = write(tmp_path, "objectId,eventName\r\n1,展示会\r\n".encode("cp932"))
    out = rewrite(src, {(3, 1): "2", (3, 2): "東京セミナー"})
    assert out == "objectId,eventName\r\n1,展示会\r\n2,東京セミナー\r\n".encode("cp932")


# -- escape_formula --------------------------------------------------------------------


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_escape_formula_prefixes_triggers(trigger):
    assert escape_formula(trigger + "cmd|' /C calc'!A0") == "'" + trigger + "cmd|' /C calc'!A0"


@pytest.mark.parametrize("text", ["", "ok", " =1", "'=1", "HubSpot: 404", "東京"])
def test_escape_formula_leaves_other_text(text):
    assert escape_formula(text) == text


# -- round trips on hand-written files -------------------------------------------------

SAMPLES = {
    "crlf_excel.csv": b'objectId,eventName,syncError\r\n1,"Launch, Tokyo",\r\n2,"multi\nline",x\r\n',
    "lf_no_final.csv": b"a;b;c\n1;2;3\n;;",
    "cr.csv": b"a\tb\r1\t2\r",
    "bom.csv": b'\xef\xbb\xbf"a","b"\r\n"1",""\r\n',
    "sjis.csv": '名前,場所\r\n展示会,"東京,大阪"\r\n'.encode("cp932"),
    "odd.csv": b'a,b\r\n  spaced  , "x" \r\n5" tv,"q"tail\r\n\r\n,\r\n',
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_no_cells_is_the_identity(tmp_path, name):
    src = write(tmp_path, SAMPLES[name], name=name)
    assert rewrite(src, {}) == SAMPLES[name]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_written_cells_change_only_those_fields(tmp_path, name):
    data = SAMPLES[name]
    src = write(tmp_path, data, name=name)
    table = read_csv(src)
    cells: dict[tuple[int, int], str | None] = {
        (r, 2): f"new {r}" for r in range(1, len(table.rows) + 1, 2)
    }
    out = rewrite(src, cells)
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    assert out.startswith(bom)
    assert_only_cells_changed(data[len(bom) :], out[len(bom) :], table.format, cells)


def assert_only_cells_changed(before: bytes, after: bytes, fmt: CsvFormat, cells) -> None:
    delimiter = fmt.delimiter.encode()
    old, new = raw_records(before, delimiter), raw_records(after, delimiter)
    assert len(old) == len(new)
    for row_number, ((old_fields, old_end), (new_fields, new_end)) in enumerate(
        zip(old, new, strict=True), start=1
    ):
        assert new_end == old_end
        written = {c for (r, c) in cells if r == row_number}
        width = max([len(old_fields), *written])
        assert len(new_fields) == width
        for column_number, field in enumerate(new_fields, start=1):
            if column_number in written:
                continue
            if column_number <= len(old_fields):
                assert field == old_fields[column_number - 1]
            else:
                assert field in (b"", b'""')  # padding


# -- properties ------------------------------------------------------------------------

ALPHABET = {
    "utf-8": "ab =@+-\"',;\t\r\n 日本ｱ～🎉é",
    "utf-8-sig": "ab =@+-\"',;\t\r\n 日本ｱ～🎉é",
    # Only characters whose CP932 bytes can never be read as UTF-8 (no emoji: CP932 has none).
    "cp932": "ab =@+-\"',;\t\r\n 日本ｱ～",
}


HEADERS = ("updatedAt", "syncError", "イベント名", None)


@st.composite
def tables(draw):
    encoding = draw(st.sampled_from(sorted(ALPHABET)))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    width = draw(st.integers(2, 4))
    header = [f"col{n}" for n in range(width)]
    text = st.text(ALPHABET[encoding], max_size=8)
    body = draw(st.lists(st.lists(text, min_size=1, max_size=width + 1), max_size=6))
    rows = [header, *body]
    serialised = serialise(rows, delimiter=delimiter, newline=newline, quoting=quoting)
    if not draw(st.booleans()):
        serialised = serialised[: -len(newline)]
    data = serialised.encode(encoding)
    # csv writes a row of one empty field as `""`, and an empty row as a blank line.
    expected = [tuple(row) if row else ("",) for row in rows]
    return data, expected, delimiter, encoding


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(table=tables())
def test_property_read_returns_what_csv_wrote(tmp_path, table):
    data, expected, delimiter, encoding = table
    read = read_csv(write(tmp_path, data))
    assert read.rows == tuple(expected)
    assert read.format.delimiter == delimiter
    if not data.isascii():
        assert read.format.encoding == encoding


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(table=tables())
def test_property_no_cells_is_the_identity(tmp_path, table):
    data = table[0]
    assert rewrite(write(tmp_path, data), {}) == data


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(table=tables(), data=st.data())
def test_property_written_cells_read_back_and_nothing_else_changes(tmp_path, table, data):
    source, expected, _, encoding = table
    alphabet = ALPHABET["cp932" if encoding == "cp932" else "utf-8"]
    cells = data.draw(
        st.dictionaries(
            st.tuples(st.integers(2, len(expected)), st.integers(1, 6)),
            st.none() | st.text(alphabet, max_size=8),
            max_size=6,
        )
        if len(expected) > 1
        else st.just({})
    )
    # Row 1 gets column names (the delimiter is detected from it on every read).
    header_cells = data.draw(
        st.dictionaries(st.tuples(st.just(1), st.integers(1, 6)), st.sampled_from(HEADERS))
    )
    cells.update(header_cells)
    src = write(tmp_path, source)
    fmt = read_csv(src).format
    out = rewrite(src, cells)
    rows = [list(row) for row in expected]
    for (row_number, column_number), text in cells.items():
        row = rows[row_number - 1]
        row.extend([""] * (column_number - len(row)))
        row[column_number - 1] = text or ""
    assert read_csv(src.with_name("out-" + src.name)).rows == tuple(map(tuple, rows))
    bom = 3 if fmt.encoding == "utf-8-sig" else 0
    assert out[:bom] == source[:bom]
    assert_only_cells_changed(source[bom:], out[bom:], fmt, cells)


MESSY = 'a,;\t"\r\n '


def read_or_none(path: Path):
    try:
        return read_csv(path)
    except SheetError as error:
        assert "never closed" in str(error)
        return None


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(text=st.text(MESSY, max_size=40))
def test_property_any_text_reads_like_pythons_csv_reader(tmp_path, text):
    # On arbitrary (often malformed) text: either a clear SheetError, or the same values
    # as Python's csv reader (whose non-strict rules are Excel's), and an exact rewrite.
    src = write(tmp_path, text.encode())
    table = read_or_none(src)
    if table is None:
        return
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=table.format.delimiter)
    assert table.rows == tuple(tuple(row) if row else ("",) for row in reader)
    assert rewrite(src, {}) == text.encode()


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(
    header=st.sampled_from(["a,b", "a;b;c", "a\tb", "name"]),
    newline=st.sampled_from(["\r\n", "\n", "\r"]),
    body=st.text(MESSY, max_size=40),
    data=st.data(),
)
def test_property_cells_written_into_messy_rows_read_back(tmp_path, header, newline, body, data):
    # Rows below a plain header may hold stray quotes, text after closing quotes and
    # blank lines: written cells read back, and every other value stays the same.
    src = write(tmp_path, (header + newline + body).encode())
    table = read_or_none(src)
    if table is None:
        return
    cells = data.draw(
        st.dictionaries(
            st.tuples(st.integers(2, max(2, len(table.rows))), st.integers(1, 4)),
            st.text(MESSY, max_size=5),
            max_size=4 if len(table.rows) > 1 else 0,
        )
    )
    rows = [list(row) for row in table.rows]
    for (row_number, column_number), value in cells.items():
        row = rows[row_number - 1]
        row.extend([""] * (column_number - len(row)))
        row[column_number - 1] = value
    rewrite(src, cells)
    assert read_csv(src.with_name("out-" + src.name)).rows == tuple(map(tuple, rows))


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(table=tables(), data=st.data())
def test_property_rows_beyond_the_end_are_appended_and_read_back(tmp_path, table, data):
    source, expected, _, encoding = table
    alphabet = ALPHABET["cp932" if encoding == "cp932" else "utf-8"]
    count = len(expected)
    cells = data.draw(
        st.dictionaries(
            st.tuples(st.integers(2, count + 4), st.integers(1, 5)),
            st.none() | st.text(alphabet, max_size=6),
            max_size=6,
        )
    )
    src = write(tmp_path, source)
    fmt = read_csv(src).format
    out = rewrite(src, cells)

    rows = [list(row) for row in expected]
    last = max([r for (r, _), text in cells.items() if text and r > count], default=count)
    rows += [[""] for _ in range(last - count)]  # a gap reads as a record of one empty field
    for (row_number, column_number), text in cells.items():
        if row_number <= last:
            row = rows[row_number - 1]
            row.extend([""] * (column_number - len(row)))
            row[column_number - 1] = text or ""
    assert read_csv(src.with_name("out-" + src.name)).rows == tuple(map(tuple, rows))

    newline = fmt.newline.encode()
    bom = 3 if fmt.encoding == "utf-8-sig" else 0
    assert out[:bom] == source[:bom]
    assert out.endswith(newline) == source.endswith(newline)  # the final-newline convention
    old, new = (
        raw_records(source[bom:], fmt.delimiter.encode()),
        raw_records(out[bom:], fmt.delimiter.encode()),
    )
    assert len(new) == max(len(old), last)
    # Old records keep their terminators; the old last one (if rows were appended) and
    # every new one but the last end with the file's newline.
    assert [end for _, end in new[: len(old) - 1]] == [end for _, end in old[:-1]]
    if last > count:
        assert {end for _, end in new[len(old) - 1 : -1]} <= {newline}
