"""One sync at a time per state folder: an OS file lock that dies with its process.

The operating system releases the lock when the holder exits for any reason, kill -9
included, so a killed run's lock is simply taken over. The pid written into the file is
only for the message. Never blocks: a second run is told at once and exits.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from sync.errors import AlreadyRunningError, StateFolderError
from sync.files import remove_stale_temps
from sync.messages import Text

LOCK_NAME = "sync.lock"
SNAPSHOTS_DIR = "snapshots"  # where JSON snapshots of older versions were written (temp files)


@contextlib.contextmanager
def run_lock(state_dir: Path, holder: str = "sync") -> Iterator[None]:
    """Hold the state folder for one run; a folder that cannot be used is a
    `StateFolderError` (exit 2, nothing sent), never a crash. `holder` names the command
    holding it (a sync, a pull, `eventsync watch`) in the message another run gets."""
    path = state_dir / LOCK_NAME
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise state_folder_error(state_dir, error) from None
    try:
        if not _try_lock(handle):
            pid, command = _holder(path)
            if command == "watch":
                raise AlreadyRunningError(Text("lock.watch", pid=pid, lock=path))
            raise AlreadyRunningError(Text("lock.sync", pid=pid, lock=path))
        try:
            os.ftruncate(handle, 0)
            # The pid alone for a sync (what older versions wrote), "<pid> <command>" else.
            mark = str(os.getpid()) if holder == "sync" else f"{os.getpid()} {holder}"
            os.write(handle, mark.encode())
        except OSError as error:
            raise state_folder_error(state_dir, error) from None
        # Holding the lock, no other run of ours writes here: what a killed run left is stale.
        for folder in (state_dir, state_dir / SNAPSHOTS_DIR):
            remove_stale_temps(folder)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def state_folder_error(state_dir: Path, error: OSError) -> StateFolderError:
    """One line naming the folder, what is wrong and what to do (EVENTSYNC_STATE_DIR)."""
    if state_dir.exists() and not state_dir.is_dir():
        return StateFolderError(Text("state.folder_is_file", folder=state_dir))
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return StateFolderError(Text("state.folder_full", folder=state_dir))
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StateFolderError(Text("state.folder_read_only", folder=state_dir))
    return StateFolderError(Text("state.folder_unusable", folder=state_dir, why=error.strerror))


def _try_lock(handle: int) -> bool:
    if sys.platform == "win32":  # written so that mypy checks each branch on its platform
        import msvcrt

        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    else:
        import fcntl

        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False


def _holder(path: Path) -> tuple[str, str]:
    """(pid, command) of the run holding the lock, as it wrote them."""
    with contextlib.suppress(OSError):
        pid, _, command = path.read_text().strip().partition(" ")
        if pid.isdigit():
            return pid, command or "sync"
    return Text("lock.unknown_pid"), "sync"
