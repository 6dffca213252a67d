"""When each watched sheet is due for a sync: pure, with times passed in.

A sheet is due once it has been quiet for `quiet_s` after its last change. A change
whose file stamp is one the watcher's own sync produced (the version it read, the
version it wrote) is not a change: the watcher's write-back never triggers a sync. A
sheet whose results wait for its workbook to close is due when the lock file goes.
While HubSpot is out (`hold`), nothing is due before the hold ends; the sheets the
outage hit are synced again then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from eventsync.model import FileStamp


@dataclass
class _Sheet:
    due_at: float | None = None  # synced once the clock reaches this
    ours: frozenset[FileStamp] = frozenset()  # versions our own sync read or wrote
    waiting_for_close: bool = False  # results kept until the workbook is closed


@dataclass
class Schedule:
    quiet_s: float
    hold_until: float | None = None  # HubSpot is out: no sync before this
    _sheets: dict[Path, _Sheet] = field(default_factory=dict)

    def changed(self, path: Path, stamp: FileStamp | None, at: float) -> bool:
        """A change to `path` was seen at `at` (its stamp then); True if it counts."""
        sheet = self._sheets.setdefault(path, _Sheet())
        if stamp is None:  # deleted or moved away: nothing to sync
            self._sheets.pop(path, None)
            return False
        if stamp in sheet.ours:
            return False
        sheet.due_at = max(sheet.due_at or at, at + self.quiet_s)
        return True

    def sync_now(self, path: Path, at: float) -> None:
        """Due at once (the start-up pass, a sheet whose workbook was just closed)."""
        self._sheets.setdefault(path, _Sheet()).due_at = at

    def closed(self, path: Path, at: float) -> bool:
        """The workbook's lock file went: due now if results were waiting for it."""
        sheet = self._sheets.get(path)
        if sheet is None or not sheet.waiting_for_close:
            return False
        sheet.waiting_for_close = False
        sheet.due_at = min(sheet.due_at or at, at)
        return True

    def started(self, path: Path) -> None:
        self._sheets.setdefault(path, _Sheet()).due_at = None

    def synced(
        self, path: Path, stamps: Iterable[FileStamp | None], *, waiting_for_close: bool
    ) -> None:
        """A sync of `path` ended; `stamps`: the versions it read and left behind."""
        sheet = self._sheets.setdefault(path, _Sheet())
        sheet.ours = frozenset(stamp for stamp in stamps if stamp is not None)
        sheet.waiting_for_close = waiting_for_close

    def hold(self, paths: Iterable[Path], until: float) -> None:
        """HubSpot is out until `until`: these sheets are synced again then."""
        self.hold_until = until
        for path in paths:
            sheet = self._sheets.setdefault(path, _Sheet())
            sheet.due_at = max(sheet.due_at or until, until)

    def release(self) -> None:
        self.hold_until = None

    def due(self, now: float) -> list[Path]:
        if self.hold_until is not None and now < self.hold_until:
            return []
        return sorted(
            path
            for path, sheet in self._sheets.items()
            if sheet.due_at is not None and sheet.due_at <= now
        )

    def next_due(self) -> float | None:
        """The earliest time a sheet becomes due (None: nothing is waiting)."""
        times = [s.due_at for s in self._sheets.values() if s.due_at is not None]
        if not times:
            return None
        first = min(times)
        return max(first, self.hold_until) if self.hold_until is not None else first

    def waiting_for_close(self) -> list[Path]:
        return sorted(path for path, sheet in self._sheets.items() if sheet.waiting_for_close)
