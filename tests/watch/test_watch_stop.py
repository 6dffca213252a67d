"""Stopping a watch: `eventsync watch --stop` from another process (the portable stop a
service uses), and the stop requests Windows' console sends, handled like SIGTERM.

The end-to-end tests run `python -m eventsync watch` as a child process against the sandbox
and stop it with `python -m eventsync watch --stop`, as a service's stop script would."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest
from watch_process import DEADLINE_S, WatchProcess

from eventsync.state.lock import run_lock
from eventsync.watch.remote_stop import WatchDidNotStopError, stop_watch
from eventsync.watch.stopping import (
    CTRL_BREAK_EVENT,
    CTRL_C_EVENT,
    CTRL_CLOSE_EVENT,
    CTRL_LOGOFF_EVENT,
    CTRL_SHUTDOWN_EVENT,
    StopRequest,
    console_handler,
    read_stop_request,
    request_stop,
    stop_requests,
)


def run_stop(workspace, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m eventsync watch --stop` in the user's folder, as a service's stop step runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVENTSYNC_", "HUBSPOT_"))}
    return subprocess.run(
        [sys.executable, "-m", "eventsync", "watch", "--stop", *args],
        cwd=workspace.root,
        env={**env, **workspace.env, "PYTHONUTF8": "1"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


@pytest.mark.slow
def test_watch_stop_asks_the_running_watch_to_stop_and_waits_for_it(workspace):
    workspace.sample_workbook()
    watch = WatchProcess(workspace)
    try:
        watch.wait_for(lambda: watch.sheet_syncs("events.xlsx"), "the first sync")
        stopping = run_stop(workspace)
        assert stopping.returncode == 0, stopping.stderr
        pid = watch.process.pid
        assert f"asked eventsync watch (pid {pid}) to stop" in stopping.stderr
        assert f"eventsync watch (pid {pid}) stopped after" in stopping.stdout
        # It had stopped when --stop said so: its exit code is there already.
        assert watch.process.poll() == 0
        assert watch.terminate() == 0
        assert any("stopped; what HubSpot confirmed is saved" in line for line in watch.err)
        assert read_stop_request(workspace.root / ".eventsync") is None  # nothing left behind
        again = workspace.run("sync")  # the lock is free, the state consistent
        assert again.code == 0, again.err
        assert "20 unchanged, 0 sent" in again.out
    finally:
        watch.kill()


@pytest.mark.slow
def test_watch_stop_with_no_watch_running_says_so_and_exits_1(workspace):
    nothing = run_stop(workspace)
    assert nothing.returncode == 1
    assert "no eventsync watch is running on the state folder" in nothing.stderr
    assert str(workspace.root / ".eventsync") in nothing.stderr
    assert not (workspace.root / ".eventsync").exists()  # asking made no state folder

    workspace.sample_workbook()
    assert workspace.run("sync").code == 0  # a finished sync leaves its lock file behind
    assert run_stop(workspace).returncode == 1


def test_watch_stop_never_stops_a_sync(workspace):
    state = workspace.root / ".eventsync"
    with run_lock(state):  # a sync or pull holds the folder
        refused = workspace.run("watch", "--stop")
    assert refused.code == 1
    assert f"is held by a sync (pid {os.getpid()}), not by a watch" in refused.err
    assert read_stop_request(state) is None


def test_watch_stop_in_japanese(workspace):
    done = workspace.run("watch", "--stop", EVENTSYNC_LANG="ja")
    assert done.code == 1
    assert "実行中のeventsync watchはありません" in done.err


@pytest.mark.slow
def test_a_watch_that_does_not_stop_in_time_is_named_and_the_request_stands(workspace):
    state = workspace.root / ".eventsync"
    # A watch busy in a long sync, as far as --stop can tell: it holds the lock, never looks.
    with run_lock(state, holder="watch"), pytest.raises(WatchDidNotStopError) as waited:
        stop_watch(state, tell=lambda message: None, wait_s=1.0)
    late = waited.value
    assert late.exit_code == 1
    assert f"eventsync watch (pid {os.getpid()}) did not stop within 1 s" in str(late)
    assert read_stop_request(state) == StopRequest(os.getpid())  # taken when it can


# -- the stop request, in process ------------------------------------------------------


@pytest.mark.slow
def test_a_stop_request_for_this_process_sets_the_stop_within_about_a_second(tmp_path):
    stop = threading.Event()
    with stop_requests(stop, tmp_path, poll_s=0.2):
        assert not stop.wait(1.0)
        request_stop(tmp_path, os.getpid())
        assert stop.wait(DEADLINE_S)
    assert read_stop_request(tmp_path) is None  # taken, and removed on the way out


@pytest.mark.slow
def test_a_request_left_for_another_watch_is_ignored_and_cleared_at_start(tmp_path):
    request_stop(tmp_path, 999_999_999)  # a watch gone before it saw its request
    stop = threading.Event()
    with stop_requests(stop, tmp_path, poll_s=0.2):
        assert read_stop_request(tmp_path) is None
        request_stop(tmp_path, 999_999_999)
        assert not stop.wait(1.2)  # meant for someone else
    assert stop.is_set() is False


# -- Windows' console events: decided here, registered only on Windows -------------------


@pytest.mark.slow
def test_console_close_logoff_and_shutdown_stop_the_watch_and_hold_the_process_until_it_has():
    for event in (CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT):
        stop, finished = threading.Event(), threading.Event()
        handle = console_handler(stop, finished, grace_s=DEADLINE_S)
        answers: list[bool] = []
        windows_thread = threading.Thread(
            target=lambda h=handle, e=event, a=answers: a.append(h(e))
        )
        windows_thread.start()
        assert stop.wait(DEADLINE_S)
        # Windows ends the process once the handler returns: not before the watch is done.
        time.sleep(1.0)
        assert windows_thread.is_alive() and answers == []
        finished.set()
        windows_thread.join(DEADLINE_S)
        assert answers == [True]


@pytest.mark.slow
def test_console_close_returns_within_the_grace_even_if_the_watch_does_not_finish():
    stop, finished = threading.Event(), threading.Event()
    started = time.monotonic()
    assert console_handler(stop, finished, grace_s=1.0)(CTRL_CLOSE_EVENT) is True
    assert stop.is_set() and time.monotonic() - started >= 1.0


def test_ctrl_c_and_ctrl_break_are_left_to_pythons_own_signal_handlers():
    for event in (CTRL_C_EVENT, CTRL_BREAK_EVENT):
        stop, finished = threading.Event(), threading.Event()
        assert console_handler(stop, finished)(event) is False
        assert not stop.is_set()
