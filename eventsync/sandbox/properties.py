"""Sandbox custom properties: the portal's definitions, and what a value of each type may be.

HubSpot's properties guide says how each type takes its value: a `datetime` in UTC as
ISO 8601 or epoch milliseconds, a `date` as `YYYY-MM-DD` or the epoch milliseconds of
midnight UTC, a `bool` as `true`/`false`, an `enumeration` as one of its options'
internal values (several `;`-separated for checkboxes), a `number` without thousands
separators (changelog, 2023-05); any other type is text of at most 65,536 characters.
Pure: plain values in, a problem (code, message) or None out; never touches state.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from eventsync.sandbox.event_rules import JsonObject

MAX_TEXT_UNITS = 65_536
DAY_MS = 86_400_000
_EPOCH_MS = re.compile(r"-?\d{1,15}")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# UTC only: `Z` or a zero offset; seconds and a fraction optional.
_UTC_ISO = re.compile(
    r"(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]00:?00)", re.I
)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

Problem = tuple[str, str]  # (code, message), as HubSpot's ErrorDetail carries them


def text_definition(name: str, *, boolean: bool = False) -> JsonObject:
    """A property named by the `custom_properties` knob, as the properties API lists it."""
    kind, field_type = ("bool", "booleancheckbox") if boolean else ("string", "text")
    return {
        "name": name,
        "label": name,
        "type": kind,
        "fieldType": field_type,
        "groupName": "marketing_event_information",
        "options": [],
        "hubspotDefined": False,
    }


def portal_definitions(
    names: frozenset[str] | None, boolean: frozenset[str], typed: tuple[JsonObject, ...]
) -> dict[str, JsonObject] | None:
    """Every property the portal defines, by name; None: the sandbox was told of none,
    so any name is taken as it comes (the lenient default of a bare sandbox)."""
    if names is None and not typed:
        return None
    found = {name: text_definition(name, boolean=name in boolean) for name in names or ()}
    return found | {str(d["name"]): d for d in typed}


def value_problem(definition: Mapping[str, object], value: str) -> Problem | None:
    """Why HubSpot would refuse this value for this property, or None. `""` clears a
    property of any type."""
    if value == "":
        return None
    kind = definition.get("type")
    if kind == "bool":
        ok = value.strip().lower() in ("true", "false")
        return None if ok else ("INVALID_BOOLEAN", f"{value} is not true or false")
    if kind == "number":
        ok = bool(_NUMBER.fullmatch(value))
        return None if ok else ("INVALID_NUMBER", f"{value} was not a valid number")
    if kind == "datetime":
        return None if _is_datetime(value) else ("INVALID_DATETIME", _datetime_message(value))
    if kind == "date":
        return None if _is_date(value) else ("INVALID_DATE", _date_message(value))
    if kind == "enumeration":
        return _option_problem(definition, value)
    if len(value.encode("utf-16-le")) // 2 > MAX_TEXT_UNITS:
        return ("INVALID_STRING", f"the value is longer than {MAX_TEXT_UNITS:,} characters")
    return None


def _is_datetime(value: str) -> bool:
    if _EPOCH_MS.fullmatch(value):
        return True
    found = _UTC_ISO.fullmatch(value)
    if not found:
        return False
    day, hour, minute, second = found.group(1, 2, 3, 4)
    try:
        date.fromisoformat(day)
    except ValueError:
        return False
    return int(hour) < 24 and int(minute) < 60 and int(second or 0) < 60


def _is_date(value: str) -> bool:
    if _EPOCH_MS.fullmatch(value):
        return int(value) % DAY_MS == 0
    if not _DAY.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _datetime_message(value: str) -> str:
    return (
        f"{value} is not a UTC date-time in ISO 8601 (2026-04-06T01:00:00Z) or epoch milliseconds"
    )


def _date_message(value: str) -> str:
    return f"{value} is not a date as YYYY-MM-DD or the epoch milliseconds of midnight UTC"


def _option_problem(definition: Mapping[str, object], value: str) -> Problem | None:
    options = definition.get("options")
    allowed = [
        str(o.get("value"))
        for o in (options if isinstance(options, list) else [])
        if isinstance(o, Mapping)
    ]
    several = definition.get("fieldType") == "checkbox"
    chosen = value.split(";") if several else [value]
    wrong = [choice for choice in chosen if choice not in allowed]
    if not wrong:
        return None
    # HubSpot's own words for this refusal (seen in its 400 answers on CRM objects).
    return (
        "INVALID_OPTION",
        f"{wrong[0]} was not one of the allowed options: [{', '.join(allowed)}]",
    )
