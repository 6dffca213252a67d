"""The sandbox's admin endpoints for contacts, participations and the clock over HTTP:
what a test, a demo or a person trying eventsync by hand uses to seed contacts HubSpot
already knows and to move past an event's end (docs/hubspot-api-assumptions.md,
"Participants and contacts")."""

from __future__ import annotations

import requests
from helpers import TOKEN

from eventsync.sandbox.server import Sandbox, make_event

EVENT = "7001"
REGISTER = f"/marketing/v3/marketing-events/{EVENT}/attendance/register/email-create"


def register(sb: Sandbox, email: str) -> requests.Response:
    person = {"email": email, "interactionDateTime": 0, "properties": {}, "contactProperties": {}}
    headers = {"Authorization": f"Bearer {TOKEN}"}
    return requests.post(f"{sb.url}{REGISTER}", json={"inputs": [person]}, headers=headers)


def test_contacts_are_seeded_and_listed_with_those_attendance_created():
    with Sandbox([make_event(EVENT)], token=TOKEN) as sb:
        seeded = requests.post(
            f"{sb.url}/_sandbox/contacts",
            json={"emails": ["hana@example.com"], "properties": {"firstname": "Hana"}},
        )
        assert seeded.status_code == 201 and len(seeded.json()["ids"]) == 1
        register(sb, "hana@example.com")
        register(sb, "new@example.com")
        listed = requests.get(f"{sb.url}/_sandbox/contacts").json()
        assert [c["email"] for c in listed["results"]] == ["hana@example.com", "new@example.com"]
        assert listed["created"] == ["new@example.com"]
        assert listed["results"][0]["properties"] == {"firstname": "Hana"}
        assert sb.requests[0].path == REGISTER  # admin calls are not recorded


def test_moving_the_clock_past_the_end_shows_the_no_shows():
    event = make_event(EVENT, endDateTime="2026-04-06T03:00:00Z")
    with Sandbox([event], token=TOKEN) as sb:
        before = requests.post(f"{sb.url}/_sandbox/clock", json={"now": "2026-04-01T00:00:00Z"})
        assert before.json() == {"now": "2026-04-01T00:00:00+00:00"}
        register(sb, "a@example.com")
        states = requests.get(f"{sb.url}/_sandbox/participations/{EVENT}").json()
        assert states == {"states": {"a@example.com": "REGISTERED"}}
        requests.post(f"{sb.url}/_sandbox/clock", json={"now": "2026-04-07T09:00:00+09:00"})
        after = requests.get(f"{sb.url}/_sandbox/participations/{EVENT}").json()
        assert after == {"states": {"a@example.com": "NO_SHOW"}}
        assert requests.post(f"{sb.url}/_sandbox/clock", json={"now": None}).json() == {"now": None}


def test_bad_admin_bodies_are_400_and_unknown_events_404():
    with Sandbox([make_event(EVENT)]) as sb:
        for path, body in (
            ("/_sandbox/contacts", {"emails": "a@example.com"}),
            ("/_sandbox/contacts", {"emails": ["not an email"]}),
            ("/_sandbox/contacts", {"emails": [], "properties": {"age": 3}}),
            ("/_sandbox/clock", {"now": "next tuesday"}),
        ):
            assert requests.post(f"{sb.url}{path}", json=body).status_code == 400, body
        assert requests.get(f"{sb.url}/_sandbox/participations/424242").status_code == 404
