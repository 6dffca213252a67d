"""watch knows its own write by what it wrote, not by the file as found after the sync:
a save the user makes the instant watch's write lands is the user's, and its edit goes
out (issue 21: it was taken for watch's own write, 20 of 20 times at 0 ms, and held back
until the next save without a word).

A real `eventsync watch` child process against the sandbox; the user's save happens
inside it, right after the rename of each write and before watch records anything
(saves_after_write.py), so no test depends on how fast anything runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import read_rows
from watch_process import DEADLINE_S, WatchProcess

SAVER = Path(__file__).with_name("saves_after_write.py")
EDITED_ID = "5823713202"  # row 3 of the sample workbook, whose eventName each save changes


@pytest.fixture
def saving_watcher(workspace):
    """watch run by saves_after_write.py, which saves the workbook right after each of
    watch's writes, `saves` times."""
    started: list[WatchProcess] = []

    def start(saves: int) -> WatchProcess:
        started.append(
            WatchProcess(workspace, launcher=(str(SAVER),), SAVES_AFTER_WRITE=str(saves))
        )
        return started[-1]

    yield start
    for process in started:
        process.kill()


@pytest.mark.parametrize(
    "saves", [3, pytest.param(20, marks=pytest.mark.slow)], ids=["3-saves", "20-saves"]
)
@pytest.mark.slow
def test_a_save_landing_right_after_watchs_write_is_synced_every_time(
    workspace, saving_watcher, saves
):
    book = workspace.sample_workbook()  # never synced: the start-up pass sends all 20
    watch = saving_watcher(saves)

    # The start-up pass, then one sync for each save made right after a write of watch's.
    expected = saves + 1
    watch.wait_for(
        lambda: len(watch.sheet_syncs("events.xlsx")) == expected,
        f"{expected} syncs",
        timeout=DEADLINE_S + 5 * saves,
    )
    # The last write is followed by no save: that one is watch's own, and nothing follows.
    assert watch.stays(lambda: len(watch.sheet_syncs("events.xlsx")) == expected, 1.5)

    first, *edits = workspace.sandbox.batch_update_requests()
    assert len(first.body["inputs"]) == 20
    assert [request.body["inputs"] for request in edits] == [
        [{"objectId": EDITED_ID, "eventName": f"Saved right after write {n}"}]
        for n in range(1, saves + 1)
    ]
    later = watch.sheet_syncs("events.xlsx")[1:]
    assert [(s["sent"], s["updated"], s["failed"]) for s in later] == [(1, 1, 0)] * saves

    last = f"Saved right after write {saves}"
    assert workspace.sandbox.events[EDITED_ID]["eventName"] == last
    row = read_rows(book)[1]
    assert row["eventName"] == last  # the user's last save, with watch's results in it
    assert row["updatedAt"] == workspace.sandbox.events[EDITED_ID]["updatedAt"]
    assert watch.terminate() == 0
