"""How big a workbook eventsync agrees to read: checked before calamine sees the file.

calamine holds a sheet as one rectangle of cells from A1 to the last row and column
used, and inflates every part it reads into memory. A cell at XFD1048576 asks it for
half a terabyte (the process aborts); a zip bomb (a small file whose parts inflate to
gigabytes) takes all the memory there is. Both are refused with a message (exit 2)
before any of that happens. The limits are far above any real events sheet.

Read-only: it reads the zip directory (declared sizes; calamine's zip reader refuses a
part larger than it declares, so the declared sizes bound what it inflates) and takes
the sheet's extent from the reader's streaming scan. It never inflates a part itself.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from eventsync.errors import UnsupportedWorkbookError
from eventsync.messages import Text
from eventsync.safe_files import open_shared
from eventsync.sheets.xlsx.refs import column_letters
from eventsync.sheets.xlsx.refusals import reading

# A 100k-row x 15-column events sheet is about 60 MB of XML all parts together.
MAX_UNCOMPRESSED_BYTES = 400 << 20
# calamine's rectangle of cells: every row Excel allows (1,048,576) x 38 columns, or
# 100,000 rows x 400 columns. Each cell costs calamine 32 bytes or more.
MAX_GRID_CELLS = 40_000_000


def check_package_size(path: Path) -> None:
    """Refuse a workbook whose parts would inflate beyond MAX_UNCOMPRESSED_BYTES."""
    with reading(path), open_shared(path) as file, zipfile.ZipFile(file) as zf:
        total = sum(info.file_size for info in zf.infolist())
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UnsupportedWorkbookError(
            Text(
                "refuse.unpacked_too_large",
                file=path.name,
                size=f"{total / (1 << 20):,.0f}",
                limit=MAX_UNCOMPRESSED_BYTES >> 20,
            )
        )


def check_extent(path: Path, sheet_name: str, last_row: int, last_column: int) -> None:
    """Refuse a sheet whose used area (A1 to its last row and column) is too large."""
    if last_row * last_column <= MAX_GRID_CELLS:
        return
    corner = f"{column_letters(last_column).decode()}{last_row}"
    raise UnsupportedWorkbookError(
        Text(
            "refuse.extent",
            where=Text("refuse.in_sheet", file=path.name, sheet=sheet_name),
            corner=corner,
            rows=f"{last_row:,}",
            columns=f"{last_column:,}",
            most=f"{MAX_GRID_CELLS:,}",
        )
    )
