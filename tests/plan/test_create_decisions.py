"""Creates, pure (plan/creates.py): which rows become new events, what to do with a
create in flight, and which upsert result is which input (never a guess)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventsync.model import (
    CreateRecord,
    EventUpdate,
    HeaderCell,
    ProblemCode,
    Sheet,
    SheetRow,
    frozen,
)
from eventsync.plan.creates import (
    Verdict,
    decide,
    match_results,
    matches,
    needs_lookup,
    split_new,
)
from eventsync.plan.inputs import build_updates

TOKYO = ZoneInfo("Asia/Tokyo")
FIELDS = [
    "objectId",
    "eventName",
    "eventOrganizer",
    "startDateTime",
    "updatedAt",
    "externalEventId",
]
START = datetime(2026, 9, 1, 14, 0)
NEW = {"objectId": None, "eventName": "Kyoto day", "eventOrganizer": "Acme", "startDateTime": START}
SYNCED = {**NEW, "objectId": 5823713201, "updatedAt": "2026-04-01T00:00:00.000Z"}


def sheet_of(*rows: dict) -> Sheet:
    headers = {f: HeaderCell(f, i) for i, f in enumerate(FIELDS, 1)}
    sheet_rows = tuple(SheetRow(n, frozen(cells)) for n, cells in enumerate(rows, 2))
    return Sheet(Path("events.csv"), "csv", None, frozen(headers), len(FIELDS), sheet_rows)


def codes(item) -> list[str]:
    return ["new"] if isinstance(item, EventUpdate) and not item.object_id else (
        [] if isinstance(item, EventUpdate) else [p.code.value for p in item]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (NEW, ["new"]),  # no objectId, never synced: a create
        ({**NEW, "externalEventId": "es-00112233aabbccdd"}, ["new"]),  # given an id: looked up
        (SYNCED, []),  # names its event: an update, never a create
        ({**SYNCED, "objectId": None}, ["missing_object_id"]),  # synced, its id cleared
        (  # synced, id cleared, but eventsync's external id: found by it, not made again
            {**SYNCED, "objectId": None, "externalEventId": "es-00112233aabbccdd"},
            ["new"],
        ),
        ({**NEW, "eventOrganizer": None}, ["new_event_incomplete"]),
        ({**NEW, "eventName": " ", "eventOrganizer": None}, ["new_event_incomplete"]),
        ({**NEW, "startDateTime": "next Tuesday"}, ["bad_datetime"]),  # its own error only
        ({**NEW, "objectId": "58237-1"}, ["bad_object_id"]),  # a typo'd id: never a create
    ],
)
def test_which_rows_are_creates(row, expected):
    [built] = build_updates(sheet_of(row), TOKYO)
    assert codes(built) == expected


def test_a_new_row_missing_fields_names_every_column_it_needs():
    [built] = build_updates(sheet_of({**NEW, "eventName": None, "eventOrganizer": None}), TOKYO)
    assert isinstance(built, tuple)
    [problem] = built
    assert problem.code is ProblemCode.NEW_EVENT_INCOMPLETE
    assert problem.message.startswith("eventName, eventOrganizer: empty; a new event needs them")


def test_a_copied_external_id_flags_the_new_rows_that_hold_it():
    copied = {**NEW, "externalEventId": "es-00112233aabbccdd"}
    built = build_updates(sheet_of(copied, NEW, copied), TOKYO)
    assert [codes(item) for item in built] == [["duplicate_external_id"], ["new"],
                                               ["duplicate_external_id"]]  # fmt: skip
    assert isinstance(built[0], tuple) and "also on row 4" in built[0][0].message


def test_split_new_takes_the_creates_out_with_their_filled_fields_and_id():
    with_id = {**NEW, "externalEventId": "es-00112233aabbccdd", "eventName": "Sendai"}
    sheet = sheet_of(SYNCED, NEW, with_id)
    kept, new = split_new(sheet, build_updates(sheet, TOKYO))
    assert [item.object_id for item in kept if isinstance(item, EventUpdate)] == ["5823713201"]
    assert [(n.row_number, n.external_id) for n in new] == [(3, None), (4, "es-00112233aabbccdd")]
    assert dict(new[0].values) == {
        "eventName": "Kyoto day",
        "eventOrganizer": "Acme",
        "startDateTime": "2026-09-01T05:00:00Z",
    }


# -- a create in flight --------------------------------------------------------------

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=10)


def record(sent_minutes_ago: float | None = None, object_id: str | None = None) -> CreateRecord:
    sent = None
    if sent_minutes_ago is not None:
        moment = NOW - timedelta(minutes=sent_minutes_ago)
        sent = moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return CreateRecord(
        "es-1", "eventsync-1", "events.xlsx", 5, {"eventName": "A"}, sent, object_id
    )


@pytest.mark.parametrize(
    ("state", "found", "verdict", "object_id", "asks"),
    [
        (record(3, object_id="701"), (), Verdict.ADOPT, "701", False),  # the state knows
        (record(None), (), Verdict.SEND, None, False),  # written ahead, never sent
        (record(3), ("701",), Verdict.ADOPT, "701", True),  # found
        (record(3), ("701", "701"), Verdict.ADOPT, "701", True),  # found by both look-ups
        (record(3), (), Verdict.HOLD, None, True),  # not found, young: HubSpot may be slow
        (record(9.9), (), Verdict.HOLD, None, True),
        (record(10), (), Verdict.SEND, None, True),  # not found, old: send it again
        (record(600), (), Verdict.SEND, None, True),
        (record(3), ("701", "702"), Verdict.REFUSE, None, True),  # two events: never a guess
        (None, ("701",), Verdict.ADOPT, "701", True),  # lost state, or a copied row
        (None, (), Verdict.REFUSE, None, True),  # a pasted id nobody knows
    ],
)
def test_what_becomes_of_a_create_in_flight(state, found, verdict, object_id, asks):
    assert needs_lookup(state) is asks
    decision = decide(state, found, NOW, WINDOW)
    assert (decision.verdict, decision.object_id) == (verdict, object_id)
    if verdict is Verdict.HOLD:
        assert decision.retry_after is not None and decision.retry_after > NOW


# -- results to inputs ----------------------------------------------------------------

NAMES = st.sampled_from(["Kyoto day", "Sendai meetup", "Kobe webinar"])
STARTS = st.sampled_from(["2026-09-01T05:00:00Z", "2026-09-02T05:00:00Z"])
SENT = st.fixed_dictionaries({"eventName": NAMES, "eventOrganizer": st.just("Acme")},
                             optional={"startDateTime": STARTS})  # fmt: skip


def echoed(values: dict) -> dict:
    """A result as HubSpot echoes it: date-times with milliseconds, ids added."""
    out: dict = {"objectId": "9", "updatedAt": "2026-12-07T12:00:00.000Z", **values}
    if "startDateTime" in out:
        out["startDateTime"] = out["startDateTime"].replace("Z", ".000Z")
    return out


@given(
    sent=st.lists(SENT, min_size=1, max_size=6),
    picks=st.lists(st.integers(0, 5), max_size=8),
    strangers=st.lists(SENT, max_size=2),
    data=st.data(),
)
def test_a_result_is_never_given_to_two_inputs_nor_to_one_it_differs_from(
    sent, picks, strangers, data
):
    results = [echoed(sent[i % len(sent)]) for i in picks] + [echoed(s) for s in strangers]
    results = data.draw(st.permutations(results))
    pairs = match_results(sent, results)
    assert len(set(pairs.values())) == len(pairs)  # one result, at most one input
    for i, r in pairs.items():
        assert matches(sent[i], results[r])  # every field sent is echoed as sent
        others = [j for j, values in enumerate(sent) if j != i and matches(values, results[r])]
        assert others == []  # and no other input could have it: never a guess


def test_results_in_any_order_are_matched_by_their_echoed_fields():
    sent = [{"eventName": "A", "eventOrganizer": "X"}, {"eventName": "B", "eventOrganizer": "X"}]
    results = [echoed(sent[1]), echoed(sent[0])]
    assert match_results(sent, results) == {1: 0, 0: 1}
    twins = [sent[0], dict(sent[0])]  # two inputs alike: read back, never guessed
    assert match_results(twins, [echoed(sent[0]), echoed(sent[0])]) == {}
