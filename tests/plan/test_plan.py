"""Building inputs and planning: pure stages, plain values, no files or network."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventsync.hubspot.payload import batch_body, to_input
from eventsync.model import (
    EventUpdate,
    HeaderCell,
    ProblemCode,
    RowOutcome,
    RowProblem,
    Sheet,
    SheetRow,
    SyncedEvent,
    frozen,
)
from eventsync.plan.diff import plan_changes
from eventsync.plan.inputs import build_updates
from eventsync.plan.results import annotations_for, row_results
from eventsync.state.snapshot import advance

TOKYO = ZoneInfo("Asia/Tokyo")
FIELDS = [
    "objectId",
    "eventName",
    "eventCancelled",
    "startDateTime",
    "endDateTime",
    "custom:region",
]


def make_sheet(*rows: dict, headers: dict[str, str] | None = None) -> Sheet:
    headers = headers or {f: f for f in FIELDS}
    header_cells = {f: HeaderCell(text, i) for i, (f, text) in enumerate(headers.items(), 1)}
    sheet_rows = tuple(SheetRow(n, frozen(cells)) for n, cells in enumerate(rows, 2))
    return Sheet(
        Path("events.xlsx"), "xlsx", "Events", frozen(header_cells), len(headers), sheet_rows
    )


def test_a_valid_row_becomes_normalised_values():
    sheet = make_sheet(
        {
            "objectId": 1001.0,
            "eventName": "  Summit ",
            "eventCancelled": "はい",
            "startDateTime": datetime(2025, 3, 1, 9, 0),
            "endDateTime": "2025/03/01 18:00",
            "custom:region": 3.0,
        }
    )
    [update] = build_updates(sheet, TOKYO)
    assert update.object_id == "1001"
    assert dict(update.values) == {
        "eventName": "Summit",
        "eventCancelled": True,
        "startDateTime": "2025-03-01T00:00:00Z",
        "endDateTime": "2025-03-01T09:00:00Z",
        "custom:region": "3",
    }


def test_a_synced_row_whose_object_id_was_cleared_is_never_a_new_event():
    sheet = make_sheet(
        {"objectId": None, "eventName": "x", "updatedAt": "2026-04-01T00:00:00.000Z"},
    )
    [problems] = build_updates(sheet, TOKYO)
    assert isinstance(problems, tuple)
    assert [p.message for p in problems] == ["objectId: is empty; type the event's HubSpot id"]


def test_each_bad_value_names_its_column_and_the_fix():
    sheet = make_sheet(
        {"objectId": None, "eventName": "x"},
        {"objectId": "abc"},
        {"objectId": 5, "startDateTime": "2024/13/01"},
        {"objectId": 6, "startDateTime": "2025-03-02 10:00", "endDateTime": "2025-03-01 10:00"},
        {"objectId": 7, "eventCancelled": "maybe"},
    )
    built = build_updates(sheet, TOKYO)
    messages = [[p.message for p in item] for item in built]
    # No objectId: a new event (plan/creates), which needs its organiser to be created.
    assert messages[0] == [
        "eventOrganizer: empty; a new event needs it to be created in HubSpot (or type the"
        " event's HubSpot id if it exists already)"
    ]
    assert "not a whole number" in messages[1][0]
    assert messages[2][0].startswith('startDateTime: "2024/13/01" is not a real date')
    assert messages[3][0].startswith("endDateTime: the end is before the start")
    assert messages[4][0] == 'eventCancelled: "maybe" is not a yes/no value; use TRUE or FALSE'
    assert [item[0].row_number for item in built] == [2, 3, 4, 5, 6]


def test_messages_use_the_header_text_of_the_users_sheet():
    sheet = make_sheet(
        {"objectId": 1, "startDateTime": "soon"},
        headers={"objectId": "ID", "startDateTime": "開始日時"},
    )
    [problems] = build_updates(sheet, TOKYO)
    assert problems[0].column == "開始日時"
    assert problems[0].message.startswith("開始日時:")


def test_the_same_object_id_on_two_rows_flags_both():
    sheet = make_sheet(
        {"objectId": 1, "eventName": "a"}, {"objectId": "1", "eventName": "b"}, {"objectId": 2}
    )
    built = build_updates(sheet, TOKYO)
    assert built[0][0].message == "objectId: 1 is also on row 3; keep the event on one row only"
    assert built[1][0].message == "objectId: 1 is also on row 2; keep the event on one row only"
    assert isinstance(built[2], EventUpdate)


def synced(values: dict, updated_at="2026-01-01T00:00:00.000Z") -> SyncedEvent:
    return SyncedEvent(frozen(values), updated_at)


def update(object_id: str, row: int = 2, *, version: str | None = None, **values) -> EventUpdate:
    """A row; `version`: its updatedAt (None: never synced from its file)."""
    return EventUpdate(row, object_id, frozen(values), version)


def test_a_row_never_synced_sends_all_its_non_empty_fields():
    plan = plan_changes([update("1", eventName="A", eventType=None, eventCancelled=False)], {})
    [planned] = plan.updates
    assert to_input(planned) == {"objectId": "1", "eventName": "A", "eventCancelled": False}


REGION_EMEA: dict[str, Any] = {"custom:region": "EMEA"}  # not a Python name: passed as **


def test_only_changed_fields_are_sent():
    snapshot = {"1": synced({"eventName": "A", "custom:region": "APAC", "eventCancelled": False})}
    plan = plan_changes([update("1", eventName="B", **REGION_EMEA, eventCancelled=False)], snapshot)
    assert batch_body(plan.updates) == {
        "inputs": [
            {
                "objectId": "1",
                "eventName": "B",
                "customProperties": [{"name": "region", "value": "EMEA"}],
            }
        ]
    }


def test_a_cleared_text_cell_sends_an_empty_string_but_a_cleared_date_is_an_error():
    snapshot = {
        "1": synced({"eventType": "A"}),
        "2": synced({"startDateTime": "2025-03-01T00:00:00Z"}),
    }
    at = "2026-01-01T00:00:00.000Z"  # synced rows: their blanks are cells the user emptied
    rows = [update("1", eventType=None, version=at), update("2", 3, startDateTime=None, version=at)]
    plan = plan_changes(rows, snapshot)
    assert [to_input(u) for u in plan.updates] == [{"objectId": "1", "eventType": ""}]
    [problem] = plan.problems
    assert problem.row_number == 3 and problem.code == "cleared_value"
    assert "eventsync does not empty a date-time or eventCancelled" in problem.message


def test_the_same_instant_spelled_differently_is_unchanged():
    snapshot = {"1": synced({"startDateTime": "2025-03-01T00:00:00.000Z"})}
    plan = plan_changes([update("1", startDateTime="2025-03-01T00:00:00Z")], snapshot)
    assert plan.updates == () and len(plan.unchanged) == 1


# -- properties -------------------------------------------------------------------

text_values = st.one_of(st.none(), st.text(min_size=1, max_size=8).map(str.strip).filter(bool))
updates_strategy = st.lists(
    st.builds(
        lambda object_id, name, kind, cancelled, start: (object_id, name, kind, cancelled, start),
        st.integers(1, 60).map(str),
        text_values,
        text_values,
        st.one_of(st.none(), st.booleans()),
        st.one_of(st.none(), st.sampled_from(["2025-03-01T00:00:00Z", "2025-04-01T10:30:00Z"])),
    ),
    max_size=25,
    unique_by=lambda item: item[0],
).map(
    lambda items: [
        update(oid, row, eventName=n, eventType=k, eventCancelled=c, startDateTime=s)
        for row, (oid, n, k, c, s) in enumerate(items, 2)
    ]
)


def confirm_all(plan) -> list[RowOutcome]:
    return [RowOutcome.updated(u.object_id, "2026-01-01T00:00:00Z", u.values) for u in plan.updates]


@pytest.mark.slow
@given(updates_strategy)
def test_after_everything_is_confirmed_the_plan_is_empty(updates):
    first = plan_changes(updates, {})
    snapshot = advance({}, confirm_all(first))
    second = plan_changes(updates, snapshot)
    assert second.updates == ()
    assert second.problems == ()


@pytest.mark.slow
@given(updates_strategy, st.randoms())
def test_row_order_does_not_change_the_plan(updates, random):
    shuffled = list(updates)
    random.shuffle(shuffled)
    key = lambda p: p.object_id  # noqa: E731
    assert sorted(plan_changes(updates, {}).updates, key=key) == sorted(
        plan_changes(shuffled, {}).updates, key=key
    )


@pytest.mark.slow
@given(updates_strategy, updates_strategy)
def test_only_fields_that_differ_from_the_snapshot_are_sent(before, after):
    snapshot = advance({}, confirm_all(plan_changes(before, {})))
    plan = plan_changes(after, snapshot)
    for planned in plan.updates:
        previous = snapshot.get(planned.object_id)
        for change in planned.changes:
            old = previous.values.get(change.field) if previous else None
            assert change.old == old
            assert change.new != old
    # A failed send leaves the snapshot as it was: the same plan comes back.
    failed = [RowOutcome.failed(u.object_id, "HubSpot answered 503") for u in plan.updates]
    assert plan_changes(after, advance(snapshot, failed)) == plan


def test_annotations_cover_sent_failed_invalid_and_in_sync_rows():
    snapshot = {
        "1": synced({"eventName": "A"}, "2026-01-01T00:00:00.000Z"),
        "2": synced({"eventName": "B"}),
    }
    built: list[EventUpdate | tuple[RowProblem, ...]] = [
        update("1", 2, eventName="A"),
        update("2", 3, eventName="B2"),
        update("3", 4, eventName="C"),
        (RowProblem(5, "objectId", ProblemCode.MISSING_OBJECT_ID, "objectId: is empty"),),
    ]
    plan = plan_changes(built, snapshot)
    outcomes = {
        "2": RowOutcome.updated("2", "2026-02-02T00:00:00.000Z", {"eventName": "B2"}),
        "3": RowOutcome.failed("3", "HubSpot: OBJECT_NOT_FOUND: no such event"),
    }
    results = row_results(plan, outcomes, advance(snapshot, outcomes.values()))
    notes = annotations_for(results)
    assert notes[2].updated_at == "2026-01-01T00:00:00.000Z" and notes[2].sync_error == ""
    assert notes[3].updated_at == "2026-02-02T00:00:00.000Z" and notes[3].sync_error == ""
    assert notes[4].updated_at is None and "OBJECT_NOT_FOUND" in notes[4].sync_error
    assert notes[5].sync_error == "objectId: is empty"
