"""Render plans and results for people (text) and scripts (JSON).

Pure: returns strings and dicts; the CLI decides where they go. It names columns the
way the user's sheet does and never prints the token or whole request bodies of a
real sync (plan's JSON shows the bodies because that is its purpose).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo
from typing import Any

from eventsync.columns import CUSTOM_PREFIX, OBJECT_ID, SYNC_ERROR, is_custom
from eventsync.hubspot.payload import batch_body, batches
from eventsync.messages import Language, command, localise, say
from eventsync.model import PlannedUpdate, ProblemCode, RowProblem, RowStatus, Sheet
from eventsync.output.creates import creates_json, plan_create_lines, run_create_lines
from eventsync.output.lifecycle_lines import (
    deletes_total_lines,
    lifecycle_json,
    lifecycle_plan_lines,
    lifecycle_run_lines,
    lifecycle_run_summary,
)
from eventsync.output.listing import MAX_LISTED
from eventsync.output.property_types import defined_names
from eventsync.plan.planned import PlannedSheet
from eventsync.plan.repeats import files_named, row_ranges
from eventsync.plan.results import SheetResult
from eventsync.values import show_value
from eventsync.visible import visible_text


def sheet_title(sheet: Sheet, language: Language = "en") -> str:
    if not sheet.sheet_name:
        return sheet.name
    return say(language, "report.sheet_title", file=sheet.name, sheet=sheet.sheet_name)


def _change_lines(
    sheet: Sheet, update: PlannedUpdate, zone: tzinfo, language: Language
) -> list[str]:
    lines = []
    for change in update.changes:
        label = sheet.column_label(change.field)
        new = show_value(change.new, change.field, zone)
        if update.first_sync:
            lines.append(say(language, "report.change_first", label=label, new=new))
        else:
            old = show_value(change.old, change.field, zone)
            lines.append(say(language, "report.change", label=label, old=old, new=new))
    if update.cleaned:
        labels = {field: sheet.column_label(field) for field in update.cleaned}
        columns = ", ".join(labels.values())
        lines.append(say(language, "report.line_breaks", columns=columns, count=len(labels)))
    return lines


def render_plan(
    planned_sheets: Sequence[PlannedSheet], batch_size: int, zone: tzinfo, language: Language = "en"
) -> str:
    out: list[str] = []
    total_requests = total_events = total_lifecycle = 0
    said: set[frozenset[str]] = set()  # pairs of files holding the same events, said once
    for planned in planned_sheets:
        sheet, plan = planned.sheet, planned.plan
        requests = -(-len(plan.updates) // batch_size)
        total_requests += requests
        total_events += len(plan.updates)
        conflicts = {p.row_number for p in plan.problems if p.code is ProblemCode.CONFLICT}
        invalid = len(set(plan.invalid_rows) - conflicts)
        summary = say(
            language,
            "report.plan_sheet",
            title=sheet_title(sheet, language),
            rows=len(sheet.rows),
            send=len(plan.updates),
            unchanged=len(plan.unchanged),
            invalid=invalid,
        )
        if conflicts:
            summary += say(language, "report.conflicts", count=len(conflicts))
        out.append(summary)
        out.extend(lifecycle_plan_lines(planned, language, zone))
        # (deletions and completions: something a sync sends, not "nothing to send")
        total_lifecycle += len(planned.lifecycle.deletes) + len(planned.lifecycle.completes)
        out.extend(_new_state_lines(planned, language))
        out.extend(_elsewhere_lines(planned, language))
        id_label = sheet.column_label(OBJECT_ID)
        for update in plan.updates[:MAX_LISTED]:
            lines = _change_lines(sheet, update, zone, language)
            # Only the cells listed go out: those HubSpot already holds are left out.
            where = {"row": update.row_number, "label": id_label, "id": update.object_id}
            if update.first_sync:
                out.append("  " + say(language, "report.plan_row_first", **where))
            else:
                out.append("  " + say(language, "report.plan_row", **where))
            out.extend(f"      {line}" for line in lines)
        if len(plan.updates) > MAX_LISTED:
            more = len(plan.updates) - MAX_LISTED
            out.append("  " + say(language, "report.more_to_send", count=more))
        listed = say(language, "report.more_in_json", json=command("plan", "--json"))
        out.extend(_problem_lines(planned, language, more=listed, said=said))
        out.extend(_incoming_lines(planned, zone, language, applied=False))
        out.extend(_new_event_lines(planned, language))
        out.extend(plan_create_lines(sheet, planned.create_rows, zone, language))
    if total_events:
        out.append(say(language, "report.would_send", events=total_events, requests=total_requests))
    elif not total_lifecycle and not any(planned.create_rows for planned in planned_sheets):
        # "0 events in 0 requests" reads as a plan to send something
        out.append(say(language, "report.nothing_to_send"))
    deletes = sum(len(planned.lifecycle.deletes) for planned in planned_sheets)
    out.extend(deletes_total_lines(planned_sheets, deletes, language))
    return "\n".join(out)


def _new_state_lines(planned: PlannedSheet, language: Language) -> list[str]:
    """This folder has no record of events this sheet synced before: say so, and how
    many. An id HubSpot does not know (mistyped) is no such event: its row says so."""
    rows = {row.row_number: row.object_id for row in planned.rows}
    unknown_to_hubspot = {
        rows.get(p.row_number) for p in planned.plan.problems if p.code is _NOT_IN_HUBSPOT
    }
    count = len([oid for oid in planned.unrecorded if oid not in unknown_to_hubspot])
    if not count:
        return []
    return ["  " + say(language, "report.new_state", count=count)]


def _elsewhere_lines(planned: PlannedSheet, language: Language) -> list[str]:
    """Rows synced since this folder's last sync of them: another working folder."""
    found = planned.elsewhere
    if not found:
        return []
    ids = ", ".join(found[:10]) + (" ..." if len(found) > 10 else "")
    return ["  " + say(language, "report.synced_elsewhere", count=len(found), ids=ids)]


def _incoming_lines(
    planned: PlannedSheet, zone: tzinfo, language: Language, *, applied: bool
) -> list[str]:
    """Changes made only in HubSpot, and events only HubSpot has (two-way sync)."""
    sheet = planned.sheet
    incoming = planned.reconciled.incoming if planned.reconciled else ()
    lines = []
    if incoming:
        if applied:
            lines.append("  " + say(language, "report.brought_in"))
        else:
            two_way = command("sync", "--two-way")
            lines.append("  " + say(language, "report.changed_in_hubspot", two_way=two_way))
        for change in incoming[:MAX_LISTED]:
            label = sheet.column_label(change.field)
            old = show_value(change.old, change.field, zone)
            new = show_value(change.new, change.field, zone)
            row = change.row_number
            line = say(language, "report.incoming_row", row=row, label=label, old=old, new=new)
            lines.append(f"    {line}")
        if len(incoming) > MAX_LISTED:
            more = len(incoming) - MAX_LISTED
            lines.append("    " + say(language, "report.and_more", count=more))
    return lines


def _new_event_lines(planned: PlannedSheet, language: Language) -> list[str]:
    if planned.elsewhere_unread is not None:
        return ["  " + localise(planned.elsewhere_unread, language)]
    lines = []
    new_events = planned.new_in_hubspot
    if new_events:
        ids = ", ".join(e.object_id for e in new_events[:10]) + (
            " ..." if len(new_events) > 10 else ""
        )
        add_new = command("sync", "--two-way", "--add-new")
        text = say(language, "report.new_in_hubspot", count=len(new_events), ids=ids, add=add_new)
        lines.append("  " + text)
    return lines


def _problem_lines(
    planned: PlannedSheet,
    language: Language,
    *,
    more: str,
    said: set[frozenset[str]] | None = None,
) -> list[str]:
    """`more`: where the problems not listed can be read (plan writes no syncError).
    Rows holding the events of another file are said once per pair of files, with
    their count (`said`: the pairs a sheet listed earlier in the run has said)."""
    said = set() if said is None else said
    rows_by_files: dict[tuple[str, ...], list[int]] = {}
    problems = []
    for problem in planned.plan.problems:
        files = files_named(problem.message) if problem.code is _IN_OTHER_FILE else []
        if files:
            rows_by_files.setdefault(tuple(sorted(set(files))), []).append(problem.row_number)
        else:
            problems.append(problem)
    lines = []
    for others, rows in rows_by_files.items():
        pair = frozenset({planned.sheet.name, *others})
        if pair in said:
            continue
        said.add(pair)
        text = say(
            language,
            "report.duplicate_files",
            count=len(rows),
            others=", ".join(others),
            rows=row_ranges(rows),
        )
        lines.append("  " + text)
    lines += _stale_copy_lines(planned, [p for p in problems if p.code is _STALE], language)
    problems = [p for p in problems if p.code is not _STALE]
    lines += [
        "  " + say(language, "report.row", row=p.row_number, message=localise(p.message, language))
        for p in problems[:MAX_LISTED]
    ]
    if len(problems) > MAX_LISTED:
        count = len(problems) - MAX_LISTED
        lines.append("  " + say(language, "report.more_problems", count=count, where=more))
    return lines


_IN_OTHER_FILE = ProblemCode.DUPLICATE_IN_OTHER_FILE
_STALE = ProblemCode.STALE_COPY
_NOT_IN_HUBSPOT = ProblemCode.NOT_IN_HUBSPOT


def _stale_copy_lines(
    planned: PlannedSheet, stale: Sequence[RowProblem], language: Language
) -> list[str]:
    """An older copy's rows share one rule: said once for the file, with their count
    (each row's cell keeps its short form, naming its own times and command)."""
    if not stale:
        return []
    ids = {row.row_number: row.object_id for row in planned.rows}
    first = ids.get(stale[0].row_number, "")
    text = say(
        language,
        "report.stale_copy",
        count=len(stale),
        rows=row_ranges([p.row_number for p in stale]),
        two_way=command("sync", "--two-way"),
        force=command("sync", "--force", first) if first else command("sync", "--force"),
    )
    return ["  " + text]


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
                "syncedElsewhere": list(planned.elsewhere),
                "creates": creates_json(planned.create_rows),
                "requests": [batch_body(b) for b in batches(plan.updates, batch_size)],
                **lifecycle_json(planned, batch_size),
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


def render_run(
    result: SheetResult,
    zone: tzinfo,
    language: Language = "en",
    *,
    said: set[frozenset[str]] | None = None,
) -> str:
    """`said`: pairs of files holding the same events already said in this run."""
    sheet, planned = result.planned.sheet, result.planned
    t = result.tally
    summary = say(
        language,
        "report.run_sheet",
        title=sheet_title(sheet, language),
        rows=t.rows_read,
        unchanged=t.unchanged,
        sent=t.sent,
        updated=t.updated,
        failed=t.failed,
        invalid=t.invalid,
    )
    if t.conflicts:
        summary += say(language, "report.conflicts", count=t.conflicts)
    summary += lifecycle_run_summary(result, language)
    out = [summary, *_elsewhere_lines(planned, language), *lifecycle_run_lines(result, language)]
    out.extend(run_create_lines(sheet, result.creates, language))
    failures = [
        "  "
        + say(language, "report.row", row=row.row_number, message=localise(row.message, language))
        for row in result.rows
        if row.status in (RowStatus.FAILED, RowStatus.NOT_SENT) and row.message
    ]
    out.extend(failures[:MAX_LISTED])
    error_column = sheet.column_label(SYNC_ERROR)
    if len(failures) > MAX_LISTED:
        more = len(failures) - MAX_LISTED
        out.append("  " + say(language, "report.more_failed", count=more, column=error_column))
    where = say(language, "report.see_cells", column=error_column)
    out.extend(_problem_lines(planned, language, more=where, said=said))
    if result.incoming:
        out.extend(_incoming_lines(planned, zone, language, applied=True))
    if result.added:
        out.append("  " + say(language, "report.appended", count=len(result.added)))
    else:
        out.extend(_new_event_lines(planned, language))
    if result.warning:
        out.append(f"  {localise(result.warning, language)}")
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
        "syncedElsewhere": list(result.planned.elsewhere),
        **lifecycle_json(result.planned),
        "creates": creates_json(result.creates),
    }


def custom_columns(planned_sheets: Sequence[PlannedSheet]) -> list[str]:
    """The custom-property names the sheets have columns for, in order, each once."""
    names: dict[str, None] = {}
    for planned in planned_sheets:
        for field in planned.sheet.headers:
            if is_custom(field):
                names[field[len(CUSTOM_PREFIX) :]] = None
    return list(names)


def custom_property_lines(
    names: Sequence[str], defined: Mapping[str, str] | None, language: Language = "en"
) -> list[str]:
    """Which custom columns the portal defines: a column it lacks would be dropped by
    HubSpot, so `plan` says so before anything is sent. `defined`: name -> HubSpot's
    type, None when the portal's properties could not be read."""
    if not names:
        return []
    if defined is None:
        return [say(language, "report.custom_unread")]
    known = defined_names([name for name in names if name in defined], defined, language)
    missing = [name for name in names if name not in defined]
    lines = []
    if known:
        lines.append(say(language, "report.custom_defined", names=known))
    if missing:
        text = say(language, "report.custom_missing", names=", ".join(missing), count=len(missing))
        lines.append(text)
    return lines


MAX_TERMINAL_LINE_CHARS = 600  # a longer line (a HubSpot message) is cut on the terminal


def for_terminal(text: str, language: Language = "en") -> str:
    """Text as it may reach a terminal: control characters, escape sequences and bidi
    overrides (from HubSpot's messages, file names, cells) shown as escapes, and lines
    over MAX_TERMINAL_LINE_CHARS cut (a row's syncError cell keeps the whole message)."""
    lines = visible_text(text).split("\n")
    for at, line in enumerate(lines):
        if len(line) > MAX_TERMINAL_LINE_CHARS:
            more = len(line) - MAX_TERMINAL_LINE_CHARS
            cut = say(language, "report.line_cut", count=more)
            lines[at] = f"{line[:MAX_TERMINAL_LINE_CHARS]}... [{cut}]"
    return "\n".join(lines)
