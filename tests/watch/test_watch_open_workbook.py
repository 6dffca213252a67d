"""Issue 20, case 9: `watch` with the workbook open in Excel says only what is true.

While Excel's lock file `~$events.xlsx` is beside the workbook, a save is sent at once
and its results wait. A sync by hand is refused while watch runs, so watch must not
tell the user to "close it and run sync again": it says that it writes the results
itself when the workbook is closed, and, once it is closed, that it did. A real child
process against the sandbox; every wait polls with a generous deadline."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import read_rows
from watch_process import DEADLINE_S, QUIET_S, WatchProcess, replace_file

from eventsync.sheets.xlsx.patch import patch_cells

ROOT = Path(__file__).resolve().parents[2]
EXCEL_LOCK = "~$events.xlsx"
RENAMED = "Edited in the open workbook"
WAITS = "watch writes the results into events.xlsx when it is closed"
WRITTEN = "events.xlsx: closed; the results that were waiting are written into it"


def edit(path: Path, cells) -> None:
    replace_file(path, lambda temp: patch_cells(path, temp, "Events", cells))


def open_in_excel(workspace) -> Path:
    """Excel's lock file, as Excel leaves it while the workbook is open."""
    lock = workspace.sheets / EXCEL_LOCK
    lock.write_bytes(b"\x05someone" + b"\x00" * 40)
    return lock


def annotated(book: Path, sandbox) -> bool:
    try:
        rows = read_rows(book)
    except Exception:  # noqa: BLE001 - mid-replace on a slow disk: not yet
        return False
    return bool(rows) and all(
        row.get("updatedAt") == sandbox.events[str(row["objectId"])]["updatedAt"] for row in rows
    )


class TextWatch:
    """`python -m eventsync watch` as a user runs it in a console (text, not --json), its
    stdout and stderr read through pipes (portable, Wine included), stopped with
    `watch --stop`, the portable stop."""

    def __init__(self, workspace):
        self.workspace = workspace
        env = {**os.environ, **workspace.env, "PYTHONPATH": str(ROOT), "PYTHONUTF8": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "eventsync", "watch", "--quiet-seconds", QUIET_S],
            cwd=workspace.root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lines: list[str] = []
        self._lock = threading.Lock()
        self._readers = [
            threading.Thread(target=self._read, args=(stream,), daemon=True)
            for stream in (self.process.stdout, self.process.stderr)
        ]
        for reader in self._readers:
            reader.start()

    def _read(self, stream) -> None:
        for line in stream:
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    def shown(self) -> str:
        with self._lock:
            return "\n".join(self.lines)

    def wait_for(self, condition, what: str) -> None:
        deadline = time.monotonic() + DEADLINE_S
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"watch ended ({self.process.returncode}) before {what}")
            time.sleep(0.1)
        raise AssertionError(f"no {what} within {DEADLINE_S} s: {self.shown()}")

    def stop(self) -> int:
        assert self.workspace.run("watch", "--stop").code == 0
        code = self.process.wait(DEADLINE_S)
        for reader in self._readers:
            reader.join(5)
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


@pytest.mark.slow
def test_watch_says_it_writes_the_waiting_results_itself_and_then_that_it_did(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    before = len(workspace.sandbox.batch_update_requests())
    watch = TextWatch(workspace)
    try:
        watch.wait_for(lambda: "events.xlsx: 0 sent" in watch.shown(), "the start-up pass")
        lock = open_in_excel(workspace)
        edit(book, {(4, 2): RENAMED})
        saved = book.read_bytes()
        watch.wait_for(lambda: WAITS in watch.shown(), "the sync of the save")
        # Sent at once, and nothing written into the open workbook.
        [request] = workspace.sandbox.batch_update_requests()[before:]
        assert request.body["inputs"] == [{"objectId": "5823713203", "eventName": RENAMED}]
        assert book.read_bytes() == saved
        said = watch.shown()
        assert "events.xlsx: 1 sent, 1 updated, 0 failed, 0 conflicts" in said
        # Only what is true: a sync by hand is refused while watch runs.
        assert "run eventsync sync again" not in said and "waiting" not in said, said
        assert "close it" not in said, said
        manual = workspace.run("sync")
        assert manual.code == 2 and "eventsync watch is running" in manual.err

        lock.unlink()  # the workbook is closed
        watch.wait_for(lambda: WRITTEN in watch.shown(), "the results after closing")
        assert annotated(book, workspace.sandbox)
        assert read_rows(book)[2]["eventName"] == RENAMED
        assert len(workspace.sandbox.batch_update_requests()) == before + 1  # sent once
        assert watch.shown().count(WRITTEN) == 1
        assert watch.stop() == 0
    finally:
        watch.kill()


@pytest.mark.slow
def test_watch_json_tells_tools_the_same(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    watch = WatchProcess(workspace)
    try:
        watch.wait_for(lambda: watch.sheet_syncs("events.xlsx"), "the start-up pass")
        lock = open_in_excel(workspace)
        edit(book, {(4, 2): RENAMED})
        watch.wait_for(lambda: watch.sheet_syncs("events.xlsx")[-1]["waitingForClose"], "wait")
        pending = watch.sheet_syncs("events.xlsx")[-1]
        assert (pending["sent"], pending["updated"], pending["exitCode"]) == (1, 1, 1)
        assert pending["warning"] == WAITS
        lock.unlink()
        written = lambda: [s for s in watch.syncs if s.get("waitingWritten")]  # noqa: E731
        watch.wait_for(written, "the line saying the results are written")
        [done] = written()
        assert done["file"] == "events.xlsx" and WRITTEN in done["message"]
        assert annotated(book, workspace.sandbox)
        last = watch.sheet_syncs("events.xlsx")[-1]
        assert (last["sent"], last["waitingForClose"], last["warning"]) == (0, False, None)
        assert workspace.run("watch", "--stop").code == 0  # the portable stop
        assert watch.ended() == 0
    finally:
        watch.kill()
