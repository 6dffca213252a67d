"""What `plan` and `sync` print: the report's text and JSON on the user's streams.

Text goes through `report.for_terminal` (long lines cut) and then the streams' own
filter (eventsync/terminal.py: control characters and bidi overrides made visible); JSON is
for scripts and goes out whole, its hidden characters as JSON escapes (the stream).
A progress line is redrawn with `terminal.redraw`, the one carriage return that passes.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping
from typing import TextIO

from eventsync.config import Settings
from eventsync.environment import current
from eventsync.language import run_language
from eventsync.messages import Language, localise, say
from eventsync.output.report import (
    custom_property_lines,
    for_terminal,
    plan_json,
    render_plan,
    render_run,
    run_json,
)
from eventsync.plan.run_result import RunResult
from eventsync.terminal import redraw

READS_SHOWN_FROM = 500  # events: fewer are read in a blink


def tell(stderr: TextIO, line: str) -> None:
    """One line to stderr; a stderr that is gone too (`2>&1 | head`) is not a new error
    (on Windows that is EINVAL, which the CLI's streams raise as BrokenPipeError)."""
    with contextlib.suppress(BrokenPipeError):
        print(for_terminal(line), file=stderr)


def print_plan(
    result: RunResult,
    forced: bool,
    settings: Settings,
    stdout: TextIO,
    custom: tuple[list[str], Mapping[str, str] | None],
    *,
    as_json: bool,
    extra: Mapping[str, object] | None = None,
) -> None:
    """`custom`: the sheets' custom-property columns, and what the portal defines (None:
    not read). `extra`: more of the --json document (participants)."""
    planned = list(result.planned)
    language = run_language((one.sheet for one in planned), settings)
    names, defined = custom
    if as_json:
        document = plan_json(planned, settings.batch_size)
        if result.read_hubspot and names:
            document["customProperties"] = {
                name: (defined.get(name) if defined is not None else None) for name in names
            }
        document.update(extra or {})
        if result.stop is not None:  # HubSpot could not be read: said as `sync --json` says it
            document["exitCode"] = int(result.exit_code)
            document["message"] = localise(result.stop.message, language)
        print(json.dumps(document, ensure_ascii=False, indent=2), file=stdout)
        return
    text = render_plan(planned, settings.batch_size, settings.timezone, language)
    print(for_terminal(text, language), file=stdout)
    if result.read_hubspot:
        for line in custom_property_lines(names, defined, language):
            print(line, file=stdout)
    if not result.read_hubspot:
        if settings.token is None:
            reason = "no HUBSPOT_ACCESS_TOKEN"
        elif forced:
            reason = "--force"
        else:
            reason = "--no-remote-check"
        print(say(language, "output.not_read", why=reason), file=stdout)
        if settings.token is None and names:
            print(say(language, "custom.shown_as_typed"), file=stdout)
    if result.stop is not None:
        why = localise(result.stop.message, language)
        print(for_terminal(say(language, "output.could_not_read", why=why)), file=stdout)


def print_sync(
    result: RunResult,
    as_json: bool,
    settings: Settings,
    stdout: TextIO,
    stderr: TextIO,
    *,
    extra: Mapping[str, object] | None = None,
) -> None:
    stop_message = result.stop.message if result.stop else None
    language = run_language((sheet.planned.sheet for sheet in result.sheets), settings)
    if as_json:
        document: dict[str, object] = {
            "sheets": [run_json(sheet) for sheet in result.sheets],
            "exitCode": int(result.exit_code),
            **(extra or {}),
        }
        if stop_message:
            document["message"] = stop_message
        print(json.dumps(document, ensure_ascii=False, indent=2), file=stdout)
    else:
        said: set[frozenset[str]] = set()  # pairs of files holding the same events
        for sheet in result.sheets:
            text = render_run(sheet, settings.timezone, language, said=said)
            print(for_terminal(text, language), file=stdout)
    if stop_message:
        tell(stderr, f"eventsync: {localise(stop_message, language)}")


def reading_printer(
    stream: TextIO, name: str, language: Language = "en"
) -> Callable[[int, int], None]:
    """'events.xlsx: reading HubSpot 1200/5000 events' on one terminal line while the
    check before sending reads, for reads of more than a few requests."""
    interactive = current().interactive(stream)

    def show(done: int, total: int) -> None:
        if not interactive or total <= READS_SHOWN_FROM:
            return
        line = say(language, "output.reading", name=name, done=done, total=total)
        redraw(stream, line, last=done >= total)

    return show


def progress_printer(
    stream: TextIO, name: str, batch_size: int, language: Language = "en"
) -> Callable[[int, int], None]:
    """A one-line progress bar, only on a terminal and only for runs of several batches."""
    interactive = current().interactive(stream)

    def show(done: int, total: int) -> None:
        if not interactive or total <= batch_size:
            return
        width = 30
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        line = say(language, "progress.bar", name=name, bar=bar, done=done, total=total)
        redraw(stream, line, last=done >= total)

    return show


def page_counter(stream: TextIO, language: Language = "en") -> Callable[..., None]:
    """'pulled 1200 events' on one terminal line while the pages come in."""
    interactive = current().interactive(stream)  # TERM=dumb too, as plan's and sync's
    total = 0

    def count(events: int, *, done: bool = False) -> None:
        nonlocal total
        total += events
        if interactive:
            redraw(stream, say(language, "progress.pulled", count=total), last=done)

    return count
