"""`eventsync history OBJECTID`: an event's recorded changes (state/event_history.py
reads them), newest first, as lines or JSON. Reads the state only through
`read_history`; never writes it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from sync.errors import SheetError
from sync.messages import Text, command
from sync.model import FieldValue
from sync.state.event_history import read_history
from sync.state.history import Change, history_json
from sync.visible import one_line


def _show(value: FieldValue) -> str:
    if value is None:
        return "(empty)"
    return json.dumps(value, ensure_ascii=False)


def render_history(object_id: str, portal: str, changes: Iterable[Change]) -> str:
    """Newest first, one line per field change."""
    lines = [f"history of event {object_id} in {portal}, newest first"]
    for change in changes:
        before = _show(change.before) if change.before_known else "(never synced)"
        where = f", {change.sheet} row {change.row_number}" if change.sheet else ""
        if change.row_number is not None and not change.sheet:
            where = f", row {change.row_number}"
        lines.append(
            f"{change.at[:19].replace('T', ' ')}Z  {change.field}: {before} -> {_show(change.value)}"
            f"  ({change.kind.value}{where}; HubSpot updatedAt {change.updated_at};"
            f" run of {change.run[:19].replace('T', ' ')}Z)"
        )
    if len(lines) == 1:
        lines.append("(no change recorded: this event was never synced from this folder)")
    # One change, one line, whatever a sheet's name or a value holds.
    return "\n".join(map(one_line, lines))


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
