"""`eventsync history OBJECTID`: an event's recorded changes, read from the state
database, newest first. Reads only; never writes the state.
"""

from __future__ import annotations

import json
from pathlib import Path

from sync.errors import SheetError
from sync.messages import Text, command
from sync.state.database import StateDatabase, database_path
from sync.state.database_errors import guarded
from sync.state.history import Change, history_json, render_history


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


def show_history(
    database_dir: Path, portal: str, object_id: str, *, as_json: bool, label: str | None = None
) -> str:
    """What `eventsync history OBJECTID` prints; `portal`: the key of the account
    (state/portal.py)."""
    wanted = object_id.strip()
    if not (wanted.isascii() and wanted.isdigit()):
        raise SheetError(
            Text("history.not_id", value=object_id, example=command("history", "5823713216"))
        )
    changes = read_history(database_dir, portal, wanted)
    if changes is None:
        return Text("history.none", folder=database_dir)
    if as_json:
        return json.dumps(history_json(wanted, portal, changes), ensure_ascii=False, indent=2)
    return render_history(wanted, label or portal, changes)
