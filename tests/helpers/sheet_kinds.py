"""Sheets neither xlsxwriter nor openpyxl writes, added to a workbook as Excel lays them
out: an Excel 4 macro sheet (`xl/macrosheets/sheetN.xml`, relationship type
`.../2006/relationships/xlMacrosheet`) and a dialog sheet (`xl/dialogsheets/sheetN.xml`).
Each gets its part, a content-type override, a workbook relationship and a `<sheet>`
entry (first in the tab order with `first=True`, as when a user inserts it before the
events sheet)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

MACRO_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    b'<xm:macrosheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    b' xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    b'<dimension ref="A1:A2"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    b'<sheetFormatPr defaultRowHeight="15"/><sheetData>'
    b'<row r="1"><c r="A1" t="b"><f>ALERT("Hello")</f><v>1</v></c></row>'
    b'<row r="2"><c r="A2" t="b"><f>RETURN()</f><v>1</v></c></row>'
    b"</sheetData></xm:macrosheet>"
)
DIALOG_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    b'<dialogsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheetPr/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    b'<sheetFormatPr defaultRowHeight="15"/><pageMargins left="0.7" right="0.7" top="0.75"'
    b' bottom="0.75" header="0.3" footer="0.3"/></dialogsheet>'
)
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
KINDS = {
    "macro": (
        "xl/macrosheets/sheet{n}.xml",
        "application/vnd.ms-excel.macrosheet+xml",
        "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet",
        "Macro{n}",
        MACRO_XML,
    ),
    "dialog": (
        "xl/dialogsheets/sheet{n}.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.dialogsheet+xml",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/dialogsheet",
        "Dialog{n}",
        DIALOG_XML,
    ),
}


def add_sheet(path: Path, kind: str, *, first: bool = False, state: str = "") -> Path:
    part_pattern, content_type, rel_type, name_pattern, xml = KINDS[kind]
    with zipfile.ZipFile(path) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    names = {info.filename for info, _ in members}
    n = 1
    while part_pattern.format(n=n) in names:
        n += 1
    part, name, rel_id = part_pattern.format(n=n), name_pattern.format(n=n), f"rIdEs{kind}{n}"
    state_attr = f' state="{state}"' if state else ""
    entry = (
        f'<sheet xmlns:r="{R_NS}" name="{name}" sheetId="{90 + n}"{state_attr} r:id="{rel_id}"/>'
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            if info.filename == "[Content_Types].xml":
                override = f'<Override PartName="/{part}" ContentType="{content_type}"/>'
                data = data.replace(b"</Types>", override.encode() + b"</Types>")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                rel = f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{part[3:]}"/>'
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            elif info.filename == "xl/workbook.xml":
                if first:
                    data = re.sub(rb"<sheets>", b"<sheets>" + entry, data, count=1)
                else:
                    data = data.replace(b"</sheets>", entry + b"</sheets>")
            out.writestr(info, data)
        out.writestr(part, xml)
    return path


def add_macro_sheet(path: Path, *, first: bool = False, state: str = "") -> Path:
    return add_sheet(path, "macro", first=first, state=state)


def add_dialog_sheet(path: Path, *, first: bool = False, state: str = "") -> Path:
    return add_sheet(path, "dialog", first=first, state=state)
