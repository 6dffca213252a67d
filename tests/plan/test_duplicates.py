"""Duplicates (issue 20, case 1), pure: the same objectId on two rows is flagged on both,
whatever else is wrong with either, in one file and across the files of a run."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from eventsync.model import EventUpdate, HeaderCell, ProblemCode, Sheet, SheetRow, frozen
from eventsync.plan.inputs import build_all, build_updates

TOKYO = ZoneInfo("Asia/Tokyo")
FIELDS = ["objectId", "eventName", "startDateTime", "endDateTime"]
START, END = datetime(2026, 4, 6, 10, 0), datetime(2026, 4, 6, 12, 0)
VALID = {"objectId": 5823713210, "eventName": "Copy typed over", "startDateTime": START,
         "endDateTime": END}  # fmt: skip
ENDS_FIRST = {**VALID, "eventName": "Real row", "startDateTime": END, "endDateTime": START}
BAD_DATE = {**VALID, "startDateTime": "next Tuesday"}
ID_AS_TEXT = {**ENDS_FIRST, "objectId": " 5823713210 "}
OTHER = {**VALID, "objectId": 5823713299}
NO_ID = {**VALID, "objectId": None}
BAD_ID = {**VALID, "objectId": "58237-13210"}


def sheet_of(name: str, *rows: dict) -> Sheet:
    headers = {f: HeaderCell(f, i) for i, f in enumerate(FIELDS, 1)}
    sheet_rows = tuple(SheetRow(n, frozen(cells)) for n, cells in enumerate(rows, 2))
    return Sheet(Path(name), "csv", None, frozen(headers), len(FIELDS), sheet_rows)


def codes(item) -> list[str]:
    return [] if isinstance(item, EventUpdate) else [p.code.value for p in item]


DUP = ProblemCode.DUPLICATE_OBJECT_ID.value


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (VALID, VALID, ([DUP], [DUP])),
        (VALID, ENDS_FIRST, ([DUP], [DUP, "end_before_start"])),
        (ENDS_FIRST, VALID, ([DUP, "end_before_start"], [DUP])),
        (VALID, BAD_DATE, ([DUP], [DUP, "bad_datetime"])),
        (BAD_DATE, ENDS_FIRST, ([DUP, "bad_datetime"], [DUP, "end_before_start"])),
        (VALID, ID_AS_TEXT, ([DUP], [DUP, "end_before_start"])),  # one event, spelled two ways
        (VALID, OTHER, ([], [])),
        # names no event: no duplicate; a new event, lacking the organiser a create needs
        (VALID, NO_ID, ([], ["new_event_incomplete"])),
        (VALID, BAD_ID, ([], ["bad_object_id"])),
    ],
)
def test_both_rows_are_flagged_whatever_else_is_wrong(first, second, expected):
    built = build_updates(sheet_of("events.csv", first, second), TOKYO)
    assert (codes(built[0]), codes(built[1])) == expected


def test_each_row_names_the_other_and_keeps_its_own_error():
    _, real = build_updates(sheet_of("events.csv", VALID, ENDS_FIRST), TOKYO)
    assert [p.message for p in real] == [
        "objectId: 5823713210 is also on row 2; keep the event on one row only",
        "endDateTime: the end is before the start (startDateTime); fix one of the two",
    ]


@pytest.mark.parametrize(("here", "there"), [(VALID, ENDS_FIRST), (ENDS_FIRST, VALID)])
def test_across_files_a_row_with_another_error_still_counts(here, there):
    first, second = build_all(
        [sheet_of("events.csv", here, OTHER), sheet_of("copy.csv", there)], TOKYO
    )
    assert codes(first[0])[0] == codes(second[0])[0] == "duplicate_in_other_file"
    assert isinstance(first[1], EventUpdate)  # the other event still goes out
    assert first[0][0].message.startswith("objectId: 5823713210 is also on copy.csv row 2;")
    assert second[0][0].message.startswith("objectId: 5823713210 is also on events.csv row 2;")
