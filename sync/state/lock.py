"""One sync at a time per state folder: an OS file lock that dies with its process.

The operating system releases the lock when the holder exits for any reason, kill -9
included, so a killed run's lock is simply taken over. The pid written into the file is
only for the message. Never blocks: a second run is told at once and exits.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from sync.errors import AlreadyRunningError

LOCK_NAME = "sync.lock"


@contextlib.contextmanager
def run_lock(state_dir: Path) -> Iterator[None]:
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / LOCK_NAME
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(handle):
            raise AlreadyRunningError(
                f"another sync is running (pid {_holder(path)}); wait for it to finish"
                f" (lock: {path})"
            )
        os.ftruncate(handle, 0)
        os.write(handle, str(os.getpid()).encode())
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _try_lock(handle: int) -> bool:
    if sys.platform == "win32":  # written so that mypy checks each branch on its platform
        import msvcrt

        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _holder(path: Path) -> str:
    with contextlib.suppress(OSError):
        text = path.read_text().strip()
        if text.isdigit():
            return text
    return "unknown"
