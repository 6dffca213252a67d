"""Room to write: the columns a sheet must have left before anything is sent.

Annotate stage, checks only: the run asks before the first request, so a sheet with no
column left for the results is refused (exit 2, naming it) instead of failing after
HubSpot applied the changes. (The backups folder is checked in `backups`.) It never
writes.
"""

from __future__ import annotations

from collections.abc import Mapping

from eventsync.columns import header_text
from eventsync.errors import UnsupportedWorkbookError
from eventsync.messages import Text
from eventsync.model import Sheet
from eventsync.sheets.xlsx.refs import column_letters


def refuse_no_room(
    sheet: Sheet,
    columns: Mapping[str, int],
    cells: Mapping[tuple[int, int], object],
    max_column: int | None,
) -> None:
    """Refuse annotation columns (`columns`: field -> column number) that would fall
    right of `max_column`, the last column a sheet of its format has (XFD in a
    workbook; None: no limit), a header or notes reaching it: there is no cell to write
    them into."""
    if max_column is None:
        return
    beyond = [name for name, column in columns.items() if column > max_column]
    if beyond and any(column > max_column for _, column in cells):
        raise UnsupportedWorkbookError(
            Text(
                "limits.no_room_right",
                file=sheet.name,
                sheet=sheet.sheet_name,
                last=column_letters(max_column).decode(),
                columns=", ".join(header_text(name, "en") for name in beyond),
            )
        )
