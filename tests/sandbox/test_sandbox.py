"""The HubSpot sandbox: pure rules on plain values, then real HTTP on 127.0.0.1 port 0."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from eventsync.sandbox.event_rules import format_ms, page_events, parse_rfc3339
from eventsync.sandbox.limits import RateWindow
from eventsync.sandbox.server import Sandbox, make_event
from eventsync.sandbox.startup import SANDBOX_TOKEN
from eventsync.sandbox.validation import validate_batch

TOKEN = "pat-na1-canary-7f3e1c"
V3 = "/marketing/v3/marketing-events"
V2026 = "/marketing/marketing-events/2026-03"
V2026_09 = "/marketing/marketing-events/2026-09"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def sandbox():
    events = [make_event(n, eventName=f"Event {n}") for n in (101, 102, 103)]
    with Sandbox(events, token=TOKEN) as sb:
        yield sb


def call(sb, method, path, body=None, token=TOKEN, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.request(method, sb.url + path, json=body, headers=headers, timeout=5, **kwargs)


def update(sb, *inputs, prefix=V3, **kwargs):
    return call(sb, "POST", f"{prefix}/batch/update", {"inputs": list(inputs)}, **kwargs)


# -- pure rules ----------------------------------------------------------------------


def test_rate_window_counts_refusals_and_retry_after_lets_the_client_in():
    window = RateWindow(max_requests=2, interval_s=1.0)
    assert window.admit(0.0) and window.admit(0.5)
    assert not window.admit(0.6)  # refused, yet counted, as HubSpot does
    assert window.retry_after_s(0.6) == 1
    assert not window.admit(1.2)  # 0.5 and 0.6 still in the window
    wait_s = window.retry_after_s(1.2)
    assert window.admit(1.2 + wait_s)
    assert window.remaining(5.0) == 2


@pytest.mark.parametrize(
    "text",
    ["2024-05-22T12:29:50.734Z", "2024-05-22T12:29:50Z", "2024-05-22T14:29:50.1+02:00"],
)
def test_rfc3339_date_times_are_accepted_with_or_without_fraction(text):
    assert parse_rfc3339(text) is not None


@pytest.mark.parametrize(
    "text", ["2024-05-22", "2024-05-22 12:29:50Z", "2024-13-22T12:29:50Z", "2024-05-22T12:29:50"]
)
def test_dates_that_are_not_rfc3339_date_times_are_refused(text):
    assert parse_rfc3339(text) is None


def test_timestamps_have_milliseconds_and_z():
    assert format_ms(1716380990734) == "2024-05-22T12:29:50.734Z"


def test_pages_follow_numeric_order_and_cursor():
    events = {str(n): make_event(n) for n in (9, 10, 100, 11)}
    ordered = sorted(int(n) for n in events)
    page, cursor = page_events(events, ordered, 2, None)
    assert [e["objectId"] for e in page] == ["9", "10"] and cursor == "10"
    page, cursor = page_events(events, ordered, 2, cursor)
    assert [e["objectId"] for e in page] == ["11", "100"] and cursor is None


def test_validation_names_the_input_and_the_object_id():
    problems = validate_batch({"inputs": [{"objectId": "1"}, {"objectId": "2", "eventUrl": 3}]})
    assert [(p.where, p.object_id) for p in problems] == [("inputs[1].eventUrl", "2")]


# -- auth ----------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_missing_or_wrong_token_gets_hubspots_401(sandbox, token):
    response = call(sandbox, "GET", f"{V3}/101", token=token)
    assert response.status_code == 401
    body = response.json()
    assert body["category"] == "INVALID_AUTHENTICATION"
    assert body["message"].startswith("Authentication credentials not found.")
    assert body["correlationId"] == response.headers["X-HubSpot-Correlation-Id"]


def test_without_a_configured_token_any_bearer_token_is_accepted():
    with Sandbox([make_event(1)]) as sb:
        assert call(sb, "GET", f"{V3}/1", token="anything").status_code == 200
        assert call(sb, "GET", f"{V3}/1", token=None).status_code == 401


def test_missing_scopes_knob_refuses_writes_with_the_scope_to_add():
    with Sandbox([make_event(1)], missing_scopes=True) as sb:
        response = update(sb, {"objectId": "1", "eventName": "x"})
        assert response.status_code == 403
        body = response.json()
        assert body["category"] == "MISSING_SCOPES"
        assert body["errors"][0]["context"]["requiredScopes"] == [
            "crm.objects.marketing_events.write"
        ]
        assert call(sb, "GET", f"{V3}/1").status_code == 200
        assert sb.events["1"]["eventName"] == "Event 1"


def test_the_token_is_never_recorded(sandbox):
    update(sandbox, {"objectId": "101", "eventName": "x"})
    admin = requests.get(sandbox.url + "/_sandbox/requests", timeout=5).text
    assert TOKEN not in repr(sandbox.requests) and TOKEN not in admin


# -- batch update --------------------------------------------------------------------


def test_batch_update_applies_only_given_fields_and_answers_in_another_order(sandbox):
    before = sandbox.events
    response = update(
        sandbox,
        {"objectId": "101", "eventName": "Renamed"},
        {"objectId": "102", "eventCancelled": True},
        {"objectId": "103", "startDateTime": "2025-01-02T03:04:05Z"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "COMPLETE" and "startedAt" in body and "completedAt" in body
    assert [r["objectId"] for r in body["results"]] == ["103", "102", "101"]
    after = sandbox.events
    assert after["101"]["eventName"] == "Renamed"
    assert after["101"]["eventDescription"] == before["101"]["eventDescription"]
    assert after["102"]["eventCancelled"] is True and after["102"]["eventName"] == "Event 102"
    assert after["103"]["startDateTime"] == "2025-01-02T03:04:05Z"
    stamps = [after[i]["updatedAt"] for i in ("101", "102", "103")]
    assert stamps == sorted(set(stamps)) and stamps[0] > before["101"]["updatedAt"]


def test_custom_properties_merge_by_name_and_undefined_names_are_dropped():
    event = make_event(1, customProperties=[{"name": "room", "value": "A"}])
    with Sandbox([event], custom_properties="room,level") as sb:
        props = [
            {"name": "level", "value": "2"},
            {"name": "room", "value": "B"},
            {"name": "typo", "value": "x"},
        ]
        response = update(sb, {"objectId": "1", "customProperties": props})
        assert response.status_code == 200
        assert response.json()["results"][0]["customProperties"] == [
            {"name": "room", "value": "B"},
            {"name": "level", "value": "2"},
        ]


def test_unknown_ids_get_207_errors_with_context_and_the_rest_is_applied(sandbox):
    response = update(
        sandbox,
        {"objectId": "101", "eventName": "Applied"},
        {"objectId": "998", "eventName": "x"},
        {"objectId": "999", "eventName": "y"},
    )
    assert response.status_code == 207
    body = response.json()
    assert body["numErrors"] == 2
    assert [e["context"]["objectId"] for e in body["errors"]] == [["998"], ["999"]]
    assert {e["category"] for e in body["errors"]} == {"OBJECT_NOT_FOUND"}
    assert [r["objectId"] for r in body["results"]] == ["101"]
    assert sandbox.events["101"]["eventName"] == "Applied"


MALFORMED = {
    "not an object": ["101"],
    "no inputs": {"input": []},
    "inputs not a list": {"inputs": {"objectId": "101"}},
    "no inputs at all": {"inputs": []},
    "too many inputs": {"inputs": [{"objectId": str(n)} for n in range(101)]},
    "input not an object": {"inputs": ["101"]},
    "objectId missing": {"inputs": [{"eventName": "x"}]},
    "objectId a number": {"inputs": [{"objectId": 101, "eventName": "x"}]},
    "objectId not digits": {"inputs": [{"objectId": "abc", "eventName": "x"}]},
    "text field not a string": {"inputs": [{"objectId": "101", "eventName": 5}]},
    "text field null": {"inputs": [{"objectId": "101", "eventName": None}]},
    "eventCancelled not a bool": {"inputs": [{"objectId": "101", "eventCancelled": "true"}]},
    "date not RFC 3339": {"inputs": [{"objectId": "101", "startDateTime": "2024/13/01"}]},
    "date only": {"inputs": [{"objectId": "101", "endDateTime": "2024-05-22"}]},
    "customProperties not a list": {"inputs": [{"objectId": "101", "customProperties": {}}]},
    "custom value not a string": {
        "inputs": [{"objectId": "101", "customProperties": [{"name": "a", "value": 1}]}]
    },
    "eventCompleted": {"inputs": [{"objectId": "101", "eventCompleted": True}]},
    "unknown field": {"inputs": [{"objectId": "101", "eventColour": "red"}]},
    "duplicate ids": {"inputs": [{"objectId": "101"}, {"objectId": "101", "eventName": "x"}]},
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_batch_gets_400_and_nothing_is_applied(sandbox, case):
    good = {"objectId": "102", "eventName": "Must not be applied"}
    body = MALFORMED[case]
    if case not in ("no inputs at all", "too many inputs") and isinstance(body, dict):
        body = {**body, "inputs": [good, *body["inputs"]]} if "inputs" in body else body
    before = sandbox.events
    response = call(sandbox, "POST", f"{V3}/batch/update", body)
    assert response.status_code == 400, response.text
    error = response.json()
    assert error["status"] == "error" and error["category"] == "VALIDATION_ERROR"
    assert error["errors"] and error["correlationId"]
    assert sandbox.events == before


def test_body_that_is_not_json_gets_400(sandbox):
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    url = f"{sandbox.url}{V3}/batch/update"
    response = requests.post(url, data=b"{inputs:", headers=headers, timeout=5)
    assert response.status_code == 400 and response.json()["category"] == "VALIDATION_ERROR"


def test_duplicate_ids_are_named_like_hubspots_other_batch_apis(sandbox):
    response = update(sandbox, {"objectId": "101"}, {"objectId": "101"})
    assert response.json()["message"].startswith("Duplicate IDs found in batch input: [101]")


def test_a_marker_value_rejects_the_whole_batch():
    with Sandbox([make_event(1), make_event(2)], reject_marker="BAD-MARKER") as sb:
        response = update(
            sb,
            {"objectId": "1", "eventName": "fine"},
            {"objectId": "2", "eventUrl": "x BAD-MARKER"},
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["context"] == {"objectId": ["2"]}
        assert sb.events["1"]["eventName"] == "Event 1"


# -- reads ---------------------------------------------------------------------------


def test_list_pages_250_events_by_100_in_order():
    with Sandbox([make_event(n) for n in range(1000, 1250)][::-1]) as sb:
        seen, after, pages = [], None, []
        while True:
            params = {"limit": 100, **({"after": after} if after else {})}
            response = call(sb, "GET", f"{V3}/", params=params)
            body = response.json()
            pages.append(body)
            seen += [event["objectId"] for event in body["results"]]
            if "paging" not in body:
                break
            after = body["paging"]["next"]["after"]
            assert body["paging"]["next"]["link"].startswith(sb.url + V3)
        assert [len(page["results"]) for page in pages] == [100, 100, 50]
        assert seen == [str(n) for n in range(1000, 1250)]


@pytest.mark.parametrize("path", [V3, f"{V3}/", V2026, V2026_09])
def test_list_serves_every_version_with_a_default_limit_of_10(path):
    with Sandbox([make_event(n) for n in range(1, 13)]) as sb:
        body = call(sb, "GET", path).json()
        assert len(body["results"]) == 10 and body["paging"]["next"]["after"] == "10"


@pytest.mark.parametrize("query", ["limit=101", "limit=0", "limit=ten", "after=xyz"])
def test_bad_list_queries_get_400(sandbox, query):
    response = call(sandbox, "GET", f"{V3}/?{query}")
    assert response.status_code == 400 and response.json()["category"] == "VALIDATION_ERROR"


@pytest.mark.parametrize("prefix", [V3, V2026])
def test_get_one_event_or_404(sandbox, prefix):
    found = call(sandbox, "GET", f"{prefix}/102")
    assert found.status_code == 200 and found.json()["eventName"] == "Event 102"
    assert set(make_event(1)) <= set(found.json())
    missing = call(sandbox, "GET", f"{prefix}/555")
    assert missing.status_code == 404 and missing.json()["category"] == "OBJECT_NOT_FOUND"


def test_batch_update_under_the_dated_path(sandbox):
    response = update(sandbox, {"objectId": "101", "eventType": "CONFERENCE"}, prefix=V2026)
    assert response.status_code == 200
    assert sandbox.events["101"]["eventType"] == "CONFERENCE"


@pytest.mark.parametrize("method, path", [("GET", "/nope"), ("DELETE", f"{V3}/101")])
def test_anything_else_is_a_404_error_body(sandbox, method, path):
    response = call(sandbox, method, path)
    assert response.status_code == 404 and response.json()["status"] == "error"


# -- limits --------------------------------------------------------------------------


def test_rolling_limit_answers_429_with_headers_and_retry_after():
    with Sandbox([make_event(1)], rate_limit="2/10", retry_after=True) as sb:
        first = call(sb, "GET", f"{V3}/1")
        assert first.headers["X-HubSpot-RateLimit-Max"] == "2"
        assert first.headers["X-HubSpot-RateLimit-Remaining"] == "1"
        assert first.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"
        call(sb, "GET", f"{V3}/1")
        refused = call(sb, "GET", f"{V3}/1")
        assert refused.status_code == 429
        body = refused.json()
        assert body["policyName"] == "TEN_SECONDLY_ROLLING" and body["errorType"] == "RATE_LIMIT"
        assert body["message"] == "You have reached your ten_secondly_rolling limit."
        assert 1 <= int(refused.headers["Retry-After"]) <= 10


def test_without_the_knob_a_429_has_no_retry_after():
    with Sandbox([make_event(1)], rate_limit=(1, 10)) as sb:
        call(sb, "GET", f"{V3}/1")
        refused = call(sb, "GET", f"{V3}/1")
        assert refused.status_code == 429 and "Retry-After" not in refused.headers


def test_daily_limit_refuses_every_request_beyond_it():
    with Sandbox([make_event(1)], daily_limit=2) as sb:
        statuses = [call(sb, "GET", f"{V3}/{n}").status_code for n in (1, 404, 1, 1)]
        assert statuses == [200, 404, 429, 429]
        refused = call(sb, "GET", f"{V3}/1")
        assert refused.json()["policyName"] == "DAILY"
        assert refused.json()["message"] == "You have reached your daily limit."
        assert refused.headers["X-HubSpot-RateLimit-Daily"] == "2"
        assert refused.headers["X-HubSpot-RateLimit-Daily-Remaining"] == "0"


# -- faults --------------------------------------------------------------------------


def test_scripted_status_faults_hit_the_numbered_request(sandbox):
    call(sandbox, "GET", f"{V3}/101")
    sandbox.script_fault(2)
    sandbox.script_fault(3, status=477, body={"message": "moving"}, headers={"Retry-After": "600"})
    unavailable = call(sandbox, "GET", f"{V3}/101")
    assert unavailable.status_code == 503 and unavailable.json()["status"] == "error"
    migrating = call(sandbox, "GET", f"{V3}/101")
    assert migrating.status_code == 477 and migrating.headers["Retry-After"] == "600"
    assert migrating.json() == {"message": "moving"}
    assert call(sandbox, "GET", f"{V3}/101").status_code == 200
    assert [r.status for r in sandbox.requests] == [200, 503, 477, 200]


def test_a_fault_for_a_request_already_received_is_refused(sandbox):
    call(sandbox, "GET", f"{V3}/101")
    with pytest.raises(ValueError):
        sandbox.script_fault(1)
    sandbox.reset_counters()
    sandbox.script_fault(1, status=502)
    assert call(sandbox, "GET", f"{V3}/101").status_code == 502


def test_a_dropped_connection_is_a_connection_error_and_nothing_is_applied(sandbox):
    sandbox.script_fault(1, drop=True)
    with pytest.raises(requests.ConnectionError):
        update(sandbox, {"objectId": "101", "eventName": "lost"})
    assert sandbox.events["101"]["eventName"] == "Event 101"
    assert sandbox.requests[0].status is None
    assert update(sandbox, {"objectId": "101", "eventName": "ok"}).status_code == 200


def test_a_delay_outlasts_the_client_timeout_and_stop_does_not_wait_for_it():
    sb = Sandbox([make_event(1)]).start()
    sb.script_fault(1, delay_s=30.0)
    with pytest.raises(requests.ReadTimeout):
        requests.get(f"{sb.url}{V3}/1", headers={"Authorization": "Bearer t"}, timeout=0.3)
    started = time.monotonic()
    sb.stop()
    assert time.monotonic() - started < 2


def test_a_short_delay_then_a_normal_answer(sandbox):
    sandbox.script_fault(1, delay_s=0.2)
    started = time.monotonic()
    assert call(sandbox, "GET", f"{V3}/101").status_code == 200
    assert time.monotonic() - started >= 0.2


def test_latency_delays_every_answer():
    with Sandbox([make_event(1)], latency_ms=150) as sb:
        started = time.monotonic()
        call(sb, "GET", f"{V3}/1")
        call(sb, "GET", f"{V3}/1")
        assert time.monotonic() - started >= 0.3


# -- edits in HubSpot and the admin endpoints ----------------------------------------


def test_an_edit_in_hubspot_changes_fields_and_bumps_updated_at(sandbox):
    before = sandbox.events["101"]
    edited = sandbox.edit_event("101", eventName="Edited in HubSpot")
    assert edited["eventName"] == "Edited in HubSpot" and edited["updatedAt"] > before["updatedAt"]
    assert call(sandbox, "GET", f"{V3}/101").json()["eventName"] == "Edited in HubSpot"
    with pytest.raises(KeyError):
        sandbox.edit_event("555", eventName="x")


def test_admin_endpoints_need_no_auth_and_are_not_recorded(sandbox):
    admin = sandbox.url + "/_sandbox"
    edit = requests.post(f"{admin}/events/102", json={"eventOrganizer": "UI"}, timeout=5)
    assert edit.status_code == 200 and edit.json()["eventOrganizer"] == "UI"
    assert requests.post(f"{admin}/events/555", json={}, timeout=5).status_code == 404
    assert requests.post(f"{admin}/events/102", json={"bogus": 1}, timeout=5).status_code == 400
    events = requests.get(f"{admin}/events", timeout=5).json()["results"]
    assert [e["objectId"] for e in events] == ["101", "102", "103"]
    faults = {"faults": [{"next": 1, "status": 423}, {"n": 2, "drop": True}]}
    assert requests.post(f"{admin}/faults", json=faults, timeout=5).json() == {"scheduled": [1, 2]}
    assert call(sandbox, "GET", f"{V3}/101").status_code == 423
    with pytest.raises(requests.ConnectionError):
        call(sandbox, "GET", f"{V3}/101")
    recorded = requests.get(f"{admin}/requests", timeout=5).json()
    assert recorded["count"] == 2 and [r["status"] for r in recorded["requests"]] == [423, None]
    assert requests.post(f"{admin}/reset", json={"events": True}, timeout=5).status_code == 200
    assert sandbox.requests == [] and sandbox.events["102"]["eventOrganizer"] == "Acme Events"


def test_admin_config_changes_knobs_at_run_time(sandbox):
    admin = sandbox.url + "/_sandbox/config"
    knobs = {"rate_limit": "1/10", "reject_marker": "NOPE", "latency_ms": 0}
    config = requests.post(admin, json=knobs, timeout=5).json()
    assert config["rate_limit"] == "1/10" and config["token"] == "(set)"
    assert TOKEN not in json.dumps(config)
    assert call(sandbox, "GET", f"{V3}/101").status_code == 200
    assert call(sandbox, "GET", f"{V3}/101").status_code == 429
    assert requests.post(admin, json={"colour": "red"}, timeout=5).status_code == 400
    assert requests.post(admin, json={"rate_limit": None}, timeout=5).status_code == 200
    assert call(sandbox, "GET", f"{V3}/101").status_code == 200


def test_batch_update_requests_lists_only_writes(sandbox):
    call(sandbox, "GET", f"{V3}/101")
    update(sandbox, {"objectId": "101", "eventName": "x"})
    [write] = sandbox.batch_update_requests()
    assert write.body == {"inputs": [{"objectId": "101", "eventName": "x"}]}
    assert write.status == 200 and write.query == {}


# -- CLI -----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.posix_only("SIGTERM and SIGINT sent to a child process")
@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_cli_serves_an_events_file_and_stops_cleanly(tmp_path, stop_signal):
    events_file = tmp_path / "events.json"
    events_file.write_text(json.dumps({"results": [{"objectId": "7", "eventName": "CLI"}]}))
    port_file = tmp_path / "port"
    command = [
        sys.executable,
        "-m",
        "eventsync.sandbox",
        "--port",
        "0",
        "--events",
        str(events_file),
    ]
    command += ["--port-file", str(port_file)]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline().strip()
        url = f"http://127.0.0.1:{port_file.read_text()}"
        assert f"{url}, with 1 event." in line
        token = {"Authorization": f"Bearer {SANDBOX_TOKEN}"}
        response = requests.get(f"{url}{V3}/7", headers=token, timeout=5)
        assert response.json()["eventName"] == "CLI" and response.json()["eventCancelled"] is False
    finally:
        process.send_signal(stop_signal)
        assert process.wait(timeout=5) == 0
    assert process.stdout.read().rstrip().endswith("docs/sandbox.md")  # the banner, no more


def test_cli_refuses_a_bad_events_file_with_exit_code_2(tmp_path):
    bad = tmp_path / "events.json"
    bad.write_text('[{"eventName": "no id"}]')
    command = [sys.executable, "-m", "eventsync.sandbox", "--events", str(bad)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=10)
    assert result.returncode == 2 and "objectId" in result.stderr


def test_a_sandbox_bug_answers_500_with_an_error_body_instead_of_hanging(sandbox):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    sandbox.get_event = broken  # stands in for a bug in the sandbox itself
    response = call(sandbox, "GET", f"{V3}/101")
    assert response.status_code == 500 and response.json()["status"] == "error"


def test_events_can_come_from_another_sandboxs_snapshot(sandbox):
    copy_of = Sandbox(sandbox.events.values())
    assert copy_of.events == sandbox.events


def test_stop_closes_idle_keep_alive_connections_promptly():
    sb = Sandbox([make_event(1)]).start()
    session = requests.Session()
    session.headers["Authorization"] = "Bearer t"
    assert session.get(f"{sb.url}{V3}/1", timeout=5).status_code == 200
    started = time.monotonic()
    sb.stop()
    assert time.monotonic() - started < 3  # not the keep-alive timeout; slack for a busy machine
    with pytest.raises(requests.ConnectionError):
        session.get(f"{sb.url}{V3}/1", timeout=5)


def test_request_count_numbers_the_next_fault(sandbox):
    call(sandbox, "GET", f"{V3}/101")
    assert sandbox.request_count == 1
    sandbox.script_fault(sandbox.request_count + 1, status=500)
    assert call(sandbox, "GET", f"{V3}/101").status_code == 500
    requests.get(sandbox.url + "/_sandbox/events", timeout=5)  # admin: not counted
    assert sandbox.request_count == 2


@pytest.mark.parametrize("path", [f"{V2026}/", f"{V2026_09}/"])
def test_date_versioned_list_paths_with_a_trailing_slash_are_404_like_hubspot(path):
    with Sandbox([make_event(1)]) as sb:
        response = call(sb, "GET", path)
    assert response.status_code == 404
    assert response.json()["category"] == "RESOURCE_NOT_FOUND"
