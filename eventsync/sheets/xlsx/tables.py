"""Tables (ListObjects) on a worksheet: where they are, their column names, and the one
write they forbid (a header cell that differs from its table column's name).

Read-only: tables are never changed (annotation columns just right of a table sit
beside it; the user can widen it in Excel). It must never let a write make a table's
header cell differ from its column name, because then Excel repairs the file.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

from eventsync.errors import UnsupportedWorkbookError
from eventsync.messages import Text
from eventsync.model import CellValue
from eventsync.sheets.xlsx.parts import MAIN_NS, RT_TABLE, member_name, read_xml, relationships
from eventsync.sheets.xlsx.refs import cell_name, parse_ref


@dataclass(frozen=True)
class Table:
    """A table (ListObject) on the sheet: where it is and the names of its columns."""

    name: str
    first_row: int
    first_col: int
    last_row: int
    last_col: int
    has_header: bool
    columns: tuple[str, ...]


def read_tables(zf: zipfile.ZipFile, sheet_part: str) -> list[Table]:
    tables = []
    for _, kind, target in relationships(zf, sheet_part):
        name = member_name(zf, target)
        if not kind.endswith(RT_TABLE) or name is None:
            continue
        root = read_xml(zf, name)
        bounds = parse_ref(root.get("ref", "").encode())
        if bounds is None:
            continue
        columns = tuple(c.get("name", "") for c in root.iter(f"{{{MAIN_NS}}}tableColumn"))
        tables.append(
            Table(
                root.get("displayName", name), *bounds, root.get("headerRowCount") != "0", columns
            )
        )
    return tables


def check_table_headers(
    tables: list[Table], cells: Mapping[tuple[int, int], CellValue], where: str
) -> None:
    """Refuse writing into a table's header row anything but that column's name."""
    for table in tables:
        if not table.has_header:
            continue
        for (row, column), text in cells.items():
            if row != table.first_row or not table.first_col <= column <= table.last_col:
                continue
            index = column - table.first_col
            name = table.columns[index] if index < len(table.columns) else None
            if name is None or (text != name and text != _decode_name(name)):
                at = Text("refuse.at_cell", where=where, cell=cell_name(row, column))
                raise UnsupportedWorkbookError(
                    Text("refuse.table_header", where=at, table=table.name, column=name, text=text)
                )


def _decode_name(name: str) -> str:
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), name)
