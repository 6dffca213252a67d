"""Send, reading side: an event as HubSpot's JSON has it -> a `PortalEvent`.

The inbound shape lives here and nowhere else: `objectId`, `updatedAt`, HubSpot's own
fields by name, `customProperties` as a list of `{name, value}`, and the read-only
counters (kept apart from the fields). Pure: a body in, a value out; an event whose
updatedAt is no version stops the read (`versioned`), so it never becomes the base of a
three-way check. It never sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from eventsync.hubspot.answers import versioned
from eventsync.portal_model import Counters, PortalEvent

# HubSpot's counters of an event's read (MarketingEventPublicReadResponse and the
# list's ...ReadResponseV2, docs/participants-research.md): read-only, never fields.
_COUNTERS = ("registrants", "attendees", "cancellations", "noShows")
# Keys of HubSpot's event that are not a field of the event itself.
_NOT_FIELDS = frozenset({"objectId", "updatedAt", "customProperties", *_COUNTERS})


def read_event(event: Mapping[str, Any]) -> PortalEvent:
    """One event of a list or a GET; `ReadFailedError` when its updatedAt is no version."""
    checked = versioned(event)
    return PortalEvent(
        object_id=str(checked.get("objectId")),
        updated_at=str(checked.get("updatedAt")),
        fields=MappingProxyType({k: v for k, v in checked.items() if k not in _NOT_FIELDS}),
        custom=MappingProxyType(custom_of(checked)),
        counters=counters_of(checked),
    )


def counters_of(event: Mapping[str, Any]) -> Counters:
    """The event's counters; one that is absent, null or no whole number >= 0 is None
    (an empty cell), never a reason to refuse the event."""
    registrants, attendees, cancellations, no_shows = (_count(event.get(k)) for k in _COUNTERS)
    return Counters(registrants, attendees, cancellations, no_shows)


def _count(value: object) -> int | None:
    if type(value) is int and value >= 0:  # (not a bool)
        return value
    if type(value) is float and value.is_integer() and value >= 0:
        return int(value)
    return None


def custom_of(event: Mapping[str, Any]) -> dict[str, object]:
    """The event's custom properties by name: the last of a name wins, a name that is
    no text (or empty) is left out, as is an item that is no `{name, value}` object."""
    custom = {
        p.get("name"): p.get("value")
        for p in event.get("customProperties") or []
        if isinstance(p, Mapping)
    }
    return {name: value for name, value in custom.items() if isinstance(name, str) and name}
