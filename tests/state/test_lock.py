"""The run lock: one run per state folder, a folder that cannot be used is a message
(exit 2), and what a killed run's writes left in the folder is cleaned up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sync.errors import AlreadyRunningError, ExitCode, StateFolderError
from sync.files import temp_path
from sync.state.lock import run_lock


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
