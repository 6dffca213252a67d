"""What went wrong in a sync that waiting cures, and how long to wait: pure.

A sync's outage is read from the client's own decisions on each request (the run log
entries it reports: `give_up`, `stop_auth`, `stop_daily`, `stop_wait`), never from the
text of a message. HubSpot down or a long requested wait: back off, doubling from the
first wait up to a cap. The token refused or a setting to fix: the same, since the user
has to act and the watcher only checks now and then. The daily limit: wait for the
reset, midnight in the HubSpot account's time zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import Enum

from eventsync.messages import Text

DAILY_RESET_MARGIN_S = 60.0  # after midnight: HubSpot's clock and ours may differ a little


class Outage(Enum):
    NONE = "none"
    DOWN = "down"  # HubSpot unreachable or failing (5xx, timeouts) past the client's retries
    REFUSED = "refused"  # 401/403: the token or its scopes
    DAILY = "daily"  # 429 DAILY: the account's requests for the day are used up
    SETTINGS = "settings"  # .env / the environment has a problem to fix


def outage_of(decisions: Iterable[str]) -> Outage:
    """The outage the client's decisions in one sync show (the worst of them)."""
    seen = set(decisions)
    if "stop_daily" in seen:
        return Outage.DAILY
    if "stop_auth" in seen:
        return Outage.REFUSED
    if seen & {"give_up", "stop_wait"}:
        return Outage.DOWN
    return Outage.NONE


@dataclass(frozen=True)
class Backoff:
    first_s: float = 10.0  # the wait after the first failed sync
    max_s: float = 900.0  # never more than this between tries (daily limit aside)

    def wait_s(self, outage: Outage, failures: int, now: datetime, zone: tzinfo) -> float:
        """Seconds to wait after `failures` failed syncs in a row (1 for the first)."""
        if outage is Outage.DAILY:
            return max(self.first_s, seconds_to_daily_reset(now, zone))
        doubled: float = self.first_s * 2.0 ** max(0, failures - 1)
        return min(self.max_s, doubled)


def seconds_to_daily_reset(now: datetime, zone: tzinfo) -> float:
    """Until just after the next midnight in `zone` (the HubSpot account's time zone)."""
    local = now.astimezone(zone)
    midnight = datetime(local.year, local.month, local.day, tzinfo=zone) + timedelta(days=1)
    return (midnight - local).total_seconds() + DAILY_RESET_MARGIN_S


def outage_message(outage: Outage, wait_s: float) -> Text:
    """The one line said when an outage starts (not repeated while it lasts)."""
    when = _duration(wait_s)
    if outage is Outage.DAILY:
        return Text("watch.outage_daily", when=when)
    if outage is Outage.REFUSED:
        return Text("watch.outage_refused", when=when)
    if outage is Outage.SETTINGS:
        return Text("watch.outage_settings", when=when)
    return Text("watch.outage_down", when=when)


def _duration(seconds: float) -> Text:
    if seconds < 120:
        return Text("duration.seconds", count=f"{seconds:.0f}")
    if seconds < 7200:
        return Text("duration.minutes", count=f"{seconds / 60:.0f}")
    return Text("duration.hours", count=f"{seconds / 3600:.1f}")
