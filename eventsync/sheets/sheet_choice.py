"""Which worksheet of a workbook holds the events, when none is named `Events`.

Read stage, pure: the visible worksheets' names and those whose header holds an objectId
column in, one name out (or a refusal). It never opens a file.

The rule, and why it is the careful one: the one sheet with an objectId header is read,
wherever it sits (a cover or a "How to use" sheet first is how workbooks are handed
round). Two or more such sheets are refused, naming them: they are often an old copy
beside the current list ("Events (2)", "Q1 events"), and syncing each, or the first,
could send rows the user did not mean; renaming the one to sync `Events` is the choice,
and it is one rename. No sheet with such a header: refused naming the sheets looked at
(a workbook of one visible sheet reads it, and says what its header lacks).

A worksheet named `Participants` or `参加者` (compared as headers are: width, case,
spaces) is the workbook's participants sheet (docs/participants-workbooks.md): it has an
objectId column too, and is never the events sheet, whatever else the workbook holds.
"""

from __future__ import annotations

from collections.abc import Sequence

from eventsync.columns import normalise_header
from eventsync.errors import SheetError
from eventsync.messages import Text

PARTICIPANTS_SHEET_NAMES = ("Participants", "参加者")
_PARTICIPANTS = frozenset(normalise_header(name) for name in PARTICIPANTS_SHEET_NAMES)


def participants_sheet_name(language: str) -> str:
    """The name eventsync gives a participants sheet it writes, in `language`."""
    return PARTICIPANTS_SHEET_NAMES[1 if language == "ja" else 0]


def is_participants_sheet(name: str) -> bool:
    """Whether a worksheet's name makes it the workbook's participants sheet."""
    return normalise_header(name) in _PARTICIPANTS


def choose_sheet(file: str, visible: Sequence[str], holding_header: Sequence[str]) -> str:
    """The sheet to read of `visible` (in workbook order), given those of them
    `holding_header`; refuses a workbook with none visible or several holding one.
    A participants sheet is neither visible nor holding here (never the events)."""
    visible = [name for name in visible if not is_participants_sheet(name)]
    holding_header = [name for name in holding_header if not is_participants_sheet(name)]
    if len(holding_header) == 1:
        return holding_header[0]
    if len(holding_header) > 1:
        raise SheetError(
            Text("sheet.several_with_header", file=file, sheets=", ".join(holding_header))
        )
    if not visible:
        raise SheetError(Text("sheet.none_visible", file=file))
    if len(visible) > 1:
        # The first sheet's own complaint ("row 1 is empty") would be about a cover.
        raise SheetError(Text("sheet.none_with_header", file=file, sheets=", ".join(visible)))
    return visible[0]
