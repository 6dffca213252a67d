"""Which event a participants row names (plan/participant_events.py): the decision as a
table of every combination of objectId, externalEventId and what is known of the id;
then the rows it makes, and the state's creates and HubSpot's answer read."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from eventsync.model import CreateRecord
from eventsync.plan.participant_events import (
    Decision,
    Known,
    Lookup,
    Verdict,
    decide_event,
    from_creates,
    from_hubspot,
    ids_to_ask,
    named_by_external_id,
    resolve_events,
)
from eventsync.plan.participants import (
    BadRow,
    Hold,
    Participation,
    Problem,
    Sent,
    flag_duplicates,
    plan_participants,
    read_row,
)

TOKYO = ZoneInfo("Asia/Tokyo")
EXT = "es-0123456789abcdef"
EVENT = Lookup(Known.EVENT, "7001")
NOT_CREATED = Lookup(Known.NOT_CREATED)
NONE = Lookup(Known.NONE)
UNREAD = Lookup(Known.UNREAD, why="HubSpot answered 503")


@pytest.mark.parametrize(
    ("object_id", "external_id", "lookup", "decision"),
    [
        # objectId alone: the event, whatever is known of ids
        ("7001", None, None, Decision(Verdict.SEND_TO, "7001")),
        # externalEventId alone
        ("", EXT, EVENT, Decision(Verdict.SEND_TO, "7001")),
        ("", EXT, NOT_CREATED, Decision(Verdict.PENDING)),
        ("", EXT, NONE, Decision(Verdict.NOT_FOUND)),
        ("", EXT, UNREAD, Decision(Verdict.UNREAD)),
        ("", EXT, None, Decision(Verdict.UNREAD)),  # (never asked: nothing known)
        # both: the same event, or a problem
        ("7001", EXT, EVENT, Decision(Verdict.SEND_TO, "7001")),
        ("7002", EXT, EVENT, Decision(Verdict.MISMATCH, "7001")),
        ("7001", EXT, NOT_CREATED, Decision(Verdict.MISMATCH)),
        ("7001", EXT, NONE, Decision(Verdict.MISMATCH)),
        ("7001", EXT, UNREAD, Decision(Verdict.UNREAD)),
    ],
)
def test_decide_event(object_id, external_id, lookup, decision):
    assert decide_event(object_id, external_id, lookup) == decision


def row(number: int, email: str, object_id: str = "", external_id: str | None = EXT):
    return Participation(number, object_id, email, "register", None, external_id=external_id)


def test_rows_get_their_events_object_id_or_their_problem():
    items = [
        row(2, "a@example.com"),  # known: 7001
        row(3, "b@example.com", external_id="es-new"),  # not created yet
        row(4, "c@example.com", external_id="es-typo"),  # nobody has it
        row(5, "d@example.com", "7002"),  # both, and they differ
        row(6, "e@example.com", external_id="es-unread"),
        row(7, "f@example.com", "7001"),  # both, the same event
        row(8, "g@example.com", "7003", None),  # objectId alone
    ]
    known = {EXT: EVENT, "es-new": NOT_CREATED, "es-typo": NONE, "es-unread": UNREAD}
    got = resolve_events(items, known)
    assert got[0] == row(2, "a@example.com", "7001")  # named by its id: kept to say so
    assert got[1] == items[1]  # waits for its event, object_id ""
    assert [(g.row_number, g.problem) for g in got if isinstance(g, BadRow)] == [
        (4, Problem.UNKNOWN_EXTERNAL_ID),
        (5, Problem.EVENT_MISMATCH),
        (6, Problem.EVENT_UNREAD),
    ]
    assert got[5] == row(7, "f@example.com", "7001", None)  # by its objectId
    assert got[6] is items[6]
    by_row = {g.row_number: g.message for g in got if isinstance(g, BadRow)}
    assert by_row[4].startswith('no event in HubSpot has externalEventId "es-typo"')
    assert "(that id is event 7001)" in by_row[5]
    assert "HubSpot answered 503" in by_row[6]


def test_the_same_person_named_by_both_ids_of_one_event_is_a_duplicate():
    items = resolve_events(
        [row(2, "a@example.com"), row(3, "a@example.com", "7001", None)], {EXT: EVENT}
    )
    assert [type(i) for i in flag_duplicates(items)] == [BadRow, BadRow]


def test_a_row_switched_to_the_object_id_is_the_same_participation():
    """Participations are keyed by objectId: named either way, one row is unchanged."""
    sent = {("7001", "a@example.com"): Sent("register", None, None, None, "1", "2026-05-01")}
    for item in (row(2, "a@example.com"), row(2, "a@example.com", "7001", None)):
        (resolved,) = resolve_events([item], {EXT: EVENT})
        plan = plan_participants([resolved], sent, frozenset(), allow_create=False)
        assert len(plan.unchanged) == 1 and not plan.to_send


def test_a_row_whose_event_is_not_created_yet_is_held_and_named_by_its_id():
    items = resolve_events([row(2, "a@example.com"), row(3, "b@example.com")], {EXT: NOT_CREATED})
    plan = plan_participants(items, {}, frozenset(["a@example.com"]), allow_create=True)
    assert [hold for _, hold in plan.held] == [Hold.EVENT_PENDING] * 2
    assert not plan.to_send and named_by_external_id(plan) == {EXT: EXT}


def test_read_row_takes_the_external_id_when_the_object_id_is_empty():
    cells = {"email": "a@example.com", "state": "register", "externalEventId": f" {EXT} "}
    found = read_row(2, cells, TOKYO)
    assert isinstance(found, Participation)
    assert (found.object_id, found.external_id) == ("", EXT)
    neither = read_row(3, {"email": "a@example.com", "state": "register"}, TOKYO)
    assert isinstance(neither, BadRow) and neither.problem is Problem.NO_EVENT


def test_the_states_creates_and_hubspots_answer_as_lookups():
    made = CreateRecord(EXT, "eventsync-880001", "events.csv", 2, {}, "t", "7001")
    written = CreateRecord("es-new", "eventsync-880001", "events.csv", 3, {})
    assert from_creates({EXT: made, "es-new": written}) == {EXT: EVENT, "es-new": NOT_CREATED}
    assert from_hubspot(["7001"]) == EVENT and from_hubspot([]) == NONE


def test_each_unknown_id_is_asked_once_in_order():
    items = [row(2, "a@example.com", external_id="es-b"), row(3, "b@example.com", "7001", None)]
    items += [row(4, "c@example.com", external_id="es-a"), row(5, "d@example.com")]
    items += [row(6, "e@example.com", external_id="es-b")]
    assert ids_to_ask(items, {EXT: EVENT}) == ["es-b", "es-a"]
