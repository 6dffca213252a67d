"""Atomic file replacement: a temp file in the same folder, fsync, then rename; and
reading a user's file without keeping others from saving it.

A reader of the target (Excel, the next run, a crash) sees the old file or the new
one, never half of either. Never writes anywhere but the target's own folder, and never
leaves a temp file behind for good: one left by a killed run is removed by the next.

Windows refuses to rename over, or delete, a file while any handle on it is open
(unless that handle was opened allowing deletion), and other programs (an antivirus
scan, a backup or cloud client, Excel's own save) hold a file briefly. So eventsync
never holds a handle on a file it replaces, opens the files it reads sharing read,
write and delete (Excel can save meanwhile; the writer's changed-since-read check then
sees the save), and tries a refused replace again for a moment before giving up.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import secrets
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from eventsync.errors import DiskFullError
from eventsync.messages import Text

# `.<target name>.eventsync-<pid>-<random>.tmp`: hidden, ignored as a sheet, and
# recognisably ours, with the pid that wrote it so a later run can tell a dead
# writer's leftover from a write in progress.
TEMP_MARK = ".eventsync-"
_TEMP_NAME = re.compile(r"\..+\.eventsync-(?P<pid>[0-9]+)-[0-9a-f]+\.tmp")
_FULL = {errno.ENOSPC, errno.EDQUOT}
# A temp file this old is a dead writer's even if a process of its pid runs (Windows
# reuses pids): no write takes a day.
WINDOWS_STALE_AFTER_S = 24 * 3600
NEW_FILE_MODE = 0o666  # less the user's umask, as any program creating a file
# Windows' answers when another handle is in the way: ERROR_ACCESS_DENIED (a file being
# deleted or mapped), ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION.
SHARING_WINERRORS = frozenset({5, 32, 33})

T = TypeVar("T")


@dataclass(frozen=True)
class SharingRetry:
    """How a replace refused because another program has the file open is tried again:
    after each of `waits_s` (growing; about 2 s in all, as pip waits for its own
    renames), then reported. Most holders (a virus scan, a cloud client, Excel's save)
    let go within that. `sleep` is injected so tests wait for nothing."""

    waits_s: tuple[float, ...] = (0.05, 0.1, 0.2, 0.35, 0.5, 0.8)
    sleep: Callable[[float], None] = time.sleep


SHARING_RETRY = SharingRetry()  # read at each call: a test may put a fake clock's here

# A seam for tests, None in the product: run with the target's path right after each
# replace, as another program saving the file at that very moment (Excel's save: a temp
# file renamed over it). `watch` must not take such a save for its own write.
AFTER_REPLACE: Callable[[Path], None] | None = None


def is_sharing_violation(error: BaseException) -> bool:
    """Did Windows refuse because another handle has the file open (or locked)?
    POSIX never refuses for that: a PermissionError there is a permission."""
    return isinstance(error, PermissionError) and (
        getattr(error, "winerror", None) in SHARING_WINERRORS
    )


def retry_sharing(action: Callable[[], T], retry: SharingRetry | None = None) -> T:
    """`action()`, tried again after each wait of `retry` while it fails with a sharing
    violation; the last failure is raised. Any other error is raised at once."""
    policy = SHARING_RETRY if retry is None else retry
    for wait in policy.waits_s:
        try:
            return action()
        except PermissionError as error:
            if not is_sharing_violation(error):
                raise
        policy.sleep(wait)
    return action()


def open_shared(path: Path | str) -> io.BufferedReader:
    """Open a user's file for reading so that other programs may still write, rename
    and delete it meanwhile (Windows: FILE_SHARE_READ|WRITE|DELETE; Python's own open()
    shares no delete, so Excel could not save while eventsync reads). POSIX: open()."""
    if sys.platform == "win32":
        return _open_win32(os.fspath(path))
    else:
        return _open_posix(os.fspath(path))


def _open_posix(path: str) -> io.BufferedReader:
    return open(path, "rb")  # noqa: SIM115 - the caller closes it


if sys.platform == "win32":
    import ctypes
    import msvcrt
    from ctypes import wintypes

    _GENERIC_READ = 0x80000000
    _SHARE_ALL = 0x1 | 0x2 | 0x4  # FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE
    _OPEN_EXISTING = 3
    _FILE_ATTRIBUTE_HIDDEN = 0x2
    _FILE_ATTRIBUTE_NORMAL = 0x80
    _INVALID_ATTRIBUTES = 0xFFFFFFFF
    _PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
    _STILL_ACTIVE = 259
    _ERROR_INVALID_PARAMETER = 87  # OpenProcess's answer for a pid no process has

    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    _kernel32.CreateFileW.restype = wintypes.HANDLE
    _kernel32.CreateFileW.argtypes = (
        wintypes.LPCWSTR,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.LPVOID,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.HANDLE,
    )
    _kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    _kernel32.GetFileAttributesW.restype = wintypes.DWORD
    _kernel32.GetFileAttributesW.argtypes = (wintypes.LPCWSTR,)
    _kernel32.SetFileAttributesW.restype = wintypes.BOOL
    _kernel32.SetFileAttributesW.argtypes = (wintypes.LPCWSTR, wintypes.DWORD)
    _kernel32.OpenProcess.restype = wintypes.HANDLE
    _kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    _kernel32.GetExitCodeProcess.restype = wintypes.BOOL
    _kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))

    def _windows_error(path: str) -> OSError:
        code = ctypes.get_last_error()
        # With a winerror, OSError picks the errno and the subclass (FileNotFoundError...).
        return OSError(0, ctypes.FormatError(code), path, code)

    def _open_win32(path: str) -> io.BufferedReader:
        handle = _kernel32.CreateFileW(
            path, _GENERIC_READ, _SHARE_ALL, None, _OPEN_EXISTING, _FILE_ATTRIBUTE_NORMAL, None
        )
        if handle is None or handle == wintypes.HANDLE(-1).value:
            raise _windows_error(path)
        try:
            fd = msvcrt.open_osfhandle(handle, os.O_RDONLY | os.O_BINARY)
        except OSError:
            _kernel32.CloseHandle(handle)
            raise
        return os.fdopen(fd, "rb")

    def _set_hidden(path: Path, *, hidden: bool) -> None:
        """Best effort: a temp file shown in Explorer is untidy, not wrong."""
        name = os.fspath(path)
        attributes = _kernel32.GetFileAttributesW(name)
        if attributes == _INVALID_ATTRIBUTES:
            return
        if hidden:
            attributes |= _FILE_ATTRIBUTE_HIDDEN
        else:
            attributes &= ~_FILE_ATTRIBUTE_HIDDEN
        _kernel32.SetFileAttributesW(name, attributes or _FILE_ATTRIBUTE_NORMAL)

    def _process_alive(pid: int) -> bool:
        """Is a process of this pid running? Unsure counts as yes (the file is kept)."""
        handle = _kernel32.OpenProcess(_PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
        if not handle:
            # No such process; any other refusal (another user's process) may be a writer.
            return ctypes.get_last_error() != _ERROR_INVALID_PARAMETER
        try:
            code = wintypes.DWORD()
            if not _kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == _STILL_ACTIVE
        finally:
            _kernel32.CloseHandle(handle)


def temp_path(target: Path, pid: int | None = None) -> Path:
    pid = os.getpid() if pid is None else pid
    return target.parent / f".{target.name}{TEMP_MARK}{pid}-{secrets.token_hex(4)}.tmp"


@contextlib.contextmanager
def replacing(
    target: Path,
    *,
    before_replace: Callable[[], None] | None = None,
    replaced: Callable[[os.stat_result], None] | None = None,
) -> Iterator[Path]:
    """Yield a temp path beside `target`; on success it replaces `target` atomically.

    The new file keeps the permissions of the one it replaces; a new file gets the
    user's usual ones (the umask), not a temp file's private 0600. A `target` that is a
    symlink stays one: the file it points at is replaced (beside that file).
    `before_replace` runs last, just before the rename, and again before each retry of
    it: it may raise to keep `target` as it is (the writer closes its handle on the
    file there and checks that nobody saved the file meanwhile). A rename refused by
    another program's handle is retried (`SHARING_RETRY`); then its PermissionError is
    raised (`is_sharing_violation` tells it apart), the target untouched.
    `replaced(status)` is told, once the rename is done, the new file's status as taken
    just before the rename: its identity, size and modification time, which a rename
    keeps (the inode on POSIX, the file ID on Windows). That is what eventsync wrote,
    told apart from any save another program makes a moment later (a stat of `target`
    after the rename could already be that save).
    """
    target = Path(os.path.realpath(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(target.parent)
        temp = temp_path(target)
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, NEW_FILE_MODE))
        try:
            if sys.platform == "win32":
                _set_hidden(temp, hidden=True)  # the dot hides it on POSIX only
            if target.exists():
                os.chmod(temp, target.stat().st_mode & 0o7777)
            yield temp
            with open(temp, "rb+") as written:
                os.fsync(written.fileno())
            if sys.platform == "win32":
                _set_hidden(temp, hidden=False)  # a rename keeps the attributes

            def replace() -> os.stat_result:
                if before_replace is not None:
                    before_replace()
                new_file = os.stat(temp)
                os.replace(temp, target)
                return new_file

            new_file = retry_sharing(replace)
            if AFTER_REPLACE is not None:
                AFTER_REPLACE(target)
            if replaced is not None:
                replaced(new_file)
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
) -> os.stat_result:
    """`produce(temp)` writes the new content; then it replaces `target`. Returns the
    status of the file written, as `replacing` tells it."""
    written: list[os.stat_result] = []
    with replacing(target, before_replace=before_replace, replaced=written.append) as temp:
        produce(temp)
    return written[0]


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
        # Still held (a scanner reading it): the next run removes it.
        with contextlib.suppress(FileNotFoundError, PermissionError):
            path.unlink()
            removed.append(path)
    return removed


def _may_be_writing(pid: int, path: Path) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        # os.kill(pid, 0) would send Ctrl-C there: ask Windows whether it runs.
        try:
            young = time.time() - path.stat().st_mtime < WINDOWS_STALE_AFTER_S
        except OSError:
            return True
        return young and _process_alive(pid)
    else:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except OSError:
            return True  # another user's process, or we cannot tell: leave the file
        return True
