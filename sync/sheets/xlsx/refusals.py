"""How the xlsx layer says no: the error types and the wording of its refusals.

Every refusal is an `UnsupportedWorkbookError` whose message says where (file, sheet,
cell), what is there, and what to do. It must never raise a bare ValueError for the
user's data (that is kept for a caller's programming mistakes), nor let a zip or XML
library's exception reach the user unexplained.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lxml import etree

from sync.errors import UnsupportedWorkbookError

SAVE_AS_XLSX = "save it as .xlsx (Excel Workbook)"


class CellValueError(UnsupportedWorkbookError):
    """A value no Excel cell can hold (a text over 32,767 characters, NaN, infinity)."""


def damaged(path: Path) -> UnsupportedWorkbookError:
    return UnsupportedWorkbookError(
        f"{path.name} is damaged (its zip structure cannot be read); open it in Excel and "
        f"{SAVE_AS_XLSX}"
    )


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Turn the errors of a corrupt zip or XML part into a message for the user."""
    try:
        yield
    except (zipfile.BadZipFile, etree.XMLSyntaxError, zlib.error, EOFError) as error:
        raise UnsupportedWorkbookError(
            f"{path.name} is damaged ({error}); open it in Excel and {SAVE_AS_XLSX}"
        ) from error
