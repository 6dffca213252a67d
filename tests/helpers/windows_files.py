"""Windows' rule for open files, on Linux: a file cannot be replaced, renamed or deleted
while a handle on it is open.

`os.replace`, `os.rename`, `os.unlink` and `os.remove` (and so `Path.replace/rename/
unlink`, `shutil.move`) raise the PermissionError Windows raises when a descriptor of
this process refers to the file they would move, replace or delete. Descriptors are
listed from /proc/self/fd (macOS: /dev/fd) and compared by device and inode with the
file, so a handle opened by C or Rust code (zipfile, python-calamine) counts as well as
Python's own. As Windows (NTFS, classic semantics, as Wine shows it) decides:

- replacing a file that has any handle open: ERROR_ACCESS_DENIED (winerror 5), even a
  handle that shares delete;
- renaming or deleting a file with a handle that does not share delete: ERROR_SHARING_
  VIOLATION (winerror 32). A handle from `eventsync.safe_files.open_shared` shares delete (on
  Windows it is opened so): such a file can be renamed away or deleted, which is how
  Excel saves (`save_as_excel`). Every other handle counts as Python's own open() on
  Windows: no delete sharing (python-calamine's Rust handle in truth shares delete:
  counted anyway, which is only stricter).

The "other program" of a test is a plain handle the test opens and keeps (`hold`);
`SharingRetry`'s waits go to a fake clock (`waits`), where `on_wait` can let go of a
held file as a program finishing with it would. Under a real Windows Python (Wine) the
system applies the rule itself: only the clock is replaced.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest

import eventsync.safe_files
from eventsync.safe_files import SharingRetry

ERROR_ACCESS_DENIED = 5
ERROR_SHARING_VIOLATION = 32
STRERROR = {
    ERROR_ACCESS_DENIED: "Access is denied",
    ERROR_SHARING_VIOLATION: (
        "The process cannot access the file because it is being used by another process"
    ),
}
FD_FOLDER = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"  # Linux, macOS


class WindowsFiles:
    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.refusals: list[tuple[str, str, int]] = []  # (operation, path, winerror)
        self.waits: list[float] = []  # the retry's waits, on a fake clock
        self.on_wait: list[Callable[[], None]] = []  # run at the next waits, one each
        self.held: list[IO[bytes]] = []
        self._shared: weakref.WeakSet[IO[bytes]] = weakref.WeakSet()
        self.emulated = sys.platform != "win32"
        monkeypatch.setattr(eventsync.safe_files, "SHARING_RETRY", SharingRetry(sleep=self._sleep))
        if not self.emulated:
            return
        real = {name: getattr(os, name) for name in ("replace", "rename", "unlink", "remove")}

        def moving(name: str) -> Callable[..., None]:
            def move(src, dst, *, src_dir_fd=None, dst_dir_fd=None):
                names = (os.fspath(src), os.fspath(dst))
                self._refuse(name, names, src, src_dir_fd, shared_ok=True)
                self._refuse(name, names, dst, dst_dir_fd, shared_ok=False)
                real[name](src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)

            return move

        def deleting(name: str) -> Callable[..., None]:
            def delete(path, *, dir_fd=None):
                self._refuse(name, (os.fspath(path),), path, dir_fd, shared_ok=True)
                real[name](path, dir_fd=dir_fd)

            return delete

        monkeypatch.setattr(os, "replace", moving("replace"))
        monkeypatch.setattr(os, "rename", moving("rename"))
        monkeypatch.setattr(os, "unlink", deleting("unlink"))
        monkeypatch.setattr(os, "remove", deleting("remove"))
        real_open = eventsync.safe_files._open_posix

        def open_sharing_delete(path: str):
            file = real_open(path)
            self._shared.add(file)
            return file

        monkeypatch.setattr(eventsync.safe_files, "_open_posix", open_sharing_delete)

    # -- what a test does ------------------------------------------------------------------

    def hold(self, path: Path) -> IO[bytes]:
        """Another program opens `path` and keeps it open (no delete sharing)."""
        handle = open(path, "rb")  # noqa: SIM115 - closed by let_go or the fixture
        self.held.append(handle)
        return handle

    def let_go(self) -> None:
        for handle in self.held:
            handle.close()
        self.held.clear()

    def close(self) -> None:
        self.let_go()

    @staticmethod
    def save_as_excel(path: Path, data: bytes) -> None:
        """Save as Excel does: the new file written apart, the workbook renamed away, the
        new one renamed in, the old one deleted. (A reader sharing delete lets all of it
        happen; a plain replace over the open workbook would be refused.)"""
        new, old = path.with_name("~saving.tmp"), path.with_name("~old.tmp")
        new.write_bytes(data)
        os.rename(path, old)
        os.rename(new, path)
        os.unlink(old)

    # -- the rule --------------------------------------------------------------------------

    def _sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        if self.on_wait:
            self.on_wait.pop(0)()

    def _refuse(self, name: str, names: tuple[str, ...], path, dir_fd, *, shared_ok: bool):
        try:
            status = os.stat(path, dir_fd=dir_fd, follow_symlinks=False)
        except OSError:
            return  # not there: nothing holds it
        if not stat.S_ISREG(status.st_mode):
            return
        if (status.st_dev, status.st_ino) not in self._open_files(shared=not shared_ok):
            return
        winerror = ERROR_SHARING_VIOLATION if shared_ok else ERROR_ACCESS_DENIED
        self.refusals.append((name, os.fspath(path), winerror))
        error = PermissionError(errno.EACCES, STRERROR[winerror], *names[:1], None, *names[1:])
        # as Windows' own errors carry it (typeshed knows the attribute only on Windows)
        error.winerror = winerror  # type: ignore[attr-defined]
        raise error

    def _open_files(self, *, shared: bool) -> set[tuple[int, int]]:
        """(device, inode) of each regular file this process has open; with `shared`
        False, but those opened sharing delete."""
        skipped = set() if shared else {f.fileno() for f in list(self._shared) if not f.closed}
        found = set()
        for name in os.listdir(FD_FOLDER):
            fd = int(name)
            if fd in skipped:
                continue
            try:
                status = os.fstat(fd)
            except OSError:
                continue  # closed meanwhile (the listing's own descriptor)
            if stat.S_ISREG(status.st_mode):
                found.add((status.st_dev, status.st_ino))
        return found
