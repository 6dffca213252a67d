"""File events: watchfiles' native notifications (inotify, FSEvents, Windows' change
journal) turned into what the schedule needs, on a thread of its own.

`Changed(sheet, at)`: a watched sheet was created, saved, replaced or deleted.
`Closed(sheet)`: the lock file of a watched workbook went (Excel or LibreOffice closed
it). Nothing else passes: other files, temp files, hidden files, sub-folders.
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

from sync.errors import SheetError
from sync.messages import Text, command
from sync.model import FileStamp
from sync.sheets.folder import is_sheet_name
from sync.watch.files import locked_sheet, stamp_now

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


Event = Changed | Closed


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

    def watched(self, path: Path) -> bool:
        return self._targets is None or path in self._targets

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
                *self.folders,
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

    def _seen(self, change: watchfiles.Change, path: Path) -> None:
        sheet = locked_sheet(path)
        if sheet is not None:
            if change is watchfiles.Change.deleted and self.watched(sheet):
                self.queue.put(Closed(sheet))
            return
        if is_sheet_name(path.name) and self.watched(path):
            # Stamped now, not when the main thread gets to it: a save made during a sync
            # must not be taken for the version the sync writes.
            self.queue.put(Changed(path, stamp_now(path), self._clock()))
