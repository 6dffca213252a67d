"""The run log: one JSON line per request of a sync, under the state folder.

It records sizes, statuses, attempts, waits and correlationIds so a failed run can be
understood later, and `eventsync log` shows the last one. It never records the token,
request headers or bodies, or event contents beyond objectIds (the one exception: the
cell values two-way sync replaced, so the user can put them back).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from eventsync.messages import Text
from eventsync.state.lock import state_folder_error

LOGS_KEPT = 20


def logs_dir(state_dir: Path) -> Path:
    return state_dir / "logs"


class RunLog:
    """A log that cannot be created, or whose first line cannot be written, stops the run
    before anything is sent (`StateFolderError`). Once lines are written, a failing write
    (a disk filling up mid-run) never stops a sync half done: the rest of the log is
    dropped and `lost` says why, for the CLI to tell the user."""

    def __init__(self, state_dir: Path, command: str):
        folder = logs_dir(state_dir)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        self.path = folder / f"{command}-{stamp}.jsonl"
        self.lost: str | None = None  # why the log stopped short, if it did
        self._written = 0
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._file: TextIO | None = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
        except OSError as error:
            raise state_folder_error(state_dir, error) from None
        for old in _by_age(folder)[:-LOGS_KEPT]:
            # One open elsewhere (a watch writing it, an editor) cannot go on Windows:
            # it goes next time; the run goes on.
            with contextlib.suppress(OSError):
                old.unlink(missing_ok=True)
        self._state_dir = state_dir

    def write(self, kind: str, **fields: object) -> None:
        if self._file is None:
            return
        entry = {"at": datetime.now(UTC).isoformat(timespec="milliseconds"), "kind": kind, **fields}
        try:
            # Flushed per line so a killed run still leaves its log behind.
            self._file.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self._file.flush()
        except OSError as error:
            if self._written == 0:
                self._drop()
                raise state_folder_error(self._state_dir, error) from None
            self.lost = Text("log.stops_short", path=self.path, why=error.strerror)
            self._drop()
            return
        self._written += 1

    def request(self, entry: Mapping[str, object]) -> None:
        self.write("request", **entry)

    def close(self) -> None:
        self._drop()

    def _drop(self) -> None:
        if self._file is not None:
            handle, self._file = self._file, None
            with contextlib.suppress(OSError):  # a buffered line that cannot go out
                handle.close()


def _by_age(folder: Path) -> list[Path]:
    """Oldest first, by the time stamp in the name (`<command>-<stamp>.jsonl`), so the
    logs of different commands interleave by time, not by command name."""
    return sorted(folder.glob("*.jsonl"), key=lambda path: path.stem.rpartition("-")[2])


def last_log(state_dir: Path) -> Path | None:
    logs = _by_age(logs_dir(state_dir))
    return logs[-1] if logs else None


def read_entries(path: Path) -> list[dict[str, Any]]:
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue  # a line cut short by a kill
    return entries
