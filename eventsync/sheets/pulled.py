"""The workbook `pull` writes: every event of the portal on the Events sheet, laid out as
`template.build_workbook(rows, ..., counters=True)` lays it out (the same header and its notes, column
widths, formats, TRUE/FALSE list, frozen header, filter and Instructions sheet).

openpyxl writes all of it but the event rows (a write-only workbook holding the header);
the rows are written here as sheet XML and spliced into openpyxl's Events part while the
package is copied out. openpyxl took about 120 us a row, and a pull of 100,000 events spent
12 of its 15 s after the last page in it. Each row's cells of the fixed columns are made
as its event comes in, while pull waits for the next page anyway; only the row numbers
(known once every event is in and sorted) and the columns after the fixed ones (custom
properties, known then too, and the annotations) are added at the end. Text is written
as inline strings, escaped as the sheet writer escapes it: never a formula.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from eventsync.columns import (
    ANNOTATIONS,
    COLUMNS,
    EXTERNAL_EVENT_ID,
    SYNC_ERROR,
    Kind,
    header_text,
    kind_of,
    template_fields,
)
from eventsync.model import CellValue
from eventsync.safe_files import write_with
from eventsync.sheets.template import (
    BOOLEAN_FORMAT,
    DATE_TIME_FORMAT,
    HEADER_FILL_COLOR,
    HEADER_FONT_COLOR,
    INSTRUCTIONS,
    WIDTHS,
    help_text,
)
from eventsync.sheets.xlsx.refusals import CellValueError
from eventsync.sheets.xlsx.values import datetime_text, encode_text, excel_serial

ROW_MARK = b"\0"  # where a row's number goes; escaped in any text (`_x0000_`), so unique
# 100,000 events: 5.4 MB instead of zlib's default level's 4.6 MB, written 0.2 s sooner.
ZIP_LEVEL = 1
ROWS_PER_WRITE = 500
# A row: its cells of the fixed columns (`PulledWorkbook.cells`), and its values of the
# columns after them.
Row = tuple[bytes, Sequence[CellValue]]


@dataclass(frozen=True)
class SideSheet:
    """A worksheet written after Events (`pull --participants`' Participants): its name,
    its header texts, each column's kind (date-times formatted as on Events), and its
    rows, one value per column (header only when there are none)."""

    name: str
    headers: tuple[str, ...]
    kinds: tuple[Kind, ...]
    rows: Sequence[Sequence[CellValue]]


class PulledWorkbook:
    """`cells(values)` for each event as it comes in; then `write` once, with every row."""

    def __init__(self, lang: str = "en") -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        self.lang = lang
        self._workbook = Workbook(write_only=True)
        self._sheet = self._workbook.create_sheet("Events")

        def style(**attributes: Any) -> bytes:
            cell = WriteOnlyCell(self._sheet)
            for name, value in attributes.items():
                setattr(cell, name, value)
            return b' s="%d"' % cell.style_id  # registered in the workbook's styles

        self._styles = {
            Kind.DATETIME: style(number_format=DATE_TIME_FORMAT),
            Kind.BOOLEAN: style(number_format=BOOLEAN_FORMAT),
        }
        self._quoted = style(quotePrefix=True)  # "=..." text: Excel keeps it text when edited
        self._fixed = self._columns([kind_of(column.key) for column in COLUMNS], 1)

    def _columns(self, kinds: list[Kind], first: int) -> list[tuple[bytes, bytes]]:
        """(column letters, `s` attribute) of each column from column number `first`."""
        from openpyxl.utils import get_column_letter

        return [
            (get_column_letter(number).encode(), self._styles.get(kind, b""))
            for number, kind in enumerate(kinds, first)
        ]

    def cells(self, values: Sequence[CellValue]) -> bytes:
        """The XML of a row's cells in the fixed columns (`COLUMNS`), one value each,
        its row number left as `ROW_MARK`."""
        parts = []
        field = ""
        try:
            for (letter, style), value, column in zip(self._fixed, values, COLUMNS, strict=True):
                field = column.key
                parts.append(_cell_xml(letter + ROW_MARK, style, self._quoted, value))
        except CellValueError as error:  # said again, naming the column
            raise CellValueError(error.problem, header_text(field, self.lang)) from None
        return b"".join(parts)

    def write(
        self,
        target: Path,
        rows: Iterable[Row],
        *,
        count: int,
        custom: tuple[str, ...] = (),
        external: bool = False,
        before_replace: Callable[[], None] | None = None,
        side: SideSheet | None = None,
    ) -> None:
        """Write the workbook atomically to `target` (`before_replace` runs just before
        it replaces a file there). `rows`: each row's `cells(...)` and its values of the
        columns after the fixed ones (each custom property, then HubSpot's counters, then
        the annotations, then with `external` the externalEventId), in the order of the
        sheet; `count` of them. `side`: a worksheet after Events."""
        fields = template_fields(custom, counters=True)
        fields += [EXTERNAL_EVENT_ID] if external else []
        kinds = [kind_of(f) if f not in ANNOTATIONS else Kind.TEXT for f in fields]
        # (externalEventId: text, as kind_of says of a name it does not know)
        last_row = max(200, count + 1)
        side_part = None if side is None else self._side_sheet(side)
        self._frame(fields, kinds, last_row)
        frame = io.BytesIO()
        self._workbook.save(frame)
        parts: dict[str, Callable[[], Iterator[bytes]]] = {}
        if side_part is not None:  # (a sheet's part is named once the workbook is saved)
            sheet, rows_xml = side_part
            parts[sheet.path.lstrip("/")] = rows_xml
        rest = self._columns(kinds[len(COLUMNS) :], len(COLUMNS) + 1)
        styled = [(letter, style) for letter, style in self._fixed + rest if style]
        events_part = self._sheet.path.lstrip("/")
        parts[events_part] = lambda: self._rows_xml(rows, rest, styled, last_row)

        def produce(temp: Path) -> None:
            with (
                zipfile.ZipFile(frame) as source,
                zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as out,
            ):
                for info in source.infolist():
                    data = source.read(info)
                    if info.filename not in parts:
                        out.writestr(info.filename, data)
                        continue
                    head, tail = data.rsplit(b"</sheetData>", 1)
                    with out.open(info.filename, "w", force_zip64=True) as part:
                        part.write(head)
                        for chunk in parts[info.filename]():
                            part.write(chunk)
                        part.write(b"</sheetData>" + tail)

        write_with(target, produce, before_replace=before_replace)

    def _side_sheet(self, side: SideSheet) -> tuple[Any, Callable[[], Iterator[bytes]]]:
        """The side sheet's frame (its header, through openpyxl), and how its rows' XML
        is made; made before Instructions, so it comes second."""
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        sheet = self._workbook.create_sheet(side.name)
        header = []
        for number, (text, kind) in enumerate(zip(side.headers, side.kinds, strict=True), 1):
            cell = WriteOnlyCell(sheet, text)
            cell.font = Font(bold=True, color=HEADER_FONT_COLOR)
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL_COLOR)
            cell.alignment = Alignment(vertical="center")
            header.append(cell)
            sheet.column_dimensions[get_column_letter(number)].width = WIDTHS[kind]
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(side.headers))}1"
        sheet.append(header)
        columns = self._columns(list(side.kinds), 1)
        return sheet, lambda: self._side_rows_xml(side, columns)

    def _cells_xml(
        self,
        sheet: str,
        row: bytes,
        columns: list[tuple[bytes, bytes]],
        values: Sequence[CellValue],
    ) -> Iterator[bytes]:
        """One row's cells; a value a cell cannot hold is named by sheet and cell."""
        for (letter, style), value in zip(columns, values, strict=True):
            try:
                yield _cell_xml(letter + row, style, self._quoted, value)
            except CellValueError as error:
                at = f"{sheet}!{(letter + row).decode()}"  # (a cell's name, not a message)
                raise CellValueError(error.problem, at) from None

    def _side_rows_xml(
        self, side: SideSheet, columns: list[tuple[bytes, bytes]]
    ) -> Iterator[bytes]:
        parts: list[bytes] = []
        for number, values in enumerate(side.rows, 2):
            row = b"%d" % number
            parts.append(b'<row r="%s">' % row)
            parts.extend(self._cells_xml(side.name, row, columns, values))
            parts.append(b"</row>")
            if number % ROWS_PER_WRITE == 0:
                yield b"".join(parts)
                parts = []
        yield b"".join(parts)

    def _rows_xml(
        self,
        rows: Iterable[Row],
        rest: list[tuple[bytes, bytes]],
        styled: list[tuple[bytes, bytes]],
        last_row: int,
    ) -> Iterator[bytes]:
        """`<row>` elements for rows 2 to `last_row`, a few hundred at a time; rows past
        the events hold only the (empty) cells of date and TRUE/FALSE columns, formatted."""
        parts: list[bytes] = []
        last = 1
        for number, (fixed, values) in enumerate(rows, 2):
            row = b"%d" % number
            parts.append(b'<row r="%s">%s' % (row, fixed.replace(ROW_MARK, row)))
            parts.extend(self._cells_xml("Events", row, rest, values))
            parts.append(b"</row>")
            last = number
            if number % ROWS_PER_WRITE == 0:
                yield b"".join(parts)
                parts = []
        for number in range(last + 1, last_row + 1):
            row = b"%d" % number
            parts.append(b'<row r="%s">' % row)
            parts.extend(b'<c r="%s%s"%s/>' % (letter, row, style) for letter, style in styled)
            parts.append(b"</row>")
        yield b"".join(parts)

    def _frame(self, fields: list[str], kinds: list[Kind], last_row: int) -> None:
        """Everything but the event rows, through openpyxl."""
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.comments import Comment
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.datavalidation import DataValidation

        sheet, lang = self._sheet, self.lang
        header_fill = PatternFill("solid", fgColor=HEADER_FILL_COLOR)
        header_font = Font(bold=True, color=HEADER_FONT_COLOR)
        header = []
        for number, (field, kind) in enumerate(zip(fields, kinds, strict=True), 1):
            cell = WriteOnlyCell(sheet, header_text(field, lang))
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(vertical="center")
            cell.comment = Comment(help_text(field, lang), "eventsync", width=260, height=90)
            header.append(cell)
            letter = get_column_letter(number)
            sheet.column_dimensions[letter].width = 48 if field == SYNC_ERROR else WIDTHS[kind]
            if kind is Kind.BOOLEAN:
                choice = DataValidation(type="list", formula1='"TRUE,FALSE"', allow_blank=True)
                choice.add(f"{letter}2:{letter}{last_row}")
                sheet.data_validations.append(choice)  # (write-only: no add_data_validation)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(fields))}1"
        sheet.append(header)

        guide = self._workbook.create_sheet("Instructions" if lang == "en" else "使い方")
        guide.column_dimensions["A"].width = 95
        guide.column_dimensions["B"].width = 95
        for number, (english, japanese) in enumerate(INSTRUCTIONS):
            texts: list[Any] = [japanese, english] if lang == "ja" else [english, japanese]
            if number == 0:
                texts = [WriteOnlyCell(guide, text) for text in texts]
                for cell in texts:
                    cell.font = Font(bold=True, size=14)
            guide.append(texts)


def _cell_xml(ref: bytes, style: bytes, quoted: bytes, value: CellValue) -> bytes:
    """One cell: empty (kept only for its format), text, TRUE/FALSE, a number or a date."""
    if value is None or value == "":
        return b'<c r="%s"%s/>' % (ref, style) if style else b""
    if isinstance(value, str):
        text = encode_text(value)  # (a CellValueError is said again with its column)
        style = quoted if value.startswith("=") else style
        return b'<c r="%s"%s t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (
            ref,
            style,
            text,
        )
    if isinstance(value, bool):
        return b'<c r="%s"%s t="b"><v>%d</v></c>' % (ref, style, value)
    if isinstance(value, datetime):
        serial = excel_serial(value)
        if serial is None:  # before 1900: a cell can show it only as text
            return _cell_xml(ref, b"", quoted, datetime_text(value))
        return b'<c r="%s"%s><v>%s</v></c>' % (ref, style, serial)
    return b'<c r="%s"%s><v>%s</v></c>' % (ref, style, repr(value).encode())
