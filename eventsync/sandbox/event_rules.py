"""Sandbox event store rules: what an event looks like and how fields change and page.

Pure functions on plain JSON values (no lock, no HTTP): `make_event` builds an event as
HubSpot returns it, `apply_fields` applies one update, `page_events` pages the list. They
must never touch the network or the sandbox's shared state.
"""

from __future__ import annotations

import bisect
import copy
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

# An event, a request body or an answer as JSON: values of any JSON type, checked where read.
JsonObject = dict[str, Any]

LIST_LIMIT_DEFAULT = 10
LIST_LIMIT_MAX = 100
TEXT_FIELDS = ("eventName", "eventType", "eventOrganizer", "eventDescription", "eventUrl")
DATE_FIELDS = ("startDateTime", "endDateTime")
WRITABLE_FIELDS = frozenset(
    {"objectId", "eventCancelled", "customProperties", *TEXT_FIELDS, *DATE_FIELDS}
)
READ_ONLY_FIELDS = frozenset(
    {"eventCompleted", "eventStatus", "externalEventId", "appInfo", "createdAt", "updatedAt"}
    | {"registrants", "attendees", "cancellations", "noShows"}
)
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", re.I)


def is_numeric(text: str) -> bool:
    """ASCII digits only: str.isdigit() alone would let "１２" or "²" through."""
    return text.isascii() and text.isdigit()


def format_ms(epoch_ms: int) -> str:
    """HubSpot's timestamp spelling: `2024-05-22T12:29:50.734Z`."""
    seconds, millis = divmod(epoch_ms, 1000)
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis:03d}Z"


def parse_rfc3339(value: str) -> datetime | None:
    """An RFC 3339 date-time (fraction optional, Z or offset), or None if it is not one."""
    if not _RFC3339.fullmatch(value):
        return None
    try:
        return datetime.fromisoformat(value.upper())
    except ValueError:  # the right shape with impossible values, such as month 13
        return None


def make_event(object_id: str | int, **overrides: Any) -> JsonObject:
    """A realistic event as HubSpot returns it; `overrides` replace any field."""
    event = {
        "objectId": str(object_id),
        "eventName": f"Event {object_id}",
        "eventType": "WEBINAR",
        "eventOrganizer": "Acme Events",
        "eventDescription": f"Description of event {object_id}",
        "eventUrl": f"https://events.example.com/{object_id}",
        "eventCancelled": False,
        "eventCompleted": False,
        "startDateTime": "2024-06-10T09:00:00.000Z",
        "endDateTime": "2024-06-10T11:00:00.000Z",
        "customProperties": [],
        "createdAt": "2024-05-22T12:29:50.734Z",
        "updatedAt": "2024-05-22T12:29:50.734Z",
        "eventStatus": "UPCOMING",
        "externalEventId": None,
        "appInfo": {"id": "1234567", "name": "eventsync sandbox"},
        "registrants": 0,
        "attendees": 0,
        "cancellations": 0,
        "noShows": 0,
    }
    event.update(copy.deepcopy(overrides))
    return event


def load_events(data: object) -> dict[str, JsonObject]:
    """Events from JSON (a list or `{"results": [...]}`) or any iterable of event dicts,
    with read-side defaults filled in."""
    items = data.get("results") if isinstance(data, dict) else data
    if isinstance(items, str | bytes | dict) or not isinstance(items, Iterable):
        raise ValueError('events must be a JSON list or {"results": [...]}')
    events = {}
    for number, item in enumerate(items, start=1):
        object_id = str(item.get("objectId", "")) if isinstance(item, dict) else ""
        if not is_numeric(object_id):
            raise ValueError(f"event #{number} needs a numeric objectId")
        events[object_id] = make_event(object_id, **{**item, "objectId": object_id})
    return events


def apply_fields(
    event: JsonObject, fields: JsonObject, defined: frozenset[str] | None = None
) -> JsonObject:
    """A new event with only the given fields changed.

    customProperties merge by name; names outside `defined` (when set) are silently
    dropped, as HubSpot documents for create.
    """
    changed = copy.deepcopy(event)
    for key, value in fields.items():
        if key == "customProperties":
            merged = {prop["name"]: prop["value"] for prop in event.get(key, [])}
            merged |= {
                p["name"]: p["value"] for p in value if defined is None or p["name"] in defined
            }
            changed[key] = [{"name": name, "value": text} for name, text in merged.items()]
        elif key != "objectId":
            changed[key] = copy.deepcopy(value)
    if "eventCancelled" in fields:
        changed["eventStatus"] = "CANCELLED" if fields["eventCancelled"] else "UPCOMING"
    return changed


def page_events(
    events: dict[str, JsonObject], ordered: Sequence[int], limit: int, after: str | None
) -> tuple[list[JsonObject], str | None]:
    """One page sorted by numeric objectId, and the cursor of the next page (None if last).
    `ordered`: the ids of `events` as numbers, sorted (kept by the caller between pages:
    sorting 100,000 ids for every page would make the stand-in slower than HubSpot).

    The cursor is the last objectId returned, so edits between pages never make a page
    repeat or skip an event. Clients must treat it as opaque.
    """
    start = bisect.bisect_right(ordered, int(after)) if after is not None else 0
    page = [str(number) for number in ordered[start : start + limit]]
    more = start + limit < len(ordered)
    return [copy.deepcopy(events[i]) for i in page], (page[-1] if more and page else None)


def parse_list_query(query: dict[str, str]) -> tuple[int, str | None] | str:
    """(limit, after) from the list query, or the message of a 400."""
    raw_limit, after = query.get("limit", str(LIST_LIMIT_DEFAULT)), query.get("after")
    if not is_numeric(raw_limit) or not 1 <= int(raw_limit) <= LIST_LIMIT_MAX:
        return f"limit must be an integer from 1 to {LIST_LIMIT_MAX}, got {raw_limit!r}"
    if after is not None and not is_numeric(after):
        return f"after {after!r} is not a cursor this API returned"
    return int(raw_limit), after
