"""Killing a sync: `python -m eventsync sync` on 5,000 events against a slow sandbox, stopped
mid-run by kill -9 (or Ctrl-C), then run again to completion.

What must hold: one sync at a time (a second exits 2 naming the pid), the killed run's
lock is taken over, the workbook is never half written, the snapshot holds exactly what
HubSpot confirmed, and the next run sends no row confirmed before the kill.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from helpers import TOKEN, read_rows
from helpers.bulk_sync import (
    BulkWorkspace,
    assert_sheet_snapshot_and_hubspot_agree,
    hubspot_events,
    object_ids,
    sent_ids,
    sheet_rows,
    write_xlsx,
)

from eventsync.sandbox.server import Sandbox

pytestmark = pytest.mark.slow

EVENTS = 5000
IDS = object_ids(EVENTS)
READS = EVENTS // 100  # the remote check lists HubSpot's events first, 100 a page
BATCHES_BEFORE_KILL = 15


def start_sync(workspace: BulkWorkspace) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVENTSYNC_", "HUBSPOT_"))}
    return subprocess.Popen(
        [sys.executable, "-m", "eventsync", "sync"],
        cwd=workspace.root,
        env={**env, **workspace.env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_requests(sandbox: Sandbox, count: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while sandbox.request_count < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the sync made no progress"
        time.sleep(0.01)


@pytest.mark.parametrize(
    "stop",
    [
        pytest.param("kill", id="kill-9"),
        pytest.param(
            "ctrl-c", id="ctrl-c", marks=pytest.mark.posix_only("SIGINT sent to a child process")
        ),
    ],
)
def test_a_killed_sync_is_finished_by_the_next_run_without_sending_confirmed_rows(tmp_path, stop):
    with Sandbox(hubspot_events(EVENTS), token=TOKEN, latency_ms=15) as sandbox:
        workspace = BulkWorkspace(tmp_path, sandbox)
        path = write_xlsx(workspace.sheets / "events.xlsx", sheet_rows(EVENTS))
        original = path.read_bytes()
        process = start_sync(workspace)
        # The request after the 15th batch update arrived: those 15 were answered, and
        # each answer was saved to the snapshot before the next request went out.
        wait_for_requests(sandbox, READS + BATCHES_BEFORE_KILL + 1, process)

        second = workspace.run("sync")
        assert second.code == 2
        assert f"eventsync: another sync is running (pid {process.pid})" in second.err

        if stop == "kill":
            process.kill()  # SIGKILL; TerminateProcess on Windows
        else:
            process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
        if stop == "kill":
            assert process.returncode == (1 if sys.platform == "win32" else -signal.SIGKILL)
        else:
            assert process.returncode == 130
            assert "eventsync: interrupted; what HubSpot confirmed so far is saved" in err
        assert TOKEN not in out + err

        # The workbook: as it was, or (had the kill hit the write) a whole new file.
        if path.read_bytes() != original:
            read_rows(path)
        lock = workspace.root / ".eventsync" / "sync.lock"
        assert lock.read_text() == str(process.pid)  # the dead run's lock file is still there

        snapshot = workspace.snapshot()
        confirmed = {i for i in IDS if snapshot[i]["values"].get("eventName") == f"Renamed {i}"}
        arrived = workspace.sandbox.batch_update_requests()
        assert BATCHES_BEFORE_KILL * 100 <= len(confirmed) < EVENTS
        # Exactly the batches HubSpot answered: all but (at most) the one in flight. On a
        # busy machine the kill can cut that one off mid-body: HubSpot never read it.
        last = arrived[-1].body
        in_flight = {i["objectId"] for i in last["inputs"]} if last is not None else set()
        assert set(sent_ids(workspace)) - confirmed <= in_flight

        finished = workspace.run("sync")
        assert finished.code == 0, finished.err
        assert "5000 rows read" in finished.out
        resent = sent_ids(workspace, len(arrived))
        assert not set(resent) & confirmed
        assert len(resent) == len(set(resent))
        # Whatever was not sent again is what HubSpot applied in the batch in flight.
        assert set(IDS) - confirmed - set(resent) <= in_flight
        assert all(
            event["eventName"] == f"Renamed {i}" for i, event in workspace.sandbox.events.items()
        )
        assert_sheet_snapshot_and_hubspot_agree(workspace, path)
