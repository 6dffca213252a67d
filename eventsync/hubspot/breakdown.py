"""Send stage, a read: each contact's participation in one event, from HubSpot's
participations breakdown (`GET P/participations/{objectId}/breakdown`, paged by
`paging.next.after`; docs/participants-research.md, "Participations: counters and
breakdowns"), each page paced and retried by the client as every request is.

It never reads or writes a sheet or the state, never logs what a page holds (it names
people), and builds messages from status codes and HubSpot's answers only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from eventsync.errors import stop_error
from eventsync.hubspot.answers import ReadFailedError, is_not_found, items_of, next_cursor
from eventsync.hubspot.client import HubSpotClient
from eventsync.hubspot.retry import describe
from eventsync.hubspot.routes import breakdown_path
from eventsync.messages import Text
from eventsync.portal_model import PortalParticipant

# Rows per page: the most the breakdown takes ("The default value is 10, the max number
# is 100"): an event of 250 contacts costs 3 requests, not 25.
BREAKDOWN_PAGE = 100


def read_breakdown(
    client: HubSpotClient,
    object_id: str,
    *,
    on_page: Callable[[int], None] | None = None,
) -> list[PortalParticipant]:
    """Every contact's participation in the event `object_id`, in HubSpot's order;
    `on_page(rows)` after each page. An event HubSpot no longer has has none. A stop
    (a missing scope, the daily limit) is raised as the events list raises it; any
    other failure is a ReadFailedError naming the event."""
    path = breakdown_path(client.routes, object_id)
    found: list[PortalParticipant] = []
    after: str | None = None
    while True:
        params = {"limit": str(BREAKDOWN_PAGE)}
        if after:
            params["after"] = after
        reply = client.get(path, params)
        if reply.stop is not None:
            raise stop_error(reply.stop)
        body = reply.body if isinstance(reply.body, Mapping) else {}
        if reply.status == 404 and is_not_found(body) and not found:
            return []  # deleted since the list was read: nothing to show
        if reply.gave_up or reply.status != 200 or not isinstance(body.get("results"), list):
            why = reply.gave_up or describe(reply.status, body)
            raise ReadFailedError(Text("pulled_people.read_failed", object_id=object_id, why=why))
        rows = [_participant(object_id, item) for item in items_of(body, "results")]
        found += [row for row in rows if row is not None]
        if on_page is not None:
            on_page(len(rows))
        after = next_cursor(body)
        if after is None:
            return found


def _participant(object_id: str, item: Mapping[str, Any]) -> PortalParticipant | None:
    """One ParticipationBreakdown row; None without an email (nothing a participants
    sheet could name: the row's key is the email)."""
    associations = item.get("associations")
    contact = associations.get("contact") if isinstance(associations, Mapping) else None
    contact = contact if isinstance(contact, Mapping) else {}
    properties = item.get("properties")
    properties = properties if isinstance(properties, Mapping) else {}
    email = contact.get("email")
    if not isinstance(email, str) or not email.strip():
        return None
    contact_id = contact.get("contactId")
    state = properties.get("attendanceState")
    occurred = properties.get("occurredAt")
    return PortalParticipant(
        object_id,
        email.strip(),
        str(contact_id) if isinstance(contact_id, str | int) and str(contact_id) else None,
        state.upper() if isinstance(state, str) else "",
        _millis(occurred),
    )


def _millis(value: object) -> int | None:
    """occurredAt: int64 epoch ms in the spec; a numeric string taken too."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
