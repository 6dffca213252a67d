"""What `watch` prints passes the same filter as every command (issue 21): `watch --json`
escapes bidi overrides and DEL as JSON does (kanji readable), and a file whose name
holds a line break is named on one line, its problem a problem of that file only.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from eventsync.output.watch_lines import problem_line

ROWS = [["objectId", "eventName"], ["5823713201", "mine \u202egnp.exe\x7f"]]


@pytest.mark.slow
def test_watch_json_escapes_bidi_overrides_and_del(workspace, watcher):
    name = "予定\u202egnp\x7f.csv"
    workspace.csv_sheet(name, ROWS)
    watch = watcher()
    watch.wait_for(lambda: watch.sheet_syncs(name), "the sync of the sheet")
    assert watch.terminate() == 0
    [line] = [line for line in watch.out if '"sent"' in line]
    assert "\u202e" not in line and "\x7f" not in line
    assert '"file": "予定\\u202egnp\\u007f.csv"' in line  # kanji as they are
    assert json.loads(line)["file"] == name and json.loads(line)["updated"] == 1
    assert workspace.sandbox.events["5823713201"]["eventName"] == ROWS[1][1]
    assert not any("\u202e" in line or "\x7f" in line for line in watch.err)


@pytest.mark.slow
@pytest.mark.posix_only("Windows forbids line breaks in file names")
def test_a_file_named_with_a_line_break_is_one_files_problem_on_one_line(workspace, watcher):
    forged = "events\n  row 9: updated.csv"
    workspace.csv_sheet(forged, ROWS)
    workspace.csv_sheet("other.csv", ROWS)
    watch = watcher()
    watch.wait_for(lambda: watch.sheet_syncs("other.csv"), "the sync of the other sheet")
    watch.wait_for(lambda: any("line break" in line for line in watch.out), "the problem")
    assert watch.terminate() == 0
    [line] = [line for line in watch.out if "line break" in line]
    assert json.loads(line)["file"] == forged and json.loads(line)["exitCode"] == 2
    assert '"file": "events\\n  row 9: updated.csv"' in line
    assert json.loads(line)["message"] == (
        "events\\n  row 9: updated.csv: the file's name holds a line break, which eventsync"
        " does not read; rename the file without it, then run again"
    )
    assert not any(line.startswith("  row 9") for line in watch.out + watch.err)


def test_watchs_problem_line_names_the_file_on_one_line():
    at = datetime(2026, 12, 7, 10, 42, 7)
    name = "events\n  row 9: updated.csv"
    shown = problem_line(at, Path(name), "HubSpot is not answering")
    assert shown == "10:42:07  events\\n  row 9: updated.csv: HubSpot is not answering"
