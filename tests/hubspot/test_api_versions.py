"""Every API version end to end: v3 (default), 2026-03 and 2026-09, against a sandbox
that refuses a trailing slash on date-versioned list paths like HubSpot."""

from __future__ import annotations

import pytest
from helpers import TOKEN, Workspace, read_rows

from eventsync.config import Settings
from eventsync.hubspot.answers import read_batch_answer
from eventsync.hubspot.client import HubSpotClient
from eventsync.hubspot.routes import routes_for
from eventsync.model import FieldChange, PlannedUpdate
from eventsync.sandbox.sample import sample_events
from eventsync.sandbox.server import Sandbox

VERSIONS = ["v3", "2026-03", "2026-09"]


@pytest.mark.slow
@pytest.mark.parametrize("version", VERSIONS)
def test_pull_plan_sync_and_two_way_work_under_every_version(tmp_path, version):
    with Sandbox(sample_events(), token=TOKEN, custom_properties=["region"]) as sandbox:
        ws = Workspace(tmp_path, sandbox)
        env = {"EVENTSYNC_API_VERSION": version}
        path = ws.sheets / "events.xlsx"
        assert ws.run("pull", str(path), **env).code == 0
        sandbox.edit_event(sample_events()[0]["objectId"], eventName="Edited in HubSpot")
        assert ws.run("plan", **env).code == 0
        assert ws.run("sync", **env).code == 0
        assert ws.run("sync", "--two-way", **env).code == 0
        assert "Edited in HubSpot" in {row["eventName"] for row in read_rows(path)}
        paths = {r.path for r in sandbox.requests}
        assert not any(p.endswith("/") for p in paths if version != "v3")
        assert not any(r.status == 404 for r in sandbox.requests)
        # Every call in the version's own paths (the last run's: its list and the custom
        # properties it reads); tests/hubspot/test_routes.py follows the account details.
        routes = routes_for(version)
        assert all(p.startswith((routes.events, routes.properties)) for p in paths), paths
        assert routes.properties in paths, paths


def test_per_row_errors_inside_a_200_under_2026_09_fail_exactly_their_rows(tmp_path):
    events = sample_events(2)
    known = events[0]["objectId"]
    with Sandbox(events, token=TOKEN) as sandbox:
        settings = Settings(base_url=sandbox.url, token=TOKEN, api_version="2026-09")
        updates = [
            PlannedUpdate(2, known, (FieldChange("eventName", None, "New"),)),
            PlannedUpdate(3, "999999", (FieldChange("eventName", None, "Gone"),)),
        ]
        result = HubSpotClient(settings).batch_update(updates)
        assert [r.status for r in sandbox.batch_update_requests()] == [200]
    outcome = {o.object_id: o for o in result.outcomes}
    assert outcome[known].message == ""
    assert "OBJECT_NOT_FOUND" in outcome["999999"].message


def test_an_error_we_cannot_place_gives_unmatched_rows_hubspots_message_and_correlation_id():
    updates = [PlannedUpdate(2, "11", ()), PlannedUpdate(3, "12", ())]
    body = {
        "status": "COMPLETE",
        "results": [{"objectId": "11", "updatedAt": "2024-05-22T12:29:50.734Z"}],
        "errors": [
            {
                "status": "error",
                "category": "VALIDATION_ERROR",
                "message": "One input was not valid",
                "context": {"eventIds": ["id-12"]},
                "errors": [{"message": "startDateTime is after endDateTime", "in": "dates"}],
            }
        ],
    }
    outcomes = read_batch_answer(updates, body, properties=lambda: None, correlation_id="corr-1234")
    assert outcomes[0].message == ""
    assert "One input was not valid" in outcomes[1].message
    assert "startDateTime is after endDateTime" in outcomes[1].message
    assert "corr-1234" in outcomes[1].message and "no result" not in outcomes[1].message


def test_an_error_naming_its_row_only_in_a_nested_detail_fails_that_row():
    updates = [PlannedUpdate(2, "11", ()), PlannedUpdate(3, "12", ())]
    body = {
        "results": [{"objectId": "11", "updatedAt": "2024-05-22T12:29:50.734Z"}],
        "errors": [{"message": "Bad", "errors": [{"message": "x", "context": {"id": ["12"]}}]}],
    }
    outcomes = read_batch_answer(updates, body, properties=lambda: None)
    assert outcomes[1].message.startswith("HubSpot: Bad")
