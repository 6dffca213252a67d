"""Issue 13, case 5: a missing or reset snapshot overwrites nothing HubSpot changed.

Without a record of the last sync, HubSpot's current values are the base for rows that
carry an updatedAt: where HubSpot's updatedAt equals the row's, every cell that differs
is the user's edit; where HubSpot's is newer, every filled cell that differs is a
conflict. Rows without updatedAt are a first sync, as always.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers import Workspace, edit, read_rows, sent_inputs

NAME, EVENT_TYPE = 2, 3


def state_deleted(workspace: Workspace) -> Path:
    """A synced workbook; then a colleague renamed ...202 in HubSpot, the user renamed
    ...203 in the sheet, and the state folder was deleted."""
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    workspace.sandbox.edit_event("5823713202", eventName="Renamed in HubSpot")
    edit(book, {(4, NAME): "My edit"})
    shutil.rmtree(workspace.root / ".eventsync")
    return book


def test_with_the_state_deleted_only_the_users_edits_go_out_and_hubspots_stay(workspace):
    book = state_deleted(workspace)
    before = len(workspace.sandbox.batch_update_requests())

    result = workspace.run("sync")

    assert result.code == 1, result.out
    assert sent_inputs(workspace.sandbox, before) == [
        {"objectId": "5823713203", "eventName": "My edit"}
    ]
    events = workspace.sandbox.events
    assert events["5823713202"]["eventName"] == "Renamed in HubSpot"
    rows = read_rows(book)
    assert rows[1]["syncError"].startswith(
        'conflict: eventName is "Renamed in HubSpot" in HubSpot, whose version of this event'
    )
    assert rows[1]["syncError"].endswith(
        "to keep HubSpot's, type it into the cell; to send yours, run eventsync sync --force 5823713202"
    )
    assert rows[2]["updatedAt"] == events["5823713203"]["updatedAt"]
    assert all(row["syncError"] is None for n, row in enumerate(rows) if n != 1)

    # The next runs send nothing more, and the conflict stays one.
    for _ in range(2):
        again = workspace.run("sync")
        assert again.code == 1, again.out
    assert sent_inputs(workspace.sandbox, before)[1:] == []
    assert workspace.sandbox.events["5823713202"]["eventName"] == "Renamed in HubSpot"
    # Typing HubSpot's value resolves it.
    edit(book, {(3, NAME): "Renamed in HubSpot"})
    assert workspace.run("sync").code == 0
    assert sent_inputs(workspace.sandbox, before)[1:] == []


def test_an_unedited_annotated_workbook_sends_nothing_with_the_state_deleted(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    shutil.rmtree(workspace.root / ".eventsync")
    before = len(workspace.sandbox.batch_update_requests())
    result = workspace.run("sync")
    assert result.code == 0, result.out
    assert sent_inputs(workspace.sandbox, before) == []
    # The state is rebuilt from HubSpot: an edit afterwards is an ordinary change.
    edit(book, {(2, EVENT_TYPE): "Seminar"})
    assert workspace.run("sync").code == 0
    assert sent_inputs(workspace.sandbox, before) == [
        {"objectId": "5823713201", "eventType": "Seminar"}
    ]


def test_plan_says_the_state_is_new_and_for_how_many_events(workspace):
    state_deleted(workspace)
    result = workspace.run("plan")
    assert result.code == 1, result.out
    assert (
        "  this folder has no record of the last sync of 20 events whose rows carry an"
        " updatedAt (a new machine, another clone, or .eventsync deleted): HubSpot's current"
        " values serve as their base; a cell that differs is sent only where HubSpot has not"
        " changed since the row's updatedAt, and is a conflict where it has"
    ) in result.out
    assert 'eventName: "Spring Product Update 03" -> "My edit"' in result.out
    assert "Would send 1 event in 1 request" in result.out


def test_a_row_without_updated_at_is_a_first_sync_as_ever(workspace):
    book = state_deleted(workspace)
    edit(book, {(3, 11): None})  # row 3's updatedAt cleared: never synced, as far as we know
    before = len(workspace.sandbox.batch_update_requests())
    assert workspace.run("sync").code == 0
    assert sent_inputs(workspace.sandbox, before) == [
        {"objectId": "5823713202", "eventName": "Spring Product Update 02"},
        {"objectId": "5823713203", "eventName": "My edit"},
    ]


def test_without_reading_hubspot_synced_rows_are_held_back(workspace):
    book = state_deleted(workspace)
    before = len(workspace.sandbox.batch_update_requests())
    result = workspace.run("sync", "--no-remote-check")
    assert result.code == 1, result.out
    assert sent_inputs(workspace.sandbox, before) == []
    assert workspace.sandbox.events["5823713202"]["eventName"] == "Renamed in HubSpot"
    assert read_rows(book)[2]["syncError"] == (
        "updatedAt: eventsync has no record of the last sync of event 5823713203 (its state"
        " is new or was deleted) and did not read HubSpot, so it cannot tell your edits from"
        " values changed in HubSpot since; run eventsync sync without --no-remote-check, or send this"
        " row as it is with eventsync sync --force 5823713203"
    )
