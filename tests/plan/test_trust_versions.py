"""Issue 13, cases 2, 5 and 7 in the pure stages: row versions, a new state, and what
eventsync itself sent without seeing HubSpot's answer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from eventsync.model import (
    EventUpdate,
    FieldValue,
    Plan,
    ProblemCode,
    RowStatus,
    SyncedEvent,
    frozen,
)
from eventsync.plan.conflicts import reconcile
from eventsync.plan.diff import plan_changes
from eventsync.plan.event_cells import RemoteEvent
from eventsync.plan.results import row_results
from eventsync.plan.versions import flag_stale, hold_unverified, is_older, read_version, unrecorded
from eventsync.portal_model import PortalEvent

T1 = "2026-11-30T10:38:41.398Z"
T2 = "2026-11-30T10:40:00Z"
# As messages show them: in the user's zone (UTC here, the default), with the zone.
SHOWN_T1, SHOWN_T2 = "2026-11-30 10:38:41.398 UTC", "2026-11-30 10:40:00 UTC"
T3 = "2026-12-01T08:00:00.5Z"
ID = "5823713202"


def row(values: dict[str, FieldValue], version: str | None = T1, n: int = 2) -> EventUpdate:
    return EventUpdate(n, ID, frozen(values), version)


def synced(values: dict[str, FieldValue], version: str) -> dict[str, SyncedEvent]:
    return {ID: SyncedEvent(frozen(values), version)}


def remote(values: dict[str, FieldValue], version: str) -> dict[str, RemoteEvent | None]:
    return {ID: RemoteEvent(ID, frozen(values), version, PortalEvent(ID, version, {}, {}))}


# -- reading a row's version ---------------------------------------------------------


def test_the_version_cell_reads_as_text_or_as_an_excel_date_time():
    assert read_version(T1) == T1
    assert read_version(" 2026-11-30T19:38:41.398+09:00 ") == T1
    # Excel turned the text into a date-time cell: no zone (it was UTC), float noise.
    assert read_version(datetime(2026, 11, 30, 10, 38, 41, 397999)) == T1
    assert read_version(datetime(2026, 11, 30, 10, 38, 41, 398000, tzinfo=UTC)) == T1
    for nothing in (None, "", "  ", "not a time", 46000.5):
        assert read_version(nothing) is None


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))
def test_a_version_read_back_from_its_own_text_is_the_same_instant(moment):
    text = read_version(moment)
    assert text is not None
    assert read_version(text) == text
    assert not is_older(text, read_version(text))


# -- case 2: a stale copy ------------------------------------------------------------


def test_a_row_older_than_the_confirmed_version_is_not_sent_and_says_both_times():
    snapshot = synced({"eventName": "Newer"}, T2)
    rows = [row({"eventName": "Older"}, T1)]
    plan = flag_stale(plan_changes(rows, snapshot), rows, snapshot, {"updatedAt": "更新日時"})
    assert plan.updates == ()
    [problem] = plan.problems
    assert problem.code is ProblemCode.STALE_COPY
    assert problem.column == "更新日時"
    assert SHOWN_T1 in problem.message and SHOWN_T2 in problem.message
    assert f"eventsync sync --force {ID}" in problem.message
    tokyo = flag_stale(
        plan_changes(rows, snapshot), rows, snapshot, {}, zone=ZoneInfo("Asia/Tokyo")
    ).problems[0]
    assert "(synced 2026-11-30 19:38:41.398 JST;" in tokyo.message


def test_current_rows_rows_without_a_version_and_forced_events_are_sent():
    snapshot = synced({"eventName": "Newer"}, T2)
    cases: list[tuple[list[EventUpdate], dict[str, Any]]] = [
        ([row({"eventName": "Edit"}, T2)], {}),
        ([row({"eventName": "Edit"}, "2026-11-30T19:40:00+09:00")], {}),  # same instant
        ([row({"eventName": "Edit"}, None)], {}),  # a new template row
        ([row({"eventName": "Edit"}, T1)], {"force_ids": frozenset({ID})}),
        ([row({"eventName": "Edit"}, T1)], {"force": True}),
    ]
    for rows, options in cases:
        plan = flag_stale(plan_changes(rows, snapshot), rows, snapshot, {}, **options)
        assert [u.object_id for u in plan.updates] == [ID], (rows, options)


@given(
    st.lists(st.sampled_from(["a", "b"]), min_size=1, max_size=6),
    st.lists(st.sampled_from([None, T1, T2, T3]), min_size=6, max_size=6),
)
def test_only_rows_older_than_the_snapshot_are_ever_held_back(names, versions):
    snapshot = {str(n): SyncedEvent(frozen({"eventName": "a"}), T2) for n in range(len(names))}
    rows = [
        EventUpdate(n + 2, str(n), frozen({"eventName": name}), versions[n])
        for n, name in enumerate(names)
    ]
    plan = plan_changes(rows, snapshot)
    flagged = flag_stale(plan, rows, snapshot, {})
    held = {p.row_number for p in flagged.problems}
    assert held == {u.row_number for u in plan.updates if versions[u.row_number - 2] == T1}
    # Row order changes nothing.
    again = flag_stale(plan_changes(rows[::-1], snapshot), rows[::-1], snapshot, {})
    assert {p.row_number for p in again.problems} == held


def test_two_way_takes_hubspots_values_into_a_stale_row_instead():
    snapshot = synced({"eventName": "Newer", "eventType": "Webinar"}, T2)
    rows = [row({"eventName": "Older", "eventType": "Webinar"}, T1)]
    plan = flag_stale(plan_changes(rows, snapshot), rows, snapshot, {})
    now = remote({"eventName": "Newer", "eventType": "Webinar"}, T2)
    result = reconcile(plan, rows, snapshot, now, {}, two_way=True)
    assert result.plan.problems == () and result.plan.updates == ()
    assert [(c.field, c.old, c.new) for c in result.incoming] == [("eventName", "Older", "Newer")]
    results = row_results(result.plan, {}, snapshot, rows=rows, incoming=result.incoming)
    assert [(r.status, r.updated_at) for r in results] == [(RowStatus.UNCHANGED, T2)]


def test_a_conflict_next_to_an_agreement_moves_the_rows_version_with_the_snapshot():
    """Both sides renamed alike (agreed: the snapshot moves to HubSpot's T3) and the
    organizer clashes: the row's updatedAt must move too, or it looks stale next run."""
    snapshot = synced({"eventName": "a", "eventOrganizer": "a"}, T2)
    rows = [row({"eventName": "b", "eventOrganizer": "mine"}, T2)]
    now = remote({"eventName": "b", "eventOrganizer": "theirs"}, T3)
    result = reconcile(plan_changes(rows, snapshot), rows, snapshot, now, {})
    [agreement] = result.agreements
    advanced = synced({"eventName": "b", "eventOrganizer": "a"}, agreement.updated_at)
    [conflict] = row_results(result.plan, {}, advanced, rows=rows)
    assert (conflict.status, conflict.updated_at) == (RowStatus.CONFLICT, T3)
    # A stale row never moves on: it does not hold the newer values.
    stale_rows = [row({"eventName": "old"}, T1)]
    stale = flag_stale(plan_changes(stale_rows, advanced), stale_rows, advanced, {})
    [kept] = row_results(stale, {}, advanced, rows=stale_rows)
    assert kept.updated_at is None


# -- case 5: a new state -------------------------------------------------------------


def test_without_a_snapshot_hubspot_unchanged_since_the_row_means_every_difference_is_an_edit():
    rows = [row({"eventName": "My edit", "eventType": "Webinar", "eventUrl": None}, T2)]
    now = remote({"eventName": "Old", "eventType": "Webinar", "eventUrl": "https://x"}, T2)
    result = reconcile(plan_changes(rows, {}), rows, {}, now, {})
    [update] = result.plan.updates
    assert [(c.field, c.old, c.new) for c in update.changes] == [("eventName", "Old", "My edit")]
    assert not update.first_sync
    # What matches becomes the base; an empty cell is no edit (it may never have been filled).
    [agreement] = result.agreements
    assert dict(agreement.values) == {"eventType": "Webinar"}
    assert agreement.updated_at == T2


def test_without_a_snapshot_an_unedited_row_sends_nothing():
    rows = [row({"eventName": "Same"}, T2)]
    result = reconcile(plan_changes(rows, {}), rows, {}, remote({"eventName": "Same"}, T2), {})
    assert result.plan.updates == () and result.plan.unchanged == tuple(rows)


def test_without_a_snapshot_hubspot_newer_makes_every_difference_a_conflict_and_agrees_nothing():
    rows = [row({"eventName": "Sheet", "eventType": "Webinar", "eventOrganizer": "x"}, T1)]
    now = remote({"eventName": "HubSpot", "eventType": "Webinar", "eventOrganizer": "y"}, T2)
    result = reconcile(plan_changes(rows, {}), rows, {}, now, {"eventName": "Name"})
    assert result.plan.updates == ()
    assert [c.field for c in result.conflicts] == ["eventName", "eventOrganizer"]
    assert result.agreements == ()
    assert result.plan.problems[0].message.startswith(
        f'conflict: Name is "HubSpot" in HubSpot, whose version of this event is from {SHOWN_T2},'
        f" not the one this row was synced at ({SHOWN_T1})"
    )
    # The same with HubSpot's values in every cell: nothing to send, and agreed.
    same = [row({"eventName": "HubSpot", "eventType": "Webinar", "eventOrganizer": "y"}, T1)]
    agreed = reconcile(plan_changes(same, {}), same, {}, now, {})
    assert agreed.plan.problems == () and agreed.plan.updates == ()
    assert len(agreed.agreements) == 1


def test_without_a_snapshot_a_row_without_a_version_is_a_first_sync():
    rows = [row({"eventName": "Sheet"}, None)]
    result = reconcile(plan_changes(rows, {}), rows, {}, remote({"eventName": "HubSpot"}, T2), {})
    [update] = result.plan.updates
    assert update.first_sync and update.changes[0].old == "HubSpot"


def test_without_reading_hubspot_synced_rows_the_snapshot_does_not_know_are_held():
    rows = [row({"eventName": "x"}, T1), EventUpdate(3, "99", frozen({"eventName": "y"}))]
    plan = plan_changes(rows, {})
    held = hold_unverified(plan, rows, {}, {})
    assert [u.object_id for u in held.updates] == ["99"]
    assert [p.code for p in held.problems] == [ProblemCode.NOT_VERIFIED]
    assert hold_unverified(plan, rows, {}, {}, force=True) == plan
    assert hold_unverified(plan, rows, {}, {}, force_ids=frozenset({ID})) == plan
    assert unrecorded(rows, {}) == (ID,)
    assert unrecorded(rows, synced({}, T1)) == ()


# -- case 7: our own write is not a colleague's edit --------------------------------


def test_hubspot_holding_what_eventsync_sent_unconfirmed_is_no_conflict():
    """Killed while HubSpot applied {"eventName": "Sent"}; the user then edited the cell."""
    snapshot = synced({"eventName": "Base", "eventType": "Webinar"}, T1)
    rows = [row({"eventName": "Edited after", "eventType": "Webinar"}, T1)]
    now = remote({"eventName": "Sent", "eventType": "Webinar"}, T2)
    plan = plan_changes(rows, snapshot)
    without = reconcile(plan, rows, snapshot, now, {})
    assert [c.field for c in without.conflicts] == ["eventName"]  # what the issue saw
    in_flight = {ID: [{"eventName": "Sent"}]}
    result = reconcile(plan, rows, snapshot, now, {}, in_flight=in_flight)
    assert result.conflicts == ()
    [update] = result.plan.updates
    assert [(c.old, c.new) for c in update.changes] == [("Sent", "Edited after")]


def test_a_colleagues_edit_stays_a_conflict_whatever_is_in_flight():
    snapshot = synced({"eventName": "Base"}, T1)
    rows = [row({"eventName": "Mine"}, T1)]
    now = remote({"eventName": "Colleague"}, T2)
    in_flight = {ID: [{"eventName": "Sent"}], "1": [{"eventName": "Colleague"}]}
    result = reconcile(plan_changes(rows, snapshot), rows, snapshot, now, {}, in_flight=in_flight)
    assert [c.field for c in result.conflicts] == ["eventName"]


def test_two_way_does_not_bring_back_eventsyncs_own_unconfirmed_write():
    snapshot = synced({"eventName": "Base", "eventType": "Webinar"}, T1)
    rows = [row({"eventName": "Base", "eventType": "Webinar"}, T1)]  # the user put it back
    now = remote({"eventName": "Sent", "eventType": "Seminar"}, T2)
    in_flight = {ID: [{"eventName": "Sent"}]}
    plan = plan_changes(rows, snapshot)
    result = reconcile(plan, rows, snapshot, now, {}, two_way=True, in_flight=in_flight)
    assert [c.field for c in result.incoming] == ["eventType"]


def test_reconcile_without_anything_new_is_unchanged_by_the_new_arguments():
    snapshot = synced({"eventName": "a"}, T1)
    rows = [row({"eventName": "b"}, T1)]
    now = remote({"eventName": "a"}, T1)
    plan = plan_changes(rows, snapshot)
    assert reconcile(plan, rows, snapshot, now, {}) == reconcile(
        plan, rows, snapshot, now, {}, in_flight={}
    )
    assert isinstance(plan, Plan)
