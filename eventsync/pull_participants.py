"""Pull's participants: each event's breakdown read from HubSpot -> the Participants
sheet of the pulled workbook (`参加者` in a Japanese one), and the state's confirmed
participations, so that a sync of that workbook sends nothing for them
(docs/participants.md, "Participants from HubSpot: pull --participants").

On top, beside pull.py: it wires hubspot/breakdown.py (the read), plan/pulled_participants.py
(what each row says) and the sheet writer; it never writes the workbook or the state
itself (pull does, once the workbook is written).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from eventsync.columns import Kind
from eventsync.hubspot.breakdown import read_breakdown
from eventsync.hubspot.client import HubSpotClient
from eventsync.messages import Language, localise
from eventsync.model import CellValue
from eventsync.plan.participants import state_text
from eventsync.plan.pulled_participants import (
    HUBSPOT_STATE_WORDS,
    PulledParticipant,
    pulled_participants,
)
from eventsync.sheets.participants_sheet import (
    ATTENDANCE_STATE,
    CONTACT_ID,
    EMAIL,
    INTERACTION,
    JOINED,
    LEFT,
    OBJECT_ID,
    STATE,
    header_text,
)
from eventsync.sheets.pulled import SideSheet
from eventsync.sheets.sheet_choice import participants_sheet_name
from eventsync.state.participations import ConfirmedParticipation, sent_at_text

# The columns, as a participants sheet's reader knows them: the template's, then HubSpot's
# contact id and its own state (read only). joinedAt / leftAt stay empty (the breakdown
# gives a duration, not the times) for the user to fill.
FIELDS = (EMAIL, OBJECT_ID, STATE, INTERACTION, JOINED, LEFT, CONTACT_ID, ATTENDANCE_STATE)
KINDS = (
    Kind.TEXT,
    Kind.ID,
    Kind.TEXT,
    Kind.DATETIME,
    Kind.DATETIME,
    Kind.DATETIME,
    Kind.TEXT,
    Kind.TEXT,
)
# (events read so far, of how many, participants so far): the CLI's progress line.
Progress = Callable[[int, int, int], None]


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class PeoplePull:
    """`pull --participants`: how far the reads are told, and the clock of `sentAt`."""

    on_progress: Progress | None = None
    now: Callable[[], datetime] = _now


@dataclass(frozen=True)
class PulledPeople:
    rows: tuple[PulledParticipant, ...]  # events in the order given, each by email
    events: int  # events with at least one row


def read_people(
    client: HubSpotClient,
    object_ids: Sequence[str],
    zone: tzinfo,
    *,
    on_progress: Progress | None = None,
) -> PulledPeople:
    """Every event's breakdown, one event after another (at least one request each:
    HubSpot has no breakdown of several events)."""
    rows: list[PulledParticipant] = []
    events = 0
    for done, object_id in enumerate(object_ids, 1):
        counted = len(rows)

        def page_read(count: int, *, done: int = done - 1, counted: int = counted) -> None:
            if on_progress is not None and count:
                on_progress(done, len(object_ids), counted + count)

        found = pulled_participants(read_breakdown(client, object_id, on_page=page_read), zone)
        rows += found
        events += bool(found)
        if on_progress is not None:
            on_progress(done, len(object_ids), len(rows))
    return PulledPeople(tuple(rows), events)


def people_sheet(people: PulledPeople, lang: str) -> SideSheet:
    """The Participants sheet: headers and words in the workbook's language."""
    language: Language = "ja" if lang == "ja" else "en"
    return SideSheet(
        participants_sheet_name(language),
        tuple(header_text(field, language) for field in FIELDS),
        KINDS,
        [_cells(row, language) for row in people.rows],
    )


def _cells(row: PulledParticipant, language: Language) -> list[CellValue]:
    return [
        row.email,
        int(row.object_id),
        localise(state_text(row.state), language),
        row.interaction,
        None,
        None,
        row.contact_id,
        localise(HUBSPOT_STATE_WORDS[row.hubspot_state], language),
    ]


def confirmed_people(people: PulledPeople, moment: datetime) -> list[ConfirmedParticipation]:
    """What the state records: each row as HubSpot has it now (no attendance times: the
    row has none either), `sentAt` the moment of the pull."""
    at = sent_at_text(moment)
    return [
        ConfirmedParticipation(
            row.object_id,
            row.email_key,
            row.email,
            row.state,
            row.interaction_ms,
            None,
            None,
            row.contact_id,
            at,
        )
        for row in people.rows
    ]
