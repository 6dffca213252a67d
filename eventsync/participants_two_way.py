"""Two-way sync of participants sheets (`sync --two-way`, `plan --two-way`; docs/participants.md,
"Two-way sync of participants"): HubSpot's breakdown of each event a sheet's rows name,
read once a run (hubspot/breakdown.py, paced as every request), the three-way rule
applied (plan/participants_two_way.py), and the cells that brings into the sheet: the
state HubSpot changed, and HubSpot's own state in the read-only `attendanceState` column
where the sheet has one. Those cells are never sent.

On top, beside participants_run.py, which calls it: it never writes a file or the state
itself (participants_run does, the state only once the file holds what it records).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass

from eventsync.errors import AuthError, RunStoppedError
from eventsync.hubspot.breakdown import read_breakdown
from eventsync.hubspot.client import HubSpotClient
from eventsync.messages import Language, localise
from eventsync.model import Stop
from eventsync.plan.participants import Item, Participation, Sent, state_text
from eventsync.plan.participants_two_way import (
    CONFIRMED_WORDS,
    Key,
    Theirs,
    TwoWay,
    apply_two_way,
    hubspot_states,
)
from eventsync.plan.pulled_participants import HUBSPOT_STATE_WORDS
from eventsync.sheets.participants_sheet import ATTENDANCE_STATE, STATE, ParticipantsSheet

# Each event's participations as HubSpot's breakdown had them, read once a run whatever
# the number of sheets naming the event.
Breakdowns = MutableMapping[str, Mapping[Key, Theirs]]


@dataclass(frozen=True)
class FromHubSpot:
    two_way: TwoWay | None  # None: HubSpot could not be read (`stop` says why)
    stop: Stop | None


def from_hubspot(
    client: HubSpotClient,
    items: Sequence[Item],
    named: Iterable[Key],
    sent: Mapping[Key, Sent],
    read: Breakdowns,
    *,
    sent_at: str,
) -> FromHubSpot:
    """Read the breakdown of every event the rows name that this run has not read yet
    (into `read`), then the three-way rule for each row. A stop while reading (the daily
    limit, HubSpot not answering, a scope the key lacks) stops the run: nothing of the
    sheet is sent, its changed rows say why."""
    events = dict.fromkeys(
        i.object_id for i in items if isinstance(i, Participation) and i.object_id
    )
    try:
        for object_id in events:
            if object_id not in read:
                read[object_id] = hubspot_states(read_breakdown(client, object_id))
    except RunStoppedError as error:
        return FromHubSpot(None, error.stop)
    except AuthError as error:  # (a scope the key lacks: said as the events' reads say it)
        message = str(error.args[0])
        return FromHubSpot(None, Stop(message, message, int(error.exit_code)))
    theirs = {key: one for object_id in events for key, one in read[object_id].items()}
    two_way = apply_two_way(
        items, sent, theirs, named=named, read=frozenset(events), sent_at=sent_at
    )
    return FromHubSpot(two_way, None)


def two_way_notes(
    sheet: ParticipantsSheet,
    two_way: TwoWay,
    confirmed: Mapping[int, str],
    language: Language,
) -> dict[int, dict[str, str]]:
    """The cells two-way sync writes, by row: the state HubSpot changed (as the user
    types it, in the sheet's words) and, where the sheet has the column, HubSpot's own
    state (`confirmed`: row -> the state this run sent and HubSpot confirmed, which is
    HubSpot's state now)."""
    notes: dict[int, dict[str, str]] = {}
    words = dict(two_way.words)
    words.update({row: CONFIRMED_WORDS[state] for row, state in confirmed.items()})
    if ATTENDANCE_STATE in sheet.columns:
        for number, word in words.items():
            notes[number] = {ATTENDANCE_STATE: localise(HUBSPOT_STATE_WORDS[word], language)}
    for taken in two_way.taken:
        cells = notes.setdefault(taken.row_number, {})
        cells[STATE] = localise(state_text(taken.state), language)
    return notes
