"""The run loop: read -> build inputs -> plan -> check HubSpot -> send -> annotate -> advance.

One loop for `plan` and `sync`: `plan` is `sync` without the send and without the
write. Every sheet is read, planned, checked against HubSpot and checked for cells the
writer would refuse before the first request that changes anything, so a bad file or a
refused token sends nothing. A stop in mid-run (daily limit, token refused) is a value
(`model.Stop`): what HubSpot confirmed before it is saved and annotated, the rest is
marked "not sent" (not after a stop asked for), and later sheets send nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from eventsync.columns import LIFECYCLE
from eventsync.config import Settings
from eventsync.creating import check_creates, create_events, planned_rows, utc_now
from eventsync.errors import (
    RunStoppedError,
    SheetError,
    TryLaterError,
    stop_error,
)
from eventsync.hubspot.client import HubSpotClient
from eventsync.hubspot.payload import batches
from eventsync.hubspot.probe import confirm_access
from eventsync.hubspot.remote import read_remote
from eventsync.language import sheet_language
from eventsync.lifecycle import Archived, DeletedEvent, DeleteKind
from eventsync.messages import Text, joined, reason
from eventsync.model import (
    Annotation,
    CellValue,
    EventUpdate,
    RowOutcome,
    Stop,
    SyncedEvent,
    frozen,
)
from eventsync.neighbours import HeldElsewhere
from eventsync.plan.blanks import not_held
from eventsync.plan.cells import (
    Position,
    holdable_events,
    incoming_cells,
    keep_unwritable_cells,
    new_rows,
    written_changes,
)
from eventsync.plan.conflicts import incoming_agreements, reconcile
from eventsync.plan.counters import counter_cells
from eventsync.plan.creates import split_new
from eventsync.plan.custom_rows import convert_custom
from eventsync.plan.diff import plan_changes
from eventsync.plan.event_cells import normalise_remote
from eventsync.plan.inputs import build_all
from eventsync.plan.lifecycle import (
    NONE_CREATED,
    CreatedEvents,
    completion_changes,
    created_events,
    delete_guard,
    gone_in_answers,
    gone_rows,
    lifecycle_results,
    lifecycle_rows,
    split_lifecycle,
    status_conflicts,
    with_hubspot_dates,
    without_rows,
)
from eventsync.plan.lost_characters import flag_lost_characters
from eventsync.plan.planned import PlannedSheet, delete_counts
from eventsync.plan.properties import PortalProperties
from eventsync.plan.results import (
    SheetResult,
    annotations_for,
    annotations_to_check,
    row_results,
    shown_annotations,
    to_annotate,
)
from eventsync.plan.run_result import RunResult as RunResult  # (callers import it here)
from eventsync.plan.versions import flag_stale, hold_unverified, synced_elsewhere, unrecorded
from eventsync.sheets.backups import check_backups
from eventsync.sheets.folder import find_sheets as find_sheets  # (the CLI imports it here)
from eventsync.sheets.reader import read_sheet
from eventsync.sheets.writer import annotate, check_writable, not_written
from eventsync.sheets.xlsx.refs import cell_name
from eventsync.state.runlog import RunLog
from eventsync.state.snapshot import SnapshotStore

Progress = Callable[[int, int], None]  # (events done, events to send)


@dataclass(frozen=True)
class RunOptions:
    send: bool = True  # False: `plan` (reads only; no update is sent, no file written)
    two_way: bool = False
    force: bool = False  # --force alone: the sheet wins every conflict, HubSpot is not read
    force_ids: frozenset[str] = frozenset()  # --force ID[,ID]: the sheet wins for these only
    add_new: bool = False
    remote_check: bool = True  # False: --no-remote-check
    allow_deletes: bool = False  # --allow-deletes: past the guard (plan/lifecycle.delete_guard)

    def reads_hubspot(self, settings: Settings) -> bool:
        """Read HubSpot's current state first? Two-way sync always does; --force (the
        sheet wins anyway) and --no-remote-check skip it; without a token it cannot.
        Forcing single events still reads HubSpot: every other event is checked."""
        wanted = self.two_way or not (self.force or not self.remote_check)
        return wanted and settings.token is not None


def run(
    paths: Sequence[Path],
    settings: Settings,
    store: SnapshotStore,
    client: HubSpotClient | None,
    options: RunOptions,
    *,
    progress: Callable[[str], Progress] = lambda name: lambda done, total: None,
    reading: Callable[[str], Progress] = lambda name: lambda done, total: None,
    log: RunLog | None = None,
) -> RunResult:
    """Plan every sheet and, with `options.send`, sync them. Raises only before anything
    is sent (a file or setting to fix, a token refused while reading).

    `progress(sheet)` reports the sending of a sheet's batches, `reading(sheet)` the read
    of HubSpot's current state before it (for a terminal: long runs are never silent)."""
    read = client is not None and options.reads_hubspot(settings)
    # `lambda`: the state loads while the sheets are read (see SnapshotStore.events).
    with _long_lived():
        planned = plan_sheets(
            paths,
            settings,
            lambda: store.events,
            options,
            reads_hubspot=read,
            properties=lambda: portal_properties(client),
            deleted=lambda: store.deleted,
            created=lambda: created_events(store.creates().values()),
        )
    for sheet in planned:
        check_writable(sheet.sheet, _annotations_to_write(sheet, store, options))
    if options.send:
        guarded = delete_guard(delete_counts(planned), allowed=options.allow_deletes)
        if guarded is not None:
            raise SheetError(guarded)  # (before anything is sent: exit 2)
        check_backups(settings.state_dir)
    checked: list[PlannedSheet] = []
    results: list[SheetResult] = []
    stop: Stop | None = None
    elsewhere = HeldElsewhere(planned, settings.sheets_dir, settings.participant_mapping)
    for sheet in planned:
        if read and client is not None and stop is None:
            try:
                read_progress = reading(sheet.sheet.name)
                sheet = check_remote(sheet, client, settings, store, options, read_progress)
            except RunStoppedError as error:
                stop = error.stop
        sheet = elsewhere.held(sheet)
        if not options.send and sheet.creates:
            checks, stop = check_creates(sheet, client, store, settings, utc_now(), stop)
            rows = planned_rows(sheet.sheet, checks, settings.timezone)
            sheet = replace(sheet, create_rows=rows)
        checked.append(sheet)
        if options.send and client is not None:
            result = sync_sheet(
                sheet, client, settings, store, progress(sheet.sheet.name), options, stop=stop
            )
            stop = result.stop
            # (Not a sheet cut short: its tally would count the rows left for later as failed.)
            if log is not None and not (stop and stop.cut_short):
                _log_sheet(log, result)
            results.append(result)
    if not options.send and client is not None and options.remote_check and stop is None:
        stop = _check_access(client, checked)
    return RunResult(tuple(checked), tuple(results), stop, read)


def _check_access(client: HubSpotClient, checked: Sequence[PlannedSheet]) -> Stop | None:
    """`plan` with nothing read from HubSpot (nothing to send, or --force): one read, so
    that a refused token or scope (raised: exit 3) or an unreachable HubSpot (a stop:
    exit 1) is said as it would be with rows to send."""
    if any(sheet.reconciled is not None for sheet in checked):
        return None  # HubSpot was read and answered: the setup works
    try:
        confirm_access(client)
    except RunStoppedError as error:
        return error.stop
    return None


@contextmanager
def _long_lived() -> Iterator[None]:
    """Build what lives for the whole run (sheets, state, plan: millions of objects at
    100k rows, none in a reference cycle) without the cycle collector, then leave it out
    of every later collection (gc.freeze): scanning it again and again took a second and
    a half of a 1%-edit sync."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()  # (not on a refusal: what it leaves is garbage, for the collector)
    finally:
        if enabled:
            gc.enable()


def plan_sheets(
    paths: Sequence[Path],
    settings: Settings,
    state: Callable[[], Mapping[str, SyncedEvent]],
    options: RunOptions = RunOptions(),
    *,
    reads_hubspot: bool = False,
    properties: Callable[[], PortalProperties] = lambda: portal_properties(None),
    deleted: Callable[[], Mapping[str, DeletedEvent]] = dict,
    created: Callable[[], CreatedEvents] = lambda: NONE_CREATED,
) -> list[PlannedSheet]:
    """Read and plan every sheet; all unusable files are reported together. `state()`
    is the snapshot, asked for once the sheets are read.

    Rows of an older copy are held back here (their updatedAt is older than the
    snapshot's); so are rows synced before whose event the snapshot does not know, when
    HubSpot is not read to serve as their base (`reads_hubspot`). Custom values are
    converted as the portal's definitions say (`properties()`, asked for only when a
    custom cell differs from the snapshot) before anything is compared. `created()`: the
    events eventsync created (the only ones it can mark completed)."""
    sheets, problems = [], []
    for path in paths:
        try:
            sheets.append(read_sheet(path))
        except SheetError as error:
            problems.append(reason(error))
    snapshot = state()  # (a state that cannot be used is reported before the sheets)
    if problems:
        raise SheetError(joined(problems, "\n"))
    planned = []
    zone, order = settings.timezone, settings.date_order
    once = cache(properties)  # (read once per run, and only if a custom cell changed)
    gone, made = deleted(), created()
    for sheet, built in zip(sheets, build_all(sheets, zone, order), strict=True):
        built, lifecycle = split_lifecycle(built, gone, made, sheet.column_label, snapshot)
        built, creates = split_new(sheet, convert_custom(built, sheet, once, snapshot, zone, order))
        labels = {name: header.text for name, header in sheet.headers.items()}
        rows = tuple(item for item in built if isinstance(item, EventUpdate))
        plan = plan_changes(built, snapshot, labels)
        force, force_ids = options.force, options.force_ids
        plan = flag_stale(plan, rows, snapshot, labels, force=force, force_ids=force_ids, zone=zone)
        if not reads_hubspot:
            plan = hold_unverified(
                plan, rows, snapshot, labels, force=force, force_ids=force_ids, zone=zone
            )
        plan = flag_lost_characters(
            plan, snapshot, sheet.narrow_encoding, labels, force=force, force_ids=force_ids
        )
        # Said where HubSpot is read (the rows are checked there); else each row says why
        # it is held (hold_unverified).
        elsewhere = synced_elsewhere(rows, snapshot) if reads_hubspot else ()
        unknown = unrecorded(rows, snapshot)
        planned.append(
            PlannedSheet(
                sheet,
                plan,
                rows,
                unrecorded=unknown,
                elsewhere=elsewhere,
                lifecycle=lifecycle,
                deleted=frozenset(gone),
                creates=creates,
            )
        )
    return planned


def portal_properties(client: HubSpotClient | None) -> PortalProperties:
    """The portal's property definitions, read once per run; without a token, why not.
    HubSpot out, the token refused or the day's limit reached: the run stops before
    sending (held rows would be marked invalid; a watcher waits an outage out)."""
    if client is None:
        return PortalProperties(None, Text("custom.no_token"), offline=True)
    found = client.property_definitions()
    if found.stop is not None:
        raise stop_error(found.stop)
    return found


def check_remote(
    planned: PlannedSheet,
    client: HubSpotClient,
    settings: Settings,
    store: SnapshotStore,
    options: RunOptions,
    progress: Progress = lambda done, total: None,
) -> PlannedSheet:
    """Read HubSpot's current state of the events about to change (every event, for
    two-way sync) and run the three-way check on the plan."""
    plan = planned.plan
    if options.two_way:
        wanted = [row.object_id for row in planned.rows]
    else:
        wanted = [update.object_id for update in plan.updates]
    wanted += (complete.object_id for complete in planned.lifecycle.completes)
    if not wanted and not options.two_way:
        return planned
    snapshot = store.events
    known = max(len(snapshot), len(planned.sheet.rows))
    found, listed = read_remote(
        client,
        wanted,
        known_events=known,
        everything=options.two_way,
        dry_run=not options.send,
        progress=progress,
    )
    remote, portal = normalise_remote(found, listed, settings.timezone)
    reconciled = reconcile(
        plan,
        planned.rows,
        snapshot,
        remote,
        planned.labels,
        two_way=options.two_way,
        force=options.force,
        force_ids=options.force_ids,
        in_flight=store.in_flight,
        zone=settings.timezone,
    )
    # Events HubSpot no longer has: their rows are the lifecycle's (marked, remembered).
    # A completion takes the dates the user did not change from HubSpot as it is now.
    completes, gone_completed = with_hubspot_dates(planned.lifecycle.completes, remote, snapshot)
    gone = gone_rows(planned.rows, remote, snapshot) + gone_completed
    plan = without_rows(reconciled.plan, {row.row_number for row in gone})
    headers = planned.sheet.headers
    plan = status_conflicts(
        plan,
        reconciled.conflicts,
        headers[LIFECYCLE].text if LIFECYCLE in headers else None,
        headers["eventCancelled"].text if "eventCancelled" in headers else None,
        settings.timezone,
    )
    checked = replace(
        planned,
        plan=plan,
        reconciled=replace(reconciled, plan=plan),
        portal=portal or None,
        lifecycle=replace(planned.lifecycle, gone=gone, completes=completes),
    )
    return keep_unwritable_cells(checked)


def _annotations_to_write(
    planned: PlannedSheet, store: SnapshotStore, options: RunOptions
) -> dict[int, Annotation]:
    """Every annotation a sync of this sheet may write, with stand-in texts: what the
    writer must be able to take before anything is sent. (Two-way values only go into
    cells without a formula, and new rows below the last: nothing the writer refuses.)"""
    rows: Iterable[int] = lifecycle_rows(planned.lifecycle)
    if options.two_way:  # any row may learn of a change made in HubSpot
        rows = (row.row_number for row in planned.sheet.rows)
    return annotations_to_check(planned.plan, store.events, rows, shown_annotations(planned.sheet))


def sync_sheet(
    planned: PlannedSheet,
    client: HubSpotClient,
    settings: Settings,
    store: SnapshotStore,
    progress: Progress,
    options: RunOptions,
    *,
    stop: Stop | None = None,
) -> SheetResult:
    """Send one sheet's changes batch by batch, then annotate it.

    A stop (token refused, daily limit) ends the sending: what HubSpot confirmed is
    saved and annotated, the other rows are marked not sent. `stop` (met before this
    sheet's turn) sends nothing and marks every row to send. Cut short: none marked.
    """
    if stop is not None and stop.cut_short:
        return SheetResult.cut_short(planned, store.events, stop)
    # New rows first: their external ids are written into the file before any is sent
    # (eventsync/creating/); the sheet as written is the one the results go into.
    created = create_events(planned, client, settings, store, stop=stop)
    planned = replace(planned, sheet=created.sheet) if created.sheet else planned
    stop = created.stop or stop
    # Fields the sheet's never-synced rows leave blank are not the rows' own: forgotten
    # before the rows are synced (and so marked synced), or their blanks would clear them.
    store.release(not_held(planned.rows, store.events))
    reconciled = planned.reconciled
    if reconciled is not None:
        store.agree(
            ((a.object_id, a.values, a.updated_at) for a in reconciled.agreements),
            sheet=planned.sheet.name,
            rows={row.object_id: row.row_number for row in planned.rows},
        )
    updates = planned.plan.updates
    outcomes: dict[str, RowOutcome] = {}
    for batch in batches(updates, settings.batch_size) if stop is None else ():
        store.sending(batch)  # recorded before it goes: see SnapshotStore.sending
        answer = client.batch_update(batch)
        store.record(answer.outcomes, sheet=planned.sheet.name, rows=batch)
        outcomes.update({o.object_id: o for o in answer.outcomes})
        if answer.stop is not None:
            stop = answer.stop
            break
        progress(len(outcomes), len(updates))
    planned = _gone_in_answers(planned, outcomes.values(), store)
    archived, stop = _delete(planned, client, settings, store, stop)
    completed, stop = _complete(planned, client, store, stop)
    incoming = reconciled.incoming if reconciled else ()
    rows = row_results(
        planned.plan,
        outcomes,
        store.events,
        stop,
        rows=planned.rows,
        incoming=incoming,
        labels=planned.labels,
    )
    more = lifecycle_results(
        planned.lifecycle, archived, store.deleted, stop, settings.timezone, completed
    )
    if more:
        rows = tuple(sorted((*rows, *more), key=lambda result: result.row_number))
    result = SheetResult(planned, rows, stop, creates=created.rows)

    language = sheet_language(planned.sheet, settings)
    notes = annotations_for(to_annotate(rows, stop), language, shown_annotations(planned.sheet))
    notes.update(created.notes or {})
    values = incoming_cells(planned.sheet, incoming, settings.timezone)
    values.update(created.values or {})
    added, not_added = holdable_events(
        planned.sheet, planned.new_in_hubspot if options.add_new else []
    )
    if added:
        appended = new_rows(planned.sheet, added, settings.timezone)
        values.update(appended.values)
        notes.update(appended.annotations)
    warnings = [not_added] if not_added else []
    if options.two_way:
        kept = _refresh_counters(planned, values)
        if kept is not None:
            warnings.append(kept)
    try:
        written = annotate(
            planned.sheet, notes, settings.state_dir, values=values, warn=warnings.append
        )
    except (TryLaterError, SheetError, OSError) as error:
        # HubSpot has the changes and the snapshot holds them: the next run writes the
        # results. Nothing the user typed is lost, the file is as it was.
        detail = error.strerror if isinstance(error, OSError) else reason(error)
        return replace(result, warning=not_written(planned.sheet.path.name, detail))
    # Only now, with the values in the sheet, do both sides agree on them; a value that
    # did not reach the file (its row left it meanwhile) is agreed on by nobody.
    incoming = written_changes(planned.sheet, incoming, written.values)
    store.agree(
        ((a.object_id, a.values, a.updated_at) for a in incoming_agreements(incoming)),
        sheet=planned.sheet.name,
        rows={change.object_id: change.row_number for change in incoming},
        into_sheet=True,
    )
    store.merge({e.object_id: SyncedEvent(frozen(dict(e.values)), e.updated_at) for e in added})
    return replace(
        result,
        cells_written=written.cells,
        own_version=None if written.into_later_save else written.version,
        warning=joined(warnings, "\n") if warnings else None,
        incoming=tuple(incoming),
        added=tuple(event.object_id for event in added),
    )


def _refresh_counters(planned: PlannedSheet, values: dict[Position, CellValue]) -> Text | None:
    """Two-way sync: HubSpot's counters into the sheet's counter columns, where they
    differ (plan/counters.py); what to say of the cells left because they hold the
    user's own text. Never sent, never agreed on: only written."""
    portal = planned.portal or {}
    found = counter_cells(planned.sheet, {i: e.raw.counters for i, e in portal.items()})
    for position, value in found.values.items():
        values.setdefault(position, value)  # (a new row's cells are its own already)
    if not found.kept:
        return None
    refs = [cell_name(r, c) for r, c in found.kept]
    shown = ", ".join(refs[:5]) + (", ..." if len(refs) > 5 else "")
    return Text("counters.kept_text", file=planned.sheet.name, count=len(refs), cells=shown)


def _gone_in_answers(
    planned: PlannedSheet, outcomes: Iterable[RowOutcome], store: SnapshotStore
) -> PlannedSheet:
    """Rows whose batch answer said HubSpot has no such event (HubSpot was not read
    first: --force, --no-remote-check): the lifecycle's, as if the read had found it."""
    gone = gone_in_answers(outcomes, planned.rows, store.events)
    if not gone:
        return planned
    lifecycle = planned.lifecycle
    plan = without_rows(planned.plan, {row.row_number for row in gone})
    return replace(planned, plan=plan, lifecycle=replace(lifecycle, gone=lifecycle.gone + gone))


def _delete(
    planned: PlannedSheet,
    client: HubSpotClient,
    settings: Settings,
    store: SnapshotStore,
    stop: Stop | None,
) -> tuple[dict[str, Archived], Stop | None]:
    """The sheet's deletions: events HubSpot no longer has are remembered as such, then
    the rows marked Delete are archived batch by batch, each batch's deletions
    remembered in one transaction as HubSpot confirms them."""
    lifecycle, name = planned.lifecycle, planned.sheet.name
    store.forget_deleted(
        {row.object_id: DeleteKind.IN_HUBSPOT for row in lifecycle.gone},
        sheet=name,
        rows={row.object_id: row.row_number for row in lifecycle.gone},
    )
    archived: dict[str, Archived] = {}
    deletes = lifecycle.deletes if stop is None else ()
    for start in range(0, len(deletes), settings.batch_size):
        batch = deletes[start : start + settings.batch_size]
        answer = client.batch_archive([delete.object_id for delete in batch])
        store.forget_deleted(
            {a.object_id: DeleteKind.BY_EVENTSYNC for a in answer.deleted if a.deleted},
            sheet=name,
            rows={delete.object_id: delete.row_number for delete in batch},
        )
        archived.update((a.object_id, a) for a in answer.deleted)
        if answer.stop is not None:
            return archived, answer.stop
    return archived, stop


def _complete(
    planned: PlannedSheet, client: HubSpotClient, store: SnapshotStore, stop: Stop | None
) -> tuple[dict[str, RowOutcome], Stop | None]:
    """The rows marked Completed since the last sync, one call each (no batch form
    exists); each completion HubSpot confirms is recorded at once (the state's
    `eventCompleted`, so it is never sent again; the history's entry)."""
    completed: dict[str, RowOutcome] = {}
    name = planned.sheet.name
    for complete in planned.lifecycle.completes if stop is None else ():
        ids = (complete.external_account_id, complete.external_event_id)
        outcome, stop = client.complete_event(complete.object_id, ids, complete.start, complete.end)
        changed = completion_changes(outcome.confirmed, store.events.get(complete.object_id))
        store.record([replace(outcome, confirmed=frozen(changed))], sheet=name, rows=[complete])
        completed[complete.object_id] = outcome
        if stop is not None:
            break
    return completed, stop


def _log_sheet(log: RunLog, result: SheetResult) -> None:
    name = result.planned.sheet.name
    for change in result.incoming:
        # The one place a cell's content is logged: the value two-way sync replaced,
        # so the user can put it back.
        log.write(
            "incoming",
            sheet=name,
            row=change.row_number,
            objectId=change.object_id,
            field=change.field,
            old=change.old,
            new=change.new,
        )
    log.write("sheet", sheet=name, **result.tally.as_dict())
