"""What the exit code and the message say about HubSpot when the state folder fails:
exit 2 and "Nothing was sent" while HubSpot has nothing from the run, exit 1 and what
HubSpot has once it confirmed batches (the README's exit-code table); a backups folder
or a sheet that is not what its name says is named, before anything is sent."""

from __future__ import annotations

import sqlite3

import pytest
from helpers import edit, read_rows
from test_os_errors import fill, tmpfs

import eventsync.state.database
from eventsync.state.database import DB_NAME

POSIX_ONLY = pytest.mark.posix_only("a real full disk is a tmpfs mounted by root")


@POSIX_ONLY
def test_a_full_state_disk_before_the_first_batch_is_exit_2_and_nothing_sent(workspace):
    """The state database exists (an earlier sync), so the first batch is recorded
    before it goes: the run's first write there (the lock's pid, or that record) meets
    the full disk, and nothing has gone out yet."""
    book = workspace.sample_workbook()
    with tmpfs(workspace.root / "state", "size=256k") as state:
        assert workspace.run("sync", EVENTSYNC_STATE_DIR=str(state)).code == 0
        edit(book, {(2, 2): "Renamed while the disk filled up"})
        sent = len(workspace.sandbox.batch_update_requests())
        fill(state)
        result = workspace.run("sync", EVENTSYNC_STATE_DIR=str(state))
    assert result.code == 2, result.err
    assert (
        f"{state / DB_NAME}: not written, the disk is full" in result.err
        or f"{state}: the state folder is on a full disk" in result.err
    ), result.err
    assert result.err.rstrip().endswith("Nothing was sent")
    assert "HubSpot confirmed" not in result.err and "bug" not in result.err
    assert len(workspace.sandbox.batch_update_requests()) == sent


@pytest.mark.slow
def test_a_state_database_locked_after_five_batches_is_exit_1_saying_hubspot_has_them(
    workspace, monkeypatch
):
    """Another program (a database browser) takes the database's write lock while
    HubSpot applies the fifth batch: HubSpot has those changes, and the run says so."""
    monkeypatch.setattr(eventsync.state.database, "BUSY_TIMEOUT_MS", 200)  # (5 s by default)
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0  # the database exists
    for row in range(2, 22):
        edit(book, {(row, 2): f"Renamed {row}"})
    database = workspace.root / ".eventsync" / DB_NAME
    holder = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    answer = workspace.sandbox.batch_update
    calls = []

    def lock_after_the_fifth(*args, **kwargs):
        calls.append(1)
        if len(calls) == 5:
            holder.execute("BEGIN EXCLUSIVE")
        return answer(*args, **kwargs)

    monkeypatch.setattr(workspace.sandbox, "batch_update", lock_after_the_fifth)
    try:
        result = workspace.run("sync", "--force", EVENTSYNC_BATCH_SIZE="2")
    finally:
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()
    assert result.code == 1, (len(calls), result.out, result.err)
    assert "the state database is held by another program" in result.err
    assert "HubSpot has the 10 changes it confirmed in this run" in result.err
    assert "Nothing" not in result.err and "bug" not in result.err
    assert len(calls) == 5  # nothing more was sent after the failure

    monkeypatch.setattr(workspace.sandbox, "batch_update", answer)
    again = workspace.run("sync", EVENTSYNC_BATCH_SIZE="2")
    assert again.code == 0, again.err
    assert all(row["updatedAt"] for row in read_rows(book))


def test_the_locked_database_message_is_japanese_too(workspace, monkeypatch):
    monkeypatch.setattr(eventsync.state.database, "BUSY_TIMEOUT_MS", 200)
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    edit(book, {(2, 2): "名前を変えました"})
    holder = sqlite3.connect(workspace.root / ".eventsync" / DB_NAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = workspace.run("sync", EVENTSYNC_LANG="ja")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.code == 2, result.err
    assert "状態データベースを別のプログラムが使っています" in result.err
    assert "何も送信していません" in result.err
    assert len(workspace.sandbox.batch_update_requests()) == 1  # the first sync's only


def test_a_backups_folder_that_is_a_file_is_named_before_anything_is_sent(workspace):
    workspace.sample_workbook()
    state = workspace.root / ".eventsync"
    state.mkdir()
    (state / "backups").write_text("not a folder")
    result = workspace.run("sync")
    assert result.code == 2, result.err
    backups = state / "backups"
    assert (
        f"{backups}: the backups folder cannot be used (it is a file, not a folder)" in result.err
    )
    assert "Nothing was sent" in result.err and "Not a directory" not in result.err
    assert not workspace.sandbox.batch_update_requests()


def test_a_backups_folder_that_is_a_file_stops_template_force_naming_it(workspace):
    workspace.sample_workbook()
    state = workspace.root / ".eventsync"
    state.mkdir()
    (state / "backups").write_text("not a folder")
    book = workspace.sheets / "events.xlsx"
    before = book.read_bytes()
    result = workspace.run("template", "--force", "sheets/events.xlsx")
    assert result.code == 2, result.err
    assert f"{state / 'backups'}: the backups folder cannot be used" in result.err
    assert book.read_bytes() == before


def test_a_folder_named_like_a_sheet_is_said_to_be_a_folder(workspace):
    (workspace.sheets / "dir.xlsx").mkdir()
    for command in ("sync", "plan", "watch"):
        result = workspace.run(command, "sheets/dir.xlsx")
        assert result.code == 2, (command, result.err)
        where = workspace.root / "sheets" / "dir.xlsx"
        assert f"{where} is a folder, not a sheet" in result.err, command
        assert "no such file" not in result.err
