"""`eventsync history OBJECTID`: who changed what, when, from which sheet and row, after
a few syncs, a two-way change and a conflict resolved; the upgrade from a JSON snapshot;
a state database that cannot be trusted."""

from __future__ import annotations

import gc
import json
import sqlite3

import pytest

from eventsync.state.database import DB_NAME
from eventsync.state.json_snapshot import imported_path, save_snapshot, snapshot_path
from eventsync.state.snapshot import SnapshotStore

ID = "5823713201"
OTHER = "5823713202"
HEADER = ["objectId", "eventName"]


def sheet(workspace, first: str, second: str = "Second event"):
    return workspace.csv_sheet("events.csv", [HEADER, [ID, first], [OTHER, second]])


def sent(workspace) -> list[str]:
    return [
        i["objectId"]
        for request in workspace.sandbox.batch_update_requests()
        for i in request.body["inputs"]
    ]


def history(workspace, *args: str) -> list[dict]:
    result = workspace.run("history", ID, "--json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)["changes"]


@pytest.mark.slow
def test_history_shows_syncs_a_two_way_change_and_a_conflict_resolution(workspace):
    sheet(workspace, "First name")
    assert workspace.run("sync").code == 0
    sheet(workspace, "Second name")
    assert workspace.run("sync").code == 0

    # A change made in HubSpot comes into the sheet with two-way sync.
    workspace.sandbox.edit_event(ID, eventName="Renamed in HubSpot")
    assert workspace.run("sync", "--two-way").code == 0
    assert "Renamed in HubSpot" in (workspace.sheets / "events.csv").read_text()

    # Both sides change it: a conflict, nothing sent; then the user forces the sheet's value.
    workspace.sandbox.edit_event(ID, eventName="Theirs")
    sheet(workspace, "Mine")
    before = len(sent(workspace))
    assert workspace.run("sync").code == 1
    assert len(sent(workspace)) == before
    assert workspace.run("sync", "--force", ID).code == 0

    changes = history(workspace)
    names = [c["value"] for c in changes if c["field"] == "eventName"]
    assert names == ["Mine", "Renamed in HubSpot", "Second name", "First name"]
    newest, two_way, second, first = (c for c in changes if c["field"] == "eventName")
    assert (
        newest["kind"] == "sent"
        and newest["updatedAt"] == workspace.sandbox.events[ID]["updatedAt"]
    )
    assert two_way["kind"] == "into sheet"
    # Every change names the sheet and the row it came from (or went into).
    assert {(c["sheet"], c["row"]) for c in changes} == {("events.csv", 2)}
    assert two_way["before"] == "Second name"
    assert second["kind"] == "sent" and second["before"] == "First name"
    assert first["kind"] == "sent"
    assert [c["at"] for c in changes] == sorted((c["at"] for c in changes), reverse=True)

    text = workspace.run("history", ID)
    assert text.code == 0
    lines = text.out.splitlines()
    assert lines[0] == (
        f"history of event {ID} in HubSpot account 880001 at {workspace.sandbox.url}, newest first"
    )
    assert 'eventName: "Second name" -> "Renamed in HubSpot"' in text.out
    assert 'eventName: "First name" -> "Second name"  (sent' in text.out
    assert lines[1].index('"Mine"') < len(lines[1])  # the newest change first


def test_history_of_an_event_never_synced_and_before_any_sync(workspace):
    result = workspace.run("history", ID)
    assert result.code == 0
    assert result.out.startswith("no sync has been recorded yet")
    sheet(workspace, "First name")
    assert workspace.run("sync").code == 0
    result = workspace.run("history", "5823713299")
    assert "no change recorded" in result.out
    refused = workspace.run("history", "abc")
    assert refused.code == 2 and "an objectId is a number" in refused.err


def test_upgrading_from_a_json_snapshot_sends_nothing_for_rows_in_sync(workspace):
    sheet(workspace, "First name")
    assert workspace.run("sync").code == 0
    # Make the folder look like an older eventsync's: the same state as a JSON snapshot.
    state = workspace.root / ".eventsync"
    store = SnapshotStore(state, workspace.sandbox.url)
    events = store.events
    store.close()  # Windows deletes no file a handle holds open
    for name in (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm"):
        (state / name).unlink(missing_ok=True)
    path = save_snapshot(state, workspace.sandbox.url, events)
    before = len(sent(workspace))

    planned = workspace.run("plan")
    assert planned.code == 0, planned.err
    assert "Would send" not in planned.out or "Would send 0" in planned.out
    assert path.exists() and not (state / DB_NAME).exists()  # plan writes nothing

    result = workspace.run("sync")
    assert result.code == 0, result.err
    assert len(sent(workspace)) == before
    assert not path.exists() and imported_path(path).exists()
    assert SnapshotStore(state, workspace.sandbox.url).events == events

    sheet(workspace, "Edited after the upgrade")
    assert workspace.run("sync").code == 0
    assert sent(workspace)[before:] == [ID]


def test_a_damaged_state_database_is_exit_2_naming_it_and_sends_nothing(workspace):
    sheet(workspace, "First name")
    assert workspace.run("sync").code == 0
    path = workspace.root / ".eventsync" / DB_NAME
    gc.collect()  # the in-process runs' connections are closed
    path.write_bytes(b"garbage" * 1000)
    for name in (DB_NAME + "-wal", DB_NAME + "-shm"):
        (path.parent / name).unlink(missing_ok=True)
    sheet(workspace, "Second name")
    requests = workspace.sandbox.request_count
    for command in ("sync", "plan", "history"):
        argv = [command, ID] if command == "history" else [command]
        result = workspace.run(*argv)
        assert result.code == 2, (command, result.err)
        assert result.err.count("\n") == 1
        assert result.err.startswith(f"eventsync: {path}: the state database is damaged")
        assert "bug" not in result.err
    assert workspace.sandbox.request_count == requests


def test_a_state_database_from_a_newer_eventsync_is_exit_2(workspace):
    sheet(workspace, "First name")
    assert workspace.run("sync").code == 0
    with sqlite3.connect(workspace.root / ".eventsync" / DB_NAME) as connection:
        connection.execute("PRAGMA user_version = 99")
    result = workspace.run("sync")
    assert result.code == 2
    assert (
        "written by a newer eventsync" in result.err and "install the newer eventsync" in result.err
    )


def test_a_json_snapshot_left_beside_an_imported_one_is_not_imported_again(workspace):
    sheet(workspace, "First name")
    assert workspace.run("sync").code == 0
    state = workspace.root / ".eventsync"
    assert not snapshot_path(state, workspace.sandbox.url).exists()
