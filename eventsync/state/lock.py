"""One sync at a time per state folder: an OS file lock that dies with its process.

The operating system releases the lock when the holder exits for any reason, kill -9
included, so a killed run's lock is simply taken over. The pid written into the file is
for the message and for `watch --stop`. Never blocks: a second run is told at once and
exits.

The file's layout: "<pid>" (a sync) or "<pid> <command>" at offset 0, nothing else. On
Linux and macOS the lock is flock() on the whole file, which leaves it readable. Windows
locks byte ranges (msvcrt.locking locks at the file position), and a locked range cannot
be read by anyone else: so the lock is one byte at LOCK_OFFSET, 1 GiB out, far beyond
what is written (SQLite puts its Windows lock bytes there for the same reason), and the
pid at offset 0 stays readable while the lock is held. A byte beyond the end of a file
can be locked without the file growing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from eventsync.errors import AlreadyRunningError, StateFolderError
from eventsync.messages import Text, command
from eventsync.safe_files import remove_stale_temps

LOCK_NAME = "sync.lock"
SNAPSHOTS_DIR = "snapshots"  # where JSON snapshots of older versions were written (temp files)
# Where the Windows lock byte sits: beyond any content, under 2 GiB (the C runtime's
# _locking takes the position as a 32-bit long).
LOCK_OFFSET = 0x40000000


@dataclass(frozen=True)
class Holder:
    """Who holds a state folder's lock, as it wrote itself into the lock file."""

    pid: str  # digits, or the catalogue's "unknown" when the file could not be read
    command: str  # "sync" (also pull), or "watch"

    @property
    def known_pid(self) -> int | None:
        return int(self.pid) if self.pid.isdigit() else None


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
            held = _holder(path)
            if held.command == "watch":
                stop = command("watch", "--stop")  # in the form the user runs (make, from a clone)
                raise AlreadyRunningError(Text("lock.watch", pid=held.pid, lock=path, stop=stop))
            raise AlreadyRunningError(Text("lock.sync", pid=held.pid, lock=path))
        try:
            os.ftruncate(handle, 0)
            os.lseek(handle, 0, os.SEEK_SET)  # the pid goes at offset 0, whatever was locked
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


def lock_holder(state_dir: Path) -> Holder | None:
    """Who holds the state folder's lock now, or None when nobody does. Never creates
    the folder or the file; the lock is taken for an instant to look, and let go."""
    path = state_dir / LOCK_NAME
    try:
        handle = os.open(path, os.O_RDWR)
    except OSError:
        return None  # no lock file: no run ever held this folder (or it is not ours to use)
    try:
        if _try_lock(handle):
            return None
        return _holder(path)
    finally:
        os.close(handle)


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
            os.lseek(handle, LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
        finally:
            os.lseek(handle, 0, os.SEEK_SET)
    else:
        import fcntl

        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False


def _holder(path: Path) -> Holder:
    """The run holding the lock, as it wrote itself."""
    with contextlib.suppress(OSError):
        pid, _, command = path.read_text().strip().partition(" ")
        if pid.isdigit():
            return Holder(pid, command or "sync")
    return Holder(Text("lock.unknown_pid"), "sync")
