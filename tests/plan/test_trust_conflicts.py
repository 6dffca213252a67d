"""Issue 13, case 3: a conflict stays a conflict until the user resolves it.

Resolved only by typing HubSpot's value into the cell, `--force` (every event) or
`--force OBJECTID[,OBJECTID]` (those events); syncing again with the cell untouched
decides nothing, however many times it runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import Workspace, edit, read_rows, sent_inputs
from hypothesis import given
from hypothesis import strategies as st

from eventsync.arguments import parse_force
from eventsync.config import load_settings, read_environment
from eventsync.errors import SheetError
from eventsync.hubspot.client import HubSpotClient
from eventsync.model import EventUpdate, FieldValue, SyncedEvent, frozen
from eventsync.output.report import render_plan
from eventsync.plan.conflicts import reconcile
from eventsync.plan.diff import plan_changes
from eventsync.plan.event_cells import RemoteEvent
from eventsync.portal_model import PortalEvent
from eventsync.run import RunOptions, RunResult, run
from eventsync.state.portal import identify_portal
from eventsync.state.snapshot import SnapshotStore, agree_all

FIELDS = ("eventName", "eventType")


def run_with(workspace: Workspace, options: RunOptions) -> RunResult:
    """The run loop as `sync` drives it, over HTTP, with options the CLI builds from
    `--force ID[,ID]` (see parse_force)."""
    settings = load_settings(
        read_environment(workspace.root, workspace.env), cwd=workspace.root, require_token=True
    )
    client = HubSpotClient(settings)
    portal = identify_portal(
        settings.state_dir, settings.base_url, settings.token, client, remember=True
    )
    store = SnapshotStore(settings.state_dir, settings.base_url, portal=portal.key)
    return run(sorted(workspace.sheets.iterdir()), settings, store, client, options)


def conflicted(workspace: Workspace) -> Path:
    """Rows 3 and 4 (events ...202 and ...203) each in conflict over eventName."""
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    workspace.sandbox.edit_event("5823713202", eventName="Spring Summit")
    workspace.sandbox.edit_event("5823713203", eventName="Autumn Summit")
    edit(book, {(3, 2): "My name", (4, 2): "My other name"})
    return book


def test_after_a_conflict_three_more_syncs_leave_hubspots_value_in_place(workspace):
    book = conflicted(workspace)
    before = len(workspace.sandbox.batch_update_requests())
    for attempt in range(4):
        result = workspace.run("sync")
        assert result.code == 1, (attempt, result.out)
        assert "2 conflicts" in result.out
        assert read_rows(book)[1]["syncError"].startswith(
            'conflict: eventName was changed in HubSpot to "Spring Summit"'
        )
    assert sent_inputs(workspace.sandbox, before) == []
    assert workspace.sandbox.events["5823713202"]["eventName"] == "Spring Summit"
    assert workspace.sandbox.events["5823713203"]["eventName"] == "Autumn Summit"


def test_typing_hubspots_value_resolves_it_and_nothing_is_sent(workspace):
    book = conflicted(workspace)
    assert workspace.run("sync").code == 1
    edit(book, {(3, 2): "Spring Summit", (4, 2): "Autumn Summit"})
    before = len(workspace.sandbox.batch_update_requests())
    result = workspace.run("sync")
    assert result.code == 0, result.out
    assert sent_inputs(workspace.sandbox, before) == []
    assert [row["syncError"] for row in read_rows(book)[1:3]] == [None, None]


def test_force_alone_sends_every_conflicting_row(workspace):
    conflicted(workspace)
    assert workspace.run("sync").code == 1
    result = workspace.run("sync", "--force")
    assert result.code == 0, result.out
    assert workspace.sandbox.events["5823713202"]["eventName"] == "My name"
    assert workspace.sandbox.events["5823713203"]["eventName"] == "My other name"


@pytest.mark.slow
def test_forcing_one_event_sends_it_and_the_other_conflict_stays(workspace):
    book = conflicted(workspace)
    assert workspace.run("sync").code == 1
    before = len(workspace.sandbox.batch_update_requests())
    force, ids = parse_force("5823713202")
    result = run_with(workspace, RunOptions(force=force, force_ids=ids))
    assert result.exit_code == 1
    assert sent_inputs(workspace.sandbox, before) == [
        {"objectId": "5823713202", "eventName": "My name"}
    ]
    rows = read_rows(book)
    assert rows[1]["syncError"] is None
    assert rows[2]["syncError"].startswith('conflict: eventName was changed in HubSpot to "Autumn')
    assert workspace.sandbox.events["5823713203"]["eventName"] == "Autumn Summit"
    # Forced once is not forced for ever: the next plain sync sends nothing.
    workspace.sandbox.edit_event("5823713202", eventName="Renamed again")
    again = workspace.run("sync")
    assert again.code == 1
    assert workspace.sandbox.events["5823713202"]["eventName"] == "Renamed again"


def test_plan_shows_what_hubspot_holds_now_as_the_value_replaced(workspace):
    conflicted(workspace)
    _, ids = parse_force("5823713202,5823713203")
    result = run_with(workspace, RunOptions(send=False, force_ids=ids))
    text = render_plan(list(result.planned), 100, __import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    assert 'eventName: "Spring Summit" -> "My name"' in text
    assert 'eventName: "Autumn Summit" -> "My other name"' in text
    assert workspace.sandbox.batch_update_requests() != []  # the first sync only
    assert result.read_hubspot


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (None, (False, frozenset())),
        ("all", (True, frozenset())),
        ("5823713216", (False, frozenset({"5823713216"}))),
        ("5823713216, 5823713217", (False, frozenset({"5823713216", "5823713217"}))),
    ],
)
def test_force_takes_nothing_or_object_ids(typed, expected):
    assert parse_force(typed) == expected


def test_force_followed_by_neither_ids_nor_a_sheet_says_how_to_write_it():
    # a sheet's path never gets here: `force_and_paths` gives it back to the paths
    with pytest.raises(SheetError, match="--force takes objectIds separated by commas"):
        parse_force("spring")


# -- the property, over many runs ----------------------------------------------------

values = st.sampled_from(["a", "b", "c"])
steps = st.lists(
    st.tuples(st.sampled_from(["sheet", "hubspot", "run"]), st.sampled_from(FIELDS), values),
    max_size=25,
)


@given(steps)
def test_no_hubspot_edit_is_ever_overwritten_without_force_on_any_number_of_runs(script):
    """Colleagues edit HubSpot, the user edits the sheet, runs happen in any order: a
    field HubSpot holds is only ever replaced by a run when HubSpot still holds the
    value both sides last agreed on."""
    object_id = "100"
    agreed: dict[str, FieldValue] = {"eventName": "a", "eventType": "a"}
    snapshot = {object_id: SyncedEvent(frozen(agreed), "t0")}
    sheet, hubspot = dict(agreed), dict(agreed)
    for n, (who, field, value) in enumerate([*script, ("run", "", "")]):
        if who == "sheet":
            sheet[field] = value
        elif who == "hubspot":
            hubspot[field] = value
        else:
            rows = [EventUpdate(2, object_id, frozen(sheet))]
            remote = {
                object_id: RemoteEvent(
                    object_id, frozen(hubspot), f"t{n}", PortalEvent(object_id, f"t{n}", {}, {})
                )
            }
            plan = plan_changes(rows, snapshot)
            result = reconcile(plan, rows, snapshot, remote, {})
            confirmed: dict[str, FieldValue] = {}
            for update in result.plan.updates:
                for change in update.changes:
                    last_agreed = snapshot[object_id].values[change.field]
                    assert hubspot[change.field] == last_agreed, "overwrote a HubSpot edit"
                    assert change.old == hubspot[change.field]  # what plan shows
                    confirmed[change.field] = change.new
            hubspot.update(confirmed)
            agreements = [(a.object_id, a.values, a.updated_at) for a in result.agreements]
            snapshot = agree_all(snapshot, [*agreements, (object_id, confirmed, f"t{n}")])
