"""Several sheets in one folder: events another sheet holds are never offered or added,
`pull` does not make a second copy of them unasked, and two files holding the same
events are said once per pair of files (each row still says why in its syncError).

End to end over HTTP against the sandbox, through `eventsync.cli.main`.
"""

from __future__ import annotations

import csv

import pytest
from helpers import TOKEN, Workspace, read_rows, sent_inputs
from hypothesis import given
from hypothesis import strategies as st

from eventsync.plan.repeats import row_ranges
from eventsync.sandbox.sample import sample_events, sample_rows
from eventsync.sandbox.server import Sandbox

EVENTS = 21  # 0-9 in events.csv, 10-19 in tokyo.xlsx, the last one only in HubSpot
ONLY_IN_HUBSPOT = str(5823713201 + 20)


@pytest.fixture
def portal():
    with Sandbox(sample_events(EVENTS), token=TOKEN, custom_properties=["region"]) as sandbox:
        yield sandbox


def split_folder(ws: Workspace) -> None:
    events = sample_events(EVENTS)
    ws.csv_sheet(
        "events.csv",
        [["objectId", "eventName"]] + [[e["objectId"], e["eventName"]] for e in events[:10]],
    )
    ws.sample_workbook("tokyo.xlsx", rows=sample_rows(EVENTS)[10:20])


def test_events_another_sheet_of_the_folder_holds_are_never_offered_nor_added(tmp_path, portal):
    ws = Workspace(tmp_path, portal)
    split_folder(ws)
    plan = ws.run("plan", "--two-way", "sheets/tokyo.xlsx")
    assert f"1 event is in HubSpot but not in this sheet ({ONLY_IN_HUBSPOT})" in plan.out, plan.out

    result = ws.run("sync", "--two-way", "--add-new", "sheets/tokyo.xlsx")
    assert result.code == 0, result.out + result.err
    ids = [str(row["objectId"]) for row in read_rows(ws.sheets / "tokyo.xlsx")]
    assert ids == [e["objectId"] for e in sample_events(EVENTS)[10:]]  # only the 21st added
    # With both sheets in the run, nothing is left to offer either sheet.
    both = ws.run("plan", "--two-way")
    assert "in HubSpot but not in this sheet" not in both.out, both.out


def test_a_sheet_of_the_folder_that_cannot_be_read_holds_back_every_offer(tmp_path, portal):
    ws = Workspace(tmp_path, portal)
    split_folder(ws)
    (ws.sheets / "broken.xlsx").write_bytes(b"not a workbook")
    plan = ws.run("plan", "--two-way", "sheets/tokyo.xlsx")
    assert "is in HubSpot but not in this sheet" not in plan.out
    assert "are not offered: broken.xlsx in the same folder could not be read" in plan.out
    assert ws.run("sync", "--two-way", "--add-new", "sheets/tokyo.xlsx").code in (0, 1)
    assert len(read_rows(ws.sheets / "tokyo.xlsx")) == 10  # nothing appended


def test_pull_beside_a_sheet_holding_the_same_events_refuses_unless_told(tmp_path, portal):
    ws = Workspace(tmp_path, portal)
    events = sample_events(EVENTS)
    ws.csv_sheet(
        "events.csv",
        [["objectId", "eventName"]] + [[e["objectId"], e["eventName"]] for e in events[:5]],
    )
    refused = ws.run("pull", "sheets/events.xlsx")
    assert refused.code == 2, refused.out + refused.err
    assert "events.xlsx would hold 5 events that events.csv in the same folder" in refused.err
    assert "--keep-both" in refused.err
    assert not (ws.sheets / "events.xlsx").exists()

    kept = ws.run("pull", "--keep-both", "sheets/events.xlsx")
    assert kept.code == 0, kept.err
    assert "Note: events.csv in the same folder holds 5 of these events" in kept.out
    assert len(read_rows(ws.sheets / "events.xlsx")) == EVENTS


def test_pull_into_a_folder_whose_sheets_hold_other_events_says_nothing(tmp_path, portal):
    ws = Workspace(tmp_path, portal)
    ws.csv_sheet("other.csv", [["objectId", "eventName"], ["999", "Another portal's event"]])
    result = ws.run("pull", "sheets/events.xlsx")
    assert result.code == 0, result.err
    assert "same folder" not in result.out + result.err


def test_two_files_holding_the_same_events_are_said_once_per_pair(tmp_path, portal):
    ws = Workspace(tmp_path, portal)
    rows = [["objectId", "eventName"]] + [
        [e["objectId"], e["eventName"] + " (edited)"] for e in sample_events(20)
    ]
    ws.csv_sheet("events.csv", rows)
    ws.csv_sheet("events - Copy.csv", rows)
    for command in ("plan", "sync"):
        result = ws.run(command)
        assert result.code == 1, result.out
        pair_lines = [line for line in result.out.splitlines() if "the same events as" in line]
        assert pair_lines == [
            "  20 rows hold the same events as events.csv (rows 2-21):"
            " neither file's copy is sent until one is gone"
        ], result.out
        assert "row 2:" not in result.out
    assert sent_inputs(portal) == []
    with (ws.sheets / "events.csv").open(encoding="utf-8-sig", newline="") as handle:
        errors = [row["syncError"] for row in csv.DictReader(handle)]
    assert len(errors) == 20
    assert all("is also on events - Copy.csv row" in error for error in errors)


@pytest.mark.parametrize(
    ("rows", "said"),
    [([2], "2"), ([2, 3, 4, 7], "2-4, 7"), ([9, 3, 4, 4], "3-4, 9"), ([], "")],
)
def test_rows_are_said_as_ranges(rows, said):
    assert row_ranges(rows) == said


@given(st.sets(st.integers(min_value=2, max_value=300)))
def test_ranges_name_exactly_the_rows(rows):
    named: set[int] = set()
    for span in filter(None, row_ranges(sorted(rows)).split(", ")):
        first, _, last = span.partition("-")
        named |= set(range(int(first), int(last or first) + 1))
    assert named == rows
