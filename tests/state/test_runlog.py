"""The run log: one JSON line per step, readable while the run goes on, the last 20 kept,
shown readably by `eventsync log`; and never a token in it."""

from __future__ import annotations

import json
import uuid

from helpers import TOKEN

from eventsync.output.run_log import render_log
from eventsync.sheets.xlsx.patch import patch_cells
from eventsync.state.runlog import LOGS_KEPT, RunLog, last_log, logs_dir, read_entries


def stamp(n: int) -> str:
    """An old time stamp in the log names' format, increasing with n."""
    return f"20200101T{n // 3600:02d}{n // 60 % 60:02d}{n % 60:02d}000000Z"


def make_old_log(state_dir, command: str, n: int):
    folder = logs_dir(state_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{command}-{stamp(n)}.jsonl"
    path.write_text(json.dumps({"kind": "start", "n": n}) + "\n", encoding="utf-8")
    return path


def test_each_entry_is_one_json_line_readable_before_the_log_is_closed(tmp_path):
    log = RunLog(tmp_path, "sync")
    try:
        log.write("start", command="sync", sheets=["events.xlsx"])
        # Another process (or a run killed now) sees the line already.
        [first] = log.path.read_text(encoding="utf-8").splitlines()
        assert json.loads(first)["kind"] == "start"
        log.request({"method": "POST", "path": "/batch/update", "status": 200, "objectIds": ["1"]})
        lines = log.path.read_text(encoding="utf-8").splitlines()
        assert len(lines) == 2
    finally:
        log.close()
    entries = [json.loads(line) for line in lines]
    assert [e["kind"] for e in entries] == ["start", "request"]
    assert entries[1]["objectIds"] == ["1"] and entries[1]["status"] == 200
    assert all(e["at"].endswith("+00:00") and len(e["at"]) == 29 for e in entries)  # UTC, ms
    assert log.path.parent == tmp_path / "logs"
    assert log.path.name.startswith("sync-") and log.path.suffix == ".jsonl"


def test_text_is_written_as_is_not_escaped(tmp_path):
    log = RunLog(tmp_path, "sync")
    log.write("incoming", sheet="イベント.xlsx", old="東京")
    log.close()
    assert "東京" in log.path.read_text(encoding="utf-8")


def test_at_most_the_last_twenty_logs_are_kept_the_oldest_removed(tmp_path):
    old = [make_old_log(tmp_path, "sync" if n % 2 else "pull", n) for n in range(LOGS_KEPT + 2)]
    log = RunLog(tmp_path, "sync")
    log.close()
    kept = sorted(logs_dir(tmp_path).iterdir())
    assert LOGS_KEPT == 20 and len(kept) == 20
    # The three oldest went, whatever their command; the new one stays.
    assert set(kept) == set(old[3:]) | {log.path}


def test_an_old_log_open_elsewhere_is_removed_next_time_and_the_run_goes_on(
    tmp_path, windows_files
):
    old = [make_old_log(tmp_path, "sync", n) for n in range(LOGS_KEPT)]
    windows_files.hold(old[0])  # open in an editor: Windows will not delete it
    RunLog(tmp_path, "sync").close()
    assert old[0].exists()
    windows_files.let_go()
    RunLog(tmp_path, "sync").close()
    assert not old[0].exists() and not old[1].exists()
    assert len(list(logs_dir(tmp_path).iterdir())) == LOGS_KEPT


def test_the_last_log_is_the_newest_by_time_whatever_the_command(tmp_path):
    assert last_log(tmp_path) is None  # no logs folder yet
    make_old_log(tmp_path, "sync", 1)
    newest = make_old_log(tmp_path, "pull", 2)  # "pull" sorts before "sync" by name
    assert last_log(tmp_path) == newest
    log = RunLog(tmp_path, "pull")
    log.close()
    assert last_log(tmp_path) == log.path


def test_a_line_cut_short_by_a_kill_is_skipped(tmp_path):
    path = make_old_log(tmp_path, "sync", 1)
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"kind": "request", "method": "PO')
    assert read_entries(path) == [{"kind": "start", "n": 1}]


def test_render_log_tells_the_story_of_a_run(tmp_path):
    at = "2026-11-29T06:20:00.287+00:00"
    request: dict[str, object] = {
        "kind": "request",
        "method": "POST",
        "path": "/marketing/v3/marketing-events",
    }
    request |= {"objectIds": ["1", "2"], "attempt": 1, "status": 200, "decision": "done"}
    entries: list[dict[str, object]] = [
        {"at": at, "kind": "start", "command": "sync", "sheets": ["a.csv", "b.xlsx"]},
        {"at": at, **request, "correlationId": "017bd59f"},
        {**request, "at": at, "status": 503, "decision": "retry", "wait_s": 0.432, "paced_s": 1.25},
        {**request, "at": at, "status": 429, "decision": "retry", "wait_s": None, "attempt": 2},
        {**request, "at": at, "status": None, "decision": "give_up", "attempt": 3},
        {**request, "at": at, "status": 429, "decision": "stop_daily", "objectIds": []},
        {"at": at, "kind": "sheet", "sheet": "a.csv", "sent": 2, "updated": 1, "failed": 1},
        {"at": at, "kind": "incoming", "sheet": "a.csv", "row": 3, "field": "eventName"}
        | {"old": "東京"},
        {
            "at": at,
            "kind": "end",
            "exitCode": 1,
            "message": "HubSpot's daily API limit is reached.",
        },
    ]
    path = tmp_path / "sync-x.jsonl"
    post = "06:20:00.287  POST /marketing/v3/marketing-events:"
    assert render_log(path, entries).splitlines() == [
        f"run log {path}",
        "06:20:00.287  started: sync of a.csv, b.xlsx",
        f"{post} 2 events, attempt 1, 200, correlationId 017bd59f",
        f"{post} 2 events, attempt 1, 503, paced 1.2 s -> retry in 0.4 s",
        f"{post} 2 events, attempt 2, 429 -> retry when the window frees",
        f"{post} 2 events, attempt 3, no answer -> gave up",
        f"{post} 0 events, attempt 1, 429 -> stopped: daily limit",
        "06:20:00.287  a.csv: 2 sent, 1 updated, 1 failed, 0 invalid",
        '06:20:00.287  a.csv row 3: eventName brought in from HubSpot; the sheet had "東京"',
        "06:20:00.287  finished with exit code 1: HubSpot's daily API limit is reached.",
    ]
    assert render_log(path, []).splitlines() == [f"run log {path}", "(empty)"]


# -- the token canary, through the CLI ------------------------------------------------------


def test_no_log_line_holds_the_token_after_real_syncs(workspace):
    """A sync that goes through, then one with a token HubSpot refuses: neither token
    may reach a log line (nor `eventsync log`, plain or --json)."""
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    wrong = f"pat-log-canary-{uuid.uuid4().hex}"
    temp = book.with_name("edited.tmp")
    patch_cells(book, temp, "Events", {(3, 2): "Renamed"})
    temp.replace(book)
    # Refused on the conflict check's read, then (--force: no read) on the batch update.
    for options in ((), ("--force",)):
        refused = workspace.run("sync", *options, HUBSPOT_ACCESS_TOKEN=wrong)
        assert refused.code == 3, refused.err
        assert "HubSpot refused the access token (401" in refused.err

    paths = sorted(logs_dir(workspace.root / ".eventsync").glob("*.jsonl"))
    assert len(paths) == 3
    lines = [line for path in paths for line in path.read_text(encoding="utf-8").splitlines()]
    kinds = [json.loads(line)["kind"] for line in lines]
    assert kinds.count("request") >= 2  # the logs really hold the runs' requests
    for line in lines:
        assert TOKEN not in line and wrong not in line, line
        assert "Bearer" not in line and "Authorization" not in line
    for command in (("log",), ("log", "--json")):
        shown = workspace.run(*command)
        assert shown.code == 0
        assert TOKEN not in shown.out and wrong not in shown.out
