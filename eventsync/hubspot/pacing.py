"""Pacing: keep our own requests inside HubSpot's rolling window, so a steady run
never meets a 429.

Two sliding windows over our requests: our own setting (N per 10 s) and what the
`X-HubSpot-RateLimit-*` headers say (HubSpot's window also counts other clients of the
same app, hence `-Remaining`). Each request is stamped with the time its answer came
back: HubSpot counted it at some moment before that, so it surely has left HubSpot's
window one interval after our stamp (stamping at send time would let a request that
reached HubSpot late still be in its window when we think it left). Clock and sleep
are injected so tests run in no time. It never sends anything itself.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from eventsync.hubspot.retry import header

OWN_INTERVAL_S = 10.0


@dataclass
class Pacer:
    max_requests: int  # our own limit per 10 s (EVENTSYNC_MAX_REQUESTS_PER_10S)
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    hubspot_max: int | None = None  # HubSpot's limit per its interval, once it tells us
    hubspot_interval_s: float = OWN_INTERVAL_S
    _sent: deque[float] = field(default_factory=deque)
    _remaining: int | None = None
    _remaining_at: float = 0.0
    # Our requests HubSpot counted when it said `-Remaining`, oldest first: the k-th
    # request after a `0` goes when the k-th of these leaves its window.
    _counted: list[float] = field(default_factory=list)

    def wait_for_slot(self) -> float:
        """Block until one more request fits both windows; returns the seconds waited.

        Call `observe` with the answer's headers (or `{}` when none came) afterwards.
        """
        waited = 0.0
        while (delay := self.delay_needed()) > 0:
            self.sleep(delay)
            waited += delay
        self._sent.append(self.clock())  # until the answer comes, the send time
        if self._remaining is not None:
            self._remaining -= 1
        return waited

    def delay_needed(self) -> float:
        now = self.clock()
        keep_s = max(OWN_INTERVAL_S, self.hubspot_interval_s)
        while self._sent and now - self._sent[0] >= keep_s:
            self._sent.popleft()
        delays = [self._window_delay(now, OWN_INTERVAL_S, self.max_requests)]
        if self.hubspot_max:
            delays.append(self._window_delay(now, self.hubspot_interval_s, self.hubspot_max))
        if self._remaining is not None:
            if now - self._remaining_at >= self.hubspot_interval_s:
                self._remaining = None  # that count was for a window that has passed
            elif self._remaining <= 0:
                delays.append(self._full_window_frees() - now)
        return max(delays)

    def _window_delay(self, now: float, interval_s: float, limit: int) -> float:
        recent = [t for t in self._sent if now - t < interval_s]
        if len(recent) < limit:
            return 0.0
        # The request that must leave the window before one more fits.
        return recent[len(recent) - limit] + interval_s - now

    def _full_window_frees(self) -> float:
        """When HubSpot said its window was full (`-Remaining: 0`): the n-th request sent
        since may go when the n-th oldest of our requests it counted leaves the window;
        past those (other clients of the app filled it), a whole interval after that
        answer. Each slot is used as it frees, not once the whole burst has left."""
        sent_since = -(self._remaining or 0)
        if sent_since < len(self._counted):
            return self._counted[sent_since] + self.hubspot_interval_s
        return self._remaining_at + self.hubspot_interval_s

    def until_window_frees(self) -> float:
        """After a 429 without Retry-After: wait until the oldest request leaves."""
        now = self.clock()
        interval_s = self.hubspot_interval_s if self.hubspot_max else OWN_INTERVAL_S
        recent = [t for t in self._sent if now - t < interval_s]
        return max(0.1, recent[0] + interval_s - now) if recent else interval_s

    def observe(self, headers: Mapping[str, str]) -> None:
        """After each answer (or failure): re-stamp the request with this moment, and
        read HubSpot's rate-limit headers."""
        now = self.clock()
        if self._sent:
            self._sent[-1] = now
        limit = _int(header(headers, "X-HubSpot-RateLimit-Max"))
        interval_ms = _int(header(headers, "X-HubSpot-RateLimit-Interval-Milliseconds"))
        remaining = _int(header(headers, "X-HubSpot-RateLimit-Remaining"))
        if limit and limit > 0:
            self.hubspot_max = limit
        if interval_ms and interval_ms > 0:
            self.hubspot_interval_s = interval_ms / 1000
        if remaining is not None:
            self._remaining = remaining
            self._remaining_at = now
            self._counted = [t for t in self._sent if now - t < self.hubspot_interval_s]

    def waited_as_told(self) -> None:
        """HubSpot said when to come back (Retry-After) and we waited that long: its
        last `-Remaining` count is out of date and must not add a wait of its own."""
        self._remaining = None


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None
