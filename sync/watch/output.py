"""What `eventsync watch` prints: one line per sync (time, file, sent / updated / failed
/ conflicts, then the problems as `sync` shows them), or one JSON object per sync.
Rendering only: nothing here reads files or talks to HubSpot."""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from sync.messages import Language, say
from sync.plan.results import SheetResult
from sync.report import for_terminal, render_run, run_json
from sync.visible import one_line


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
    lines = [head, *render_run(result, zone, language).splitlines()[1:]]
    if waiting_for_close:
        lines.append("  " + say(language, "watch.waiting_for_close", file=name))
    return for_terminal("\n".join(lines), language)


def sync_json(
    at: datetime, result: SheetResult, exit_code: int, *, waiting_for_close: bool = False
) -> str:
    """One line of JSON: `run_json`'s fields for the sheet, plus when and how it ended."""
    document: dict[str, Any] = {
        "time": at.isoformat(timespec="seconds"),
        "file": result.planned.sheet.path.name,
        **run_json(result),
        "exitCode": exit_code,
        "waitingForClose": waiting_for_close,
        "warning": result.warning,
    }
    if result.stop is not None:
        document["message"] = result.stop.message
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
