"""The client's create requests against the sandbox over real HTTP, under every API
version: what eventsync assumes of the upsert, the get by external ids and the
identifiers lookup (docs/hubspot-api-assumptions.md, "Creating, completing and
archiving")."""

from __future__ import annotations

import pytest
from helpers import TOKEN

from eventsync.config import API_VERSIONS, Settings
from eventsync.hubspot.client import HubSpotClient
from eventsync.hubspot.created import MadeEvent
from eventsync.hubspot.payload import create_input
from eventsync.model import FieldValue
from eventsync.plan.creates import match_results
from eventsync.sandbox.external_ids import created_events, set_search_delay
from eventsync.sandbox.server import Sandbox

ACCOUNT = "eventsync-880001"
ROWS: list[dict[str, FieldValue]] = [
    {"eventName": "Kyoto partner day", "eventOrganizer": "Acme",
     "startDateTime": "2026-09-01T05:00:00Z", "custom:region": "APAC"},
    {"eventName": "Sendai user meetup", "eventOrganizer": "Acme", "eventCancelled": False},
]  # fmt: skip


@pytest.fixture
def sandbox():
    with Sandbox([], custom_properties=["region"]) as server:  # any token: each one an app
        yield server


def client(sandbox: Sandbox, version: str, token: str = TOKEN) -> HubSpotClient:
    return HubSpotClient(
        Settings(base_url=sandbox.url, token=token, api_version=version, max_retries=0)
    )


def upsert(hubspot: HubSpotClient, ids=("es-a", "es-b")):
    return hubspot.upsert_events(
        [create_input(values, i, ACCOUNT) for values, i in zip(ROWS, ids, strict=True)]
    )


@pytest.mark.parametrize("version", API_VERSIONS)
def test_upsert_results_are_matched_by_their_echo_and_read_back_by_external_ids(sandbox, version):
    hubspot = client(sandbox, version)
    answer = upsert(hubspot)
    assert answer.unclear is None and answer.refused is None and len(answer.made) == 2
    [request] = [r for r in sandbox.requests if r.path.endswith("/events/upsert")]
    assert request.body["inputs"][1]["customProperties"] == []  # the schema requires a list
    assert all("externalEventId" not in e.echoed for e in answer.made)  # no ids come back
    pairs = match_results(ROWS, [e.echoed for e in answer.made])
    assert len(pairs) == 2  # in no promised order, but each echo fits one input only
    made = created_events(sandbox)
    for index, result in pairs.items():
        event = answer.made[result]
        assert made[event.object_id]["eventName"] == ROWS[index]["eventName"]
    read = hubspot.read_created("es-a", ACCOUNT)  # the same app: found at once
    [found] = read.found
    assert isinstance(found, MadeEvent) and made[found.object_id]["externalEventId"] == "es-a"
    again = upsert(hubspot)  # the same external ids from the same app: updated, not made
    assert {e.object_id for e in again.made} == set(made) and len(created_events(sandbox)) == 2


@pytest.mark.parametrize("version", API_VERSIONS)
def test_a_look_up_finds_its_own_event_at_once_and_another_apps_after_the_search_delay(
    sandbox, version
):
    set_search_delay(sandbox, 1)  # HubSpot: "searchable ... a few minutes after creation"
    upsert(client(sandbox, version))
    [object_id] = [i for i, e in created_events(sandbox).items() if e["externalEventId"] == "es-a"]
    own = client(sandbox, version).look_up("es-a", ACCOUNT)
    assert own.object_ids == (object_id,)  # get by external ids: not delayed
    other = client(sandbox, version, token="another-key-0000")  # a new key: another app
    assert other.read_created("es-a", ACCOUNT).found == ()  # its external ids: 404
    assert other.look_up("es-a", ACCOUNT).object_ids == ()  # not yet searchable
    assert other.look_up("es-a", ACCOUNT).object_ids == (object_id,)  # portal-wide, later
    assert client(sandbox, version).look_up("es-unknown", ACCOUNT).object_ids == ()


@pytest.mark.parametrize("version", API_VERSIONS)
def test_a_refused_upsert_made_nothing(sandbox, version):
    hubspot = client(sandbox, version)
    bad = [create_input({"eventName": "No organiser"}, "es-c", ACCOUNT)]
    answer = hubspot.upsert_events(bad)
    assert answer.refused is not None and "400" in answer.refused
    assert answer.made == () and created_events(sandbox) == {}
