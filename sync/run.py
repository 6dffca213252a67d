"""Wiring: read -> build inputs -> plan -> send -> annotate -> advance snapshot.

Each stage lives in its own module; this one only calls them in order, saves the
snapshot after every confirmed batch, and hands results to the report. Every sheet
is read and checked before anything is sent, so a bad file sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from pathlib import Path

from sync.columns import ANNOTATIONS
from sync.config import Settings
from sync.errors import AuthError, EventsyncError, SheetError
from sync.hubspot.client import HubSpotClient, RunStoppedError, confirmed_before_stop
from sync.hubspot.payload import batches
from sync.hubspot.remote import read_remote
from sync.model import Annotation, EventUpdate, Plan, RowOutcome, Sheet, SyncedEvent
from sync.plan.conflicts import (
    Agreement,
    IncomingChange,
    Reconciled,
    incoming_agreements,
    reconcile,
)
from sync.plan.diff import plan_changes
from sync.plan.events import RemoteEvent, cell_value, event_cells
from sync.plan.inputs import build_updates
from sync.plan.results import Tally, annotations_for, tally
from sync.sheets.reader import SHEET_SUFFIXES, read_sheet
from sync.sheets.writer import WorkbookOpenError, annotate
from sync.state.snapshot import advance, agree_all, load_snapshot, remember_seen, save_snapshot


@dataclass(frozen=True)
class PlannedSheet:
    sheet: Sheet
    plan: Plan
    rows: tuple[EventUpdate, ...] = ()  # every valid row, for the three-way check
    reconciled: Reconciled | None = None  # set once HubSpot's current state was read
    portal: Mapping[str, RemoteEvent] | None = None  # every event (two-way sync only)

    @property
    def labels(self) -> dict[str, str]:
        return {name: header.text for name, header in self.sheet.headers.items()}

    @property
    def new_in_hubspot(self) -> list[RemoteEvent]:
        """Events HubSpot has that no row of this sheet names (two-way sync)."""
        if not self.portal:
            return []
        named = {row.object_id for row in self.rows} | {
            str(row.cells.get("objectId")) for row in self.sheet.rows
        }
        return [
            event
            for oid, event in sorted(self.portal.items(), key=lambda i: int(i[0]))
            if oid not in named
        ]


@dataclass
class SheetRun:
    planned: PlannedSheet
    outcomes: dict[str, RowOutcome] = field(default_factory=dict)
    not_sent: dict[str, str] = field(default_factory=dict)
    cells_written: int = 0
    warning: str | None = None
    incoming: tuple[IncomingChange, ...] = ()  # fields brought in from HubSpot (two-way)
    added: tuple[str, ...] = ()  # objectIds appended as new rows (--add-new)

    @property
    def tally(self) -> Tally:
        return tally(len(self.planned.sheet.rows), self.planned.plan, self.outcomes)


def find_sheets(paths: Sequence[str], settings: Settings, cwd: Path) -> list[Path]:
    if paths:
        return [cwd / p for p in paths]
    folder = settings.sheets_dir
    if not folder.is_dir():
        raise SheetError(
            f"{folder}: no sheets folder; create it and put your events workbook in it,"
            " or name the file: eventsync sync PATH"
        )
    found = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in SHEET_SUFFIXES and not p.name.startswith(("~$", "."))
    )
    if not found:
        raise SheetError(
            f"{folder}: no .xlsx, .xlsm or .csv file in it; put your events workbook there"
            " (start from templates/events.xlsx)"
        )
    return found


def plan_sheets(
    paths: Sequence[Path], settings: Settings, snapshot: dict[str, SyncedEvent]
) -> list[PlannedSheet]:
    """Read and plan every sheet; all unusable files are reported together."""
    planned, problems = [], []
    for path in paths:
        try:
            sheet = read_sheet(path)
        except SheetError as error:
            problems.append(str(error))
            continue
        built = build_updates(sheet, settings.timezone)
        labels = {name: header.text for name, header in sheet.headers.items()}
        rows = tuple(item for item in built if isinstance(item, EventUpdate))
        planned.append(PlannedSheet(sheet, plan_changes(built, snapshot, labels), rows))
    if problems:
        raise SheetError("\n".join(problems))
    return planned


class SnapshotStore:
    """The snapshot in memory and on disk, advanced only by confirmed rows."""

    def __init__(self, settings: Settings):
        self._settings = settings
        self.state_dir = settings.state_dir
        self.events = load_snapshot(settings.state_dir, settings.base_url)
        self._encoded: dict = {}  # spares re-encoding unchanged events at each save

    def record(self, outcomes: Sequence[RowOutcome]) -> None:
        if any(o.ok for o in outcomes):
            self.events = advance(self.events, outcomes)
            self._save()

    def settle(self, agreements: Sequence[Agreement], seen: Sequence[tuple[str, Mapping]]) -> None:
        """Record what the three-way check found both sides agree on, and what HubSpot
        values the user is being shown in conflicts."""
        if not agreements and not seen:
            return
        self.events = agree_all(
            self.events, ((a.object_id, a.values, a.updated_at) for a in agreements)
        )
        for object_id, values in seen:
            self.events = remember_seen(self.events, object_id, values)
        self._save()

    def merge(self, events: Mapping[str, SyncedEvent]) -> None:
        """Events both sides agree on as a whole (a pull): they replace what we had."""
        self.events = {**self.events, **events}
        self._save()

    def _save(self) -> None:
        save_snapshot(
            self._settings.state_dir, self._settings.base_url, self.events, encoded=self._encoded
        )


Progress = Callable[[int, int], None]


def check_remote(
    planned: PlannedSheet,
    client: HubSpotClient,
    settings: Settings,
    snapshot: Mapping[str, SyncedEvent],
    *,
    two_way: bool = False,
    force: bool = False,
) -> PlannedSheet:
    """Read HubSpot's current state of the events about to change (every event, for
    two-way sync) and run the three-way check on the plan."""
    plan = planned.plan
    if two_way:
        wanted = [row.object_id for row in planned.rows]
    else:
        wanted = [update.object_id for update in plan.updates]
    if not wanted and not two_way:
        return planned
    known = max(len(snapshot), len(planned.sheet.rows))
    remote, portal = read_remote(
        client, wanted, settings.timezone, known_events=known, everything=two_way
    )
    reconciled = reconcile(
        plan, planned.rows, snapshot, remote, planned.labels, two_way=two_way, force=force
    )
    return replace(planned, plan=reconciled.plan, reconciled=reconciled, portal=portal or None)


def sync_sheet(
    planned: PlannedSheet,
    client: HubSpotClient,
    settings: Settings,
    store: SnapshotStore,
    progress: Progress = lambda done, total: None,
    *,
    add_new: bool = False,
    stopped: EventsyncError | None = None,
) -> SheetRun:
    """Send one sheet's changes batch by batch, then annotate it.

    A stop (token refused, daily limit) still annotates what HubSpot confirmed and
    marks the rows not sent, then re-raises so the CLI reports it. `stopped` (a stop
    met before this sheet's turn) sends nothing and marks every row to send.
    """
    run = SheetRun(planned)
    if planned.reconciled is not None:
        store.settle(planned.reconciled.agreements, planned.reconciled.seen)
    updates = planned.plan.updates
    stop = stopped
    for batch in batches(updates, settings.batch_size) if stop is None else ():
        try:
            outcomes = client.batch_update(batch)
        except (AuthError, RunStoppedError) as error:
            stop = error
            confirmed = confirmed_before_stop(error)  # parts of a split batch
            store.record(confirmed)
            run.outcomes.update({o.object_id: o for o in confirmed})
            break
        store.record(outcomes)
        run.outcomes.update({o.object_id: o for o in outcomes})
        progress(len(run.outcomes), len(updates))
    if stop is not None:
        row_error = getattr(stop, "row_error", f"not sent: {stop}")
        for update in updates:
            if update.object_id not in run.outcomes:
                run.not_sent[update.object_id] = row_error

    notes = annotations_for(planned.plan, run.outcomes, run.not_sent, store.events)
    incoming = planned.reconciled.incoming if planned.reconciled else ()
    values = incoming_cells(planned.sheet, incoming, settings.timezone)
    added = planned.new_in_hubspot if add_new else []
    if added:
        new_values, new_notes = new_rows(planned.sheet, added, settings.timezone)
        values.update(new_values)
        notes.update(new_notes)
    try:
        run.cells_written = annotate(planned.sheet, notes, settings.state_dir, values=values)
    except WorkbookOpenError as error:
        run.warning = str(error)
    else:
        # Only now, with the values in the sheet, do both sides agree on them.
        store.settle(incoming_agreements(incoming), ())
        store.merge(
            {event.object_id: SyncedEvent(event.values, event.updated_at) for event in added}
        )
        run.incoming, run.added = tuple(incoming), tuple(e.object_id for e in added)
    if stop is not None:
        raise SheetRunStopped(run, stop)
    return run


def incoming_cells(sheet: Sheet, incoming: Sequence[IncomingChange], zone: tzinfo) -> dict:
    """HubSpot's values for the cells of fields changed only in HubSpot."""
    cells = {}
    for change in incoming:
        header = sheet.headers.get(change.field)
        if header is not None:
            cells[(change.row_number, header.column_number)] = cell_value(
                change.field, change.new, zone
            )
    return cells


def new_rows(sheet: Sheet, events: Sequence[RemoteEvent], zone: tzinfo) -> tuple[dict, dict]:
    """Rows appended below the last one for events only HubSpot has (--add-new)."""
    fields = [f for f in sheet.headers if f not in ANNOTATIONS]
    last = max([row.row_number for row in sheet.rows], default=1)
    values, notes = {}, {}
    for offset, event in enumerate(events, 1):
        row_number = last + offset
        for name, value in zip(fields, event_cells(event.raw, fields, zone), strict=True):
            if value is not None:
                values[(row_number, sheet.headers[name].column_number)] = value
        notes[row_number] = Annotation(event.updated_at, "")
    return values, notes


class SheetRunStopped(Exception):
    """Carries the partial run of a sheet together with the reason the run stopped."""

    def __init__(self, run: SheetRun, reason: EventsyncError):
        super().__init__(str(reason))
        self.run = run
        self.reason = reason
