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
    completion_dates,
    created_events,
    lifecycle_results,
    split_lifecycle,
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
        assert lifecycle.completes == (
            Completion(7, "5", "eventsync-880001", "es-abc", START, END),
        )
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
