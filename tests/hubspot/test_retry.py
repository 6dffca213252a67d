"""The retry decision and the pacer: pure, with an injected clock."""

import pytest
from helpers import FakeClock

from eventsync.hubspot.pacing import Pacer
from eventsync.hubspot.retry import Action, RetryPolicy, decide, parse_retry_after

POLICY = RetryPolicy(
    max_retries=3, base_wait_s=1.0, max_wait_s=8.0, longest_wait_s=60.0, jitter=0.5
)


def test_success_and_per_row_answers_need_no_retry():
    for status in (200, 207, 400, 404):
        assert decide(1, status, {}, {}, POLICY).action is Action.DONE


@pytest.mark.parametrize("status", [401, 403])
def test_token_and_scope_refusals_stop_the_run(status):
    assert decide(1, status, {}, {"category": "X"}, POLICY).action is Action.STOP_AUTH


def test_daily_limit_stops_at_once_and_is_never_retried():
    decision = decide(1, 429, {"Retry-After": "1"}, {"policyName": "DAILY"}, POLICY)
    assert decision.action is Action.STOP_DAILY


def test_rolling_limit_waits_retry_after_or_for_the_window():
    assert (
        decide(1, 429, {"Retry-After": "3"}, {"policyName": "TEN_SECONDLY_ROLLING"}, POLICY).wait_s
        == 3.0
    )
    no_header = decide(1, 429, {}, {}, POLICY)
    assert no_header.action is Action.RETRY and no_header.wait_s is None  # the pacer decides


# Retry-After on a rolling-limit 429 -> (wait_s, told): its unit is undocumented (HubSpot's
# own clients count ms), so a value beyond the 10 s window is neither a 3-hour wait nor a
# stop: the client waits until its window frees (wait None), then sends again.
ROLLING_RETRY_AFTER = [
    ("0", 0.0, True),
    ("3", 3.0, True),
    ("10", 10.0, True),  # the whole window: still seconds
    ("10.5", None, False),
    ("600", None, False),
    ("10000", None, False),  # 10 s in ms, or 2 h 47 min in seconds: neither is taken
    ("1e9", None, False),
    ("soon", None, False),  # unreadable: as if absent
    (None, None, False),
]


@pytest.mark.parametrize(("header", "wait", "told"), ROLLING_RETRY_AFTER)
def test_a_rolling_limit_retry_after_is_taken_only_within_the_window(header, wait, told):
    headers = {} if header is None else {"Retry-After": header}
    for attempt in (1, POLICY.max_retries):
        decision = decide(attempt, 429, headers, {"policyName": "TEN_SECONDLY_ROLLING"}, POLICY)
        assert (decision.action, decision.wait_s, decision.told) == (Action.RETRY, wait, told)
    last = decide(POLICY.max_retries + 1, 429, headers, {}, POLICY)
    assert last.action is Action.GIVE_UP  # retries still end; a long header never stops the run


def test_a_long_retry_after_on_a_migration_still_ends_the_run():
    assert decide(1, 477, {"Retry-After": "10000"}, {}, POLICY).action is Action.STOP_WAIT


@pytest.mark.parametrize("status", [500, 502, 503, 504, 521, 522, 523, 524, None])
def test_transient_failures_back_off_exponentially_with_a_cap(status):
    waits = [decide(n, status, {}, {}, POLICY, error="reset", rand=1.0).wait_s for n in (1, 2, 3)]
    assert waits == [1.0, 2.0, 4.0]
    assert decide(1, status, {}, {}, POLICY, rand=0.0).wait_s == 0.5  # jitter takes up to half
    assert (
        decide(9, status, {}, {}, RetryPolicy(max_retries=20, max_wait_s=8.0), rand=1.0).wait_s
        == 8.0
    )


def test_after_the_last_retry_the_batch_gives_up_naming_the_status():
    decision = decide(4, 503, {}, {"correlationId": "abc-123", "message": "down"}, POLICY)
    assert decision.action is Action.GIVE_UP
    assert (
        "503" in decision.reason and "abc-123" in decision.reason and "4 tries" in decision.reason
    )


def test_locked_waits_at_least_two_seconds():
    assert decide(1, 423, {}, {}, POLICY, rand=0.0).wait_s == 2.0


def test_a_wait_longer_than_the_cap_ends_the_run():
    decision = decide(1, 477, {"Retry-After": "600"}, {}, POLICY)
    assert decision.action is Action.STOP_WAIT and decision.wait_s == 600


def test_other_client_errors_give_up_at_once():
    assert decide(1, 409, {}, {}, POLICY).action is Action.GIVE_UP


def test_retry_after_is_read_as_seconds_or_a_date():
    assert parse_retry_after({"retry-after": "2.5"}) == 2.5
    assert parse_retry_after({}) is None
    assert parse_retry_after({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0


def test_the_pacer_keeps_a_steady_run_inside_the_window():
    clock = FakeClock()
    pacer = Pacer(10, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(35):
        pacer.wait_for_slot()
        times.append(clock.now)
    for i, t in enumerate(times):
        assert sum(1 for u in times[: i + 1] if t - u < 10.0) <= 10
    assert times[-1] == pytest.approx(30.0)  # 35 requests at 10 per 10 s: no idle time either


def test_the_pacer_tightens_to_what_hubspot_reports():
    clock = FakeClock()
    pacer = Pacer(100, clock=clock, sleep=clock.sleep)
    pacer.observe(
        {"X-HubSpot-RateLimit-Max": "4", "X-HubSpot-RateLimit-Interval-Milliseconds": "1000"}
    )
    for _ in range(12):
        pacer.wait_for_slot()
    assert clock.now == pytest.approx(2.0)  # 4 per second
    pacer.observe({"X-HubSpot-RateLimit-Remaining": "0"})
    start = clock.now
    pacer.wait_for_slot()
    assert clock.now - start >= 1.0 - 1e-9
