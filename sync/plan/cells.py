"""HubSpot's values as sheet cells: what two-way sync and --add-new write, and where.

Pure. A field changed only in HubSpot goes into its cell, unless that cell holds a
formula: then the cell is kept and the row says why (a value over a formula would
silently replace the user's calculation). Events only HubSpot has become new rows
below the last one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import tzinfo

from sync.columns import ANNOTATIONS
from sync.messages import Text
from sync.model import Annotation, CellValue, ProblemCode, RowProblem, Sheet
from sync.plan.conflicts import IncomingChange
from sync.plan.events import RemoteEvent, cell_value, event_cells
from sync.plan.planned import PlannedSheet
from sync.values import show_value

Position = tuple[int, int]  # (row, column), both 1-based as Excel counts
CellValues = dict[Position, CellValue]


@dataclass(frozen=True)
class NewRows:
    values: CellValues
    annotations: dict[int, Annotation]


def keep_formula_cells(planned: PlannedSheet) -> PlannedSheet:
    """Incoming changes aimed at formula cells become row problems instead."""
    reconciled = planned.reconciled
    if reconciled is None or not planned.sheet.formula_cells:
        return planned
    sheet = planned.sheet
    kept: list[IncomingChange] = []
    problems: list[RowProblem] = []
    for change in reconciled.incoming:
        header = sheet.headers.get(change.field)
        if header is None or (change.row_number, header.column_number) not in sheet.formula_cells:
            kept.append(change)
            continue
        label = header.text
        problems.append(
            RowProblem(
                change.row_number,
                label,
                ProblemCode.FORMULA_CELL,
                Text("row.formula_cell", label=label, value=show_value(change.new)),
            )
        )
    if not problems:
        return planned
    plan = replace(reconciled.plan, problems=reconciled.plan.problems + tuple(problems))
    return replace(
        planned, plan=plan, reconciled=replace(reconciled, plan=plan, incoming=tuple(kept))
    )


def incoming_cells(sheet: Sheet, incoming: Sequence[IncomingChange], zone: tzinfo) -> CellValues:
    """HubSpot's values for the cells of fields changed only in HubSpot."""
    cells: CellValues = {}
    for change in incoming:
        header = sheet.headers.get(change.field)
        if header is not None:
            cells[(change.row_number, header.column_number)] = cell_value(
                change.field, change.new, zone
            )
    return cells


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
