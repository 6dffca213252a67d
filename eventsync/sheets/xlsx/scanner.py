"""The byte scanner of a worksheet part: its regular expressions, attribute helpers, and
a window (`Scanner`) that streams the part into a `Sink`.

The sheet is never parsed into a tree: a 100k-row sheet is scanned in 1 MB chunks, and
what is not changed is handed on as the very bytes it was. It must never decode,
normalise or re-serialise the bytes it copies, and never guess at markup it cannot read
as bytes (comments, CDATA, processing instructions: the splicer refuses those).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

READ_CHUNK_BYTES = 1 << 20


class Source(Protocol):
    """Where the sheet's bytes come from: its zip member, or a read-ahead of it."""

    def read(self, size: int = -1, /) -> bytes: ...


class Sink(Protocol):
    """Where the scanned and spliced bytes go: a deflater (the write) or nowhere (the check)."""

    def write(self, data: bytes, /) -> object: ...


# Attributes of a start tag, quotes honoured ("unrolled" so runs of plain bytes are one
# step of the regex engine); the _OPEN form stops before the "/>" of an empty element.
_ATTRS = rb"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*"""
_ATTRS_OPEN = rb"""[^>"'/]*(?:(?:"[^"]*"|'[^']*'|/(?!>))[^>"'/]*)*"""
SHEET_DATA = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?sheetData(?=[\s/>])(" + _ATTRS + rb")>")
_AFTER_AUTOFILTER = (
    b"sortState|dataConsolidate|customSheetViews|mergeCells|phoneticPr|conditionalFormatting"
    b"|dataValidations|hyperlinks|printOptions|pageMargins|pageSetup|headerFooter|rowBreaks"
    b"|colBreaks|customProperties|cellWatches|ignoredErrors|smartTags|drawing|legacyDrawing"
    b"|legacyDrawingHF|drawingHF|picture|oleObjects|controls|webPublishItems|tableParts|extLst"
)
XML_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([^"']+)""")


@dataclass(frozen=True)
class Patterns:
    """Regular expressions for one namespace prefix (b"" or e.g. b"x:")."""

    prefix: bytes
    row: re.Pattern[bytes]
    row_close: re.Pattern[bytes]
    row_tag: re.Pattern[bytes]  # a row's start tag spelled `<row r="7" ...>`, at its `<`
    cell_after_space: re.Pattern[bytes]
    cell_with_r: re.Pattern[bytes]
    cell_token: bytes
    cell_without_r: re.Pattern[bytes]
    cell_r_token: bytes
    formula_token: bytes
    row_start: bytes
    row_end: bytes
    text_cell: bytes  # % (ref, style attribute, text)
    bool_cell: bytes  # % (ref, style attribute, b"1" or b"0")
    number_cell: bytes  # % (ref, style attribute, number)
    empty_cell: bytes  # % (ref, style attribute, b"")
    has_value: re.Pattern[bytes]
    formula: re.Pattern[bytes]
    dimension: re.Pattern[bytes]
    autofilter: re.Pattern[bytes]


# Templates: "@" stands for the namespace prefix of the sheet's elements.
_CELL = rb"<@c(?=[\s/>])(?P<a>ATTRS_OPEN)(?:/>|>(?P<b>.*?)</@c\s*>)"
# The usual spelling, `<c r="B2" s="3" ...>`: column and style come with the match.
_CELL_WITH_R = rb"""<@c(?P<a> r="(?P<col>[A-Z]{1,3})\d+"(?: s="(?P<s>\d+)")?ATTRS_OPEN)"""
_TEXT_CELL = b'<@c r="%s"%s t="inlineStr"><@is><@t xml:space="preserve">%s</@t></@is></@c>'


@lru_cache(maxsize=8)
def patterns(prefix: bytes) -> Patterns:
    def compile_(template: bytes, flags: int = 0) -> re.Pattern[bytes]:
        pattern = template.replace(b"@", re.escape(prefix)).replace(b"AFTER", _AFTER_AUTOFILTER)
        pattern = pattern.replace(b"ATTRS_OPEN", _ATTRS_OPEN).replace(b"ATTRS", _ATTRS)
        return re.compile(pattern, flags)

    return Patterns(
        prefix=prefix,
        # A row's start tag (its number captured when r= comes first), or the end of rows.
        row=compile_(
            rb"""<@row(?=[\s/>])(?P<a>(?: r="(?P<r>\d+)")?ATTRS_OPEN)(?P<empty>/?)>"""
            rb"|(?P<end></@sheetData\s*>)"
        ),
        row_close=compile_(rb"</@row\s*>"),
        row_tag=compile_(rb"""<@row r="(?P<r>\d+)"ATTRS_OPEN(?P<empty>/?)>"""),
        cell_after_space=compile_(rb"\s*(?P<c>" + _CELL + b")", re.S),
        cell_with_r=compile_(_CELL_WITH_R + rb"(?:/>|>(?P<b>.*?)</@c\s*>)", re.S),
        cell_token=b"<" + prefix + b"c",
        cell_without_r=compile_(rb'<@c(?=[\s/>])(?! r=")'),
        cell_r_token=b"<" + prefix + b'c r="',
        formula_token=b"<" + prefix + b"f",
        row_start=b"<" + prefix + b"row",
        row_end=b"</" + prefix + b"row>",
        text_cell=_TEXT_CELL.replace(b"@", prefix),
        bool_cell=b'<@c r="%s"%s t="b"><@v>%s</@v></@c>'.replace(b"@", prefix),
        number_cell=b'<@c r="%s"%s><@v>%s</@v></@c>'.replace(b"@", prefix),
        empty_cell=b'<@c r="%s"%s/>%s'.replace(b"@", prefix),
        has_value=compile_(rb"<@(?:v|is|f)(?=[\s/>])"),
        formula=compile_(rb"<@f(?=[\s/>])(ATTRS)>"),
        dimension=compile_(rb"<@dimension(?=[\s/>])(?P<a>ATTRS)>"),
        # The autoFilter, or the first element that can only come after it.
        autofilter=compile_(
            rb"<@(?:autoFilter(?=[\s/>])(?P<a>ATTRS)>|(?:AFTER)(?=[\s/>]))|</@worksheet\s*>"
        ),
    )


@lru_cache(maxsize=16)
def _attr_pattern(name: bytes) -> re.Pattern[bytes]:
    # The look-behind keeps `s` from matching the end of `spans`, `r` of `x14ac:r`.
    return re.compile(rb"(?<![\w:.-])" + name + rb"""\s*=\s*(["'])(?P<v>.*?)\1""", re.S)


def attr_span(attrs: bytes, name: bytes) -> tuple[int, int] | None:
    """Where the value of attribute `name` sits in a start tag's attribute bytes."""
    # Fast path for the common spelling ` name="value"`: with no single quote in the tag,
    # every value is double-quoted and cannot contain `"`, so ` r="` starts an attribute.
    if b"'" not in attrs:
        key = b" " + name + b'="'
        at = attrs.find(key)
        if at >= 0:
            start = at + len(key)
            return start, attrs.index(b'"', start)
    found = _attr_pattern(name).search(attrs)
    return found.span("v") if found else None


def attr(attrs: bytes, name: bytes) -> bytes | None:
    span = attr_span(attrs, name)
    return attrs[span[0] : span[1]] if span else None


def with_attr(attrs: bytes, name: bytes, value: bytes) -> bytes:
    """The attributes with the value of `name` (which they hold) replaced."""
    span = attr_span(attrs, name)
    if span is None:
        raise ValueError(f"the tag has no {name.decode()} attribute to replace")
    return attrs[: span[0]] + value + attrs[span[1] :]


class Scanner:
    """A window over the sheet part: `buf[done:]` has not been written out yet.

    Positions into `buf` stay valid until `compact`, which the row loop calls only
    between rows; reading more only appends."""

    def __init__(self, stream: Source) -> None:
        self.stream = stream
        self.buf = b""
        self.done = 0

    def read_more(self) -> bool:
        chunk = self.stream.read(READ_CHUNK_BYTES)
        self.buf += chunk
        return bool(chunk)

    def search(self, pattern: re.Pattern[bytes], start: int) -> re.Match[bytes] | None:
        while True:
            found = pattern.search(self.buf, start)
            if found is not None or not self.read_more():
                return found

    def copy_to(self, end: int, sink: Sink) -> None:
        if end > self.done:
            sink.write(self.buf[self.done : end])
        self.done = end

    def compact(self, upto: int, sink: Sink) -> None:
        self.copy_to(upto, sink)
        self.buf = self.buf[upto:]
        self.done = 0

    def copy_rest(self, sink: Sink) -> None:
        self.copy_to(len(self.buf), sink)
        self.buf, self.done = b"", 0
        while chunk := self.stream.read(READ_CHUNK_BYTES):
            sink.write(chunk)
