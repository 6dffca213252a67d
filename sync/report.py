"""Render plans and results for people (text) and scripts (JSON).

Pure: returns strings and dicts; the CLI decides where they go. It names columns the
way the user's sheet does and never prints the token or whole request bodies of a
real sync (plan's JSON shows the bodies because that is its purpose).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo
from typing import Any

from sync.columns import CUSTOM_PREFIX, OBJECT_ID, is_custom
from sync.hubspot.payload import batch_body, batches
from sync.model import PlannedUpdate, ProblemCode, RowProblem, RowStatus, Sheet
from sync.plan.planned import PlannedSheet
from sync.plan.results import SheetResult
from sync.values import show_value, visible_text

MAX_LISTED = 50  # rows listed per sheet on a terminal; the sheet itself has them all


def sheet_title(sheet: Sheet) -> str:
    return sheet.name + (f" (sheet {sheet.sheet_name})" if sheet.sheet_name else "")


def _change_lines(sheet: Sheet, update: PlannedUpdate, zone: tzinfo) -> list[str]:
    lines = []
    for change in update.changes:
        label = sheet.column_label(change.field)
        new = show_value(change.new, change.field, zone)
        if update.first_sync:
            lines.append(f"{label}: {new}")
        else:
            lines.append(f"{label}: {show_value(change.old, change.field, zone)} -> {new}")
    return lines


def render_plan(planned_sheets: Sequence[PlannedSheet], batch_size: int, zone: tzinfo) -> str:
    out: list[str] = []
    total_requests = total_events = 0
    for planned in planned_sheets:
        sheet, plan = planned.sheet, planned.plan
        requests = -(-len(plan.updates) // batch_size)
        total_requests += requests
        total_events += len(plan.updates)
        conflicts = {p.row_number for p in plan.problems if p.code is ProblemCode.CONFLICT}
        invalid = len(set(plan.invalid_rows) - conflicts)
        out.append(
            f"{sheet_title(sheet)}: {_count(len(sheet.rows), 'row')}, {len(plan.updates)} to send,"
            f" {len(plan.unchanged)} unchanged, {invalid} invalid"
            + (f", {_count(len(conflicts), 'conflict')}" if conflicts else "")
        )
        out.extend(_new_state_lines(planned))
        id_label = sheet.column_label(OBJECT_ID)
        for update in plan.updates[:MAX_LISTED]:
            lines = _change_lines(sheet, update, zone)
            # Only the cells listed go out: those HubSpot already holds are left out.
            first = " (first sync)" if update.first_sync else ""
            out.append(f"  row {update.row_number}, {id_label} {update.object_id}{first}:")
            out.extend(f"      {line}" for line in lines)
        if len(plan.updates) > MAX_LISTED:
            out.append(f"  ... and {len(plan.updates) - MAX_LISTED} more rows to send")
        out.extend(_problem_lines(sheet, planned, more="plan --json lists them all"))
        out.extend(_incoming_lines(planned, zone, applied=False))
        out.extend(_new_event_lines(planned))
    out.append(
        f"Would send {total_events} event{'s' if total_events != 1 else ''}"
        f" in {total_requests} request{'s' if total_requests != 1 else ''}; nothing was sent."
    )
    return "\n".join(out)


def _new_state_lines(planned: PlannedSheet) -> list[str]:
    """The state is new for events this sheet synced before: say so, and how many."""
    count = len(planned.unrecorded)
    if not count:
        return []
    events = f"{count} event{'s' if count != 1 else ''}"
    return [
        f"  the sync state is new (no record of the last sync of {events} whose rows carry"
        " an updatedAt: new machine, another clone, or .eventsync deleted): HubSpot's current"
        " values serve as their base; a cell that differs is sent only where HubSpot has not"
        " changed since the row's updatedAt, and is a conflict where it has"
    ]


def _incoming_lines(planned: PlannedSheet, zone: tzinfo, *, applied: bool) -> list[str]:
    """Changes made only in HubSpot, and events only HubSpot has (two-way sync)."""
    sheet = planned.sheet
    incoming = planned.reconciled.incoming if planned.reconciled else ()
    lines = []
    if incoming:
        lines.append(
            "  brought in from HubSpot:"
            if applied
            else "  changed in HubSpot only (sync --two-way brings these into the sheet):"
        )
        for change in incoming[:MAX_LISTED]:
            label = sheet.column_label(change.field)
            old = show_value(change.old, change.field, zone)
            new = show_value(change.new, change.field, zone)
            lines.append(f"    row {change.row_number}, {label}: {old} -> {new}")
        if len(incoming) > MAX_LISTED:
            lines.append(f"    ... and {len(incoming) - MAX_LISTED} more")
    return lines


def _new_event_lines(planned: PlannedSheet) -> list[str]:
    lines = []
    new_events = planned.new_in_hubspot
    if new_events:
        ids = ", ".join(e.object_id for e in new_events[:10]) + (
            " ..." if len(new_events) > 10 else ""
        )
        lines.append(
            f"  {len(new_events)} event{'s are' if len(new_events) != 1 else ' is'} in HubSpot"
            f" but not in this sheet ({ids}); sync --two-way --add-new appends them"
        )
    return lines


def _problem_lines(sheet: Sheet, planned: PlannedSheet, *, more: str) -> list[str]:
    """`more`: where the problems not listed can be read (plan writes no syncError)."""
    lines = [f"  row {p.row_number}: {p.message}" for p in planned.plan.problems[:MAX_LISTED]]
    if len(planned.plan.problems) > MAX_LISTED:
        lines.append(f"  ... and {len(planned.plan.problems) - MAX_LISTED} more problems ({more})")
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def plan_json(planned_sheets: Sequence[PlannedSheet], batch_size: int) -> dict[str, Any]:
    sheets = []
    for planned in planned_sheets:
        sheet, plan = planned.sheet, planned.plan
        sheets.append(
            {
                "path": str(sheet.path),
                "sheet": sheet.sheet_name,
                "rowsRead": len(sheet.rows),
                "unchanged": len(plan.unchanged),
                "updates": [
                    {
                        "row": u.row_number,
                        "objectId": u.object_id,
                        "changes": [
                            {
                                "field": c.field,
                                "column": sheet.column_label(c.field),
                                "old": c.old,
                                "new": c.new,
                            }
                            for c in u.changes
                        ],
                    }
                    for u in plan.updates
                ],
                "problems": [_problem_json(p) for p in plan.problems],
                "incoming": _incoming_json(planned),
                "newInHubSpot": [e.object_id for e in planned.new_in_hubspot],
                "requests": [batch_body(b) for b in batches(plan.updates, batch_size)],
            }
        )
    return {"sheets": sheets}


def _incoming_json(planned: PlannedSheet) -> list[dict[str, Any]]:
    incoming = planned.reconciled.incoming if planned.reconciled else ()
    return [
        {
            "row": c.row_number,
            "objectId": c.object_id,
            "field": c.field,
            "column": planned.sheet.column_label(c.field),
            "old": c.old,
            "new": c.new,
        }
        for c in incoming
    ]


def _problem_json(problem: RowProblem) -> dict[str, Any]:
    return {
        "row": problem.row_number,
        "column": problem.column,
        "code": problem.code,
        "message": problem.message,
    }


def render_run(result: SheetResult, zone: tzinfo) -> str:
    sheet, planned = result.planned.sheet, result.planned
    t = result.tally
    out = [
        f"{sheet_title(sheet)}: {_count(t.rows_read, 'row')} read, {t.unchanged} unchanged, {t.sent} sent,"
        f" {t.updated} updated, {t.failed} failed, {t.invalid} invalid"
        + (f", {t.conflicts} conflict{'s' if t.conflicts != 1 else ''}" if t.conflicts else "")
    ]
    failures = [
        f"  row {row.row_number}: {row.message}"
        for row in result.rows
        if row.status in (RowStatus.FAILED, RowStatus.NOT_SENT) and row.message
    ]
    out.extend(failures[:MAX_LISTED])
    if len(failures) > MAX_LISTED:
        out.append(f"  ... and {len(failures) - MAX_LISTED} more failed rows (see syncError)")
    out.extend(_problem_lines(sheet, planned, more="see their syncError cells"))
    if result.incoming:
        out.extend(_incoming_lines(planned, zone, applied=True))
    if result.added:
        out.append(f"  appended {_count(len(result.added), 'event')} from HubSpot as new rows")
    else:
        out.extend(_new_event_lines(planned))
    if result.warning:
        out.append(f"  {result.warning}")
    return "\n".join(out)


def run_json(result: SheetResult) -> dict[str, Any]:
    sheet, plan = result.planned.sheet, result.planned.plan
    sent = {update.object_id for update in plan.updates}
    rows = [
        {
            "row": row.row_number,
            "objectId": row.object_id,
            "status": row.status.value,
            "updatedAt": row.updated_at,
            "error": row.message or None,
        }
        for row in result.rows
        if row.object_id in sent and row.status is not RowStatus.UNCHANGED
    ]
    return {
        "path": str(sheet.path),
        "sheet": sheet.sheet_name,
        **result.tally.as_dict(),
        "rows": rows,
        "problems": [_problem_json(p) for p in plan.problems],
        "cellsWritten": result.cells_written,
        "incoming": _incoming_json(result.planned) if result.incoming else [],
        "added": list(result.added),
        "newInHubSpot": []
        if result.added
        else [e.object_id for e in result.planned.new_in_hubspot],
        "warning": result.warning,
    }


def custom_columns(planned_sheets: Sequence[PlannedSheet]) -> list[str]:
    """The custom-property names the sheets have columns for, in order, each once."""
    names: dict[str, None] = {}
    for planned in planned_sheets:
        for field in planned.sheet.headers:
            if is_custom(field):
                names[field[len(CUSTOM_PREFIX) :]] = None
    return list(names)


def custom_property_lines(names: Sequence[str], defined: Mapping[str, str] | None) -> list[str]:
    """Which custom columns the portal defines: a column it lacks would be dropped by
    HubSpot, so `plan` says so before anything is sent. `defined`: name -> HubSpot's
    type, None when the portal's properties could not be read."""
    if not names:
        return []
    if defined is None:
        return [
            "Custom properties: HubSpot's list of them could not be read, so columns it lacks"
            " are not shown here."
        ]
    known = [f"{name} ({defined[name]})" for name in names if name in defined]
    missing = [name for name in names if name not in defined]
    lines = []
    if known:
        lines.append(f"Custom properties defined in HubSpot: {', '.join(known)}.")
    if missing:
        lines.append(
            f"Custom propert{'y' if len(missing) == 1 else 'ies'} not defined in HubSpot:"
            f" {', '.join(missing)}; HubSpot would not keep {'it' if len(missing) == 1 else 'them'}."
            " Create it on marketing events in HubSpot (Settings > Properties), or remove"
            " the column."
        )
    return lines


MAX_TERMINAL_LINE_CHARS = 400  # a longer line (a HubSpot message) is cut on the terminal


def for_terminal(text: str) -> str:
    """Text as it may reach a terminal: control characters, escape sequences and bidi
    overrides (from HubSpot's messages, file names, cells) shown as escapes, and lines
    over MAX_TERMINAL_LINE_CHARS cut (a row's syncError cell keeps the whole message)."""
    lines = visible_text(text).split("\n")
    for at, line in enumerate(lines):
        if len(line) > MAX_TERMINAL_LINE_CHARS:
            more = len(line) - MAX_TERMINAL_LINE_CHARS
            lines[at] = (
                f"{line[:MAX_TERMINAL_LINE_CHARS]}... [{more} more characters: the row's"
                " syncError cell holds the whole message]"
            )
    return "\n".join(lines)
