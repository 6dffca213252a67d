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

from eventsync.errors import UnsupportedWorkbookError
from eventsync.messages import Text


class CellValueError(UnsupportedWorkbookError):
    """A value no Excel cell can hold (a text over 32,767 characters, NaN, infinity).
    `problem` says what, without where: a caller that knows the place better (the
    column of a pulled event) says it again with its own `where`."""

    def __init__(self, problem: Text, where: str = ""):
        super().__init__(Text("refuse.at", where=where, problem=problem) if where else problem)
        self.problem = problem


def damaged(path: Path) -> UnsupportedWorkbookError:
    return UnsupportedWorkbookError(Text("refuse.damaged_zip", file=path.name))


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Turn the errors of a corrupt zip or XML part into a message for the user."""
    try:
        yield
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        # The zip library's words are English and say no more than "damaged" does.
        raise damaged(path) from error
    except etree.XMLSyntaxError as error:  # the parser's words say where, for whoever repairs it
        raise UnsupportedWorkbookError(
            Text("refuse.damaged", file=path.name, error=str(error))
        ) from error
