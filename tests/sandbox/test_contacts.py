"""The sandbox's CRM contacts batch read over real HTTP: which emails HubSpot already
knows (`idProperty=email`), under every version's path, with the contacts read scope.
docs/participants-research.md has the published shapes (contacts.json, file and line);
docs/hubspot-api-assumptions.md, "Participants and contacts", the sandbox's choices."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from helpers import TOKEN

from eventsync.sandbox.contacts import add_contacts, contacts_snapshot, created_contacts
from eventsync.sandbox.server import Sandbox, make_event

PATHS = {
    "v3": "/crm/v3/objects/contacts/batch/read",
    "2026-03": "/crm/objects/2026-03/contacts/batch/read",
    "2026-09": "/crm/objects/2026-09/contacts/batch/read",
}
# The `required` lists (CRM Contacts spec, rollout 424): BatchResponseSimplePublicObject
# v3 L875 / 2026-09 L992; BatchResponseSimplePublicObjectWithErrors v3 L923;
# SimplePublicObject v3 L1507 / 2026-09 L1296; StandardError v3 L1913.
BATCH_REQUIRED = {"completedAt", "results", "startedAt", "status"}
OBJECT_REQUIRED = {"archived", "createdAt", "id", "properties", "updatedAt"}
STANDARD_ERROR_REQUIRED = {"category", "context", "errors", "links", "message", "status"}
# Published status of an answer naming contacts not found: v3 and 2026-03 list a 207;
# 2026-09 lists only a 200, whose schema carries `errors`.
NOT_FOUND_STATUS = {"v3": 207, "2026-03": 207, "2026-09": 200}


def by_email(*emails: str, properties: list[str] | None = None) -> dict[str, Any]:
    inputs = [{"id": email} for email in emails]
    return {
        "idProperty": "email",
        "inputs": inputs,
        "properties": properties or [],
        "propertiesWithHistory": [],
    }


def post(sb: Sandbox, version: str, body: object) -> requests.Response:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    return requests.post(f"{sb.url}{PATHS[version]}", json=body, headers=headers)


@pytest.fixture
def sb():
    with Sandbox([make_event(7001)], token=TOKEN, rate_limit=None) as server:
        add_contacts(server, "hana@example.com", "taro@example.com", firstname="Known")
        yield server


@pytest.mark.parametrize("version", PATHS)
def test_known_emails_are_read_in_hubspots_answer_shape(sb, version):
    answer = post(sb, version, by_email("hana@example.com", "taro@example.com"))
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) >= BATCH_REQUIRED and body["status"] == "COMPLETE"
    assert "errors" not in body
    for contact in body["results"]:
        assert set(contact) >= OBJECT_REQUIRED and contact["archived"] is False
        assert contact["properties"]["hs_object_id"] == contact["id"]
    assert sorted(c["properties"]["email"] for c in body["results"]) == [
        "hana@example.com",
        "taro@example.com",
    ]


@pytest.mark.parametrize("version", PATHS)
def test_emails_not_found_are_one_error_in_a_207_or_under_2026_09_a_200(sb, version):
    answer = post(sb, version, by_email("hana@example.com", "nobody@example.com", "x"))
    assert answer.status_code == NOT_FOUND_STATUS[version]
    body = answer.json()
    assert [c["properties"]["email"] for c in body["results"]] == ["hana@example.com"]
    assert body["numErrors"] == 1
    (error,) = body["errors"]
    assert set(error) >= STANDARD_ERROR_REQUIRED and error["category"] == "OBJECT_NOT_FOUND"
    assert error["context"] == {"ids": ["nobody@example.com", "x"]}


def test_a_read_creates_no_contact_and_matches_without_case(sb):
    post(sb, "v3", by_email("nobody@example.com"))
    assert created_contacts(sb) == [] and len(contacts_snapshot(sb)) == 2
    answer = post(sb, "v3", by_email("HANA@Example.com")).json()
    assert answer["results"][0]["properties"]["email"] == "hana@example.com"
    twice = post(sb, "v3", by_email("hana@example.com", "hana@example.com")).json()
    assert len(twice["results"]) == 1  # the same id twice: one result


def test_asked_properties_come_back_and_unasked_ones_do_not(sb):
    plain = post(sb, "2026-03", by_email("hana@example.com")).json()["results"][0]
    assert "firstname" not in plain["properties"]
    asked = post(sb, "2026-03", by_email("hana@example.com", properties=["firstname"]))
    assert asked.json()["results"][0]["properties"]["firstname"] == "Known"


def test_contacts_are_read_by_id_without_id_property(sb):
    (known,) = add_contacts(sb, "hana@example.com")  # already there: the same contact
    body = {"inputs": [{"id": known}], "properties": [], "propertiesWithHistory": []}
    answer = post(sb, "2026-09", body).json()
    assert [c["id"] for c in answer["results"]] == [known]


@pytest.mark.parametrize("missing", ["inputs", "properties", "propertiesWithHistory"])
def test_a_body_without_a_required_list_is_refused(sb, missing):
    body = {k: v for k, v in by_email("hana@example.com").items() if k != missing}
    answer = post(sb, "v3", body)
    assert answer.status_code == 400 and missing in answer.json()["message"]


def test_over_100_inputs_or_another_id_property_are_refused(sb):
    emails = [f"p{n}@example.com" for n in range(101)]
    assert post(sb, "v3", by_email(*emails)).status_code == 400
    assert post(sb, "v3", by_email(*emails[:100])).status_code == 207
    other = {**by_email("hana@example.com"), "idProperty": "phone"}
    assert post(sb, "v3", other).status_code == 400


@pytest.mark.parametrize("version", PATHS)
def test_without_the_contacts_read_scope_the_read_is_refused_naming_it(version):
    scopes = ["crm.objects.marketing_events.read", "crm.objects.marketing_events.write"]
    with Sandbox([], token=TOKEN, scopes=scopes) as sb:
        answer = post(sb, version, by_email("hana@example.com"))
        assert answer.status_code == 403
        body = answer.json()
        assert body["category"] == "MISSING_SCOPES"
        assert body["errors"][0]["context"]["requiredScopes"] == ["crm.objects.contacts.read"]
    with Sandbox([], token=TOKEN, scopes=["crm.objects.contacts.read"]) as sb:
        assert (
            post(sb, version, by_email("hana@example.com")).status_code == NOT_FOUND_STATUS[version]
        )


def test_the_read_is_recorded_and_counts_against_the_rate_limit():
    with Sandbox([], token=TOKEN, rate_limit="1/10") as sb:
        assert post(sb, "v3", by_email("a@example.com")).status_code == 207
        assert post(sb, "v3", by_email("a@example.com")).status_code == 429
        assert [r.path for r in sb.requests] == [PATHS["v3"]] * 2


def test_contacts_attendance_created_are_non_marketing_contacts(sb):
    url = f"{sb.url}/marketing/v3/marketing-events/7001/attendance/register/email-create"
    new = {"email": "new@example.com", "interactionDateTime": 0, "properties": {}}
    new["contactProperties"] = {}
    requests.post(url, json={"inputs": [new]}, headers={"Authorization": f"Bearer {TOKEN}"})
    answer = post(sb, "v3", by_email("new@example.com", properties=["hs_marketable_status"]))
    assert answer.json()["results"][0]["properties"]["hs_marketable_status"] == "false"


def test_add_contacts_refuses_what_is_not_an_email():
    with Sandbox([]) as sb, pytest.raises(ValueError, match="not an email"):
        add_contacts(sb, "hana at example.com")
