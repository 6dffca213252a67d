"""`eventsync history OBJECTID`: an event's recorded changes, read from the state
database, newest first. Reads only; never writes the state.
"""

from __future__ import annotations

from pathlib import Path

from eventsync.state.database import StateDatabase, database_path
from eventsync.state.database_errors import guarded
from eventsync.state.history import Change


def read_history(database_dir: Path, portal: str, object_id: str) -> list[Change] | None:
    """An event's changes, newest first; None when there is no state database yet."""
    path = database_path(database_dir)
    if not path.exists():
        return None
    database = StateDatabase.open(path)
    try:
        with guarded(path):
            return database.history(portal, object_id)
    finally:
        database.close()
