"""An attendance batch HubSpot refuses whole (a 400 for one input) through
`eventsync.cli.main` over HTTP: the batch is narrowed down to the row HubSpot refuses,
the good rows are recorded and annotated, only the bad one carries HubSpot's message,
and the run exits 1 at a bounded number of requests (hubspot/splitting.py; the
assumption: docs/hubspot-api-assumptions.md, "Participants and contacts")."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import TOKEN, Workspace

from eventsync.sandbox.participants import participation_states, refuse_attendance_batches
from eventsync.sandbox.server import Sandbox, make_event

EVENT = "7001"
HEADER = ["email", "objectId", "state", "interactionDateTime"]
ROWS = 250
BAD = 137  # in the second batch of 100 (rows are sent in sheet order)
BAD_EMAIL = f"p{BAD}@example.com"


def emails() -> list[str]:
    return [f"p{n}@example.com" for n in range(ROWS)]


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox([make_event(EVENT)], token=TOKEN, rate_limit=None) as server:
        yield server


@pytest.fixture
def people(tmp_path: Path, sb: Sandbox) -> Workspace:
    space = Workspace(tmp_path, sb)
    rows = [[email, EVENT, "register", "2026-04-20 09:00"] for email in emails()]
    space.csv_sheet("participants.csv", [HEADER, *rows])
    return space


def read_back(path: Path) -> dict[str, dict[str, str]]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"))))
    return {row[0]: dict(zip(rows[0], row, strict=False)) for row in rows[1:]}


def attendance_requests(sb: Sandbox) -> int:
    return sum(1 for r in sb.requests if "/attendance/" in r.path)


@pytest.mark.slow
def test_a_batch_refused_for_one_email_records_every_other_row_and_fails_that_one(people, sb):
    refuse_attendance_batches(sb, BAD_EMAIL)  # the 400 names it in its message only
    result = people.run("sync", "--create-contacts")
    assert result.code == 1, result.err
    rows = read_back(people.sheets / "participants.csv")
    bad = rows.pop(BAD_EMAIL)
    assert "400" in bad["syncError"] and f"Email address {BAD_EMAIL} is invalid" in bad["syncError"]
    assert bad.get("contactId", "") == ""
    assert all(r["syncError"] == "" and r["contactId"].isdigit() for r in rows.values())
    recorded = participation_states(sb, EVENT)
    assert len(recorded) == ROWS - 1 and BAD_EMAIL not in recorded
    # 3 batches; the refused one narrowed down at most a row alone and two halves per
    # halving of its 100 rows (sending each row alone would be 100).
    assert attendance_requests(sb) <= 3 + 3 * math.ceil(math.log2(100))
    assert "249 sent" in result.out and "1 failed" in result.out
    # The next sync sends the refused row only, and HubSpot refuses it alone: 1 request.
    before = attendance_requests(sb)
    again = people.run("sync", "--create-contacts")
    assert again.code == 1 and attendance_requests(sb) == before + 1


@pytest.mark.slow
def test_a_refusal_naming_the_email_costs_one_more_request(people, sb):
    refuse_attendance_batches(sb, BAD_EMAIL, name_input=True)
    result = people.run("sync", "--create-contacts")
    assert result.code == 1, result.err
    assert attendance_requests(sb) == 4  # 3 batches, the refused one sent again without it
    assert BAD_EMAIL in read_back(people.sheets / "participants.csv")[BAD_EMAIL]["syncError"]
    assert len(participation_states(sb, EVENT)) == ROWS - 1
