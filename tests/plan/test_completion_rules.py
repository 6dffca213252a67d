"""Completing an event eventsync created (plan/lifecycle.py), as tables: which events
it created (the state's creates with an objectId), where the complete call's start and
end come from, when a Completed row is a completion (only when it changed since the last
sync), and what the row says after HubSpot's answer."""

from __future__ import annotations

from datetime import UTC
from types import MappingProxyType

import pytest

from eventsync.errors import ExitCode
from eventsync.lifecycle import EventStatus
from eventsync.messages import localise
from eventsync.model import (
    CreateRecord,
    EventUpdate,
    ProblemCode,
    RowOutcome,
    RowStatus,
    Stop,
    SyncedEvent,
)
from eventsync.plan.lifecycle import (
    Completion,
    Lifecycle,
    SettledRow,
    completion_dates,
    created_events,
    lifecycle_results,
    own_dates,
    split_lifecycle,
    with_hubspot_dates,
)

START, END = "2026-09-01T05:00:00Z", "2026-09-01T07:00:00Z"
LATER = "2026-09-02T05:00:00Z"
CREATED = MappingProxyType({"5": ("eventsync-880001", "es-abc")})


def record(external_id: str, object_id: str | None) -> CreateRecord:
    return CreateRecord(external_id, "eventsync-880001", "events.xlsx", 2, {}, None, object_id)


def test_created_events_are_the_creates_hubspot_gave_an_id():
    records = [record("es-a", "11"), record("es-b", None), record("es-c", "12")]
    assert dict(created_events(records)) == {
        "11": ("eventsync-880001", "es-a"),
        "12": ("eventsync-880001", "es-c"),
    }  # es-b: a create still in flight has no event to complete yet


@pytest.mark.parametrize(
    ("row", "known", "found"),
    [
        ({"startDateTime": START, "endDateTime": END}, {}, (START, END)),
        # The row's own wins over the last synced (HubSpot then takes the row's).
        ({"startDateTime": LATER, "endDateTime": END}, {"startDateTime": START}, (LATER, END)),
        # A row without the columns (or with empty cells): what HubSpot holds as last synced.
        ({}, {"startDateTime": START, "endDateTime": END}, (START, END)),
        ({"startDateTime": None, "endDateTime": END}, {"startDateTime": START}, (START, END)),
        # Neither has one: the row is told which to fill in.
        ({"startDateTime": START}, {}, ["endDateTime"]),
        ({}, {}, ["startDateTime", "endDateTime"]),
        ({"startDateTime": ""}, {"endDateTime": END}, ["startDateTime"]),
    ],
)
def test_the_complete_call_takes_the_rows_dates_else_the_last_synced(row, known, found):
    assert completion_dates(row, known) == found


def completed_row(values: dict | None = None) -> EventUpdate:
    dates = {"startDateTime": START, "endDateTime": END} if values is None else values
    return EventUpdate(7, "5", MappingProxyType(dates), status=EventStatus.COMPLETED)


def synced(**values) -> SyncedEvent:
    return SyncedEvent(MappingProxyType(values), "2026-09-01T00:00:00Z")


@pytest.mark.parametrize(
    ("snapshot", "completes"),
    [
        ({}, True),  # never synced as completed: a completion
        ({"5": synced(eventName="A")}, True),  # synced, not completed yet: Completed now
        ({"5": synced(eventCompleted=True)}, False),  # completed before: not sent again
    ],
)
def test_a_completed_row_is_a_completion_only_when_it_changed(snapshot, completes):
    row = completed_row()
    rest, lifecycle = split_lifecycle([row], {}, CREATED, str, snapshot)
    if completes:
        [complete] = lifecycle.completes
        assert (complete.row_number, complete.external_event_id) == (7, "es-abc")
        assert (complete.start, complete.end) == (START, END)
        assert rest == []
    else:
        assert lifecycle.completes == ()
        assert rest == [row]  # an ordinary row: the diff finds it unchanged


def test_a_completion_without_dates_is_a_row_error_naming_the_columns():
    labels = {"startDateTime": "開始日時", "endDateTime": "終了日時", "eventLifecycle": "状態"}
    rest, lifecycle = split_lifecycle([completed_row({})], {}, CREATED, labels.__getitem__)
    assert lifecycle.completes == ()
    [problems] = rest
    assert isinstance(problems, tuple)
    [problem] = problems
    assert problem.code is ProblemCode.CANNOT_COMPLETE
    assert "neither this row nor the last sync holds 開始日時, 終了日時" in problem.message
    assert "開始日時, 終了日時を入力してから" in localise(problem.message, "ja")


COMPLETION = Completion(7, "5", "eventsync-880001", "es-abc", START, END)
STOP = Stop("stopped", "not sent: the day's limit", ExitCode.ROWS_FAILED)


@pytest.mark.parametrize(
    ("answer", "stop", "status", "said"),
    [
        (RowOutcome.updated("5", LATER, {}), None, RowStatus.UPDATED, ""),
        (RowOutcome("5", RowStatus.FAILED, "refused"), None, RowStatus.FAILED, "refused"),
        (None, STOP, RowStatus.NOT_SENT, "not sent: the day's limit"),
        (None, None, RowStatus.NOT_SENT, "not sent"),
    ],
)
def test_a_completions_row_says_what_hubspot_answered(answer, stop, status, said):
    completed = {"5": answer} if answer else {}
    lifecycle = Lifecycle(completes=(COMPLETION,))
    [result] = lifecycle_results(lifecycle, {}, {}, stop, UTC, completed)
    assert (result.row_number, result.status) == (7, status)
    assert said in result.message
    assert result.updated_at == (LATER if status is RowStatus.UPDATED else None)


@pytest.mark.parametrize(
    ("row", "known", "own"),
    [
        ({"startDateTime": START, "endDateTime": END}, {}, {"startDateTime", "endDateTime"}),
        ({"startDateTime": START, "endDateTime": END}, {"startDateTime": START}, {"endDateTime"}),
        (
            {"startDateTime": START, "endDateTime": END},
            {"startDateTime": START, "endDateTime": END},
            set(),
        ),
        ({}, {"startDateTime": START}, set()),
    ],
)
def test_the_dates_a_row_changes_are_its_own(row, known, own):
    assert own_dates(row, known) == own


class Read:
    def __init__(self, **values: str) -> None:
        self.values = values


def test_hubspots_current_dates_stand_for_those_the_row_did_not_change():
    mine = Completion(7, "5", "a", "es-5", START, END, frozenset({"startDateTime"}))
    untouched = Completion(8, "6", "a", "es-6", START, END)
    gone = Completion(9, "7", "a", "es-7", START, END)
    unknown = Completion(10, "8", "a", "es-8", START, END)  # never synced by this state
    unread = Completion(11, "9", "a", "es-9", START, END)
    remote = {
        "5": Read(startDateTime=LATER, endDateTime=LATER),
        "6": Read(startDateTime=LATER, endDateTime=LATER),
        "7": None,
        "8": None,
    }
    snapshot = {"5": synced(), "6": synced(), "7": synced()}
    kept, deleted = with_hubspot_dates([mine, untouched, gone, unknown, unread], remote, snapshot)
    assert [(c.row_number, c.start, c.end) for c in kept] == [
        (7, START, LATER),  # the row's own start; HubSpot's end (a colleague moved it)
        (8, LATER, LATER),
        (10, START, END),  # HubSpot's answer to the call says what became of it
        (11, START, END),  # not read (--force, --no-remote-check): the row's, the state's
    ]
    assert deleted == (SettledRow(9, "7"),)  # deleted in HubSpot: marked, never completed
