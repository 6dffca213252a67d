"""File events: watchfiles' native notifications (inotify, FSEvents, Windows' change
journal) turned into what the schedule needs, on a thread of its own.

`Changed(sheet, at)`: a watched sheet was created, saved, replaced or deleted.
`Closed(sheet)`: the lock file of a watched workbook went (Excel or LibreOffice closed
it). `NotHere(sheet, placeholder)`: iCloud put a stub in a watched sheet's place (not
downloaded to this Mac). Nothing else passes: other files, temp files, hidden files,
sub-folders. The folders are watched by their real paths, and each event's path is
matched to the sheet as the user named it (paths.py: FSEvents reports real paths).
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from eventsync.errors import SheetError
from eventsync.messages import Text, command
from eventsync.model import FileStamp
from eventsync.sheets.folder import (
    Placeholder,
    icloud_sheet,
    is_sheet_name,
    placeholder_at,
    placeholders_in,
)
from eventsync.watch.paths import WatchedFolder, match_paths, watched_folder
from eventsync.watch.watched_files import locked_sheet, stamp_now

READY_TIMEOUT_S = 10.0  # the native watcher is set up well within this
WATCH_TIMEOUT_MS = 200  # the thread looks for a stop this often
JOIN_S = 2.0


@dataclass(frozen=True)
class Changed:
    path: Path
    stamp: FileStamp | None  # the file's version when the change was seen (None: gone)
    at: float  # when it was seen (monotonic clock)


@dataclass(frozen=True)
class Closed:
    path: Path  # the workbook whose lock file went


@dataclass(frozen=True)
class NotHere:
    path: Path  # the sheet a cloud service keeps only online
    placeholder: Placeholder


Event = Changed | Closed | NotHere


class FileEvents:
    """Watches `folders` (only `targets` in them, when given) until `stop()`."""

    def __init__(
        self,
        folders: Iterable[Path],
        targets: Iterable[Path] | None,
        *,
        debounce_ms: int,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.folders = [Path(os.path.abspath(f)) for f in folders]
        self._targets = None if targets is None else {Path(os.path.abspath(t)) for t in targets}
        watched: list[WatchedFolder]
        if self._targets is None:
            watched = [watched_folder(folder) for folder in self.folders]
            self._paths = match_paths(watched)
        else:
            # Each target's own real folder (a symlinked file's too), asked about once.
            reals = {target: os.path.realpath(target) for target in sorted(self._targets)}
            by_real: dict[str, WatchedFolder] = {}
            for target, real in reals.items():
                parent = os.path.dirname(real)
                if parent not in by_real:
                    by_real[parent] = watched_folder(target.parent, Path(parent))
            watched = list(by_real.values())
            self._paths = match_paths(watched, reals.items())
        self._real_folders = sorted({folder.real for folder in watched})
        self._debounce_ms = debounce_ms
        self._clock = clock
        self.queue: queue.Queue[Event] = queue.Queue()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._failed: list[Exception] = []
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def start(self) -> None:
        """Start watching; returns once the native watcher is in place."""
        self._thread.start()
        self._ready.wait(READY_TIMEOUT_S)
        self.check()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(JOIN_S)

    def check(self) -> None:
        """Raise, in the caller's thread, what ended the watching thread: a watched
        folder gone (deleted, renamed, unmounted) is a folder to fix, not a bug."""
        gone = [folder for folder in self.folders if not folder.is_dir()]
        if gone:
            names = ", ".join(str(folder) for folder in gone)
            raise SheetError(
                Text("watch.folder_gone", folders=names, watch=command("watch"))
            ) from None
        if self._failed:
            raise self._failed[0]

    def placeholders(self) -> list[NotHere]:
        """Every watched sheet a cloud service keeps only online now (the start-up pass)."""
        if self._targets is not None:
            found = ((target, placeholder_at(target)) for target in sorted(self._targets))
            return [NotHere(target, p) for target, p in found if p is not None]
        away = []
        for folder in self.folders:
            try:
                with os.scandir(folder) as listing:
                    away += [NotHere(folder / p.sheet, p) for p in placeholders_in(listing)]
            except OSError:
                continue
        return away

    def sheets(self) -> list[Path]:
        """Every watched sheet there is now (the start-up pass)."""
        if self._targets is not None:
            return sorted(self._targets)
        found: list[Path] = []
        for folder in self.folders:
            try:
                found.extend(p for p in folder.iterdir() if p.is_file() and is_sheet_name(p.name))
            except OSError:
                continue
        return sorted(found)

    def _watch(self) -> None:
        try:
            for changes in watchfiles.watch(
                *self._real_folders,
                watch_filter=None,
                debounce=self._debounce_ms,
                stop_event=self._stop,
                rust_timeout=WATCH_TIMEOUT_MS,
                yield_on_timeout=True,
                recursive=False,
            ):
                self._ready.set()  # the first yield: the native watcher is in place
                for change, name in changes:
                    self._seen(change, Path(name))
        except Exception as error:  # noqa: BLE001 - handed to the main thread by check()
            self._failed.append(error)
        finally:
            self._ready.set()

    def _seen(self, change: watchfiles.Change, reported: Path) -> None:
        locked = locked_sheet(reported)
        if locked is not None:
            sheet = self._paths.sheet_for(str(locked))
            if change is watchfiles.Change.deleted and sheet is not None:
                self.queue.put(Closed(sheet))
            return
        stub = icloud_sheet(reported.name)
        if stub is not None:
            sheet = self._paths.sheet_for(str(reported.with_name(stub)))
            placeholder = placeholder_at(sheet) if sheet is not None else None
            if change is not watchfiles.Change.deleted and sheet and placeholder:
                self.queue.put(NotHere(sheet, placeholder))
            return
        sheet = self._paths.sheet_for(str(reported)) if is_sheet_name(reported.name) else None
        if sheet is not None:
            # Stamped now, not when the main thread gets to it: a save made during a sync
            # must not be taken for the version the sync writes.
            self.queue.put(Changed(sheet, stamp_now(sheet), self._clock()))
