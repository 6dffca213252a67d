"""Rows that say the same thing, told in a few words: which files a row's message names
as holding its event, and many row numbers as ranges (the report says such rows once).

Plan stage, pure: it reads messages and numbers, and never renders nor prints them.
"""

from __future__ import annotations

from collections.abc import Sequence

from eventsync.messages import Text


def files_named(message: object) -> list[str]:
    """The files a row's message names as holding the same event ("place.file_row")."""
    if isinstance(message, Text):
        if message.key == "place.file_row":
            return [str(message.fields.get("file"))]
        return [name for value in message.fields.values() for name in files_named(value)]
    items = getattr(message, "items", None)  # several messages joined into one
    if isinstance(items, tuple):
        return [name for item in items for name in files_named(item)]
    return []


def row_ranges(rows: Sequence[int]) -> str:
    """2, 3, 4, 7 -> "2-4, 7": many rows in a few words."""
    ordered = sorted(set(rows))
    spans: list[str] = []
    start = previous = ordered[0] if ordered else 0
    for number in [*ordered[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        spans.append(str(start) if start == previous else f"{start}-{previous}")
        if number is not None:
            start = previous = number
    return ", ".join(spans) if ordered else ""
