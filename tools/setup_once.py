"""Run the first setup of .venv once, however many `make`s start it at the same time.

The Makefile's $(STAMP) recipe runs this with the system Python (.venv may not exist
yet): `setup_once.py LOCK STAMP SOURCE -- COMMAND...`. Two makes started together on a
fresh clone (`make sandbox` in one terminal, `make pull` in another) both find .venv
missing; without a lock the second builds over the first's half-made venv and fails
("No module named pip"). With it the second says it waits, waits, and goes on with the
venv the first made; if the first failed or was stopped, it sets up itself.

The lock is fcntl's flock (Linux and macOS alike; the Makefile is POSIX-only, Windows
users run eventsync itself): the system releases it when its holder ends, however it
ends (Ctrl-C, kill -9), so no stale lock is ever left behind. Never installs anything
itself: the install is COMMAND.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

INTERRUPTED = 130  # as a shell reports Ctrl-C


def ready(stamp: Path, source: Path) -> bool:
    """As make decides: the stamp exists and is not older than what it was made from."""
    return stamp.exists() and stamp.stat().st_mtime >= source.stat().st_mtime


def main(argv: list[str]) -> int:
    lock_path, stamp, source = (Path(a) for a in argv[:3])
    command = argv[4:] if argv[3:4] == ["--"] else argv[3:]
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with lock_path.open("a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                venv = lock_path.parent
                print(f"Another make is setting up {venv}; waiting for it to finish...", flush=True)
                fcntl.flock(lock, fcntl.LOCK_EX)
                if ready(stamp, source):
                    print(f"{venv} is ready (set up by the other make); going on.", flush=True)
                    return 0
                print(f"The other make did not finish setting up {venv}; setting it up here.")
            if ready(stamp, source):  # the other make finished just before we asked
                return 0
            return subprocess.call(command)
    except KeyboardInterrupt:  # one line, not a traceback; the install got Ctrl-C too
        return INTERRUPTED


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
