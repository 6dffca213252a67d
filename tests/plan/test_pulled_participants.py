"""HubSpot's breakdown rows as the rows `pull --participants` writes (pure): what stands
for each of HubSpot's states, the time as the cell holds it and as a sync reads it back,
the order, and the rows left out."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from eventsync.plan.participants import read_row
from eventsync.plan.pulled_participants import pulled_participants
from eventsync.portal_model import PortalParticipant
from eventsync.values import format_text

TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")


def one(state: str, email: str = "a@example.com", at: int | None = 0) -> PortalParticipant:
    return PortalParticipant("7001", email, "100001", state, at)


@pytest.mark.parametrize(
    ("hubspot", "state", "word"),
    [
        ("REGISTERED", "register", "registered"),
        ("NO_SHOW", "register", "no_show"),
        ("ATTENDED", "attend", "attended"),
        ("CANCELLED", "cancel", "cancelled"),
    ],
)
def test_what_stands_for_each_of_hubspots_states(hubspot, state, word):
    (row,) = pulled_participants([one(hubspot)], TOKYO)
    assert (row.state, row.hubspot_state) == (state, word)


@pytest.mark.parametrize("hubspot", ["EMPTY", "", "SOMETHING_NEW"])
def test_a_state_no_row_could_send_gives_no_row(hubspot):
    assert pulled_participants([one(hubspot)], TOKYO) == []


def test_the_time_is_the_users_wall_clock_to_the_minute_and_reads_back_the_same():
    at = int(datetime(2026, 4, 1, 0, 33, 20, 734000, tzinfo=UTC).timestamp() * 1000)
    (row,) = pulled_participants([one("REGISTERED", at=at)], TOKYO)
    assert row.interaction == datetime(2026, 4, 1, 9, 33)
    assert row.interaction_ms == int(datetime(2026, 4, 1, 0, 33, tzinfo=UTC).timestamp() * 1000)
    # What a sync makes of the cell: its text as a cell shows it (to the minute).
    cells = {"email": row.email, "objectId": "7001", "state": row.state}
    read = read_row(2, {**cells, "interactionDateTime": format_text(row.interaction)}, TOKYO)
    assert getattr(read, "interaction_ms", None) == row.interaction_ms


def test_in_an_hour_a_clock_change_repeats_the_state_holds_what_the_cell_reads_as():
    # 2026-11-01 01:30 happens twice in New York; HubSpot's is the second (EST).
    second = int(datetime(2026, 11, 1, 6, 30, tzinfo=UTC).timestamp() * 1000)
    (row,) = pulled_participants([one("ATTENDED", at=second)], NEW_YORK)
    assert row.interaction == datetime(2026, 11, 1, 1, 30)
    read = read_row(
        2,
        {
            "email": row.email,
            "objectId": "7001",
            "state": "attend",
            "interactionDateTime": format_text(row.interaction),
        },
        NEW_YORK,
    )
    assert getattr(read, "interaction_ms", None) == row.interaction_ms


def test_no_time_given_leaves_the_cell_empty():
    (row,) = pulled_participants([one("REGISTERED", at=None)], TOKYO)
    assert (row.interaction, row.interaction_ms) == (None, None)


def test_rows_are_sorted_by_email_as_a_sync_sends_it():
    found = [
        one("REGISTERED", "b@example.com"),
        one("ATTENDED", "  A@Example.com "),
        one("CANCELLED", "ｃ@example.com"),
    ]
    rows = pulled_participants(found, TOKYO)
    assert [row.email for row in rows] == ["a@example.com", "b@example.com", "c@example.com"]
