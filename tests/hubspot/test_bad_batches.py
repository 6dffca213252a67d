"""Bad batches are cheap: HubSpot's error body names rows, or rows are tried alone before
a batch is split, and a systematic rejection stops costing a request per row."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

import pytest
from helpers import TOKEN
from helpers.bulk_sync import BulkWorkspace, hubspot_events, object_ids, sheet_rows, write_csv

from eventsync.sandbox.server import Sandbox

MARKER = "REJECT-ME"


def bulk_workspace(tmp_path, count: int, **knobs: Any) -> Iterator[BulkWorkspace]:
    with Sandbox(hubspot_events(count), token=TOKEN, reject_marker=MARKER, **knobs) as sandbox:
        yield BulkWorkspace(tmp_path, sandbox)


def sync_errors(path) -> dict[str, str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["objectId"]: row.get("syncError") or "" for row in csv.DictReader(handle)}


@pytest.mark.slow
def test_ten_thousand_rows_all_rejected_by_a_400_naming_no_row_cost_at_most_300_requests(
    tmp_path,
):
    for bulk in bulk_workspace(tmp_path, 10_000, reject_names_row=False):
        ids = object_ids(10_000)
        path = write_csv(bulk.sheets / "events.csv", sheet_rows(10_000, dict.fromkeys(ids, MARKER)))
        result = bulk.run("sync", "--no-remote-check")
        assert result.code == 1
        sends = bulk.sandbox.batch_update_requests()
        assert len(sends) <= 300, len(sends)
        assert bulk.sandbox.request_count <= 300
        errors = sync_errors(path)
        assert all("Property values were not valid" in errors[i] for i in ids)
        assert sum("not sent" in errors[i] for i in ids) >= 9_000
        print(f"10,000 rejected rows: {len(sends)} requests")  # the measurement, with -s


@pytest.mark.slow
@pytest.mark.parametrize("names_row", [True, False], ids=["named", "anonymous"])
def test_a_thousand_rows_with_three_bad_rows_in_different_halves_sync_every_other_row(
    tmp_path, names_row
):
    for bulk in bulk_workspace(tmp_path, 1_000, reject_names_row=names_row):
        ids = object_ids(1_000)
        bad = {ids[30], ids[499], ids[977]}
        path = write_csv(bulk.sheets / "events.csv", sheet_rows(1_000, dict.fromkeys(bad, MARKER)))
        result = bulk.run("sync", "--no-remote-check")
        assert result.code == 1
        assert "997 updated, 3 failed" in result.out
        errors = sync_errors(path)
        assert {i for i, e in errors.items() if e} == bad
        assert all("not sent" not in errors[i] for i in bad)
        events = bulk.sandbox.events
        assert all(events[i]["eventName"] == f"Renamed {i}" for i in ids if i not in bad)
        sends = len(bulk.sandbox.batch_update_requests())
        assert sends <= (13 if names_row else 80), sends  # 10 batches + a few per bad row


def test_a_400_naming_its_rows_fails_those_and_resends_the_rest_once(tmp_path):
    for bulk in bulk_workspace(tmp_path, 100):
        ids = object_ids(100)
        bad = {ids[3], ids[70]}
        path = write_csv(bulk.sheets / "events.csv", sheet_rows(100, dict.fromkeys(bad, MARKER)))
        assert bulk.run("sync", "--no-remote-check").code == 1
        assert [r.status for r in bulk.sandbox.batch_update_requests()] == [400, 200]
        errors = sync_errors(path)
        assert {i for i, e in errors.items() if e} == bad
        assert "contains the rejected value" in errors[ids[3]]
