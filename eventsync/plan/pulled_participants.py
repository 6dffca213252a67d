"""Plan: HubSpot's per-contact breakdown of an event -> the participants sheet rows
`pull --participants` writes, each as a user would type and sync it (docs/participants.md,
"Participants from HubSpot: pull --participants").

Pure: participations in, rows out. What stands is sent as `register`, `attend` or
`cancel`; HubSpot's own state (a no-show too) rides along read only. It never reads a
file, the state or HubSpot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from eventsync.messages import Text
from eventsync.plan.participants import email_key, normalise_email
from eventsync.portal_model import PortalParticipant
from eventsync.values import parse_datetime

# HubSpot's attendanceState -> what stands, as a row says it. A no-show is a registration
# still standing once the event is over (HubSpot marks it so itself): sent again, it is
# `register`. EMPTY (published in the enum, never described) names no state a row could
# send: such a participation gets no row.
STANDING = {
    "REGISTERED": "register",
    "NO_SHOW": "register",
    "ATTENDED": "attend",
    "CANCELLED": "cancel",
}
# HubSpot's attendanceState -> the word of the read-only column (catalogue keys
# `attendance.<word>` give the Japanese).
HUBSPOT_WORDS = {
    "REGISTERED": "registered",
    "NO_SHOW": "no_show",
    "ATTENDED": "attended",
    "CANCELLED": "cancelled",
}
# Those words as the read-only column shows them (Japanese in a Japanese sheet): the one
# home of them, for `pull --participants` and two-way sync.
HUBSPOT_STATE_WORDS = {
    "registered": Text("attendance.registered"),
    "attended": Text("attendance.attended"),
    "cancelled": Text("attendance.cancelled"),
    "no_show": Text("attendance.no_show"),
}


@dataclass(frozen=True)
class PulledParticipant:
    """One row of the pulled participants sheet, and what the state records of it."""

    object_id: str
    email: str  # normalised, as a sync sends it
    state: str  # register, attend or cancel: what stands
    hubspot_state: str  # registered, attended, cancelled or no_show (read only)
    interaction: datetime | None  # occurredAt as a cell holds it: naive wall clock
    interaction_ms: int | None  # what a sync reads that cell as
    contact_id: str | None

    @property
    def email_key(self) -> str:
        return email_key(self.email)


def pulled_participants(
    found: Iterable[PortalParticipant], zone: tzinfo
) -> list[PulledParticipant]:
    """One event's participations as rows, sorted by email (stable): those with no
    state a row can send (EMPTY, or a word HubSpot has not published) are left out."""
    rows = [_row(one, zone) for one in found if one.attendance_state in STANDING]
    return sorted(rows, key=lambda row: row.email_key)


def _row(one: PortalParticipant, zone: tzinfo) -> PulledParticipant:
    moment = _wall_clock(one.occurred_ms, zone)
    return PulledParticipant(
        one.object_id,
        normalise_email(one.email),
        STANDING[one.attendance_state],
        HUBSPOT_WORDS[one.attendance_state],
        moment,
        None if moment is None else _read_back_ms(moment, zone),
        one.contact_id,
    )


def _wall_clock(occurred_ms: int | None, zone: tzinfo) -> datetime | None:
    """occurredAt in the user's zone, to the minute. The minute, because that is what a
    date-time cell shows ("yyyy-mm-dd hh:mm") and what a participants sheet's date is
    read as wherever the reader takes a cell's shown text: a row pulled to the second
    could read back as another time and be sent again, although nothing changed."""
    if occurred_ms is None:
        return None
    try:
        moment = datetime.fromtimestamp(occurred_ms / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)


def _read_back_ms(moment: datetime, zone: tzinfo) -> int:
    """The epoch ms a sync makes of the cell (plan/participants.read_row's reading, the
    same function), so that the state and the row agree even in an hour a clock change
    repeats."""
    return int(round(parse_datetime(moment, zone).timestamp() * 1000))
