"""The sandbox's attendance and participation endpoints over real HTTP: register, attend
and cancel by email or contact id (an unknown email creates a contact), the counters
and breakdowns, HubSpot's own no-show marking by the sandbox's clock, scopes, limits and
a lost answer. docs/participants-research.md has the published shapes these follow
(file and line); docs/hubspot-api-assumptions.md, "Participants and contacts", the
sandbox's own choices, each with the test below that holds it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from helpers import TOKEN

from eventsync.sandbox.contacts import add_contacts, contacts_snapshot, created_contacts
from eventsync.sandbox.participants import (
    lose_attendance_answers,
    participation_states,
    refuse_cancel_without_registration,
    set_clock,
)
from eventsync.sandbox.server import Sandbox, make_event

PREFIXES = {
    "v3": "/marketing/v3/marketing-events",
    "2026-03": "/marketing/marketing-events/2026-03",
    "2026-09": "/marketing/marketing-events/2026-09",
}
EVENT = "7001"
START, END = "2026-04-06T01:00:00Z", "2026-04-06T03:00:00Z"
BEFORE = datetime(2026, 4, 1, tzinfo=UTC)
AFTER = datetime(2026, 4, 7, tzinfo=UTC)
WHEN = 1_775_000_000_000  # interactionDateTime, epoch ms
ACCOUNT = "eventsync-880001"
# The `required` lists of the answer schemas (v3 marketingEvents.json; identical in
# 2026-03 and 2026-09): BatchResponseSubscriberEmailResponse L2222,
# SubscriberEmailResponse L3950, SubscriberVidResponse L3968, AttendanceCounters L1938,
# CollectionResponseWithTotalParticipationBreakdown L2395, ParticipationBreakdown L3591,
# ParticipationProperties L3615, ParticipationAssociations L3578, ContactAssociation
# L2439, MarketingEventAssociation L2627, StandardError L3886.
BATCH_REQUIRED = {"completedAt", "results", "startedAt", "status"}
EMAIL_RESULT_REQUIRED = {"email", "vid"}
VID_RESULT_REQUIRED = {"vid"}
COUNTERS_REQUIRED = {"attended", "cancelled", "noShows", "registered"}
PAGE_REQUIRED = {"results", "total"}
ROW_REQUIRED = {"associations", "createdAt", "id", "properties"}
ROW_PROPERTIES_REQUIRED = {"attendanceState", "occurredAt"}
CONTACT_REQUIRED = {"contactId", "email"}
EVENT_ASSOCIATION_REQUIRED = {"marketingEventId", "name"}
STANDARD_ERROR_REQUIRED = {"category", "context", "errors", "links", "message", "status"}


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def person(email: str, **fields: Any) -> dict[str, Any]:
    """An email-create input with every field MarketingEventEmailSubscriber requires."""
    return {
        "email": email,
        "interactionDateTime": WHEN,
        "properties": {},
        "contactProperties": {},
        **fields,
    }


def record(
    sb: Sandbox,
    verb: str,
    *inputs: dict[str, Any],
    version: str = "v3",
    event: str = EVENT,
    how: str = "email-create",
    token: str = TOKEN,
) -> requests.Response:
    url = f"{sb.url}{PREFIXES[version]}/{event}/attendance/{verb}/{how}"
    return requests.post(url, json={"inputs": list(inputs)}, headers=auth(token))


def read(sb: Sandbox, rest: str, version: str = "v3", **params: Any) -> requests.Response:
    return requests.get(f"{sb.url}{PREFIXES[version]}{rest}", params=params, headers=auth())


def counts(sb: Sandbox, version: str = "v3") -> dict[str, int]:
    answer = read(sb, f"/participations/{EVENT}", version)
    assert answer.status_code == 200
    body: dict[str, int] = answer.json()
    assert set(body) == COUNTERS_REQUIRED
    return body


@pytest.fixture
def sb():
    event = make_event(EVENT, startDateTime=START, endDateTime=END)
    with Sandbox([event], token=TOKEN, rate_limit=None) as server:
        set_clock(server, BEFORE)
        yield server


@pytest.mark.parametrize("version", PREFIXES)
def test_email_create_records_each_state_in_hubspots_answer_shape(sb, version):
    add_contacts(sb, "known@example.com")
    answer = record(
        sb, "register", person("known@example.com"), person("new@example.com"), version=version
    )
    assert answer.status_code == 200  # the only success status published
    body = answer.json()
    assert set(body) >= BATCH_REQUIRED and body["status"] == "COMPLETE"
    assert "errors" not in body and "numErrors" not in body
    assert [r["email"] for r in body["results"]] == ["known@example.com", "new@example.com"]
    for result in body["results"]:
        assert set(result) == EMAIL_RESULT_REQUIRED and type(result["vid"]) is int
        assert result["vid"] < 2**31  # 2026-09 types vid as int32
    for verb, state in (("attend", "ATTENDED"), ("cancel", "CANCELLED")):
        assert record(sb, verb, person("known@example.com"), version=version).status_code == 200
        assert participation_states(sb, EVENT)["known@example.com"] == state
    assert counts(sb, version) == {"attended": 0, "cancelled": 1, "noShows": 0, "registered": 1}


def test_an_unknown_email_creates_a_contact_and_contact_properties_only_on_creation(sb):
    add_contacts(sb, "known@example.com", firstname="Hana")
    names = {"firstname": "Taro", "lastname": "Yamada"}
    record(
        sb,
        "register",
        person("known@example.com", contactProperties=names),
        person("new@example.com", contactProperties=names),
    )
    assert created_contacts(sb) == ["new@example.com"]
    contacts = contacts_snapshot(sb)
    assert contacts["known@example.com"]["properties"] == {"firstname": "Hana"}  # not updated
    assert contacts["new@example.com"]["properties"]["lastname"] == "Yamada"
    record(sb, "attend", person("new@example.com"))  # known now: nothing more created
    assert created_contacts(sb) == ["new@example.com"]


def test_emails_are_matched_without_case_and_kept_in_lower_case(sb):
    add_contacts(sb, "Known@Example.com")
    answer = record(sb, "register", person("KNOWN@example.COM")).json()
    assert answer["results"][0]["email"] == "known@example.com"
    assert created_contacts(sb) == []


def test_an_invalid_email_is_an_error_in_the_answer_and_the_rest_is_applied(sb):
    answer = record(sb, "register", person("not-an-email"), person("ok@example.com"))
    assert answer.status_code == 200
    body = answer.json()
    assert [r["email"] for r in body["results"]] == ["ok@example.com"]
    assert body["numErrors"] == 1
    (error,) = body["errors"]
    assert set(error) >= STANDARD_ERROR_REQUIRED and error["context"] == {"email": ["not-an-email"]}
    assert created_contacts(sb) == ["ok@example.com"]


def test_the_same_email_twice_in_one_batch_is_applied_in_order(sb):
    answer = record(sb, "register", person("a@example.com"), person("A@example.com"))
    assert [r["vid"] for r in answer.json()["results"]] == [100_001, 100_001]
    assert created_contacts(sb) == ["a@example.com"] and counts(sb)["registered"] == 1


def test_the_latest_state_recorded_is_the_contacts_state(sb):
    for verb in ("register", "attend", "cancel", "register"):
        record(sb, verb, person("a@example.com"))
    assert participation_states(sb, EVENT) == {"a@example.com": "REGISTERED"}


def test_create_by_contact_id_takes_only_existing_contacts(sb):
    (known,) = add_contacts(sb, "known@example.com")
    inputs = [{"vid": int(known), "interactionDateTime": WHEN, "properties": {}}]
    inputs.append({"vid": 999_999, "interactionDateTime": WHEN, "properties": {}})
    answer = record(sb, "register", *inputs, how="create", version="2026-09")
    assert answer.status_code == 200
    body = answer.json()
    assert [set(r) for r in body["results"]] == [VID_RESULT_REQUIRED]
    assert body["results"][0]["vid"] == int(known) and body["numErrors"] == 1
    assert body["errors"][0]["category"] == "OBJECT_NOT_FOUND"
    assert created_contacts(sb) == [] and len(contacts_snapshot(sb)) == 1


@pytest.mark.parametrize(
    "missing", ["email", "interactionDateTime", "properties", "contactProperties"]
)
def test_an_input_without_a_required_field_refuses_the_batch_whole(sb, missing):
    incomplete = {k: v for k, v in person("b@example.com").items() if k != missing}
    answer = record(sb, "register", person("a@example.com"), incomplete)
    assert answer.status_code == 400 and answer.json()["category"] == "VALIDATION_ERROR"
    assert missing in answer.json()["message"]
    assert created_contacts(sb) == [] and participation_states(sb, EVENT) == {}


def test_wrong_types_an_unknown_field_and_over_100_inputs_are_refused(sb):
    bad_inputs = [
        person("a@example.com", interactionDateTime="2026-04-06T01:00:00Z"),
        person("a@example.com", colour="blue"),
        person("a@example.com", contactProperties={"age": 30}),
    ]
    for bad in bad_inputs:
        assert record(sb, "register", bad).status_code == 400
    many = [person(f"p{n}@example.com") for n in range(101)]
    assert record(sb, "register", *many).status_code == 400
    assert record(sb, "register", *many[:100]).status_code == 200
    assert len(created_contacts(sb)) == 100


def test_attend_takes_joined_at_and_left_at_and_no_other_property(sb):
    times = {"joinedAt": "2026-04-06T01:00:00Z", "leftAt": str(WHEN + 1_800_000)}
    assert record(sb, "register", person("a@example.com", properties=times)).status_code == 400
    wrong = {"joinedAt": "2026-04-06T01:00:00Z", "seat": "A1"}
    assert record(sb, "attend", person("a@example.com", properties=wrong)).status_code == 400
    late = {"joinedAt": "2026-04-06T02:00:00Z", "leftAt": "2026-04-06T01:00:00Z"}
    assert record(sb, "attend", person("a@example.com", properties=late)).status_code == 400
    assert participation_states(sb, EVENT) == {}
    hour = {"joinedAt": "2026-04-06T01:00:00Z", "leftAt": "2026-04-06T02:00:00Z"}
    assert record(sb, "attend", person("a@example.com", properties=hour)).status_code == 200
    (row,) = read(sb, f"/participations/{EVENT}/breakdown").json()["results"]
    assert row["properties"]["attendanceDurationSeconds"] == 3600
    assert row["properties"]["attendancePercentage"] == "50.00"  # of the event's two hours


def test_an_unknown_state_in_the_path_is_refused(sb):
    answer = record(sb, "registered", person("a@example.com"))
    assert answer.status_code == 400 and created_contacts(sb) == []


def test_an_unknown_or_archived_event_answers_404(sb):
    assert record(sb, "register", person("a@example.com"), event="424242").status_code == 404
    body = {"inputs": [{"objectId": EVENT}]}
    requests.post(f"{sb.url}{PREFIXES['v3']}/batch/archive", json=body, headers=auth())
    gone = record(sb, "register", person("a@example.com"))
    assert gone.status_code == 404 and gone.json()["category"] == "OBJECT_NOT_FOUND"
    assert read(sb, f"/participations/{EVENT}").status_code == 404
    assert created_contacts(sb) == []


def test_the_external_id_forms_reach_only_the_apps_own_event():
    with Sandbox([], rate_limit=None) as sb:  # any token: each token is one app
        new: dict[str, Any] = {"externalAccountId": ACCOUNT, "externalEventId": "row-a"}
        new |= {"eventName": "Webinar", "eventOrganizer": "Acme", "customProperties": []}
        url = f"{sb.url}{PREFIXES['2026-03']}/events/upsert"
        created = requests.post(url, json={"inputs": [new]}, headers=auth()).json()
        object_id = created["results"][0]["objectId"]
        base = f"{sb.url}{PREFIXES['2026-03']}/attendance/row-a/register/email-create"
        body = {"inputs": [person("a@example.com")]}
        with_account = requests.post(
            f"{base}?externalAccountId={ACCOUNT}", json=body, headers=auth()
        )
        assert with_account.status_code == 200
        without = requests.post(base, json={"inputs": [person("b@example.com")]}, headers=auth())
        assert without.status_code == 200  # externalAccountId is optional here
        other = requests.post(base, json=body, headers=auth("another-app-token"))
        assert other.status_code == 404
        counters = read(sb, f"/participations/{ACCOUNT}/row-a", "2026-03").json()
        assert counters["registered"] == 2
        rows = read(sb, f"/participations/{ACCOUNT}/row-a/breakdown", "2026-03").json()["results"]
        association = rows[0]["associations"]["marketingEvent"]
        assert association == {
            "marketingEventId": object_id,
            "name": "Webinar",
            "externalAccountId": ACCOUNT,
            "externalEventId": "row-a",
        }
        vid = int(rows[0]["associations"]["contact"]["contactId"])
        by_id = f"{sb.url}{PREFIXES['2026-03']}/attendance/row-a/attend/create"
        inputs = {"inputs": [{"vid": vid, "interactionDateTime": WHEN, "properties": {}}]}
        attended = requests.post(
            f"{by_id}?externalAccountId={ACCOUNT}", json=inputs, headers=auth()
        )
        assert attended.status_code == 200 and attended.json()["results"] == [{"vid": vid}]
        assert participation_states(sb, object_id)["a@example.com"] == "ATTENDED"


def test_no_shows_are_marked_after_the_events_end_by_the_sandbox_clock(sb):
    record(sb, "register", person("a@example.com"), person("b@example.com"))
    record(sb, "attend", person("b@example.com"))
    assert counts(sb) == {"attended": 1, "cancelled": 0, "noShows": 0, "registered": 1}
    assert read(sb, f"/{EVENT}").json()["noShows"] == 0  # "only ... when the event is over"
    set_clock(sb, AFTER)
    assert counts(sb) == {"attended": 1, "cancelled": 0, "noShows": 1, "registered": 0}
    event = read(sb, f"/{EVENT}", "2026-09").json()
    assert (event["registrants"], event["attendees"], event["noShows"]) == (0, 1, 1)
    no_show = read(sb, f"/participations/{EVENT}/breakdown", state="NO_SHOW").json()
    assert [r["associations"]["contact"]["email"] for r in no_show["results"]] == ["a@example.com"]
    record(sb, "attend", person("a@example.com"))  # late attendance still counts
    assert counts(sb)["noShows"] == 0 and counts(sb)["attended"] == 2


def test_an_event_without_an_end_never_has_no_shows():
    with Sandbox([make_event(EVENT, endDateTime=None)], token=TOKEN) as sb:
        set_clock(sb, AFTER)
        record(sb, "register", person("a@example.com"))
        assert counts(sb)["noShows"] == 0 and counts(sb)["registered"] == 1


def test_the_events_counters_follow_its_participations_and_updated_at_stays(sb):
    stamp = read(sb, f"/{EVENT}").json()["updatedAt"]
    record(sb, "register", person("a@example.com"), person("b@example.com"))
    record(sb, "cancel", person("b@example.com"))
    event = read(sb, f"/{EVENT}").json()
    assert (event["registrants"], event["cancellations"]) == (1, 1)
    assert event["updatedAt"] == stamp  # attendance is not an edit of the event
    listed = read(sb, "", "2026-03").json()["results"]
    assert listed[0]["registrants"] == 1


def test_the_breakdown_pages_and_filters_by_state_and_contact(sb):
    record(sb, "register", *(person(f"p{n}@example.com") for n in range(5)))
    record(sb, "attend", person("p3@example.com"))
    first = read(sb, f"/participations/{EVENT}/breakdown", limit=2).json()
    assert set(first) >= PAGE_REQUIRED and first["total"] == 5 and len(first["results"]) == 2
    after = first["paging"]["next"]["after"]
    rest = read(sb, f"/participations/{EVENT}/breakdown", limit=10, after=after).json()
    assert len(rest["results"]) == 3 and "paging" not in rest
    for row in first["results"] + rest["results"]:
        assert set(row) >= ROW_REQUIRED
        assert set(row["properties"]) >= ROW_PROPERTIES_REQUIRED
        assert set(row["associations"]["contact"]) >= CONTACT_REQUIRED
        assert set(row["associations"]["marketingEvent"]) >= EVENT_ASSOCIATION_REQUIRED
    attended = read(sb, f"/participations/{EVENT}/breakdown", state="ATTENDED").json()
    assert attended["total"] == 1
    one = read(sb, f"/participations/{EVENT}/breakdown", contactIdentifier="P1@example.com")
    assert [r["associations"]["contact"]["email"] for r in one.json()["results"]] == [
        "p1@example.com"
    ]
    assert read(sb, f"/participations/{EVENT}/breakdown").json()["total"] == 5
    assert len(read(sb, f"/participations/{EVENT}/breakdown").json()["results"]) == 5
    for bad in ({"limit": "101"}, {"limit": "0"}, {"state": "EMPTY"}):
        assert read(sb, f"/participations/{EVENT}/breakdown", **bad).status_code == 400


def test_the_breakdown_shows_ten_rows_by_default(sb):
    record(sb, "register", *(person(f"p{n}@example.com") for n in range(12)))
    page = read(sb, f"/participations/{EVENT}/breakdown").json()
    assert page["total"] == 12 and len(page["results"]) == 10


def test_a_contacts_breakdown_lists_its_participation_in_every_event():
    events = [make_event(n, endDateTime=END) for n in (7001, 7002, 7003)]
    with Sandbox(events, token=TOKEN) as sb:
        set_clock(sb, BEFORE)
        record(sb, "register", person("a@example.com"), event="7001")
        record(sb, "attend", person("a@example.com"), event="7003")
        record(sb, "register", person("b@example.com"), event="7002")
        by_email = read(sb, "/participations/contacts/A@example.com/breakdown").json()
        ids = [r["associations"]["marketingEvent"]["marketingEventId"] for r in by_email["results"]]
        assert ids == ["7001", "7003"] and by_email["total"] == 2
        contact_id = by_email["results"][0]["associations"]["contact"]["contactId"]
        by_id = read(sb, f"/participations/contacts/{contact_id}/breakdown", state="ATTENDED")
        assert by_id.json()["total"] == 1
        assert read(sb, "/participations/contacts/nobody@example.com/breakdown").status_code == 404


def test_a_cancel_before_a_register_is_recorded_unless_the_knob_refuses_it(sb):
    assert record(sb, "cancel", person("a@example.com")).json()["results"]
    assert counts(sb)["cancelled"] == 1
    refuse_cancel_without_registration(sb)
    refused = record(sb, "cancel", person("b@example.com")).json()
    assert refused["results"] == [] and refused["numErrors"] == 1
    assert created_contacts(sb) == ["a@example.com"]  # a refused cancel creates no one
    add_contacts(sb, "known@example.com")
    assert record(sb, "cancel", person("known@example.com")).json()["numErrors"] == 1
    assert counts(sb)["cancelled"] == 1


@pytest.mark.parametrize(
    ("scopes", "write", "read_status"),
    [
        (["crm.objects.marketing_events.read"], 403, 200),
        (["crm.objects.marketing_events.write"], 200, 403),
    ],
)
def test_attendance_needs_the_write_scope_and_participations_the_read_scope(
    scopes, write, read_status
):
    with Sandbox([make_event(EVENT)], token=TOKEN, scopes=scopes) as sb:
        answer = record(sb, "register", person("a@example.com"))
        assert answer.status_code == write
        if write == 403:
            body = answer.json()
            assert body["category"] == "MISSING_SCOPES"
            assert body["errors"][0]["context"]["requiredScopes"] == [
                "crm.objects.marketing_events.write"
            ]
            assert created_contacts(sb) == []
        assert read(sb, f"/participations/{EVENT}").status_code == read_status
        assert read(sb, f"/participations/{EVENT}/breakdown").status_code == read_status


def test_the_missing_scopes_knob_refuses_attendance_too():
    with Sandbox([make_event(EVENT)], token=TOKEN, missing_scopes=True) as sb:
        assert record(sb, "register", person("a@example.com")).status_code == 403


def test_attendance_and_participation_calls_count_against_the_rate_limit():
    with Sandbox([make_event(EVENT)], token=TOKEN, rate_limit="2/10") as sb:
        assert record(sb, "register", person("a@example.com")).status_code == 200
        first = read(sb, f"/participations/{EVENT}")
        assert first.status_code == 200 and first.headers["X-HubSpot-RateLimit-Remaining"] == "0"
        refused = record(sb, "register", person("b@example.com"))
        assert refused.status_code == 429 and created_contacts(sb) == ["a@example.com"]


def test_an_attendance_write_applied_then_dropped_was_recorded(sb):
    lose_attendance_answers(sb, "drop")
    with pytest.raises(requests.ConnectionError):
        record(sb, "register", person("a@example.com"))
    assert created_contacts(sb) == ["a@example.com"]
    assert record(sb, "register", person("a@example.com")).status_code == 200  # the resend
    assert created_contacts(sb) == ["a@example.com"] and counts(sb)["registered"] == 1


def test_an_attendance_write_applied_then_answered_5xx_was_recorded(sb):
    lose_attendance_answers(sb, "status", status=502)
    answer = record(sb, "attend", person("a@example.com"), version="2026-09")
    assert answer.status_code == 502 and answer.json()["category"] == "INTERNAL_ERROR"
    assert participation_states(sb, EVENT) == {"a@example.com": "ATTENDED"}


def test_every_attendance_request_is_recorded_and_numbered_for_faults(sb):
    sb.script_fault(2, status=503)
    assert record(sb, "register", person("a@example.com")).status_code == 200
    assert record(sb, "register", person("b@example.com")).status_code == 503
    paths = [(r.method, r.path, r.status) for r in sb.requests]
    url = f"{PREFIXES['v3']}/{EVENT}/attendance/register/email-create"
    assert paths == [("POST", url, 200), ("POST", url, 503)]
    assert created_contacts(sb) == ["a@example.com"]  # a scripted status applies nothing


def test_set_clock_needs_a_time_zone(sb):
    with pytest.raises(ValueError, match="time zone"):
        set_clock(sb, datetime(2026, 4, 7))  # noqa: DTZ001 - the point of the test
    set_clock(sb, None)  # wall time again
    assert read(sb, f"/participations/{EVENT}").status_code == 200


def test_the_sunset_upsert_forms_are_not_served():
    with Sandbox([], token=TOKEN) as sb:
        for how in ("email-upsert", "upsert"):
            url = f"{sb.url}{PREFIXES['v3']}/events/row-a/register/{how}?externalAccountId=a"
            answer = requests.post(url, json={"inputs": []}, headers=auth())
            assert answer.status_code == 404 and created_contacts(sb) == []


def test_the_object_id_forms_reach_any_apps_event_the_external_ones_only_its_own():
    with Sandbox([], rate_limit=None) as sb:  # any token: each token is one app
        new: dict[str, Any] = {"externalAccountId": ACCOUNT, "externalEventId": "row-a"}
        new |= {"eventName": "Webinar", "eventOrganizer": "Acme", "customProperties": []}
        url = f"{sb.url}{PREFIXES['v3']}/events/upsert"
        made = requests.post(url, json={"inputs": [new]}, headers=auth()).json()
        object_id = made["results"][0]["objectId"]
        other = "another-app-token"
        answer = record(sb, "register", person("a@example.com"), event=object_id, token=other)
        assert answer.status_code == 200  # "any app with the associated scopes"
        theirs = f"{sb.url}{PREFIXES['v3']}/participations/{ACCOUNT}/row-a"
        assert requests.get(theirs, headers=auth(other)).status_code == 404
        assert requests.get(theirs, headers=auth()).json()["registered"] == 1


@pytest.mark.slow
def test_an_attendance_write_applied_while_the_client_times_out_was_recorded(sb):
    lose_attendance_answers(sb, "timeout", delay_s=30)  # the sandbox's stop ends the wait
    url = f"{sb.url}{PREFIXES['2026-03']}/{EVENT}/attendance/register/email-create"
    with pytest.raises(requests.Timeout):
        requests.post(url, json={"inputs": [person("a@example.com")]}, headers=auth(), timeout=1)
    assert created_contacts(sb) == ["a@example.com"]
