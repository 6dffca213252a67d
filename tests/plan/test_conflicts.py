"""Never overwrite an edit made in HubSpot: the three-way check, pure and end to end."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from helpers import ZONE, edit, read_rows, sent_inputs
from hypothesis import given
from hypothesis import strategies as st

from eventsync.messages import Moment
from eventsync.model import EventUpdate, SyncedEvent, frozen
from eventsync.plan.conflicts import MISSING, reconcile
from eventsync.plan.diff import plan_changes
from eventsync.plan.event_cells import RemoteEvent
from eventsync.portal_model import PortalEvent

# Text fields HubSpot lets a row empty (eventName and eventOrganizer it requires: a
# blank of theirs is refused before any check, see tests/plan/test_blanks.py).
FIELDS = ("eventType", "eventDescription", "eventUrl")


# -- pure: the three-way table and its property ------------------------------------

values = st.sampled_from(["a", "b", "c", None])
event_values = st.fixed_dictionaries({f: values for f in FIELDS})


@given(st.lists(st.tuples(event_values, event_values, event_values), min_size=1, max_size=12))
def test_no_edit_made_in_hubspot_is_ever_overwritten_without_force(cases):
    snapshot, rows, remote = {}, [], {}
    for n, (agreed, sheet, hubspot) in enumerate(cases):
        object_id = str(100 + n)
        snapshot[object_id] = SyncedEvent(frozen(agreed), "2026-01-01T00:00:00Z")
        # Rows synced at the snapshot's version: their blanks are cells the user emptied.
        rows.append(EventUpdate(n + 2, object_id, frozen(sheet), "2026-01-01T00:00:00Z"))
        remote[object_id] = RemoteEvent(
            object_id,
            frozen(hubspot),
            "2026-02-01T00:00:00Z",
            PortalEvent(object_id, "2026-02-01T00:00:00Z", {}, {}),
        )
    plan = plan_changes(rows, snapshot)
    result = reconcile(plan, rows, snapshot, remote, {})
    for update in result.plan.updates:
        for change in update.changes:
            agreed = snapshot[update.object_id].values[change.field]
            now = remote[update.object_id].values[change.field]
            assert (now or None) == (agreed or None), "sent over a value HubSpot changed"
    # Every field both sides changed differently is reported, on its own row.
    for n, (agreed, sheet, hubspot) in enumerate(cases):
        clashes = {
            f
            for f in FIELDS
            if (sheet[f] or None) not in ((agreed[f] or None), (hubspot[f] or None))
            and (hubspot[f] or None) != (agreed[f] or None)
        }
        reported = {c.field for c in result.conflicts if c.row_number == n + 2}
        assert reported == clashes
    forced = reconcile(plan, rows, snapshot, remote, {}, force=True)
    assert forced.conflicts == ()


def test_a_field_never_agreed_on_has_no_base():
    from eventsync.plan.conflicts import _base

    assert _base(SyncedEvent(frozen({"eventName": "x"}), "t"), "eventType") is MISSING


# -- end to end against the sandbox ------------------------------------------------


def synced_workbook(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    return book


def test_hubspot_unchanged_the_sheets_change_goes_out(workspace):
    book = synced_workbook(workspace)
    before = len(workspace.sandbox.batch_update_requests())
    edit(book, {(3, 2): "New name"})
    assert workspace.run("sync").code == 0
    assert sent_inputs(workspace.sandbox, before) == [
        {"objectId": "5823713202", "eventName": "New name"}
    ]


def test_a_field_changed_only_in_hubspot_is_not_sent_back(workspace):
    book = synced_workbook(workspace)
    workspace.sandbox.edit_event("5823713202", eventName="Renamed in HubSpot")
    before = len(workspace.sandbox.batch_update_requests())
    edit(book, {(3, 3): "Hybrid"})  # the sheet changes another field of the same event
    result = workspace.run("sync")
    assert result.code == 0, result.out
    assert sent_inputs(workspace.sandbox, before) == [
        {"objectId": "5823713202", "eventType": "Hybrid"}
    ]
    assert workspace.sandbox.events["5823713202"]["eventName"] == "Renamed in HubSpot"


def test_both_changed_the_same_field_differently_is_a_conflict(workspace):
    book = synced_workbook(workspace)
    edited = workspace.sandbox.edit_event("5823713202", eventName="Spring Summit")
    before = len(workspace.sandbox.batch_update_requests())
    edit(book, {(3, 2): "My name", (4, 2): "Other row"})
    result = workspace.run("sync")
    assert result.code == 1
    assert "1 conflict" in result.out
    message = (
        f'conflict: eventName was changed in HubSpot to "Spring Summit" at {Moment(edited["updatedAt"], ZoneInfo(ZONE))};'
        " to keep HubSpot's, type it into the cell; to send yours, run eventsync sync --force 5823713202"
    )
    assert read_rows(book)[1]["syncError"] == message
    assert sent_inputs(workspace.sandbox, before) == [
        {"objectId": "5823713203", "eventName": "Other row"}
    ]
    assert workspace.sandbox.events["5823713202"]["eventName"] == "Spring Summit"

    # Keeping my value and syncing again decides nothing: the conflict stays
    # (tests/plan/test_trust_conflicts.py covers how it is resolved).
    again = workspace.run("sync")
    assert again.code == 1, again.out
    assert read_rows(book)[1]["syncError"] == message
    assert workspace.sandbox.events["5823713202"]["eventName"] == "Spring Summit"


def test_taking_hubspots_value_after_a_conflict_sends_nothing(workspace):
    book = synced_workbook(workspace)
    workspace.sandbox.edit_event("5823713202", eventName="Spring Summit")
    edit(book, {(3, 2): "My name"})
    assert workspace.run("sync").code == 1
    before = len(workspace.sandbox.batch_update_requests())
    edit(book, {(3, 2): "Spring Summit"})
    result = workspace.run("sync")
    assert result.code == 0, result.out
    assert sent_inputs(workspace.sandbox, before) == []
    assert read_rows(book)[1]["syncError"] is None
    assert workspace.run("plan", "--json").out.count('"objectId"') == 0


def test_both_changed_alike_sends_nothing_and_the_snapshot_advances(workspace):
    book = synced_workbook(workspace)
    edited = workspace.sandbox.edit_event("5823713202", eventName="Same on both")
    before = len(workspace.sandbox.batch_update_requests())
    edit(book, {(3, 2): "Same on both"})
    result = workspace.run("sync")
    assert result.code == 0
    assert sent_inputs(workspace.sandbox, before) == []
    assert read_rows(book)[1]["updatedAt"] == edited["updatedAt"]
    requests = workspace.sandbox.request_count
    assert workspace.run("sync").code == 0
    assert workspace.sandbox.request_count == requests  # nothing left to check or send


def test_force_sends_the_sheets_value_over_hubspots(workspace):
    book = synced_workbook(workspace)
    workspace.sandbox.edit_event("5823713202", eventName="Spring Summit")
    edit(book, {(3, 2): "Mine wins"})
    before = workspace.sandbox.request_count
    assert workspace.run("sync", "--force").code == 0
    assert [r.method for r in workspace.sandbox.requests[before:]] == ["POST"]  # no read
    assert workspace.sandbox.events["5823713202"]["eventName"] == "Mine wins"


def test_an_event_deleted_in_hubspot_is_reported_and_not_sent(workspace):
    book = synced_workbook(workspace)
    edit(book, {(3, 2): "x"})
    workspace.sandbox.delete_event("5823713202")
    result = workspace.run("sync")
    assert result.code == 1
    assert "no longer exists in HubSpot" in read_rows(book)[1]["syncError"]


def test_plan_shows_conflicts_before_anything_is_sent(workspace):
    book = synced_workbook(workspace)
    workspace.sandbox.edit_event("5823713202", eventName="Spring Summit")
    edit(book, {(3, 2): "My name"})
    result = workspace.run("plan")
    assert result.code == 1
    assert 'row 3: conflict: eventName was changed in HubSpot to "Spring Summit"' in result.out


def test_reads_stay_at_the_minimum(workspace):
    book = synced_workbook(workspace)
    edit(book, {(3, 2): "a", (5, 2): "b"})
    before = workspace.sandbox.request_count
    assert workspace.run("sync").code == 0
    reads = [r for r in workspace.sandbox.requests[before:] if r.method == "GET"]
    assert len(reads) == 1  # 20 events: one list page beats two single reads


# -- two-way -----------------------------------------------------------------------


def test_two_way_brings_hubspot_only_changes_into_a_csv_and_lists_new_events(workspace):
    path = workspace.csv_sheet(
        "events.csv",
        [
            ["objectId", "eventName", "eventType", "startDateTime", "memo"],
            ["5823713201", "A", "Webinar", "2026-04-06 10:00", "mine"],
            ["5823713202", "B", "Webinar", "2026-04-13 10:00", "mine too"],
        ],
    )
    assert workspace.run("sync").code == 0
    workspace.sandbox.edit_event("5823713201", eventName="A from HubSpot")
    workspace.sandbox.edit_event("5823713202", startDateTime="2026-04-13T03:30:00.000Z")
    before = len(workspace.sandbox.batch_update_requests())

    plan = workspace.run("plan", "--two-way")
    assert 'row 2, eventName: "A" -> "A from HubSpot"' in plan.out
    assert "18 events are in HubSpot but not in this sheet" in plan.out

    result = workspace.run("sync", "--two-way")
    assert result.code == 0, result.out
    assert "brought in from HubSpot" in result.out
    assert sent_inputs(workspace.sandbox, before) == []
    text = path.read_text(encoding="utf-8")
    assert "A from HubSpot,Webinar,2026-04-06 10:00,mine" in text
    assert "2026-04-13 12:30,mine too" in text  # 03:30 UTC is 12:30 in Tokyo
    # The old value is in the run log, and nothing is left to do.
    log = workspace.run("log")
    assert 'row 2: eventName brought in from HubSpot; the sheet had "A"' in log.out
    requests = workspace.sandbox.request_count
    again = workspace.run("sync")
    assert again.code == 0 and workspace.sandbox.request_count == requests


def test_add_new_appends_events_only_hubspot_has(workspace):
    path = workspace.csv_sheet("events.csv", [["objectId", "eventName"], ["5823713201", "A"]])
    assert workspace.run("sync").code == 0
    result = workspace.run("sync", "--two-way", "--add-new")
    assert result.code == 0, result.out
    assert "appended 19 events from HubSpot as new rows" in result.out
    from eventsync.sheets.csv_file import read_csv

    rows = read_csv(path).rows
    assert len(rows) == 21
    assert rows[2][:2] == ("5823713202", "Product Update 02")
    before = workspace.sandbox.request_count
    assert workspace.run("sync").code == 0
    assert workspace.sandbox.request_count == before


def test_two_way_into_a_workbook_keeps_every_other_part_and_the_cells_types(workspace):
    import shutil
    from datetime import datetime

    from helpers.workbooks import SHEET, assert_members_kept, style_of
    from python_calamine import CalamineWorkbook

    book = synced_workbook(workspace)
    before = workspace.root / "before.xlsx"
    shutil.copyfile(book, before)
    workspace.sandbox.edit_event("5823713202", eventName="Renamed in HubSpot")
    workspace.sandbox.edit_event("5823713203", startDateTime="2026-04-20T02:45:00.000Z")
    workspace.sandbox.edit_event("5823713204", eventCancelled=True)

    result = workspace.run("sync", "--two-way", "--add-new")
    assert result.code == 0, result.out
    assert_members_kept(before, book)
    for ref in ("B3", "H4", "G5"):
        assert style_of(book, SHEET, ref) == style_of(before, SHEET, ref), ref

    grid = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("Events").to_python()
    assert grid[2][1] == "Renamed in HubSpot"
    assert grid[3][7] == datetime(2026, 4, 20, 11, 45)  # a real date-time, in Tokyo time
    assert grid[4][6] is True
    assert read_rows(book)[1]["syncError"] is None

    requests = workspace.sandbox.request_count
    assert workspace.run("sync").code == 0
    assert workspace.sandbox.request_count == requests  # the sheet and HubSpot agree


def test_when_hubspot_cannot_be_read_nothing_is_sent_and_the_rows_say_why(workspace):
    book = synced_workbook(workspace)
    edit(book, {(3, 2): "New name"})
    before = len(workspace.sandbox.batch_update_requests())
    workspace.sandbox.script_fault(workspace.sandbox.request_count + 1, status=503)
    result = workspace.run("sync", EVENTSYNC_MAX_RETRIES="0")
    assert result.code == 1
    assert "Nothing was sent" in result.err
    assert read_rows(book)[1]["syncError"].startswith(
        "not sent: HubSpot's current state could not be read"
    )
    assert sent_inputs(workspace.sandbox, before) == []
    assert workspace.run("sync").code == 0  # later, it goes through
    assert workspace.sandbox.events["5823713202"]["eventName"] == "New name"
