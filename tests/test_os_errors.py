"""Ordinary trouble with the machine is not a bug: a state folder that is a file or
read-only, a full disk (state folder or sheet folder), a closed pipe, a killed write.

Each ends with a one-line message naming the file and what to do, and the right exit
code: 2 when nothing was sent, 1 when HubSpot already confirmed batches (the snapshot on
disk stays whole, and the next run finishes the job). Full and read-only disks are real:
a small tmpfs, mounted when the tests run as root on Linux; skipped otherwise, with the
same paths covered by a simulated ENOSPC.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import read_rows

import eventsync.safe_files
from eventsync.errors import DiskFullError
from eventsync.safe_files import TEMP_MARK, remove_stale_temps, temp_path, write_atomically
from eventsync.state.runlog import RunLog

ROOT = Path(__file__).resolve().parents[1]
PAGE = 4096
KILL = 9  # signal.SIGKILL, which Windows' signal module lacks: os.kill(pid, 9) ends pid there too
TMPFS = pytest.mark.posix_only("a tmpfs mounted as a real full or read-only disk")


def _mount(folder: Path, options: str) -> None:
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("a real tmpfs needs root on Linux; the simulated ENOSPC tests cover this")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()})")


@contextlib.contextmanager
def tmpfs(folder: Path, options: str = "size=64k") -> Iterator[Path]:
    _mount(folder, options)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, *, leave: int = 0) -> Path:
    """Take all the free space of `folder`'s disk but `leave` bytes."""
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    filler = folder / "filler.bin"
    with open(filler, "wb") as out, contextlib.suppress(OSError):
        out.write(b"\0" * max(free - leave, 0))
    return filler


def no_temps(*folders: Path) -> bool:
    return not any(TEMP_MARK in p.name for f in folders for p in f.rglob("*"))


# -- the state folder ------------------------------------------------------------------


def test_a_state_folder_that_is_a_file_is_exit_2_naming_it(workspace):
    workspace.sample_workbook()
    (workspace.root / ".eventsync").write_text("not a folder")
    result = workspace.run("sync")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert ".eventsync: the state folder is a file, not a folder" in result.err
    assert "EVENTSYNC_STATE_DIR" in result.err and "bug" not in result.err
    assert workspace.sandbox.request_count == 0


@TMPFS
def test_a_read_only_state_folder_is_exit_2_naming_it(workspace):
    """chmod does not stop root: a tmpfs mounted read-only does."""
    workspace.sample_workbook()
    with tmpfs(workspace.root / "state", "ro,size=64k") as state:
        result = workspace.run("sync", EVENTSYNC_STATE_DIR=str(state))
    assert result.code == 2, result.err
    assert f"{state}: the state folder cannot be written (read-only" in result.err
    assert "bug" not in result.err
    assert workspace.sandbox.request_count == 0


@TMPFS
def test_a_full_state_disk_before_the_run_is_exit_2(workspace):
    workspace.sample_workbook()
    with tmpfs(workspace.root / "state") as state:
        fill(state)
        result = workspace.run("sync", EVENTSYNC_STATE_DIR=str(state))
    assert result.code == 2, result.err
    assert "the state folder is on a full disk; free some space" in result.err
    assert workspace.sandbox.request_count == 0


@TMPFS
def test_a_state_disk_filling_up_after_hubspot_confirmed_is_exit_1_and_the_next_run_finishes(
    workspace,
):
    book = workspace.sample_workbook()
    before = book.read_bytes()
    with tmpfs(workspace.root / "state", "size=256k") as state:  # room for SQLite and its WAL
        # Room for the lock and the log's first lines, not for the snapshot. (--force
        # reads nothing first, so the first snapshot save follows the first batch.)
        filler = fill(state, leave=2 * PAGE)
        result = workspace.run("sync", "--force", EVENTSYNC_STATE_DIR=str(state))
        assert result.code == 1, result.err
        assert "state.sqlite3" in result.err and "the disk is full" in result.err
        assert "bug" not in result.err
        assert workspace.sandbox.batch_update_requests()  # HubSpot has the first batch
        assert book.read_bytes() == before  # nothing half-written
        assert no_temps(state, workspace.sheets)

        filler.unlink()  # the user frees space
        sent = len(workspace.sandbox.batch_update_requests())
        again = workspace.run("sync", EVENTSYNC_STATE_DIR=str(state))
        assert again.code == 0, again.err
    # The next run found the confirmed rows in HubSpot and wrote the results.
    assert all(row["updatedAt"] for row in read_rows(book))
    assert len(workspace.sandbox.batch_update_requests()) >= sent


@TMPFS
def test_a_full_sheet_disk_keeps_the_file_and_the_confirmed_state(workspace, tmp_path):
    with tmpfs(tmp_path / "sheets-disk", "size=256k") as disk:
        workspace.sheets = disk
        book = workspace.sample_workbook()
        before = book.read_bytes()
        filler = fill(disk)
        result = workspace.run("sync", EVENTSYNC_SHEETS_DIR=str(disk))
        assert result.code == 1, result.err
        assert "events.xlsx" in result.out + result.err and "bug" not in result.err
        assert book.read_bytes() == before
        assert no_temps(disk)

        filler.unlink()
        sent = len(workspace.sandbox.batch_update_requests())
        again = workspace.run("sync", EVENTSYNC_SHEETS_DIR=str(disk))
        assert again.code == 0, again.err
        assert len(workspace.sandbox.batch_update_requests()) == sent  # nothing sent twice
        assert all(row["updatedAt"] for row in read_rows(book))


@TMPFS
def test_a_template_onto_a_full_disk_says_so_and_leaves_nothing(workspace, tmp_path):
    with tmpfs(tmp_path / "full", "size=64k") as disk:
        fill(disk)
        result = workspace.run("template", str(disk / "mine.xlsx"))
        assert result.code == 1 and "bug" not in result.err
        assert f"{disk / 'mine.xlsx'}: not written, the disk is full" in result.err
        assert not (disk / "mine.xlsx").exists() and no_temps(disk)


def test_enospc_anywhere_in_a_write_becomes_disk_full_naming_the_file(tmp_path):
    """The simulated full disk, for machines without a tmpfs."""
    target = tmp_path / "snapshot.json"
    target.write_bytes(b"old")

    def full(temp: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(temp))

    with pytest.raises(DiskFullError) as refused:
        eventsync.safe_files.write_with(target, full)
    assert str(refused.value).startswith(f"{target}: not written, the disk is full")
    assert target.read_bytes() == b"old" and no_temps(tmp_path)


def test_a_run_log_that_fills_up_mid_run_stops_short_without_stopping_the_run(tmp_path):
    log = RunLog(tmp_path, "sync")
    log.write("start", command="sync")

    class FullFile:
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def close(self) -> None:
            pass

    log._file = FullFile()  # type: ignore[assignment]
    log.write("request", status=200)  # no exception: the sync goes on
    assert log.lost is not None and str(log.path) in log.lost
    log.close()


# -- files written: permissions, backups, killed writes -----------------------------


@pytest.mark.posix_only("file modes and the umask")
def test_new_files_get_the_users_permissions_and_replaced_ones_keep_theirs(workspace):
    old = os.umask(0o022)
    try:
        assert workspace.run("template", "new.xlsx").code == 0
        assert (workspace.root / "new.xlsx").stat().st_mode & 0o777 == 0o644
        kept = workspace.root / "kept.xlsx"
        kept.write_bytes(b"x")
        kept.chmod(0o640)
        assert workspace.run("template", "--force", "kept.xlsx").code == 0
        assert kept.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)


def test_template_force_backs_up_what_it_replaces(workspace):
    mine = workspace.root / "mine.xlsx"
    mine.write_bytes(b"my own work")
    result = workspace.run("template", "--force", "mine.xlsx")
    assert result.code == 0, result.err
    backups = workspace.root / ".eventsync" / "backups"
    [backup] = [p for p in backups.rglob("*mine.xlsx") if p.is_file()]
    assert backup.read_bytes() == b"my own work"
    assert str(backup) in result.out


def test_a_write_killed_midway_leaves_a_temp_the_next_run_removes(tmp_path):
    target = tmp_path / "events.xlsx"
    target.write_bytes(b"before")
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from eventsync.safe_files import write_with

        def produce(temp):
            temp.write_bytes(b"half")
            os.kill(os.getpid(), {KILL})  # TerminateProcess on Windows

        write_with(Path({str(target)!r}), produce)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=False)
    assert done.returncode == (KILL if sys.platform == "win32" else -KILL)
    [left] = [p for p in tmp_path.iterdir() if TEMP_MARK in p.name]
    assert left.name.startswith(".events.xlsx.eventsync-") and left.suffix == ".tmp"
    assert target.read_bytes() == b"before"

    write_atomically(tmp_path / "other.json", b"{}")  # any later write in the folder
    assert not left.exists() and target.read_bytes() == b"before"


def test_a_temp_of_a_running_writer_is_left_alone(tmp_path):
    with subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    ) as alive:
        busy = temp_path(tmp_path / "events.xlsx", alive.pid)
        busy.write_bytes(b"in progress")
        mine = tmp_path / ".notes.txt.tmp"  # not ours: never touched
        mine.write_bytes(b"")
        assert remove_stale_temps(tmp_path) == []
        assert busy.exists() and mine.exists()
        alive.communicate(b"")
    assert remove_stale_temps(tmp_path) == [busy]


def test_a_sync_removes_a_killed_runs_temp_beside_the_sheet(workspace):
    workspace.sample_workbook()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    left = temp_path(workspace.sheets / "events.xlsx", int(dead.stdout))
    left.write_bytes(b"half")
    assert workspace.run("plan").code == 0 and left.exists()  # plan writes nothing
    assert workspace.run("sync").code == 0
    assert not left.exists()


# -- a closed pipe -------------------------------------------------------------------


@pytest.mark.slow
def test_plan_into_a_closed_pipe_ends_quietly_with_141(workspace):
    workspace.sample_workbook()
    env = {**os.environ, **workspace.env, "PYTHONPATH": str(ROOT)}
    env.pop("HUBSPOT_ACCESS_TOKEN")  # plan without a token reads no HubSpot
    with subprocess.Popen(
        [sys.executable, "-m", "eventsync", "plan"],
        cwd=workspace.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        child.stdout.close()  # the reader is gone before the first line is written
        err = child.stderr.read().decode()
        code = child.wait()
    assert code == 141, err
    assert err == ""


@pytest.mark.slow
@pytest.mark.posix_only("a bash pipeline into head")
def test_plan_piped_into_head_prints_one_line_and_nothing_else(workspace):
    workspace.sample_workbook(rows=[*([row for row in _many_rows()])])
    env = {**os.environ, **workspace.env, "PYTHONPATH": str(ROOT)}
    env.pop("HUBSPOT_ACCESS_TOKEN")
    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {sys.executable} -m eventsync plan | head -1"],
        cwd=workspace.root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.stdout.count("\n") == 1
    assert done.stderr == ""
    assert done.returncode in (0, 141)  # 0 only if head read everything before closing


def _many_rows() -> list[list[object]]:
    from eventsync.sandbox.sample import sample_rows

    rows = sample_rows(20)
    return [[*row[:1], f"{row[1]} {'x' * 2000}", *row[2:]] for row in rows]


def test_a_hand_edited_snapshot_key_is_a_damaged_snapshot_not_a_bug(workspace):
    workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    path = workspace.root / ".eventsync" / "state.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE events SET object_id = 'abc' WHERE object_id = '5823713201'")
    before = workspace.sandbox.request_count
    result = workspace.run("sync")
    assert result.code == 2, result.err
    assert "state database is damaged" in result.err and "bug" not in result.err
    assert workspace.sandbox.request_count == before
