"""The pure decisions behind which state a run uses (state/portal.py) and what HubSpot's
account details say (hubspot/account.py), as tables of every case."""

from __future__ import annotations

import pytest

from eventsync.hubspot.account import Lookup, account_answer
from eventsync.hubspot.transport import Reply
from eventsync.state.portal import Choice, decide_portal, same_events

# (remembered, token, lookup) -> choice
DECISIONS = [
    (True, True, None, Choice.REMEMBERED),
    (True, False, None, Choice.REMEMBERED),
    (False, False, None, Choice.LAST_USED),
    (False, True, Lookup.NAMED, Choice.ASKED),
    (False, True, Lookup.NOT_NAMED, Choice.ASKED),  # a key without the scope: fingerprint
    (False, True, Lookup.NO_ANSWER, Choice.STOP),  # never a new, empty state
]


@pytest.mark.parametrize(("remembered", "token", "lookup", "expected"), DECISIONS)
def test_where_the_portal_comes_from(remembered, token, lookup, expected):
    assert decide_portal(remembered=remembered, token=token, lookup=lookup) is expected


STORED = [("1", "2026-04-01T00:00:00Z"), ("2", "2026-04-02T00:00:00.500Z")]
# found: each sampled event's updatedAt in HubSpot now, None when HubSpot has no such event
SAME = {"1": "2026-04-01T00:00:00Z", "2": "2026-04-02T00:00:00.500Z"}
# (stored, found) -> the same portal?
SAMPLES = [
    (STORED, SAME, True),
    (STORED, {**SAME, "2": "2026-05-01T09:00:00+09:00"}, True),  # edited since
    (STORED, {**SAME, "2": None}, False),  # this key's portal has no such event
    (STORED, {"1": SAME["1"]}, False),
    (STORED, {**SAME, "1": "2026-03-31T23:59:59Z"}, False),  # older: not it
    (STORED, {**SAME, "1": "not-a-date"}, False),
    (STORED, {**SAME, "1": ""}, False),
    ([], {}, False),  # nothing to compare: never taken over
]


@pytest.mark.parametrize(("stored", "found", "expected"), SAMPLES)
def test_a_fingerprint_state_is_taken_over_only_when_hubspot_shows_its_events(
    stored, found, expected
):
    assert same_events(stored, found) is expected


# a reply -> (lookup, account)
ANSWERS = [
    (Reply(200, body={"portalId": 880001}), Lookup.NAMED, "880001"),
    (Reply(200, body={"portalId": "990002"}), Lookup.NAMED, "990002"),
    (Reply(200, body={"portalId": "88 0001"}), Lookup.NOT_NAMED, None),
    (Reply(200, body={"portalId": "８８"}), Lookup.NOT_NAMED, None),  # full-width digits
    (Reply(200, body={}), Lookup.NOT_NAMED, None),
    (Reply(403, body={"category": "MISSING_SCOPES"}), Lookup.NOT_NAMED, None),
    (Reply(401, body={"category": "INVALID_AUTHENTICATION"}), Lookup.NOT_NAMED, None),
    (Reply(404, body={}), Lookup.NOT_NAMED, None),
    (Reply(200, body=None), Lookup.NO_ANSWER, None),  # not JSON: a proxy's page
    (Reply(503, body={}, gave_up="HubSpot answered 503"), Lookup.NO_ANSWER, None),
    (Reply(None, error="timed out", gave_up="no answer"), Lookup.NO_ANSWER, None),
    (Reply(None, error="connection reset"), Lookup.NO_ANSWER, None),
]


@pytest.mark.parametrize(("reply", "lookup", "account"), ANSWERS)
def test_what_account_details_say(reply, lookup, account):
    answer = account_answer(reply)
    assert (answer.lookup, answer.account) == (lookup, account)
    # a refusal (401, 403) is said as one: `plan` names the scope the details need
    assert answer.refused == (reply.status if reply.status in (401, 403) else None)
    if lookup is Lookup.NO_ANSWER:
        assert answer.why
