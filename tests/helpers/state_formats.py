"""A state database made as an older eventsync left it: the tables of every later
format dropped, its format number set back. One list, so that a new format cannot be
forgotten by one test's "older file" and not another's."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from eventsync.state.schema import SCHEMA_VERSION

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
