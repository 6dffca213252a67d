"""Row versions: the `updatedAt` a row carries is the HubSpot version it was synced at.

Pure. A row whose version is older than the one HubSpot confirmed for its event since
(the snapshot's) comes from an older copy of the sheet (a copy left in a folder, a CSV
exported before the last sync): its differences from the snapshot are mostly old
values, not edits, so it is not sent. A row without a version (a new template row) is
never stale. Rows of events the snapshot does not know (a deleted or new state folder)
are compared with HubSpot's current values instead (see `conflicts.reconcile`); where
HubSpot is not read they are held back, since nothing tells an edit from an old value
(the rule for each field is `three_way.decide`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from enum import Enum
from functools import lru_cache

from eventsync.columns import UPDATED_AT
from eventsync.messages import Moment, Text, command
from eventsync.model import EventUpdate, Plan, PlannedUpdate, ProblemCode, RowProblem, SyncedEvent
from eventsync.plan.three_way import NOT_READ, Base, Outcome, decide
from eventsync.values import format_utc, parse_utc

# RFC 3339 UTC exactly as `format_utc` writes it (milliseconds only when not .000).
_CANONICAL = re.compile(r"[1-9]\d{3}-\d\d-\d\dT\d\d:\d\d:\d\d(\.(?!000)\d{3})?Z")


def read_version(raw: object) -> str | None:
    """The updatedAt cell as RFC 3339 UTC text; None when empty or not a date-time.

    eventsync writes it as text ("2026-11-30T10:38:41.398Z"); Excel may turn that into
    a date-time cell, which holds no zone: it was UTC text, so it is read as UTC, with
    the float noise of Excel's day fractions rounded off to the millisecond.
    """
    if isinstance(raw, datetime):
        moment = raw.replace(microsecond=0) + timedelta(milliseconds=round(raw.microsecond / 1000))
        return format_utc(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    if isinstance(raw, str) and raw.strip():
        text = raw.strip()
        parsed = parse_utc(text)
        if parsed is not None and _CANONICAL.fullmatch(text):
            return text  # as eventsync writes it and HubSpot sends it: already the answer
        if parsed is not None:
            return format_utc(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC))
    return None


@lru_cache(maxsize=1 << 16)  # a sheet's rows share a few thousand versions at most
def instant(version: str) -> datetime | None:
    moment = parse_utc(version)
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_older(version: str | None, than: str | None) -> bool:
    """`version` is an earlier instant than `than` (False when either is unknown)."""
    if version is None or than is None or version == than:
        return False
    first, second = instant(version), instant(than)
    return first is not None and second is not None and first < second


def same_version(first: str | None, second: str | None) -> bool:
    if first is None or second is None:
        return False
    a, b = instant(first), instant(second)
    return a is not None and a == b


def latest(first: str | None, second: str | None) -> str | None:
    """The later of two versions (either may be unknown)."""
    if first is None:
        return second
    if second is None or not is_older(first, second):
        return first
    return second


def flag_stale(
    plan: Plan,
    rows: Iterable[EventUpdate],
    snapshot: Mapping[str, SyncedEvent],
    labels: Mapping[str, str],
    *,
    force: bool = False,
    force_ids: frozenset[str] = frozenset(),
    zone: tzinfo = UTC,
) -> Plan:
    """`plan` without the rows to send that come from an older copy; each becomes a
    problem naming both times (in `zone`) and the way out. Forced events are sent as
    they are."""
    by_row = {row.row_number: row for row in rows}
    updates: list[PlannedUpdate] = []
    problems = list(plan.problems)
    for update in plan.updates:
        row = by_row.get(update.row_number)
        synced = snapshot.get(update.object_id)
        forced = force or update.object_id in force_ids
        if (
            row is not None
            and synced is not None
            and is_older(row.updated_at, synced.updated_at)
            and held(update, Base.OLDER_COPY, forced=forced)
        ):
            problems.append(_stale_problem(row, synced.updated_at, labels, zone))
        else:
            updates.append(update)
    return Plan(tuple(updates), plan.unchanged, tuple(problems))


def held(update: PlannedUpdate, base: Base, *, forced: bool) -> bool:
    """HubSpot not read, the row's changes from the snapshot on a `base` the snapshot
    cannot vouch for: the three-way rule holds them back (unless forced)."""
    return any(
        decide(change.field, base, change.new, NOT_READ, forced=forced) is Outcome.HOLD
        for change in update.changes
    )


def _stale_problem(
    row: EventUpdate, confirmed: str, labels: Mapping[str, str], zone: tzinfo
) -> RowProblem:
    label = labels.get(UPDATED_AT, UPDATED_AT)
    oid = row.object_id
    return RowProblem(
        row.row_number,
        label,
        ProblemCode.STALE_COPY,
        Text(
            "row.stale_copy",
            label=label,
            row_at=Moment(row.updated_at or "", zone),
            object_id=oid,
            confirmed_at=Moment(confirmed, zone),
            force=command("sync", "--force", oid),
        ),
    )


def unrecorded(rows: Iterable[EventUpdate], snapshot: Mapping[str, SyncedEvent]) -> tuple[str, ...]:
    """Events whose rows carry an updatedAt the snapshot knows nothing of (a deleted or
    new state folder, another clone): HubSpot's current values must serve as the base."""
    return tuple(
        sorted(
            {r.object_id for r in rows if r.synced_before and r.object_id not in snapshot},
            key=int,
        )
    )


def hold_unverified(
    plan: Plan,
    rows: Iterable[EventUpdate],
    snapshot: Mapping[str, SyncedEvent],
    labels: Mapping[str, str],
    *,
    force: bool = False,
    force_ids: frozenset[str] = frozenset(),
    zone: tzinfo = UTC,
) -> Plan:
    """Without HubSpot's current values (--no-remote-check, no token), rows to send that
    only HubSpot could tell apart from old values are not sent (`unverifiable`)."""
    by_row = {r.row_number: r for r in rows}
    updates: list[PlannedUpdate] = []
    problems = list(plan.problems)
    label = labels.get(UPDATED_AT, UPDATED_AT)
    for update in plan.updates:
        row = by_row.get(update.row_number)
        why = None if row is None else unverifiable(row, snapshot.get(row.object_id))
        forced = force or update.object_id in force_ids
        if why is None or row is None or not held(update, Base.UNRECORDED, forced=forced):
            updates.append(update)
            continue
        oid = update.object_id
        check, forcing = command("sync"), command("sync", "--force", oid)
        if why is Unverified.SYNCED_ELSEWHERE:
            known_at = snapshot[oid].updated_at
            text = Text(
                "row.synced_elsewhere",
                label=label,
                row_at=Moment(row.updated_at or "", zone),
                object_id=oid,
                known_at=Moment(known_at, zone),
                check=check,
            )
        elif why is Unverified.VERSION_UNREADABLE:
            text = Text("row.version_unreadable", label=label, check=check, force=forcing)
        else:
            text = Text("row.not_verified", label=label, object_id=oid, check=check, force=forcing)
        problems.append(RowProblem(update.row_number, label, ProblemCode.NOT_VERIFIED, text))
    return Plan(tuple(updates), plan.unchanged, tuple(problems))


class Unverified(Enum):
    """Why a row to send cannot be sent without reading HubSpot first."""

    # Synced once (it carries an updatedAt) but the snapshot does not know the event (a
    # deleted state folder): every filled cell would look like an edit and overwrite
    # whatever colleagues changed in HubSpot since.
    NO_RECORD = "no record of the last sync"
    # Its updatedAt is not a date-time: whether it is an older copy cannot be told.
    VERSION_UNREADABLE = "the row's version cannot be read"
    # Synced after this folder's last sync of the event: from another working folder
    # (its own .eventsync). HubSpot may hold these values already: sending them again
    # would send every edit twice.
    SYNCED_ELSEWHERE = "synced from another working folder since"


def unverifiable(row: EventUpdate, synced: SyncedEvent | None) -> Unverified | None:
    """Pure: why the row, when it differs from the snapshot, needs HubSpot's current
    values before it may be sent; None when the snapshot is base enough (or the row is
    new: nothing was ever synced from it)."""
    if row.version_unreadable:
        return Unverified.VERSION_UNREADABLE
    if row.updated_at is None:
        return None
    if synced is None:
        return Unverified.NO_RECORD
    if is_older(synced.updated_at, row.updated_at):
        return Unverified.SYNCED_ELSEWHERE
    return None


def synced_elsewhere(
    rows: Iterable[EventUpdate], snapshot: Mapping[str, SyncedEvent]
) -> tuple[str, ...]:
    """Events whose rows were synced after this folder's last sync of them (their
    updatedAt is newer than the snapshot's): another working folder syncs the sheet."""
    found = []
    for row in rows:
        synced = snapshot.get(row.object_id)
        if synced is not None and unverifiable(row, synced) is Unverified.SYNCED_ELSEWHERE:
            found.append(row.object_id)
    return tuple(sorted(set(found), key=int))
