"""The pacer's windows and the retry decisions added for issue 3, with plain values and
an injected clock (test_retry.py holds the rest)."""

import pytest
from helpers import FakeClock

from eventsync.hubspot.pacing import Pacer
from eventsync.hubspot.retry import Action, RetryPolicy, decide


def send(pacer: Pacer, clock: FakeClock, took_s: float, headers: dict | None = None) -> float:
    """One request: wait for a slot, take `took_s` to answer; returns when it went out."""
    pacer.wait_for_slot()
    sent_at = clock.now
    clock.now += took_s
    pacer.observe(headers or {})
    return sent_at


def limit(max_requests: int, interval_ms: int, remaining: int) -> dict:
    return {
        "X-HubSpot-RateLimit-Max": str(max_requests),
        "X-HubSpot-RateLimit-Interval-Milliseconds": str(interval_ms),
        "X-HubSpot-RateLimit-Remaining": str(remaining),
    }


def test_a_request_counts_in_the_window_from_when_its_answer_came_back():
    """HubSpot may have counted a slow request late; only the answer time is sure."""
    clock = FakeClock()
    pacer = Pacer(2, clock=clock, sleep=clock.sleep)
    send(pacer, clock, took_s=3.0)  # out at 0, answered at 3
    send(pacer, clock, took_s=0.0)
    assert send(pacer, clock, took_s=0.0) == pytest.approx(13.0)  # not 10


def test_a_window_hubspot_reports_full_frees_when_our_oldest_request_leaves_it():
    clock = FakeClock()
    pacer = Pacer(100, clock=clock, sleep=clock.sleep)
    for left in (3, 2, 1, 0):  # 4 per second, each answer 0.1 s later
        send(pacer, clock, took_s=0.1, headers=limit(4, 1000, left))
    # The oldest was answered at 0.1: one second later a slot is free, not one second
    # after the answer that said "0 remaining" (1.4).
    assert send(pacer, clock, took_s=0.1) == pytest.approx(1.1)


def test_after_a_full_window_each_slot_is_used_as_it_frees_not_after_the_whole_burst():
    """100 requests a 10 s window, sent 50 ms apart: request 101 goes when request 1
    leaves (10 s after its answer), request 102 when request 2 leaves, and so on; not 10 s
    after the last answer of the burst."""
    clock = FakeClock()
    pacer = Pacer(1000, clock=clock, sleep=clock.sleep)
    answered = []
    for left in range(99, -1, -1):
        send(pacer, clock, took_s=0.05, headers=limit(100, 10_000, left))
        answered.append(clock.now)
    for n in range(3):
        went = send(pacer, clock, took_s=0.0, headers=limit(100, 10_000, 0))
        assert went == pytest.approx(answered[n] + 10.0)


def test_a_window_other_clients_filled_waits_a_whole_interval_after_hearing_so():
    clock = FakeClock()
    pacer = Pacer(100, clock=clock, sleep=clock.sleep)
    send(pacer, clock, took_s=0.1, headers=limit(10, 1000, 0))  # 9 of the 10 are not ours
    assert send(pacer, clock, took_s=0.1) == pytest.approx(1.1)


def test_after_waiting_what_retry_after_said_the_stale_remaining_count_adds_no_wait():
    clock = FakeClock()
    pacer = Pacer(100, clock=clock, sleep=clock.sleep)
    send(pacer, clock, took_s=0.1, headers=limit(10, 10_000, 0))
    clock.sleep(2.0)  # Retry-After: 2
    pacer.waited_as_told()
    assert pacer.delay_needed() == 0.0


POLICY = RetryPolicy(max_retries=2, base_wait_s=1.0, max_wait_s=8.0, locked_min_wait_s=3.0)


def test_the_wait_after_a_423_is_at_least_the_policys_minimum():
    assert decide(1, 423, {}, {}, POLICY, rand=0.0).wait_s == 3.0
    assert decide(1, 423, {"Retry-After": "5"}, {}, POLICY).wait_s == 5.0


def test_a_decision_says_whether_its_wait_is_hubspots_retry_after():
    assert decide(1, 429, {"Retry-After": "2"}, {}, POLICY).told
    assert decide(1, 503, {"Retry-After": "2"}, {}, POLICY).told
    assert not decide(1, 503, {}, {}, POLICY).told
    assert not decide(1, 429, {}, {}, POLICY).told  # the pacer decides how long


@pytest.mark.parametrize("status", [429, 423, 477, 503])
def test_giving_up_names_the_status_and_correlation_id_to_quote(status):
    body = {"correlationId": "c0ffee-42", "message": "busy"}
    decision = decide(3, status, {}, body, POLICY, rand=0.5)
    assert decision.action is Action.GIVE_UP
    assert decision.reason == (
        f"HubSpot answered {status} (correlationId c0ffee-42): busy; gave up after 3 tries"
    )
