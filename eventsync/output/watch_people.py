"""What `eventsync watch` prints for a participants file it synced: the line `sync`
prints for it (rows sent, failed, held back, with problems, unchanged) after the time,
or one JSON object (`sync --json`'s participants part for that file, with when and how
it ended). Rendering only: nothing here reads files or talks to HubSpot."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from eventsync.messages import Language, say
from eventsync.output.participants import participants_json, sync_lines
from eventsync.output.report import for_terminal
from eventsync.output.watch_lines import watch_json
from eventsync.participants_run import ParticipantsResult, SheetOutcome


def _for_watch(result: ParticipantsResult, waiting_for_close: bool) -> ParticipantsResult:
    """The writer's own words ("close it and run sync again") are for a sync run by hand:
    under watch, watch writes the results once the file is closed, and says so."""
    if not waiting_for_close:
        return result
    sheets = tuple(replace(outcome, warning=None) for outcome in result.sheets)
    return replace(result, sheets=sheets)


def people_line(
    at: datetime,
    result: ParticipantsResult,
    *,
    waiting_for_close: bool = False,
    language: Language = "en",
) -> str:
    """`10:42:07  people.csv (participants): 3 sent, 1 failed, ...`, then the lines
    `sync` prints under it."""
    lines = sync_lines(_for_watch(result, waiting_for_close), language)
    if lines:
        lines[0] = f"{at:%H:%M:%S}  {lines[0]}"
    for outcome in result.sheets if waiting_for_close else ():
        lines.append("  " + say(language, "watch.waiting_for_close", file=outcome.sheet.name))
    return for_terminal("\n".join(lines), language)


def people_json(
    at: datetime,
    outcome: SheetOutcome,
    result: ParticipantsResult,
    exit_code: int,
    *,
    waiting_for_close: bool = False,
) -> str:
    """One line of JSON: the file's part of `sync --json`'s `participants`, plus when and
    how it ended (`kind`: participants, as an events sheet's line has none)."""
    [part] = participants_json(replace(result, sheets=(outcome,)), "en")
    return watch_json(
        at,
        outcome.sheet.name,
        {"kind": "participants", **part},
        exit_code,
        warning=outcome.warning,
        waiting_for_close=waiting_for_close,
        stop=result.stop,
    )


def people_report(
    at: datetime, result: ParticipantsResult, *, as_json: bool, waiting: bool, language: Language
) -> str:
    """What watch prints after syncing one participants file (`result` holds it alone)."""
    if as_json:
        [outcome] = result.sheets
        return people_json(at, outcome, result, int(result.exit_code), waiting_for_close=waiting)
    return people_line(at, result, waiting_for_close=waiting, language=language)
