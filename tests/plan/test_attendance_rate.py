"""The attendance rate eventsync writes beside HubSpot's counters (plan/counters.py), as
a table: attendees as a percentage of attendees + registrants + noShows (HubSpot counts
each contact once, in its current state), rounded half up to one decimal, empty when
there is nobody to count."""

from __future__ import annotations

import pytest

from eventsync.plan.counters import attendance_rate, counter_values
from eventsync.portal_model import Counters


@pytest.mark.parametrize(
    ("registrants", "attendees", "cancellations", "no_shows", "rate"),
    [
        (3, 2, 0, 0, 40.0),
        (0, 3, 0, 2, 60.0),  # after the end: the registrations left are no-shows
        (1, 2, 0, 0, 66.7),  # 66.666...: one decimal
        (2, 1, 0, 0, 33.3),
        (0, 1, 0, 7, 12.5),
        (5, 1, 0, 2, 12.5),  # before and after the end count the same people
        (7, 1, 0, 0, 12.5),
        (0, 1, 0, 199, 0.5),  # 0.5 exactly
        (0, 1, 0, 1999, 0.1),  # 0.05: half up, never banker's rounding to 0.0
        (0, 1, 0, 2000, 0.0),  # 0.04997...: rounds down to 0.0, still a rate
        (0, 4, 9, 0, 100.0),  # cancellations are not in the base
        (2, 0, 1, 0, 0.0),
        (0, 0, 0, 0, None),  # nobody registered: no rate, an empty cell
        (0, 0, 5, 0, None),  # only cancellations
        (None, 2, None, None, 100.0),  # missing counts are 0 (noShows: before the end)
        (3, None, 0, 0, None),  # attendees unknown: no rate
    ],
)
def test_the_attendance_rate(registrants, attendees, cancellations, no_shows, rate):
    counters = Counters(registrants, attendees, cancellations, no_shows)
    assert attendance_rate(counters) == rate
    assert counter_values(counters) == [registrants, attendees, cancellations, no_shows, rate]
