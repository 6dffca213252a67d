"""What a sheet is told after a stop (issue 23): a stop that went wrong (the daily limit)
marks every row not sent; a stop asked for (a watcher's: cut short) marks none of them,
so they keep what they say and the next run sends them, while the rows HubSpot
confirmed get their updatedAt as after any run. Pure: plain values in, the annotations
out (plan/results.to_annotate)."""

from __future__ import annotations

import pytest

from eventsync.errors import ExitCode
from eventsync.model import (
    EventUpdate,
    ProblemCode,
    RowOutcome,
    RowProblem,
    Stop,
    SyncedEvent,
    frozen,
)
from eventsync.plan.diff import plan_changes
from eventsync.plan.results import annotations_for, row_results, to_annotate
from eventsync.state.snapshot import advance

BEFORE = "2026-01-01T00:00:00.000Z"
CONFIRMED = "2026-02-02T00:00:00.000Z"
DAILY = Stop("daily limit", "not sent: the daily limit", ExitCode.ROWS_FAILED)
ASKED = Stop("stopped as asked", "stopped as asked", ExitCode.OK, cut_short=True)


def row(object_id: str, number: int, name: str) -> EventUpdate:
    return EventUpdate(number, object_id, frozen({"eventName": name}), BEFORE)


def notes_after(stop: Stop | None) -> dict[int, tuple[str | None, str]]:
    """Row 2 unchanged, 3 confirmed, 4 failed, 5 not reached, 6 invalid."""
    snapshot = {i: SyncedEvent(frozen({"eventName": "Old"}), BEFORE) for i in "12345"}
    snapshot["1"] = SyncedEvent(frozen({"eventName": "Same"}), BEFORE)
    plan = plan_changes(
        [
            row("1", 2, "Same"),
            row("2", 3, "New"),
            row("3", 4, "New"),
            row("4", 5, "New"),
            (RowProblem(6, "objectId", ProblemCode.MISSING_OBJECT_ID, "objectId: is empty"),),
        ],
        snapshot,
    )
    outcomes = {
        "2": RowOutcome.updated("2", CONFIRMED, {"eventName": "New"}),
        "3": RowOutcome.failed("3", "HubSpot: OBJECT_NOT_FOUND: no such event"),
    }
    results = row_results(plan, outcomes, advance(snapshot, outcomes.values()), stop)
    notes = annotations_for(to_annotate(results, stop))
    return {n: (note.updated_at, note.sync_error) for n, note in notes.items()}


UNCHANGED = (BEFORE, "")
SENT = (CONFIRMED, "")
FAILED = (None, "HubSpot: OBJECT_NOT_FOUND: no such event")
INVALID = (None, "objectId: is empty")


@pytest.mark.parametrize(
    ("stop", "row_5"),
    [
        (None, (None, "not sent")),  # (no stop: a row without an answer is still said)
        (DAILY, (None, "not sent: the daily limit")),
        (ASKED, None),  # cut short: left as it is
    ],
    ids=["no-stop", "daily-limit", "asked-for"],
)
def test_a_stop_asked_for_leaves_the_rows_not_sent_and_annotates_the_rest(stop, row_5):
    notes = notes_after(stop)
    assert (notes[2], notes[3], notes[4], notes[6]) == (UNCHANGED, SENT, FAILED, INVALID)
    if row_5 is None:
        assert 5 not in notes
    else:
        assert notes[5][0] is None and notes[5][1].startswith(row_5[1])
