"""Plan: every custom cell of a sheet's valid rows as HubSpot takes it, before the diff.

Pure. `convert_custom` runs `properties.convert_value` over the custom cells, so the
plan compares with the snapshot, shows and sends exactly the converted value; a row
holding a value that cannot be converted becomes its problems, and so does one whose
custom value changed while the definitions could not be read ("when in doubt, do not
send"). The definitions are asked for only when a cell needs them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, tzinfo
from types import MappingProxyType

from eventsync.columns import CUSTOM_PREFIX, is_custom
from eventsync.dates import DateOrder, looks_like_datetime
from eventsync.messages import Text, reason
from eventsync.model import EventUpdate, FieldValue, ProblemCode, RowProblem, Sheet, SyncedEvent
from eventsync.plan.properties import (
    GROUPED_NUMBER,
    MAX_TEXT_CHARS,
    PLAIN_NUMBER,
    TEXT_TYPES,
    PortalProperties,
    PropertyDefinition,
    convert_value,
)

_GUESS_TYPES = tuple(
    PropertyDefinition("", kind) for kind in ("datetime", "date", "bool", "number")
)


def same_without_definition(
    cell: object, text: str, old: object, zone: tzinfo, order: DateOrder
) -> bool:
    """Without the property's definition: does the cell still hold what HubSpot last
    confirmed? Yes when its text is that value, or when some type's conversion gives it
    (a date-time cell beside the UTC string sent for it). Only ever used to find a cell
    unchanged: a cell that differs is never sent without its definition."""
    if not isinstance(old, str) or not old:
        return False
    if text == old:
        return True
    for guess in _GUESS_TYPES:
        try:
            if convert_value(guess, cell, zone, order) == old:
                return True
        except ValueError:
            continue
    return False


_MAX_WORD = 12  # the longest yes/no word the reader takes is shorter
# How a number or a date the reader takes can begin (dates.py: a year or day, or an era).
_NUMBER_OR_DATE_START = re.compile(r"[\d+\-.]|(?:令和|平成|昭和|[RHSrhs])\s*[\d元]")


def _plainly_text(cell: str) -> bool:
    """Longer than any yes/no word, and not beginning as a number or a date can."""
    folded = cell.strip() if cell.isascii() else unicodedata.normalize("NFKC", cell).strip()
    return len(folded) > _MAX_WORD and _NUMBER_OR_DATE_START.match(folded) is None


def type_sensitive(cell: object, text: str, zone: tzinfo, order: DateOrder) -> bool:
    """Would some property type send this cell otherwise than as its text (a date-time,
    TRUE, 1,234.50)? Text no type reads differently ("EMEA", "12") needs no definition.
    Cheap tests first: most text has no date, number or yes/no shape at all."""
    if isinstance(cell, datetime | date | bool):
        return True
    if isinstance(cell, str):
        folded = unicodedata.normalize("NFKC", cell).strip()
        if len(folded) > _MAX_WORD and not (
            _NUMBER_OR_DATE_START.match(folded)
            and (
                PLAIN_NUMBER.fullmatch(folded)
                or GROUPED_NUMBER.fullmatch(folded)
                or looks_like_datetime(folded)
            )
        ):
            return False
    for guess in _GUESS_TYPES:
        try:
            if convert_value(guess, cell, zone, order) != text:
                return True
        except ValueError:
            continue
    return False


Built = EventUpdate | tuple[RowProblem, ...]


def convert_custom(
    built: Sequence[Built],
    sheet: Sheet,
    properties: Callable[[], PortalProperties],
    snapshot: Mapping[str, SyncedEvent],
    zone: tzinfo,
    order: DateOrder = DateOrder.YMD,
) -> list[Built]:
    """Every valid row's custom values as HubSpot takes them; a row holding one that
    cannot be converted (or, the definitions unread, one that changed) becomes its
    problems. A property the portal does not define is left as typed: HubSpot drops it,
    and the answer check says so (hubspot/answers.py). An empty cell stays empty.

    `properties()` is asked only for a cell that differs from what HubSpot last
    confirmed: a sheet in sync reads nothing more from HubSpot."""
    fields = [field for field in sheet.headers if is_custom(field)]
    if not fields:
        return list(built)
    cells = {row.row_number: row.cells for row in sheet.rows}
    # Sheets repeat the same values on many rows: each spelling converted once per
    # column (the type is part of the key: True == 1 == 1.0 would share an entry).
    seen: dict[tuple[str, type, object], str | ValueError] = {}
    sensitive: dict[tuple[type, object], bool] = {}
    converted: list[Built] = []
    for item in built:
        if not isinstance(item, EventUpdate):
            converted.append(item)
            continue
        values: dict[str, FieldValue] | None = None  # copied at the first value changed
        problems: list[RowProblem] = []
        previous = snapshot.get(item.object_id)
        for field in fields:
            text = item.values.get(field)
            if not isinstance(text, str):
                continue
            old = previous.values.get(field) if previous else None
            cell = cells[item.row_number].get(field)
            if text == old:
                # What HubSpot holds, as typed: nothing to send, unless the property's
                # type would send it otherwise (an older eventsync sent date-times,
                # TRUE, 1,234 as typed): then the definition decides.
                if cell.__class__ is str and _plainly_text(cell):  # (most text: quick)
                    continue
                found = sensitive.get((cell.__class__, cell))
                if found is None:
                    found = sensitive[(cell.__class__, cell)] = type_sensitive(
                        cell, text, zone, order
                    )
                if not found:
                    continue
            portal = properties()
            if portal.definitions is None:
                if same_without_definition(cell, text, old, zone, order):
                    result: str | ValueError | None = str(old)  # (a non-empty str then)
                elif portal.offline:
                    continue
                else:
                    result = ValueError(Text("custom.unread", why=portal.unread))
            else:
                definition = portal.definitions.get(field[len(CUSTOM_PREFIX) :])
                if definition is None:
                    continue
                if definition.type in TEXT_TYPES and len(text) <= MAX_TEXT_CHARS // 2:
                    continue  # the common case: text as the reader made it
                key = (field, cell.__class__, cell)
                result = seen.get(key)
                if result is None:
                    result = seen[key] = _convert(definition, cell, zone, order)
            if isinstance(result, ValueError):
                label = sheet.column_label(field)
                message = Text("cell.problem", label=label, problem=reason(result))
                code = (
                    ProblemCode.CUSTOM_UNREAD
                    if portal.definitions is None
                    else ProblemCode.BAD_CUSTOM_VALUE
                )
                problems.append(RowProblem(item.row_number, label, code, message))
            elif result != text:
                values = values if values is not None else dict(item.values)
                values[field] = result
        if problems:
            converted.append(tuple(problems))
        elif values is None:
            converted.append(item)
        else:
            converted.append(
                EventUpdate(
                    item.row_number,
                    item.object_id,
                    MappingProxyType(values),
                    item.updated_at,
                    item.cleaned,
                )
            )
    return converted


def _convert(
    definition: PropertyDefinition, cell: object, zone: tzinfo, order: DateOrder
) -> str | ValueError:
    try:
        return convert_value(definition, cell, zone, order)
    except ValueError as error:
        return error
