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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, tzinfo
from types import MappingProxyType

from sync.messages import Moment, Text, command
from sync.model import (
    EventUpdate,
    FieldValue,
    Plan,
    PlannedUpdate,
    ProblemCode,
    RowProblem,
    SyncedEvent,
    frozen,
)
from sync.plan.diff import diff_event, same_value
from sync.plan.events import RemoteEvent
from sync.plan.versions import Unverified, same_version, unverifiable
from sync.values import is_blank, show_value

MISSING = object()

# objectId -> the values of each send HubSpot's answer never came back for (a run killed
# mid-batch), oldest first: what the state store recorded before sending.
InFlight = Mapping[str, Sequence[Mapping[str, FieldValue]]]
NOTHING_IN_FLIGHT: InFlight = MappingProxyType({})


@dataclass(frozen=True)
class Conflict:
    row_number: int
    object_id: str
    field: str
    hubspot_value: FieldValue
    hubspot_updated_at: str
    # Set when eventsync had no snapshot of the event: the row's own updatedAt, which is
    # not HubSpot's (HubSpot changed since, but nothing says which fields).
    row_updated_at: str | None = None


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
    in_flight: InFlight = NOTHING_IN_FLIGHT,
    zone: tzinfo = UTC,
) -> Reconciled:
    """`remote` holds the events that were read (None: HubSpot no longer has it).

    Incoming changes (two-way) are not agreements yet: the snapshot takes them only
    once they are written into the sheet, or the next run would send the old value back.
    With `force` (every event) or for the events in `force_ids`, the sheet's value is
    sent even where HubSpot changed the same field. `in_flight` holds what eventsync sent
    without seeing HubSpot's answer (a run killed mid-batch): HubSpot holding exactly
    such a value is eventsync's own write, not a colleague's edit.
    """
    sheet = {row.object_id: row for row in rows}
    stale = {p.row_number for p in plan.problems if p.code is ProblemCode.STALE_COPY}
    problems = list(plan.problems)
    if two_way:  # the stale rows take HubSpot's newer values (below)
        problems = [p for p in problems if p.code is not ProblemCode.STALE_COPY]
    updates, unchanged = [], list(plan.unchanged)
    conflicts: list[Conflict] = []
    incoming: list[IncomingChange] = []
    agreements: list[Agreement] = []

    for update in plan.updates:
        if update.object_id not in remote:
            updates.append(update)  # not checked (--no-remote-check)
            continue
        now = remote[update.object_id]
        if now is None:
            problems.append(_gone_problem(update.row_number, update.object_id, snapshot, labels))
            continue
        previous = snapshot.get(update.object_id)
        row = sheet[update.object_id]
        forced = force or update.object_id in force_ids
        # A row synced with no record here, or since this folder's last sync (from another
        # working folder): HubSpot's values, at the row's version, are the base.
        without_base = unverifiable(row, previous) in (
            Unverified.NO_RECORD,
            Unverified.SYNCED_ELSEWHERE,
        ) or (previous is None and row.version_unreadable)
        if without_base and not forced:
            checked = _check_without_state(update, row, now, labels)
            problems.extend(checked.problems)
            conflicts.extend(checked.conflicts)
            problems.extend(_conflict_problem(c, labels, zone) for c in checked.conflicts)
            if checked.agreement is not None:
                agreements.append(checked.agreement)
            if checked.update is not None:
                updates.append(checked.update)
            elif not checked.problems and not checked.conflicts:
                unchanged.append(row)
            continue
        sent = in_flight.get(update.object_id, ())
        kept, agreed, clashes = [], {}, []
        for change in update.changes:
            theirs = now.values.get(change.field)
            base = _base(previous, change.field)
            if _same(change.field, theirs, change.new):
                agreed[change.field] = change.new
            elif (
                forced
                or base is MISSING
                or _same(change.field, theirs, base)
                or _was_sent(change.field, theirs, sent)
            ):
                # First sync, HubSpot did not touch this field (or holds what eventsync
                # itself sent), or forced: what is replaced is what HubSpot holds now,
                # not what the snapshot remembers.
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
            problems.extend(_conflict_problem(c, labels, zone) for c in clashes)
        elif kept:
            updates.append(replace(update, changes=tuple(kept)))
        else:
            unchanged.append(row)

    if two_way:
        sent_fields = {u.object_id: {c.field for c in u.changes} for u in plan.updates}
        conflicted = {c.object_id for c in conflicts}
        for object_id, row in sheet.items():
            now, previous = remote.get(object_id), snapshot.get(object_id)
            if row.row_number in stale:
                if now is None:  # not read, or gone: the row stays flagged
                    problems.extend(p for p in plan.problems if p.row_number == row.row_number)
                    continue
                taken = _take_newer(row, now)
                incoming.extend(taken.incoming)
                if taken.agreement is not None:
                    agreements.append(taken.agreement)
                unchanged.append(row)
                continue
            if now is None or previous is None or object_id in conflicted:
                continue
            sent = in_flight.get(object_id, ())
            for field, mine in row.values.items():
                if field in sent_fields.get(object_id, ()):
                    continue
                theirs = now.values.get(field)
                base = _base(previous, field)
                if _same(field, theirs, base) or _same(field, theirs, mine):
                    continue
                if _was_sent(field, theirs, sent):
                    continue  # eventsync's own write, not an edit made in HubSpot
                incoming.append(
                    IncomingChange(row.row_number, object_id, field, mine, theirs, now.updated_at)
                )

    reconciled_plan = Plan(tuple(updates), tuple(unchanged), tuple(problems))
    return Reconciled(reconciled_plan, tuple(conflicts), tuple(incoming), tuple(agreements))


def _was_sent(field: str, theirs: object, sent: Sequence[Mapping[str, FieldValue]]) -> bool:
    """HubSpot holds a value eventsync sent and never saw confirmed."""
    return any(field in values and _same(field, theirs, values[field]) for values in sent)


@dataclass(frozen=True)
class _Checked:
    update: PlannedUpdate | None = None
    agreement: Agreement | None = None
    conflicts: tuple[Conflict, ...] = ()
    problems: tuple[RowProblem, ...] = ()


def _check_without_state(
    update: PlannedUpdate, row: EventUpdate, now: RemoteEvent, labels: Mapping[str, str]
) -> _Checked:
    """A row synced before (it carries an updatedAt) of an event the snapshot does not
    know (a deleted state folder, a new machine): HubSpot's current values are the base.

    HubSpot's updatedAt equal to the row's: HubSpot has not changed since this row was
    synced, so every cell that differs is the user's edit and goes out. HubSpot's newer
    (or anything else): nothing tells whose edit a difference is, so each is a conflict,
    and nothing is agreed for the event (agreeing on the rest would leave the conflicting
    fields without a base, and the next run would send them).
    """
    # Only filled cells count: an empty cell may never have been filled (a first sync
    # sends filled cells only), so emptying a field cannot be told from never having it.
    base = SyncedEvent(frozen(now.values), now.updated_at)
    changes = tuple(c for c in diff_event(row, base)[0] if not is_blank(c.new))
    differing = [c.field for c in changes]
    agreed = {f: v for f, v in row.values.items() if _same(f, now.values.get(f), v)}
    agreement = Agreement(row.object_id, frozen(agreed), now.updated_at) if agreed else None
    if same_version(row.updated_at, now.updated_at):
        kept = replace(update, changes=changes, first_sync=False) if changes else None
        return _Checked(update=kept, agreement=agreement)
    clashes = tuple(
        Conflict(
            row.row_number,
            row.object_id,
            field,
            now.values.get(field),
            now.updated_at,
            row_updated_at=row.updated_at,
        )
        for field in differing
    )
    if not clashes:
        return _Checked(agreement=agreement)
    return _Checked(conflicts=clashes)


@dataclass(frozen=True)
class _Taken:
    incoming: tuple[IncomingChange, ...]
    agreement: Agreement | None


def _take_newer(row: EventUpdate, now: RemoteEvent) -> _Taken:
    """A row from an older copy, with two-way sync: every cell that differs from HubSpot
    takes HubSpot's value (the newer one); the cells that match are agreed."""
    changes, agreed = [], {}
    for field, mine in row.values.items():
        theirs = now.values.get(field)
        if _same(field, theirs, mine):
            agreed[field] = mine
        else:
            changes.append(
                IncomingChange(row.row_number, row.object_id, field, mine, theirs, now.updated_at)
            )
    agreement = Agreement(row.object_id, frozen(agreed), now.updated_at) if agreed else None
    return _Taken(tuple(changes), agreement)


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
        message = Text("row.deleted_in_hubspot", label=label, object_id=object_id)
    else:
        message = Text("row.not_in_hubspot", label=label, object_id=object_id)
    return RowProblem(row_number, label, ProblemCode.NOT_IN_HUBSPOT, message)


def _conflict_problem(conflict: Conflict, labels: Mapping[str, str], zone: tzinfo) -> RowProblem:
    label = labels.get(conflict.field, conflict.field)
    value = show_value(conflict.hubspot_value)
    if conflict.row_updated_at is not None:
        # No snapshot, and HubSpot's version is not the row's: HubSpot changed since (or
        # the row was synced with another portal), but nothing says which fields.
        what = Text(
            "conflict.unrecorded",
            label=label,
            value=value,
            hubspot_at=Moment(conflict.hubspot_updated_at, zone),
            row_at=Moment(conflict.row_updated_at, zone),
        )
    else:
        what = Text(
            "conflict.changed",
            label=label,
            value=value,
            hubspot_at=Moment(conflict.hubspot_updated_at, zone),
        )
    force = command("sync", "--force", conflict.object_id)
    return RowProblem(
        conflict.row_number,
        label,
        ProblemCode.CONFLICT,
        Text("conflict.row", what=what, force=force),
    )
