"""The sandbox's external-id endpoints over real HTTP: create by upsert exactly once,
find by identifiers (after HubSpot's delay), complete, cancel, archive; and the faults
a create must survive (applied, answer lost). docs/create-events-research.md has the
published shapes these follow; docs/hubspot-api-assumptions.md the sandbox's choices."""

from __future__ import annotations

import pytest
import requests
from helpers import TOKEN

from eventsync.sandbox.external_ids import (
    created_events,
    external_ids_of,
    lose_answers,
    set_search_delay,
)
from eventsync.sandbox.server import Sandbox, make_event

PREFIXES = {
    "v3": "/marketing/v3/marketing-events",
    "2026-03": "/marketing/marketing-events/2026-03",
    "2026-09": "/marketing/marketing-events/2026-09",
}
ACCOUNT = "eventsync-880001"
OTHER_TOKEN = "another-app-token-0000"


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def new_event(external_id: str, name: str = "Spring webinar", **fields: object) -> dict:
    return {
        "externalAccountId": ACCOUNT,
        "externalEventId": external_id,
        "eventName": name,
        "eventOrganizer": "Acme",
        "customProperties": [],
        **fields,
    }


def upsert(sb: Sandbox, prefix: str, *inputs: dict, token: str = TOKEN, **kw) -> requests.Response:
    url = f"{sb.url}{prefix}/events/upsert"
    return requests.post(url, json={"inputs": list(inputs)}, headers=auth(token), **kw)


@pytest.fixture
def sb():
    with Sandbox([make_event(7001)], token=TOKEN, custom_properties=["region"]) as server:
        yield server


@pytest.mark.parametrize("version", PREFIXES)
def test_an_upsert_creates_each_event_once_and_then_updates_it(sb, version):
    prefix = PREFIXES[version]
    first = upsert(sb, prefix, new_event("row-a"), new_event("row-b", "Autumn fair"))
    assert first.status_code == 200
    body = first.json()
    assert body["status"] == "COMPLETE" and {"startedAt", "completedAt"} <= set(body)
    ids = {r["eventName"]: r["objectId"] for r in body["results"]}
    assert list(ids) == ["Autumn fair", "Spring webinar"]  # not in input order
    assert set(ids) == {"Spring webinar", "Autumn fair"}
    for result in body["results"]:
        assert result["id"] == result["objectId"]  # MarketingEventPublicDefaultResponse
        assert "externalEventId" not in result  # the schema carries no external ids
        assert "eventType" not in result and "startDateTime" not in result  # never sent
        assert {"createdAt", "updatedAt", "customProperties", "eventOrganizer"} <= set(result)
    again = upsert(sb, prefix, new_event("row-a", "Spring webinar (new room)"))
    assert again.status_code == 200
    assert again.json()["results"][0]["objectId"] == ids["Spring webinar"]
    assert len(created_events(sb)) == 2 and len(sb.events) == 3
    read = requests.get(f"{sb.url}{prefix}/{ids['Spring webinar']}", headers=auth()).json()
    assert read["eventName"] == "Spring webinar (new room)"
    assert read["externalEventId"] == "row-a" and read["appInfo"]["id"]
    listed = requests.get(f"{sb.url}{PREFIXES['2026-09']}", headers=auth()).json()["results"]
    assert {e["objectId"] for e in listed} == {"7001", *ids.values()}


def test_the_same_upsert_sent_twice_is_still_one_event(sb):
    for _ in range(2):
        assert upsert(sb, PREFIXES["v3"], new_event("row-a")).status_code == 200
    assert [e["externalEventId"] for e in created_events(sb).values()] == ["row-a"]


@pytest.mark.parametrize(
    "missing",
    ["eventName", "eventOrganizer", "externalAccountId", "externalEventId", "customProperties"],
)
def test_an_upsert_without_a_required_field_is_refused_whole(sb, missing):
    incomplete = {k: v for k, v in new_event("row-b").items() if k != missing}
    answer = upsert(sb, PREFIXES["2026-09"], new_event("row-a"), incomplete)
    assert answer.status_code == 400
    assert answer.json()["category"] == "VALIDATION_ERROR"
    assert missing in answer.json()["message"]
    assert created_events(sb) == {}


def test_an_upsert_naming_one_event_twice_is_refused(sb):
    answer = upsert(sb, PREFIXES["v3"], new_event("row-a"), new_event("row-a", "Copy"))
    assert answer.status_code == 400 and created_events(sb) == {}


def test_an_upsert_with_an_unknown_field_or_over_100_inputs_is_refused(sb):
    unknown = upsert(sb, PREFIXES["v3"], new_event("row-a", eventColour="blue"))
    assert unknown.status_code == 400 and "eventColour" in unknown.json()["message"]
    many = [new_event(f"row-{n}") for n in range(101)]
    assert upsert(sb, PREFIXES["v3"], *many).status_code == 400
    assert upsert(sb, PREFIXES["v3"], *many[:100]).status_code == 200
    assert len(created_events(sb)) == 100


def test_custom_properties_the_portal_lacks_are_dropped_on_create(sb):
    props = [{"name": "region", "value": "Kanto"}, {"name": "nope", "value": "x"}]
    upsert(sb, PREFIXES["v3"], new_event("row-a", customProperties=props))
    (event,) = created_events(sb).values()
    assert event["customProperties"] == [{"name": "region", "value": "Kanto"}]


def test_only_the_creating_app_reaches_an_event_by_its_external_ids():
    with Sandbox([]) as sb:  # any token accepted: each token is one app
        prefix = PREFIXES["2026-09"]
        mine = upsert(sb, prefix, new_event("row-a")).json()["results"][0]["objectId"]
        theirs = upsert(sb, prefix, new_event("row-a"), token=OTHER_TOKEN).json()
        assert theirs["results"][0]["objectId"] != mine  # another app's upsert: a new event
        url = f"{sb.url}{prefix}/events/row-a/cancel?externalAccountId={ACCOUNT}"
        assert requests.post(url, headers=auth()).json()["objectId"] == mine
        found = requests.get(f"{sb.url}{prefix}/row-a/identifiers", headers=auth()).json()
        assert found["total"] == 2  # the search is portal-wide, every app's events
        assert len({row["appInfo"]["id"] for row in found["results"]}) == 2
        assert all(row["externalAccountId"] == ACCOUNT for row in found["results"])
        assert TOKEN not in repr(external_ids_of(sb)) and OTHER_TOKEN not in repr(
            external_ids_of(sb)
        )


@pytest.mark.parametrize("version", PREFIXES)
def test_complete_and_cancel_by_external_ids(sb, version):
    prefix = PREFIXES[version]
    object_id = upsert(sb, prefix, new_event("row-a")).json()["results"][0]["objectId"]
    base = f"{sb.url}{prefix}/events/row-a"
    dates = {"startDateTime": "2026-04-06T01:00:00Z", "endDateTime": "2026-04-06T03:00:00Z"}
    assert (
        requests.post(f"{base}/complete?externalAccountId={ACCOUNT}", headers=auth()).status_code
        == 400
    )
    done = requests.post(f"{base}/complete?externalAccountId={ACCOUNT}", json=dates, headers=auth())
    assert done.status_code == 200
    assert done.json()["eventCompleted"] is True and done.json()["objectId"] == object_id
    assert requests.post(f"{base}/cancel", headers=auth()).status_code == 400  # no account
    elsewhere = requests.post(f"{base}/cancel?externalAccountId=other", headers=auth())
    assert elsewhere.status_code == 404 and elsewhere.json()["category"] == "OBJECT_NOT_FOUND"
    cancelled = requests.post(f"{base}/cancel?externalAccountId={ACCOUNT}", headers=auth())
    assert cancelled.status_code == 200 and cancelled.json()["eventCancelled"] is True
    assert sb.events[object_id]["eventStatus"] == "CANCELLED"
    read = requests.get(f"{base}?externalAccountId={ACCOUNT}", headers=auth()).json()
    assert read["externalEventId"] == "row-a" and read["eventCompleted"] is True


@pytest.mark.parametrize("version", PREFIXES)
def test_an_archived_event_is_gone_from_get_list_and_identifiers(sb, version):
    prefix = PREFIXES[version]
    object_id = upsert(sb, prefix, new_event("row-a")).json()["results"][0]["objectId"]
    inputs = {"inputs": [{"objectId": object_id}, {"objectId": "7001"}]}  # any app's, by objectId
    archived = requests.post(f"{sb.url}{prefix}/batch/archive", json=inputs, headers=auth())
    assert archived.status_code == 204 and archived.content == b""
    gone = requests.get(f"{sb.url}{prefix}/{object_id}", headers=auth())
    assert gone.status_code == 404
    assert requests.get(f"{sb.url}{prefix}", headers=auth()).json()["results"] == []
    assert requests.get(f"{sb.url}{prefix}/row-a/identifiers", headers=auth()).json()["total"] == 0
    again = requests.post(f"{sb.url}{prefix}/batch/archive", json=inputs, headers=auth())
    assert again.status_code == 207
    assert {e["context"]["objectId"][0] for e in again.json()["errors"]} == {object_id, "7001"}


def test_an_archived_event_upserted_again_is_a_new_event(sb):
    prefix = PREFIXES["v3"]
    first = upsert(sb, prefix, new_event("row-a")).json()["results"][0]["objectId"]
    body = {"inputs": [{"objectId": first}]}
    requests.post(f"{sb.url}{prefix}/batch/archive", json=body, headers=auth())
    second = upsert(sb, prefix, new_event("row-a")).json()["results"][0]["objectId"]
    assert second != first and int(second) > int(first)  # an archived id is never reused


def test_events_delete_removes_only_the_apps_own_events():
    with Sandbox([]) as sb:
        prefix = PREFIXES["2026-03"]
        upsert(sb, prefix, new_event("row-a"))
        upsert(sb, prefix, new_event("row-a"), token=OTHER_TOKEN)
        found = requests.get(f"{sb.url}{prefix}/row-a/identifiers", headers=auth()).json()
        apps = sorted(int(row["appInfo"]["id"]) for row in found["results"])
        key = {"externalAccountId": ACCOUNT, "externalEventId": "row-a"}
        no_app = requests.post(
            f"{sb.url}{prefix}/events/delete", json={"inputs": [key]}, headers=auth()
        )
        assert no_app.status_code == 400  # appId is required
        body = {"inputs": [{**key, "appId": app} for app in apps]}
        answer = requests.post(f"{sb.url}{prefix}/events/delete", json=body, headers=auth())
        assert answer.status_code == 207 and answer.json()["numErrors"] == 1
        assert len(sb.events) == 1  # the other app's event stays


def test_a_new_event_is_missed_by_the_first_searches_after_its_creation(sb):
    set_search_delay(sb, 2)
    prefix = PREFIXES["2026-09"]
    upsert(sb, prefix, new_event("row-a"))
    url = f"{sb.url}{prefix}/row-a/identifiers"
    totals = [requests.get(url, headers=auth()).json()["total"] for _ in range(3)]
    assert totals == [0, 0, 1]
    read = requests.get(
        f"{sb.url}{prefix}/events/row-a?externalAccountId={ACCOUNT}", headers=auth()
    )
    assert read.status_code == 200  # the read by external ids is not a search


def test_an_upsert_applied_then_dropped_created_the_event(sb):
    lose_answers(sb, "drop")
    with pytest.raises(requests.ConnectionError):
        upsert(sb, PREFIXES["v3"], new_event("row-a"))
    assert len(created_events(sb)) == 1
    assert upsert(sb, PREFIXES["v3"], new_event("row-a")).status_code == 200  # the resend
    assert len(created_events(sb)) == 1


def test_an_upsert_applied_then_answered_5xx_created_the_event(sb):
    lose_answers(sb, "status", status=502)
    answer = upsert(sb, PREFIXES["2026-09"], new_event("row-a"))
    assert answer.status_code == 502 and answer.json()["category"] == "INTERNAL_ERROR"
    assert len(created_events(sb)) == 1


@pytest.mark.slow
def test_an_upsert_applied_while_the_client_times_out_created_the_event(sb):
    lose_answers(sb, "timeout", delay_s=30)  # the sandbox's stop ends the wait
    with pytest.raises(requests.Timeout):
        upsert(sb, PREFIXES["2026-03"], new_event("row-a"), timeout=1)
    assert len(created_events(sb)) == 1


def test_a_lost_answer_can_hit_an_archive_too(sb):
    lose_answers(sb, "drop", action="archive")
    body = {"inputs": [{"objectId": "7001"}]}
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{sb.url}{PREFIXES['v3']}/batch/archive", json=body, headers=auth())
    assert sb.events == {}


def test_every_external_id_request_is_recorded(sb):
    upsert(sb, PREFIXES["v3"], new_event("row-a"))
    (request,) = sb.requests
    assert (request.method, request.path, request.status) == (
        "POST",
        "/marketing/v3/marketing-events/events/upsert",
        200,
    )
    assert request.body["inputs"][0]["externalEventId"] == "row-a"
