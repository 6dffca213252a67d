"""HubSpot's answer to the complete call read into the row's outcome
(hubspot/completing.py), as a table: a version read, a 200 without one (read the event
back), a 404 (this key's app did not create it), a refusal, an answer lost."""

from __future__ import annotations

import pytest

from eventsync.hubspot.completing import complete_body, read_complete
from eventsync.hubspot.transport import Reply
from eventsync.messages import localise
from eventsync.model import RowStatus

DONE = {"eventCompleted": True}
LATER = "2026-09-02T05:00:00.123Z"


@pytest.mark.parametrize(
    ("reply", "status", "said"),
    [
        (Reply(200, body={"objectId": "5", "updatedAt": LATER}), RowStatus.UPDATED, ""),
        (Reply(200, body={"objectId": "5"}), None, None),  # no version: read it back
        (Reply(200, body={"updatedAt": "yesterday"}), None, None),
        (
            Reply(404, body={"category": "OBJECT_NOT_FOUND"}),
            RowStatus.FAILED,
            "HubSpot no longer lets this key mark event 5 completed",
        ),
        (
            Reply(400, body={"category": "VALIDATION_ERROR", "message": "bad end"}),
            RowStatus.FAILED,
            "not completed: HubSpot refused it (HubSpot answered 400",
        ),
        (
            Reply(None, gave_up="no answer after 5 tries"),
            RowStatus.FAILED,
            "unclear whether HubSpot marked the event completed (no answer after 5 tries)",
        ),
        (Reply(503, body={}, gave_up="503 five times"), RowStatus.FAILED, "unclear whether"),
    ],
)
def test_a_complete_answer_is_read_for_the_row(reply, status, said):
    outcome = read_complete(reply, "5", DONE)
    if status is None:
        assert outcome is None
        return
    assert outcome is not None and outcome.status is status
    assert said in outcome.message
    if status is RowStatus.UPDATED:
        assert outcome.updated_at == LATER and dict(outcome.confirmed) == DONE
    else:
        assert outcome.updated_at is None and not outcome.confirmed
        assert localise(outcome.message, "ja") != outcome.message


def test_the_body_holds_both_dates_the_schema_requires():
    assert complete_body("a", "b") == {"startDateTime": "a", "endDateTime": "b"}
