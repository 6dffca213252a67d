"""The CSV formula guard: text a spreadsheet program would run as a formula, made inert
with a leading "'" when eventsync writes it into a CSV cell, and the guard taken off
again when the file is read (so a value eventsync wrote reads back as itself).

Pure text functions. Which text is guarded is the caller's decision (the writer guards
everything it writes into CSV cells; the reader unescapes every CSV cell).
"""

from __future__ import annotations

import re

# Text a spreadsheet program may run as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def escape_formula(text: str) -> str:
    """`text` made safe from spreadsheet formula injection (OWASP): a leading "'"
    before = + - @ TAB CR LF, so Excel shows the text instead of running it."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


# The guard's apostrophe, before any number of apostrophes and then a trigger.
_GUARDED = re.compile(r"'+[=+\-@\t\r\n]")
_TO_GUARD = re.compile(r"'*[=+\-@\t\r\n]")


def escape_value(text: str) -> str:
    """`escape_formula`, made reversible: `unescape_value(escape_value(t)) == t`, so an
    event value two-way sync writes into a CSV reads back as itself (nothing to send).

    Guard and undo, rather than write event values bare: HubSpot's values are not the
    user's own text (integrations write them), and Excel opening a CSV runs "=..." and
    turns "-20% early bird" into #NAME?, which a save then makes the value. Undoing
    also heals files written by earlier versions ("'-20% early bird" sent with the "'").
    Text already starting with "'" before a trigger gets one more "'", so the one that
    `unescape_value` takes away is always the guard's. The reader unescapes CSV cells.
    """
    return "'" + text if _TO_GUARD.match(text) else text


def unescape_value(text: str) -> str:
    """The text `escape_value` was given (Excel never saves a typed "'" into a CSV)."""
    return text[1:] if _GUARDED.match(text) else text
