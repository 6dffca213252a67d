"""What a person may be shown of text eventsync did not write: the one filter.

Below every stage (layer 0), with no imports of the package, so the message catalogue,
the cell writer and the terminal streams all use the same rules:

- `visible_text`: hidden and control characters shown as escapes (`\\x1b`, `\\u202e`),
  line breaks kept. The terminal streams (eventsync/terminal.py) pass everything written to
  them through it, and the writer every HubSpot text it puts into a cell.
- `one_line`: the same, and line breaks escaped too: for a value shown inside a line
  of eventsync's own (a HubSpot message, a file name, a cell's value as a field of a
  message). A line break there would end eventsync's line, and what follows it (say
  `  row 9: updated`) would read as eventsync's own.
- `visible_json`: JSON text with the same characters as `\\uXXXX` escapes. JSON's own
  escaping leaves DEL, the C1 controls and the bidi overrides as they are, and
  `ensure_ascii=True` would make every kanji unreadable.

What this module must never do: drop or change a character silently. Every escape
reads back as the character it stands for; nothing else is touched.
"""

from __future__ import annotations

import re

# Characters that must not reach a cell or a terminal as they are: C0 controls other
# than tab and LF (NUL makes a CSV unreadable, ESC starts terminal sequences, CR moves
# the cursor back over what was written), DEL, C1 controls, and the bidirectional
# overrides and isolates that make text display in another order than it reads.
HIDDEN_CHARACTERS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_HIDDEN = re.compile(f"[{HIDDEN_CHARACTERS}]")
# The same, and the line breaks: inside a line, nothing may start another. Unicode's own
# line and paragraph separators too (some terminals and editors break lines there).
_HIDDEN_OR_BREAK = re.compile(f"[{HIDDEN_CHARACTERS}\n\u2028\u2029]")


def visible_text(text: str) -> str:
    """`text` with each hidden or control character shown as its escape (`\\x1b`,
    `\\u202e`): nothing is run by a terminal or hidden from the reader, nothing is lost.
    A CR LF pair becomes LF (the line break it meant)."""
    if _HIDDEN.search(text) is None:
        return text
    text = text.replace("\r\n", "\n")
    return _HIDDEN.sub(_escape_character, text)


def one_line(text: str) -> str:
    """`text` as one line's part: `visible_text`, and its line breaks (LF, CR LF, CR,
    U+2028, U+2029) shown as escapes (`\\n`, `\\r\\n`...)."""
    if _HIDDEN_OR_BREAK.search(text) is None:
        return text
    return _HIDDEN_OR_BREAK.sub(_escape_character, text)


# What Python's splitlines() (and so a terminal, an editor, eventsync's own line handling)
# takes for the end of a line.
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def breaks_lines(text: str) -> bool:
    """Does `text` hold a line break (any of LINE_BREAKS)?"""
    return any(mark in text for mark in LINE_BREAKS)


def visible_json(text: str) -> str:
    """JSON text (as json.dumps writes it, kanji as they are) with every hidden
    character as its `\\uXXXX` escape. Such a character can only stand inside a string
    there (json.dumps escapes the C0 controls itself, and JSON's own syntax is plain
    ASCII), where the escape means the same character: the JSON reads back the same."""
    if _HIDDEN.search(text) is None:
        return text
    return _HIDDEN.sub(lambda found: f"\\u{ord(found[0]):04x}", text)


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_character(found: re.Match[str]) -> str:
    character = found[0]
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
