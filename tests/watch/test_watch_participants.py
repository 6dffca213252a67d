"""`eventsync watch` beside a participants file: watch does not sync participants yet,
and never reads one as an events sheet (which would mark its rows "objectId on two
rows"): the file is left byte for byte as it was."""

from __future__ import annotations

import pytest
from test_watch_end_to_end import annotated


@pytest.mark.slow
def test_watch_leaves_a_participants_file_alone_and_syncs_the_events(workspace, watcher):
    people = workspace.csv_sheet(
        "participants.csv",
        [["email", "objectId", "state"]]
        + [[f"p{n}@example.com", "5823713202", "register"] for n in range(3)],
    )
    before = people.read_bytes()
    events = workspace.sample_workbook()
    watch = watcher()
    watch.wait_for(lambda: annotated(events, workspace.sandbox), "the sync of events.xlsx")
    assert watch.terminate() == 0
    assert people.read_bytes() == before
    assert not [r for r in workspace.sandbox.requests if "/attendance/" in r.path]
    assert watch.sheet_syncs("participants.csv") == []
