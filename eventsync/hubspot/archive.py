"""Send, deleting: HubSpot's answers to `batch/archive` read into one `Archived` per event.

Pure. HubSpot publishes only that a 204 means every event was deleted and a 207 that
"some objectIds did not correspond to any existing Marketing Events"; the 207's body is
unpublished (docs/create-events-research.md, open question 4). So a 204 is the only
answer read as "deleted" by itself; after a 207 (or any other 2xx) each event is looked
up by the client (a 404 there: gone, whichever way), and an answer that says nothing
usable is said to be unclear, never taken for a deletion. It never sends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eventsync.hubspot.answers import describe_row_error, inputs_named, items_of
from eventsync.lifecycle import Archived
from eventsync.messages import Text, command


def archive_verdict(status: int | None) -> str:
    """What the answer's status lets the client conclude: "deleted" (204), "look" (any
    other 2xx, or a 404 that may mean "none of these exist": ask HubSpot for each
    event), or "refused" (another 4xx: nothing deleted)."""
    if status == 204:
        return "deleted"
    if status is not None and (200 <= status < 300 or status == 404):
        return "look"
    return "refused"


def named_errors(object_ids: Sequence[str], body: Mapping[str, Any] | None) -> dict[str, str]:
    """objectId -> HubSpot's error for it, where an error of the body names one (as
    `inputs_named` finds them): read defensively, since no shape is published."""
    found: dict[str, str] = {}
    for item in items_of(body or {}, "errors"):
        for object_id in inputs_named(object_ids, item):
            found.setdefault(object_id, describe_row_error(item))
    return found


def looked_up(object_id: str, exists: bool, error: str | None) -> Archived:
    """One event of a 207 after the client asked HubSpot for it: not there (a 404) is
    deleted; still there is not (with HubSpot's error, if the answer named one)."""
    if not exists:
        return Archived(object_id, deleted=True)
    message = error or Text("lifecycle.still_there", again=command("sync"))
    return Archived(object_id, deleted=False, message=message)


def refused(object_ids: Sequence[str], why: str) -> tuple[Archived, ...]:
    """A whole request refused (a 400, HubSpot's own words in `why`): nothing deleted."""
    message = Text("lifecycle.delete_refused", why=why)
    return tuple(Archived(object_id, deleted=False, message=message) for object_id in object_ids)


def unclear(why: str) -> str:
    """HubSpot's answer did not say whether it deleted the event: the next sync asks again
    (deleting an event twice leaves it as deleting it once)."""
    return Text("lifecycle.delete_unclear", why=why, again=command("sync"))
