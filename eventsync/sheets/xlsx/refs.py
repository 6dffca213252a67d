"""Cell references: column letters <-> numbers, `B2:D9` <-> (rows, columns).

Pure and tiny, shared by every other module of the xlsx layer. It must never look at a
workbook: it only converts the spellings Excel uses for cells and ranges.
"""

from __future__ import annotations

import re
from functools import lru_cache

MAX_ROW = 1_048_576
MAX_COLUMN = 16_384

_REF = re.compile(rb"\$?([A-Za-z]{1,3})\$?(\d{1,7})")


def column_number(letters: bytes) -> int:
    """`A` -> 1, `AA` -> 27 (case-insensitive)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


@lru_cache(maxsize=4096)
def column_letters(number: int) -> bytes:
    """1 -> `A`, 27 -> `AA`."""
    letters = b""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = bytes([65 + rest]) + letters
    return letters


def cell_name(row: int, column: int) -> str:
    """(7, 7) -> `G7`, for messages."""
    return f"{column_letters(column).decode()}{row}"


def parse_ref(ref: bytes) -> tuple[int, int, int, int] | None:
    """`B2:D9` -> (first_row, first_col, last_row, last_col); `B2` is a one-cell range."""
    corners = ref.split(b":")
    if len(corners) not in (1, 2):
        return None
    rows, cols = [], []
    for corner in corners:
        point = _REF.fullmatch(corner)
        if point is None:
            return None
        rows.append(int(point.group(2)))
        cols.append(column_number(point.group(1)))
    return min(rows), min(cols), max(rows), max(cols)


def format_ref(first_row: int, first_col: int, last_row: int, last_col: int) -> bytes:
    first = column_letters(first_col) + str(first_row).encode()
    if (first_row, first_col) == (last_row, last_col):
        return first
    return first + b":" + column_letters(last_col) + str(last_row).encode()


class ColumnNumbers(dict[bytes, int]):
    """A cache of `column_number`: letters -> number (100k rows reuse a few columns)."""

    def __missing__(self, letters: bytes) -> int:
        self[letters] = number = column_number(letters)
        return number
