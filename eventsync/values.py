"""Cell values -> the values HubSpot takes: object ids, text, yes/no, date-times.

Pure functions only (no I/O, no clock): each takes what the reader found in a cell and
returns the normalised value, or raises `ValueError` whose text is a message for the
user (what was found, and what to type instead). Never guess silently: a value that
could mean two things is an error, not a coin toss.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from eventsync.columns import Kind, kind_of
from eventsync.dates import EXAMPLE, DateOrder, read_datetime_text
from eventsync.messages import Quoted, Text, reason

# Japanese users type with full-width digits and punctuation more often than not;
# NFKC folds "１２３" to "123" and "：" to ":" so both spellings read the same.


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def parse_object_id(value: object) -> str:
    """HubSpot ids are positive whole numbers sent as strings ("123", never "123.0")."""
    if isinstance(value, bool):
        raise ValueError(Text("id.not_id", value=_show(value)))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(Text("id.not_whole", value=_show(value)))
        number = int(value)
    else:
        text = _fold(str(value))
        if not re.fullmatch(r"\d+", text):
            raise ValueError(Text("id.not_whole_example", value=_show(value)))
        number = int(text)
    if number <= 0:
        raise ValueError(Text("id.not_positive", value=_show(value)))
    return str(number)


def format_text(value: object) -> str:
    """What a cell shows as text, trimmed: numbers without a spurious `.0`."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != time() else f"{value:%Y-%m-%d}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value).strip()


# TRUE/FALSE as Excel shows them in other languages (a CSV saved there holds these
# words), and the yes/no words people type.
_TRUE_WORDS = frozenset(
    {"true", "yes", "y", "1", "はい", "有", "○", "〇"}
    | {"wahr", "vrai", "verdadero", "vero", "waar", "verdadeiro", "sant", "sand", "sann", "tosi"}
    | {"prawda", "pravda", "igaz", "doğru", "истина", "ja", "oui", "si", "sí"}
)
_FALSE_WORDS = frozenset(
    {"false", "no", "n", "0", "いいえ", "無", "×"}
    | {"falsch", "faux", "falso", "onwaar", "usann", "falsk", "falskt", "epätosi"}
    | {"fałsz", "nepravda", "hamis", "yanlış", "ложь", "nein", "non", "nee", "nej"}
)


def parse_boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = _fold(format_text(value)).casefold()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ValueError(Text("value.not_boolean", value=_show(value)))


EXAMPLE_DATE_TIME = EXAMPLE


def parse_datetime(value: object, zone: tzinfo, order: DateOrder = DateOrder.YMD) -> datetime:
    """An aware datetime from an Excel date-time or typed text (see `dates` for the
    forms text may take; `order` reads 06/04/2026).

    Values without an offset are wall-clock times in `zone` (the user's time zone).
    A plain date means the start of that day in `zone`.
    """
    if isinstance(value, datetime):
        # Excel stores date-times as floating-point days: round off the float noise so
        # a pulled 12:29:50.734 reads back as .734, not .733999.
        return _localise(_round_to_ms(value), zone)
    if isinstance(value, date):
        # The start of that day where the user is: in HubSpot's calendar (shown in the
        # portal's zone, which EVENTSYNC_TIMEZONE should match) it is the same day.
        return datetime.combine(value, time(), tzinfo=zone)
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(Text("date.number", value=_show(value), example=EXAMPLE_DATE_TIME))
    try:
        return _localise(read_datetime_text(_fold(str(value)), order), zone)
    except ValueError as error:
        raise ValueError(Text("date.value", value=_show(value), problem=reason(error))) from None


def _round_to_ms(moment: datetime) -> datetime:
    milliseconds = round(moment.microsecond / 1000)
    return moment.replace(microsecond=0) + timedelta(milliseconds=milliseconds)


def _localise(moment: datetime, zone: tzinfo) -> datetime:
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def format_utc(moment: datetime) -> str:
    """RFC 3339 in UTC with `Z`, milliseconds only when there are any (as HubSpot writes)."""
    utc = moment.astimezone(UTC)
    if utc.microsecond:
        return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


# RFC 3339's date-time (section 5.6): a full date, "T", a full time with seconds and an
# offset. HubSpot's updatedAt is one; anything else is no version at all.
_RFC_3339 = re.compile(
    r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:[Zz]|[+-]\d\d:\d\d)", re.ASCII
)


def is_version(text: object) -> bool:
    """An updatedAt as HubSpot sends it and eventsync records it: an RFC 3339
    date-time naming a real instant (`2026-11-30T10:38:41.398Z`)."""
    if not isinstance(text, str) or not _RFC_3339.fullmatch(text):
        return False
    return parse_utc(text) is not None  # (a real day and time: not 2026-02-30)


def parse_utc(text: str) -> datetime | None:
    """Read back an RFC 3339 string (ours or HubSpot's); None if it is not one."""
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None


def _show(value: object) -> str:
    text = format_text(value) if not isinstance(value, str) else value
    if len(text) > 40:
        text = text[:37] + "..."
    return Quoted(text)


def show_value(value: object, field: str = "", zone: tzinfo | None = None) -> str:
    """A value for messages: "(empty)", TRUE/FALSE, quoted text; with a `zone`, a
    date-time field in the user's local time and in UTC as sent."""
    if is_blank(value):
        return Text("value.empty")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if zone is not None and isinstance(value, str) and kind_of(field) is Kind.DATETIME:
        moment = parse_utc(value)
        if moment is not None:
            local = moment.astimezone(zone)
            return f"{local:%Y-%m-%d %H:%M} {local.tzname()} ({value})"
    if isinstance(value, str):  # escaped as JSON (a line break as \\n): one line
        return Quoted(json.dumps(value, ensure_ascii=False)[1:-1])
    return json.dumps(value, ensure_ascii=False)
