"""Line breaks (Alt+Enter) in one-line fields are sent as one line: a space between the
lines, nothing in a URL. A description and custom properties keep theirs."""

from __future__ import annotations

from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest

from eventsync.model import EventUpdate, HeaderCell, Sheet, SheetRow
from eventsync.plan.inputs import build_update, normalise_cell, single_line

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("field", "typed", "sent"),
    [
        ("eventName", "Spring Update\nTokyo", "Spring Update Tokyo"),
        ("eventType", "Webinar \r\n\r\n (online)", "Webinar (online)"),
        ("eventOrganizer", "Marketing\rJapan", "Marketing Japan"),
        ("eventUrl", "https://example.com/\nevents/1", "https://example.com/events/1"),
        ("eventDescription", "line 1\nline 2", "line 1\nline 2"),
        ("custom:region", "APAC\nJP", "APAC\nJP"),
    ],
)
def test_one_line_fields_are_sent_on_one_line(field, typed, sent):
    assert single_line(field, typed) == sent
    assert normalise_cell(field, typed, TOKYO) == sent
    header = {"objectId": HeaderCell("objectId", 1), field: HeaderCell(field, 2)}
    sheet = Sheet(None, "xlsx", "Events", MappingProxyType(header), 2, ())  # type: ignore[arg-type]
    row = SheetRow(2, MappingProxyType({"objectId": 5823713201.0, field: typed}))
    built = build_update(row, sheet, TOKYO)
    assert isinstance(built, EventUpdate) and built.values[field] == sent
