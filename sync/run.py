"""Wiring: read -> build inputs -> plan -> send -> annotate -> advance snapshot.

Each stage lives in its own module; this one only calls them in order, saves the
snapshot after every confirmed batch, and hands results to the report. Every sheet
is read and checked before anything is sent, so a bad file sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .client import HubSpotClient, RunStoppedError
from .config import Settings
from .diff import plan_changes
from .errors import AuthError, EventsyncError, SheetError
from .inputs import build_updates
from .model import Plan, RowOutcome, Sheet, SyncedEvent
from .payload import batches
from .reader import SHEET_SUFFIXES, read_sheet
from .results import Tally, annotations_for, tally
from .snapshot import advance, load_snapshot, save_snapshot
from .writer import WorkbookOpenError, annotate


@dataclass(frozen=True)
class PlannedSheet:
    sheet: Sheet
    plan: Plan


@dataclass
class SheetRun:
    planned: PlannedSheet
    outcomes: dict[str, RowOutcome] = field(default_factory=dict)
    not_sent: dict[str, str] = field(default_factory=dict)
    cells_written: int = 0
    warning: str | None = None

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
        planned.append(PlannedSheet(sheet, plan_changes(built, snapshot, labels)))
    if problems:
        raise SheetError("\n".join(problems))
    return planned


class SnapshotStore:
    """The snapshot in memory and on disk, advanced only by confirmed rows."""

    def __init__(self, settings: Settings):
        self._settings = settings
        self.events = load_snapshot(settings.state_dir, settings.base_url)

    def record(self, outcomes: Sequence[RowOutcome]) -> None:
        if any(o.ok for o in outcomes):
            self.events = advance(self.events, outcomes)
            save_snapshot(self._settings.state_dir, self._settings.base_url, self.events)


Progress = Callable[[int, int], None]


def sync_sheet(
    planned: PlannedSheet,
    client: HubSpotClient,
    settings: Settings,
    store: SnapshotStore,
    progress: Progress = lambda done, total: None,
) -> SheetRun:
    """Send one sheet's changes batch by batch, then annotate it.

    A stop (token refused, daily limit) still annotates what HubSpot confirmed and
    marks the rows not sent, then re-raises so the CLI reports it.
    """
    run = SheetRun(planned)
    updates = planned.plan.updates
    stop: EventsyncError | None = None
    for batch in batches(updates, settings.batch_size):
        try:
            outcomes = client.batch_update(batch)
        except (AuthError, RunStoppedError) as error:
            stop = error
            row_error = getattr(error, "row_error", f"not sent: {error}")
            for update in updates:
                if update.object_id not in run.outcomes:
                    run.not_sent[update.object_id] = row_error
            break
        store.record(outcomes)
        run.outcomes.update({o.object_id: o for o in outcomes})
        progress(len(run.outcomes), len(updates))
    notes = annotations_for(planned.plan, run.outcomes, run.not_sent, store.events)
    try:
        run.cells_written = annotate(planned.sheet, notes, settings.state_dir)
    except WorkbookOpenError as error:
        run.warning = str(error)
    if stop is not None:
        raise SheetRunStopped(run, stop)
    return run


class SheetRunStopped(Exception):
    """Carries the partial run of a sheet together with the reason the run stopped."""

    def __init__(self, run: SheetRun, reason: EventsyncError):
        super().__init__(str(reason))
        self.run = run
        self.reason = reason
