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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from eventsync.columns import OBJECT_ID
from eventsync.config import Settings
from eventsync.creating.ahead import write_ahead
from eventsync.creating.checks import Check, check_creates, planned_rows, utc_now
from eventsync.creating.sending import send
from eventsync.errors import RunStoppedError
from eventsync.hubspot.client import HubSpotClient, ReadFailedError
from eventsync.model import Annotation, CellValue, Sheet, Stop
from eventsync.plan.creates import CreateRow, CreateStatus, Verdict
from eventsync.plan.planned import PlannedSheet
from eventsync.state.snapshot import SnapshotStore

__all__ = ["Created", "check_creates", "create_events", "planned_rows", "utc_now"]


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
    checks, stop = check_creates(planned, client, store, settings, now())
    rows: dict[int, CreateRow] = {}
    for check in checks:
        if check.decision.verdict in (Verdict.HOLD, Verdict.REFUSE):
            rows[check.new.row_number] = planned_rows(planned.sheet, [check], settings.timezone)[0]
        elif check.decision.verdict is Verdict.ADOPT:
            rows[check.new.row_number] = _adopt(check, client, store, planned.sheet.name)
    to_send = [c for c in checks if c.decision.verdict is Verdict.SEND]
    if stop is not None:  # met while asking: nothing more is written or sent
        for check in to_send:
            rows[check.new.row_number] = _row(check, CreateStatus.NOT_SENT, stop.row_message)
        to_send = []
    sheet = planned.sheet
    if to_send:
        ahead = write_ahead(sheet, to_send, store, settings)
        for check in ahead.unwritten:
            rows[check.new.row_number] = _row(check, CreateStatus.FAILED, ahead.why)
        sheet = ahead.sheet or sheet
        if ahead.records:
            outcome, stop = send(ahead.records, client, store, settings, sheet.name, now)
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


def _version_of(client: HubSpotClient, object_id: str) -> str | None:
    """The event's updatedAt (found by the identifiers lookup, which gives none); None
    when it cannot be read now: the row gets its id, and its next sync compares."""
    try:
        event = client.get_event(object_id)
    except (ReadFailedError, RunStoppedError):
        return None
    return event.updated_at if event else None


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
