"""`python -m eventsync watch --json` as a real child process, its output collected as it
comes, and waits that poll for a condition with generous deadlines (never a sleep that
assumes how fast a machine is)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from helpers import Workspace

DEADLINE_S = 20.0  # what "within a few seconds" may take on a loaded 2-core machine
QUIET_S = "0.5"


class WatchProcess:
    """`launcher`: what runs eventsync (`-m eventsync`, or a script that wraps `eventsync.cli.main`)."""

    def __init__(
        self,
        workspace: Workspace,
        *args: str,
        launcher: tuple[str, ...] = ("-m", "eventsync"),
        **env: str,
    ):
        self.workspace = workspace
        environment = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(workspace.root),
            "PYTHONUNBUFFERED": "1",
            **workspace.env,
            **env,
        }
        self.environment = environment
        command = [sys.executable, *launcher, "watch", "--json", "--quiet-seconds", QUIET_S]
        self.process = subprocess.Popen(
            [*command, *args],
            cwd=workspace.root,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.syncs: list[dict] = []  # one JSON object per sync, as printed
        self.out: list[str] = []  # stdout's lines as printed (the JSON text)
        self.err: list[str] = []
        self._lock = threading.Lock()
        self._readers = [
            threading.Thread(target=self._read, args=(self.process.stdout, True), daemon=True),
            threading.Thread(target=self._read, args=(self.process.stderr, False), daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        self.wait_for(lambda: any("watching" in line for line in self.err), "it watches")

    def _read(self, stream, is_stdout: bool) -> None:
        for line in stream:
            with self._lock:
                if is_stdout:
                    self.out.append(line.rstrip("\n"))
                    self.syncs.append(json.loads(line))
                else:
                    self.err.append(line.rstrip("\n"))

    def sheet_syncs(self, name: str) -> list[dict]:
        with self._lock:
            return [s for s in self.syncs if s.get("file") == name and "sent" in s]

    def wait_for(self, condition: Callable[[], bool], what: str, timeout: float = DEADLINE_S):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"watch ended ({self.process.returncode}) before {what}")
            time.sleep(0.1)
        raise AssertionError(f"no {what} within {timeout} s; out={self.syncs} err={self.err}")

    def stays(self, condition: Callable[[], bool], seconds: float) -> bool:
        """True if `condition` holds all the time for `seconds` (at least one second)."""
        deadline = time.monotonic() + max(1.0, seconds)
        while time.monotonic() < deadline:
            if not condition():
                return False
            time.sleep(0.1)
        return True

    def terminate(self, timeout: float = DEADLINE_S) -> int:
        """Stop watch as a service manager would: SIGTERM on POSIX; on Windows, which
        never delivers SIGTERM, `eventsync watch --stop` from the same folder."""
        if self.process.poll() is None:
            if sys.platform == "win32":
                subprocess.run(
                    [sys.executable, "-m", "eventsync", "watch", "--stop"],
                    cwd=self.workspace.root,
                    env=self.environment,
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    timeout=timeout + 40,
                )
            else:
                self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout)
        for reader in self._readers:
            reader.join(5)
        return code

    def ended(self, timeout: float = DEADLINE_S) -> int:
        """The exit code of a watch asked to stop some other way (`watch --stop`), once it
        has ended by itself: `--stop` returns when the lock is let go, a moment before the
        process ends, and a signal in that moment would meet the default handler."""
        code = self.process.wait(timeout)
        for reader in self._readers:
            reader.join(5)
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


SAVE_RETRY_S = 10.0  # how long a saving program keeps trying while a reader holds the file


def replace_file(path: Path, write: Callable[[Path], None]) -> None:
    """Save as Excel does: a new file written beside, then moved over the old one. On
    Windows a move over a file another program is reading that moment is refused (under
    Wine even when the reader shares delete); Excel tries again, and so does this."""
    temp = path.with_name("saving.tmp")
    write(temp)
    give_up = time.monotonic() + SAVE_RETRY_S
    while True:
        try:
            temp.replace(path)
            return
        except PermissionError:
            if sys.platform != "win32" or time.monotonic() > give_up:
                raise
            time.sleep(0.1)
