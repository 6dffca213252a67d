"""`eventsync log`: the last run's log (state/runlog.py writes it) as lines a person
reads, one entry a line. Rendering only: it never reads or writes the log file itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from eventsync.messages import Said, Text, joined


def _text(value: object) -> str:
    """A value of the log file as text: a log may hold anything (it is a file), and a text
    field is shown on one line (eventsync/messages), so an entry stays one line."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _carried(entry: Mapping[str, Any], sent: int) -> str:
    """What a request carried, with its comma: the events a write sent, the events a read
    of HubSpot's events brought back, nothing for other reads. A read sends no events,
    so "0 events" for it would read as "HubSpot has none"."""
    if entry.get("method") != "GET":
        return _posted(entry, sent)
    received = entry.get("received")
    if not isinstance(received, int):  # not a read of events, one that failed, or an older log
        return ""
    return Text("log.received", count=received)


def _posted(entry: Mapping[str, Any], sent: int) -> str:
    """What a write carried: participants (attendance), emails looked up (the contacts
    read: a POST that changes nothing), else events. Only counts: the log names no one."""
    path, size = entry.get("path"), entry.get("size")
    count = size if isinstance(size, int) else 0
    if isinstance(path, str) and "/attendance/" in path:
        return Text("log.carried_people", count=count)
    if isinstance(path, str) and path.endswith("/contacts/batch/read"):
        return Text("log.asked_contacts", count=count)
    return Text("log.carried", count=sent)


def _then(entry: Mapping[str, Any]) -> str:
    """What the client did after the answer, as ` -> ...`; nothing when it was done."""
    decision = entry.get("decision", "")
    if decision == "retry":
        wait = entry.get("wait_s")
        if isinstance(wait, int | float):
            return Text("log.retry_in", seconds=f"{wait:.1f}")
        return Text("log.retry_window")
    if decision == "give_up":
        return Text("log.gave_up")
    if decision == "stop_daily":
        return Text("log.stop_daily")
    if decision == "stop_wait":
        return Text("log.stop_wait")
    if decision == "stop_auth":
        return Text("log.stop_auth")
    return ""


def _request(at: str, entry: Mapping[str, Any]) -> str:
    paced = entry.get("paced_s")
    correlation = entry.get("correlationId")
    ids = entry.get("objectIds") or []
    return Text(
        "log.request",
        at=at,
        method=_text(entry.get("method")),
        path=_text(entry.get("path")),
        carried=_carried(entry, len(ids) if isinstance(ids, list) else 0),
        attempt=_text(entry.get("attempt")),
        status=_text(entry["status"]) if entry.get("status") else Text("log.no_answer"),
        correlation=Text("log.correlation", id=_text(correlation)) if correlation else "",
        paced=Text("log.paced", seconds=f"{paced:.1f}")
        if isinstance(paced, int | float) and paced
        else "",
        then=_then(entry),
    )


def _line(entry: Mapping[str, Any]) -> str | None:
    at = _text(entry.get("at", ""))[11:23]
    kind = entry.get("kind")
    if kind == "start":
        return Text("log.started", at=at, command=_text(entry.get("command")), sheets=_read(entry))
    if kind == "request":
        return _request(at, entry)
    if kind == "page":
        return Text("log.page", at=at, count=_text(entry.get("events", 0)))
    if kind == "sheet":
        counts = {
            name: _text(entry.get(name, 0)) for name in ("sent", "updated", "failed", "invalid")
        }
        return Text("log.sheet", at=at, sheet=_text(entry.get("sheet")), **counts)
    if kind == "participants":
        counts = {name: _text(entry.get(name, 0)) for name in ("sent", "failed", "held")}
        return Text(
            "log.participants_sheet",
            at=at,
            sheet=_text(entry.get("sheet")),
            bad=_text(entry.get("invalid", 0)),
            **counts,
        )
    if kind == "incoming":
        return Text(
            "log.incoming",
            at=at,
            sheet=_text(entry.get("sheet")),
            row=_text(entry.get("row")),
            field=_text(entry.get("field")),
            old=json.dumps(entry.get("old"), ensure_ascii=False),
        )
    if kind == "end":
        code = _text(entry.get("exitCode"))
        message = entry.get("message")
        if message:  # as the run said it, in the reader's language when the run kept it
            return Text("log.ended_saying", at=at, code=code, message=_said(entry, message))
        return Text("log.ended", at=at, code=code)
    return None


def _read(entry: Mapping[str, Any]) -> str:
    """The files a run read, as its start line names them: events sheets, then
    participants files (marked so)."""
    sheets, people = entry.get("sheets", []), entry.get("participants", [])
    names = list(map(_text, sheets)) if isinstance(sheets, list) else [_text(sheets)]
    if isinstance(people, list):
        names += [Text("log.participants_file", file=_text(name)) for name in people]
    return joined(names, ", ")


def _said(entry: Mapping[str, Any], message: object) -> str:
    """The run's last message: every language it was kept in (since `said` was
    written), else its English as older logs hold it."""
    said = entry.get("said")
    if isinstance(said, dict) and all(isinstance(v, str) for v in said.values()):
        return Said({**said, "en": _text(message)})
    return _text(message)


def render_log(path: Path, entries: Iterable[Mapping[str, Any]]) -> str:
    """One entry, one line: a message, said in the reader's language where it is printed.
    A sheet's name or HubSpot's message holding a line break cannot make a line of its own
    that reads as another entry (every field is shown on one line)."""
    lines: list[str] = [Text("log.title", path=path)]
    lines += [line for line in map(_line, entries) if line is not None]
    if len(lines) == 1:
        lines.append(Text("log.empty"))
    return joined(lines, "\n")
