"""Windows' rule for open files, on Linux: a file cannot be renamed over, renamed or
deleted while a handle on it is open, unless that handle was opened sharing delete.

`os.replace`, `os.rename`, `os.unlink` and `os.remove` (and so `Path.replace/rename/
unlink`, `shutil.move`) raise the PermissionError Windows raises (winerror 32,
ERROR_SHARING_VIOLATION) when any file descriptor of this process refers to the file
being moved, replaced or deleted. The descriptors are listed from /proc/self/fd (macOS:
/dev/fd) and compared by device and inode with the file, so a
handle opened by C or Rust code (zipfile, python-calamine) counts as well as Python's
own. A handle from `sync.files.open_shared` (which on Windows shares delete) does not
count; every other handle counts as not sharing delete, as Python's own open() on
Windows (python-calamine's Rust handle in truth shares delete: counted anyway, which
is only stricter).

The "other program" of a test is a plain handle the test opens and keeps (`hold`);
`SharingRetry`'s waits go to a fake clock (`waits`), where `on_wait` can let go of a
held file as a program finishing with it would.
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

import sync.files
from sync.files import SharingRetry

ERROR_SHARING_VIOLATION = 32
FD_FOLDER = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"  # Linux, macOS
STRERROR = "The process cannot access the file because it is being used by another process"


class WindowsFiles:
    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.refusals: list[tuple[str, str]] = []  # (operation, path) refused
        self.waits: list[float] = []  # the retry's waits, on a fake clock
        self.on_wait: list[Callable[[], None]] = []  # run at the next waits, one each
        self.held: list[IO[bytes]] = []
        self._shared: weakref.WeakSet[IO[bytes]] = weakref.WeakSet()
        real = {name: getattr(os, name) for name in ("replace", "rename", "unlink", "remove")}
        self._real = real
        # Under a real Windows Python (Wine) the system enforces the rule itself; only
        # the retry's clock is replaced.
        self.emulated = sys.platform != "win32"
        monkeypatch.setattr(sync.files, "SHARING_RETRY", SharingRetry(sleep=self._sleep))
        if not self.emulated:
            return

        def moving(name: str) -> Callable[..., None]:
            def move(src, dst, *, src_dir_fd=None, dst_dir_fd=None):
                self._refuse_if_open(name, src, src_dir_fd, dst, dst_dir_fd)
                real[name](src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)

            return move

        def deleting(name: str) -> Callable[..., None]:
            def delete(path, *, dir_fd=None):
                self._refuse_if_open(name, path, dir_fd)
                real[name](path, dir_fd=dir_fd)

            return delete

        monkeypatch.setattr(os, "replace", moving("replace"))
        monkeypatch.setattr(os, "rename", moving("rename"))
        monkeypatch.setattr(os, "unlink", deleting("unlink"))
        monkeypatch.setattr(os, "remove", deleting("remove"))
        real_open = sync.files._open_posix

        def open_sharing_delete(path: str):
            file = real_open(path)
            self._shared.add(file)
            return file

        monkeypatch.setattr(sync.files, "_open_posix", open_sharing_delete)

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

    # -- the rule --------------------------------------------------------------------------

    def _sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        if self.on_wait:
            self.on_wait.pop(0)()

    def _refuse_if_open(self, name: str, *paths_and_dir_fds) -> None:
        pairs = list(zip(paths_and_dir_fds[::2], paths_and_dir_fds[1::2], strict=True))
        wanted = {}
        for path, dir_fd in pairs:
            try:
                status = os.stat(path, dir_fd=dir_fd, follow_symlinks=False)
            except OSError:
                continue  # not there: nothing holds it
            if stat.S_ISREG(status.st_mode):
                wanted[(status.st_dev, status.st_ino)] = os.fspath(path)
        if not wanted:
            return
        for identity in self._open_files():
            if identity in wanted:
                self.refusals.append((name, wanted[identity]))
                names = [os.fspath(path) for path, _ in pairs]
                error = PermissionError(errno.EACCES, STRERROR, *names[:1], None, *names[1:])
                error.winerror = ERROR_SHARING_VIOLATION  # as Windows' own error carries
                raise error

    def _open_files(self) -> set[tuple[int, int]]:
        """(device, inode) of each regular file this process has open, but those opened
        sharing delete."""
        shared = set()
        for file in list(self._shared):
            if not file.closed:
                shared.add(file.fileno())
        found = set()
        for name in os.listdir(FD_FOLDER):
            fd = int(name)
            if fd in shared:
                continue
            try:
                status = os.fstat(fd)
            except OSError:
                continue  # closed meanwhile (the listing's own descriptor)
            if stat.S_ISREG(status.st_mode):
                found.add((status.st_dev, status.st_ino))
        return found
