"""HubSpot's values as sheet cells: what two-way sync and --add-new write, and where.

Pure. A field changed only in HubSpot goes into its cell, unless that cell holds a
formula (a value over it would silently replace the user's calculation) or the value
holds characters the file cannot (a CSV saved as Shift-JIS would get "?" for them,
and the next run would take that for an edit): then the row's cells are kept, the row
says why, and its changes are not brought in, so the state never counts them as
agreed. Events only HubSpot has become new rows below the last one.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, tzinfo

from eventsync.columns import ANNOTATIONS, LIFECYCLE
from eventsync.encodings import unheld_characters
from eventsync.messages import Text, command
from eventsync.model import Annotation, CellValue, HeaderCell, ProblemCode, RowProblem, Sheet
from eventsync.plan.conflicts import IncomingChange
from eventsync.plan.event_cells import RemoteEvent, cell_value, event_cells
from eventsync.plan.lifecycle import status_word
from eventsync.plan.lost_characters import encoding_name, shown
from eventsync.plan.planned import PlannedSheet
from eventsync.values import show_value

CANCELLED = "eventCancelled"
Position = tuple[int, int]  # (row, column), both 1-based as Excel counts
CellValues = dict[Position, CellValue]


@dataclass(frozen=True)
class NewRows:
    values: CellValues
    annotations: dict[int, Annotation]


def keep_unwritable_cells(planned: PlannedSheet) -> PlannedSheet:
    """Incoming changes aimed at formula cells, or holding characters the file's
    encoding cannot, become row problems instead."""
    reconciled = planned.reconciled
    if reconciled is None or not reconciled.incoming:
        return planned
    sheet = planned.sheet
    kept: list[IncomingChange] = []
    problems: list[RowProblem] = []
    for change in reconciled.incoming:
        problem = _unwritable(sheet, change)
        if problem is None:
            kept.append(change)
        else:
            problems.append(problem)
    if not problems:
        return planned
    # The row takes none of HubSpot's newer values then: given some, it would hold parts
    # of two versions, and pass for neither (see plan/results.py, KEEP_OWN_VERSION).
    held = {problem.row_number for problem in problems}
    kept = [change for change in kept if change.row_number not in held]
    plan = replace(reconciled.plan, problems=reconciled.plan.problems + tuple(problems))
    return replace(
        planned, plan=plan, reconciled=replace(reconciled, plan=plan, incoming=tuple(kept))
    )


def _unwritable(sheet: Sheet, change: IncomingChange) -> RowProblem | None:
    targets = _targets(sheet, change, UTC, _statuses(sheet, [change]))
    formula = [h for h, _ in targets if (change.row_number, h.column_number) in sheet.formula_cells]
    if formula:
        label, value = formula[0].text, show_value(change.new)
        message = Text("row.formula_cell", label=label, value=value)
        return RowProblem(change.row_number, label, ProblemCode.FORMULA_CELL, message)
    header = sheet.headers.get(change.field)
    if header is None:
        return None
    label, value = header.text, show_value(change.new)
    # Only Shift-JIS is a file's own limit: a CSV of plain ASCII is read as UTF-8, and
    # written as UTF-8.
    encoding = sheet.narrow_encoding
    if encoding == "cp932" and isinstance(change.new, str):
        lost = unheld_characters(change.new, encoding)
        if lost:
            message = Text(
                "row.not_held",
                label=label,
                value=value,
                encoding=encoding_name(encoding),
                characters=shown(lost),
                again=command("sync", "--two-way"),
            )
            return RowProblem(change.row_number, label, ProblemCode.NOT_HELD, message)
    return None


def incoming_cells(sheet: Sheet, incoming: Sequence[IncomingChange], zone: tzinfo) -> CellValues:
    """HubSpot's values for the cells of fields changed only in HubSpot."""
    cells: CellValues = {}
    statuses = _statuses(sheet, incoming)
    for change in incoming:
        for header, value in _targets(sheet, change, zone, statuses):
            cells[(change.row_number, header.column_number)] = value
    return cells


def written_changes(
    sheet: Sheet, incoming: Sequence[IncomingChange], written: Container[Position]
) -> tuple[IncomingChange, ...]:
    """The changes that reached the file: one is in the sheet once any cell
    `incoming_cells` writes it into was written (none: the sheet has no column for it)."""
    statuses = _statuses(sheet, incoming)
    return tuple(
        change
        for change in incoming
        if any(
            (change.row_number, header.column_number) in written
            for header, _ in _targets(sheet, change, UTC, statuses)
        )
    )


def _statuses(sheet: Sheet, incoming: Sequence[IncomingChange]) -> dict[int, object]:
    """The status cells of the rows taking a cancellation from HubSpot, by row."""
    wanted = {c.row_number for c in incoming if c.field == CANCELLED}
    if LIFECYCLE not in sheet.headers or not wanted:
        return {}
    return {r.row_number: r.cells.get(LIFECYCLE) for r in sheet.rows if r.row_number in wanted}


def _targets(
    sheet: Sheet, change: IncomingChange, zone: tzinfo, statuses: Mapping[int, object]
) -> list[tuple[HeaderCell, CellValue]]:
    """The cells a change made only in HubSpot goes into, with their values: the field's
    own column, and for a cancellation the row's status cell too when it holds Scheduled
    or Cancelled (plan/lifecycle.status_word), so that the two never disagree."""
    targets: list[tuple[HeaderCell, CellValue]] = []
    header = sheet.headers.get(change.field)
    if header is not None:
        targets.append((header, cell_value(change.field, change.new, zone)))
    status = sheet.headers.get(LIFECYCLE)
    if change.field == CANCELLED and status is not None and isinstance(change.new, bool):
        word = status_word(statuses.get(change.row_number), cancelled=change.new)
        if word is not None:
            targets.append((status, word))
    return targets


def holdable_events(
    sheet: Sheet, events: Sequence[RemoteEvent]
) -> tuple[list[RemoteEvent], str | None]:
    """The events --add-new may append, and what to say of the others: those with text
    a Shift-JIS file cannot hold are not appended (a row of "?" would be taken for
    characters lost by a save, run after run), and stay "in HubSpot, not in the sheet"."""
    encoding = sheet.narrow_encoding
    if encoding != "cp932":
        return list(events), None
    fields = [f for f in sheet.headers if f not in ANNOTATIONS]
    kept: list[RemoteEvent] = []
    lost: list[str] = []
    for event in events:
        found = [
            char
            for field in fields
            if isinstance(value := event.values.get(field), str)
            for char in unheld_characters(value, encoding)
        ]
        if found:
            lost.extend(char for char in found if char not in lost)
        else:
            kept.append(event)
    if not lost:
        return kept, None
    message = Text(
        "write.not_added",
        file=sheet.name,
        count=len(events) - len(kept),
        encoding=encoding_name(encoding),
        characters=shown(tuple(lost)),
        again=command("sync", "--two-way", "--add-new"),
    )
    return kept, message


def new_rows(sheet: Sheet, events: Sequence[RemoteEvent], zone: tzinfo) -> NewRows:
    """Rows appended below the last one for events only HubSpot has (--add-new)."""
    fields = [f for f in sheet.headers if f not in ANNOTATIONS]
    last = max([row.row_number for row in sheet.rows], default=sheet.header_row)
    values: CellValues = {}
    notes: dict[int, Annotation] = {}
    for offset, event in enumerate(events, 1):
        row_number = last + offset
        for name, value in zip(fields, event_cells(event.raw, fields, zone), strict=True):
            if value is not None:
                values[(row_number, sheet.headers[name].column_number)] = value
        notes[row_number] = Annotation(event.updated_at, "")
    return NewRows(values, notes)
