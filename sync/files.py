"""Atomic file replacement: a temp file in the same folder, fsync, then rename.

A reader of the target (Excel, the next run, a crash) sees the old file or the new
one, never half of either. Never writes anywhere but the target's own folder, and never
leaves a temp file behind for good: one left by a killed run is removed by the next.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from sync.errors import DiskFullError
from sync.messages import Text

# `.<target name>.eventsync-<pid>-<random>.tmp`: hidden, ignored as a sheet, and
# recognisably ours, with the pid that wrote it so a later run can tell a dead
# writer's leftover from a write in progress.
TEMP_MARK = ".eventsync-"
_TEMP_NAME = re.compile(r"\..+\.eventsync-(?P<pid>[0-9]+)-[0-9a-f]+\.tmp")
_FULL = {errno.ENOSPC, errno.EDQUOT}
WINDOWS_STALE_AFTER_S = 24 * 3600  # no cheap "is pid alive" there: a day-old temp is dead
NEW_FILE_MODE = 0o666  # less the user's umask, as any program creating a file


def temp_path(target: Path, pid: int | None = None) -> Path:
    pid = os.getpid() if pid is None else pid
    return target.parent / f".{target.name}{TEMP_MARK}{pid}-{secrets.token_hex(4)}.tmp"


@contextlib.contextmanager
def replacing(target: Path, *, before_replace: Callable[[], None] | None = None) -> Iterator[Path]:
    """Yield a temp path beside `target`; on success it replaces `target` atomically.

    The new file keeps the permissions of the one it replaces; a new file gets the
    user's usual ones (the umask), not a temp file's private 0600. A `target` that is a
    symlink stays one: the file it points at is replaced (beside that file).
    `before_replace` runs last, just before the rename: it may raise to keep `target`
    as it is (the writer checks there that nobody saved the file meanwhile).
    """
    target = Path(os.path.realpath(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(target.parent)
        temp = temp_path(target)
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, NEW_FILE_MODE))
        try:
            if target.exists():
                os.chmod(temp, target.stat().st_mode & 0o7777)
            yield temp
            with open(temp, "rb+") as written:
                os.fsync(written.fileno())
            if before_replace is not None:
                before_replace()
            os.replace(temp, target)
        finally:
            temp.unlink(missing_ok=True)
    except OSError as error:
        if error.errno in _FULL:
            raise DiskFullError(Text("disk.full", target=target, why=error.strerror)) from None
        raise


def write_atomically(target: Path, data: bytes) -> None:
    with replacing(target) as temp:
        temp.write_bytes(data)


def write_with(
    target: Path,
    produce: Callable[[Path], None],
    *,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """`produce(temp)` writes the new content; then it replaces `target`."""
    with replacing(target, before_replace=before_replace) as temp:
        produce(temp)


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete the temp files a killed eventsync left in `folder` (those whose writer is
    no longer running); a write in progress in another process is left alone."""
    removed: list[Path] = []
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.is_file()]
    except OSError:
        return removed  # no folder, or not ours to list: nothing of ours to clean
    for name in names:
        found = _TEMP_NAME.fullmatch(name)
        path = folder / name
        if found is None or _may_be_writing(int(found["pid"]), path):
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed


def _may_be_writing(pid: int, path: Path) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        # os.kill(pid, 0) would send Ctrl-C there: go by age instead.
        with contextlib.suppress(OSError):
            return time.time() - path.stat().st_mtime < WINDOWS_STALE_AFTER_S
        return True
    else:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except OSError:
            return True  # another user's process, or we cannot tell: leave the file
        return True
