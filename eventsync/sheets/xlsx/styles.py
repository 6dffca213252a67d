"""Which cell styles show dates, and which date system the workbook counts in.

Read-only: styles.xml and workbook.xml are consulted, never changed. It must never
guess a date format from a cell's value: only the style's number format decides.
"""

from __future__ import annotations

import re
import zipfile

from eventsync.sheets.xlsx.parts import MAIN_NS, RT_STYLES, read_xml, related_part

# Excel's built-in number formats that show a date or a time (ids 27-36 and 50-58 are the
# East Asian date formats a Japanese Excel uses).
BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.')
_FORMAT_BRACKETS = re.compile(r"\[(?![hms]+\])[^\]]*\]", re.IGNORECASE)
_DATE_TOKENS = re.compile(r"[dmyhs]", re.IGNORECASE)


def uses_1904_dates(zf: zipfile.ZipFile, workbook_part: str) -> bool:
    """True if the workbook counts dates from 1904 (`<workbookPr date1904="1"/>`, some
    Mac files) rather than from 1900."""
    pr = read_xml(zf, workbook_part).find(f"{{{MAIN_NS}}}workbookPr")
    return pr is not None and pr.get("date1904", "").strip().lower() in ("1", "true")


def is_date_format(code: str) -> bool:
    """Whether a number format code shows a date or a time: a d, m, y, h or s outside
    quoted text, escapes, colours, conditions and locale tags (`[h]` elapsed time counts)."""
    bare = _FORMAT_BRACKETS.sub("", _FORMAT_LITERALS.sub("", code))
    return _DATE_TOKENS.search(bare.split(";")[0]) is not None


def date_styles(zf: zipfile.ZipFile, workbook_part: str) -> frozenset[bytes]:
    """The cell styles (`s` values, as bytes) whose number format is a date or time.
    A cell without `s` has style 0."""
    name = related_part(zf, workbook_part, RT_STYLES)
    if name is None:
        return frozenset()
    root = read_xml(zf, name)
    custom = {
        fmt.get("numFmtId"): fmt.get("formatCode", "")
        for fmt in root.iterfind(f"{{{MAIN_NS}}}numFmts/{{{MAIN_NS}}}numFmt")
    }
    found = set()
    for index, xf in enumerate(root.iterfind(f"{{{MAIN_NS}}}cellXfs/{{{MAIN_NS}}}xf")):
        format_id = xf.get("numFmtId", "0")
        if format_id in custom:
            dated = is_date_format(custom[format_id])
        else:
            dated = format_id.isdigit() and int(format_id) in BUILTIN_DATE_FORMATS
        if dated:
            found.add(b"%d" % index)
    return frozenset(found)
