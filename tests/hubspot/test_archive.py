"""Deleting events (`batch/archive` by objectId) over real HTTP against the sandbox, time
injected: a 204 is "deleted"; after a 207 (whose body HubSpot does not publish) each event
is looked up and only a 404 counts as deleted; an answer lost on the way is unclear and
never claimed as a deletion; a refusal deletes nothing. Each route per API version."""

from __future__ import annotations

import pytest
from helpers import FakeClock

from eventsync.config import Settings
from eventsync.hubspot.archive import archive_verdict, named_errors
from eventsync.hubspot.client import HubSpotClient
from eventsync.hubspot.retry import RetryPolicy
from eventsync.lifecycle import Archived
from eventsync.messages import localise
from eventsync.sandbox.external_ids import lose_answers
from eventsync.sandbox.server import Sandbox, make_event

TOKEN = "sandbox-archive-test-token"
IDS = [str(n) for n in range(7_400_001, 7_400_005)]


@pytest.fixture
def sandbox():
    with Sandbox([make_event(i) for i in IDS], token=TOKEN) as server:
        yield server


def client(sandbox, *, retries: int = 1, version: str = "v3") -> HubSpotClient:
    clock = FakeClock()
    return HubSpotClient(
        Settings(base_url=sandbox.url, token=TOKEN, max_retries=retries, api_version=version),
        sleep=clock.sleep,
        clock=clock,
        policy=RetryPolicy(max_retries=retries),
    )


def archive_paths(sandbox) -> list[str]:
    return [r.path for r in sandbox.requests if r.method == "POST"]


@pytest.mark.parametrize(
    ("version", "path"),
    [
        ("v3", "/marketing/v3/marketing-events/batch/archive"),
        ("2026-03", "/marketing/marketing-events/2026-03/batch/archive"),
        ("2026-09", "/marketing/marketing-events/2026-09/batch/archive"),
    ],
)
def test_a_204_deletes_every_event_through_the_versions_route(sandbox, version, path):
    answer = client(sandbox, version=version).batch_archive(IDS[:2])
    assert answer.stop is None
    assert answer.deleted == (Archived(IDS[0], True), Archived(IDS[1], True))
    assert archive_paths(sandbox) == [path]
    assert [r.body for r in sandbox.requests] == [
        {"inputs": [{"objectId": IDS[0]}, {"objectId": IDS[1]}]}
    ]
    assert set(sandbox.events) == set(IDS[2:])


def test_after_a_207_each_event_is_looked_up_and_an_id_already_gone_counts_as_deleted(sandbox):
    sandbox.delete_event(IDS[1])  # deleted in HubSpot before
    answer = client(sandbox).batch_archive(IDS[:3])
    assert answer.deleted == tuple(Archived(i, True) for i in IDS[:3])
    statuses = [(r.method, r.status) for r in sandbox.requests]
    assert statuses == [("POST", 207), ("GET", 404), ("GET", 404), ("GET", 404)]


def test_a_207_that_deleted_nothing_is_never_claimed_as_a_deletion(sandbox):
    # A 207 with a body nobody published, and the events still there.
    sandbox.script_fault(1, 207, {"status": "COMPLETE", "something": "else"})
    answer = client(sandbox).batch_archive(IDS[:2])
    assert [a.deleted for a in answer.deleted] == [False, False]
    message = answer.deleted[0].message
    assert message.startswith("not deleted: HubSpot answered the deletion but still has")
    assert "まだあります" in localise(message, "ja")
    assert set(sandbox.events) == set(IDS)


def test_an_answer_lost_after_the_deletion_is_unclear_then_a_retry_finds_it_deleted(sandbox):
    lose_answers(sandbox, "status", action="archive", status=503)
    unclear = client(sandbox, retries=0).batch_archive(IDS[:1])
    [first] = unclear.deleted
    assert not first.deleted and first.message.startswith("unclear whether HubSpot deleted")
    assert IDS[0] not in sandbox.events  # HubSpot did delete it: the answer was lost

    # Asked again, HubSpot answers 207 (nothing left to delete): looked up, deleted.
    again = client(sandbox, retries=2).batch_archive(IDS[:1])
    assert again.deleted == (Archived(IDS[0], True),)


def test_a_refused_deletion_deletes_nothing_and_says_hubspots_reason(sandbox):
    sandbox.script_fault(
        1, 400, {"status": "error", "category": "VALIDATION_ERROR", "message": "no"}
    )
    answer = client(sandbox).batch_archive(IDS[:2])
    assert [a.deleted for a in answer.deleted] == [False, False]
    assert answer.deleted[0].message.startswith("not deleted: HubSpot refused the deletion (")
    assert set(sandbox.events) == set(IDS)


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (204, "deleted"),
        (207, "look"),
        (200, "look"),
        (404, "look"),
        (400, "refused"),
        (None, "refused"),
    ],
)
def test_what_each_status_lets_the_client_conclude(status, verdict):
    assert archive_verdict(status) == verdict


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"errors": [{"message": "gone", "context": {"objectId": ["1"]}}]}, {"1"}),
        ({"errors": [{"message": "gone", "id": 2}]}, {"2"}),
        ({"errors": [{"message": "other", "context": {"objectId": ["99"]}}]}, set()),
        ({"errors": "not a list"}, set()),
        ({}, set()),
        (None, set()),
    ],
)
def test_a_207_body_is_read_defensively(body, named):
    assert set(named_errors(["1", "2"], body)) == named
