"""The retry policy: what to do after one HTTP attempt, as a pure function.

`decide(attempt, status, headers, body, policy)` looks only at its arguments: no
sleeping, no clock, no network, so every branch is tested with plain values. The
client does the waiting.

Why repeating a batch update is safe: each input sets fields to absolute values
(never "add 1"), so applying the same batch twice leaves the event exactly as
applying it once; the only trace is a newer updatedAt, which we record anyway.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import Enum

from eventsync.messages import Text

TRANSIENT_STATUSES = frozenset({500, 502, 503, 504, 521, 522, 523, 524})
LOCKED_STATUS = 423
MIGRATION_STATUS = 477


class Action(Enum):
    DONE = "done"  # a usable answer (2xx, or a per-row error body)
    RETRY = "retry"  # wait `wait_s` (None: until the rate window frees up), then resend
    GIVE_UP = "give_up"  # this batch failed; its rows get `reason`; the run goes on
    STOP_DAILY = "stop_daily"  # the daily limit is reached: send nothing more today
    STOP_WAIT = "stop_wait"  # HubSpot asks us to wait longer than we are willing to
    STOP_AUTH = "stop_auth"  # token or scope refused: nothing else can succeed


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 5
    base_wait_s: float = 0.5
    max_wait_s: float = 30.0  # the cap on any one backoff wait
    longest_wait_s: float = 120.0  # beyond this a requested wait ends the run
    jitter: float = 0.5  # fraction of each backoff wait that is random
    locked_min_wait_s: float = 2.0  # HubSpot asks to wait at least 2 s after a 423
    # HubSpot's rolling window of the per-second limits: a 429 of them never needs a
    # longer wait, so a longer Retry-After is in a unit we cannot know (below).
    rate_window_s: float = 10.0


@dataclass(frozen=True)
class Decision:
    action: Action
    wait_s: float | None = None
    reason: str = ""  # for stderr and row errors: status, category; never the token
    told: bool = False  # wait_s is HubSpot's own Retry-After


def decide(
    attempt: int,
    status: int | None,
    headers: Mapping[str, str],
    body: Mapping[str, object] | None,
    policy: RetryPolicy,
    *,
    error: str | None = None,
    rand: float | None = None,
) -> Decision:
    """`attempt` counts from 1; `status` is None when no answer came (`error` says why)."""
    body = body or {}
    if status is not None and (200 <= status < 300 or status in (400, 404)):
        return Decision(Action.DONE)
    if status in (401, 403):
        return Decision(Action.STOP_AUTH, reason=describe(status, body))
    if status == 429 and str(body.get("policyName", "")).upper() == "DAILY":
        return Decision(Action.STOP_DAILY, reason=describe(status, body))

    retry_after = parse_retry_after(headers)
    reason: str
    if status == 429:
        # The unit of Retry-After on a 429 is not documented, and HubSpot's own clients
        # count milliseconds: `10000` read as seconds is nearly 3 hours (a stop), read as
        # ms 10 s. Beyond the window it is not taken at all: wait out the window instead.
        if retry_after is not None and retry_after > policy.rate_window_s:
            retry_after = None
        wait, reason = retry_after, Text("hubspot.rate_limit")
    elif status == MIGRATION_STATUS:
        wait, reason = retry_after or policy.max_wait_s, Text("hubspot.migrating")
    elif status == LOCKED_STATUS:
        wait = max(policy.locked_min_wait_s, retry_after or backoff(attempt, policy, rand))
        reason = Text("hubspot.locked")
    elif status in TRANSIENT_STATUSES:
        wait, reason = retry_after or backoff(attempt, policy, rand), describe(status, body)
    elif status is None:
        wait, reason = backoff(attempt, policy, rand), Text("hubspot.no_answer", error=error)
    else:
        return Decision(Action.GIVE_UP, reason=describe(status, body))

    told = retry_after is not None and wait == retry_after
    if wait is not None and wait > policy.longest_wait_s:
        return Decision(Action.STOP_WAIT, wait, reason, told)
    if attempt > policy.max_retries:
        # The rows' error names the status and HubSpot's correlationId to quote.
        last = reason if status is None else describe(status, body)
        return Decision(Action.GIVE_UP, reason=Text("hubspot.gave_up", last=last, tries=attempt))
    return Decision(Action.RETRY, wait, reason, told)


def backoff(attempt: int, policy: RetryPolicy, rand: float | None = None) -> float:
    """Exponential, capped, with jitter so that many clients do not retry in step."""
    ceiling: float = min(policy.max_wait_s, policy.base_wait_s * 2 ** (attempt - 1))
    share = random.random() if rand is None else rand
    return ceiling * (1 - policy.jitter) + ceiling * policy.jitter * share


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from `Retry-After` (HubSpot sends seconds; an HTTP date is read too)."""
    raw = header(headers, "Retry-After")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def describe(status: int | None, body: Mapping[str, object]) -> str:
    """`HubSpot answered 503 (category X, correlationId Y): message` from the body only."""
    details = [
        f"{key} {body[key]}"
        for key in ("category", "policyName", "correlationId")
        if isinstance(body.get(key), str) and body.get(key)
    ]
    text = Text("hubspot.answered", status=status, details=", ".join(details))
    if not details:
        text = Text("hubspot.answered_plain", status=status)
    message = body.get("message")
    if isinstance(message, str) and message:
        text = Text("hubspot.said", head=text, message=message)
    if status is not None and 300 <= status < 400:
        text = Text("hubspot.redirect", head=text)
    return text


def header(headers: Mapping[str, str], name: str) -> str | None:
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None
