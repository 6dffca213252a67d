"""The one small interface every sheet format offers: read, check, write.

Read and annotate stages. A format is a value (`SheetFormat`) of plain functions, one
module per format (csvkit's `convert/` is the model), registered by suffix in
`sheets/formats/__init__.py`: the reader, the folder scan and the writer ask the
registry, never compare format names themselves. Nothing here reads or writes a file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from eventsync.model import CellValue, Sheet

Cells = dict[tuple[int, int], CellValue]  # (row, column), 1-based -> the value to write


# write(sheet, target, cells, source): the file `sheet` was read from, with `cells`
# changed and nothing else, written to `target` (a new file beside it); read from
# `source`, an open handle of that file, when given.
Write = Callable[[Sheet, Path, Cells, IO[bytes] | None], None]


@dataclass(frozen=True)
class SheetFormat:
    """A file format eventsync syncs: how a file of it is read into a `Sheet`, what its
    write would refuse, and how cells are written back into it losslessly."""

    name: str  # `Sheet.format` of the sheets it reads
    suffixes: tuple[str, ...]  # lower case, with the dot: ".xlsx"
    # The sheet in the file at this path; `SheetError` (naming the file and what to
    # do) for a file that cannot be used.
    read: Callable[[Path], Sheet]
    write: Write
    # Raise what `write` would raise for these cells, writing nothing: asked before the
    # first request, so a refusal never follows a send (None: it refuses nothing).
    check: Callable[[Sheet, Cells], None] | None = None
    max_column: int | None = None  # the last column a sheet can have (None: no limit)
    # A result's text (updatedAt, syncError) as this format holds it in a cell (None:
    # as it is).
    note: Callable[[str], str] | None = None
    # A typed value (two-way sync: HubSpot's value for an event cell) as this format
    # holds it in a cell (CSV has only text; None: as it is).
    value: Callable[[CellValue], CellValue] | None = None
