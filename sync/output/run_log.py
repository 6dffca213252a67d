"""`eventsync log`: the last run's log (state/runlog.py writes it) as lines a person
reads, one entry a line. Rendering only: it never reads or writes the log file itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sync.visible import one_line


def _carried(entry: Mapping[str, Any], sent: int) -> str:
    """What a request carried, with its comma: the events a write sent, the events a read
    of HubSpot's events brought back, nothing for other reads. A read sends no events,
    so "0 events" for it would read as "HubSpot has none"."""
    if entry.get("method") != "GET":
        return f"{sent} events, "
    received = entry.get("received")
    if received is None:  # not a read of events, one that failed, or an older log
        return ""
    return f"read {received} {'event' if received == 1 else 'events'} from HubSpot, "


def render_log(path: Path, entries: Iterable[Mapping[str, Any]]) -> str:
    lines = [f"run log {path}"]
    for entry in entries:
        at = entry.get("at", "")[11:23]
        kind = entry.get("kind")
        if kind == "start":
            lines.append(
                f"{at}  started: {entry.get('command')} of {', '.join(entry.get('sheets', []))}"
            )
        elif kind == "request":
            status = entry.get("status") or "no answer"
            wait = entry.get("wait_s")
            then = {
                "done": "",
                "retry": f" -> retry in {wait:.1f} s"
                if wait is not None
                else " -> retry when the window frees",
                "give_up": " -> gave up",
                "stop_daily": " -> stopped: daily limit",
                "stop_wait": " -> stopped: wait too long",
                "stop_auth": " -> stopped: token or scope refused",
            }.get(entry.get("decision", ""), "")
            paced = f", paced {entry['paced_s']:.1f} s" if entry.get("paced_s") else ""
            ids = entry.get("objectIds") or []
            corr = f", correlationId {entry['correlationId']}" if entry.get("correlationId") else ""
            carried = _carried(entry, len(ids))
            lines.append(
                f"{at}  {entry.get('method')} {entry.get('path')}: {carried}"
                f"attempt {entry.get('attempt')}, {status}{corr}{paced}{then}"
            )
        elif kind == "page":
            lines.append(f"{at}  page read: {entry.get('events', 0)} events")
        elif kind == "sheet":
            lines.append(
                f"{at}  {entry.get('sheet')}: {entry.get('sent', 0)} sent, {entry.get('updated', 0)} updated,"
                f" {entry.get('failed', 0)} failed, {entry.get('invalid', 0)} invalid"
            )
        elif kind == "incoming":
            lines.append(
                f"{at}  {entry.get('sheet')} row {entry.get('row')}: {entry.get('field')} brought in"
                f" from HubSpot; the sheet had {json.dumps(entry.get('old'), ensure_ascii=False)}"
            )
        elif kind == "end":
            lines.append(
                f"{at}  finished with exit code {entry.get('exitCode')}"
                + (f": {entry['message']}" if entry.get("message") else "")
            )
    if len(lines) == 1:
        lines.append("(empty)")
    # One entry, one line: a sheet's name or HubSpot's message holding a line break
    # cannot make a line of its own that reads as another entry.
    return "\n".join(map(one_line, lines))
