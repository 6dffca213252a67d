"""Advance state: the participants HubSpot confirmed (format 6), per portal, event and
email: what a later sync compares a participants sheet's rows with, so that only rows
that changed are sent again.

State stage: it reads and writes the state database only; it never reads a sheet and
never talks to HubSpot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from eventsync.state.database import StateDatabase


def sent_at_text(moment: datetime) -> str:
    """A moment (UTC) as a participation's `sentAt` holds it: ISO 8601 to the second."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class ConfirmedParticipation:
    """One participant as HubSpot last confirmed it."""

    object_id: str
    email_key: str  # the email as matched (NFKC, no spaces, case-folded)
    email: str  # as sent
    state: str  # register, attend or cancel
    interaction_ms: int | None  # the row's interactionDateTime (None: none was given)
    joined_at: str | None
    left_at: str | None
    contact_id: str | None  # HubSpot's vid
    sent_at: str  # when it was sent (ISO 8601, UTC)


Key = tuple[str, str]  # (objectId, email key)


def load_participations(
    database: StateDatabase | None, portal: str
) -> dict[Key, ConfirmedParticipation]:
    """Every participant confirmed in the portal (none without a database yet)."""
    if database is None:
        return {}
    rows = database.rows(
        "SELECT object_id, email_key, email, state, interaction_ms, joined_at, left_at,"
        " contact_id, sent_at FROM participations WHERE portal = ?",
        (portal,),
    )
    found = {}
    for object_id, key, email, state, interaction, joined, left, contact, sent in rows:
        confirmed = ConfirmedParticipation(
            str(object_id),
            str(key),
            str(email),
            str(state),
            interaction if isinstance(interaction, int) else None,
            _text(joined),
            _text(left),
            _text(contact),
            str(sent),
        )
        found[(confirmed.object_id, confirmed.email_key)] = confirmed
    return found


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def save_participations(
    database: StateDatabase, portal: str, confirmed: Iterable[ConfirmedParticipation]
) -> None:
    """These participants as confirmed now, in one transaction."""
    database.write_rows(
        "INSERT OR REPLACE INTO participations (portal, object_id, email_key, email, state,"
        " interaction_ms, joined_at, left_at, contact_id, sent_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                portal,
                c.object_id,
                c.email_key,
                c.email,
                c.state,
                c.interaction_ms,
                c.joined_at,
                c.left_at,
                c.contact_id,
                c.sent_at,
            )
            for c in confirmed
        ),
    )


def known_contacts(confirmed: Mapping[Key, ConfirmedParticipation]) -> dict[str, str]:
    """Email key -> contact id, for every email HubSpot gave a contact id for."""
    return {c.email_key: c.contact_id for c in confirmed.values() if c.contact_id}
