"""The three-way rule for a participants row's state (pure, as a table), and what two-way
sync makes of a sheet's rows: what is taken from HubSpot, recorded, sent, or a conflict;
HubSpot's own word for each row; the contacts HubSpot has that the sheet lacks."""

from __future__ import annotations

import pytest

from eventsync.messages import localise
from eventsync.plan.participants import (
    BadRow,
    Item,
    Participation,
    Problem,
    Sent,
    plan_participants,
)
from eventsync.plan.participants_two_way import (
    Theirs,
    apply_two_way,
    decide_state,
    hubspot_states,
)
from eventsync.plan.three_way import Outcome
from eventsync.portal_model import PortalParticipant

NOW = "2026-04-07T00:00:00Z"


@pytest.mark.parametrize(
    ("base", "mine", "theirs", "outcome"),
    [
        # neither changed
        ("register", "register", "register", Outcome.UNCHANGED),
        # HubSpot changed, the row did not: HubSpot's comes into the row
        ("register", "register", "attend", Outcome.TAKE),
        ("register", "register", "cancel", Outcome.TAKE),
        ("attend", "attend", "register", Outcome.TAKE),
        # the row changed, HubSpot did not: sent
        ("register", "cancel", "register", Outcome.SEND),
        ("register", "attend", "register", Outcome.SEND),
        # both changed, differently: a conflict
        ("register", "attend", "cancel", Outcome.CONFLICT),
        ("attend", "cancel", "register", Outcome.CONFLICT),
        # both changed to the same: agreed (recorded, nothing sent)
        ("register", "cancel", "cancel", Outcome.AGREED),
        # never confirmed: the row's filled state goes out, unless HubSpot has it already
        (None, "attend", "register", Outcome.SEND),
        (None, "register", "register", Outcome.AGREED),
    ],
)
def test_the_rule_for_a_rows_state(base, mine, theirs, outcome):
    assert decide_state(base, mine, theirs) is outcome


@pytest.mark.parametrize(
    ("hubspot", "state", "word"),
    [
        ("REGISTERED", "register", "registered"),
        ("NO_SHOW", "register", "no_show"),
        ("ATTENDED", "attend", "attended"),
        ("CANCELLED", "cancel", "cancelled"),
    ],
)
def test_hubspots_states_as_rows_say_them(hubspot, state, word):
    found = hubspot_states([PortalParticipant("7001", " A@Example.com", "11", hubspot, None)])
    assert found == {("7001", "a@example.com"): Theirs(state, word, "11")}


def test_an_empty_state_is_none_at_all():
    assert hubspot_states([PortalParticipant("7001", "a@example.com", "11", "EMPTY", None)]) == {}


def row(number: int, email: str, state: str, event: str = "7001") -> Participation:
    return Participation(number, event, email, state, None)


def sent(state: str) -> Sent:
    return Sent(state, None, None, None, "11", "2026-04-01T00:00:00Z")


def test_a_sheet_under_two_way_sync():
    rows: list[Item] = [
        row(2, "same@example.com", "register"),
        row(3, "taken@example.com", "register"),
        row(4, "mine@example.com", "cancel"),
        row(5, "both@example.com", "attend"),
        row(6, "agreed@example.com", "cancel"),
        row(7, "gone@example.com", "attend"),  # HubSpot has no state for it
        BadRow(8, Problem.BAD_EMAIL, "bad"),
        row(9, "other@example.com", "attend", event="7002"),  # an event not read
    ]
    base = {
        ("7001", f"{name}@example.com"): sent("register")
        for name in ("same", "taken", "mine", "both", "agreed", "gone")
    }
    theirs = {
        ("7001", "same@example.com"): Theirs("register", "no_show", "11"),
        ("7001", "taken@example.com"): Theirs("attend", "attended", "11"),
        ("7001", "mine@example.com"): Theirs("register", "registered", "11"),
        ("7001", "both@example.com"): Theirs("cancel", "cancelled", "11"),
        ("7001", "agreed@example.com"): Theirs("cancel", "cancelled", "11"),
        ("7001", "extra@example.com"): Theirs("register", "registered", "12"),
        ("7001", "more@example.com"): Theirs("attend", "attended", "13"),
    }
    named = [r.key for r in rows if isinstance(r, Participation)]
    two = apply_two_way(rows, base, theirs, named=named, read=frozenset({"7001"}), sent_at=NOW)

    assert [r.row_number for r in two.taken] == [3]
    assert two.taken[0].state == "attend"
    assert [r.row_number for r in two.agreed] == [6]
    assert [(c.row_number, c.problem) for c in two.conflicts] == [(5, Problem.CONFLICT)]
    assert localise(two.conflicts[0].message, "en") == (
        "conflict: this row's state was changed to attend, and HubSpot's to cancel"
        " (cancelled), since the last sync; to keep HubSpot's, type cancel into the state"
        " cell; to send yours, run eventsync sync (without --two-way)"
    )
    assert dict(two.words) == {
        2: "no_show",
        3: "attended",
        4: "registered",
        5: "cancelled",
        6: "cancelled",
    }
    assert two.missing == 2  # extra@ and more@: not in the sheet, not added
    assert two.sent[("7001", "taken@example.com")].state == "attend"
    assert two.sent[("7001", "taken@example.com")].sent_at == NOW
    assert two.sent[("7001", "agreed@example.com")].state == "cancel"

    plan = plan_participants(two.items, two.sent, frozenset(), allow_create=True)
    # Only the row changed in the sheet alone goes out (and those HubSpot has no state
    # for, as without --two-way); taken and agreed rows stand; the conflict is not sent.
    assert [r.row_number for r in plan.to_send] == [4, 7, 9]
    assert [r.row_number for r, _ in plan.unchanged] == [2, 3, 6]
    assert [b.row_number for b in plan.bad] == [5, 8]


def test_a_contact_the_sheet_names_twice_is_not_missing():
    rows = [row(2, "a@example.com", "register"), row(3, "a@example.com", "attend")]
    theirs = {("7001", "a@example.com"): Theirs("register", "registered", "11")}
    named = [r.key for r in rows]
    flagged = [BadRow(2, Problem.DUPLICATE, "d"), BadRow(3, Problem.DUPLICATE, "d")]
    two = apply_two_way(flagged, {}, theirs, named=named, read=frozenset({"7001"}), sent_at=NOW)
    assert two.missing == 0
    assert two.items == tuple(flagged)
