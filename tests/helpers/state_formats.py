"""A state database made as an older eventsync left it: the tables of every later
format dropped, its format number set back. One list, so that a new format cannot be
forgotten by one test's "older file" and not another's."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from eventsync.model import SyncedEvent, frozen
from eventsync.state.database import DB_NAME
from eventsync.state.schema import SCHEMA_VERSION
from eventsync.state.snapshot import SnapshotStore

# The tables each format added (eventsync/state/schema.py).
ADDED_BY_FORMAT: dict[int, tuple[str, ...]] = {
    2: ("portals",),
    3: ("in_flight",),
    4: ("creates",),
    5: ("deleted",),
    6: ("participations",),
}


def make_older(path: Path, version: int) -> None:
    """`path` as format `version` of the state database was."""
    assert max(ADDED_BY_FORMAT) == SCHEMA_VERSION, "a new format: add its tables above"
    with closing(sqlite3.connect(path)) as connection:
        for added in range(version + 1, SCHEMA_VERSION + 1):
            for table in ADDED_BY_FORMAT[added]:
                connection.execute(f"DROP TABLE {table}")
        connection.execute(f"PRAGMA user_version = {version}")
        connection.commit()


def reopened_from_format(
    folder: Path, version: int, base_url: str, portal: str | None = None
) -> SnapshotStore:
    """The store of `folder` once an eventsync of format `version` had synced event 101
    (eventName "A") there, opened again by this one (which upgrades it in place)."""
    store = SnapshotStore(folder, base_url, portal=portal)
    store.merge({"101": SyncedEvent(frozen({"eventName": "A"}), "t1")})
    store.close()
    make_older(folder / DB_NAME, version)
    return SnapshotStore(folder, base_url, portal=portal)
