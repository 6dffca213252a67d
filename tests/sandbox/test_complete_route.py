"""The complete call as eventsync sends it (hubspot/routes.py, every API version) against
the sandbox over real HTTP: the creating app's token completes the event; another token
(another app to HubSpot, e.g. a rotated key) gets a 404 and changes nothing
(docs/hubspot-api-assumptions.md, "Creating, completing and archiving")."""

from __future__ import annotations

import pytest
import requests
from helpers import TOKEN

from eventsync.config import API_VERSIONS
from eventsync.hubspot.completing import complete_body
from eventsync.hubspot.routes import routes_for
from eventsync.sandbox.server import Sandbox

ACCOUNT = "eventsync-880001"
ROTATED = "pat-na1-rotated-key-0000"
START, END = "2026-04-06T01:00:00Z", "2026-04-06T03:00:00Z"


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("version", API_VERSIONS)
def test_the_routes_complete_reaches_only_the_creating_apps_event(version):
    routes = routes_for(version)
    made: dict[str, object] = {"externalAccountId": ACCOUNT, "externalEventId": "es-1"}
    made |= {"eventName": "Fair", "eventOrganizer": "Acme", "customProperties": []}
    with Sandbox([]) as sb:  # any token accepted: each token is one app
        answer = requests.post(
            sb.url + routes.upsert, json={"inputs": [made]}, headers=auth(TOKEN), timeout=10
        )
        object_id = answer.json()["results"][0]["objectId"]
        url, params = sb.url + routes.complete("es-1"), {"externalAccountId": ACCOUNT}
        body = complete_body(START, END)

        other = requests.post(url, params=params, json=body, headers=auth(ROTATED), timeout=10)
        assert other.status_code == 404
        assert sb.events[object_id]["eventCompleted"] is False

        done = requests.post(url, params=params, json=body, headers=auth(TOKEN), timeout=10)
        assert done.status_code == 200
        assert done.json()["eventCompleted"] is True
        event = sb.events[object_id]
        assert (event["startDateTime"], event["endDateTime"]) == (START, END)
