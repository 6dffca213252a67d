"""The three-way rule for one field, as a table of every combination (as urllib3 tests
`Retry`), and the properties it keeps. The end-to-end tests (test_conflicts.py,
test_trust_*.py) check the wiring; this checks the rule.

The values: "a" is the base (what both sides last agreed on), "b" an edit, "c" another
edit, None an empty cell or field. `in_flight` is either nothing or ("c",): eventsync
sent "c" and never saw HubSpot's answer.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventsync.model import EventUpdate, FieldValue, SyncedEvent, frozen
from eventsync.plan.conflicts import reconcile
from eventsync.plan.diff import plan_changes
from eventsync.plan.event_cells import RemoteEvent
from eventsync.plan.three_way import NOT_READ, Base, NotRead, Outcome, decide
from eventsync.portal_model import PortalEvent

NEVER, UNRECORDED, SAME_VERSION, OLDER = (
    Base.NEVER_AGREED,
    Base.UNRECORDED,
    Base.UNRECORDED_SAME_VERSION,
    Base.OLDER_COPY,
)
UNCHANGED, AGREED, SEND, TAKE, CONFLICT, HOLD = (
    Outcome.UNCHANGED,
    Outcome.AGREED,
    Outcome.SEND,
    Outcome.TAKE,
    Outcome.CONFLICT,
    Outcome.HOLD,
)
T1, T2 = "2026-11-30T10:00:00Z", "2026-11-30T11:00:00Z"
FIELD = "eventType"  # a text field: blanks allowed, compared as text

# Every combination the table must decide.
BASES: tuple[FieldValue | Base, ...] = ("a", None, NEVER, UNRECORDED, SAME_VERSION, OLDER)
MINE: tuple[FieldValue, ...] = ("a", "b", None)
THEIRS: tuple[FieldValue | NotRead, ...] = ("a", "b", "c", None, NOT_READ)
IN_FLIGHT: tuple[tuple[FieldValue, ...], ...] = ((), ("c",))
FORCED = (False, True)

ANY = object()  # any value of the column
MINE_TOO = object()  # (theirs) the same value as mine
DOUBT = {UNRECORDED, SAME_VERSION, OLDER}  # bases the snapshot cannot vouch for

# The first row that matches a combination decides it. A set is any of its values.
TABLE: list[tuple[object, object, object, object, object, Outcome]] = [
    # base             mine          theirs    in_flight forced  outcome
    # -- HubSpot not read: only the snapshot is compared --------------------------
    (DOUBT, ANY, NOT_READ, ANY, False, HOLD),  # only HubSpot could tell an edit
    (DOUBT, ANY, NOT_READ, ANY, True, SEND),
    ("a", "a", NOT_READ, ANY, ANY, UNCHANGED),
    ({None, NEVER}, None, NOT_READ, ANY, ANY, UNCHANGED),  # a blank never agreed: no edit
    (ANY, ANY, NOT_READ, ANY, ANY, SEND),
    # -- both sides hold the same value ------------------------------------------
    ("a", "a", "a", ANY, ANY, UNCHANGED),
    (None, None, None, ANY, ANY, UNCHANGED),
    (ANY, ANY, MINE_TOO, ANY, ANY, AGREED),
    # -- forced: the sheet's edit goes out over whatever HubSpot holds -------------
    ("a", {"b", None}, ANY, ANY, True, SEND),
    (None, {"a", "b"}, ANY, ANY, True, SEND),
    ({NEVER, UNRECORDED, SAME_VERSION}, {"a", "b"}, ANY, ANY, True, SEND),
    (OLDER, ANY, ANY, ANY, True, SEND),  # an older copy forced goes out as it is
    # -- a base value: the classic three-way table --------------------------------
    ("a", "a", "c", ("c",), ANY, UNCHANGED),  # HubSpot holds eventsync's own write
    ("a", "a", ANY, ANY, ANY, TAKE),  # only HubSpot changed it
    ("a", ANY, "a", ANY, ANY, SEND),  # only the sheet changed it
    ("a", ANY, "c", ("c",), ANY, SEND),  # ... and HubSpot holds eventsync's own write
    ("a", ANY, ANY, ANY, ANY, CONFLICT),  # both changed it, differently
    (None, None, "c", ("c",), ANY, UNCHANGED),
    (None, None, ANY, ANY, ANY, TAKE),
    (None, ANY, None, ANY, ANY, SEND),
    (None, ANY, "c", ("c",), ANY, SEND),
    (None, ANY, ANY, ANY, ANY, CONFLICT),
    # -- no base value -----------------------------------------------------------
    (OLDER, ANY, ANY, ANY, ANY, TAKE),  # an older copy's cells are old values
    (UNRECORDED, {"a", "b"}, ANY, ANY, ANY, CONFLICT),  # nothing tells whose edit
    ({NEVER, SAME_VERSION}, {"a", "b"}, ANY, ANY, ANY, SEND),  # a filled cell is an edit
    ({NEVER, UNRECORDED, SAME_VERSION}, None, ANY, ANY, ANY, TAKE),  # maybe never filled
]

COMBINATIONS = list(itertools.product(BASES, MINE, THEIRS, IN_FLIGHT, FORCED))


def matches(pattern: object, value: object, mine: object = None) -> bool:
    if pattern is ANY:
        return True
    if pattern is MINE_TOO:
        return value == mine
    if isinstance(pattern, set):
        return value in pattern
    return value == pattern


def expected(case: tuple[object, ...]) -> tuple[int, Outcome]:
    base, mine, theirs, in_flight, forced = case
    for number, (*patterns, outcome) in enumerate(TABLE):
        b, m, t, f, x = patterns
        if (
            matches(b, base)
            and matches(m, mine)
            and matches(t, theirs, mine)
            and matches(f, in_flight)
            and matches(x, forced)
        ):
            return number, outcome
    raise AssertionError(f"no row of the table decides {case}")


def name(case: tuple[object, ...]) -> str:
    return "-".join(getattr(value, "name", repr(value)) for value in case)


@pytest.mark.parametrize("case", COMBINATIONS, ids=[name(c) for c in COMBINATIONS])
def test_every_combination_is_decided_as_the_table_says(case):
    base, mine, theirs, in_flight, forced = case
    assert decide(FIELD, base, mine, theirs, in_flight, forced=forced) is expected(case)[1]


def test_every_row_of_the_table_decides_some_combination():
    used = {expected(case)[0] for case in COMBINATIONS}
    assert used == set(range(len(TABLE)))


def test_date_times_are_compared_as_instants_not_as_spellings():
    instant, spelled = "2026-11-30T10:00:00Z", "2026-11-30T19:00:00+09:00"
    later = "2026-11-30T11:00:00Z"
    assert decide("startDateTime", instant, spelled, instant) is UNCHANGED
    assert decide("startDateTime", instant, later, spelled) is SEND
    assert decide("startDateTime", instant, later, later.replace("Z", ".000Z")) is AGREED


# -- properties ----------------------------------------------------------------------

values = st.sampled_from(["a", "b", "c", None, "", "  ", True, False])
bases = st.one_of(values, st.sampled_from(list(Base)))
theirs_read = values
sent = st.lists(values, max_size=2)
MIRROR = {SEND: TAKE, TAKE: SEND}


@given(values, values, values)
def test_the_sheet_and_hubspot_are_treated_alike_against_a_known_base(base, mine, theirs):
    """Swapping the two sides swaps sending and taking, and nothing else."""
    there = decide(FIELD, base, mine, theirs)
    back = decide(FIELD, base, theirs, mine)
    assert back is MIRROR.get(there, there)


@given(bases, values, theirs_read, sent, st.booleans())
def test_acting_on_the_outcome_leaves_nothing_more_to_do(base, mine, theirs, in_flight, forced):
    """Idempotent: once the outcome is carried out, deciding again finds nothing to do;
    a conflict is decided again the same until the user types HubSpot's value."""
    outcome = decide(FIELD, base, mine, theirs, in_flight, forced=forced)
    if outcome in (SEND, AGREED):  # HubSpot and the snapshot take the sheet's value
        assert decide(FIELD, mine, mine, mine) is UNCHANGED
    elif outcome is TAKE:  # the sheet and the snapshot take HubSpot's
        assert decide(FIELD, theirs, theirs, theirs) is UNCHANGED
    elif outcome is CONFLICT:
        assert decide(FIELD, base, mine, theirs, in_flight, forced=forced) is CONFLICT
        assert decide(FIELD, base, theirs, theirs, in_flight) in (AGREED, UNCHANGED)
        assert decide(FIELD, base, mine, theirs, in_flight, forced=True) is SEND


@given(values, values, theirs_read, sent)
def test_a_hubspot_edit_is_never_sent_over_without_force(base, mine, theirs, in_flight):
    if decide(FIELD, base, mine, theirs, in_flight) is SEND:
        assert same(theirs, base) or any(same(theirs, v) for v in in_flight)


@given(bases, values, theirs_read, sent, st.booleans())
def test_what_the_user_typed_is_never_taken_over(base, mine, theirs, in_flight, forced):
    """HubSpot's value comes into the sheet only where the cell holds no edit."""
    if decide(FIELD, base, mine, theirs, in_flight, forced=forced) is TAKE:
        if isinstance(base, Base):
            assert base is OLDER or blank(mine)
            assert not (forced and base is OLDER)
        else:
            assert same(mine, base)


@given(bases, values, st.one_of(theirs_read, st.just(NOT_READ)), sent)
def test_force_leaves_no_conflict_and_holds_nothing(base, mine, theirs, in_flight):
    assert decide(FIELD, base, mine, theirs, in_flight, forced=True) not in (CONFLICT, HOLD)


@given(bases, values, st.one_of(theirs_read, st.just(NOT_READ)), sent, st.booleans())
def test_every_blank_spelling_decides_alike(base, mine, theirs, in_flight, forced):
    def unblank(value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    outcome = decide(FIELD, base, mine, theirs, in_flight, forced=forced)
    plain = decide(
        FIELD,
        unblank(base),  # type: ignore[arg-type]
        unblank(mine),  # type: ignore[arg-type]
        unblank(theirs),  # type: ignore[arg-type]
        [unblank(v) for v in in_flight],  # type: ignore[misc]
        forced=forced,
    )
    assert outcome is plain


@given(bases, values, theirs_read, sent, st.booleans())
def test_what_was_sent_matters_only_when_hubspot_holds_it(base, mine, theirs, in_flight, forced):
    if not any(same(theirs, v) for v in in_flight):
        alone = decide(FIELD, base, mine, theirs, (), forced=forced)
        assert decide(FIELD, base, mine, theirs, in_flight, forced=forced) is alone


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def same(a: object, b: object) -> bool:
    return (blank(a) and blank(b)) or a == b


# -- the callers act on the outcome ----------------------------------------------------


def test_two_way_never_writes_hubspots_value_over_an_edit_held_back_for_another_reason():
    """A row edited in the sheet but not sent (here: its required organizer emptied) while
    a colleague changed the same field in HubSpot: two-way sync leaves the user's edit in
    the cell (it used to bring HubSpot's value in over it)."""
    snapshot = {"1": SyncedEvent(frozen({"eventName": "a", "eventOrganizer": "o"}), T1)}
    rows = [EventUpdate(2, "1", frozen({"eventName": "mine", "eventOrganizer": None}), T1)]
    theirs = frozen({"eventName": "theirs", "eventOrganizer": "o"})
    remote = {"1": RemoteEvent("1", theirs, T2, PortalEvent("1", T2, {}, {}))}
    plan = plan_changes(rows, snapshot)
    assert plan.updates == () and plan.problems  # held: a required field emptied
    result = reconcile(plan, rows, snapshot, remote, {}, two_way=True)
    assert result.incoming == ()
    # With the sheet's cell untouched, HubSpot's change does come in.
    rows = [EventUpdate(2, "1", frozen({"eventName": "a", "eventOrganizer": None}), T1)]
    result = reconcile(plan_changes(rows, snapshot), rows, snapshot, remote, {}, two_way=True)
    assert [(c.field, c.old, c.new) for c in result.incoming] == [("eventName", "a", "theirs")]
