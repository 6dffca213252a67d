"""The events sheet the benchmarks measure, as a marketing team keeps it.

The template's columns (eventsync/columns.py), two custom properties and two columns of the
team's own, as Excel saves it (shared strings, date-time cells with a number format, a
styled header, a filter, the header row frozen). 15 columns: openpyxl's load + save
grows with the columns, so a 4-column sheet would make our ratio look worse than a user
ever sees it, and a 1-column one better.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

COLUMNS = [
    "objectId",
    "eventName",
    "eventType",
    "eventOrganizer",
    "eventDescription",
    "eventUrl",
    "eventCancelled",
    "startDateTime",
    "endDateTime",
    "custom:region",
    "custom:owner",
    "memo",
    "budget",
    "updatedAt",
    "syncError",
]


def event_row(
    n: int, *, first_id: int, name: str = "Product Update", updated_at: str | None = None
) -> list[object]:
    """Row n: event first_id + n, named `name n`, with the given updatedAt (None: never
    synced)."""
    start = datetime(2026, 4, 1, 9, 0) + timedelta(hours=n % 5000)
    return [
        first_id + n,
        f"{name} {n}",
        ("Webinar", "Conference", "Workshop")[n % 3],
        "Marketing Japan",
        f"Session {n % 997} on what's new this quarter.",
        f"https://example.com/events/{n}",
        n % 17 == 0,
        start,
        start + timedelta(hours=2),
        ("APAC", "EMEA", "AMER")[n % 3],
        f"owner{n % 41}@example.com",
        f"note {n % 113}",
        1000 + n % 500,
        updated_at,
        None,  # syncError
    ]


def write_xlsx(path: Path, rows: list[list[object]] | range, row_of: Any = None) -> None:
    """The rows (or, with `row_of`, row_of(n) for each n of the range) as Excel saves
    them, with xlsxwriter."""
    import xlsxwriter

    # strings_to_urls off: Excel keeps eventUrl as text (and 100k hyperlinks would make
    # openpyxl's load quadratic, flattering our ratio).
    book = xlsxwriter.Workbook(str(path), {"strings_to_urls": False})
    sheet = book.add_worksheet("Events")
    head = book.add_format({"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF"})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_row(0, 0, COLUMNS, head)
    count = 0
    for count, item in enumerate(rows, 1):
        row: Any = row_of(item) if row_of is not None else item
        for column, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(count, column, value, when)
            elif value is not None:
                sheet.write(count, column, value)
    sheet.autofilter(0, 0, count, len(COLUMNS) - 1)
    sheet.freeze_panes(1, 0)
    book.close()
