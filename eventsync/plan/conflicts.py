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

The rule for one field is `three_way.decide`; this module gathers its inputs for each
row (the base from the snapshot, or why there is none) and puts the outcomes together
into one plan. It must never decide a field itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, tzinfo
from types import MappingProxyType

from eventsync.messages import Moment, Text, command
from eventsync.model import (
    EventUpdate,
    FieldChange,
    FieldValue,
    Plan,
    PlannedUpdate,
    ProblemCode,
    RowProblem,
    SyncedEvent,
    frozen,
)
from eventsync.plan.event_cells import RemoteEvent
from eventsync.plan.three_way import Base, Outcome, decide
from eventsync.plan.versions import Unverified, same_version, unverifiable
from eventsync.values import show_value

# What `_base` gives for a field the two sides never agreed on.
MISSING = Base.NEVER_AGREED

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


@dataclass(frozen=True)
class _Known:
    """What the check reads besides the rows: the records of both sides."""

    snapshot: Mapping[str, SyncedEvent]
    remote: Mapping[str, RemoteEvent | None]
    in_flight: InFlight
    labels: Mapping[str, str]


@dataclass(frozen=True)
class _Checked:
    """What the check made of one row; `reconcile` puts the rows' results together."""

    update: PlannedUpdate | None = None  # to send
    unchanged: EventUpdate | None = None  # nothing to send
    agreement: Agreement | None = None
    conflicts: tuple[Conflict, ...] = ()
    incoming: tuple[IncomingChange, ...] = ()
    problems: tuple[RowProblem, ...] = ()


def _base(previous: SyncedEvent | None, field: str) -> FieldValue | Base:
    """What both sides last agreed on. Only an agreement moves it: having been shown
    HubSpot's value in a conflict does not (keeping one's own value and syncing again is
    no decision; a folder watcher would make it without anyone looking)."""
    if previous is None:
        return Base.NEVER_AGREED
    # A field the two sides never agreed on has no base: the sheet's value goes out.
    return previous.values.get(field, Base.NEVER_AGREED)


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
    such a value is eventsync's own write, not a colleague's edit. The rule for each
    field is `three_way.decide`; this only gathers its inputs and puts the results
    together.
    """
    sheet = {row.object_id: row for row in rows}
    known = _Known(snapshot, remote, in_flight, labels)
    checks = [
        _check_update(
            update, sheet[update.object_id], known, forced=force or update.object_id in force_ids
        )
        for update in plan.updates
    ]
    if two_way:
        checks += _two_way(plan, sheet.values(), known, checks)
    return _put_together(plan, checks, labels, zone, two_way=two_way)


def _put_together(
    plan: Plan,
    checks: Sequence[_Checked],
    labels: Mapping[str, str],
    zone: tzinfo,
    *,
    two_way: bool,
) -> Reconciled:
    """The rows' results as one plan, in the rows' order; each conflict also a problem."""
    problems = list(plan.problems)
    if two_way:  # the stale rows take HubSpot's newer values instead (`_two_way`)
        problems = [p for p in problems if p.code is not ProblemCode.STALE_COPY]
    for check in checks:
        problems += check.problems
        problems += (_conflict_problem(c, labels, zone) for c in check.conflicts)
    updates = tuple(c.update for c in checks if c.update is not None)
    unchanged = plan.unchanged + tuple(c.unchanged for c in checks if c.unchanged is not None)
    return Reconciled(
        Plan(updates, unchanged, tuple(problems)),
        tuple(conflict for check in checks for conflict in check.conflicts),
        tuple(change for check in checks for change in check.incoming),
        tuple(c.agreement for c in checks if c.agreement is not None),
    )


def _check_update(
    update: PlannedUpdate, row: EventUpdate, known: _Known, *, forced: bool
) -> _Checked:
    """One row to send, against HubSpot's current values."""
    if update.object_id not in known.remote:
        return _Checked(update=update)  # not checked (--no-remote-check)
    now = known.remote[update.object_id]
    if now is None:
        return _Checked(problems=(_gone_problem(update, known),))
    previous = known.snapshot.get(update.object_id)
    if _without_base(row, previous) and not forced:
        return _check_without_state(update, row, now)
    sent = known.in_flight.get(update.object_id, ())
    kept, agreed, clashes = [], {}, []
    for change in update.changes:
        field, theirs = change.field, now.values.get(change.field)
        base = _base(previous, field)
        outcome = decide(field, base, change.new, theirs, _sent(sent, field), forced=forced)
        if outcome is Outcome.AGREED:
            agreed[field] = change.new
        elif outcome is Outcome.SEND:
            # What is replaced is what HubSpot holds now, not what the snapshot remembers.
            kept.append(replace(change, old=theirs))
        elif outcome is Outcome.CONFLICT:
            clashes.append(Conflict(row.row_number, row.object_id, field, theirs, now.updated_at))
    agreement = Agreement(row.object_id, frozen(agreed), now.updated_at) if agreed else None
    if clashes:
        return _Checked(agreement=agreement, conflicts=tuple(clashes))
    if kept:
        return _Checked(update=replace(update, changes=tuple(kept)), agreement=agreement)
    return _Checked(unchanged=row, agreement=agreement)


def _without_base(row: EventUpdate, previous: SyncedEvent | None) -> bool:
    """A row synced with no record here, or since this folder's last sync (from another
    working folder): HubSpot's values, at the row's version, are the base."""
    if previous is None and row.version_unreadable:
        return True
    return unverifiable(row, previous) in (Unverified.NO_RECORD, Unverified.SYNCED_ELSEWHERE)


def _sent(sent: Sequence[Mapping[str, FieldValue]], field: str) -> tuple[FieldValue, ...]:
    """The values of `field` eventsync sent and never saw confirmed."""
    if not sent:  # the usual case: the last run ended normally
        return ()
    return tuple(values[field] for values in sent if field in values)


def _check_without_state(update: PlannedUpdate, row: EventUpdate, now: RemoteEvent) -> _Checked:
    """A row synced before (it carries an updatedAt) of an event the snapshot does not
    know (a deleted state folder, a new machine): HubSpot's current values are the base.

    HubSpot's updatedAt equal to the row's: HubSpot has not changed since this row was
    synced, so every cell that differs is the user's edit and goes out. HubSpot's newer
    (or anything else): nothing tells whose edit a difference is, so each is a conflict,
    and nothing is agreed for the event (agreeing on the rest would leave the conflicting
    fields without a base, and the next run would send them). Only filled cells count:
    an empty cell may never have been filled (a first sync sends filled cells only).
    """
    same = same_version(row.updated_at, now.updated_at)
    base = Base.UNRECORDED_SAME_VERSION if same else Base.UNRECORDED
    changes, agreed, clashes = [], {}, []
    for field, mine in row.values.items():
        theirs = now.values.get(field)
        outcome = decide(field, base, mine, theirs)
        if outcome is Outcome.AGREED:
            agreed[field] = mine
        elif outcome is Outcome.SEND:
            changes.append(FieldChange(field, theirs, mine))
        elif outcome is Outcome.CONFLICT:
            clash = Conflict(
                row.row_number, row.object_id, field, theirs, now.updated_at, row.updated_at
            )
            clashes.append(clash)
    if clashes:
        return _Checked(conflicts=tuple(clashes))
    agreement = Agreement(row.object_id, frozen(agreed), now.updated_at) if agreed else None
    if changes:
        sent = replace(update, changes=tuple(changes), first_sync=False)
        return _Checked(update=sent, agreement=agreement)
    return _Checked(unchanged=row, agreement=agreement)


def _two_way(
    plan: Plan, rows: Iterable[EventUpdate], known: _Known, checked: list[_Checked]
) -> list[_Checked]:
    """Two-way sync, for every row: the fields changed only in HubSpot come into the
    sheet. A row from an older copy takes HubSpot's values wherever they differ (its
    cells are old values); where HubSpot was not read, or no longer has the event, it
    stays flagged. Nothing comes into a row in conflict, nor into a field being sent."""
    stale: dict[int, list[RowProblem]] = {}
    for problem in plan.problems:
        if problem.code is ProblemCode.STALE_COPY:
            stale.setdefault(problem.row_number, []).append(problem)
    sending = {u.object_id: {c.field for c in u.changes} for u in plan.updates}
    conflicted = {c.object_id for check in checked for c in check.conflicts}
    found = []
    for row in rows:
        now, previous = known.remote.get(row.object_id), known.snapshot.get(row.object_id)
        if row.row_number in stale:
            held = _Checked(problems=tuple(stale[row.row_number]))
            found.append(held if now is None else _take_newer(row, now))
        elif now is not None and previous is not None and row.object_id not in conflicted:
            skip = sending.get(row.object_id, set())
            sent = known.in_flight.get(row.object_id, ())
            found.append(_Checked(incoming=_bring_in(row, now, previous, sent, skip)))
    return found


def _bring_in(
    row: EventUpdate,
    now: RemoteEvent,
    previous: SyncedEvent,
    sent: Sequence[Mapping[str, FieldValue]],
    skip: set[str],
) -> tuple[IncomingChange, ...]:
    """The fields of one row changed only in HubSpot (`skip`: the fields being sent)."""
    incoming = []
    for field, mine in row.values.items():
        theirs = now.values.get(field)
        if field in skip:
            continue
        if decide(field, _base(previous, field), mine, theirs, _sent(sent, field)) is Outcome.TAKE:
            incoming.append(
                IncomingChange(row.row_number, row.object_id, field, mine, theirs, now.updated_at)
            )
    return tuple(incoming)


def _take_newer(row: EventUpdate, now: RemoteEvent) -> _Checked:
    """A row from an older copy, with two-way sync: every cell that differs from HubSpot
    takes HubSpot's value (the newer one); the cells that match are agreed."""
    changes, agreed = [], {}
    for field, mine in row.values.items():
        theirs = now.values.get(field)
        outcome = decide(field, Base.OLDER_COPY, mine, theirs)
        if outcome is Outcome.AGREED:
            agreed[field] = mine
        elif outcome is Outcome.TAKE:
            changes.append(
                IncomingChange(row.row_number, row.object_id, field, mine, theirs, now.updated_at)
            )
    agreement = Agreement(row.object_id, frozen(agreed), now.updated_at) if agreed else None
    return _Checked(unchanged=row, agreement=agreement, incoming=tuple(changes))


def incoming_agreements(changes: Iterable[IncomingChange]) -> list[Agreement]:
    """What the snapshot takes once incoming changes are in the sheet."""
    grouped: dict[str, dict[str, FieldValue]] = {}
    stamps: dict[str, str] = {}
    for change in changes:
        grouped.setdefault(change.object_id, {})[change.field] = change.new
        stamps[change.object_id] = change.hubspot_updated_at
    return [Agreement(oid, frozen(values), stamps[oid]) for oid, values in grouped.items()]


def _gone_problem(update: PlannedUpdate, known: _Known) -> RowProblem:
    label = known.labels.get("objectId", "objectId")
    object_id = update.object_id
    if object_id in known.snapshot:
        message = Text("row.deleted_in_hubspot", label=label, object_id=object_id)
    else:
        message = Text("row.not_in_hubspot", label=label, object_id=object_id)
    return RowProblem(update.row_number, label, ProblemCode.NOT_IN_HUBSPOT, message)


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
