"""Sandbox limits: the rolling rate window HubSpot enforces per app.

Pure: it is given the time, never reads a clock, so every edge is tested with numbers.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field


@dataclass
class RateWindow:
    """A rolling window of `max_requests` per `interval_s`.

    Refused requests are recorded too, as HubSpot counts them: a client that hammers a
    429 keeps itself locked out. `retry_after_s` accounts for that, so a client that
    waits exactly as told gets in.
    """

    max_requests: int
    interval_s: float
    stamps: deque[float] = field(default_factory=deque)

    def _expire(self, now: float) -> None:
        while self.stamps and self.stamps[0] <= now - self.interval_s:
            self.stamps.popleft()

    def admit(self, now: float) -> bool:
        self._expire(now)
        allowed = len(self.stamps) < self.max_requests
        self.stamps.append(now)
        return allowed

    def remaining(self, now: float) -> int:
        self._expire(now)
        return max(0, self.max_requests - len(self.stamps))

    def retry_after_s(self, now: float) -> int:
        """Whole seconds until a request would be admitted (0 if one would be now)."""
        self._expire(now)
        excess = len(self.stamps) - self.max_requests
        if excess < 0:
            return 0
        return max(1, math.ceil(self.stamps[excess] + self.interval_s - now))
