"""What reaches the terminal, end to end (issue 21): a line break in HubSpot's message or
in a file name cannot end eventsync's line and have the rest read as eventsync's own
(`  row 9: updated`), in either language; `history` and `log` show bidi overrides as
escapes; `--json` escapes U+202E and DEL as JSON does, kanji readable, the same strings
read back.
"""

from __future__ import annotations

import json
import re

import pytest

FORGED = "bad\n  row 9: updated"  # a HubSpot message that would print a line of our own
ANSWER = {
    "status": "error",
    "message": FORGED,
    "category": "VALIDATION_ERROR",
    "correlationId": "c-1",
}
REVERSED = "mine \u202egnp.exe\x7f"  # shows as "mine exe.png" where bidi is obeyed


def hubspot_says(workspace, answer: dict) -> None:
    for n in range(1, 50):  # every request: only batch updates go out (--no-remote-check)
        workspace.sandbox.script_fault(n, status=400, body=answer)


def lines(text: str) -> list[str]:
    return text.split("\n")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "events.csv: 1 row read, 0 unchanged, 1 sent, 0 updated, 1 failed, 0 invalid\n"
            "  row 2: HubSpot answered 400 (category VALIDATION_ERROR, correlationId c-1):"
            " bad\\n  row 9: updated\n",
        ),
        (
            "ja",
            "events.csv：1行を読み込み、変更なし0、送信1、更新0、失敗1、エラー0\n"
            "  2行目：HubSpotの応答は400（category VALIDATION_ERROR, correlationId c-1）："
            "bad\\n  row 9: updated\n",
        ),
    ],
)
def test_a_line_break_in_hubspots_message_stays_inside_its_line(workspace, lang, expected):
    workspace.csv_sheet("events.csv", [["objectId", "eventName"], ["5823713201", "Renamed"]])
    hubspot_says(workspace, ANSWER)
    result = workspace.run(
        "sync", "--no-remote-check", EVENTSYNC_MAX_RETRIES="0", EVENTSYNC_LANG=lang
    )
    assert result.code == 1, result.err
    assert result.out == expected
    assert "  row 9: updated" not in lines(result.out + result.err)
    assert [r.status for r in workspace.sandbox.batch_update_requests()] == [400]


def test_a_line_break_in_hubspots_message_when_the_read_fails_stays_inside_its_line(workspace):
    workspace.csv_sheet("events.csv", [["objectId", "eventName"], ["5823713201", "Renamed"]])
    hubspot_says(workspace, ANSWER)
    result = workspace.run("sync", EVENTSYNC_MAX_RETRIES="0")
    assert result.code == 1
    assert result.err == (
        "eventsync: could not read event 5823713201 from HubSpot: HubSpot answered 400"
        " (category VALIDATION_ERROR, correlationId c-1): bad\\n  row 9: updated. Nothing was"
        " sent: eventsync checks HubSpot for edits before sending. Run again later, or run"
        " eventsync sync --no-remote-check to skip the check.\n"
    )
    assert workspace.sandbox.batch_update_requests() == []


@pytest.mark.posix_only("Windows forbids line breaks in file names")
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "en",
            ": the file's name holds a line break, which eventsync does not read;"
            " rename the file without it, then run again",
        ),
        (
            "ja",
            "：ファイル名に改行が含まれているため、eventsyncでは読み込めません。"
            "改行のない名前に変えてから、もう一度実行してください",
        ),
    ],
)
@pytest.mark.parametrize("command", ["plan", "sync"])
def test_a_file_named_with_a_line_break_is_refused_and_named_on_one_line(
    workspace, lang, said, command
):
    name = "events\n  row 9: updated.csv"
    workspace.csv_sheet(name, [["objectId", "eventName"], ["5823713201", "Renamed"]])
    result = workspace.run(command, EVENTSYNC_LANG=lang)
    assert result.code == 2
    assert "row 9" not in result.out  # (plan names the portal first)
    assert result.err == f"eventsync: events\\n  row 9: updated.csv{said}\n"
    assert workspace.sandbox.batch_update_requests() == []


def test_history_and_log_show_a_bidi_override_as_an_escape(workspace):
    path = workspace.csv_sheet("events.csv", [["objectId", "eventName"], ["5823713201", "Plain"]])
    assert workspace.run("sync").code == 0
    path.write_text(
        path.read_text("utf-8").replace("Plain", REVERSED), encoding="utf-8", newline=""
    )
    assert workspace.run("sync").code == 0
    assert workspace.sandbox.events["5823713201"]["eventName"] == REVERSED

    shown = workspace.run("history", "5823713201")
    assert shown.code == 0
    when = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ"
    change = re.escape(
        '  eventName: "Plain" -> "mine \\u202egnp.exe\\x7f"  (sent, events.csv row 2;'
    )
    newest = lines(shown.out)[1]  # the line as printed, escapes and all
    assert re.fullmatch(f"{when}{change} HubSpot updatedAt [^;]+; run of {when}\\)", newest)
    assert "\u202e" not in shown.out and "\x7f" not in shown.out

    as_json = workspace.run("history", "5823713201", "--json")
    assert "\u202e" not in as_json.out and "\x7f" not in as_json.out
    assert '"value": "mine \\u202egnp.exe\\u007f"' in as_json.out
    values = [c["value"] for c in json.loads(as_json.out)["changes"] if c["field"] == "eventName"]
    assert values[0] == REVERSED  # a script reads the same string back

    log = workspace.run("log")
    assert "\u202e" not in log.out and "\x7f" not in log.out


def test_json_escapes_bidi_overrides_and_del_and_keeps_kanji(workspace):
    name = "予定\u202egnp\x7f.csv"
    workspace.csv_sheet(name, [["objectId", "eventName"], ["5823713201", REVERSED]])
    planned = workspace.run("plan", "--json")
    synced = workspace.run("sync", "--json")
    logged = workspace.run("log", "--json")
    for result in (planned, synced, logged):
        assert result.code == 0, result.err
        assert "\u202e" not in result.out and "\x7f" not in result.out
        assert "予定\\u202egnp\\u007f.csv" in result.out  # kanji as they are
    assert '"new": "mine \\u202egnp.exe\\u007f"' in planned.out
    [sheet] = json.loads(synced.out)["sheets"]
    assert sheet["path"].endswith(name) and sheet["updated"] == 1
    [update] = json.loads(planned.out)["sheets"][0]["updates"]
    assert update["changes"][0]["new"] == REVERSED
    started = [json.loads(line) for line in logged.out.splitlines() if '"start"' in line]
    assert started[-1]["sheets"] == [name]
