"""What `eventsync watch` prints for a participants file it synced: the line `sync`
prints for it (rows sent, failed, held back, with problems, unchanged) after the time,
or one JSON object (`sync --json`'s participants part for that file, with when and how
it ended). Rendering only: nothing here reads files or talks to HubSpot."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any

from eventsync.messages import Language, say
from eventsync.output.participants import participants_json, sync_lines
from eventsync.output.report import for_terminal
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
    name = outcome.sheet.name
    [part] = participants_json(replace(result, sheets=(outcome,)), "en")
    warning = outcome.warning
    if waiting_for_close:
        warning = say("en", "watch.waiting_for_close", file=name)
    document: dict[str, Any] = {
        "time": at.isoformat(timespec="seconds"),
        "file": name,
        "kind": "participants",
        **part,
        "exitCode": exit_code,
        "waitingForClose": waiting_for_close,
        "warning": warning,
    }
    if result.stop is not None:
        document["message"] = result.stop.message
    return json.dumps(document, ensure_ascii=False)


def people_report(
    at: datetime, result: ParticipantsResult, *, as_json: bool, waiting: bool, language: Language
) -> str:
    """What watch prints after syncing one participants file (`result` holds it alone)."""
    if as_json:
        [outcome] = result.sheets
        return people_json(at, outcome, result, int(result.exit_code), waiting_for_close=waiting)
    return people_line(at, result, waiting_for_close=waiting, language=language)
