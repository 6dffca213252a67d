"""Issue 20, case 7: `plan` says a refused token, a missing scope or an unreachable
HubSpot plainly, with its exit code, even when the sheet holds nothing to send (then
the run itself reads nothing from HubSpot: `plan` asks once, for one event)."""

from __future__ import annotations

import json
import uuid

import pytest
from helpers import TOKEN, all_files_text

from eventsync.hubspot.answers import READ_SCOPE
from eventsync.sandbox.replies import missing_scopes_reply


@pytest.fixture
def unchanged(workspace):
    """A workbook (with a custom property column) synced, so nothing is left to send.
    Synced twice: from the second run on, the token's portal is remembered in the state
    database, and no run asks HubSpot for the account details (the read that used to
    be the only one to meet a refused token)."""
    workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    assert workspace.run("sync").code == 0
    again = workspace.run("plan")
    assert again.code == 0 and "0 to send, 20 unchanged" in again.out
    return workspace


def test_a_wrong_token_is_refused_with_exit_3(unchanged):
    wrong = f"pat-wrong-canary-{uuid.uuid4().hex}"
    result = unchanged.run("plan", HUBSPOT_ACCESS_TOKEN=wrong)
    assert result.code == 3, result.out + result.err
    assert "eventsync: HubSpot refused the access token (401 INVALID_AUTHENTICATION)" in result.err
    assert "HUBSPOT_ACCESS_TOKEN" in result.err
    assert wrong not in result.out + result.err + all_files_text(unchanged.root)


def test_a_token_hubspot_stopped_accepting_is_refused_with_exit_3(unchanged):
    # The same token as the last sync (its portal remembered, so no account lookup):
    # revoked in HubSpot since, or rotated by an admin.
    unchanged.sandbox.configure(token=f"pat-rotated-{uuid.uuid4().hex}")
    sent_before = len(unchanged.sandbox.batch_update_requests())
    result = unchanged.run("plan")
    assert result.code == 3, result.out + result.err
    assert "eventsync: HubSpot refused the access token (401 INVALID_AUTHENTICATION)" in result.err
    assert "could not be read" not in result.out + result.err
    assert TOKEN not in result.out + result.err
    assert len(unchanged.sandbox.batch_update_requests()) == sent_before  # plan only reads


def test_a_missing_read_scope_is_named_with_exit_3(unchanged):
    body = missing_scopes_reply("c0ffee-403", [READ_SCOPE]).body
    unchanged.sandbox.script_fault(unchanged.sandbox.request_count + 1, status=403, body=body)
    result = unchanged.run("plan")
    assert result.code == 3, result.out + result.err
    assert READ_SCOPE in result.err and "403" in result.err


def test_an_unreachable_hubspot_is_said_with_exit_1(unchanged):
    unchanged.sandbox.stop()  # the port now refuses connections
    result = unchanged.run("plan", EVENTSYNC_MAX_RETRIES="0")
    assert result.code == 1, result.out + result.err
    assert "HubSpot could not be read:" in result.out
    assert "no answer from HubSpot" in result.out
    as_json = unchanged.run("plan", "--json", EVENTSYNC_MAX_RETRIES="0")
    assert as_json.code == 1
    document = json.loads(as_json.out)
    assert document["exitCode"] == 1 and "no answer from HubSpot" in document["message"]


def test_a_hubspot_failing_to_answer_is_said_once_with_exit_1(unchanged):
    before = unchanged.sandbox.request_count
    unchanged.sandbox.script_fault(before + 1, status=503)
    result = unchanged.run("plan", EVENTSYNC_MAX_RETRIES="0")
    assert result.code == 1, result.out + result.err
    assert "HubSpot could not be read: could not list HubSpot's events:" in result.out
    assert "503" in result.out
    # One request: after a read that failed, plan does not ask again (for the custom
    # properties), which would make the user wait through the retries twice.
    assert unchanged.sandbox.request_count == before + 1


def test_plan_with_a_working_token_and_nothing_to_send_reads_one_event(unchanged):
    before = unchanged.sandbox.request_count
    result = unchanged.run("plan")
    assert result.code == 0, result.out + result.err
    reads = [(r.method, r.query.get("limit")) for r in unchanged.sandbox.requests[before:]]
    assert ("GET", "1") in reads
    assert all(method == "GET" for method, _ in reads)
