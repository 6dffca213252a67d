"""Plan: two-way sync of a participants sheet (`sync --two-way`; docs/participants.md,
"Two-way sync of participants"): each row's state against HubSpot's breakdown and the
state's last confirmed participation, by the three-way rule (plan/three_way.py, the one
rule, for the one field a participation has: its state).

Pure: rows, the base and HubSpot's participations in; the rows as the plan takes them,
what the sheet gets and what is recorded out. It never reads a file, the state or
HubSpot, and never decides a conflict: only the user does.

- HubSpot changed the state, the row did not: HubSpot's state goes into the row's state
  cell (a no-show is HubSpot's registration standing: `register`) and is recorded as
  confirmed; nothing is sent.
- The row changed, HubSpot did not: sent, as without --two-way.
- Both changed, to different states: a conflict; not sent, the row says both.
- Both changed to the same state: recorded as confirmed; nothing is sent.
- HubSpot has no state for the contact (not in the event, or EMPTY): as without --two-way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from eventsync.messages import Text, command
from eventsync.plan.participants import (
    BadRow,
    Item,
    Participation,
    Problem,
    Sent,
    email_key,
    state_text,
)
from eventsync.plan.pulled_participants import HUBSPOT_STATE_WORDS, HUBSPOT_WORDS, STANDING
from eventsync.plan.three_way import Base, Outcome, decide
from eventsync.portal_model import PortalParticipant

Key = tuple[str, str]  # (objectId, email key)
# A sent state -> HubSpot's word for it once confirmed (the read-only column of a row
# this run sent: HubSpot has what it confirmed).
CONFIRMED_WORDS = {"register": "registered", "attend": "attended", "cancel": "cancelled"}


@dataclass(frozen=True)
class Theirs:
    """One contact's participation in one event, as HubSpot's breakdown has it now."""

    state: str  # register, attend or cancel: what stands (a no-show: register)
    word: str  # registered, attended, cancelled or no_show: the read-only column's word
    contact_id: str | None


def hubspot_states(found: Iterable[PortalParticipant]) -> dict[Key, Theirs]:
    """The breakdowns read, by event and email key; participations with no state a row
    could send (EMPTY, a word HubSpot has not published) are left out."""
    return {
        (one.object_id, email_key(one.email)): Theirs(
            STANDING[one.attendance_state], HUBSPOT_WORDS[one.attendance_state], one.contact_id
        )
        for one in found
        if one.attendance_state in STANDING
    }


@dataclass(frozen=True)
class TwoWay:
    """What two-way sync makes of one participants sheet."""

    items: tuple[Item, ...]  # as the plan takes them: taken rows hold HubSpot's state
    sent: Mapping[Key, Sent]  # the base, with taken and agreed rows as confirmed now
    taken: tuple[Participation, ...]  # rows whose state cell gets HubSpot's
    agreed: tuple[Participation, ...]  # rows both sides changed to the same state
    conflicts: tuple[BadRow, ...]
    words: Mapping[int, str]  # row -> HubSpot's word for its read-only column
    missing: int  # contacts HubSpot has in the sheet's events that the sheet lacks

    @property
    def recorded(self) -> tuple[Participation, ...]:
        """Rows recorded as confirmed without a send: HubSpot's, and agreed."""
        return (*self.agreed, *self.taken)


def apply_two_way(
    items: Sequence[Item],
    sent: Mapping[Key, Sent],
    theirs: Mapping[Key, Theirs],
    *,
    named: Iterable[Key],
    read: frozenset[str],
    sent_at: str,
) -> TwoWay:
    """Each row by the three-way rule. `named`: every (event, email) the sheet's rows
    name (duplicates too: they are in the sheet); `read`: the events whose breakdown was
    read (a row of another event goes on as without --two-way); `sent_at`: now, for what
    is recorded."""
    rows: list[Item] = []
    base = dict(sent)
    taken, agreed, conflicts, words = [], [], [], {}
    for item in items:
        hubspot = theirs.get(item.key) if isinstance(item, Participation) else None
        if hubspot is None or not isinstance(item, Participation):
            rows.append(item)
            continue
        words[item.row_number] = hubspot.word
        before = sent.get(item.key)
        outcome = decide_state(before.state if before else None, item.state, hubspot.state)
        if outcome is Outcome.CONFLICT:
            conflicts.append(conflict_row(item, hubspot))
            rows.append(conflicts[-1])
            continue
        if outcome is Outcome.TAKE:
            item = replace(item, state=hubspot.state)
            taken.append(item)
        elif outcome is Outcome.AGREED:
            agreed.append(item)
        if outcome in (Outcome.TAKE, Outcome.AGREED):
            base[item.key] = _recorded(item, before, hubspot, sent_at)
        rows.append(item)
    in_sheet = set(named)
    missing = sum(1 for key in theirs if key[0] in read and key not in in_sheet)
    return TwoWay(tuple(rows), base, tuple(taken), tuple(agreed), tuple(conflicts), words, missing)


def decide_state(base: str | None, mine: str, theirs: str) -> Outcome:
    """The three-way rule for a row's state (None: never confirmed; a filled state cell
    then goes out, as a first sync's does)."""
    return decide("state", Base.NEVER_AGREED if base is None else base, mine, theirs)


def _recorded(row: Participation, before: Sent | None, theirs: Theirs, sent_at: str) -> Sent:
    """What the state records of a row taken or agreed: HubSpot's state, the times last
    confirmed (a time the user changed since still differs, and is sent by this run)."""
    if before is None:
        return Sent(
            row.state, row.interaction_ms, row.joined_at, row.left_at, theirs.contact_id, sent_at
        )
    return Sent(
        row.state,
        before.interaction_ms,
        before.joined_at,
        before.left_at,
        theirs.contact_id or before.contact_id,
        sent_at,
    )


def conflict_row(row: Participation, theirs: Theirs) -> BadRow:
    """Both sides changed the row's state since the last sync, differently: the row says
    both and what to do (as an events row's conflict does: conflict.row)."""
    message = Text(
        "people_two_way.conflict",
        mine=state_text(row.state),
        theirs=state_text(theirs.state),
        word=HUBSPOT_STATE_WORDS[theirs.word],
        sync=command("sync"),
    )
    return BadRow(row.row_number, Problem.CONFLICT, message)
