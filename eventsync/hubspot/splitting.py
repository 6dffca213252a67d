"""Send: a batch HubSpot refused whole, narrowed down to the rows it refused.

HubSpot's batch endpoints refuse a whole request for one bad input (a 400
`VALIDATION_ERROR`), and do not always say which input. Every batch endpoint eventsync
sends to (the events' batch update, the attendance writes) goes through the one
`Splitter`: the rows a refusal names fail and the others are sent again; otherwise one
row is tried alone and the rest is sent in halves, so the good rows are recorded and only
the bad ones carry HubSpot's message. Once rows tried alone keep failing with one
message and none passes (a problem with every row, not with some), a batch refused so is
no longer split: each then costs two requests instead of about two per row.

Generic over what is sent and what comes back: it never builds a request, reads an
answer or sees a token; the caller's `attempt` does, and says what a refusal means for
each input.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from eventsync.model import Stop

# Rows tried alone that failed with one message, none passing, before a batch failing
# with it is no longer split: 10,000 rows HubSpot all rejects then cost about 1 request
# per batch instead of 199.
SYSTEMATIC_AFTER = 3

T = TypeVar("T")  # what is sent: one input of a batch
R = TypeVar("R")  # what comes back: one row's (or one part's) outcome

# (status, category, message) of a whole-batch refusal, without its correlationId.
RejectionKey = tuple[int, str, str]


def rejection_key(status: int, body: Mapping[str, Any]) -> RejectionKey:
    category, message = body.get("category"), body.get("message")
    return (
        status,
        category if isinstance(category, str) else "",
        message if isinstance(message, str) else "",
    )


@dataclass(frozen=True)
class Refusal(Generic[R]):
    """A batch refused whole: why (`reason`, each row failing so carries it), what each
    input's outcome is when it fails so (`failed`, in input order), and the inputs the
    refusal names (positions in the batch sent; empty when it names none)."""

    key: RejectionKey
    reason: str
    failed: tuple[R, ...]
    named: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Tried(Generic[R]):
    """One request's result: its outcomes, or its refusal, and a stop."""

    outcomes: tuple[R, ...] = ()
    stop: Stop | None = None
    refusal: Refusal[R] | None = None


@dataclass(frozen=True)
class Split(Generic[R]):
    """What a batch came to, however many requests it took. With a stop, `outcomes`
    holds what HubSpot answered before it (confirmed: it must reach the state)."""

    outcomes: tuple[R, ...]
    stop: Stop | None = None


@dataclass(frozen=True)
class _Attempt(Generic[R]):
    split: Split[R]
    key: RejectionKey | None = None  # the refusal's, when refused whole


Attempt = Callable[[Sequence[T]], Tried[R]]


class Splitter(Generic[T, R]):
    """One run's splitting of refused batches, and its memory of which refusals are
    systematic. `not_tried(input, reason)`: the outcome of an input left unsent because
    a systematic refusal would refuse it too."""

    def __init__(self, not_tried: Callable[[T, str], R]) -> None:
        self._not_tried = not_tried
        self._reasons: dict[RejectionKey, str] = {}
        self._probe_failures: dict[RejectionKey, int] = {}
        self._probes_passed = False
        self._systematic: set[RejectionKey] = set()

    def send(self, items: Sequence[T], attempt: Attempt[T, R]) -> Split[R]:
        """Send `items` with `attempt` (one request each call), splitting refusals."""
        if len(items) > 1 and self._systematic:
            first = self._alone(items[0], attempt)
            if first.split.stop or first.key is None or first.key not in self._systematic:
                rest = Split[R](()) if first.split.stop else self._whole(items[1:], attempt)
                return Split(first.split.outcomes + rest.outcomes, rest.stop)
            return Split(first.split.outcomes + self._unsent(items[1:], first.key))
        return self._whole(items, attempt)

    def _whole(self, items: Sequence[T], attempt: Attempt[T, R]) -> Split[R]:
        return self._try(items, attempt).split

    def _try(self, items: Sequence[T], attempt: Attempt[T, R]) -> _Attempt[R]:
        tried = attempt(items)
        refusal = tried.refusal
        if refusal is None:
            return _Attempt(Split(tried.outcomes, tried.stop))
        self._reasons[refusal.key] = refusal.reason
        return _Attempt(self._refused(items, refusal, attempt), refusal.key)

    def _refused(self, items: Sequence[T], refusal: Refusal[R], attempt: Attempt[T, R]) -> Split[R]:
        if len(items) == 1:
            return Split(refusal.failed)
        named = sorted(i for i in refusal.named if 0 <= i < len(items))
        if named:  # HubSpot said which rows: fail those, send the others again
            failed = tuple(refusal.failed[i] for i in named)
            rest = [item for i, item in enumerate(items) if i not in refusal.named]
            more = self.send(rest, attempt) if rest else Split[R](())
            return Split(failed + more.outcomes, more.stop)
        first = self._alone(items[0], attempt)
        if first.split.stop:
            return first.split
        if first.key in self._systematic:
            return Split(first.split.outcomes + self._unsent(items[1:], refusal.key))
        halves = self._halves(items[1:], attempt)
        return Split(first.split.outcomes + halves.outcomes, halves.stop)

    def _alone(self, item: T, attempt: Attempt[T, R]) -> _Attempt[R]:
        """Send one row alone; count whether rows alone fail the same way (systematic)."""
        tried = self._try([item], attempt)
        if tried.split.stop is None:
            if tried.key is None:
                self._probes_passed = True
            else:
                self._probe_failures[tried.key] = self._probe_failures.get(tried.key, 0) + 1
                if self._probe_failures[tried.key] >= SYSTEMATIC_AFTER and not self._probes_passed:
                    self._systematic.add(tried.key)
        if self._probes_passed:
            self._systematic.clear()
        return tried

    def _unsent(self, items: Sequence[T], key: RejectionKey) -> tuple[R, ...]:
        return tuple(self._not_tried(item, self._reasons[key]) for item in items)

    def _halves(self, items: Sequence[T], attempt: Attempt[T, R]) -> Split[R]:
        if len(items) <= 1:
            return self._whole(items, attempt) if items else Split[R](())
        middle = len(items) // 2
        first = self.send(items[:middle], attempt)
        if first.stop:
            return first
        second = self.send(items[middle:], attempt)
        return Split(first.outcomes + second.outcomes, second.stop)
