"""The state database of a working folder in a cloud-synced folder is kept on this
computer (a per-user folder keyed by the working folder), while backups and logs stay
beside the sheets; `plan` and the first `sync` say where and why; a second run finds it.
An EVENTSYNC_STATE_DIR named in such a place is refused; a database an older eventsync
left there is moved, once, and kept renamed."""

from __future__ import annotations

import sqlite3

import pytest
from helpers import Workspace, sent_inputs

from sync.state.database import DB_NAME


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
