"""Send, creating side: HubSpot's answers to a batch upsert and to the look-ups by
external id, read into values (docs/creating-events.md).

Pure: a reply in, a value out. It never sends, and never takes an answer it cannot read
for "nothing was created": an upsert's answer is either read (results, or a refusal
that created nothing) or `unclear`, and an unclear create is looked up, never resent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from eventsync.hubspot.answers import items_of
from eventsync.hubspot.retry import describe
from eventsync.hubspot.transport import Reply
from eventsync.model import Stop
from eventsync.values import is_version


@dataclass(frozen=True)
class MadeEvent:
    """One event HubSpot holds: its id, version, and the fields it echoed."""

    object_id: str
    updated_at: str
    echoed: Mapping[str, Any]


@dataclass(frozen=True)
class UpsertAnswer:
    made: tuple[MadeEvent, ...] = ()  # every result that names its event and version
    unclear: str | None = None  # why the answer does not say what HubSpot made
    refused: str | None = None  # HubSpot refused the batch (4xx): it made nothing
    stop: Stop | None = None  # the run stops (token refused, daily limit): made nothing


@dataclass(frozen=True)
class LookUp:
    """What HubSpot said of one external id: the events holding it (none: not found)."""

    found: tuple[MadeEvent | str, ...] = ()  # a get's event, or an identifiers row's id
    failed: str | None = None  # HubSpot did not answer: nothing is known
    stop: Stop | None = None

    @property
    def object_ids(self) -> tuple[str, ...]:
        return tuple(item.object_id if isinstance(item, MadeEvent) else item for item in self.found)


def made_event(body: Mapping[str, Any]) -> MadeEvent | None:
    """A result or a get's event: its objectId (or `id`, the same number in these
    schemas) and updatedAt; None when it names no event or no version."""
    object_id = body.get("objectId") or body.get("id")
    updated_at = body.get("updatedAt")
    if not isinstance(object_id, str | int) or not str(object_id).isdigit():
        return None
    if not is_version(updated_at):
        return None
    return MadeEvent(str(object_id), str(updated_at), body)


def read_upsert(reply: Reply, sent: int) -> UpsertAnswer:
    """HubSpot's answer to a batch upsert of `sent` inputs."""
    if reply.stop is not None:
        return UpsertAnswer(stop=reply.stop)
    status = reply.status
    if reply.gave_up:
        return UpsertAnswer(unclear=reply.gave_up)
    if status is not None and 400 <= status < 500 and status not in (408, 423, 429):
        return UpsertAnswer(refused=describe(status, reply.body or {}))
    if status is None or not 200 <= status < 300 or not isinstance(reply.body, Mapping):
        return UpsertAnswer(unclear=describe(status, reply.body or {}) if status else None)
    made = [made_event(result) for result in items_of(reply.body, "results")]
    found = tuple(event for event in made if event is not None)
    if len(found) != sent or len(found) != len(made):
        # Some inputs without a readable result: made or not, only a look-up tells.
        return UpsertAnswer(found, unclear=describe(status, reply.body))
    return UpsertAnswer(found)


def read_get(reply: Reply) -> LookUp:
    """Get by external ids: the event (200), none (404), or what failed."""
    if reply.stop is not None:
        return LookUp(stop=reply.stop)
    if reply.status == 404:
        return LookUp()
    event = made_event(reply.body) if reply.status == 200 and reply.body else None
    if event is None:
        return LookUp(failed=reply.gave_up or describe(reply.status, reply.body or {}))
    return LookUp((event,))


def read_identifiers(reply: Reply) -> LookUp:
    """The portal-wide identifiers lookup: every objectId holding the external id."""
    if reply.stop is not None:
        return LookUp(stop=reply.stop)
    if reply.status != 200 or not isinstance(reply.body, Mapping):
        return LookUp(failed=reply.gave_up or describe(reply.status, reply.body or {}))
    found = [row.get("objectId") for row in items_of(reply.body, "results")]
    return LookUp(tuple(str(i) for i in found if isinstance(i, str | int) and str(i).isdigit()))
