"""`eventsync history OBJECTID`: an event's recorded changes (state/event_history.py
reads them), newest first, as lines or JSON. Reads the state only through
`read_history`; never writes it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from eventsync.errors import SheetError
from eventsync.messages import Text, command, joined
from eventsync.model import FieldValue
from eventsync.state.event_history import read_history
from eventsync.state.history import Change, ChangeKind, history_json

KINDS = {
    ChangeKind.SENT: Text("history.sent"),
    ChangeKind.AGREED: Text("history.agreed"),
    ChangeKind.INTO_SHEET: Text("history.into_sheet"),
    ChangeKind.PULLED: Text("history.pulled"),
    ChangeKind.DELETED: Text("history.deleted"),
    ChangeKind.GONE: Text("history.gone"),
    ChangeKind.CREATED: Text("history.created"),
}


def _show(value: FieldValue) -> str:
    if value is None:
        return Text("history.empty")
    return json.dumps(value, ensure_ascii=False)


def _where(change: Change) -> str:
    if change.sheet:
        return Text("history.in_sheet_row", sheet=change.sheet, row=change.row_number)
    if change.row_number is not None:
        return Text("history.in_row", row=change.row_number)
    return ""


def render_history(object_id: str, portal: str, changes: Iterable[Change]) -> str:
    """Newest first, one line per field change: a message, said in the reader's
    language where it is printed. Every field is shown on one line (eventsync/messages), so
    a sheet's name or a value holding a line break cannot make a line of its own."""
    lines: list[str] = [Text("history.title", object_id=object_id, portal=portal)]
    for change in changes:
        before = _show(change.before) if change.before_known else Text("history.never_synced")
        lines.append(
            Text(
                "history.change",
                at=change.at[:19].replace("T", " "),
                field=change.field,
                before=before,
                after=_show(change.value),
                kind=KINDS[change.kind],
                where=_where(change),
                updated_at=change.updated_at,
                run=change.run[:19].replace("T", " "),
            )
        )
    if len(lines) == 1:
        lines.append(Text("history.no_change"))
    return joined(lines, "\n")


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
