"""The state database of a working folder in a cloud-synced folder is kept on this
computer (a per-user folder keyed by the working folder), while backups and logs stay
beside the sheets; `plan` and the first `sync` say where and why; a second run finds it.
An EVENTSYNC_STATE_DIR named in such a place is refused; a database an older eventsync
left there is moved, once, and kept renamed."""

from __future__ import annotations

import contextlib
import sqlite3

import pytest
from helpers import Workspace, sent_inputs

from eventsync.state.database import DB_NAME


@pytest.fixture
def synced_folder(tmp_path, sandbox):
    """A working folder inside the folder Windows says OneDrive syncs (the variable
    Windows sets), and a per-user data folder outside it."""
    cloud = tmp_path / "Cloud Sync Root"
    root = cloud / "Marketing"
    root.mkdir(parents=True)
    workspace = Workspace(root, sandbox)
    workspace.env.update(OneDrive=str(cloud), EVENTSYNC_DATA_HOME=str(tmp_path / "AppData"))
    return workspace


def local_databases(workspace) -> list:
    return sorted((workspace.root.parents[1] / "AppData" / "states").glob(f"*/{DB_NAME}"))


def test_state_in_onedrive_is_kept_on_this_computer_and_found_again(synced_folder):
    workspace = synced_folder
    workspace.sample_workbook()
    plan = workspace.run("plan")
    assert plan.code == 0, plan.err
    assert "in a folder OneDrive syncs" in plan.out and "AppData" in plan.out

    first = workspace.run("sync")
    assert first.code == 0, first.err
    assert "eventsync keeps its state database on this computer instead" in first.err
    [database] = local_databases(workspace)
    assert database.parent.name.startswith("Marketing-")
    assert not (workspace.root / ".eventsync" / DB_NAME).exists()
    assert (workspace.root / ".eventsync" / "logs").is_dir()  # logs stay beside the sheets
    assert (workspace.root / ".eventsync" / "backups").is_dir()
    sent = len(sent_inputs(workspace.sandbox))
    assert sent == 20

    second = workspace.run("sync")
    assert second.code == 0, second.err
    assert "20 unchanged, 0 sent" in second.out
    assert "keeps its state database" not in second.err  # said once, when it was made
    assert len(sent_inputs(workspace.sandbox)) == sent
    assert local_databases(workspace) == [database]


def test_a_database_an_older_eventsync_left_in_onedrive_is_moved_once(synced_folder):
    workspace = synced_folder
    workspace.sample_workbook()
    # An older eventsync kept it beside the sheets (as the override still can).
    assert workspace.run("sync", EVENTSYNC_STATE_DIR_ANYWHERE="1").code == 0
    old = workspace.root / ".eventsync" / DB_NAME
    assert old.exists() and local_databases(workspace) == []
    sent = len(sent_inputs(workspace.sandbox))

    plan = workspace.run("plan")  # reads it where it is, writes nothing
    assert plan.code == 0, plan.err
    assert "the next sync moves eventsync's state database" in plan.out
    assert "20 unchanged" in plan.out
    assert local_databases(workspace) == []

    moved = workspace.run("sync")
    assert moved.code == 0, moved.err
    assert "moved eventsync's state database to this computer" in moved.err
    assert "20 unchanged, 0 sent" in moved.out  # the state came along
    assert len(sent_inputs(workspace.sandbox)) == sent
    [database] = local_databases(workspace)
    assert not old.exists()
    backup = old.with_name(DB_NAME + ".moved")  # kept, never deleted
    assert sorted(p.name for p in old.parent.glob(f"{DB_NAME}*")) == [f"{DB_NAME}.moved"]
    with contextlib.closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as copy:
        assert copy.execute("SELECT count(*) FROM events").fetchone()[0] == 20

    again = workspace.run("sync")
    assert again.code == 0 and "20 unchanged, 0 sent" in again.out
    assert again.err == ""
    assert local_databases(workspace) == [database]

    # A database written there again (an older eventsync on another computer): which
    # one holds the truth is the user's call. Refused, nothing sent.
    backup.rename(old)
    both = workspace.run("sync")
    assert both.code == 2
    assert "two state databases" in both.err and str(old) in both.err
    assert len(sent_inputs(workspace.sandbox)) == sent


def test_a_damaged_database_in_onedrive_is_not_moved(synced_folder):
    workspace = synced_folder
    workspace.sample_workbook()
    old = workspace.root / ".eventsync" / DB_NAME
    old.parent.mkdir()
    old.write_bytes(b"not a database at all" * 100)
    result = workspace.run("sync")
    assert result.code == 2
    assert str(old) in result.err and "damaged" in result.err
    assert old.read_bytes() == b"not a database at all" * 100
    assert sent_inputs(workspace.sandbox) == []
    assert local_databases(workspace) == []


def test_a_state_dir_named_in_onedrive_is_refused_unless_allowed(synced_folder):
    workspace = synced_folder
    workspace.sample_workbook()
    named = workspace.root.parent / "eventsync-state"
    refused = workspace.run("sync", EVENTSYNC_STATE_DIR=str(named))
    assert refused.code == 2
    assert refused.err.startswith(f"eventsync: EVENTSYNC_STATE_DIR {named} is in a folder")
    assert "EVENTSYNC_STATE_DIR_ANYWHERE=1" in refused.err
    assert sent_inputs(workspace.sandbox) == [] and not named.exists()

    japanese = workspace.run("plan", EVENTSYNC_STATE_DIR=str(named), EVENTSYNC_LANG="ja")
    assert japanese.code == 2 and "OneDriveで同期されるフォルダーにあるため" in japanese.err

    wrong = workspace.run("sync", EVENTSYNC_STATE_DIR=str(named), EVENTSYNC_STATE_DIR_ANYWHERE="y")
    assert wrong.code == 2 and "EVENTSYNC_STATE_DIR_ANYWHERE=y: use 1" in wrong.err

    allowed = workspace.run(
        "sync", EVENTSYNC_STATE_DIR=str(named), EVENTSYNC_STATE_DIR_ANYWHERE="1"
    )
    assert allowed.code == 0, allowed.err
    assert (named / DB_NAME).exists() and local_databases(workspace) == []
    assert allowed.err == ""


def test_a_state_dir_named_on_a_local_disk_is_used_as_it_is(synced_folder, tmp_path):
    workspace = synced_folder
    workspace.sample_workbook()
    named = tmp_path / "local-state"
    assert workspace.run("sync", EVENTSYNC_STATE_DIR=str(named)).code == 0
    assert (named / DB_NAME).exists() and local_databases(workspace) == []


def test_no_local_place_for_the_database_is_refused(synced_folder):
    workspace = synced_folder
    workspace.sample_workbook()
    inside = workspace.root.parent / "AppData"
    result = workspace.run("sync", EVENTSYNC_DATA_HOME=str(inside))
    assert result.code == 2
    assert "is in a folder OneDrive syncs too; set EVENTSYNC_STATE_DIR" in result.err
    assert sent_inputs(workspace.sandbox) == [] and not inside.exists()
