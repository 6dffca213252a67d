"""Big sheets for the fault matrix and the kill test, and the checks they share.

A sheet renames every event (so every row is a change to send) and keeps eventType and
eventOrganizer as HubSpot has them. The checks read what a user and HubSpot see: the
sheet's annotation cells, the snapshot file, the sandbox's events and received requests,
and the run logs (what the client saw of each request).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path

from openpyxl import Workbook

from eventsync.cli import main
from eventsync.hubspot.client import HubSpotClient
from eventsync.hubspot.retry import RetryPolicy
from eventsync.sandbox.server import make_event
from helpers import TOKEN, CliResult, Workspace, read_rows

FIRST_ID = 7_100_000
HEADER = ["objectId", "eventName", "eventType", "eventOrganizer"]
# Waits short enough for tests, long enough to be real waits over real HTTP.
FAST = RetryPolicy(
    base_wait_s=0.05, max_wait_s=0.2, longest_wait_s=5.0, jitter=0.5, locked_min_wait_s=0.1
)


def object_ids(count: int) -> list[str]:
    return [str(FIRST_ID + n) for n in range(count)]


def hubspot_events(count: int) -> list[dict]:
    return [make_event(object_id) for object_id in object_ids(count)]


def sheet_rows(count: int, names: dict[str, str] | None = None) -> list[list]:
    """Header and one row per event: a new eventName, the other fields as in HubSpot."""
    names = names or {}
    rows: list[list[object]] = [list(HEADER)]
    for object_id in object_ids(count):
        name = names.get(object_id, f"Renamed {object_id}")
        rows.append([int(object_id), name, "WEBINAR", "Acme Events"])
    return rows


def write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Events"
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list]) -> Path:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    path.write_text(text.getvalue(), encoding="utf-8")
    return path


def sheet_view(path: Path) -> dict[str, dict]:
    """objectId -> the row as the user sees it (header text -> cell text or None)."""
    if path.suffix == ".xlsx":
        rows = read_rows(path)
    else:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = [{k: (v or None) for k, v in row.items()} for row in csv.DictReader(handle)]
    return {str(row["objectId"]): row for row in rows}


def fast_client(settings, *, policy: RetryPolicy = FAST, **options) -> HubSpotClient:
    """The CLI's client with short waits; retries as many as the settings say."""
    policy = replace(policy, max_retries=settings.max_retries)
    return HubSpotClient(settings, policy=policy, **options)


class BulkWorkspace(Workspace):
    """A Workspace whose runs use short retry waits (injected, nothing patched)."""

    policy: RetryPolicy = FAST

    def run(self, *argv: str, **env: str) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        code = main(
            list(argv),
            env={**self.env, **env},
            cwd=self.root,
            stdout=out,
            stderr=err,
            make_client=partial(fast_client, policy=self.policy),
        )
        return CliResult(int(code), out.getvalue(), err.getvalue())

    def snapshot(self) -> dict[str, dict]:
        """The saved snapshot's events ({} when nothing was ever confirmed), as the
        state database holds them."""
        from eventsync.state.database import database_path

        path = database_path(self.root / ".eventsync")
        if not path.exists():
            return {}
        with contextlib.closing(sqlite3.connect(path)) as connection:
            rows = connection.execute("SELECT object_id, field_values, updated_at FROM events")
            return {
                object_id: {"values": json.loads(values), "updatedAt": updated_at}
                for object_id, values, updated_at in rows
            }

    def log_entries(self) -> list[dict]:
        """Every request of every run so far, in order, as the client logged it."""
        entries = []
        for path in sorted((self.root / ".eventsync" / "logs").glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                entry = json.loads(line)
                if entry["kind"] == "request":
                    entries.append(entry)
        return entries


def batch_sends(workspace: BulkWorkspace) -> list[tuple[list[str], int | None]]:
    """(objectIds, the status the client saw) of every batch update, in order.

    The sandbox says what arrived; the run log what the client saw (a request that
    timed out reached HubSpot, but the client saw no answer). Both must list the same
    batches in the same order.
    """
    arrived = [
        [i["objectId"] for i in request.body["inputs"]]
        for request in workspace.sandbox.batch_update_requests()
    ]
    logged = [e for e in workspace.log_entries() if e["path"].endswith("/batch/update")]
    assert [e["objectIds"] for e in logged] == arrived
    return [(e["objectIds"], e["status"]) for e in logged]


def assert_no_confirmed_row_sent_again(workspace: BulkWorkspace) -> None:
    """Once the client saw HubSpot confirm a row, it never sends that row again (the
    sheet does not change between these runs). Repeats before that are retries of
    batches HubSpot did not confirm, which is safe: the same absolute values."""
    confirmed_at: dict[str, int] = {}
    repeats = defaultdict(list)
    for number, (ids, status) in enumerate(batch_sends(workspace)):
        for object_id in ids:
            if object_id in confirmed_at:
                repeats[object_id].append(number)
            elif status in (200, 207):
                confirmed_at[object_id] = number
    assert not repeats, f"confirmed rows sent again: {dict(list(repeats.items())[:5])}"


def sent_ids(workspace: BulkWorkspace, since: int = 0) -> list[str]:
    """The objectIds of every batch HubSpot received whole (a kill can cut the last one
    off mid-body: HubSpot answers that 400 and applies none of it)."""
    return [
        i["objectId"]
        for request in workspace.sandbox.batch_update_requests()[since:]
        if request.body is not None
        for i in request.body["inputs"]
    ]


def assert_sheet_snapshot_and_hubspot_agree(
    workspace: BulkWorkspace,
    path: Path,
    failed: Mapping[str, str | Callable[[str], bool]] | None = None,
) -> None:
    """Every row is annotated: the rows in `failed` (objectId -> exact syncError, or a
    callable check) with their error and no updatedAt; every other row with HubSpot's
    updatedAt, its values in HubSpot, and the snapshot holding the same."""
    failed = failed or {}
    rows = sheet_view(path)
    hubspot = workspace.sandbox.events
    snapshot = workspace.snapshot()
    for object_id, row in rows.items():
        if object_id in failed:
            expected = failed[object_id]
            error = row["syncError"]
            assert expected(error) if callable(expected) else error == expected, (object_id, error)
            assert row["updatedAt"] is None, object_id
            continue
        event = hubspot[object_id]
        assert row["syncError"] is None, (object_id, row["syncError"])
        assert row["updatedAt"] == event["updatedAt"], object_id
        for field in ("eventName", "eventType", "eventOrganizer"):
            assert event[field] == row[field], (object_id, field)
        synced = snapshot[object_id]
        assert synced["updatedAt"] == event["updatedAt"], object_id
        assert synced["values"] == {f: row[f] for f in ("eventName", "eventType", "eventOrganizer")}
    # What the snapshot holds for any event, HubSpot holds too.
    for object_id, synced in snapshot.items():
        event = hubspot[object_id]
        assert {f: event[f] for f in synced["values"]} == synced["values"], object_id


def assert_stderr_is_clean(result: CliResult) -> None:
    """Waits and retries are reported; the token and event contents never are."""
    assert TOKEN not in result.out + result.err
    assert "Renamed" not in result.err and "inputs" not in result.err
    for line in result.err.splitlines():
        assert line.startswith("eventsync: ") or " s (retry " in line, line
