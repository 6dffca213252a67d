"""Excel 4 macro sheets (`xl/macrosheets/`): a workbook that has one is read like any other.

calamine stops at a macro sheet ("Unrecognized sheet type") and reads nothing, though
the events are on an ordinary worksheet beside it. So the reader hands calamine a
temporary copy whose workbook part lists only the other sheets (and no defined names,
which may point into the macro sheet); every other member of the copy is the original's
raw record. Dialog sheets (`xl/dialogsheets/`) calamine reads: they need nothing here.

Read stage: it never changes the user's file (the writer patches the original, macro
sheet and all, byte for byte), and the copy lives in a private temporary folder that is
removed when the read is done.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lxml import etree

from eventsync.safe_files import open_shared
from eventsync.sheets.xlsx.package import DeflatedPart, write_package
from eventsync.sheets.xlsx.parts import MAIN_NS, REL_NS, find_workbook_part, read_xml, relationships
from eventsync.sheets.xlsx.refusals import reading

# Relationship types of macro sheets, by the end of their URI (Excel 4 and its
# international variant).
RT_MACRO_SHEETS = ("/xlMacrosheet", "/xlIntlMacrosheet")


@contextmanager
def readable_by_calamine(path: Path) -> Iterator[Path]:
    """`path` itself, or (when the workbook has macro sheets) a temporary copy without
    them in its sheet list, for as long as the `with` block lasts."""
    workbook = _without_macro_sheets(path)
    if workbook is None:
        yield path
        return
    part, content = workbook
    with tempfile.TemporaryDirectory(prefix="eventsync-read-") as folder:
        copy = Path(folder) / path.name
        write_package(path, copy, {part: DeflatedPart.from_bytes(content)})
        yield copy


def _without_macro_sheets(path: Path) -> tuple[str, bytes] | None:
    """(workbook part, its XML without the macro sheets), or None if it has none."""
    part = find_workbook_part(path)
    with reading(path), open_shared(path) as file, zipfile.ZipFile(file) as zf:
        macro_ids = {r.id for r in relationships(zf, part) if r.type.endswith(RT_MACRO_SHEETS)}
        if not macro_ids:
            return None
        workbook = read_xml(zf, part)
    for sheet in workbook.findall(f"{{{MAIN_NS}}}sheets/{{{MAIN_NS}}}sheet"):
        if sheet.get(f"{{{REL_NS}}}id") in macro_ids:
            sheet.getparent().remove(sheet)  # type: ignore[union-attr]
    for names in workbook.findall(f"{{{MAIN_NS}}}definedNames"):
        workbook.remove(names)
    return part, etree.tostring(workbook, xml_declaration=True, encoding="UTF-8", standalone=True)
