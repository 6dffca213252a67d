"""`eventsync watch --log-file PATH`: watch's own log for a service, UTF-8 whatever the
console's code page: every line it prints, appended, each dated; a log it cannot open
is refused with exit 2 before watching starts; why it could not start is logged too."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from watch_process import DEADLINE_S, QUIET_S, WatchProcess

from eventsync.sandbox.sample import sample_rows
from eventsync.sheets.template import build_workbook

ROOT = Path(__file__).resolve().parents[2]
DATED = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d  ")
EARLIER = "2020-01-01 09:00:00  a line from an earlier run"


def unicode_sheet(workspace) -> Path:
    rows = sample_rows()
    rows[0][1] = "東京セミナー ✓ 🎉"
    rows[1][7] = "2026/13/01 🎉"  # invalid: its problem line quotes the cell
    book = workspace.sheets / "events.xlsx"
    build_workbook(rows, custom=("region",)).save(book)
    return book


def wait_for(condition, what: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        if condition():
            return
        if process.poll() is not None:
            raise AssertionError(f"watch ended ({process.returncode}) before {what}")
        time.sleep(0.1)
    raise AssertionError(f"no {what} within {DEADLINE_S} s")


@pytest.mark.slow
def test_the_log_holds_every_printed_line_dated_in_utf8_under_a_cp932_console(workspace, tmp_path):
    unicode_sheet(workspace)
    log = workspace.root / "logs" / "watch.log"
    log.parent.mkdir()
    log.write_text(EARLIER + "\n", encoding="utf-8")
    console = tmp_path / "console.txt"
    env = {**os.environ, **workspace.env, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "cp932"}
    argv = ["watch", "--quiet-seconds", QUIET_S, "--log-file", "logs/watch.log"]
    with console.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "eventsync", *argv],
            cwd=workspace.root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,  # one console, as a user sees it
        )
        try:
            text = lambda: log.read_bytes().decode("utf-8", errors="replace")  # noqa: E731
            wait_for(lambda: "row 3" in text(), "the sync's problem line in the log", process)
            if sys.platform == "win32":  # no SIGTERM there: what a service manager does
                subprocess.run(
                    [sys.executable, "-m", "eventsync", "watch", "--stop"],
                    cwd=workspace.root,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    timeout=DEADLINE_S + 40,
                )
            else:
                process.send_signal(signal.SIGTERM)
            assert process.wait(DEADLINE_S) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(10)

    lines = log.read_bytes().decode("utf-8").splitlines()  # strictly UTF-8
    assert lines[0] == EARLIER  # appended
    assert all(DATED.match(line) for line in lines[1:]), lines
    assert "watching" in lines[1] and "stopped" in lines[-1]
    synced = next(line for line in lines if "events.xlsx: 19 sent" in line)
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d  events\.xlsx: 19 sent", synced), synced
    assert any('"2026/13/01 🎉" is not a date-time' in line for line in lines)

    # The console in cp932 shows the same lines, the emoji as its escape.
    shown = console.read_bytes().decode("cp932").splitlines()  # strictly cp932
    assert any('"2026/13/01 \\U0001f389" is not a date-time' in line for line in shown)
    # Each log line is a console line, with the date (and the time, where the console
    # line has none) in front.
    assert len(lines) - 1 == len(shown)
    for logged, seen in zip(lines[1:], shown, strict=True):
        in_cp932 = logged.encode("cp932", "backslashreplace").decode("cp932")
        assert re.fullmatch(r"\d{4}-\d\d-\d\d (\d\d:\d\d:\d\d  )?" + re.escape(seen), in_cp932)


@pytest.mark.slow
def test_with_json_under_cp932_the_objects_are_utf8_logged_as_they_are_and_a_refusal_logged(
    workspace,
):
    unicode_sheet(workspace)
    # --json, on a cp932 console: the JSON on stdout is UTF-8 all the same.
    watch = WatchProcess(workspace, "--log-file", "watch.log", PYTHONIOENCODING="cp932")
    try:
        watch.wait_for(lambda: watch.sheet_syncs("events.xlsx"), "the first sync")
        # A second watch cannot start (the first holds the state folder): its log says why.
        second = workspace.run("watch", "--log-file", "second.log")
        assert second.code == 2
        said = (workspace.root / "second.log").read_text(encoding="utf-8")
        assert DATED.match(said) and "eventsync watch is running" in said, said
        assert watch.terminate() == 0
    finally:
        watch.kill()
    lines = (workspace.root / "watch.log").read_text(encoding="utf-8").splitlines()
    objects = [json.loads(line) for line in lines if line.startswith("{")]
    assert objects == watch.syncs
    assert "2026/13/01 🎉" in json.dumps(watch.syncs, ensure_ascii=False)
    assert any("2026/13/01 🎉" in line for line in lines if line.startswith("{"))
    assert all(DATED.match(line) for line in lines if not line.startswith("{"))


def test_a_log_file_that_cannot_be_opened_is_refused_with_exit_2_naming_it(workspace):
    unicode_sheet(workspace)
    result = workspace.run("watch", "--log-file", "no-such-folder/watch.log")
    assert result.code == 2
    assert "no-such-folder/watch.log" in result.err.replace(os.sep, "/")
    assert "cannot write its log there" in result.err
    (workspace.root / "a-folder").mkdir()
    result = workspace.run("watch", "--log-file", "a-folder", EVENTSYNC_LANG="ja")
    assert result.code == 2
    assert "a-folder：watchのログをここに書けません" in result.err
    assert not workspace.sandbox.batch_update_requests()  # nothing was synced


@pytest.mark.slow
@pytest.mark.posix_only("/dev/full: a disk that is always full")
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux): a full disk")
def test_a_log_that_cannot_be_written_any_more_is_said_once_and_watch_goes_on(workspace):
    unicode_sheet(workspace)
    watch = WatchProcess(workspace, "--log-file", "/dev/full")  # every write: disk full
    try:
        watch.wait_for(lambda: watch.sheet_syncs("events.xlsx"), "the sync")
        assert watch.terminate() == 0
    finally:
        watch.kill()
    lost = [line for line in watch.err if "watch's log stops here" in line]
    assert len(lost) == 1 and "/dev/full" in lost[0] and "watch goes on syncing" in lost[0]
    assert workspace.sandbox.events["5823713201"]["eventName"] == "東京セミナー ✓ 🎉"
