"""Cell values -> the bytes a worksheet cell holds: escaped text, booleans, numbers and
Excel date serials (1900 or 1904 system).

Pure. Used by the sheet splicer (`plan`); it never emits a formula, and text that XML
cannot carry is escaped the way Excel does (`_xHHHH_`). A value no cell can hold raises
CellValueError; ValueError and TypeError are kept for a caller's mistakes (a time zone,
a value of the wrong type).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from typing import NamedTuple

from eventsync.messages import Text
from eventsync.model import CellValue
from eventsync.sheets.xlsx.refusals import CellValueError

MAX_CELL_CHARS = 32_767  # Excel's limit, counted in UTF-16 code units
MICROSECONDS_PER_DAY = 86_400_000_000


class Typed(NamedTuple):
    """A value that is not text, ready to splice: its kind and the bytes of its `<v>`."""

    kind: int  # BOOL, NUMBER or DATE
    data: bytes  # b"1"/b"0"; a number; a date's serial
    text: bytes = b""  # DATE: the date as text, for a cell without a date format


BOOL, NUMBER, DATE = range(3)
# A planned value: escaped text (the usual case, kept as plain bytes: 200k of them are
# made per annotation), a typed value, or None for an empty cell.
Encoded = bytes | Typed


def encode_value(value: CellValue, where: str = "", *, date1904: bool = False) -> Encoded | None:
    """A typed cell value as the bytes the sheet will hold; None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return encode_text(value, where)
    if isinstance(value, bool):
        return Typed(BOOL, b"1" if value else b"0")
    if isinstance(value, int):
        return Typed(NUMBER, b"%d" % value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellValueError(Text("refuse.number_not_finite", value=value), where)
        return Typed(NUMBER, repr(value).encode())
    if isinstance(value, date):
        if isinstance(value, datetime) and value.tzinfo is not None:
            raise ValueError(
                f"{where}: {value.isoformat()} has a time zone and Excel cells hold none; "
                "pass the wall-clock time where the user is"
            )
        text = encode_text(datetime_text(value), where)
        serial = excel_serial(value, date1904=date1904)
        if serial is None:  # before the workbook's first date: text is all Excel can show
            return text
        return Typed(DATE, serial, text)
    raise TypeError(
        f"{where}: a cell value must be str, bool, int, float, datetime, date or None, "
        f"not {type(value).__name__}"
    )


def excel_serial(moment: date, *, date1904: bool = False) -> bytes | None:
    """The serial number Excel stores for a date or naive date-time (None if before the
    first date of the workbook's date system)."""
    day = moment.date() if isinstance(moment, datetime) else moment
    if date1904:
        days = (day - date(1904, 1, 1)).days
    else:
        days = (day - date(1899, 12, 30)).days
        if day < date(1900, 3, 1):
            days -= 1  # Excel counts a 29 February 1900 that never was (Lotus 1-2-3's bug)
    if days < 1:  # day 0 of either system: calamine (and so the reader) takes it for a time
        return None
    if not isinstance(moment, datetime) or moment.time() == time():
        return b"%d" % days
    since_midnight = datetime.combine(day, moment.time()) - datetime.combine(day, time())
    micros = days * MICROSECONDS_PER_DAY + since_midnight // _MICROSECOND
    # One correctly rounded division: the nearest double to the exact serial, which
    # reads back as the same instant to the microsecond up to the year 9999.
    return repr(micros / MICROSECONDS_PER_DAY).encode()


_MICROSECOND = datetime.resolution


def datetime_text(moment: date) -> str:
    """A date or date-time as typed text: `2026-04-06`, `2026-04-06 10:00`, with seconds
    and milliseconds (or microseconds) only when it has them."""
    if not isinstance(moment, datetime):
        return moment.isoformat()
    text = moment.strftime("%Y-%m-%d %H:%M")
    if moment.second or moment.microsecond:
        text += f":{moment.second:02d}"
    if moment.microsecond:
        micro = f"{moment.microsecond:06d}"
        text += "." + (micro[:3] if micro.endswith("000") else micro)
    return text


# C0 controls except tab and LF; CR too, because XML parsers turn a raw CR into LF.
_CONTROL = "\x00-\x08\x0b-\x1f"
_SPECIAL = re.compile(f"[_&<>{_CONTROL}\ud800-\udfff\ufffe\uffff]")
_TO_ESCAPE = re.compile(
    f"_(?=x[0-9A-Fa-f]{{4}}(?:_|[{_CONTROL}]))|[{_CONTROL}]|[\ud800-\udfff\ufffe\uffff]"
)


def encode_text(value: str | None, where: str = "") -> bytes:
    """Cell text as the bytes of an XML text node, using Excel's `_xHHHH_` escapes."""
    if value is None or value == "":
        return b""
    if not isinstance(value, str):
        raise TypeError(f"{where}: cell text must be str or None, not {type(value).__name__}")
    # len() counts code points; Excel counts UTF-16 units, at most two per code point.
    if len(value) * 2 > MAX_CELL_CHARS and _utf16_units(value) > MAX_CELL_CHARS:
        too_long = Text("refuse.text_too_long", length=len(value), most=f"{MAX_CELL_CHARS:,}")
        raise CellValueError(too_long, where)
    if _SPECIAL.search(value) is None:
        return value.encode()
    text = _TO_ESCAPE.sub(_escape_char, value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode()


def _utf16_units(value: str) -> int:
    return len(value.encode("utf-16-le", "surrogatepass")) // 2


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char == "_":
        return "_x005F_"
    if char in "\ufffe\uffff" or "\ud800" <= char <= "\udfff":
        return "\ufffd"
    return f"_x{ord(char):04X}_"
