"""Plan: a participants sheet's rows -> what to send to HubSpot's attendance API, by
event and state, and why each other row is not sent (docs/participants.md).

Pure decisions: emails normalised and matched, bad rows and the same person twice for
one event flagged, rows unchanged since HubSpot last confirmed them left alone, rows
that would create a contact held unless the user allowed it, batches of at most
`ATTENDANCE_LIMIT`. It never reads a file, the state or HubSpot.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from enum import StrEnum
from types import MappingProxyType

from eventsync.dates import DateOrder
from eventsync.messages import Quoted, Text, reason
from eventsync.participant_mapping import state_word
from eventsync.values import parse_datetime, parse_object_id

# Inputs per attendance request. HubSpot publishes no limit (participants-research.md,
# open question 1); 100 is its other batch APIs' limit, and the sandbox's.
ATTENDANCE_LIMIT = 100
STATES = ("register", "attend", "cancel")
_STATE_WORDS = {
    **{state: state for state in STATES},
    "登録": "register",
    "出席": "attend",
    "参加": "attend",
    "キャンセル": "cancel",
}
# What HubSpot takes as an email (the sandbox's rule too): ASCII, local@dotted.domain.
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def state_text(state: str) -> Text:
    """A state as the reader's language names it (登録 / 出席 / キャンセル)."""
    if state == "register":
        return Text("state.register")
    if state == "attend":
        return Text("state.attend")
    return Text("state.cancel")


def normalise_email(typed: str) -> str:
    """The email as sent: full-width letters folded (NFKC), every space removed
    (full-width ones too), lower case (HubSpot keeps emails in lower case)."""
    folded = "".join(unicodedata.normalize("NFKC", typed).split()).lower()
    # Again: lower case and a removed space can leave text NFKC composes (R + ̧ -> ŗ),
    # and the same address must come out of its own normal form.
    return "".join(unicodedata.normalize("NFKC", folded).split())


def email_key(email: str) -> str:
    """The email as matched: normalised and case-folded."""
    return normalise_email(email).casefold()


def is_email(email: str) -> bool:
    return _EMAIL.fullmatch(email) is not None


class Problem(StrEnum):
    """Why a row is not sent: stable codes for --json and tests."""

    NO_EMAIL = "no_email"
    BAD_EMAIL = "bad_email"
    BAD_STATE = "bad_state"
    BAD_OBJECT_ID = "bad_object_id"
    BAD_DATE = "bad_date"
    TIMES_NOT_ATTEND = "times_not_attend"
    DUPLICATE = "duplicate"
    # Two-way sync: the row and HubSpot both changed its state (plan/participants_two_way.py)
    CONFLICT = "conflict"
    # The event a row names (plan/participant_events.py)
    NO_EVENT = "no_event"  # neither objectId nor externalEventId
    EVENT_MISMATCH = "event_mismatch"  # both, naming different events
    UNKNOWN_EXTERNAL_ID = "unknown_external_id"  # no event has it, in the state or HubSpot
    EVENT_UNREAD = "event_unread"  # HubSpot could not be asked which event has it


@dataclass(frozen=True)
class Participation:
    """What one row asks HubSpot to record."""

    row_number: int
    object_id: str
    email: str  # normalised
    state: str  # register, attend or cancel
    interaction_ms: int | None  # None: no interactionDateTime typed
    joined_at: str | None = None  # epoch milliseconds, as text (attend only)
    left_at: str | None = None
    # The externalEventId the row names its event by, without an objectId (None: by
    # objectId); object_id is "" until it is known (plan/participant_events.py).
    external_id: str | None = None

    @property
    def event(self) -> str:
        """The event as far as it is known: its objectId, else the external id named."""
        return self.object_id or self.external_id or ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.event, email_key(self.email))


@dataclass(frozen=True)
class BadRow:
    row_number: int
    problem: Problem
    message: str  # a Text


Item = Participation | BadRow


def read_row(
    row_number: int,
    cells: Mapping[str, str],
    zone: tzinfo,
    order: DateOrder = DateOrder.YMD,
    words: Mapping[str, str] = MappingProxyType({}),
) -> Item:
    """One row's cells (field -> text) -> what it asks for, or why it cannot be sent.
    `words`: a tool's own words for the states (EVENTSYNC_PARTICIPANTS_STATES, as
    participant_mapping.state_word compares them), before eventsync's own."""
    typed_email = cells.get("email", "")
    email = normalise_email(typed_email)
    if not email:
        return BadRow(row_number, Problem.NO_EMAIL, Text("people.no_email"))
    if not is_email(email):
        return BadRow(
            row_number, Problem.BAD_EMAIL, Text("people.bad_email", value=Quoted(typed_email))
        )
    typed_state = cells.get("state", "")
    word = state_word(typed_state)
    state = words.get(word) or _STATE_WORDS.get(word)
    if state is None:
        return BadRow(
            row_number, Problem.BAD_STATE, Text("people.bad_state", value=Quoted(typed_state))
        )
    named = named_event(row_number, cells)
    if isinstance(named, BadRow):
        return named
    object_id, external_id = named
    times = {name: cells.get(name, "").strip() for name in ("joinedAt", "leftAt")}
    if state != "attend" and any(times.values()):
        return BadRow(
            row_number,
            Problem.TIMES_NOT_ATTEND,
            Text("people.times_not_attend", state=state_text(state)),
        )
    moments: dict[str, int | None] = {}
    for name in ("interactionDateTime", "joinedAt", "leftAt"):
        text = cells.get(name, "").strip()
        try:
            moments[name] = _epoch_ms(text, zone, order) if text else None
        except ValueError as error:
            message = Text("people.bad_date", column=name, why=reason(error))
            return BadRow(row_number, Problem.BAD_DATE, message)
    joined, left = moments["joinedAt"], moments["leftAt"]
    return Participation(
        row_number,
        object_id,
        email,
        state,
        moments["interactionDateTime"],
        None if joined is None else str(joined),
        None if left is None else str(left),
        external_id,
    )


def named_event(row_number: int, cells: Mapping[str, str]) -> tuple[str, str | None] | BadRow:
    """(objectId, externalEventId) as the row names its event: by objectId, else by the
    externalEventId of an event eventsync created ("" until plan/participant_events
    resolves it); both are checked against each other there."""
    typed = cells.get("objectId", "").strip()
    external_id = cells.get("externalEventId", "").strip() or None
    if not typed:
        if external_id is None:
            return BadRow(row_number, Problem.NO_EVENT, Text("event_key.none"))
        return "", external_id
    try:
        return parse_object_id(typed), external_id
    except ValueError as error:
        # Named as a date's problem is: in an export, objectId is a column of its own name.
        message = Text("people_files.bad_column", column="objectId", why=reason(error))
        return BadRow(row_number, Problem.BAD_OBJECT_ID, message)


def _epoch_ms(text: str, zone: tzinfo, order: DateOrder) -> int:
    return int(round(parse_datetime(text, zone, order).timestamp() * 1000))


def flag_duplicates(items: Sequence[Item]) -> list[Item]:
    """The same person twice for one event: both rows flagged, neither sent (which of
    them the user means is theirs to say)."""
    seen = Counter(item.key for item in items if isinstance(item, Participation))
    rows: dict[tuple[str, str], list[int]] = {}
    for item in items:
        if isinstance(item, Participation):
            rows.setdefault(item.key, []).append(item.row_number)
    flagged: list[Item] = []
    for item in items:
        if isinstance(item, Participation) and seen[item.key] > 1:
            others = ", ".join(str(n) for n in rows[item.key] if n != item.row_number)
            message = Text("people.duplicate", email=item.email, rows=others)
            flagged.append(BadRow(item.row_number, Problem.DUPLICATE, message))
        else:
            flagged.append(item)
    return flagged


@dataclass(frozen=True)
class Sent:
    """What HubSpot last confirmed for one event and email (from the state)."""

    state: str
    interaction_ms: int | None
    joined_at: str | None
    left_at: str | None
    contact_id: str | None
    sent_at: str


def unchanged(row: Participation, sent: Sent | None) -> bool:
    """Nothing to send: HubSpot confirmed this state and these times (an empty
    interactionDateTime asks for none in particular)."""
    if sent is None:
        return False
    same_time = row.interaction_ms is None or row.interaction_ms == sent.interaction_ms
    return (
        sent.state == row.state
        and same_time
        and (row.joined_at, row.left_at) == (sent.joined_at, sent.left_at)
    )


class Hold(StrEnum):
    """Why a changed row is not sent this run."""

    WOULD_CREATE = "would_create"  # HubSpot has no such contact; creating is not allowed
    UNKNOWN = "unknown"  # whether HubSpot has it could not be read; not allowed to create
    # Named by the externalEventId of an event the events sheet creates, not created yet
    EVENT_PENDING = "event_pending"


@dataclass(frozen=True)
class ParticipantsPlan:
    to_send: tuple[Participation, ...]
    new_contacts: tuple[Participation, ...]  # to send, and HubSpot has no contact for them
    held: tuple[tuple[Participation, Hold], ...]
    unchanged: tuple[tuple[Participation, Sent], ...]
    bad: tuple[BadRow, ...]


def changed_emails(items: Iterable[Item], sent: Mapping[tuple[str, str], Sent]) -> list[str]:
    """The emails of rows to send whose contact is not known yet: what to ask HubSpot
    about (each once, in order)."""
    known = {key[1] for key, s in sent.items() if s.contact_id}
    wanted: dict[str, str] = {}
    for item in items:
        if not isinstance(item, Participation) or not item.object_id:
            continue  # (an event not created yet: its rows are held, whatever the contact)
        if not unchanged(item, sent.get(item.key)):
            key = email_key(item.email)
            if key not in known:
                wanted.setdefault(key, item.email)
    return list(wanted.values())


def plan_participants(
    items: Sequence[Item],
    sent: Mapping[tuple[str, str], Sent],
    known: frozenset[str] | None,
    *,
    allow_create: bool,
) -> ParticipantsPlan:
    """Which rows go: changed rows of contacts HubSpot has (`known`: their email keys;
    None: could not be read), and the others only with `allow_create`."""
    known_ids = {key[1] for key, s in sent.items() if s.contact_id}
    to_send, new, held, same, bad = [], [], [], [], []
    for item in items:
        if isinstance(item, BadRow):
            bad.append(item)
            continue
        if not item.object_id:  # its event is not created yet: sent by the sync that does
            held.append((item, Hold.EVENT_PENDING))
            continue
        before = sent.get(item.key)
        if before is not None and unchanged(item, before):
            same.append((item, before))
            continue
        key = email_key(item.email)
        exists = key in known_ids or (known is not None and key in known)
        if exists:
            to_send.append(item)
        elif allow_create:
            to_send.append(item)
            if known is not None:
                new.append(item)
        else:
            held.append((item, Hold.UNKNOWN if known is None else Hold.WOULD_CREATE))
    return ParticipantsPlan(tuple(to_send), tuple(new), tuple(held), tuple(same), tuple(bad))


@dataclass(frozen=True)
class Batch:
    object_id: str
    state: str
    rows: tuple[Participation, ...]


def attendance_batches(rows: Sequence[Participation], limit: int = ATTENDANCE_LIMIT) -> list[Batch]:
    """One request per event and state (the path names both), at most `limit` inputs
    each; events and states in the order the sheet first names them."""
    groups: dict[tuple[str, str], list[Participation]] = {}
    for row in rows:
        groups.setdefault((row.object_id, row.state), []).append(row)
    return [
        Batch(object_id, state, tuple(group[start : start + limit]))
        for (object_id, state), group in groups.items()
        for start in range(0, len(group), limit)
    ]


@dataclass(frozen=True)
class EventCounts:
    """What `plan` and `sync` say for one event."""

    object_id: str  # (the external id named, for an event not created yet)
    per_state: Mapping[str, int]  # rows to send per state
    # Emails HubSpot has no contact for: sent, they create one (held without permission)
    new_contacts: tuple[str, ...]
    held: int  # rows held back (no permission to create contacts)


def counts_per_event(plan: ParticipantsPlan) -> list[EventCounts]:
    """Rows to send per event and state, and the contacts they would create; events in
    the order of their first row to send, then those with rows held only. One pass over
    the rows: an export of thousands of events is counted as fast as one of twenty."""
    per_state: dict[str, Counter[str]] = {}
    held: Counter[str] = Counter()
    creating: dict[str, dict[str, None]] = {}
    for row in plan.to_send:
        per_state.setdefault(row.event, Counter())[row.state] += 1
    for row, _ in plan.held:
        per_state.setdefault(row.event, Counter())
        held[row.event] += 1
    would_create = (row for row, hold in plan.held if hold is Hold.WOULD_CREATE)
    for row in (*plan.new_contacts, *would_create):
        creating.setdefault(row.event, {})[row.email] = None
    return [
        EventCounts(
            object_id,
            {state: states[state] for state in STATES if states[state]},
            tuple(creating.get(object_id, ())),
            held[object_id],
        )
        for object_id, states in per_state.items()
    ]
