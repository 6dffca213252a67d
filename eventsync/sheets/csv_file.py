"""Read a user's CSV file, and write annotation cells back into it.

Stage: the CSV edge of "read sheet" and "annotate sheet". Everything else in
eventsync sees only `CsvTable.rows`; only this module knows about encodings,
delimiters, quoting and line endings.

Never: re-encode, re-quote or re-terminate a field the caller did not ask to change.
Writing splices new fields into the file's original *bytes*, because decoding and
re-encoding is not the identity (CP932 maps IBM and NEC variants of one character to
one code point: b"\\xfa\\x4a" comes back as b"\\x87\\x54"). That is safe because the
bytes that carry CSV structure (, ; TAB " CR LF) are all below 0x40, and neither UTF-8
nor CP932 uses such a byte inside a multi-byte character: the file's structure found
in the bytes is the structure found in the decoded text.
Never apply the formula guard (`csv_guard`) on the caller's behalf: `read_csv` returns
the fields exactly as the file holds them, and the writer guards what it writes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, AnyStr

from eventsync.encodings import CP932_EQUIVALENTS
from eventsync.errors import SheetError
from eventsync.messages import Text

# The formula guard lives in its own module; its names are kept here for callers.
from eventsync.safe_files import open_shared
from eventsync.sheets.csv_guard import (  # noqa: F401, E501
    FORMULA_TRIGGERS,
    escape_formula,
    escape_value,
    unescape_value,
)
from eventsync.sheets.csv_intake import read_within_limit, reject_binary

DELIMITERS = (",", ";", "\t")
UTF8_BOM = b"\xef\xbb\xbf"
# Excel and RFC 4180 terminate records with CRLF; used when a file has no terminator.
DEFAULT_NEWLINE = "\r\n"


@dataclass(frozen=True)
class CsvFormat:
    encoding: str  # "utf-8", "utf-8-sig" or "cp932"
    delimiter: str  # ",", ";" or "\t"
    newline: str  # "\r\n", "\n" or "\r" (the file's dominant record terminator)
    quote_all: bool  # True if the file quotes every field (then new fields are quoted too)
    sep_line: bool = False  # starts with Excel's `sep=;` line (kept; row 1 is the next)


@dataclass(frozen=True)
class CsvTable:
    format: CsvFormat
    # Decoded, unquoted values per record; rows[0] is the header record and record i
    # is "row i+1" as the user sees it (a quoted field may span lines: still one row).
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class _Grammar:
    """Compiled patterns for one delimiter and one string type (str or bytes)."""

    record: re.Pattern[Any]  # one record: (fields)(terminator)
    raw_fields: re.Pattern[Any]  # findall on delimiter + record -> raw field texts
    values: re.Pattern[Any]  # findall on delimiter + record -> (quoted body, after quote, plain)
    terminators: re.Pattern[Any]  # split on record terminators (for text without quotes)


@lru_cache(maxsize=8)
def _grammar(delimiter: str, kind: type) -> _Grammar:
    d = re.escape(delimiter)
    # Possessive quantifiers (*+) make the patterns behave like Excel's and Python's
    # state machines: inside quotes "" is a quote and a lone " closes the field, with
    # no backtracking into another reading. Text after the closing quote, and a quote
    # inside an unquoted field, are kept literally.
    quoted = rf'"(?:[^"]*+(?:""[^"]*+)*+)"[^{d}\r\n]*+'
    plain = rf'(?!")[^{d}\r\n]*+'
    field = rf"(?:{quoted}|{plain})"
    patterns = (
        rf"({field}(?:{d}{field})*+)(\r\n|\n|\r|\Z)",
        rf"{d}({field})",
        rf'{d}(?:"([^"]*+(?:""[^"]*+)*+)"([^{d}\r\n]*+)|([^{d}\r\n]*+))',
        r"(\r\n|\n|\r)",
    )
    if kind is bytes:
        return _Grammar(*(re.compile(p.encode("ascii")) for p in patterns))
    return _Grammar(*(re.compile(p) for p in patterns))


def _split_records(text: AnyStr, delimiter: str, *, name: str) -> list[tuple[AnyStr, AnyStr]]:
    """(record text, terminator) pairs; the last terminator is empty without a final newline.

    Works on str (reading) and on bytes (writing) alike, and finds the same records in both.
    """
    grammar = _grammar(delimiter, type(text))
    quote = b'"' if isinstance(text, bytes) else '"'
    if quote not in text:
        # Fast path: without quotes every terminator ends a record.
        parts = grammar.terminators.split(text)
        records = list(zip(parts[0:-1:2], parts[1::2], strict=True))
        if parts[-1]:
            records.append((parts[-1], parts[-1][:0]))
        return records
    records = []
    position = 0
    for match in grammar.record.finditer(text):
        if match.start() != position:
            # The record at `position` did not parse: only an unclosed quote does that.
            raise _unclosed_quote(name, row_number=len(records) + 1)
        if position == len(text):
            break
        records.append((match[1], match[2]))
        position = match.end()
    if position != len(text):  # defensive: finditer always ends with an empty match at \Z
        raise _unclosed_quote(name, row_number=len(records) + 1)
    return records


def _unclosed_quote(name: str, *, row_number: int) -> SheetError:
    return SheetError(Text("refuse.csv_unclosed_quote", file=name, row=row_number))


def _values(record: str, delimiter: str) -> tuple[str, ...]:
    if '"' not in record:
        return tuple(record.split(delimiter))
    inner, separator = record[1:-1], f'"{delimiter}"'
    if (
        len(record) > 1
        and record[0] == record[-1] == '"'
        and inner.count('"') == 2 * inner.count(separator)
    ):
        # Fast path for files that quote every field: when every quote between the
        # first and the last is part of a `"` + delimiter + `"`, those separate the
        # fields and no field holds a quote. (str.count and str.split scan alike.)
        return tuple(inner.split(separator))
    pattern = _grammar(delimiter, str).values
    # Only one branch matched; the other branch's groups are "", so adding them is safe.
    return tuple(
        body.replace('""', '"') + after + plain
        for body, after, plain in pattern.findall(delimiter + record)
    )


def _raw_fields(record: AnyStr, delimiter: str) -> list[AnyStr]:
    """The fields of one record exactly as written (quotes and all)."""
    if isinstance(record, bytes):
        separator, quote = delimiter.encode("ascii"), b'"'
    else:
        separator, quote = delimiter, '"'
    if quote not in record:
        return record.split(separator)
    return _grammar(delimiter, type(record)).raw_fields.findall(separator + record)


def _decode(data: bytes, *, name: str) -> tuple[str, str]:
    """(text without BOM, encoding). Decodes the whole file: Japanese text may first
    appear on row 5000, after an ASCII header."""
    reject_binary(data, name=name)
    # A BOM settles it. Never shift_jis: it lacks the characters Windows adds (①, ㈱, 髙).
    candidates = ("utf-8-sig",) if data.startswith(UTF8_BOM) else ("utf-8", "cp932")
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise SheetError(Text("refuse.csv_encoding", file=name))


def _detect_delimiter(text: str) -> str:
    """The candidate found most often outside quotes in the header record; ties -> ","."""
    counts = {}
    for delimiter in DELIMITERS:
        match = _grammar(delimiter, str).record.match(text)
        # No match: an unclosed quote under this reading; parsing will report it.
        counts[delimiter] = len(_raw_fields(match[1], delimiter)) - 1 if match else -1
    best = max(counts.values())
    winners = [d for d, n in counts.items() if n == best]
    return winners[0] if best > 0 and len(winners) == 1 else ","


def _newline_of(records: list[tuple[AnyStr, AnyStr]]) -> str:
    counts = Counter(terminator for _, terminator in records if terminator)
    by_text = {(t.decode("ascii") if isinstance(t, bytes) else t): n for t, n in counts.items()}
    # Ties go to the first of CRLF, LF, CR: max() keeps the first maximum it meets.
    candidates = ("\r\n", "\n", "\r")
    return max(candidates, key=lambda n: by_text.get(n, 0)) if by_text else DEFAULT_NEWLINE


def _quotes_all(records: list[tuple[AnyStr, AnyStr]], delimiter: str) -> bool:
    """Judged on the header and the first data record: files that quote every field are
    written by programs, which quote every record alike."""
    fields = [field for record, _ in records[:2] for field in _raw_fields(record, delimiter)]
    quote = b'"' if fields and isinstance(fields[0], bytes) else '"'
    return bool(fields) and all(field[:1] == quote for field in fields)


# Excel's first-line delimiter hint: `sep=;` then a line break. Excel reads the rest
# with that delimiter and does not show the line.
_SEP_LINE = re.compile(r'[sS][eE][pP]=([^"\r\n])(\r\n|\n|\r|\Z)')


def _sep_line(text: str) -> tuple[str, int] | None:
    """(delimiter, length of the line with its terminator) of a leading `sep=` line."""
    found = _SEP_LINE.match(text)
    return (found[1], found.end()) if found and found[1].isascii() else None


def _parse(data: bytes, *, name: str) -> tuple[CsvFormat, list[tuple[str, str]]]:
    text, encoding = _decode(data, name=name)
    delimiter, skip = _sep_line(text) or (_detect_delimiter(text), 0)
    records = _split_records(text[skip:], delimiter, name=name)
    return _format_of(encoding, delimiter, records, sep_line=skip > 0), records


def _format_of(
    encoding: str, delimiter: str, records: list[tuple[AnyStr, AnyStr]], *, sep_line: bool
) -> CsvFormat:
    newline, quote_all = _newline_of(records), _quotes_all(records, delimiter)
    return CsvFormat(encoding, delimiter, newline, quote_all, sep_line=sep_line)


def detect_format(data: bytes, *, name: str) -> CsvFormat:
    """The encoding, delimiter, newline and quoting of a CSV file's bytes.

    Raises SheetError (naming `name`) for binary data, unknown encodings and unclosed quotes.
    """
    return _parse(data, name=name)[0]


def read_csv(path: Path) -> CsvTable:
    """Every record of the file as decoded values; an empty file has no rows. Raises
    SheetError (naming the file and the fix) when it cannot be read as CSV, or is larger
    than eventsync reads (csv_intake). Each form of the file is dropped once the next is
    made (bytes, text, records, rows): at most two are held at once."""
    with open_shared(path) as file:
        data = read_within_limit(file, name=path.name)
    text, encoding = _decode(data, name=path.name)
    del data
    delimiter, skip = _sep_line(text) or (_detect_delimiter(text), 0)
    records = _split_records(text[skip:], delimiter, name=path.name)
    del text
    csv_format = _format_of(encoding, delimiter, records, sep_line=skip > 0)
    records.reverse()  # popped from the end, each record goes once its values are taken
    rows = [_values(records.pop()[0], delimiter) for _ in range(len(records))]
    return CsvTable(csv_format, tuple(rows))


def write_csv_cells(
    src: Path,
    dst: Path,
    cells: Mapping[tuple[int, int], str | None],
    *,
    source: IO[bytes] | None = None,
) -> None:
    """Write `src` to `dst` with only the given cells changed.

    `cells` maps (row_number, column_number), both 1-based, to new text (None or "" for
    an empty field). A column beyond a record's last field pads that record with empty
    fields. A row beyond the last record appends records (two-way sync adds events):
    row numbers follow on from the last record, a gap is filled with empty records, each
    is terminated with the file's own newline, and the final-newline convention is kept
    (a file without a final newline gets one after its old last record, and none after
    the new last record). Empty values beyond the last record append nothing.
    Row 1 should only get column names: the delimiter is detected again from it on the
    next read.
    Every other byte of `src` is copied: BOM, quoting, terminators, final newline.
    Text the file's encoding cannot hold (emoji in CP932) is written as "?": the cells
    are eventsync's own annotations, and losing one character beats losing the write-back.
    A leading `sep=;` line is kept; row 1 is the record after it. With `source` (an open
    handle of src) the file is read from that handle.
    """
    if src.resolve() == dst.resolve():
        raise ValueError(f"write_csv_cells needs a new destination, not {src} itself")
    if source is None:
        with open_shared(src) as file:
            data = read_within_limit(file, name=src.name)
    else:
        source.seek(0)
        data = read_within_limit(source, name=src.name)
    text, encoding = _decode(data, name=src.name)  # refuses what read_csv refuses
    bom = UTF8_BOM if encoding == "utf-8-sig" else b""
    delimiter, skip = _sep_line(text) or (_detect_delimiter(text), 0)
    head = data[: len(bom) + skip]  # the BOM and a sep= line (ASCII: bytes = characters)
    records = _split_records(data[len(head) :], delimiter, name=src.name)
    csv_format = _format_of(encoding, delimiter, records, sep_line=skip > 0)
    changes = _changes_by_row(cells, csv_format)
    out = [head]
    for index, (record, terminator) in enumerate(records):
        row_changes = changes.get(index + 1)
        if row_changes:
            record = _changed_record(record, row_changes, csv_format)
            if not record:
                # An emptied record is written as `""`: an empty last line without a
                # newline would vanish, and CR + empty + LF would read as one CRLF.
                record = b'""'
        out.append(record)
        out.append(terminator)
    out.extend(_appended_records(records, changes, csv_format))
    dst.write_bytes(b"".join(out))


def _changes_by_row(
    cells: Mapping[tuple[int, int], str | None], csv_format: CsvFormat
) -> dict[int, dict[int, bytes]]:
    """Row number -> column number -> the new field's bytes, each distinct text encoded once."""
    encoded: dict[str, bytes] = {}
    changes: dict[int, dict[int, bytes]] = {}
    for (row_number, column_number), text in cells.items():
        if row_number < 1 or column_number < 1:
            raise ValueError(
                f"cell (row {row_number}, column {column_number}): rows and columns count from 1"
            )
        text = text or ""
        field = encoded.get(text)
        if field is None:
            field = encoded[text] = _encoded_field(text, csv_format)
        changes.setdefault(row_number, {})[column_number] = field
    return changes


def _appended_records(
    records: list[tuple[bytes, bytes]], changes: dict[int, dict[int, bytes]], csv_format: CsvFormat
) -> list[bytes]:
    """The records (with terminators) for rows beyond the file's last record."""
    empty = _encoded_field("", csv_format)
    beyond = [
        row_number
        for row_number, row_changes in changes.items()
        if row_number > len(records) and any(f != empty for f in row_changes.values())
    ]
    if not beyond:
        return []
    newline = csv_format.newline.encode("ascii")
    out: list[bytes] = []
    previous = records[-1][1] if records else b""
    final = newline
    if records and not previous:  # no final newline: keep it that way
        out.append(newline)
        previous, final = newline, b""
    last = max(beyond)
    for row_number in range(len(records) + 1, last + 1):
        row_changes = changes.get(row_number)
        record = _new_record(row_changes, empty, csv_format) if row_changes else b""
        if not record and previous == b"\r" and newline.startswith(b"\n"):
            record = b'""'  # CR + empty + LF would read as one CRLF
        out.append(record)
        previous = newline if row_number < last else final
        out.append(previous)
    return out


def _new_record(changes: dict[int, bytes], empty: bytes, csv_format: CsvFormat) -> bytes:
    fields = [empty] * max(changes)
    for column_number, field in changes.items():
        fields[column_number - 1] = field
    return csv_format.delimiter.encode("ascii").join(fields)


def _changed_record(record: bytes, changes: dict[int, bytes], csv_format: CsvFormat) -> bytes:
    fields = _raw_fields(record, csv_format.delimiter)
    missing = max(changes) - len(fields)
    if missing > 0:
        fields.extend([_encoded_field("", csv_format)] * missing)
    for column_number, field in changes.items():
        fields[column_number - 1] = field
    return csv_format.delimiter.encode("ascii").join(fields)


def _encoded_field(text: str, csv_format: CsvFormat) -> bytes:
    if csv_format.encoding == "cp932" and not text.isascii():
        text = text.translate(CP932_EQUIVALENTS)
    if csv_format.quote_all or _NEEDS_QUOTES.search(text) or csv_format.delimiter in text:
        text = '"' + text.replace('"', '""') + '"'
    # utf-8-sig would add a BOM to every field; the file's BOM is written once, up front.
    codec = "utf-8" if csv_format.encoding == "utf-8-sig" else csv_format.encoding
    return text.encode(codec, errors="replace")


# Quoted when written: the file's delimiter, quotes and line breaks must be; any other
# candidate delimiter is too, so that a written header cell adds nothing to another
# delimiter's count when the file is read again; and spaces at either end are, so that
# no program trims them away.
_NEEDS_QUOTES = re.compile(r'[,;\t"\r\n]|^\s|\s\Z')
