"""The assumptions about custom property values that HubSpot's documents leave open
(docs/hubspot-api-assumptions.md), each pinned: these fail if eventsync starts sending
custom values another way."""

from __future__ import annotations

import csv
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from helpers import TOKEN, Workspace, sent_inputs

from eventsync.plan.properties import PropertyDefinition, PropertyOption, convert_value
from eventsync.sandbox.server import Sandbox, make_event

ID = "7101"
TOKYO = ZoneInfo("Asia/Tokyo")
DEFINITIONS = [
    {"name": "day", "type": "date", "fieldType": "date"},
    {"name": "seats", "type": "number", "fieldType": "number"},
    {
        "name": "ok",
        "type": "enumeration",
        "fieldType": "booleancheckbox",
        "options": [{"label": "Yes", "value": "true"}, {"label": "No", "value": "false"}],
    },
]


def test_a_date_property_is_sent_as_an_iso_day():
    date_property = PropertyDefinition("day", "date", "date")
    assert convert_value(date_property, datetime(2026, 4, 6), TOKYO) == "2026-04-06"


def test_the_string_limit_is_counted_in_utf16_units():
    text = PropertyDefinition("note", "string", "text")
    assert convert_value(text, "🎉" * 32_768, TOKYO) == "🎉" * 32_768  # 65,536 units
    with pytest.raises(ValueError, match="65538 characters long"):
        convert_value(text, "🎉" * 32_769, TOKYO)


def test_a_single_checkbox_enumeration_takes_its_true_and_false_options():
    single = PropertyDefinition(
        "ok",
        "enumeration",
        "booleancheckbox",
        options=(PropertyOption("Yes", "true"), PropertyOption("No", "false")),
    )
    assert convert_value(single, True, TOKYO) == "true"
    assert convert_value(single, "いいえ", TOKYO) == "false"


def test_an_emptied_custom_cell_of_any_type_is_sent_as_an_empty_string(tmp_path):
    with Sandbox([make_event(ID)], token=TOKEN, property_definitions=DEFINITIONS) as sandbox:
        ws = Workspace(tmp_path, sandbox)
        header = ["objectId", "custom:day", "custom:seats", "custom:ok"]
        ws.csv_sheet("events.csv", [header, [ID, "2026-04-06", "12", "TRUE"]])
        assert ws.run("sync").code == 0
        # The user empties the three cells of the synced row (its updatedAt kept).
        path = ws.sheets / "events.csv"
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        for column in range(1, 4):
            rows[1][column] = ""
        ws.csv_sheet("events.csv", rows)
        before = len(sandbox.batch_update_requests())
        assert ws.run("sync").code == 0
        [cleared] = sent_inputs(sandbox, before)
        assert cleared["customProperties"] == [
            {"name": "day", "value": ""},
            {"name": "seats", "value": ""},
            {"name": "ok", "value": ""},
        ]
