"""The three-way check: the snapshot (what both sides last agreed on), the sheet, and
HubSpot now — field by field, before anything is sent.

Pure. HubSpot unchanged: the sheet's change goes out. HubSpot changed a field the sheet
did not: that field is not sent (and with two-way sync it comes into the sheet). Both
changed it alike: nothing to send, the snapshot advances. Both changed it differently:
a conflict, and the row is not sent. It never decides who wins a conflict by itself: a
conflict stays one, run after run, until the user types HubSpot's value into the cell
(then both sides agree) or forces the event (`--force`, or `--force OBJECTID`).
Every change that goes out carries HubSpot's current value as its `old`: that is the
value the send replaces, and what `plan` shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from sync.model import (
    EventUpdate,
    FieldValue,
    Plan,
    ProblemCode,
    RowProblem,
    SyncedEvent,
    frozen,
)
from sync.plan.diff import same_value
from sync.plan.events import RemoteEvent
from sync.values import is_blank, show_value

MISSING = object()


@dataclass(frozen=True)
class Conflict:
    row_number: int
    object_id: str
    field: str
    hubspot_value: FieldValue
    hubspot_updated_at: str


@dataclass(frozen=True)
class IncomingChange:
    """A field changed only in HubSpot: two-way sync writes it into the sheet."""

    row_number: int
    object_id: str
    field: str
    old: FieldValue  # what the sheet holds
    new: FieldValue  # what HubSpot holds
    hubspot_updated_at: str


@dataclass(frozen=True)
class Agreement:
    """Both sides hold these values: the snapshot advances without sending anything."""

    object_id: str
    values: Mapping[str, FieldValue]
    updated_at: str


@dataclass(frozen=True)
class Reconciled:
    plan: Plan
    conflicts: tuple[Conflict, ...] = ()  # each also a row problem of `plan`
    incoming: tuple[IncomingChange, ...] = ()
    agreements: tuple[Agreement, ...] = ()


def _base(previous: SyncedEvent | None, field: str) -> object:
    """What both sides last agreed on. Only an agreement moves it: having been shown
    HubSpot's value in a conflict does not (keeping one's own value and syncing again is
    no decision; a folder watcher would make it without anyone looking)."""
    if previous is None:
        return MISSING
    # A field the two sides never agreed on has no base: the sheet's value goes out.
    return previous.values.get(field, MISSING)


def _same(field: str, a: object, b: object) -> bool:
    if is_blank(a) and is_blank(b):
        return True
    return same_value(field, a, b)  # type: ignore[arg-type]


def reconcile(
    plan: Plan,
    rows: Iterable[EventUpdate],
    snapshot: Mapping[str, SyncedEvent],
    remote: Mapping[str, RemoteEvent | None],
    labels: Mapping[str, str],
    *,
    two_way: bool = False,
    force: bool = False,
    force_ids: frozenset[str] = frozenset(),
) -> Reconciled:
    """`remote` holds the events that were read (None: HubSpot no longer has it).

    Incoming changes (two-way) are not agreements yet: the snapshot takes them only
    once they are written into the sheet, or the next run would send the old value back.
    With `force` (every event) or for the events in `force_ids`, the sheet's value is
    sent even where HubSpot changed the same field.
    """
    sheet = {row.object_id: row for row in rows}
    updates, unchanged, problems = [], list(plan.unchanged), list(plan.problems)
    conflicts: list[Conflict] = []
    incoming, agreements = [], []

    for update in plan.updates:
        if update.object_id not in remote:
            updates.append(update)  # not checked (--no-remote-check)
            continue
        now = remote[update.object_id]
        if now is None:
            problems.append(_gone_problem(update.row_number, update.object_id, snapshot, labels))
            continue
        previous = snapshot.get(update.object_id)
        forced = force or update.object_id in force_ids
        kept, agreed, clashes = [], {}, []
        for change in update.changes:
            theirs = now.values.get(change.field)
            base = _base(previous, change.field)
            if _same(change.field, theirs, change.new):
                agreed[change.field] = change.new
            elif forced or base is MISSING or _same(change.field, theirs, base):
                # First sync, HubSpot did not touch this field, or forced: what is
                # replaced is what HubSpot holds now, not what the snapshot remembers.
                kept.append(replace(change, old=theirs))
            else:
                clashes.append(
                    Conflict(
                        update.row_number, update.object_id, change.field, theirs, now.updated_at
                    )
                )
        if agreed:
            agreements.append(Agreement(update.object_id, frozen(agreed), now.updated_at))
        if clashes:
            conflicts.extend(clashes)
            problems.extend(_conflict_problem(c, labels) for c in clashes)
        elif kept:
            updates.append(replace(update, changes=tuple(kept)))
        else:
            unchanged.append(sheet[update.object_id])

    if two_way:
        sent_fields = {u.object_id: {c.field for c in u.changes} for u in plan.updates}
        conflicted = {c.object_id for c in conflicts}
        for object_id, row in sheet.items():
            now, previous = remote.get(object_id), snapshot.get(object_id)
            if now is None or previous is None or object_id in conflicted:
                continue
            for field, mine in row.values.items():
                if field in sent_fields.get(object_id, ()):
                    continue
                theirs = now.values.get(field)
                base = _base(previous, field)
                if not _same(field, theirs, base) and not _same(field, theirs, mine):
                    incoming.append(
                        IncomingChange(
                            row.row_number, object_id, field, mine, theirs, now.updated_at
                        )
                    )

    reconciled_plan = Plan(tuple(updates), tuple(unchanged), tuple(problems))
    return Reconciled(reconciled_plan, tuple(conflicts), tuple(incoming), tuple(agreements))


def incoming_agreements(changes: Iterable[IncomingChange]) -> list[Agreement]:
    """What the snapshot takes once incoming changes are in the sheet."""
    grouped: dict[str, dict[str, FieldValue]] = {}
    stamps: dict[str, str] = {}
    for change in changes:
        grouped.setdefault(change.object_id, {})[change.field] = change.new
        stamps[change.object_id] = change.hubspot_updated_at
    return [Agreement(oid, frozen(values), stamps[oid]) for oid, values in grouped.items()]


def _gone_problem(
    row_number: int, object_id: str, snapshot: Mapping[str, SyncedEvent], labels: Mapping[str, str]
) -> RowProblem:
    label = labels.get("objectId", "objectId")
    if object_id in snapshot:
        message = (
            f"{label}: event {object_id} no longer exists in HubSpot (deleted there?);"
            " remove the row, or correct its id"
        )
    else:
        message = f"{label}: HubSpot has no event {object_id}; check the id (copy it from HubSpot)"
    return RowProblem(row_number, label, ProblemCode.NOT_IN_HUBSPOT, message)


def _conflict_problem(conflict: Conflict, labels: Mapping[str, str]) -> RowProblem:
    label = labels.get(conflict.field, conflict.field)
    return RowProblem(
        conflict.row_number,
        label,
        ProblemCode.CONFLICT,
        f"conflict: {label} was changed in HubSpot to {show_value(conflict.hubspot_value)}"
        f" at {conflict.hubspot_updated_at}; to keep HubSpot's, type it into the cell; to send"
        f" yours, run sync --force {conflict.object_id}",
    )
