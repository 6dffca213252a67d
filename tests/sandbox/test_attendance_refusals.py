"""The sandbox's `refuse_attendance_batches` knob over real HTTP: HubSpot publishes only a
200 for the attendance writes (participants-research.md, open questions 2 and 7), so a
client must cope both with an input's error inside a 200 (the sandbox's default) and
with the whole batch refused for one input (this knob)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from helpers import TOKEN

from eventsync.sandbox.contacts import created_contacts
from eventsync.sandbox.participants import participation_states, refuse_attendance_batches
from eventsync.sandbox.server import Sandbox, make_event

EVENT = "7001"
PATH = f"/marketing/v3/marketing-events/{EVENT}/attendance/register/email-create"


def post(sb: Sandbox, *emails: str) -> requests.Response:
    inputs: list[dict[str, Any]] = [
        {"email": e, "interactionDateTime": 1_775_000_000_000, "properties": {}}
        | {"contactProperties": {}}
        for e in emails
    ]
    return requests.post(
        f"{sb.url}{PATH}",
        json={"inputs": inputs},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=30,
    )


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox([make_event(EVENT)], token=TOKEN, rate_limit=None) as server:
        yield server


def test_a_batch_holding_a_refused_email_is_refused_whole_naming_it_in_the_message(sb):
    refuse_attendance_batches(sb, "Blocked@Example.com")
    answer = post(sb, "a@example.com", "blocked@example.com", "b@example.com")
    assert answer.status_code == 400
    body = answer.json()
    assert body["category"] == "VALIDATION_ERROR" and body["status"] == "error"
    assert "blocked@example.com" in body["message"] and "context" not in body
    # Nothing of the batch is applied and no contact is made.
    assert participation_states(sb, EVENT) == {} and created_contacts(sb) == []
    # The same inputs without the refused one are taken.
    assert post(sb, "a@example.com", "b@example.com").status_code == 200
    assert sorted(participation_states(sb, EVENT)) == ["a@example.com", "b@example.com"]


def test_the_refusal_can_name_the_input_in_its_context_and_the_knob_turns_off(sb):
    refuse_attendance_batches(sb, "blocked@example.com", name_input=True)
    body = post(sb, "a@example.com", "blocked@example.com").json()
    assert body["context"] == {"email": ["blocked@example.com"]}
    refuse_attendance_batches(sb)
    assert post(sb, "blocked@example.com").status_code == 200
    assert list(participation_states(sb, EVENT)) == ["blocked@example.com"]
