"""Blank cells (issue 20, cases 3 and 6): what an empty cell means, as a table.

A row never synced from its file (no updatedAt) sends its filled cells only: its blanks
clear nothing and are no error. A synced row's emptied cell clears a text field, is
refused for a date-time or eventCancelled (no empty value to send), and is refused for
the fields HubSpot requires (eventName, eventOrganizer), naming the field.
"""

from __future__ import annotations

import pytest

from eventsync.model import EventUpdate, FieldValue, SyncedEvent, frozen
from eventsync.plan.blanks import Blank, decide_blank, not_held
from eventsync.plan.diff import plan_changes

AT = "2026-01-01T00:00:00.000Z"


@pytest.mark.parametrize(
    ("field", "old", "synced", "outcome"),
    [
        # never synced from this file: a blank says nothing, whatever HubSpot holds
        ("eventType", "Webinar", False, Blank.NOTHING),
        ("eventName", "Summit", False, Blank.NOTHING),
        ("eventOrganizer", "Marketing", False, Blank.NOTHING),
        ("eventCancelled", False, False, Blank.NOTHING),
        ("eventCancelled", True, False, Blank.NOTHING),
        ("startDateTime", "2026-04-06T01:00:00Z", False, Blank.NOTHING),
        ("custom:region", "APAC", False, Blank.NOTHING),
        ("eventType", None, False, Blank.NOTHING),
        # synced: nothing to clear where the snapshot holds nothing
        ("eventType", None, True, Blank.NOTHING),
        ("eventType", "", True, Blank.NOTHING),
        ("eventName", None, True, Blank.NOTHING),
        ("startDateTime", None, True, Blank.NOTHING),
        # synced, emptied by the user
        ("eventType", "Webinar", True, Blank.CLEAR),
        ("eventDescription", "Long text", True, Blank.CLEAR),
        ("eventUrl", "https://example.com", True, Blank.CLEAR),
        ("custom:region", "APAC", True, Blank.CLEAR),
        ("eventName", "Summit", True, Blank.REQUIRED),
        ("eventOrganizer", "Marketing", True, Blank.REQUIRED),
        ("eventCancelled", False, True, Blank.UNCLEARABLE),
        ("eventCancelled", True, True, Blank.UNCLEARABLE),
        ("startDateTime", "2026-04-06T01:00:00Z", True, Blank.UNCLEARABLE),
        ("endDateTime", "2026-04-06T03:00:00Z", True, Blank.UNCLEARABLE),
    ],
)
def test_what_a_blank_cell_does(field, old, synced, outcome):
    assert decide_blank(field, old, synced=synced) is outcome


HELD: dict[str, FieldValue] = {
    "eventName": "Product Update 01",
    "eventType": "Webinar",
    "eventOrganizer": "Marketing",
    "eventUrl": "https://example.com/events/1",
    "eventCancelled": False,
}
TEMPLATE_ROW: dict[str, FieldValue] = {  # a template row with only objectId and eventName filled
    "eventName": "Renamed",
    "eventType": None,
    "eventOrganizer": None,
    "eventUrl": None,
    "eventCancelled": None,
}


def test_a_never_synced_row_sends_only_its_filled_cells_and_says_nothing_of_its_blanks():
    snapshot = {"1": SyncedEvent(frozen(HELD), AT)}
    plan = plan_changes([EventUpdate(2, "1", frozen(TEMPLATE_ROW))], snapshot)
    [update] = plan.updates
    assert update.values == {"eventName": "Renamed"}
    assert plan.problems == ()


def test_the_same_row_once_synced_clears_what_it_empties_and_refuses_the_rest():
    snapshot = {"1": SyncedEvent(frozen(HELD), AT)}
    row = EventUpdate(2, "1", frozen(TEMPLATE_ROW), AT)
    plan = plan_changes([row], snapshot, {"eventName": "イベント名"})
    assert plan.updates == ()  # a row with a refused cell sends nothing
    messages = {p.column: p.message for p in plan.problems}
    assert set(messages) == {"eventOrganizer", "eventCancelled"}
    assert messages["eventOrganizer"] == (
        "eventOrganizer: was emptied, but HubSpot requires a value in this field; type the"
        " value back (or a new one)"
    )
    # eventsync's own rule, said as such: no source says HubSpot cannot clear it
    assert "eventsync does not empty a date-time or eventCancelled" in messages["eventCancelled"]


def test_an_emptied_name_is_refused_naming_the_column_as_the_sheet_does():
    snapshot = {"1": SyncedEvent(frozen({"eventName": "Summit"}), AT)}
    row = EventUpdate(2, "1", frozen({"eventName": None}), AT)
    [problem] = plan_changes([row], snapshot, {"eventName": "イベント名"}).problems
    assert problem.column == "イベント名" and problem.code == "cleared_value"
    assert problem.message.startswith("イベント名: was emptied, but HubSpot requires a value")


def test_not_held_names_the_blank_fields_of_never_synced_rows_only():
    snapshot = {
        "1": SyncedEvent(frozen(HELD), AT),
        "2": SyncedEvent(frozen(HELD), AT),
        "3": SyncedEvent(frozen({"eventName": "x", "eventType": ""}), AT),
    }
    rows = [
        EventUpdate(2, "1", frozen(TEMPLATE_ROW)),  # never synced
        EventUpdate(3, "2", frozen(TEMPLATE_ROW), AT),  # synced: its blanks are its own
        EventUpdate(4, "3", frozen({"eventName": "y", "eventType": None})),  # "" is no value
        EventUpdate(5, "4", frozen(TEMPLATE_ROW)),  # an event the snapshot does not know
    ]
    assert not_held(rows, snapshot) == {
        "1": ("eventType", "eventOrganizer", "eventUrl", "eventCancelled")
    }
