"""The one rule for a batch HubSpot refuses whole (hubspot/splitting.py), with plain
values: a server that refuses any batch holding a bad row, and counts its requests.
The wiring (events' batch update, attendance) is tested end to end elsewhere
(tests/hubspot/test_bad_batches.py, tests/test_participants_refused.py)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest

from eventsync.errors import ExitCode
from eventsync.hubspot.attendance import refused_whole
from eventsync.hubspot.splitting import SYSTEMATIC_AFTER, Refusal, Splitter, Tried
from eventsync.model import Stop


@dataclass
class Server:
    """Refuses a batch holding a bad row (`same`: with one message for every bad row,
    as a problem with every row looks; else naming the row in its message only, or with
    `names`, by position too); stops once `stop_after` requests were made."""

    bad: set[int]
    same: bool = False
    names: bool = False
    stop_after: int | None = None
    sent: list[tuple[int, ...]] = field(default_factory=list)

    def attempt(self, rows: Sequence[int]) -> Tried[str]:
        if self.stop_after is not None and len(self.sent) >= self.stop_after:
            return Tried(stop=Stop("stopped", "not sent: stopped", ExitCode.ROWS_FAILED))
        self.sent.append(tuple(rows))
        bad = [i for i, row in enumerate(rows) if row in self.bad]
        if not bad:
            return Tried(tuple(f"{row} ok" for row in rows))
        message = "every row is refused" if self.same else f"row {rows[bad[0]]} is refused"
        return Tried(
            refusal=Refusal(
                (400, "VALIDATION_ERROR", message),
                message,
                tuple(f"{row} failed: {message}" for row in rows),
                frozenset(bad) if self.names else frozenset(),
            )
        )


def splitter() -> Splitter[int, str]:
    return Splitter(lambda row, why: f"{row} not tried: {why}")


def outcome_of(outcomes: Sequence[str]) -> dict[int, str]:
    return {int(o.split(" ", 1)[0]): o.split(" ", 1)[1] for o in outcomes}


def test_a_batch_with_no_bad_row_is_one_request():
    server = Server(bad=set())
    done = splitter().send(range(100), server.attempt)
    assert len(server.sent) == 1 and len(done.outcomes) == 100 and done.stop is None


@pytest.mark.parametrize("where", [0, 1, 37, 50, 99])
def test_one_bad_row_unnamed_fails_alone_in_about_three_requests_a_halving(where):
    server = Server(bad={where})
    done = splitter().send(range(100), server.attempt)
    results = outcome_of(done.outcomes)
    assert sorted(results) == list(range(100))  # every row has exactly one outcome
    assert results[where] == f"failed: row {where} is refused"
    assert all(results[row] == "ok" for row in range(100) if row != where)
    # The whole, then per halving at most: a row alone and two halves (one clean).
    assert len(server.sent) <= 1 + 3 * math.ceil(math.log2(100))


def test_rows_the_refusal_names_fail_and_the_rest_is_sent_once_more():
    server = Server(bad={3, 70}, names=True)
    done = splitter().send(range(100), server.attempt)
    results = outcome_of(done.outcomes)
    assert [row for row, text in results.items() if text != "ok"] == [3, 70]
    assert len(server.sent) == 2 and len(server.sent[1]) == 98


def test_a_refusal_of_every_row_stops_being_split_once_it_proves_systematic():
    server = Server(bad=set(range(1000)), same=True)
    split = splitter()
    first = split.send(range(100), server.attempt)
    costly = len(server.sent)
    assert costly <= 4 * SYSTEMATIC_AFTER  # rows alone failed so, none passed
    later = split.send(range(100, 200), server.attempt)
    assert len(server.sent) - costly == 1  # one row alone, the rest not tried
    results = outcome_of(first.outcomes + later.outcomes)
    assert sorted(results) == list(range(200))
    assert results[150] == "not tried: every row is refused"


def test_a_row_that_passes_ends_the_systematic_guess():
    server = Server(bad=set(range(100)), same=True)
    split = splitter()
    split.send(range(100), server.attempt)
    server.bad = {205}
    done = split.send(range(200, 300), server.attempt)
    results = outcome_of(done.outcomes)
    assert results[205] == "failed: every row is refused"
    assert all(results[row] == "ok" for row in range(200, 300) if row != 205)


def test_a_stop_part_way_keeps_what_was_answered_before_it():
    server = Server(bad={60}, stop_after=3)
    done = splitter().send(range(100), server.attempt)
    assert done.stop is not None
    # The whole (refused), row 0 alone, then the clean half: 50 rows answered.
    assert outcome_of(done.outcomes) == {row: "ok" for row in range(50)}


@pytest.mark.parametrize(
    ("status", "category", "refused"),
    [
        (400, "VALIDATION_ERROR", True),
        (400, None, True),
        (422, "VALIDATION_ERROR", True),
        (409, "VALIDATION_ERROR", True),
        (409, "CONFLICT", False),
        (404, "VALIDATION_ERROR", False),  # names the event, not an input: never split
        (404, "OBJECT_NOT_FOUND", False),
        (500, "VALIDATION_ERROR", False),
    ],
)
def test_which_attendance_answers_refuse_the_inputs_and_are_split(status, category, refused):
    body = {"category": category} if category else {}
    assert refused_whole(status, body) is refused
