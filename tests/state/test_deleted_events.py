"""The state's memory of deleted events (format 5, state/deleted.py): remembered in one
transaction with the snapshot dropped and the history told, kept per portal, read back
by the next run, and a format-3 database upgraded in place keeping what it held."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from helpers.state_formats import reopened_from_format

from eventsync.lifecycle import DeletedEvent, DeleteKind
from eventsync.model import SyncedEvent, frozen
from eventsync.state.database import DB_NAME
from eventsync.state.deleted import deleted_events, is_deleted
from eventsync.state.event_history import read_history
from eventsync.state.history import ChangeKind
from eventsync.state.schema import SCHEMA_VERSION
from eventsync.state.snapshot import SnapshotStore

BASE_URL = "https://api.hubapi.com"


def clock():
    ticks = iter(f"2026-12-07T10:00:{n:02d}.000Z" for n in range(60))
    return lambda: next(ticks)


def test_a_deleted_event_is_remembered_dropped_from_the_snapshot_and_in_the_history(tmp_path):
    store = SnapshotStore(tmp_path, BASE_URL, portal="111", now=clock())
    store.merge({i: SyncedEvent(frozen({"eventName": i}), "t1") for i in ("1", "2", "3")})
    store.forget_deleted(
        {"1": DeleteKind.BY_EVENTSYNC, "2": DeleteKind.IN_HUBSPOT},
        sheet="events.xlsx",
        rows={"1": 2, "2": 3},
    )
    store.close()

    again = SnapshotStore(tmp_path, BASE_URL, portal="111")
    assert set(again.events) == {"3"}
    assert dict(deleted_events(again)) == {
        "1": DeletedEvent("1", DeleteKind.BY_EVENTSYNC, "2026-12-07T10:00:02.000Z"),
        "2": DeletedEvent("2", DeleteKind.IN_HUBSPOT, "2026-12-07T10:00:02.000Z"),
    }
    assert is_deleted(again, "2") and not is_deleted(again, "3")
    [change] = read_history(tmp_path, "111", "1") or []
    assert (change.kind, change.sheet, change.row_number) == (ChangeKind.DELETED, "events.xlsx", 2)
    assert read_history(tmp_path, "111", "2")[0].kind is ChangeKind.GONE
    again.close()
    other = SnapshotStore(tmp_path, BASE_URL, portal="222")  # another portal: its own
    assert deleted_events(other) == {}
    other.close()


def test_a_format_3_database_is_upgraded_in_place_keeping_its_events(tmp_path):
    path = tmp_path / DB_NAME
    again = reopened_from_format(tmp_path, 3, BASE_URL, portal="111")
    assert again.events["101"].values["eventName"] == "A" and deleted_events(again) == {}
    again.forget_deleted({"101": DeleteKind.IN_HUBSPOT})
    again.close()
    third = SnapshotStore(tmp_path, BASE_URL, portal="111")
    assert set(deleted_events(third)) == {"101"}
    third.close()
    with closing(sqlite3.connect(path)) as reading:
        version = reading.execute("PRAGMA user_version").fetchone()[0]
    assert version == SCHEMA_VERSION
