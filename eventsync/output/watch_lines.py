"""What `eventsync watch` prints: one line per sync (time, file, sent / updated / failed
/ conflicts, then the problems as `sync` shows them), or one JSON object per sync.
Rendering only: nothing here reads files or talks to HubSpot."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from eventsync.messages import Language, say
from eventsync.model import Stop
from eventsync.output.report import for_terminal, render_run, run_json
from eventsync.plan.results import SheetResult
from eventsync.visible import one_line


def sync_line(
    at: datetime,
    result: SheetResult,
    zone: tzinfo,
    *,
    waiting_for_close: bool = False,
    language: Language = "en",
) -> str:
    """`10:42:07  events.xlsx: 2 sent, 2 updated, 0 failed, 0 conflicts`, then the
    lines `sync` prints under its summary (failed rows, problems, warnings)."""
    t = result.tally
    name = result.planned.sheet.path.name
    head = say(
        language,
        "watch.synced",
        time=f"{at:%H:%M:%S}",
        file=name,
        sent=t.sent,
        updated=t.updated,
        failed=t.failed,
        conflicts=t.conflicts,
    )
    if t.invalid:
        head += say(language, "watch.invalid", count=t.invalid)
    if waiting_for_close:
        # The writer's own words ("close it and run sync again") are for a sync run by
        # hand; under watch a sync by hand is refused, and watch writes them itself.
        result = replace(result, warning=None)
    lines = [head, *render_run(result, zone, language).splitlines()[1:]]
    if waiting_for_close:
        lines.append("  " + say(language, "watch.waiting_for_close", file=name))
    return for_terminal("\n".join(lines), language)


def waiting_written_line(at: datetime, path: Path, language: Language = "en") -> str:
    """Said once the results that waited for a workbook to close are in it."""
    return for_terminal(
        say(language, "watch.waiting_written", time=f"{at:%H:%M:%S}", file=path.name), language
    )


def sync_json(
    at: datetime, result: SheetResult, exit_code: int, *, waiting_for_close: bool = False
) -> str:
    """One line of JSON: `run_json`'s fields for the sheet, plus when and how it ended."""
    name = result.planned.sheet.path.name
    return watch_json(
        at,
        name,
        run_json(result),
        exit_code,
        warning=result.warning,
        waiting_for_close=waiting_for_close,
        stop=result.stop,
    )


def watch_json(
    at: datetime,
    name: str,
    fields: Mapping[str, Any],
    exit_code: int,
    *,
    warning: str | None,
    waiting_for_close: bool,
    stop: Stop | None,
) -> str:
    """One line of JSON for one sync watch made of file `name` (its events, or its
    participants: `fields`), with when and how it ended."""
    if waiting_for_close:  # (as in sync_line: watch writes them, not a sync by hand)
        warning = say("en", "watch.waiting_for_close", file=name)
    document: dict[str, Any] = {
        "time": at.isoformat(timespec="seconds"),
        "file": name,
        **fields,
        "exitCode": exit_code,
        "waitingForClose": waiting_for_close,
        "warning": warning,
    }
    if stop is not None:
        document["message"] = stop.message
    return json.dumps(document, ensure_ascii=False)


def waiting_written_json(at: datetime, path: Path) -> str:
    document = {
        "time": at.isoformat(timespec="seconds"),
        "file": path.name,
        "waitingWritten": True,
        "message": say("en", "watch.waiting_written", time=f"{at:%H:%M:%S}", file=path.name),
    }
    return json.dumps(document, ensure_ascii=False)


def problem_line(at: datetime, path: Path | None, message: str) -> str:
    """A sync that could not run (a file or a setting to fix, HubSpot out): one line
    per problem, as `sync` says it, prefixed with the time."""
    name = one_line(path.name) if path is not None else ""
    where = f"{name}: " if path is not None and not message.startswith(name) else ""
    return for_terminal(f"{at:%H:%M:%S}  {where}{message}")


def problem_json(at: datetime, path: Path | None, message: str, exit_code: int) -> str:
    document: dict[str, Any] = {
        "time": at.isoformat(timespec="seconds"),
        "file": path.name if path is not None else None,
        "exitCode": exit_code,
        "message": message,
    }
    return json.dumps(document, ensure_ascii=False)
