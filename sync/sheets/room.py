"""Room to write: what a sheet and the state folder must allow before anything is sent.

Annotate stage, checks only: the run asks them before the first request, so a sheet
with no column left for the results, or a backups folder that cannot be one, is refused
(exit 2, naming it) instead of failing after HubSpot applied the changes. It never
writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sync.columns import header_text
from sync.errors import StateFolderError, UnsupportedWorkbookError
from sync.messages import Text
from sync.model import Sheet
from sync.sheets.xlsx.refs import MAX_COLUMN, column_letters

BACKUPS = "backups"  # the state folder's folder of backups


def refuse_no_room(
    sheet: Sheet, columns: Mapping[str, int], cells: Mapping[tuple[int, int], object]
) -> None:
    """Refuse annotation columns (`columns`: field -> column number) that would fall
    right of XFD, the last column a sheet has (a header or notes reaching it): there is
    no cell to write them into."""
    beyond = [name for name, column in columns.items() if column > MAX_COLUMN]
    if beyond and any(column > MAX_COLUMN for _, column in cells):
        raise UnsupportedWorkbookError(
            Text(
                "limits.no_room_right",
                file=sheet.name,
                sheet=sheet.sheet_name,
                last=column_letters(MAX_COLUMN).decode(),
                columns=", ".join(header_text(name, "en") for name in beyond),
            )
        )


def check_backups(state_dir: Path) -> None:
    """Refuse a backups folder that cannot be one (a file stands in its place): the
    backup made before the sheet is written would fail."""
    base = state_dir / BACKUPS
    if base.exists() and not base.is_dir():
        problem = backups_unusable(base, Text("limits.is_a_file"))
        raise StateFolderError(Text("limits.nothing_sent", problem=problem))


def backups_unusable(base: Path, why: str | None) -> Text:
    return Text("limits.backups_unusable", folder=base, why=why)
