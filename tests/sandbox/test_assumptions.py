"""Each undocumented assumption of docs/hubspot-api-assumptions.md, checked against the
sandbox: these fail if the client starts relying on something else."""

from __future__ import annotations

from helpers import TOKEN, FakeClock

from eventsync.config import Settings
from eventsync.hubspot.client import HubSpotClient
from eventsync.hubspot.payload import batch_body
from eventsync.hubspot.retry import RetryPolicy
from eventsync.model import FieldChange, FieldValue, PlannedUpdate, RowStatus
from eventsync.sandbox.server import Sandbox, make_event

ID = "7001"


def make_client(sandbox: Sandbox, clock: FakeClock | None = None) -> HubSpotClient:
    clock = clock or FakeClock()
    settings = Settings(base_url=sandbox.url, token=TOKEN)
    return HubSpotClient(settings, sleep=clock.sleep, clock=clock, policy=RetryPolicy(jitter=0))


def change(field: str, new: FieldValue, object_id: str = ID) -> PlannedUpdate:
    return PlannedUpdate(2, object_id, (FieldChange(field, None, new),))


def test_retry_after_is_read_as_seconds():
    clock = FakeClock()
    with Sandbox([make_event(ID)], token=TOKEN) as sb:
        sb.script_fault(1, status=429, headers={"Retry-After": "7"})
        result = make_client(sb, clock).batch_update([change("eventName", "A")])
    assert result.outcomes[0].status is RowStatus.UPDATED
    assert clock.now >= 7 and clock.now < 8  # seven seconds, not 7 ms nor 7 minutes


def test_a_deleted_event_reads_as_404_and_counts_as_gone():
    with Sandbox([make_event(ID)], token=TOKEN) as sb:
        sb.delete_event(ID)
        assert make_client(sb).get_event(ID) is None
        assert sb.requests[-1].status == 404


def test_an_empty_string_clears_a_text_field():
    assert batch_body([change("eventDescription", "")])["inputs"][0]["eventDescription"] == ""
    with Sandbox([make_event(ID)], token=TOKEN) as sb:
        make_client(sb).batch_update([change("eventDescription", "")])
        assert sb.events[ID]["eventDescription"] == ""


def test_fields_left_out_stay_unchanged():
    assert set(batch_body([change("eventName", "A")])["inputs"][0]) == {"objectId", "eventName"}
    with Sandbox([make_event(ID, eventUrl="https://x.example/1")], token=TOKEN) as sb:
        make_client(sb).batch_update([change("eventName", "A")])
        assert sb.events[ID]["eventUrl"] == "https://x.example/1"


def test_a_result_with_only_object_id_and_updated_at_confirms_the_row():
    body = {
        "status": "COMPLETE",
        "results": [{"objectId": ID, "updatedAt": "2024-05-22T00:00:00Z"}],
    }
    with Sandbox([make_event(ID)], token=TOKEN) as sb:
        sb.script_fault(1, status=200, body=body)
        result = make_client(sb).batch_update([change("eventName", "A")])
    assert result.outcomes[0].status is RowStatus.UPDATED


def test_custom_properties_not_echoed_are_not_failures():
    with Sandbox(
        [make_event(ID)], token=TOKEN, custom_properties=["region"], echo_custom_properties=False
    ) as sb:
        result = make_client(sb).batch_update([change("custom:region", "EMEA")])
    assert result.outcomes[0].status is RowStatus.UPDATED


def test_batches_never_exceed_100_inputs():
    from eventsync.config import BATCH_LIMIT

    assert BATCH_LIMIT == 100
    ids = [str(7100 + n) for n in range(101)]
    with Sandbox([make_event(i) for i in ids], token=TOKEN) as sb:
        answer = make_client(sb).batch_update([change("eventName", "A", i) for i in ids[:100]])
        assert all(o.status is RowStatus.UPDATED for o in answer.outcomes)


def test_a_pending_answer_without_results_confirms_nothing():
    with Sandbox([make_event(ID)], token=TOKEN) as sb:
        sb.script_fault(1, status=200, body={"status": "PENDING", "results": []})
        result = make_client(sb).batch_update([change("eventName", "A")])
    assert result.outcomes[0].status is RowStatus.FAILED
    assert "run eventsync sync again" in result.outcomes[0].message


def test_missing_rate_limit_headers_are_fine():
    # No limits (the sandbox has HubSpot's by default): no X-HubSpot-RateLimit-* headers.
    with Sandbox([make_event(ID)], token=TOKEN, rate_limit=None, daily_limit=None) as sb:
        result = make_client(sb).batch_update([change("eventName", "A")])
        assert not [r for r in sb.requests if r.status != 200]
    assert result.outcomes[0].status is RowStatus.UPDATED
