"""Plan: which event a participants row names, when it names it by the externalEventId
of an event eventsync created from the events sheet (docs/participants.md, "Naming an
event by its externalEventId").

Pure decisions: what the state's creates and HubSpot said of each external id in,
each row's event (its objectId), or why it cannot be sent yet, out. Participations stay
keyed by objectId, so a row that names the same event either way is the same row. It
never reads the state or asks HubSpot (eventsync/event_lookups.py does).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum

from eventsync.messages import Quoted, Text, command
from eventsync.model import CreateRecord
from eventsync.plan.participants import BadRow, Hold, Item, ParticipantsPlan, Participation, Problem


class Known(Enum):
    """What is known of one external id."""

    EVENT = "event"  # HubSpot's event: its objectId
    NOT_CREATED = "not created"  # the state's create, not made yet (the events sheet's)
    NONE = "none"  # neither the state nor HubSpot knows it
    UNREAD = "unread"  # the state does not know it, and HubSpot could not be asked


@dataclass(frozen=True)
class Lookup:
    known: Known
    object_id: str | None = None  # EVENT
    why: str = ""  # UNREAD: why HubSpot could not be asked (a Text)


def from_creates(creates: Mapping[str, CreateRecord]) -> dict[str, Lookup]:
    """The state's record of the events eventsync created (or is to create), by
    external id: once created, its objectId is known without asking HubSpot."""
    return {
        external_id: Lookup(Known.EVENT, record.object_id)
        if record.object_id is not None
        else Lookup(Known.NOT_CREATED)
        for external_id, record in creates.items()
    }


def from_hubspot(object_ids: Sequence[str]) -> Lookup:
    """HubSpot's answer to a read by external ids: the event, or none."""
    distinct = sorted(set(object_ids))
    if len(distinct) == 1:
        return Lookup(Known.EVENT, distinct[0])
    return Lookup(Known.NONE)  # (a read by external ids names at most one event)


def ids_to_ask(items: Iterable[Item], known: Mapping[str, Lookup]) -> list[str]:
    """The external ids rows name that `known` does not: each once, in order."""
    wanted: dict[str, None] = {}
    for item in items:
        external_id = item.external_id if isinstance(item, Participation) else None
        if external_id is not None and external_id not in known:
            wanted.setdefault(external_id)
    return list(wanted)


class Verdict(Enum):
    SEND_TO = "send to"  # the row's event is `object_id`
    PENDING = "pending"  # an event the events sheet creates, not yet: held
    NOT_FOUND = "not found"  # no event has the external id: the row's problem
    MISMATCH = "mismatch"  # objectId and externalEventId name different events
    UNREAD = "unread"  # HubSpot could not be asked: not sent this run


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    object_id: str = ""  # SEND_TO; MISMATCH: the event the external id is (if known)


def decide_event(object_id: str, external_id: str | None, lookup: Lookup | None) -> Decision:
    """A row's event: `object_id` as typed ("" for none), `external_id` as typed (None
    for none), `lookup` what is known of the external id (None: nothing, not asked).
    The objectId names the event; an external id beside it must name the same one."""
    if external_id is None:
        return Decision(Verdict.SEND_TO, object_id)
    known = lookup.known if lookup is not None else Known.UNREAD
    if known is Known.EVENT and lookup is not None and lookup.object_id:
        if object_id and object_id != lookup.object_id:
            return Decision(Verdict.MISMATCH, lookup.object_id)
        return Decision(Verdict.SEND_TO, lookup.object_id)
    if known is Known.UNREAD:
        return Decision(Verdict.UNREAD)
    if object_id:  # (an event not created yet, or none: not the objectId's event)
        return Decision(Verdict.MISMATCH)
    if known is Known.NOT_CREATED:
        return Decision(Verdict.PENDING)
    return Decision(Verdict.NOT_FOUND)


def resolve_events(items: Sequence[Item], known: Mapping[str, Lookup]) -> list[Item]:
    """Each row with an externalEventId given its event's objectId, left to wait for an
    event not created yet (object_id ""), or turned into its problem. A row that names
    its event by objectId alone is as it was."""
    return [_resolved(item, known) for item in items]


def _resolved(item: Item, known: Mapping[str, Lookup]) -> Item:
    if isinstance(item, BadRow) or item.external_id is None:
        return item
    external = item.external_id
    lookup = known.get(external)
    decision = decide_event(item.object_id, external, lookup)
    row = item.row_number
    if decision.verdict is Verdict.SEND_TO:
        # Named by its external id alone: kept, to say the event as the user named it.
        named = external if not item.object_id else None
        return replace(item, object_id=decision.object_id, external_id=named)
    if decision.verdict is Verdict.PENDING:
        return item
    if decision.verdict is Verdict.NOT_FOUND:
        message = Text("event_key.not_found", external_id=Quoted(external))
        return BadRow(row, Problem.UNKNOWN_EXTERNAL_ID, message)
    if decision.verdict is Verdict.MISMATCH:
        return BadRow(row, Problem.EVENT_MISMATCH, _mismatch(item, decision))
    why = lookup.why if lookup is not None else ""
    message = Text("event_key.unread", external_id=Quoted(external), why=why, again=command("sync"))
    return BadRow(row, Problem.EVENT_UNREAD, message)


def _mismatch(item: Participation, decision: Decision) -> Text:
    external = Quoted(item.external_id or "")
    if decision.object_id:
        return Text(
            "event_key.mismatch",
            object_id=item.object_id,
            external_id=external,
            other=decision.object_id,
        )
    return Text("event_key.mismatch_unknown", object_id=item.object_id, external_id=external)


def named_by_external_id(plan: ParticipantsPlan) -> dict[str, str]:
    """objectId (or, for an event not created yet, the external id) -> the external id
    its rows name it by, where some row names it so: how `plan` names the event."""
    rows = [*plan.to_send, *(row for row, _ in plan.held), *(row for row, _ in plan.unchanged)]
    return {row.event: row.external_id for row in rows if row.external_id is not None}


def is_pending(hold: Hold) -> bool:
    return hold is Hold.EVENT_PENDING


def pending_message(row: Participation) -> Text:
    """A held row's syncError: its event is not created yet."""
    return Text(
        "event_key.pending", external_id=Quoted(row.external_id or ""), again=command("sync")
    )
