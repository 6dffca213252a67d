"""Creating events: new rows become HubSpot events exactly once (docs/creating-events.md).

On top of the stages, beside the run loop (run.py calls it for each sheet): the state's
record of each create and HubSpot's answers decide (plan/creates); this module does the
I/O around those decisions, in the order that makes a second event impossible:

1. every row with an external id whose create may exist is looked up in HubSpot first
   (`check_creates`: plan does this too, and sends nothing);
2. each new row gets its external id written into the state AND into the row (the
   workbook saved) before anything is sent; a save that fails sends no create;
3. the creates go out by batch upsert keyed by those ids (a resend updates, never
   duplicates); HubSpot's objectId and updatedAt go into the row and the state.

An answer that does not say what HubSpot made leaves the create "in flight" in the
state: the next run looks it up before it may send it again. It never sends a create
for a row whose external id it could not write, nor for an id HubSpot already holds.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo

from eventsync.columns import EXTERNAL_EVENT_ID, OBJECT_ID, header_text, headers_language
from eventsync.config import Settings
from eventsync.errors import RunStoppedError, SheetError, TryLaterError
from eventsync.hubspot.client import HubSpotClient, ReadFailedError
from eventsync.hubspot.created import LookUp, MadeEvent
from eventsync.hubspot.payload import create_input
from eventsync.messages import Moment, Text, command, reason
from eventsync.model import Annotation, CellValue, CreateRecord, Sheet, Stop
from eventsync.plan.creates import (
    CreateRow,
    CreateStatus,
    Decision,
    NewEvent,
    Verdict,
    decide,
    match_results,
    needs_lookup,
)
from eventsync.plan.planned import PlannedSheet
from eventsync.sheets.reader import read_sheet
from eventsync.sheets.writer import annotate
from eventsync.state.snapshot import SnapshotStore

ID_PREFIX = "es-"  # an external id eventsync made: "es-" and 16 random hex digits
ACCOUNT_PREFIX = "eventsync-"
UNKNOWN_ACCOUNT = "eventsync"  # a portal whose account id is not known (no account scope)


def new_external_id() -> str:
    """Unguessable and short; never derived from a row (two rows share one only by
    being copies of each other)."""
    return ID_PREFIX + secrets.token_hex(8)


def external_account_id(portal_key: str) -> str:
    """eventsync's externalAccountId for a portal: `eventsync-<account id>` when HubSpot
    named the account (state/portal.py keys it `hubspot-<id>`), else `eventsync`. Each
    create keeps the one it was sent with (state), so a later change never orphans it."""
    if portal_key.startswith("hubspot-") and portal_key[8:].isdigit():
        return ACCOUNT_PREFIX + portal_key[8:]
    return UNKNOWN_ACCOUNT


def utc_now() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Check:
    """One new row, with what the state and HubSpot said of its external id."""

    new: NewEvent
    record: CreateRecord | None
    decision: Decision
    found: MadeEvent | None = None  # the event a get by external ids returned
    unasked: str | None = None  # HubSpot could not be asked (why): the row is held


def check_creates(
    planned: PlannedSheet,
    client: HubSpotClient | None,
    store: SnapshotStore,
    settings: Settings,
    now: datetime,
) -> tuple[Check, ...]:
    """What each new row of a sheet needs (plan and sync alike): rows with an external
    id are looked up in HubSpot when the state cannot say what became of them."""
    if not planned.creates:
        return ()
    records = store.creates()
    account = external_account_id(store.portal)
    window = timedelta(minutes=settings.create_check_minutes)
    checks = []
    for new in planned.creates:
        if new.external_id is None:
            checks.append(Check(new, None, Decision(Verdict.SEND)))
            continue
        record = records.get(new.external_id)
        if not needs_lookup(record):
            checks.append(Check(new, record, decide(record, (), now, window)))
            continue
        if client is None:
            checks.append(Check(new, record, Decision(Verdict.HOLD), unasked="no token"))
            continue
        looked = client.look_up(new.external_id, record.account if record else account)
        if looked.failed or looked.stop:
            why = looked.failed or (looked.stop.message if looked.stop else "")
            checks.append(Check(new, record, Decision(Verdict.HOLD), unasked=why))
            continue
        found = next((e for e in looked.found if isinstance(e, MadeEvent)), None)
        checks.append(Check(new, record, decide(record, looked.object_ids, now, window), found))
    return tuple(checks)


def planned_rows(
    sheet: Sheet, checks: Sequence[Check], zone: tzinfo = UTC
) -> tuple[CreateRow, ...]:
    """What `plan` says of each new row (nothing is sent)."""
    column = sheet.column_label(EXTERNAL_EVENT_ID)
    rows = []
    for check in checks:
        status = {
            Verdict.SEND: CreateStatus.WOULD_CREATE,
            Verdict.ADOPT: CreateStatus.ADOPTED,
            Verdict.HOLD: CreateStatus.HELD,
            Verdict.REFUSE: CreateStatus.REFUSED,
        }[check.decision.verdict]
        rows.append(
            CreateRow(
                check.new.row_number,
                check.new.external_id,
                status,
                check.decision.object_id,
                message=_message(check, column, zone),
                values=check.new.values,
            )
        )
    return tuple(rows)


def _message(check: Check, column: str, zone: tzinfo) -> str:
    """What the row's syncError says of a create not done in this run ("": nothing)."""
    decision = check.decision
    if decision.verdict is Verdict.HOLD:
        if check.unasked is not None:
            return Text("create.unasked", why=check.unasked, again=command("sync"))
        after = decision.retry_after
        return Text(
            "create.checking",
            at=Moment(stamp(after), zone) if after else "",
            again=command("sync"),
        )
    if decision.verdict is Verdict.REFUSE:
        if check.record is None:
            return Text("create.unknown_id", column=column)
        return Text("create.several", column=column)
    return ""


@dataclass(frozen=True)
class Created:
    """A sheet's creates after a sync: each row's outcome, what goes into the file."""

    rows: tuple[CreateRow, ...] = ()
    values: dict[tuple[int, int], CellValue] | None = None
    notes: dict[int, Annotation] | None = None
    sheet: Sheet | None = None  # the sheet as written ahead (None: the file untouched)
    stop: Stop | None = None


def create_events(
    planned: PlannedSheet,
    client: HubSpotClient,
    settings: Settings,
    store: SnapshotStore,
    *,
    now: Callable[[], datetime] = utc_now,
    stop: Stop | None = None,
) -> Created:
    """Look up, write ahead, send and record one sheet's creates (see the module).
    `stop` (met before this sheet's turn): nothing is asked or sent."""
    if not planned.creates:
        return Created()
    if stop is not None:
        held = tuple(
            CreateRow(n.row_number, n.external_id, CreateStatus.NOT_SENT, message=stop.row_message)
            for n in planned.creates
        )
        return Created(held, *cells_for(planned.sheet, held), None, stop)
    checks = check_creates(planned, client, store, settings, now())
    rows: dict[int, CreateRow] = {}
    for check in checks:
        if check.decision.verdict in (Verdict.HOLD, Verdict.REFUSE):
            rows[check.new.row_number] = planned_rows(planned.sheet, [check], settings.timezone)[0]
        elif check.decision.verdict is Verdict.ADOPT:
            rows[check.new.row_number] = _adopt(check, client, store, planned.sheet.name)
    to_send = [c for c in checks if c.decision.verdict is Verdict.SEND]
    sheet = planned.sheet
    if to_send:
        ahead = _write_ahead(sheet, to_send, store, settings)
        for check in ahead.unwritten:
            rows[check.new.row_number] = _row(check, CreateStatus.FAILED, ahead.why)
        sheet = ahead.sheet or sheet
        if ahead.records:
            outcome, stop = _send(ahead.records, client, store, settings, sheet.name, now)
            rows.update(outcome)
    ordered = tuple(rows[n] for n in sorted(rows))
    values, notes = cells_for(sheet, ordered)
    return Created(ordered, values, notes, sheet if sheet is not planned.sheet else None, stop)


def _row(check: Check, status: CreateStatus, message: str) -> CreateRow:
    return CreateRow(
        check.new.row_number,
        check.new.external_id,
        status,
        message=message,
        values=check.new.values,
    )


def _adopt(check: Check, client: HubSpotClient, store: SnapshotStore, sheet: str) -> CreateRow:
    """HubSpot has the event: its id goes into the row, nothing is sent. With the
    state's record of what was sent, the event's state is that, at HubSpot's version."""
    object_id = check.decision.object_id or ""
    known = store.events.get(object_id)
    record = check.record
    updated_at = check.found.updated_at if check.found else None
    if record is not None and record.object_id is None:
        if updated_at is None:
            updated_at = _version_of(client, object_id)
        if updated_at is not None:
            store.record_created([(record, object_id, updated_at)], sheet=sheet)
    elif known is not None and record is not None:
        updated_at = known.updated_at
    else:
        updated_at = None  # an id the state never had: the next sync compares with HubSpot
    return CreateRow(
        check.new.row_number,
        check.new.external_id,
        CreateStatus.ADOPTED,
        object_id,
        updated_at,
        values=check.new.values,
    )


@dataclass(frozen=True)
class WriteAhead:
    records: list[CreateRecord]  # the creates whose external id is in the file: to send
    sheet: Sheet | None  # the file as written (None: unchanged, or not written)
    unwritten: list[Check]  # new rows whose id did not reach the file: not sent
    why: str = ""  # what the unwritten rows say


def _version_of(client: HubSpotClient, object_id: str) -> str | None:
    """The event's updatedAt (found by the identifiers lookup, which gives none); None
    when it cannot be read now: the row gets its id, and its next sync compares."""
    try:
        event = client.get_event(object_id)
    except (ReadFailedError, RunStoppedError):
        return None
    return event.updated_at if event else None


def _write_ahead(
    sheet: Sheet, checks: Sequence[Check], store: SnapshotStore, settings: Settings
) -> WriteAhead:
    """Give each new row an external id: in the state, then in the file. Only the
    creates whose id is in the file may be sent."""
    account = external_account_id(store.portal)
    # Sent again (never sent, or not found after the window): with the row as it is now.
    known = [
        replace(c.record, values=c.new.values, row_number=c.new.row_number, sheet=sheet.name)
        for c in checks
        if c.new.external_id is not None and c.record is not None
    ]
    fresh = {
        c.new.row_number: CreateRecord(
            new_external_id(), account, sheet.name, c.new.row_number, c.new.values
        )
        for c in checks
        if c.new.external_id is None
    }
    if not fresh:
        return WriteAhead(known, None, [])
    store.save_creates(list(fresh.values()))
    column, header = id_column(sheet)
    values: dict[tuple[int, int], CellValue] = {
        (row, column): record.external_id for row, record in fresh.items()
    }
    if header:
        values[(sheet.header_row, column)] = header
    unwritten = [c for c in checks if c.new.row_number in fresh]
    try:
        written = annotate(sheet, {}, settings.state_dir, values=values)
        again = read_sheet(sheet.path)
    except (TryLaterError, SheetError, OSError) as error:
        detail = error.strerror if isinstance(error, OSError) else reason(error)
        why = Text("create.not_written", file=sheet.name, detail=detail, again=command("sync"))
        return WriteAhead(known, None, unwritten, why)
    landed = {row for row, _ in written.values}
    lost = [c for c in unwritten if c.new.row_number not in landed]
    sent = known + [record for row, record in fresh.items() if row in landed]
    why = Text("create.not_written", file=sheet.name, detail="", again=command("sync"))
    # The results go into the file as read again only when it is exactly the version
    # written (same rows, same numbers); after a save by the user they are placed by
    # objectId, and a created row's id, placed nowhere, comes from the state next run.
    same = not written.into_later_save and again.stamp == written.version
    return WriteAhead(sent, again if same else None, lost, why if lost else "")


def id_column(sheet: Sheet) -> tuple[int, str | None]:
    """The externalEventId column: the sheet's own, else the first free column right of
    the header (and its header text, in the sheet's language)."""
    header = sheet.headers.get(EXTERNAL_EVENT_ID)
    if header is not None:
        return header.column_number, None
    column = sheet.last_column + 1
    while column in sheet.occupied_columns:
        column += 1
    labels = {name: cell.text for name, cell in sheet.headers.items()}
    return column, header_text(EXTERNAL_EVENT_ID, headers_language(labels))


def _send(
    records: Sequence[CreateRecord],
    client: HubSpotClient,
    store: SnapshotStore,
    settings: Settings,
    sheet: str,
    now: Callable[[], datetime],
) -> tuple[dict[int, CreateRow], Stop | None]:
    """The creates in batches by upsert, each batch marked sent in the state first."""
    rows: dict[int, CreateRow] = {}
    size = settings.batch_size
    for start in range(0, len(records), size):
        batch = list(records[start : start + size])
        sent, stop = _send_batch(batch, client, store, sheet, now)
        rows.update(sent)
        if stop is not None:
            for record in records[start + size :]:
                rows[record.row_number] = _not_sent(record, stop)
            return rows, stop
    return rows, None


def _not_sent(record: CreateRecord, stop: Stop) -> CreateRow:
    return CreateRow(
        record.row_number,
        record.external_id,
        CreateStatus.NOT_SENT,
        message=stop.row_message,
        values=record.values,
    )


def _send_batch(
    batch: list[CreateRecord],
    client: HubSpotClient,
    store: SnapshotStore,
    sheet: str,
    now: Callable[[], datetime],
) -> tuple[dict[int, CreateRow], Stop | None]:
    before = {r.external_id: r for r in batch}
    marked = [replace(r, sent_at=stamp(now())) for r in batch]
    store.save_creates(marked)  # in flight from here: a kill leaves it to be looked up
    answer = client.upsert_events(
        [create_input(r.values, r.external_id, r.account) for r in marked]
    )
    if answer.stop is not None or answer.refused is not None:
        # Nothing was made (a refusal or a refused token): as it was before the send.
        store.save_creates([before[r.external_id] for r in marked])
        if answer.stop is not None:
            return {r.row_number: _not_sent(r, answer.stop) for r in marked}, answer.stop
        if len(marked) > 1:  # one bad row refuses the batch: each alone says which
            rows: dict[int, CreateRow] = {}
            for record in batch:
                one, stop = _send_batch([record], client, store, sheet, now)
                rows.update(one)
                if stop is not None:
                    return rows, stop
            return rows, None
        message = Text("create.refused", why=answer.refused)
        return {marked[0].row_number: _failed(marked[0], message)}, None
    pairs = match_results([r.values for r in marked], [e.echoed for e in answer.made])
    made: dict[int, MadeEvent] = {i: answer.made[r] for i, r in pairs.items()}
    for index, record in enumerate(marked):
        if index not in made:
            looked: LookUp = client.read_created(record.external_id, record.account)
            event = next((e for e in looked.found if isinstance(e, MadeEvent)), None)
            if event is not None:
                made[index] = event
    created = [(marked[i], e.object_id, e.updated_at) for i, e in sorted(made.items())]
    store.record_created(created, sheet=sheet)
    rows = {
        record.row_number: CreateRow(
            record.row_number,
            record.external_id,
            CreateStatus.CREATED,
            object_id,
            updated_at,
            values=record.values,
        )
        for record, object_id, updated_at in created
    }
    for index, record in enumerate(marked):
        if index not in made:
            message = Text("create.unclear", why=answer.unclear or "", again=command("sync"))
            rows[record.row_number] = _failed(record, message, CreateStatus.UNCLEAR)
    return rows, None


def _failed(
    record: CreateRecord, message: str, status: CreateStatus = CreateStatus.FAILED
) -> CreateRow:
    return CreateRow(
        record.row_number, record.external_id, status, message=message, values=record.values
    )


def cells_for(
    sheet: Sheet, rows: Sequence[CreateRow]
) -> tuple[dict[tuple[int, int], CellValue], dict[int, Annotation]]:
    """What the file gets: objectId cells for events HubSpot holds, and each row's
    updatedAt / syncError."""
    column = sheet.headers[OBJECT_ID].column_number
    values: dict[tuple[int, int], CellValue] = {}
    notes: dict[int, Annotation] = {}
    for row in rows:
        if row.object_id is not None:
            values[(row.row_number, column)] = int(row.object_id)
        notes[row.row_number] = Annotation(row.updated_at, row.message)
    return values, notes
