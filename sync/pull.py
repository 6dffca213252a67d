"""Pull: every marketing event of the portal -> a new workbook, and into the snapshot.

The pulled values go through the same normalisation the reader applies to a cell, and
are recorded as "what both sides agree on", so a sync right after a pull sends nothing
and the first real sync sends only what the user then edits. It never overwrites an
existing file unless told to (--force).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import TextIO

from sync.columns import template_fields
from sync.errors import EventsyncError, SheetError
from sync.hubspot.client import HubSpotClient
from sync.model import SyncedEvent, frozen
from sync.plan.events import custom_names, event_cells, normalise_events
from sync.sheets.template import build_workbook, save_workbook
from sync.sheets.writer import back_up
from sync.state.runlog import RunLog
from sync.state.snapshot import SnapshotStore


@dataclass(frozen=True)
class PullResult:
    path: Path
    events: int
    custom_properties: tuple[str, ...]


def pull(
    client: HubSpotClient,
    target: Path,
    zone: tzinfo,
    store: SnapshotStore,
    *,
    lang: str = "en",
    force: bool = False,
    on_page: Callable[[int], None] | None = None,
    log: RunLog | None = None,
) -> PullResult:
    """`on_page(events)` after each page read (the CLI's progress line); `log` counts
    the events of each page in the run log. The snapshot takes the pulled events in
    transactions of a thousand, after the workbook is written."""
    if target.suffix.lower() != ".xlsx":
        raise SheetError(
            f"{target}: pull writes an .xlsx workbook; name it e.g. sheets/events.xlsx"
        )
    if target.exists() and not force:
        raise SheetError(
            f"{target} already exists; pull writes a new workbook. Choose another name,"
            " or add --force to replace it (your current file is backed up first)"
        )

    def page_done(count: int) -> None:
        if log is not None:
            log.write("page", events=count)
        if on_page is not None:
            on_page(count)

    if log is not None:
        log.write("start", command="pull", sheets=[target.name])
    try:
        events = list(client.list_events(on_page=page_done))
    except EventsyncError as error:
        if log is not None:
            log.write("end", exitCode=int(error.exit_code), message=str(error))
        raise
    events.sort(key=lambda event: int(str(event.get("objectId", "0"))))
    names = custom_names(events)
    fields = template_fields(names)
    rows = [event_cells(event, fields, zone) for event in events]
    workbook = build_workbook(rows, custom=names, lang=lang)
    if target.exists():
        back_up(target, store.state_dir)
    save_workbook(workbook, target)

    agreed = normalise_events(events, zone)
    store.merge({oid: SyncedEvent(frozen(e.values), e.updated_at) for oid, e in agreed.items()})
    if log is not None:
        log.write("end", exitCode=0, message=f"{len(events)} events pulled")
    return PullResult(target, len(events), names)


def page_counter(stream: TextIO) -> Callable[..., None]:
    """'pulled 1200 events' on one terminal line while the pages come in."""
    interactive = hasattr(stream, "isatty") and stream.isatty()
    total = 0

    def count(events: int, *, done: bool = False) -> None:
        nonlocal total
        total += events
        if interactive:
            stream.write(f"\rpulled {total} events" + ("\n" if done else ""))
            stream.flush()

    return count
