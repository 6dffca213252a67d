"""The HubSpot client over real HTTP against the sandbox (127.0.0.1, port 0), time
injected: each batch comes back as one outcome per row matched by objectId, a stop, or
both; reads follow paging and name the scope they need. `read_batch_answer` is also
tested on its own with hand-written 207 bodies."""

from __future__ import annotations

import dataclasses
import json
import re
import uuid

import pytest
from helpers import DAILY_429, DAILY_STOP, FakeClock

from eventsync.config import Settings
from eventsync.errors import AuthError, EventsyncError, ExitCode
from eventsync.hubspot.answers import NO_RESULT, read_batch_answer
from eventsync.hubspot.client import READ_SCOPE, WRITE_SCOPE, BatchResult, HubSpotClient
from eventsync.hubspot.retry import RetryPolicy
from eventsync.model import FieldChange, PlannedUpdate, RowOutcome, RowStatus
from eventsync.sandbox.server import Sandbox, make_event

# Unique per run, so a hit can only come from this run's requests.
CANARY = f"pat-client-canary-{uuid.uuid4().hex}"
IDS = [str(n) for n in range(7_300_001, 7_300_009)]  # 8 events


@pytest.fixture
def sandbox():
    with Sandbox([make_event(i) for i in IDS], token=CANARY) as server:
        yield server


class Recorder:
    """What the client tells the outside world: stderr notes and run-log entries."""

    def __init__(self):
        self.notes: list[str] = []
        self.entries: list[dict] = []


def make_client(sandbox, recorder=None, *, token=CANARY, retries=2, clock=None, **settings):
    recorder = recorder or Recorder()
    clock = clock or FakeClock()
    return HubSpotClient(
        Settings(base_url=sandbox.url, token=token, max_retries=retries, **settings),
        sleep=clock.sleep,
        clock=clock,
        notify=recorder.notes.append,
        log_request=recorder.entries.append,
        policy=RetryPolicy(max_retries=retries),
    )


def rename(*ids: str, name: str = "Renamed") -> list[PlannedUpdate]:
    return [
        PlannedUpdate(n + 2, i, (FieldChange("eventName", f"Event {i}", f"{name} {i}"),))
        for n, i in enumerate(ids)
    ]


def by_id(result: BatchResult) -> dict[str, RowOutcome]:
    ids = [o.object_id for o in result.outcomes]
    assert len(ids) == len(set(ids)), ids  # one outcome per row, never two
    return {o.object_id: o for o in result.outcomes}


def statuses(sandbox) -> list[int | None]:
    return [r.status for r in sandbox.requests]


def confirmed_by_hubspot(sandbox) -> list[str]:
    """objectIds of every batch HubSpot applied (answered 200), in order, repeats kept."""
    return [
        i["objectId"]
        for r in sandbox.batch_update_requests()
        if r.status == 200
        for i in r.body["inputs"]
    ]


# -- batch update -------------------------------------------------------------------------


def test_each_row_is_matched_by_object_id_and_gets_hubspots_updated_at(sandbox):
    """The sandbox answers results in reverse order: matching by position would swap
    every row's updatedAt. An id HubSpot does not know gets a 207 error of its own (v3:
    under 2026-09 a 200, tests/hubspot/test_api_versions.py)."""
    unknown = "7399999"
    updates = rename(*IDS[:3], unknown)
    result = make_client(sandbox, api_version="v3").batch_update(updates)
    assert result.stop is None
    outcomes = by_id(result)
    assert set(outcomes) == {*IDS[:3], unknown}
    events = sandbox.events
    stamps = set()
    for object_id in IDS[:3]:
        outcome = outcomes[object_id]
        assert outcome.status is RowStatus.UPDATED and outcome.message == ""
        assert outcome.updated_at == events[object_id]["updatedAt"]
        assert dict(outcome.confirmed) == {"eventName": f"Renamed {object_id}"}
        assert events[object_id]["eventName"] == f"Renamed {object_id}"
        stamps.add(outcome.updated_at)
    assert len(stamps) == 3  # distinct stamps, so a mix-up could not go unnoticed
    failed = outcomes[unknown]
    assert failed.status is RowStatus.FAILED and failed.updated_at is None
    assert failed.message == f"HubSpot: OBJECT_NOT_FOUND: Marketing event {unknown} does not exist"
    assert statuses(sandbox) == [207]


def test_a_batch_rejected_for_one_bad_row_is_split_and_every_good_row_is_updated(sandbox):
    """However the client narrows it down, the good rows are applied once each and
    get HubSpot's updatedAt; the bad row gets HubSpot's message and is never applied."""
    sandbox.configure(reject_marker="REJECT-ME")
    updates = rename(*IDS[:6])
    updates[3] = rename(IDS[3], name="REJECT-ME")[0]
    result = make_client(sandbox).batch_update(updates)
    assert result.stop is None
    outcomes = by_id(result)
    assert [o.object_id for o in result.outcomes] == IDS[:6]  # in the order sent
    good = [i for i in IDS[:6] if i != IDS[3]]
    for object_id in good:
        assert outcomes[object_id].status is RowStatus.UPDATED, outcomes[object_id]
        assert outcomes[object_id].updated_at == sandbox.events[object_id]["updatedAt"]
    bad = outcomes[IDS[3]]
    assert bad.status is RowStatus.FAILED and bad.updated_at is None
    assert bad.message.startswith("HubSpot answered 400 (category VALIDATION_ERROR, correlationId ")
    assert "eventName: contains the rejected value 'REJECT-ME'" in bad.message
    assert sandbox.events[IDS[3]]["eventName"] == f"Event {IDS[3]}"  # HubSpot kept its value
    assert sorted(confirmed_by_hubspot(sandbox)) == sorted(good)  # each applied exactly once
    assert statuses(sandbox)[0] == 400


def test_a_refused_token_stops_with_exit_code_3_and_no_outcomes(sandbox):
    wrong = f"pat-wrong-canary-{uuid.uuid4().hex}"
    recorder = Recorder()
    result = make_client(sandbox, recorder, token=wrong).batch_update(rename(*IDS[:3]))
    assert result.outcomes == ()
    assert (
        result.stop is not None
        and result.stop.exit_code is ExitCode.REFUSED
        and ExitCode.REFUSED.value == 3
    )
    assert result.stop.message.startswith(
        "HubSpot refused the access token (401 INVALID_AUTHENTICATION)."
    )
    assert "HUBSPOT_ACCESS_TOKEN" in result.stop.message
    assert result.stop.row_message == f"not sent: {result.stop.message}"
    assert sandbox.request_count == 1 and recorder.notes == []  # never retried
    assert wrong not in json.dumps([dataclasses.asdict(result.stop), recorder.entries])


def test_the_daily_limit_stops_with_exit_code_1_and_rows_say_not_sent(sandbox):
    sandbox.configure(daily_limit=0)
    recorder = Recorder()
    result = make_client(sandbox, recorder).batch_update(rename(*IDS[:3]))
    assert result.outcomes == ()
    assert (
        result.stop is not None
        and result.stop.exit_code is ExitCode.ROWS_FAILED
        and ExitCode.ROWS_FAILED.value == 1
    )
    assert result.stop.row_message == DAILY_STOP
    assert result.stop.message.startswith("HubSpot's daily API limit is reached; nothing more")
    assert statuses(sandbox) == [429] and recorder.notes == []  # retrying would only add errors
    assert recorder.entries[0]["decision"] == "stop_daily"


def test_a_stop_in_the_second_half_of_a_split_keeps_the_first_halfs_confirmed_rows(sandbox):
    """A 400 that names no row makes the client narrow the batch down; HubSpot applies
    the first part, then the daily limit strikes. The applied rows must be reported, or
    the snapshot would miss them and the next run would send them again."""
    sandbox.script_fault(1, status=400)  # HubSpot's error body names no row
    sandbox.script_fault(3, **DAILY_429)
    result = make_client(sandbox).batch_update(rename(*IDS[:4]))
    assert statuses(sandbox) == [400, 200, 429]  # nothing after the stop
    assert result.stop is not None and result.stop.row_message == DAILY_STOP
    applied = confirmed_by_hubspot(sandbox)
    assert applied  # the first part went through
    outcomes = by_id(result)
    assert sorted(outcomes) == sorted(applied)
    for object_id in applied:
        assert outcomes[object_id].status is RowStatus.UPDATED
        assert outcomes[object_id].updated_at == sandbox.events[object_id]["updatedAt"]


def test_a_stop_in_the_first_half_of_a_split_sends_nothing_more(sandbox):
    sandbox.script_fault(1, status=400)
    sandbox.script_fault(2, **DAILY_429)
    result = make_client(sandbox).batch_update(rename(*IDS[:4]))
    assert statuses(sandbox) == [400, 429]
    assert result.outcomes == () and result.stop is not None
    assert result.stop.exit_code == ExitCode.ROWS_FAILED


def test_a_batch_that_keeps_failing_gives_up_naming_the_status_and_the_run_goes_on(sandbox):
    """Waits are slept on the injected clock: three tries, no real waiting."""
    for n in (1, 2, 3):
        sandbox.script_fault(n, status=503)
    recorder, clock = Recorder(), FakeClock()
    result = make_client(sandbox, recorder, retries=2, clock=clock).batch_update(rename(*IDS[:2]))
    assert result.stop is None
    assert statuses(sandbox) == [503, 503, 503]
    [last] = [e["correlationId"] for e in recorder.entries][-1:]
    for outcome in result.outcomes:
        assert outcome.status is RowStatus.FAILED
        assert outcome.message == (
            f"HubSpot answered 503 (category INTERNAL_ERROR, correlationId {last}):"
            " Service Unavailable (scripted sandbox fault); gave up after 3 tries;"
            " not synced (run eventsync sync again)"
        )
    assert [o.object_id for o in result.outcomes] == IDS[:2]
    assert [n.rpartition("(")[2] for n in recorder.notes] == ["retry 1 of 2)", "retry 2 of 2)"]
    assert clock.now > 0  # the waits happened, on the fake clock


def test_a_dropped_connection_is_retried_and_the_batch_then_syncs(sandbox):
    sandbox.script_fault(1, drop=True)
    recorder = Recorder()
    result = make_client(sandbox, recorder).batch_update(rename(IDS[0]))
    assert [o.status for o in result.outcomes] == [RowStatus.UPDATED]
    assert statuses(sandbox) == [None, 200]
    assert recorder.notes[0].startswith(
        "no answer from HubSpot (the connection was dropped); waiting "
    )


# -- reads ----------------------------------------------------------------------------------


def test_get_event_returns_the_event_or_none_when_hubspot_no_longer_has_it(sandbox):
    client = make_client(sandbox)
    event = client.get_event(IDS[0])
    assert event is not None and event.object_id == IDS[0]
    assert event.fields["eventName"] == f"Event {IDS[0]}"
    sandbox.delete_event(IDS[1])
    assert client.get_event(IDS[1]) is None
    assert statuses(sandbox) == [200, 404]


def test_list_events_follows_paging_to_the_last_page(sandbox):
    client = make_client(sandbox)
    seen_pages: list[object] = []
    events = list(client.list_events(page_size=3, on_page=seen_pages.append))
    assert [e.object_id for e in events] == IDS
    assert seen_pages == [3, 3, 2]
    queries = [r.query for r in sandbox.requests]
    assert queries == [
        {"limit": "3"},
        {"limit": "3", "after": IDS[2]},
        {"limit": "3", "after": IDS[5]},
    ]


@pytest.mark.parametrize("read", ["get", "list"])
def test_a_403_on_a_read_names_the_read_scope(sandbox, read):
    sandbox.script_fault(1, status=403)  # HubSpot's body names no scope
    client = make_client(sandbox)
    with pytest.raises(AuthError) as refused:
        if read == "get":
            client.get_event(IDS[0])
        else:
            list(client.list_events())
    message = str(refused.value)
    assert refused.value.exit_code == ExitCode.REFUSED
    assert re.search(rf"token in HUBSPOT_ACCESS_TOKEN lacks the scope {READ_SCOPE}\. ", message)
    assert sandbox.request_count == 1


@pytest.mark.parametrize("named_by", ["client", "hubspot"])
def test_a_403_on_the_batch_update_names_the_write_scope(sandbox, named_by):
    if named_by == "client":
        sandbox.script_fault(1, status=403)  # no scope in the body: the client names it
    else:
        sandbox.configure(missing_scopes=True)  # HubSpot's body lists requiredScopes
    result = make_client(sandbox).batch_update(rename(IDS[0]))
    assert result.outcomes == ()
    assert result.stop is not None and result.stop.exit_code == ExitCode.REFUSED
    message = result.stop.message
    assert re.search(rf"token in HUBSPOT_ACCESS_TOKEN lacks the scope {WRITE_SCOPE}\. ", message)
    assert result.stop.row_message == f"not sent: {message}"


# -- the token canary -------------------------------------------------------------------


def test_the_token_reaches_no_message_stop_outcome_or_log_entry(sandbox):
    """Every path that produces text: retries, give-up, split, per-row errors, stops
    (auth, daily, long wait), failed reads. None may carry the token."""
    sandbox.configure(reject_marker="REJECT-ME")
    recorder = Recorder()
    client = make_client(sandbox, recorder, retries=1)
    texts: list[object] = []

    def batch(updates):
        result = client.batch_update(updates)
        texts.append(repr(result))
        texts.extend(o.message for o in result.outcomes)
        if result.stop:
            texts.extend([result.stop.message, result.stop.row_message])

    sandbox.script_fault(1, status=503)
    sandbox.script_fault(2, drop=True)
    batch(rename(IDS[0]))  # gives up after 2 tries
    batch([*rename(IDS[1]), *rename(IDS[2], name="REJECT-ME"), *rename("7399999")])
    sandbox.script_fault(sandbox.request_count + 1, status=477, headers={"Retry-After": "3600"})
    batch(rename(IDS[3]))  # a wait too long
    sandbox.script_fault(sandbox.request_count + 1, status=401)
    batch(rename(IDS[4]))
    sandbox.script_fault(sandbox.request_count + 1, status=403)
    batch(rename(IDS[5]))
    for faults in ([401], [403], [500, 500]):  # two 500s: the read gives up
        for n, status in enumerate(faults, sandbox.request_count + 1):
            sandbox.script_fault(n, status=status)
        with pytest.raises(EventsyncError) as failed:
            client.get_event(IDS[6])
        texts.extend([repr(failed.value), str(failed.value)])
    sandbox.configure(daily_limit=0)
    batch(rename(IDS[7]))

    everything = json.dumps([texts, recorder.notes, recorder.entries], default=str)
    assert "HubSpot refused the access token" in everything  # the paths really ran
    assert "daily API limit" in everything and "lacks the scope" in everything
    assert "could not read event" in everything and "wait 3600 s" in everything
    assert CANARY not in everything
    secret = CANARY.rpartition("-")[2]
    pieces = {secret[i : i + 12] for i in range(len(secret) - 11)}
    assert not [p for p in pieces if p in everything]  # not even a piece of it


# -- read_batch_answer: hand-written 207 bodies --------------------------------------------


def update(object_id: str, **values) -> PlannedUpdate:
    changes = tuple(FieldChange(k.replace("__", ":"), None, v) for k, v in values.items())
    return PlannedUpdate(2, object_id, changes or (FieldChange("eventName", None, "x"),))


def result_for(object_id, updated_at="2026-05-01T10:00:00.000Z", **extra) -> dict:
    return {"objectId": object_id, "updatedAt": updated_at, **extra}


def answer(updates, body, properties=None, correlation_id=None):
    """The portal's properties are asked for only when needed: count the asks."""
    asked = []

    def read_properties():
        asked.append(True)
        return properties

    outcomes = read_batch_answer(
        updates, body, properties=read_properties, correlation_id=correlation_id
    )
    return outcomes, len(asked)


def test_an_error_naming_ids_in_its_context_fails_exactly_those_rows():
    updates = [update("1"), update("2"), update("3")]
    body = {
        "results": [result_for("3", "2026-05-01T10:00:03.000Z"), result_for("1")],
        "errors": [
            {
                "status": "error",
                "category": "OBJECT_NOT_FOUND",
                "message": "Marketing event 2 does not exist",
                "context": {"ids": ["2"]},
            }
        ],
    }
    outcomes, _ = answer(updates, body)
    assert [(o.object_id, o.status, o.updated_at) for o in outcomes] == [
        ("1", RowStatus.UPDATED, "2026-05-01T10:00:00.000Z"),
        ("2", RowStatus.FAILED, None),
        ("3", RowStatus.UPDATED, "2026-05-01T10:00:03.000Z"),
    ]
    assert outcomes[1].message == "HubSpot: OBJECT_NOT_FOUND: Marketing event 2 does not exist"


def test_an_error_naming_its_row_by_id_fails_that_row():
    body = {
        "results": [result_for("10")],
        "errors": [{"message": "eventUrl is not a URL", "id": 11}],  # a number, as sent
    }
    outcomes, _ = answer([update("10"), update("11")], body)
    assert [(o.object_id, o.status) for o in outcomes] == [
        ("10", RowStatus.UPDATED),
        ("11", RowStatus.FAILED),
    ]
    assert outcomes[1].message == "HubSpot: eventUrl is not a URL"


def test_an_error_wins_over_a_result_for_the_same_row():
    body = {
        "results": [result_for("5")],
        "errors": [{"category": "VALIDATION_ERROR", "context": {"objectId": ["5"]}}],
    }
    [outcome], _ = answer([update("5")], body)
    assert outcome.status is RowStatus.FAILED
    assert outcome.message == "HubSpot: VALIDATION_ERROR"


def test_a_result_without_updated_at_or_no_result_at_all_is_failed_no_result():
    body = {"results": [{"objectId": "7"}, result_for("8", updated_at="")]}
    outcomes, _ = answer([update("7"), update("8"), update("9")], body)
    assert [(o.object_id, o.status, o.message) for o in outcomes] == [
        ("7", RowStatus.FAILED, NO_RESULT),
        ("8", RowStatus.FAILED, NO_RESULT),
        ("9", RowStatus.FAILED, NO_RESULT),
    ]
    assert "run eventsync sync again" in NO_RESULT


def test_an_error_naming_no_row_goes_to_the_rows_without_a_result():
    body = {
        "results": [result_for("1")],
        "errors": [{"category": "VALIDATION_ERROR", "message": "something was wrong"}],
    }
    outcomes, _ = answer([update("1"), update("2")], body, correlation_id="c0ffee-7")
    assert outcomes[0].status is RowStatus.UPDATED
    assert outcomes[1].status is RowStatus.FAILED
    assert outcomes[1].message.startswith(
        "HubSpot: VALIDATION_ERROR: something was wrong (correlationId c0ffee-7);"
    )


def test_results_and_errors_for_rows_not_sent_are_ignored():
    body = {
        "results": [result_for("1"), result_for("99")],
        "errors": [{"message": "nope", "context": {"ids": ["98"]}}],
    }
    outcomes, _ = answer([update("1")], body)
    assert [(o.object_id, o.status) for o in outcomes] == [("1", RowStatus.UPDATED)]


def test_a_custom_property_the_portal_does_not_define_fails_the_row_but_counts_as_sent():
    sent = update("4", eventName="Expo", custom__region="EMEA")
    body = {"results": [result_for("4", customProperties=[])]}  # HubSpot did not echo it
    [outcome], asked = answer([sent], body, properties={"venue": "string"})
    assert asked == 1
    assert outcome.status is RowStatus.FAILED
    assert outcome.message.startswith("HubSpot has no custom property region on marketing events")
    assert outcome.updated_at == "2026-05-01T10:00:00.000Z"  # the rest of the row was applied
    assert dict(outcome.confirmed) == {"eventName": "Expo", "custom:region": "EMEA"}


def test_a_custom_property_is_updated_when_echoed_or_defined_or_the_list_is_unknown():
    sent = update("4", custom__region="EMEA")
    echoed = {"results": [result_for("4", customProperties=[{"name": "region", "value": "EMEA"}])]}
    bare = {"results": [result_for("4")]}
    for body, properties, asks in (
        (echoed, {}, 0),  # echoed as sent: the portal's list is not even read
        (bare, {"region": "string"}, 1),
        (bare, None, 1),  # the list could not be read: never report it missing
    ):
        [outcome], asked = answer([sent], body, properties=properties)
        assert outcome.status is RowStatus.UPDATED, (body, properties)
        assert asked == asks
