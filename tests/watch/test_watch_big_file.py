"""watch with a CSV too large to read in its folder (an export dropped there): the file
is named, once, and the real sheet beside it syncs; watch goes on."""

from __future__ import annotations

import pytest

from eventsync.sheets.csv_intake import MAX_CSV_BYTES


@pytest.mark.slow
def test_a_csv_too_large_is_named_and_the_other_sheet_syncs(workspace, watcher):
    workspace.sample_workbook()
    with open(workspace.sheets / "export.csv", "wb") as out:  # sparse: made in no time
        out.write(b"objectId,eventName\r\n")
        out.truncate(MAX_CSV_BYTES + 1)
    watch = watcher()
    watch.wait_for(lambda: watch.sheet_syncs("events.xlsx"), "the sync of events.xlsx")
    [synced] = watch.sheet_syncs("events.xlsx")
    assert (synced["sent"], synced["updated"], synced["failed"]) == (20, 20, 0)

    def refused() -> list[dict]:
        return [s for s in watch.syncs if s.get("file") == "export.csv" and "message" in s]

    watch.wait_for(refused, "the refusal of export.csv")
    [problem] = refused()
    assert problem["exitCode"] == 2
    assert "at most 64 MB" in problem["message"]
    assert watch.process.poll() is None  # still watching
    watch.kill()
