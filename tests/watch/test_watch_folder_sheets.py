"""`eventsync watch` over a folder whose events are split across two sheets: neither
sheet is told that the other's events are "in HubSpot but not in this sheet" (adding
them would make two copies, and then neither would sync)."""

from __future__ import annotations

import pytest
from test_watch_end_to_end import annotated

from eventsync.sandbox.sample import sample_events, sample_rows


@pytest.mark.slow
def test_events_the_other_sheet_holds_are_not_offered(workspace, watcher):
    events = sample_events()
    workspace.csv_sheet(
        "events.csv",
        [["objectId", "eventName"]] + [[e["objectId"], e["eventName"]] for e in events[:10]],
    )
    tokyo = workspace.sample_workbook("tokyo.xlsx", rows=sample_rows()[10:])
    watch = watcher()
    watch.wait_for(lambda: annotated(tokyo, workspace.sandbox), "the sync of tokyo.xlsx")
    watch.wait_for(lambda: watch.sheet_syncs("events.csv"), "the sync of events.csv")
    listed = [r for r in workspace.sandbox.requests if r.method == "GET" and "limit" in r.query]
    assert listed, "HubSpot's list was not read: nothing would have been offered anyway"
    syncs = watch.sheet_syncs("tokyo.xlsx") + watch.sheet_syncs("events.csv")
    assert syncs and all(s["newInHubSpot"] == [] for s in syncs), syncs
    assert watch.terminate() == 0
