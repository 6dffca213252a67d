"""The run lock: one run per state folder, a folder that cannot be used is a message
(exit 2), and what a killed run's writes left in the folder is cleaned up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from eventsync.errors import AlreadyRunningError, ExitCode, StateFolderError
from eventsync.safe_files import temp_path
from eventsync.state.lock import LOCK_OFFSET, Holder, lock_holder, run_lock


def test_a_second_run_on_the_same_folder_is_told_at_once(tmp_path):
    with run_lock(tmp_path), pytest.raises(AlreadyRunningError), run_lock(tmp_path):
        pass


def test_a_state_folder_that_is_a_file_is_a_state_folder_error_naming_it(tmp_path):
    state = tmp_path / ".eventsync"
    state.write_text("")
    with pytest.raises(StateFolderError) as refused, run_lock(state):
        pass
    assert refused.value.exit_code == ExitCode.BAD_INPUT
    assert str(refused.value) == (
        f"{state}: the state folder is a file, not a folder; move the file away,"
        " or set EVENTSYNC_STATE_DIR to a folder. Nothing was sent"
    )


def test_a_state_folder_under_a_file_is_a_state_folder_error(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(StateFolderError, match="cannot be used"), run_lock(tmp_path / "file" / "s"):
        pass


def dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def test_taking_the_lock_removes_temps_a_killed_run_left(tmp_path: Path):
    snapshots = tmp_path / "snapshots"
    snapshots.mkdir()
    left = temp_path(snapshots / "api.hubapi.com-1234abcd.json", dead_pid())
    left.write_text("{half")
    other = snapshots / "notes.tmp"  # not ours
    other.write_text("")
    with run_lock(tmp_path):
        assert not left.exists()
    assert other.exists()


HOLD = """
import sys
from pathlib import Path
from eventsync.state.lock import LOCK_OFFSET, Holder, lock_holder, run_lock
with run_lock(Path(sys.argv[1]), holder=sys.argv[2]):
    print("holding", flush=True)
    sys.stdin.read()  # until the test closes our stdin
"""


@pytest.mark.parametrize("command", ["watch", "sync"])
def test_while_another_process_holds_the_lock_its_pid_is_readable_and_named(tmp_path, command):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path), command],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        # What Windows' byte-range lock used to hide: the pid at offset 0, read while locked.
        expected = str(holder.pid) if command == "sync" else f"{holder.pid} watch"
        assert (tmp_path / "sync.lock").read_text() == expected
        assert lock_holder(tmp_path) == Holder(str(holder.pid), command)
        with pytest.raises(AlreadyRunningError) as refused, run_lock(tmp_path):
            pass
        assert f"(pid {holder.pid})" in str(refused.value)
        assert ("eventsync watch is running" in str(refused.value)) == (command == "watch")
    finally:
        holder.communicate("", timeout=30)
    assert lock_holder(tmp_path) is None  # let go when the holder ended


def test_nobody_holds_a_folder_no_run_ever_used(tmp_path):
    assert lock_holder(tmp_path / "never") is None
    assert not (tmp_path / "never").exists()


def test_the_windows_lock_byte_lies_beyond_anything_the_file_holds():
    # The layout the Windows branch relies on (it cannot be exercised here: Linux uses
    # flock, and Wine lets anyone read a locked range): "<pid> <command>" is a few
    # bytes, the locked byte is 1 GiB out, and below the C runtime's 2 GiB position limit.
    assert len(f"{2**32} watch".encode()) < LOCK_OFFSET < 2**31 - 1
