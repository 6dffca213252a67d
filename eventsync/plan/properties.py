"""Plan: custom property values as HubSpot defines them, from the portal's definitions.

Pure: no I/O, no clock. `convert_value(definition, cell, zone)` turns what a cell holds
into the string HubSpot takes for that property's type (HubSpot's properties guide), or
raises ValueError whose text says what to type. It never guesses: a value that matches
two options, a number that reads two ways, a time on a date-only property are refused.
`custom_rows` applies it to a sheet's rows.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal, InvalidOperation

from eventsync.dates import DateOrder, read_datetime_text
from eventsync.messages import Quoted, Text, reason
from eventsync.portal_model import PortalProperties, PropertyDefinition, PropertyOption
from eventsync.values import format_text, format_utc, parse_boolean, parse_datetime

# The definitions are values HubSpot's answers become (eventsync/portal_model.py), named here too.
__all__ = ["PortalProperties", "PropertyDefinition", "PropertyOption", "convert_value"]

# HubSpot: a string property holds at most 65,536 characters. Counted here in UTF-16
# code units (an emoji is two), the stricter of the two ways to count.
MAX_TEXT_CHARS = 65_536
# Epoch milliseconds, HubSpot's other form for dates: 11 digits and more is 1973 onwards,
# and no typed date or plain count of days is that long.
EPOCH_MS_FROM = 10**11
TEXT_TYPES = frozenset({"string", "phone_number"})
MAX_OPTIONS_SHOWN = 10


def convert_value(
    definition: PropertyDefinition, cell: object, zone: tzinfo, order: DateOrder = DateOrder.YMD
) -> str:
    """A non-empty cell -> the string HubSpot takes for this property; ValueError (a
    message naming what to type) when it cannot be converted."""
    kind = definition.type
    if kind in TEXT_TYPES:
        return _text(cell)
    if kind == "number":
        return _number(cell)
    if kind == "bool":
        return "true" if parse_boolean(_folded(cell)) else "false"
    if kind == "datetime":
        return _datetime(cell, zone, order)
    if kind == "date":
        return _date(cell, order)
    if kind == "enumeration":
        return _enumeration(definition, cell)
    raise ValueError(Text("custom.unknown_type", type=kind))


def _folded(cell: object) -> object:
    return unicodedata.normalize("NFKC", cell).strip() if isinstance(cell, str) else cell


def _text(cell: object) -> str:
    text = cell.strip() if isinstance(cell, str) else format_text(cell)
    if len(text) > MAX_TEXT_CHARS // 2:  # (only long text is counted again, in UTF-16)
        units = len(text.encode("utf-16-le")) // 2
        if units > MAX_TEXT_CHARS:
            raise ValueError(Text("custom.too_long", count=units, limit=f"{MAX_TEXT_CHARS:,}"))
    return text


PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _number(cell: object) -> str:
    if isinstance(cell, bool | datetime | date):
        raise ValueError(Text("custom.not_number", value=_quoted(cell)))
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        if cell != cell or cell in (float("inf"), float("-inf")):
            raise ValueError(Text("custom.not_number", value=_quoted(cell)))
        return _plain(Decimal(repr(cell)))
    text = unicodedata.normalize("NFKC", str(cell)).strip()
    if PLAIN_NUMBER.fullmatch(text):
        return _plain(Decimal(text))
    if GROUPED_NUMBER.fullmatch(text):
        # 1,234 is a thousand and more in Japan and the US, one and a bit in Germany:
        # only a grouping nothing else could mean (two groups, or a decimal point) is read.
        if text.count(",") == 1 and "." not in text:
            whole = text.replace(",", "")
            decimal = text.replace(",", ".")
            raise ValueError(
                Text("custom.number_ambiguous", value=_quoted(cell), whole=whole, decimal=decimal)
            )
        return _plain(Decimal(text.replace(",", "")))
    raise ValueError(Text("custom.not_number", value=_quoted(cell)))


def _plain(number: Decimal) -> str:
    """A plain decimal, no exponent, no trailing zeros: 1.50 -> 1.5, 1E+3 -> 1000."""
    try:
        if number == number.to_integral_value():
            return str(int(number))
    except InvalidOperation:  # pragma: no cover - finite by the patterns above
        raise ValueError(Text("custom.not_number", value=str(number))) from None
    text = format(number.normalize(), "f")
    return text


def _epoch_ms(cell: object) -> datetime | None:
    """HubSpot's own form for a date-time: epoch milliseconds (a pulled cell holds it)."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float) and cell == cell and float(cell).is_integer():
        number = int(cell)
    elif isinstance(cell, str) and cell.strip().isdigit() and cell.strip().isascii():
        number = int(cell.strip())
    else:
        return None
    if number < EPOCH_MS_FROM:
        return None
    try:
        return datetime.fromtimestamp(number / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _datetime(cell: object, zone: tzinfo, order: DateOrder) -> str:
    moment = _epoch_ms(cell)
    if moment is None:
        moment = parse_datetime(cell, zone, order)  # ValueError: what to type
    return format_utc(moment)


def _date(cell: object, order: DateOrder) -> str:
    """HubSpot: a date property holds a day, as midnight UTC. The day typed is that day
    wherever the user is: it is never moved through a time zone."""
    moment = _epoch_ms(cell)
    if moment is not None:
        if moment.time() != time():
            raise ValueError(Text("custom.date_with_time", value=_quoted(cell)))
        return f"{moment:%Y-%m-%d}"
    if isinstance(cell, datetime):
        if cell.time() != time():
            raise ValueError(Text("custom.date_with_time", value=_quoted(cell)))
        return f"{cell:%Y-%m-%d}"
    if isinstance(cell, date):
        return f"{cell:%Y-%m-%d}"
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        raise ValueError(Text("date.number", value=_quoted(cell), example="2026-04-06"))
    text = unicodedata.normalize("NFKC", str(cell)).strip()
    try:
        moment = read_datetime_text(text, order)
    except ValueError as error:
        raise ValueError(Text("date.value", value=_quoted(cell), problem=reason(error))) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    if moment.time() != time():
        raise ValueError(Text("custom.date_with_time", value=_quoted(cell)))
    return f"{moment:%Y-%m-%d}"


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _enumeration(definition: PropertyDefinition, cell: object) -> str:
    if not definition.options:
        raise ValueError(Text("custom.no_options", value=_quoted(cell)))
    if definition.several:
        text = unicodedata.normalize("NFKC", format_text(cell))  # NFKC: "；" is ";"
        chosen: dict[str, None] = {}
        for part in text.split(";"):
            if part.strip():
                chosen[_option(definition, part.strip(), part.strip())] = None
        return ";".join(chosen)
    return _option(definition, format_text(cell), cell)


def _option(definition: PropertyDefinition, text: str, cell: object) -> str:
    """The internal value `text` names: an option's value, or its label (case and width
    ignored). Two options named: refused, never a coin toss."""
    key = _key(text)
    found = {o.value: o for o in definition.options if o.value == text}
    if not found:
        found = {o.value: o for o in definition.options if key in (_key(o.label), _key(o.value))}
    if len(found) == 1:
        return next(iter(found))
    if found:
        raise ValueError(
            Text("custom.ambiguous_option", value=_quoted(text), options=_shown(found.values()))
        )
    # A single checkbox made as an enumeration: its options are true/false.
    try:
        wanted = "true" if parse_boolean(_folded(cell)) else "false"
    except ValueError:
        wanted = None
    if wanted is not None:
        matches = [o.value for o in definition.options if o.value.casefold() == wanted]
        if len(matches) == 1:
            return matches[0]
    raise ValueError(
        Text("custom.unknown_option", value=_quoted(text), options=_shown(definition.options))
    )


def _shown(options: object) -> str:
    """Options as a user can type them: `Label` or `Label (value)` when they differ."""
    items = list(options)  # type: ignore[call-overload]
    shown = [
        o.label if o.label == o.value or not o.label else f"{o.label} ({o.value})"
        for o in items[:MAX_OPTIONS_SHOWN]
    ]
    if len(items) > MAX_OPTIONS_SHOWN:
        shown.append(Text("custom.more_options", count=len(items) - MAX_OPTIONS_SHOWN))
    return ", ".join(shown)


def _quoted(cell: object) -> str:
    text = cell if isinstance(cell, str) else format_text(cell)
    if len(text) > 40:
        text = text[:37] + "..."
    return Quoted(text)
