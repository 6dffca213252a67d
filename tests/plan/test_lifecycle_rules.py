"""The lifecycle's pure decisions as tables (plan/lifecycle.py): which words a status cell
takes, what a status sends through the ordinary diff, the delete guard, which rows leave
the update path, and which events count as deleted in HubSpot."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from types import MappingProxyType

import pytest

from eventsync.columns import LIFECYCLE, field_for_header
from eventsync.lifecycle import Archived, DeletedEvent, DeleteKind, EventStatus
from eventsync.messages import localise
from eventsync.model import (
    EventUpdate,
    HeaderCell,
    Plan,
    ProblemCode,
    RowProblem,
    RowStatus,
    Sheet,
    SheetRow,
    SyncedEvent,
)
from eventsync.plan.conflicts import Conflict
from eventsync.plan.diff import plan_changes
from eventsync.plan.inputs import build_update
from eventsync.plan.lifecycle import (
    NONE_CREATED,
    Completion,
    DeleteCount,
    Lifecycle,
    PlannedDelete,
    SettledRow,
    completion_for,
    delete_guard,
    gone_rows,
    lifecycle_results,
    parse_status,
    split_lifecycle,
    status_conflicts,
    status_fields,
    status_word,
)

S, C, X, D = (
    EventStatus.SCHEDULED,
    EventStatus.COMPLETED,
    EventStatus.CANCELLED,
    EventStatus.DELETE,
)


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("Scheduled", S),
        ("scheduled", S),
        (" SCHEDULED ", S),
        ("予定", S),
        ("Completed", C),
        ("完了", C),
        ("Cancelled", X),
        ("canceled", X),  # HubSpot's own spelling
        ("中止", X),
        ("Delete", D),
        ("ＤＥＬＥＴＥ", D),  # full-width, as a Japanese IME types it
        ("削除", D),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_a_status_cell_takes_these_words_in_any_case_and_width(typed, status):
    assert parse_status(typed) is status


@pytest.mark.parametrize("typed", ["Deleted", "remove", "done", "キャンセル", "TRUE", 1, True])
def test_any_other_status_is_an_error_naming_the_allowed_words(typed):
    with pytest.raises(ValueError) as error:
        parse_status(typed)
    english = str(error.value.args[0])
    assert "is not a status; use one of Scheduled, Completed, Cancelled, Delete" in english
    japanese = error.value.args[0].in_language("ja")
    assert "予定, 完了, 中止, 削除" in japanese and "状態として読めません" in japanese


@pytest.mark.parametrize(
    ("status", "fields"),
    [(S, {"eventCancelled": False}), (X, {"eventCancelled": True}), (C, {}), (D, {}), (None, {})],
)
def test_what_each_status_sets_through_the_ordinary_update(status, fields):
    assert status_fields(status) == fields


def sheet(*headers: str) -> Sheet:
    return Sheet(
        path=Path("events.xlsx"),
        format="xlsx",
        sheet_name="Events",
        headers=MappingProxyType(
            {field_for_header(h) or h: HeaderCell(h, i) for i, h in enumerate(headers, 1)}
        ),
        last_column=len(headers),
        rows=(),
    )


def row(**cells) -> SheetRow:
    return SheetRow(2, MappingProxyType(cells))


SYNCED = SyncedEvent(
    MappingProxyType({"eventName": "A", "eventCancelled": False}), "2026-01-01T00:00:00Z"
)


@pytest.mark.parametrize(
    ("hubspot_cancelled", "typed", "sent"),
    [
        (False, "Scheduled", None),  # the same as last synced: nothing goes
        (False, "Cancelled", {"eventCancelled": True}),
        (True, "Cancelled", None),
        (True, "Scheduled", {"eventCancelled": False}),
        (False, "", None),  # an empty status asks nothing
        (True, "", None),
    ],
)
def test_a_status_the_user_did_not_change_sends_nothing(hubspot_cancelled, typed, sent):
    columns = sheet("objectId", "eventName", "eventLifecycle", "updatedAt")
    cells = {"objectId": 5823713201, "eventName": "A", LIFECYCLE: typed or None}
    cells["updatedAt"] = "2026-01-01T00:00:00Z"
    built = build_update(row(**cells), columns, UTC)
    assert isinstance(built, EventUpdate)
    snapshot = {
        "5823713201": SyncedEvent(
            MappingProxyType({"eventName": "A", "eventCancelled": hubspot_cancelled}),
            "2026-01-01T00:00:00Z",
        )
    }
    plan = plan_changes([built], snapshot)
    assert (plan.updates[0].values if plan.updates else None) == sent


@pytest.mark.parametrize(
    ("own", "typed", "clash"),
    [
        (True, "Scheduled", True),
        (False, "Cancelled", True),
        (True, "Cancelled", False),
        (None, "Cancelled", False),
    ],
)
def test_a_status_and_an_event_cancelled_cell_that_disagree_are_a_row_error(own, typed, clash):
    columns = sheet("objectId", "eventCancelled", "eventLifecycle")
    cells = {"objectId": 5823713201, "eventCancelled": own, LIFECYCLE: typed}
    built = build_update(row(**cells), columns, UTC)
    if clash:
        assert not isinstance(built, EventUpdate)
        assert [p.code for p in built] == [ProblemCode.STATUS_CLASH]
        assert "eventCancelled" in built[0].message
    else:
        assert isinstance(built, EventUpdate) and built.values["eventCancelled"] is True


@pytest.mark.parametrize(
    ("counts", "stopped"),
    [
        ([("a.xlsx", 1, 1)], False),  # one deletion of a one-row sheet is meant
        ([("a.xlsx", 5, 20)], False),
        ([("a.xlsx", 6, 20)], True),  # more than 5 in a run
        ([("a.xlsx", 3, 20), ("b.csv", 3, 20)], True),  # counted across the run's sheets
        ([("a.xlsx", 2, 3)], True),  # most rows of a sheet
        ([("a.xlsx", 2, 4)], False),  # half is not most
        ([("a.xlsx", 3, 5)], True),
        ([("a.xlsx", 0, 2)], False),
    ],
)
def test_the_delete_guard(counts, stopped):
    made = [DeleteCount(*count) for count in counts]
    assert (delete_guard(made, allowed=False) is not None) is stopped
    assert delete_guard(made, allowed=True) is None


def test_the_guard_says_how_many_where_and_how_to_go_on():
    said = delete_guard([DeleteCount("events.xlsx", 8, 8)], allowed=False)
    assert said is not None
    assert said.startswith("8 rows are marked Delete (events.xlsx): more than 5 in one run")
    assert "eventsync sync --allow-deletes" in said and "eventsync plan" in said
    assert "「eventsync sync --allow-deletes」を実行してください" in localise(said, "ja")


def update(row_number: int, object_id: str, status: EventStatus | None = None) -> EventUpdate:
    return EventUpdate(row_number, object_id, MappingProxyType({}), status=status)


DATES = {"startDateTime": "2026-09-01T05:00:00Z", "endDateTime": "2026-09-01T07:00:00Z"}


def test_the_lifecycle_takes_deletions_deleted_events_and_completions_out_of_the_diff():
    deleted = {"3": DeletedEvent("3", DeleteKind.IN_HUBSPOT, "2026-01-01T00:00:00Z")}
    built = [
        update(2, "1", D),
        update(3, "2"),
        update(4, "3", X),  # known deleted: whatever it says, nothing goes
        update(5, "4", C),
        EventUpdate(6, "5", MappingProxyType(DATES), status=C),
    ]
    rest, lifecycle = split_lifecycle(built, deleted, {"5": ("acc", "ev-5")}, str)
    assert lifecycle.deletes == (PlannedDelete(2, "1"),)
    assert lifecycle.settled == (SettledRow(4, "3"),)
    own = frozenset(DATES)  # (no state: both dates are the row's own)
    start, end = DATES["startDateTime"], DATES["endDateTime"]
    assert lifecycle.completes == (Completion(6, "5", "acc", "ev-5", start, end, own),)
    assert rest[0] == built[1]
    assert isinstance(rest[1], tuple)
    [problem] = rest[1]
    assert (problem.row_number, problem.code) == (5, ProblemCode.CANNOT_COMPLETE)
    assert "only the app that created an event" in problem.message


def test_completion_is_refused_for_an_event_eventsync_did_not_create():
    said = completion_for(update(2, "7", C), NONE_CREATED)
    assert isinstance(said, str) and "event 7 was not created by eventsync" in said
    assert "HubSpotの画面（マーケティング>イベント）で完了にしてから" in localise(said, "ja")


def test_deleted_in_hubspot_only_for_events_this_state_synced():
    rows = [
        update(2, "1"),  # in the snapshot: deleted there
        # A synced row whose id was mistyped (or a state that is new): no deletion to
        # remember, the row stays "check the id".
        EventUpdate(3, "2", MappingProxyType({}), "2026-01-01T00:00:00Z"),
        update(4, "3"),  # never synced: a mistyped id
        update(5, "4"),  # HubSpot has it
        update(6, "5"),  # not asked about
    ]
    remote = {"1": None, "2": None, "3": None, "4": object()}
    snapshot = {"1": SYNCED, "5": SYNCED}
    assert gone_rows(rows, remote, snapshot) == (SettledRow(2, "1"),)


def test_a_deletion_is_claimed_only_when_hubspot_confirmed_it():
    lifecycle = Lifecycle(
        deletes=(PlannedDelete(2, "1"), PlannedDelete(3, "2"), PlannedDelete(4, "3"))
    )
    archived = {
        "1": Archived("1", True),
        "2": Archived("2", False, "unclear whether HubSpot deleted the event"),
    }
    deleted = {"1": DeletedEvent("1", DeleteKind.BY_EVENTSYNC, "2026-01-01T00:00:00Z")}
    results = lifecycle_results(lifecycle, archived, deleted, None, UTC)
    assert [(r.row_number, r.status) for r in results] == [
        (2, RowStatus.DELETED),
        (3, RowStatus.FAILED),
        (4, RowStatus.NOT_SENT),
    ]
    assert results[0].message.startswith("deleted in HubSpot by eventsync (2026-01-01 00:00")
    assert results[1].message.startswith("unclear")


@pytest.mark.parametrize(
    ("typed", "cancelled", "word"),
    [
        ("Scheduled", True, "Cancelled"),
        ("cancelled", False, "Scheduled"),
        ("予定", True, "中止"),
        ("中止", False, "予定"),
        ("ＳＣＨＥＤＵＬＥＤ", True, "Cancelled"),  # full-width Latin is still English
        (None, True, None),  # an empty status asks nothing: left empty
        ("Completed", True, None),
        ("Delete", True, None),
        ("perhaps", True, None),
    ],
)
def test_what_a_status_cell_says_once_hubspots_cancellation_comes_in(typed, cancelled, word):
    assert status_word(typed, cancelled=cancelled) == word


def test_a_conflict_on_the_cancellation_is_said_in_the_status_columns_words():
    conflict = Conflict(2, "1", "eventCancelled", False, "2026-01-01T00:00:00Z")
    problem = RowProblem(2, "eventCancelled", ProblemCode.CONFLICT, "conflict: ...")
    other = RowProblem(3, "eventName", ProblemCode.CONFLICT, "conflict: name")
    plan = Plan(problems=(problem, other))
    said = status_conflicts(plan, [conflict], "イベント状態", None, UTC)
    [mine, kept] = said.problems
    assert kept == other and mine.column == "イベント状態"
    assert localise(mine.message, "ja").startswith(
        "競合：HubSpotで2026-01-01 00:00:00 UTCにイベントが「予定」に変更されました。"
        "HubSpotの値を残すにはイベント状態に「予定」と入力し"
    )
    # A sheet with its own eventCancelled column: the conflict is that cell's, as ever.
    assert status_conflicts(plan, [conflict], "イベント状態", "キャンセル", UTC) == plan
