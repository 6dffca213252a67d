"""`eventsync watch` where sheets live in practice: through a symlinked folder (events
are matched by real path, as macOS reports them), beside a sheet iCloud has not
downloaded (named, and synced once it is), and in a OneDrive folder (the state database
kept on this computer, found again by every sync)."""

from __future__ import annotations

import shutil

import pytest
from helpers import Workspace, read_rows
from watch_process import WatchProcess, replace_file

from eventsync.sheets.xlsx.patch import patch_cells
from eventsync.state.database import DB_NAME

ICLOUD = "Budget.xlsx is in iCloud but not downloaded on this Mac"


def edit(path, cells):
    replace_file(path, lambda temp: patch_cells(path, temp, "Events", cells))


@pytest.fixture
def started():
    processes: list[WatchProcess] = []
    yield processes
    for process in processes:
        process.kill()


def watch(started, workspace, *args, **env) -> WatchProcess:
    started.append(WatchProcess(workspace, *args, **env))
    return started[-1]


def messages(process: WatchProcess) -> list[dict]:
    return [s for s in process.syncs if "message" in s]


@pytest.mark.slow
@pytest.mark.posix_only("symlinks: Windows makes them only for admins or in Developer Mode")
@pytest.mark.parametrize("how", ["a sheet named through the link", "the folder as the link"])
def test_a_sheet_in_a_symlinked_folder_is_synced_when_saved(workspace, started, how):
    book = workspace.sample_workbook()
    (workspace.root / "linked").symlink_to(workspace.sheets, target_is_directory=True)
    if how == "a sheet named through the link":
        process = watch(started, workspace, "linked/events.xlsx")
    else:
        process = watch(started, workspace, EVENTSYNC_SHEETS_DIR="linked")
    process.wait_for(lambda: process.sheet_syncs("events.xlsx"), "the start-up pass")
    assert process.sheet_syncs("events.xlsx")[0]["sent"] == 20
    before = len(workspace.sandbox.batch_update_requests())

    edit(book, {(3, 2): "Saved through the real folder"})
    process.wait_for(lambda: len(process.sheet_syncs("events.xlsx")) == 2, "sync of the save")
    [request] = workspace.sandbox.batch_update_requests()[before:]
    assert request.body["inputs"] == [
        {"objectId": "5823713202", "eventName": "Saved through the real folder"}
    ]
    # Its own write-back (seen under the real path too) is not taken for a save.
    assert process.stays(lambda: len(process.sheet_syncs("events.xlsx")) == 2, 1.5)
    assert process.terminate() == 0


@pytest.mark.slow
def test_a_sheet_in_icloud_is_named_and_synced_once_downloaded(workspace, started, tmp_path):
    workspace.sample_workbook()
    stub = workspace.sheets / ".Budget.xlsx.icloud"
    stub.write_bytes(b"bplist00")
    process = watch(started, workspace)
    process.wait_for(lambda: messages(process), "the placeholder named")
    [said] = messages(process)
    assert said["file"] == "Budget.xlsx" and said["message"].startswith(ICLOUD)
    process.wait_for(lambda: process.sheet_syncs("events.xlsx"), "the other sheet's sync")

    # Downloaded: iCloud writes the file and removes its stub.
    downloaded = tmp_path / "download.xlsx"
    shutil.copy(workspace.sheets / "events.xlsx", downloaded)
    edit(downloaded, {(2, 2): "Budget review"})
    shutil.move(downloaded, workspace.sheets / "Budget.xlsx")
    stub.unlink()
    process.wait_for(lambda: process.sheet_syncs("Budget.xlsx"), "the downloaded sheet's sync")
    assert len(messages(process)) == 1  # said once
    assert workspace.sandbox.events["5823713201"]["eventName"] == "Budget review"
    assert process.terminate() == 0


@pytest.mark.slow
def test_watch_in_onedrive_keeps_the_state_on_this_computer(tmp_path, sandbox, started):
    cloud = tmp_path / "Cloud Sync Root"
    root = cloud / "Marketing"
    root.mkdir(parents=True)
    workspace = Workspace(root, sandbox)
    workspace.env.update(OneDrive=str(cloud), EVENTSYNC_DATA_HOME=str(tmp_path / "AppData"))
    book = workspace.sample_workbook()
    process = watch(started, workspace)
    assert any("keeps its state database on this computer" in line for line in process.err)
    process.wait_for(lambda: process.sheet_syncs("events.xlsx"), "the start-up pass")
    process.wait_for(lambda: read_rows(book)[0].get("updatedAt"), "annotations")
    edit(book, {(3, 2): "Edited in OneDrive"})
    process.wait_for(lambda: len(process.sheet_syncs("events.xlsx")) == 2, "sync of the edit")
    second = process.sheet_syncs("events.xlsx")[1]
    assert (second["sent"], second["updated"]) == (1, 1)  # the state of the first sync found
    assert process.terminate() == 0
    [database] = (tmp_path / "AppData" / "states").glob(f"*/{DB_NAME}")
    assert not (root / ".eventsync" / DB_NAME).exists()
    assert workspace.run("sync").out.count("0 sent") == 1  # and by a sync by hand
