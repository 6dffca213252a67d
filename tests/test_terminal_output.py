"""What reaches the terminal is neutralised: control characters, escape sequences and
bidi overrides from HubSpot's messages and from file names are shown as escapes, and
a very long message is cut on the terminal (the row's syncError cell keeps it whole).
"""

from __future__ import annotations

import io
import json

import pytest
from helpers import read_rows

from eventsync.output.report import MAX_TERMINAL_LINE_CHARS, for_terminal
from eventsync.terminal import SafeStream, redraw
from eventsync.visible import one_line, visible_json, visible_text

HOSTILE = "\x1b[2J\x1b]0;owned\x07 \u202egnp.exe\u202c \x00\x9b31m done\rover"


def test_visible_text_shows_every_hidden_character_as_its_escape():
    assert visible_text(HOSTILE) == (
        "\\x1b[2J\\x1b]0;owned\\x07 \\u202egnp.exe\\u202c \\x00\\x9b31m done\\rover"
    )
    assert visible_text("tab\tand\nline, 日本語 ok") == "tab\tand\nline, 日本語 ok"
    assert visible_text("a\r\nb") == "a\nb"
    assert visible_text("\u2066isolate\u2069") == "\\u2066isolate\\u2069"


def test_for_terminal_cuts_long_lines_and_keeps_short_ones():
    long = "x" * (MAX_TERMINAL_LINE_CHARS + 250)
    shown = for_terminal(f"short line\n{long}\n\x1b[31mred")
    first, cut, last = shown.split("\n")
    assert first == "short line" and last == "\\x1b[31mred"
    assert cut.startswith("x" * MAX_TERMINAL_LINE_CHARS + "... [250 more characters")
    assert "syncError cell holds the whole message" in cut


def test_a_hostile_hubspot_message_is_neutralised_on_the_terminal_and_kept_in_the_cell(workspace):
    book = workspace.sample_workbook()
    message = f"{HOSTILE} " + "y" * 1000
    answer = {"status": "error", "message": message, "category": "VALIDATION_ERROR"}
    # Requests 1 and 2 read the custom properties' definitions and HubSpot's events; a
    # refused batch is retried row by row.
    for n in range(3, 50):
        workspace.sandbox.script_fault(n, status=400, body=answer)
    result = workspace.run("sync", EVENTSYNC_MAX_RETRIES="0")
    assert result.code == 1, result.err
    terminal = result.out + result.err
    for raw in ("\x1b", "\u202e", "\x00", "\x07", "\x9b", "\r"):
        assert raw not in terminal
    assert "\\x1b[2J" in terminal and "\\u202egnp.exe" in terminal
    assert "y" * 1000 not in terminal and "more characters" in terminal
    # The cell holds the whole message (made visible, never raw).
    cells = [row["syncError"] for row in read_rows(book) if row["syncError"]]
    assert cells and all("y" * 1000 in cell and "\x1b" not in cell for cell in cells)


@pytest.mark.posix_only("a file name holding ESC, which Windows file names cannot")
def test_a_hostile_file_name_is_shown_escaped(workspace):
    (workspace.sheets / "\x1b[31mevil\u202e.csv").write_bytes(b"no objectId here\r\n1\r\n")
    result = workspace.run("plan")
    assert result.code == 2
    assert "\x1b" not in result.err and "\u202e" not in result.err
    assert "\\x1b[31mevil\\u202e.csv" in result.err


def test_one_line_shows_every_line_break_as_its_escape():
    assert one_line("bad\n  row 9: updated") == "bad\\n  row 9: updated"
    assert (
        one_line("a\r\nb\rc\u2028d\u2029e\x85f\x0bg") == "a\\r\\nb\\rc\\u2028d\\u2029e\\x85f\\x0bg"
    )
    assert one_line("tab\tand 日本語 ok") == "tab\tand 日本語 ok"
    assert one_line(HOSTILE) == visible_text(HOSTILE)  # no line break in it: the same


def test_json_text_keeps_kanji_and_escapes_what_would_hide_or_reorder_it():
    text = json.dumps({"name": "予定\u202egnp\x7f\x85"}, ensure_ascii=False)
    shown = visible_json(text)
    assert shown == '{"name": "予定\\u202egnp\\u007f\\u0085"}'
    assert json.loads(shown) == json.loads(text)  # a script reads the same string


def test_the_streams_are_the_one_filter_every_printed_line_passes():
    """Whatever a command prints, and however it built the text: no raw control or bidi
    character gets through; only a progress line's own carriage return does."""
    console = io.StringIO()
    stream = SafeStream(console)
    print(HOSTILE, file=stream)
    redraw(stream, "events.csv: reading HubSpot 100/800 events\x1b[2J", last=False)
    assert console.getvalue() == (
        visible_text(HOSTILE) + "\n" + "\revents.csv: reading HubSpot 100/800 events\\x1b[2J"
    )
    scripts = io.StringIO()
    print('{"name": "\u202e\x7f 予定"}', file=SafeStream(scripts, as_json=True))
    assert scripts.getvalue() == '{"name": "\\u202e\\u007f 予定"}\n'
