"""The three-way rule for one field: what the two sides last agreed on (the base), the
sheet's value (mine) and HubSpot's now (theirs) decide what becomes of the field.

Plan stage, pure: `decide` looks only at its arguments (no snapshot, no rows, no
HubSpot), so every combination is tested as a table (tests/plan/test_three_way.py), as
urllib3 tests its `Retry`. The callers (plan/conflicts, plan/versions) only gather the
inputs and act on the outcome. It must never decide who wins a conflict by itself: only
the user does, by typing HubSpot's value or by forcing the event.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from eventsync.model import FieldValue
from eventsync.plan.diff import same_value
from eventsync.values import is_blank


class Base(Enum):
    """A base that is not a value: why the snapshot cannot say what both sides agreed on."""

    # The two sides never agreed on this field (a first sync, or a field never synced):
    # a filled cell goes out over whatever HubSpot holds.
    NEVER_AGREED = "never agreed"
    # The row was synced, but this folder has no record of the values (a deleted state
    # folder, synced from another working folder since, an unreadable version) and
    # HubSpot's version is not the row's: nothing tells whose edit a difference is.
    UNRECORDED = "unrecorded"
    # As UNRECORDED, but HubSpot's version is the row's: HubSpot has not changed since
    # the row was synced, so every filled cell that differs is the user's edit.
    UNRECORDED_SAME_VERSION = "unrecorded, same version"
    # The row comes from a copy older than the last agreement (its updatedAt is older
    # than the snapshot's): its cells are old values, not edits.
    OLDER_COPY = "older copy"


class NotRead(Enum):
    """HubSpot's value was not read (--no-remote-check, no token, or not asked yet)."""

    NOT_READ = "not read"


NOT_READ = NotRead.NOT_READ


class Outcome(Enum):
    UNCHANGED = "unchanged"  # nothing to do: neither side changed it (or only eventsync did)
    AGREED = "agreed"  # both sides hold the sheet's value: the snapshot may take it
    SEND = "send"  # the sheet's value goes out, replacing HubSpot's current value
    TAKE = "take"  # HubSpot's value is the newer: not sent; two-way sync writes it in
    CONFLICT = "conflict"  # both changed it differently (or nothing tells whose it is)
    HOLD = "hold"  # HubSpot not read, and only HubSpot could tell an edit from an old value


def decide(
    field: str,
    base: FieldValue | Base,
    mine: FieldValue,
    theirs: FieldValue | NotRead,
    in_flight: Sequence[FieldValue] = (),
    *,
    forced: bool = False,
) -> Outcome:
    """`in_flight`: the values eventsync sent for this field without seeing HubSpot's
    answer (a run killed mid-batch); HubSpot holding one of them is eventsync's own
    write, not a colleague's edit. `forced` (`--force`): the sheet's edits go out even
    over HubSpot's. Blanks are all alike (None, "", spaces); date-times compare as
    instants (`same_value`)."""
    if isinstance(theirs, NotRead):
        return _unread(field, base, mine, forced=forced)
    if _same(field, mine, theirs):
        agreed_before = not isinstance(base, Base) and _same(field, base, mine)
        return Outcome.UNCHANGED if agreed_before else Outcome.AGREED
    edited = _edited(field, base, mine)
    if forced and edited:
        return Outcome.SEND
    if not isinstance(base, Base):
        changed = not _same(field, theirs, base) and not _sent(field, theirs, in_flight)
        return _both(edited, changed)
    if base is Base.OLDER_COPY:
        return Outcome.TAKE
    if base is Base.UNRECORDED:
        return Outcome.CONFLICT if edited else Outcome.TAKE
    # NEVER_AGREED, UNRECORDED_SAME_VERSION: a filled cell is the user's; an empty one
    # may never have been filled (a first sync sends filled cells only): HubSpot's stands.
    return Outcome.SEND if edited else Outcome.TAKE


def _unread(field: str, base: FieldValue | Base, mine: FieldValue, *, forced: bool) -> Outcome:
    """Without HubSpot's value only the snapshot is compared (the two-way check happens
    where HubSpot is read); a base the snapshot cannot give holds the value back."""
    if base in (Base.UNRECORDED, Base.UNRECORDED_SAME_VERSION, Base.OLDER_COPY):
        return Outcome.SEND if forced else Outcome.HOLD
    return Outcome.SEND if _edited(field, base, mine) else Outcome.UNCHANGED


def _both(mine_changed: bool, theirs_changed: bool) -> Outcome:
    """The classic three-way table, both sides measured against a known base."""
    if mine_changed and theirs_changed:
        return Outcome.CONFLICT
    if mine_changed:
        return Outcome.SEND
    if theirs_changed:
        return Outcome.TAKE
    # HubSpot holds what eventsync itself sent unconfirmed, and the sheet the base (the
    # user put it back): neither is an edit to pass on.
    return Outcome.UNCHANGED


def _edited(field: str, base: FieldValue | Base, mine: FieldValue) -> bool:
    """The sheet's value is an edit: it differs from the base, or (no base value) the
    cell is filled. An older copy's cells are what forcing it sends."""
    if base is Base.OLDER_COPY:
        return True
    if isinstance(base, Base):
        return not is_blank(mine)
    return not _same(field, mine, base)


def _sent(field: str, theirs: FieldValue, in_flight: Sequence[FieldValue]) -> bool:
    return any(_same(field, theirs, value) for value in in_flight)


def _same(field: str, a: FieldValue, b: FieldValue) -> bool:
    if a == b:  # the usual case, first: a sheet of thousands of rows asks for every field
        return True
    if is_blank(a) and is_blank(b):
        return True
    return same_value(field, a, b)
