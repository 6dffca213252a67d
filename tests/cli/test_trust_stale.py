"""Issue 13, case 2: a stale copy of the workbook never reverts newer values in HubSpot.

Each synced row carries the updatedAt HubSpot confirmed: its version. A row older than
the version HubSpot confirmed since comes from an older copy and is not sent; the rows
of the same file that are current still sync. And no path that moves the snapshot on
leaves a row's version behind (that row would look stale on the next run).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers import ZONE, Workspace, edit, read_rows, sent_inputs

from eventsync.messages import Moment

NAME, EVENT_TYPE, ORGANIZER = 2, 3, 4  # columns of the sample workbook


def shown_in_zone(version: str) -> str:
    """A version as messages show it: in the workspace's EVENTSYNC_TIMEZONE."""
    return str(Moment(version, ZoneInfo(ZONE)))


def stale_copy(workspace: Workspace) -> tuple[Path, Path]:
    """A copy saved after the first sync; the current workbook then renamed event ...202
    and synced it, and a colleague renamed ...204 in HubSpot. The current workbook is
    moved out of the sheets folder and the old copy takes its place."""
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    old_copy = workspace.root / "events - old.xlsx"
    shutil.copyfile(book, old_copy)
    edit(book, {(3, NAME): "Newer name"})
    assert workspace.run("sync").code == 0
    workspace.sandbox.edit_event("5823713204", eventName="Renamed in HubSpot")
    current = book.replace(workspace.root / "events - current.xlsx")
    shutil.copyfile(old_copy, book)
    return book, current


@pytest.mark.slow
def test_a_stale_copy_with_one_fresh_edit_sends_the_edit_and_hubspot_keeps_every_newer_value(
    workspace,
):
    book, _ = stale_copy(workspace)
    newer = workspace.sandbox.events["5823713202"]["updatedAt"]
    old = read_rows(book)[1]["updatedAt"]
    edit(book, {(4, NAME): "Fresh edit"})
    before = len(workspace.sandbox.batch_update_requests())

    result = workspace.run("sync")

    assert result.code == 1, result.out
    assert sent_inputs(workspace.sandbox, before) == [
        {"objectId": "5823713203", "eventName": "Fresh edit"}
    ]
    events = workspace.sandbox.events
    assert events["5823713202"]["eventName"] == "Newer name"
    assert events["5823713204"]["eventName"] == "Renamed in HubSpot"
    assert events["5823713203"]["eventName"] == "Fresh edit"
    rows = read_rows(book)
    shown_old, shown_newer = (shown_in_zone(version) for version in (old, newer))
    assert rows[1]["syncError"] == (
        f"updatedAt: from an older copy (synced {shown_old}; HubSpot has a newer version,"
        f" {shown_newer}): not sent; to send it as it is, run eventsync sync --force 5823713202"
    )
    assert rows[1]["updatedAt"] == old  # still the old copy's: it stays stale
    assert rows[2]["syncError"] is None
    assert rows[2]["updatedAt"] == events["5823713203"]["updatedAt"]
    assert "1 row is from an older copy of this file (row 3)" in result.out

    # Run after run: the stale row stays unsent.
    again = workspace.run("sync")
    assert again.code == 1
    assert sent_inputs(workspace.sandbox, before)[1:] == []
    assert workspace.sandbox.events["5823713202"]["eventName"] == "Newer name"


def test_two_way_takes_the_newer_values_into_a_stale_row(workspace):
    book, _ = stale_copy(workspace)
    before = len(workspace.sandbox.batch_update_requests())
    result = workspace.run("sync", "--two-way")
    assert result.code == 0, result.out
    assert sent_inputs(workspace.sandbox, before) == []
    rows = read_rows(book)
    assert rows[1]["eventName"] == "Newer name"
    assert rows[1]["syncError"] is None
    assert rows[1]["updatedAt"] == workspace.sandbox.events["5823713202"]["updatedAt"]
    assert rows[3]["eventName"] == "Renamed in HubSpot"
    # The row is current now: an edit on it is sent.
    edit(book, {(3, NAME): "Re-applied edit"})
    assert workspace.run("sync").code == 0
    assert workspace.sandbox.events["5823713202"]["eventName"] == "Re-applied edit"


def test_forcing_the_stale_event_sends_the_row_as_it_is(workspace):
    book, _ = stale_copy(workspace)
    result = workspace.run("sync", "--force", "5823713202")
    assert result.code == 0, result.out
    assert workspace.sandbox.events["5823713202"]["eventName"] == "Spring Product Update 02"
    assert read_rows(book)[1]["syncError"] is None


def test_a_csv_exported_before_the_last_sync_reverts_nothing(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    rows = read_rows(book)
    header = ["objectId", "eventName", "updatedAt"]
    exported = [[str(r["objectId"]), r["eventName"], r["updatedAt"]] for r in rows]
    edit(book, {(2, NAME): "Renamed after the export"})
    assert workspace.run("sync").code == 0
    book.replace(workspace.root / "events.xlsx")
    workspace.csv_sheet("export.csv", [header, *exported])
    before = len(workspace.sandbox.batch_update_requests())
    result = workspace.run("sync")
    assert result.code == 1, result.out
    assert sent_inputs(workspace.sandbox, before) == []
    assert workspace.sandbox.events["5823713201"]["eventName"] == "Renamed after the export"
    assert "1 row is from an older copy of this file" in result.out


@pytest.mark.slow
def test_no_path_that_moves_the_snapshot_leaves_a_row_looking_stale(workspace):
    """A sync, a two-way sync, an agreement (both sides changed a field alike, once next
    to a conflict), then three more syncs with edits: nothing is ever taken as stale."""
    book = workspace.sample_workbook()
    hubspot = workspace.sandbox
    outputs = [workspace.run("sync")]
    # Two-way brings a HubSpot edit into row 3; then the user edits another cell of it.
    hubspot.edit_event("5823713202", eventName="From HubSpot")
    outputs.append(workspace.run("sync", "--two-way"))
    assert read_rows(book)[1]["eventName"] == "From HubSpot"
    edit(book, {(3, EVENT_TYPE): "Seminar"})
    outputs.append(workspace.run("sync"))
    assert hubspot.events["5823713202"]["eventType"] == "Seminar"
    # Agreements: row 4 alike on the name and in conflict on the organizer; row 5 alike.
    hubspot.edit_event("5823713203", eventName="Same name", eventOrganizer="Theirs")
    hubspot.edit_event("5823713204", eventName="Both")
    edit(book, {(4, NAME): "Same name", (4, ORGANIZER): "Mine", (5, NAME): "Both"})
    conflict = workspace.run("sync")
    assert conflict.code == 1 and "1 conflict" in conflict.out
    edit(book, {(4, ORGANIZER): "Theirs", (5, EVENT_TYPE): "Meetup"})  # resolved; a new edit
    outputs.append(workspace.run("sync"))
    assert hubspot.events["5823713204"]["eventType"] == "Meetup"
    for n in range(3):
        edit(book, {(2 + n, EVENT_TYPE): f"Type {n}"})
        outputs.append(workspace.run("sync"))
        assert hubspot.events[f"582371320{1 + n}"]["eventType"] == f"Type {n}"
    assert all(result.code == 0 for result in outputs), [r.out for r in outputs]
    assert not any("older copy" in result.out for result in [*outputs, conflict])
    for row in read_rows(book):
        assert row["syncError"] is None, row
        assert row["updatedAt"] == hubspot.events[str(row["objectId"])]["updatedAt"]
