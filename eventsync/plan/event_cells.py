"""HubSpot's events <-> sheet values: one conversion for pull, checks and two-way.

`event_cells` turns an event as HubSpot holds it (a `PortalEvent`, read off the wire in
hubspot/inbound.py) into the cells a sheet row holds
(real date-times in the user's zone); `normalise_events` then reads those cells back
through the reader's own normalisation, so values from HubSpot and values from a
sheet compare equal exactly when a user would call them the same. No I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from eventsync.columns import (
    ANNOTATIONS,
    COUNTER_FIELDS,
    CUSTOM_PREFIX,
    OBJECT_ID,
    UPDATED_AT,
    Kind,
    kind_of,
    template_fields,
)
from eventsync.model import CellValue, FieldValue, frozen
from eventsync.plan.counters import counter_values
from eventsync.plan.inputs import normalise_cell
from eventsync.portal_model import PortalEvent
from eventsync.values import is_blank, parse_utc


@dataclass(frozen=True)
class RemoteEvent:
    object_id: str
    # field -> normalised value, as the reader would make of the cell
    values: Mapping[str, FieldValue]
    updated_at: str
    raw: PortalEvent  # the event as HubSpot returned it


def custom_names(events: Iterable[PortalEvent]) -> tuple[str, ...]:
    return tuple(sorted({name for event in events for name in event.custom}))


def event_cells(event: PortalEvent, fields: list[str], zone: tzinfo) -> list[CellValue]:
    """One sheet row for one HubSpot event: real date-times in the user's zone (a cell of
    a pulled row holds objectId as a number)."""
    cells: list[CellValue] = []
    for field in fields:
        if field == OBJECT_ID:
            cells.append(int(event.object_id))
        elif field == UPDATED_AT:
            cells.append(event.updated_at)
        elif field in ANNOTATIONS:
            cells.append(None)
        elif field in COUNTER_FIELDS:  # (rows --add-new appends)
            counters = dict(zip(COUNTER_FIELDS, counter_values(event.counters), strict=True))
            cells.append(counters[field])
        elif field.startswith(CUSTOM_PREFIX):
            value = event.custom.get(field[len(CUSTOM_PREFIX) :])
            cells.append(None if is_blank(value) else str(value))
        elif kind_of(field) is Kind.DATETIME:
            value = event.fields.get(field)
            cells.append(wall_clock(value, zone) if isinstance(value, str) else None)
        elif kind_of(field) is Kind.BOOLEAN:
            value = event.fields.get(field)
            cells.append(value if isinstance(value, bool) else None)
        else:
            value = event.fields.get(field)
            cells.append(None if is_blank(value) else str(value))
    return cells


def cell_value(field: str, value: FieldValue, zone: tzinfo) -> FieldValue | datetime:
    """A normalised value (as the snapshot holds it) -> what its cell should hold."""
    if is_blank(value):
        return None
    if kind_of(field) is Kind.DATETIME and isinstance(value, str):
        return wall_clock(value, zone) or value
    return value


def wall_clock(text: str, zone: tzinfo) -> datetime | None:
    """An RFC 3339 instant as the naive local time a cell holds (Excel cells hold no
    zone); None if the text is no date-time."""
    moment = parse_utc(text)
    return moment.astimezone(zone).replace(tzinfo=None) if moment else None


def normalise_remote(
    found: Mapping[str, PortalEvent | None], listed: Sequence[PortalEvent] | None, zone: tzinfo
) -> tuple[dict[str, RemoteEvent | None], dict[str, RemoteEvent]]:
    """What hubspot/remote.read_remote read, as the reader would make of pulled rows: (the
    wanted events, None for those HubSpot no longer has; every event listed, or {})."""
    if listed is None:
        one = {i: normalise_events([e], zone)[e.object_id] if e else None for i, e in found.items()}
        return one, {}
    portal = normalise_events(listed, zone)
    return {object_id: portal.get(object_id) for object_id in found}, portal


def normalise_events(events: Iterable[PortalEvent], zone: tzinfo) -> dict[str, RemoteEvent]:
    """Each event's values as the reader would make of its pulled row.

    A field whose HubSpot value our validation would refuse is left out rather than
    failing the event: it can then never count as "changed in HubSpot" by mistake.
    """
    events = list(events)
    fields = [f for f in template_fields(custom_names(events)) if f not in ANNOTATIONS]
    normalised: dict[str, RemoteEvent] = {}
    for event in events:
        values = cell_values(fields, event_cells(event, fields, zone), zone)
        normalised[event.object_id] = RemoteEvent(
            event.object_id, frozen(values), event.updated_at, event
        )
    return normalised


def cell_values(fields: list[str], cells: list[CellValue], zone: tzinfo) -> dict[str, FieldValue]:
    """A pulled row's cells (`event_cells`) as the reader would normalise them; objectId
    and the annotations left out, and so is a value our validation would refuse."""
    values: dict[str, FieldValue] = {}
    for field, raw in zip(fields, cells, strict=True):
        if field == OBJECT_ID or field in ANNOTATIONS:
            continue
        try:
            values[field] = normalise_cell(field, raw, zone)
        except ValueError:
            continue
    return values
