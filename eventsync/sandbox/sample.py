"""The sample events: what the sandbox holds for `make demo` and the tests, and the
sample workbook that plans them (templates/sample-events.xlsx and .json), and the sample
portal's custom property definitions (templates/sample-properties.json).

Sandbox stage: demonstration data, never part of what a user's run reads or writes
(the product's templates are empty: `sheets/template`). `python -m eventsync.sandbox.sample`
(make templates) saves the sample files.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from eventsync.model import CellValue
from eventsync.sheets.template import TEMPLATES_DIR, build_workbook, save_workbook

SAMPLE_CUSTOM = ("region",)
# The sample portal's custom properties, as HubSpot's properties API lists them: every
# property the sample events carry is defined, so `pull` writes no column `plan` then
# warns about (templates/sample-properties.json, served by `make sandbox`).
SAMPLE_PROPERTIES: tuple[dict[str, Any], ...] = (
    {
        "name": "region",
        "label": "Region",
        "type": "enumeration",
        "fieldType": "select",
        "groupName": "marketing_event_information",
        "options": [
            {"label": "APAC", "value": "APAC"},
            {"label": "EMEA", "value": "EMEA"},
            {"label": "Americas", "value": "AMER"},
        ],
        "hubspotDefined": False,
    },
)
_CITIES = ["Tokyo", "Osaka", "Nagoya", "Fukuoka", "Sapporo"]
_KINDS = ["Webinar", "Conference", "Workshop", "Meetup"]


def sample_events(count: int = 20) -> list[dict[str, Any]]:
    """Events as HubSpot holds them before the demo: the ids the sample sheet uses."""
    events = []
    base = datetime(2026, 4, 6, 1, 0)
    for n in range(count):
        start = base + timedelta(days=7 * n)
        events.append(
            {
                "objectId": str(5823713201 + n),
                "eventName": f"Product Update {n + 1:02d}",
                "eventType": _KINDS[n % len(_KINDS)],
                "eventOrganizer": "Marketing",
                "eventDescription": "",
                "eventUrl": f"https://example.com/events/{n + 1}",
                "eventCancelled": False,
                "startDateTime": start.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "endDateTime": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "customProperties": [{"name": "region", "value": "APAC"}],
            }
        )
    return events


def sample_rows(count: int = 20) -> list[list[CellValue]]:
    """The sample sheet: the same events as planned in Excel (Tokyo time)."""
    rows = []
    for n, event in enumerate(sample_events(count)):
        start = datetime(2026, 4, 6, 10, 0) + timedelta(days=7 * n)
        rows.append(
            [
                int(event["objectId"]),
                f"Spring Product Update {n + 1:02d}",
                event["eventType"],
                "Marketing Japan",
                f"{_CITIES[n % len(_CITIES)]} session on what's new this quarter.",
                event["eventUrl"],
                False,
                start,
                start + timedelta(hours=2),
                "APAC",
            ]
        )
    return rows


def write_samples(folder: Path = TEMPLATES_DIR) -> list[Path]:
    """The sample workbook and the events it plans, as the sandbox holds them."""
    folder.mkdir(parents=True, exist_ok=True)
    sample = folder / "sample-events.xlsx"
    save_workbook(build_workbook(sample_rows(), custom=SAMPLE_CUSTOM), sample)
    sample_json = folder / "sample-events.json"
    sample_json.write_text(json.dumps(sample_events(), indent=1) + "\n", encoding="utf-8")
    properties_json = folder / "sample-properties.json"
    properties_json.write_text(
        json.dumps(list(SAMPLE_PROPERTIES), indent=1) + "\n", encoding="utf-8"
    )
    return [sample, sample_json, properties_json]


if __name__ == "__main__":
    for path in write_samples(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATES_DIR):
        print(f"wrote {path}")
