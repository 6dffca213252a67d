"""eventsync/safe_files.py under Windows' rule for open files: the retry's decisions as a table,
reads that let another program save, and temp files cleaned even when one is held."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time

import pytest

from eventsync.safe_files import (
    SHARING_RETRY,
    SharingRetry,
    is_sharing_violation,
    open_shared,
    remove_stale_temps,
    retry_sharing,
    temp_path,
    write_atomically,
)


def windows_error(winerror: int | None) -> PermissionError:
    error = PermissionError(errno.EACCES, "refused", "events.xlsx")
    if winerror is not None:
        # as Windows' own errors carry it (typeshed knows the attribute only on Windows)
        error.winerror = winerror  # type: ignore[attr-defined]
    return error


@pytest.mark.parametrize(
    ("error", "sharing"),
    [
        (windows_error(32), True),  # ERROR_SHARING_VIOLATION: another handle is open
        (windows_error(33), True),  # ERROR_LOCK_VIOLATION: a range of it is locked
        (windows_error(5), True),  # ERROR_ACCESS_DENIED: e.g. being deleted meanwhile
        (windows_error(None), False),  # POSIX: a permission, not another program
        (windows_error(2), False),
        (FileNotFoundError(errno.ENOENT, "gone"), False),
        (OSError(errno.ENOSPC, "full"), False),
    ],
)
def test_what_counts_as_another_program_holding_the_file(error, sharing):
    assert is_sharing_violation(error) is sharing


def failing(times: int, error: BaseException):
    calls = []

    def action():
        calls.append(1)
        if len(calls) <= times:
            raise error
        return "done"

    return action, calls


@pytest.mark.parametrize(
    ("failures", "waited", "outcome"),
    [
        (0, [], "done"),
        (1, [0.05], "done"),
        (3, [0.05, 0.1, 0.2], "done"),
        (6, [0.05, 0.1, 0.2, 0.35, 0.5, 0.8], "done"),  # the last try, after 2 s
        (7, [0.05, 0.1, 0.2, 0.35, 0.5, 0.8], PermissionError),  # then it is reported
    ],
)
def test_a_sharing_violation_is_tried_again_in_growing_steps(failures, waited, outcome):
    waits: list[float] = []
    action, calls = failing(failures, windows_error(32))
    retry = SharingRetry(sleep=waits.append)
    if outcome is PermissionError:
        with pytest.raises(PermissionError):
            retry_sharing(action, retry)
    else:
        assert retry_sharing(action, retry) == outcome
    assert waits == waited
    assert len(calls) == min(failures + 1, len(retry.waits_s) + 1)


def test_the_default_retry_waits_about_two_seconds_in_all():
    assert SHARING_RETRY.waits_s == tuple(sorted(SHARING_RETRY.waits_s))
    assert 1.5 <= sum(SHARING_RETRY.waits_s) <= 2.5


@pytest.mark.parametrize("error", [windows_error(None), OSError(errno.ENOSPC, "full")])
def test_any_other_error_is_raised_at_once(error):
    waits: list[float] = []
    action, calls = failing(1, error)
    with pytest.raises(type(error)):
        retry_sharing(action, SharingRetry(sleep=waits.append))
    assert waits == [] and len(calls) == 1


def test_a_file_read_with_open_shared_can_still_be_saved_by_excel(tmp_path, windows_files):
    """Excel saves by renaming the workbook away and the new file in: allowed while
    eventsync reads it through open_shared, refused while a plain open() holds it."""
    path = tmp_path / "events.xlsx"
    path.write_bytes(b"read by eventsync")
    with open_shared(path) as reading:
        windows_files.save_as_excel(path, b"saved by Excel")
        assert reading.read() == b"read by eventsync"  # the version it opened
    assert path.read_bytes() == b"saved by Excel"
    with open(path, "rb"), pytest.raises(PermissionError) as refused:
        windows_files.save_as_excel(path, b"refused")
    assert getattr(refused.value, "winerror", None) == 32  # ERROR_SHARING_VIOLATION
    assert path.read_bytes() == b"saved by Excel"


def test_no_handle_at_all_may_be_open_on_a_file_replaced(tmp_path, windows_files):
    """Replacing a file over an open handle is refused even when that handle shares
    delete (NTFS's classic rename): the writer closes its own first."""
    path = tmp_path / "events.xlsx"
    path.write_bytes(b"old")
    with open_shared(path), pytest.raises(PermissionError) as refused:
        write_atomically(path, b"new")
    assert getattr(refused.value, "winerror", None) == 5  # ERROR_ACCESS_DENIED
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["events.xlsx"]  # no temp left
    write_atomically(path, b"new")
    assert path.read_bytes() == b"new"


def test_a_stale_temp_file_held_open_is_left_for_the_next_run(tmp_path, windows_files):
    target = tmp_path / "events.xlsx"
    dead = 2**22 + 1  # above Linux's default pid_max: no process has it
    stale = temp_path(target, pid=dead)
    stale.write_bytes(b"left by a killed run")
    windows_files.hold(stale)  # a virus scanner reads it
    assert remove_stale_temps(tmp_path) == []
    windows_files.let_go()
    assert remove_stale_temps(tmp_path) == [stale]


@pytest.mark.skipif(sys.platform != "win32", reason="Windows only: hidden attribute, pids")
def test_on_windows_a_temp_file_is_hidden_and_a_dead_writers_is_removed(tmp_path):
    import ctypes

    target = tmp_path / "events.xlsx"
    seen = []
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]  # typeshed: only on Windows

    def produce(temp):
        temp.write_bytes(b"x")
        seen.append(kernel32.GetFileAttributesW(str(temp)) & 0x2)

    from eventsync.safe_files import write_with

    write_with(target, produce)
    assert seen == [0x2]  # hidden while written
    assert kernel32.GetFileAttributesW(str(target)) & 0x2 == 0  # not after
    stale = temp_path(target, pid=2**22 + 1)
    stale.write_bytes(b"left")  # new, but its writer is gone
    writer = subprocess.Popen([sys.executable, "-c", "input()"], stdin=subprocess.PIPE)
    try:
        running = temp_path(target, pid=writer.pid)  # a write in progress: kept
        running.write_bytes(b"writing")
        assert remove_stale_temps(tmp_path) == [stale]
        old = time.time() - 2 * 24 * 3600  # a day old: dead whatever runs with its pid
        os.utime(running, (old, old))
        assert remove_stale_temps(tmp_path) == [running]
    finally:
        writer.communicate(b"\n")
