"""The participants run: read each participants sheet -> plan its rows -> ask HubSpot which
emails it has -> send by event and state -> annotate the rows -> advance the state.

On top, beside run.py (the events' loop): `plan` is this without the send and the
write. Every participants file is read before the events run sends anything (a file to
fix stops the run with nothing sent). A row's results come from what HubSpot confirmed,
kept in the state (format 6): a write that did not reach the file is made by the next
sync, which sends nothing for rows HubSpot has as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from eventsync.config import CREATE_CONTACTS_SETTING, Settings
from eventsync.errors import ExitCode, SheetError, TryLaterError
from eventsync.event_lookups import with_events
from eventsync.hubspot.attendance import (
    AttendanceAnswer,
    AttendanceInput,
    KnownContacts,
    attendance_splitter,
    read_known_emails,
    record_attendance,
)
from eventsync.hubspot.client import HubSpotClient
from eventsync.messages import Language, Text, command, joined, localise, reason
from eventsync.model import FileStamp, Stop
from eventsync.participant_mapping import ParticipantMapping
from eventsync.participants_two_way import Breakdowns, from_hubspot, two_way_notes
from eventsync.plan.participant_events import Lookup, is_pending, pending_message
from eventsync.plan.participants import (
    BadRow,
    Hold,
    ParticipantsPlan,
    Participation,
    Sent,
    attendance_batches,
    changed_emails,
    email_key,
    flag_duplicates,
    plan_participants,
    read_row,
)
from eventsync.plan.participants_two_way import TwoWay
from eventsync.sheets.participants_sheet import (
    CONTACT_ID,
    NO_MAPPING,
    SENT_AT,
    SYNC_ERROR,
    ParticipantsSheet,
    has_participants,
    is_participants_file,
    read_participants,
    result_cells,
    write_results,
)
from eventsync.sheets.writer import not_written
from eventsync.state.participations import ConfirmedParticipation, known_contacts, sent_at_text
from eventsync.state.snapshot import SnapshotStore


def split_participants(
    paths: Sequence[Path], mapping: ParticipantMapping = NO_MAPPING
) -> tuple[list[Path], list[Path]]:
    """(events sheets, participants files) among the sheets a run reads; `mapping`: the
    headers of other tools' exports (EVENTSYNC_PARTICIPANTS_COLUMNS). A workbook with a
    Participants sheet beside its events sheet is in both (docs/participants-workbooks.md)."""
    people = [path for path in paths if has_participants(path, mapping)]
    only = {path for path in people if is_participants_file(path, mapping)}
    return [path for path in paths if path not in only], people


def read_all(
    paths: Sequence[Path], mapping: ParticipantMapping = NO_MAPPING
) -> list[ParticipantsSheet]:
    """Every participants file, read; all unusable files reported together (exit 2)."""
    sheets, problems = [], []
    for path in paths:
        try:
            sheets.append(read_participants(path, mapping))
        except SheetError as error:
            problems.append(reason(error))
    if problems:
        raise SheetError(joined(problems, "\n"))
    return sheets


@dataclass(frozen=True)
class SheetOutcome:
    """One participants sheet planned (and with `sent`, synced)."""

    sheet: ParticipantsSheet
    plan: ParticipantsPlan
    contacts: KnownContacts
    allow_create: bool
    sent: int = 0
    failed: tuple[tuple[int, str], ...] = ()  # (row, message) HubSpot did not confirm
    warning: str | None = None
    own_version: FileStamp | None = None  # the file as the results were written into it
    two_way: TwoWay | None = None  # with --two-way: what HubSpot's breakdown brought


@dataclass(frozen=True)
class ParticipantsResult:
    sheets: tuple[SheetOutcome, ...] = ()
    stop: Stop | None = None
    sending: bool = False

    @property
    def exit_code(self) -> ExitCode:
        if self.stop is not None:
            return ExitCode(self.stop.exit_code)
        # (Rows with problems: 1 for `plan` too, as for events sheets.)
        if any(s.failed or s.plan.bad or s.warning for s in self.sheets):
            return ExitCode.ROWS_FAILED
        return ExitCode.OK


def _now() -> datetime:
    return datetime.now(UTC)


def run_participants(
    sheets: Sequence[ParticipantsSheet],
    settings: Settings,
    store: SnapshotStore,
    client: HubSpotClient | None,
    *,
    send: bool,
    allow_create: bool,
    now: Callable[[], datetime] = _now,
    stop: Stop | None = None,
    two_way: bool = False,
) -> ParticipantsResult:
    """Plan every participants sheet and, with `send`, sync it. `stop`: the events run
    stopped (nothing more is sent; a run cut short annotates nothing either). `two_way`:
    each row checked against HubSpot's breakdown first (participants_two_way.py)."""
    outcomes: list[SheetOutcome] = []
    if stop is not None and stop.cut_short:
        return ParticipantsResult((), stop, send)
    asked: dict[str, Lookup] = {}  # external ids HubSpot was asked about (once a run)
    breakdowns: Breakdowns = {}  # events whose breakdown was read (once a run)
    for sheet in sheets:
        sent = _sent(store)
        read = [
            read_row(
                row.row_number,
                row.cells,
                settings.timezone,
                settings.date_order,
                settings.participant_mapping.states,
            )
            for row in sheet.rows
        ]
        resolved, stop = with_events(read, store, client, stop, asked)
        items = flag_duplicates(resolved)
        hubspot = None
        if two_way and client is not None and stop is None:
            named = [i.key for i in resolved if isinstance(i, Participation)]
            found = from_hubspot(
                client, items, named, sent, breakdowns, sent_at=sent_at_text(now())
            )
            hubspot, stop = found.two_way, found.stop
            if hubspot is not None:
                items, sent = list(hubspot.items), dict(hubspot.sent)
        contacts = _contacts(client, settings, changed_emails(items, sent), stop)
        if contacts.stop is not None:
            stop = contacts.stop
        plan = plan_participants(items, sent, contacts.emails, allow_create=allow_create)
        outcome = SheetOutcome(sheet, plan, contacts, allow_create, two_way=hubspot)
        if send and client is not None:
            outcome, stop = _sync(outcome, client, settings, store, stop, now)
        outcomes.append(outcome)
    return ParticipantsResult(tuple(outcomes), stop, send)


def _sent(store: SnapshotStore) -> dict[tuple[str, str], Sent]:
    return {
        key: Sent(c.state, c.interaction_ms, c.joined_at, c.left_at, c.contact_id, c.sent_at)
        for key, c in store.participations().items()
    }


def _contacts(
    client: HubSpotClient | None, settings: Settings, emails: Sequence[str], stop: Stop | None
) -> KnownContacts:
    if not emails:
        return KnownContacts(frozenset())
    if client is None:
        return KnownContacts(None, failed=Text("people.why_no_token"))
    if stop is not None:
        return KnownContacts(None, stop=stop)
    return read_known_emails(client, settings.api_version, emails)


def _sync(
    outcome: SheetOutcome,
    client: HubSpotClient,
    settings: Settings,
    store: SnapshotStore,
    stop: Stop | None,
    now: Callable[[], datetime],
) -> tuple[SheetOutcome, Stop | None]:
    """Send the plan's rows batch by batch (each confirmed batch saved at once), then
    write every row's result into the file."""
    confirmed: dict[int, ConfirmedParticipation] = {}
    failed: dict[int, str] = {}
    contact_ids = {**outcome.contacts.ids, **known_contacts(store.participations())}
    splitter = attendance_splitter()  # (one per sheet: it learns which refusals repeat)
    for batch in attendance_batches(outcome.plan.to_send):
        if stop is not None:
            failed.update({row.row_number: stop.row_message for row in batch.rows})
            continue
        moment = now()
        at_ms = int(moment.timestamp() * 1000)
        inputs = [
            AttendanceInput(
                row.email,
                row.interaction_ms if row.interaction_ms is not None else at_ms,
                row.joined_at,
                row.left_at,
            )
            for row in batch.rows
        ]
        answer = record_attendance(
            client, settings.api_version, batch.object_id, batch.state, inputs, splitter=splitter
        )
        stop = answer.stop or stop
        done = []
        for row in batch.rows:
            found, error = _row_answer(row, answer, contact_ids)
            if found is not None and error is None:
                one = _confirmed(row, found, moment)
                confirmed[row.row_number] = one
                done.append(one)
            else:
                failed[row.row_number] = error or Text("people.no_result", again=command("sync"))
        store.confirm_participations(done)
    outcome = replace(outcome, sent=len(confirmed), failed=tuple(sorted(failed.items())))
    return _annotate(outcome, confirmed, settings, store), stop


def _row_answer(
    row: Participation, answer: AttendanceAnswer, contact_ids: Mapping[str, str]
) -> tuple[str | None, str | None]:
    """(HubSpot's contact id, the row's error) from its batch's answer. A batch stopped
    part way (a split batch) has confirmed some rows: the others carry the stop."""
    found = answer.contact_ids.get(row.email.lower())
    by_id = answer.errors_by_id.get(contact_ids.get(email_key(row.email), ""))
    error = answer.errors.get(row.email.lower()) or by_id
    if error is None and found is None and answer.stop is not None:
        error = answer.stop.row_message
    return found, error


def _confirmed(row: Participation, contact_id: str, moment: datetime) -> ConfirmedParticipation:
    return ConfirmedParticipation(
        row.object_id,
        email_key(row.email),
        row.email,
        row.state,
        row.interaction_ms,
        row.joined_at,
        row.left_at,
        contact_id,
        sent_at_text(moment),
    )


def _annotate(
    outcome: SheetOutcome,
    confirmed: Mapping[int, ConfirmedParticipation],
    settings: Settings,
    store: SnapshotStore,
) -> SheetOutcome:
    sheet = outcome.sheet
    language: Language = settings.language or ("ja" if sheet.language == "ja" else "en")
    notes: dict[int, dict[str, str]] = {}
    if outcome.two_way is not None:
        # Agreed rows already say what HubSpot has: recorded whether the write works or not.
        store.confirm_participations(_recorded(outcome.two_way.agreed, outcome.two_way))
        sent_states = {number: one.state for number, one in confirmed.items()}
        words: Language = "ja" if sheet.language == "ja" else "en"  # the sheet's own words
        notes = two_way_notes(sheet, outcome.two_way, sent_states, words)
    for row, before in outcome.plan.unchanged:
        notes.setdefault(row.row_number, {}).update(
            {SYNC_ERROR: "", CONTACT_ID: before.contact_id or "", SENT_AT: before.sent_at}
        )
    for number, one in confirmed.items():
        notes.setdefault(number, {}).update(
            {SYNC_ERROR: "", CONTACT_ID: one.contact_id or "", SENT_AT: one.sent_at}
        )
    how = allow_how()
    for row, hold in outcome.plan.held:
        held = pending_message(row) if is_pending(hold) else None
        why = held or _held_message(hold, outcome.contacts, how)
        notes.setdefault(row.row_number, {})[SYNC_ERROR] = localise(why, language)
    for bad in outcome.plan.bad:
        notes.setdefault(bad.row_number, {})[SYNC_ERROR] = localise(bad.message, language)
    for number, message in outcome.failed:
        notes.setdefault(number, {})[SYNC_ERROR] = localise(message, language)
    try:
        written = write_results(sheet, result_cells(sheet, notes), settings.state_dir)
    except (TryLaterError, SheetError, OSError) as error:
        # HubSpot has what it confirmed and the state holds it: the next sync writes it.
        detail = error.strerror if isinstance(error, OSError) else reason(error)
        return replace(outcome, warning=not_written(sheet.name, detail))
    if outcome.two_way is not None:
        # HubSpot's states are in the file now: only now are they the rows' base (recorded
        # before, a failed write would leave the old state to be sent as an edit).
        taken = [row for row in outcome.two_way.taken if row.row_number not in confirmed]
        store.confirm_participations(_recorded(taken, outcome.two_way))
    return replace(outcome, own_version=written)


def _recorded(rows: Sequence[Participation], two_way: TwoWay) -> list[ConfirmedParticipation]:
    """Rows two-way sync records as confirmed without a send, as its base now holds them."""
    found = []
    for row in rows:
        base = two_way.sent[row.key]
        found.append(
            ConfirmedParticipation(
                row.object_id,
                email_key(row.email),
                row.email,
                base.state,
                base.interaction_ms,
                base.joined_at,
                base.left_at,
                base.contact_id,
                base.sent_at,
            )
        )
    return found


def allow_how() -> Text:
    """How the user allows creating contacts."""
    return Text(
        "people.allow",
        setting=CREATE_CONTACTS_SETTING,
        command=command("sync", "--create-contacts"),
    )


def unknown_why(contacts: KnownContacts) -> str:
    """Why HubSpot's contacts are not known (only when `contacts.emails` is None)."""
    if contacts.missing_scope is not None:
        return Text("people.why_scope", scope=contacts.missing_scope)
    if contacts.stop is not None:
        return contacts.stop.message
    return contacts.failed or Text("people.why_no_token")


def _held_message(hold: Hold, contacts: KnownContacts, how: Text) -> Text:
    if hold is Hold.WOULD_CREATE:
        return Text("people.would_create", how=how)
    return Text("people.unknown_contact", why=unknown_why(contacts), how=how)


__all__ = [
    "BadRow",
    "ParticipantsResult",
    "SheetOutcome",
    "allow_how",
    "read_all",
    "run_participants",
    "split_participants",
    "unknown_why",
]
