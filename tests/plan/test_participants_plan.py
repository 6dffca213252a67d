"""The pure decisions of participants sheets: emails normalised and matched, each row read
or refused with its reason, the same person twice for one event, which rows are sent
(changed, contact known or creation allowed) and how they are batched."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventsync.plan.participants import (
    ATTENDANCE_LIMIT,
    STATES,
    BadRow,
    Hold,
    Participation,
    Problem,
    Sent,
    attendance_batches,
    changed_emails,
    counts_per_event,
    email_key,
    flag_duplicates,
    is_email,
    normalise_email,
    plan_participants,
    read_row,
)

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("taro@example.com", "taro@example.com"),
        (" Taro@Example.COM ", "taro@example.com"),
        ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ", "taro@example.com"),
        ("taro @ example.com", "taro@example.com"),
        ("taro\u3000@example.com", "taro@example.com"),  # an ideographic space
        ("\ttaro@example.com\n", "taro@example.com"),
    ],
)
def test_emails_are_normalised_as_sent(typed, sent):
    assert normalise_email(typed) == sent
    assert is_email(sent)


@pytest.mark.parametrize(
    "typed", ["taro", "taro@", "@example.com", "taro@example", "太郎@example.com", "a@b@c.com"]
)
def test_addresses_hubspot_would_refuse_are_not_emails(typed):
    assert not is_email(normalise_email(typed))


def cells(email="a@example.com", object_id="7001", state="register", **more):
    return {"email": email, "objectId": object_id, "state": state, **more}


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (cells(email=""), Problem.NO_EMAIL),
        (cells(email="   "), Problem.NO_EMAIL),
        (cells(email="no at sign"), Problem.BAD_EMAIL),
        (cells(state="maybe"), Problem.BAD_STATE),
        (cells(state=""), Problem.BAD_STATE),
        (cells(object_id="abc"), Problem.BAD_OBJECT_ID),
        (cells(object_id=""), Problem.NO_EVENT),
        (cells(object_id="-4"), Problem.BAD_OBJECT_ID),
        (cells(joinedAt="2026-05-01 10:00"), Problem.TIMES_NOT_ATTEND),
        (cells(state="cancel", leftAt="2026-05-01 10:00"), Problem.TIMES_NOT_ATTEND),
        (cells(interactionDateTime="2026-13-01"), Problem.BAD_DATE),
        (cells(state="attend", joinedAt="soon"), Problem.BAD_DATE),
    ],
)
def test_a_bad_row_says_why(row, problem):
    found = read_row(5, row, TOKYO)
    assert isinstance(found, BadRow) and found.problem is problem and found.row_number == 5


@pytest.mark.parametrize(
    ("typed", "state"),
    [
        ("register", "register"),
        ("Attend", "attend"),
        ("CANCEL", "cancel"),
        ("登録", "register"),
        ("出席", "attend"),
        ("キャンセル", "cancel"),
        ("ｷｬﾝｾﾙ", "cancel"),
        (" 参加 ", "attend"),
    ],
)
def test_states_in_english_and_japanese(typed, state):
    found = read_row(2, cells(state=typed), TOKYO)
    assert isinstance(found, Participation) and found.state == state


def test_times_are_read_in_the_users_zone_as_epoch_milliseconds():
    row = cells(
        state="attend",
        interactionDateTime="2026-05-01 09:00",
        joinedAt="2026/05/01 10:00",
        leftAt="2026-05-01T11:30:00+09:00",
    )
    found = read_row(2, row, TOKYO)
    assert isinstance(found, Participation)
    assert found.interaction_ms == 1_777_593_600_000  # 00:00 UTC
    assert (found.joined_at, found.left_at) == ("1777597200000", "1777602600000")


def person(row, email, object_id="7001", state="register", when=None):
    return Participation(row, object_id, email, state, when)


def test_the_same_person_twice_for_one_event_flags_both_rows_and_not_other_events():
    items = [
        person(2, "a@example.com"),
        person(3, "a@example.com", state="attend"),
        person(4, "a@example.com", object_id="7002"),
        person(5, "b@example.com"),
    ]
    flagged = flag_duplicates(items)
    assert [type(i).__name__ for i in flagged] == [
        "BadRow",
        "BadRow",
        "Participation",
        "Participation",
    ]
    assert "row 3" in flagged[0].message and "row 2" in flagged[1].message


SENT = Sent("register", None, None, None, "100001", "2026-12-07T00:00:00Z")


@pytest.mark.parametrize(
    ("before", "row", "goes"),
    [
        (None, person(2, "a@example.com"), True),  # never sent
        (SENT, person(2, "a@example.com"), False),  # unchanged
        (SENT, person(2, "a@example.com", state="attend"), True),  # a new state
        (SENT, person(2, "a@example.com", when=5), True),  # a new interactionDateTime
        (
            Sent("register", 5, None, None, "1", "t"),
            person(2, "a@example.com"),
            False,
        ),  # none typed
    ],
)
def test_only_rows_that_changed_are_sent(before, row, goes):
    sent = {} if before is None else {("7001", "a@example.com"): before}
    plan = plan_participants([row], sent, frozenset({"a@example.com"}), allow_create=False)
    assert (plan.to_send == (row,)) is goes
    assert (len(plan.unchanged) == 1) is not goes


@pytest.mark.parametrize(
    ("known", "allow", "sent", "new", "hold"),
    [
        (frozenset({"a@example.com"}), False, ["a@example.com"], [], Hold.WOULD_CREATE),
        (
            frozenset({"a@example.com"}),
            True,
            ["a@example.com", "b@example.com"],
            ["b@example.com"],
            None,
        ),
        (None, False, [], [], Hold.UNKNOWN),  # the contacts could not be read
        (None, True, ["a@example.com", "b@example.com"], [], None),  # allowed: sent, count unknown
    ],
)
def test_rows_that_would_create_a_contact_need_permission(known, allow, sent, new, hold):
    rows = [person(2, "a@example.com"), person(3, "b@example.com")]
    plan = plan_participants(rows, {}, known, allow_create=allow)
    assert [r.email for r in plan.to_send] == sent
    assert [r.email for r in plan.new_contacts] == new
    assert {h for _, h in plan.held} == ({hold} if hold else set())


def test_a_contact_confirmed_before_is_known_without_asking():
    sent = {("7002", "a@example.com"): SENT}
    rows = [person(2, "a@example.com"), person(3, "b@example.com")]
    assert changed_emails(rows, sent) == ["b@example.com"]
    plan = plan_participants(rows, sent, None, allow_create=False)
    assert [r.email for r in plan.to_send] == ["a@example.com"]


@pytest.mark.parametrize(
    ("sizes", "requests"),
    [
        ({("7001", "register"): 1}, 1),
        ({("7001", "register"): 100}, 1),
        ({("7001", "register"): 101}, 2),
        ({("7001", "register"): 150, ("7001", "attend"): 20, ("7002", "attend"): 40}, 4),
        ({("7001", "register"): 250, ("7002", "cancel"): 200}, 5),
    ],
)
def test_batches_are_per_event_and_state_of_at_most_the_limit(sizes, requests):
    rows = [
        person(n, f"p{n}@example.com", object_id=event, state=state)
        for (event, state), size in sizes.items()
        for n in range(size)
    ]
    batches = attendance_batches(rows)
    assert len(batches) == requests
    assert all(0 < len(b.rows) <= ATTENDANCE_LIMIT for b in batches)
    assert all(
        {(r.object_id, r.state) for r in b.rows} == {(b.object_id, b.state)} for b in batches
    )
    assert sorted(r.row_number for b in batches for r in b.rows) == sorted(
        r.row_number for r in rows
    )


def test_counts_per_event_name_the_contacts_that_would_be_created():
    rows = [
        person(2, "a@example.com"),
        person(3, "b@example.com", state="attend"),
        person(4, "c@example.com", "7002"),
    ]
    plan = plan_participants(rows, {}, frozenset({"a@example.com"}), allow_create=False)
    counts = {c.object_id: c for c in counts_per_event(plan)}
    assert dict(counts["7001"].per_state) == {"register": 1}
    assert counts["7001"].new_contacts == ("b@example.com",) and counts["7001"].held == 1
    assert dict(counts["7002"].per_state) == {} and counts["7002"].held == 1


_ROW = st.tuples(
    st.sampled_from(["7001", "7002", "7003", "7004"]),
    st.sampled_from(["register", "attend", "cancel"]),
    st.integers(0, 5),  # the person
)


@given(st.lists(_ROW, max_size=40), st.sets(st.integers(0, 5)), st.booleans(), st.booleans())
def test_counts_per_event_count_every_row_of_its_own_event_once(rows, known, allow, readable):
    """Events interleaved in any order: each event's counts are its own rows', events in
    the order of their first row to send, then those with rows held only."""
    items = [person(n, f"p{who}@example.com", e, s) for n, (e, s, who) in enumerate(rows)]
    emails = frozenset(f"p{who}@example.com" for who in known) if readable else None
    plan = plan_participants(items, {}, emails, allow_create=allow)
    held = [row for row, _ in plan.held]
    creating = [*plan.new_contacts, *(r for r, h in plan.held if h is Hold.WOULD_CREATE)]
    counts = counts_per_event(plan)
    assert [c.object_id for c in counts] == list(
        dict.fromkeys(r.object_id for r in (*plan.to_send, *held))
    )
    for c in counts:
        sent = [r.state for r in plan.to_send if r.object_id == c.object_id]
        assert dict(c.per_state) == {s: sent.count(s) for s in STATES if s in sent}
        assert list(c.per_state) == [s for s in STATES if s in sent]  # in the states' order
        assert c.held == sum(1 for r in held if r.object_id == c.object_id)
        mine = [r.email for r in creating if r.object_id == c.object_id]
        assert c.new_contacts == tuple(dict.fromkeys(mine))
    assert sum(sum(c.per_state.values()) for c in counts) == len(plan.to_send)


# Emails as people type them: letters and digits in either width, case, spaces around.
_LOCAL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._-", min_size=1, max_size=12)
_DOMAIN = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8),
    min_size=2,
    max_size=3,
)


def _typed(text: str, data: st.DataObject) -> str:
    out = []
    for ch in text:
        if data.draw(st.booleans()):
            ch = ch.upper()
        if data.draw(st.booleans()) and "!" <= ch <= "~":
            ch = chr(ord(ch) + 0xFEE0)  # its full-width form
        out.append(ch)
        if data.draw(st.integers(0, 9)) == 0:
            out.append(data.draw(st.sampled_from([" ", "\u3000", "\t"])))
    return "".join(out)


@given(_LOCAL, _DOMAIN, st.data())
def test_any_typing_of_an_email_matches_and_sends_the_same_address(local, domain, data):
    email = f"{local}@{'.'.join(domain)}"
    typed = _typed(email, data)
    assert normalise_email(typed) == email
    assert email_key(typed) == email_key(email)
    assert normalise_email(normalise_email(typed)) == normalise_email(typed)  # idempotent
    found = read_row(2, cells(email=typed), TOKYO)
    assert isinstance(found, Participation) and found.email == email


@given(st.text(max_size=40))
def test_normalising_never_fails_and_is_idempotent(text):
    once = normalise_email(text)
    assert normalise_email(once) == once
    assert not any(ch.isspace() for ch in once)
