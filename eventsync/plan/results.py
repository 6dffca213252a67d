"""Results: one `RowResult` per row, and from it the annotations and the tally.

Pure. Rows sent get HubSpot's updatedAt (or the error they hit); rows the run stopped
before get "not sent" and why; invalid rows and conflicts get their problems; rows
already in sync show the updatedAt HubSpot last confirmed, so a stale error from an
earlier run does not linger. Rows it knows nothing about are left as they are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from operator import attrgetter

from eventsync.columns import SYNC_ERROR, UPDATED_AT
from eventsync.messages import Language, Text, command, joined, localise
from eventsync.model import (
    Annotation,
    EventUpdate,
    FileStamp,
    Plan,
    ProblemCode,
    RowOutcome,
    RowResult,
    RowStatus,
    Sheet,
    Stop,
    SyncedEvent,
)
from eventsync.plan.conflicts import IncomingChange
from eventsync.plan.creates import CreateRow
from eventsync.plan.planned import PlannedSheet
from eventsync.plan.versions import is_older, latest

NOT_SENT = Text("row.not_sent", again=command("sync"))
# What the check before a send puts in the cells whose text only the send decides.
STAND_IN = Annotation("1970-01-01T00:00:00Z", "?")
# Rows that keep their own updatedAt, besides an older copy: a row two-way sync could
# not write HubSpot's value into (a formula cell, text the file cannot hold), unless
# HubSpot just confirmed an edit of it. Given a newer version, an older copy that could
# not take the newer values would pass for current, and its old cells go out as edits.
KEEP_OWN_VERSION = frozenset({ProblemCode.FORMULA_CELL, ProblemCode.NOT_HELD})


@dataclass(frozen=True)
class Tally:
    rows_read: int
    unchanged: int
    sent: int
    updated: int
    failed: int  # rows to send that HubSpot did not fully take, sent or not
    invalid: int
    conflicts: int = 0  # rows not sent because HubSpot changed the same field
    deleted: int = 0  # rows whose event is deleted (by their marker, or in HubSpot)

    def as_dict(self) -> dict[str, int]:
        return {
            "rowsRead": self.rows_read,
            "unchanged": self.unchanged,
            "sent": self.sent,
            "updated": self.updated,
            "failed": self.failed,
            "invalid": self.invalid,
            "conflicts": self.conflicts,
            "deleted": self.deleted,
        }


@dataclass(frozen=True)
class SheetResult:
    """One sheet after a run: every row's result, and what was written into the file."""

    planned: PlannedSheet
    rows: tuple[RowResult, ...]
    stop: Stop | None = None  # set when the run stopped before this sheet was done
    cells_written: int = 0
    # The file as this sync left it, when that version holds only what the sync read
    # and its results: `watch` takes this one (and no other) for its own write. None
    # when nothing was written, or the results went into a save made meanwhile.
    own_version: FileStamp | None = None
    warning: str | None = None  # the results could not be written into the file
    incoming: tuple[IncomingChange, ...] = ()  # fields brought in from HubSpot (two-way)
    added: tuple[str, ...] = ()  # objectIds appended as new rows (--add-new)
    creates: tuple[CreateRow, ...] = ()  # the sheet's new rows: created, held, failed

    @cached_property  # (read by the report, the log and the exit code: counted once)
    def tally(self) -> Tally:
        return tally(len(self.planned.sheet.rows), self.rows)

    @property
    def needs_attention(self) -> bool:
        t = self.tally
        # An event found deleted in HubSpot in this run is news to say (later runs: not).
        gone = self.planned.lifecycle.gone
        unfinished = any(not row.done for row in self.creates)
        return bool(t.failed or t.invalid or t.conflicts or self.warning or gone or unfinished)

    @classmethod
    def cut_short(
        cls, planned: PlannedSheet, snapshot: Mapping[str, SyncedEvent], stop: Stop
    ) -> SheetResult:
        """A sheet whose turn a stop asked for came before (a read cut short): nothing
        was sent for it and nothing is written into it: the next run does it all."""
        return cls(planned, row_results(planned.plan, {}, snapshot, stop), stop)


def row_results(
    plan: Plan,
    outcomes: Mapping[str, RowOutcome],
    snapshot: Mapping[str, SyncedEvent],
    stop: Stop | None = None,
    *,
    rows: Sequence[EventUpdate] = (),
    incoming: Sequence[IncomingChange] = (),
    labels: Mapping[str, str] | None = None,
) -> tuple[RowResult, ...]:
    """Every row of the plan, in row order. `outcomes` is keyed by objectId; a row to
    send with no outcome was not sent (the run stopped: `stop` says why).

    A row's updatedAt is its version (see plan/versions): whatever moved the snapshot
    past it in this run (an agreement, HubSpot's values brought in by two-way sync)
    moves its updatedAt cell too, or the next run would take it for an older copy.
    `rows` (every valid row) and `incoming` (what two-way sync writes) say where.
    `labels`: field -> the sheet's header, for the notes of rows sent.
    """
    results: list[RowResult] = []
    unchanged, known = RowStatus.UNCHANGED, snapshot.get
    for event in plan.unchanged:  # (most rows of most runs: kept to the bare loop)
        synced = known(event.object_id)
        version = synced.updated_at if synced is not None else None
        results.append(RowResult(event.row_number, event.object_id, unchanged, "", version))
    for update in plan.updates:
        outcome = outcomes.get(update.object_id)
        if outcome is None:
            why = stop.row_message if stop else NOT_SENT
            results.append(RowResult(update.row_number, update.object_id, RowStatus.NOT_SENT, why))
        else:
            message = outcome.message
            if outcome.status is RowStatus.UPDATED and update.cleaned:
                message = line_break_note(update.cleaned, labels)
            results.append(
                RowResult(
                    update.row_number, update.object_id, outcome.status, message, outcome.updated_at
                )
            )
    # (A row HubSpot just confirmed an edit of is at that version, for the fields sent.)
    confirmed = {r.row_number for r in results if r.status is RowStatus.UPDATED}
    by_row: dict[int, list[str]] = defaultdict(list)
    conflicted: set[int] = set()
    stale: set[int] = set()
    for problem in plan.problems:
        by_row[problem.row_number].append(problem.message)
        if problem.code is ProblemCode.CONFLICT:
            conflicted.add(problem.row_number)
        if (
            problem.code is ProblemCode.STALE_COPY
            or problem.code in KEEP_OWN_VERSION
            and problem.row_number not in confirmed
        ):
            stale.add(problem.row_number)
    for row_number, messages in by_row.items():
        status = RowStatus.CONFLICT if row_number in conflicted else RowStatus.INVALID
        results.append(RowResult(row_number, "", status, joined(messages)))
    results = _with_versions(results, snapshot, rows, incoming, stale)
    return tuple(sorted(results, key=attrgetter("row_number")))


def _with_versions(
    results: list[RowResult],
    snapshot: Mapping[str, SyncedEvent],
    rows: Sequence[EventUpdate],
    incoming: Sequence[IncomingChange],
    stale: set[int],
) -> list[RowResult]:
    """Each valid row's updatedAt moved on to the snapshot's, where that is newer than
    the row's own, and to HubSpot's for rows taking values from HubSpot. A row of an
    older copy keeps its old time: it does not hold the newer values."""
    if not rows and not incoming:
        return results
    by_row = {row.row_number: row for row in rows}
    brought: dict[int, str | None] = {}
    for change in incoming:
        brought[change.row_number] = latest(
            brought.get(change.row_number), change.hubspot_updated_at
        )
    moved: list[RowResult] = []
    for result in results:
        row = by_row.get(result.row_number)
        version = result.updated_at
        if row is not None and result.row_number not in stale and row.updated_at is not None:
            synced = snapshot.get(row.object_id)
            if synced is not None and is_older(row.updated_at, synced.updated_at):
                version = latest(version, synced.updated_at)
        version = latest(version, brought.get(result.row_number))
        moved.append(
            result if version == result.updated_at else replace(result, updated_at=version)
        )
    return moved


def line_break_note(fields: Sequence[str], labels: Mapping[str, str] | None) -> str:
    """What a sent row's syncError cell says when line breaks were made one line."""
    names = [labels.get(field, field) if labels else field for field in fields]
    return Text("row.line_breaks", columns=", ".join(names), count=len(names))


Shown = Mapping[int, Mapping[str, object]]  # row number -> the row's cells as read


def shown_annotations(sheet: Sheet) -> Shown | None:
    """What the sheet's annotation cells say now, row by row (None: it lacks one of the
    columns, which the write adds, so every row must be written)."""
    if UPDATED_AT not in sheet.headers or SYNC_ERROR not in sheet.headers:
        return None
    return {row.row_number: row.cells for row in sheet.rows}


def _says(cells: Mapping[str, object] | None, updated_at: str | None, error: str) -> bool:
    """The row's cells say this already: writing it would change nothing. A sync after
    a 1% edit leaves 99% of the rows as they are, and skips their cells."""
    if cells is None or (cells.get(SYNC_ERROR) or "") != error:
        return False
    if updated_at is None:
        return True
    stamp = cells.get(UPDATED_AT)
    return stamp.__class__ is str and stamp == updated_at


def to_annotate(results: Sequence[RowResult], stop: Stop | None) -> Sequence[RowResult]:
    """The rows whose cells a sync writes: every row, but after a stop asked for (cut
    short) not the rows not sent. Those keep what they say, with no "not sent" mark, and
    the next run sends them as it finds them; the rows HubSpot confirmed get their
    updatedAt now, or an edit made to one before the next run would be taken for an
    older copy's (plan/versions.flag_stale)."""
    if stop is None or not stop.cut_short:
        return results
    return [result for result in results if result.status is not RowStatus.NOT_SENT]


def annotations_for(
    results: Sequence[RowResult], language: Language = "en", shown: Shown | None = None
) -> dict[int, Annotation]:
    """What each row's updatedAt / syncError cells should say (row number -> cells),
    the messages in the sheet's `language`; rows whose cells already say it (`shown`)
    are left out."""
    notes: dict[int, Annotation] = {}
    shared: dict[tuple[str | None, str], Annotation] = {}  # rows saying the same share one
    texts: dict[str, str] = {"": ""}  # each message said once in `language`
    cells_of = shown.get if shown is not None else None
    for result in results:
        if result.status is RowStatus.UNCHANGED and result.updated_at is None:
            continue  # never confirmed: nothing we know to write
        text = texts.get(result.message)
        if text is None:
            text = texts[result.message] = localise(result.message, language)
        if cells_of is not None and _says(cells_of(result.row_number), result.updated_at, text):
            continue
        key = (result.updated_at, text)
        note = shared.get(key)
        if note is None:
            note = shared[key] = Annotation(result.updated_at, text)
        notes[result.row_number] = note
    return notes


def annotations_to_check(
    plan: Plan,
    snapshot: Mapping[str, SyncedEvent],
    stand_in_rows: Iterable[int],
    shown: Shown | None = None,
) -> dict[int, Annotation]:
    """`annotations_for(row_results(plan, {}, snapshot))` with `stand_in` on the rows in
    `stand_in_rows` (every row a send may annotate) and on every row to send or with a
    problem: what the writer must be able to take before anything is sent. Built
    without a `RowResult` per row, since it is made before every sync."""
    rows = {update.row_number for update in plan.updates}
    rows.update(problem.row_number for problem in plan.problems)
    rows.update(stand_in_rows)
    notes: dict[int, Annotation] = {}
    shared: dict[str, Annotation] = {}
    cells_of = shown.get if shown is not None else None
    for event in plan.unchanged:
        if event.row_number in rows:
            continue
        synced = snapshot.get(event.object_id)
        if synced is None:
            continue  # never confirmed: nothing we know to write
        if cells_of is not None and _says(cells_of(event.row_number), synced.updated_at, ""):
            continue
        note = shared.get(synced.updated_at)
        if note is None:
            note = shared[synced.updated_at] = Annotation(synced.updated_at, "")
        notes[event.row_number] = note
    for row_number in rows:
        notes[row_number] = STAND_IN
    return notes  # (the writer takes the cells in row order itself)


def tally(rows_read: int, results: Sequence[RowResult]) -> Tally:
    count: dict[RowStatus, int] = defaultdict(int)
    for result in results:
        count[result.status] += 1
    to_send = count[RowStatus.UPDATED] + count[RowStatus.FAILED] + count[RowStatus.NOT_SENT]
    return Tally(
        rows_read=rows_read,
        unchanged=count[RowStatus.UNCHANGED],
        sent=count[RowStatus.UPDATED] + count[RowStatus.FAILED],
        updated=count[RowStatus.UPDATED],
        failed=to_send - count[RowStatus.UPDATED],
        invalid=count[RowStatus.INVALID],
        conflicts=count[RowStatus.CONFLICT],
        deleted=count[RowStatus.DELETED],
    )
