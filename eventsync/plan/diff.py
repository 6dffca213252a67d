"""Plan: compare each valid row with what HubSpot last confirmed, field by field.

Pure: `plan_changes(built, snapshot)` returns what to send (only changed fields),
what is already in sync, and the rows that cannot be sent. It never sends, never
reads files, and never decides anything from the order of the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from eventsync.columns import Kind, kind_of
from eventsync.messages import Text
from eventsync.model import (
    EventUpdate,
    FieldChange,
    FieldValue,
    Plan,
    PlannedUpdate,
    ProblemCode,
    RowProblem,
    SyncedEvent,
)
from eventsync.plan.blanks import Blank, decide_blank
from eventsync.values import parse_utc

Snapshot = Mapping[str, SyncedEvent]


def same_value(field: str, a: FieldValue, b: FieldValue) -> bool:
    """Equal as HubSpot would store them: date-times as instants, not as spellings."""
    if a == b:
        return True
    if a is None or b is None:
        return False
    if kind_of(field) is Kind.DATETIME and isinstance(a, str) and isinstance(b, str):
        first, second = parse_utc(a), parse_utc(b)
        return first is not None and first == second
    return False


def diff_event(
    update: EventUpdate, previous: SyncedEvent | None
) -> tuple[tuple[FieldChange, ...], tuple[tuple[str, Blank], ...]]:
    """The changes to send for one row, and its emptied cells that cannot be sent (each
    with why: see plan/blanks). A blank of a row never synced changes nothing."""
    changes: list[FieldChange] = []
    refused: list[tuple[str, Blank]] = []
    olds = previous.values if previous else {}
    synced = update.updated_at is not None
    for field, new in update.values.items():
        old = olds.get(field)
        if new is not None and new == old:  # the usual case: nothing changed
            continue
        if new is None:
            blank = decide_blank(field, old, synced=synced)
            if blank is Blank.CLEAR:
                changes.append(FieldChange(field, old, ""))
            elif blank is not Blank.NOTHING:
                refused.append((field, blank))
        elif not same_value(field, old, new):
            changes.append(FieldChange(field, old, new))
    return tuple(changes), tuple(refused)


def plan_changes(
    built: Iterable[EventUpdate | tuple[RowProblem, ...]],
    snapshot: Snapshot,
    labels: Mapping[str, str] | None = None,
) -> Plan:
    """`labels` maps a field to the header text the user's sheet shows for it."""
    labels = labels or {}
    updates: list[PlannedUpdate] = []
    unchanged: list[EventUpdate] = []
    problems: list[RowProblem] = []
    for item in built:
        if not isinstance(item, EventUpdate):
            problems.extend(item)
            continue
        changes, refused = diff_event(item, snapshot.get(item.object_id))
        if refused:
            for field, blank in refused:
                label = labels.get(field, field)
                if blank is Blank.REQUIRED:
                    message = Text("row.required_cleared", label=label)
                else:
                    message = Text("row.cleared", label=label)
                code = ProblemCode.CLEARED_VALUE
                problems.append(RowProblem(item.row_number, label, code, message))
        elif changes:
            first = item.object_id not in snapshot
            sent = {change.field for change in changes}
            cleaned = tuple(field for field in item.cleaned if field in sent)
            updates.append(PlannedUpdate(item.row_number, item.object_id, changes, first, cleaned))
        else:
            unchanged.append(item)
    return Plan(tuple(updates), tuple(unchanged), tuple(problems))
