"""The OPC parts around a sheet: part names, relationships, and which workbook this is.

It finds the workbook part (refusing, with a message that says what to do, the files
we cannot patch safely: .xls, encrypted, .xlsb, .ods, strict OOXML) and a worksheet
part (through `xl/workbook.xml` and its relationships, never by file name). Read-only:
it never writes a part, never parses a worksheet into a tree, and never resolves
external entities or touches the network while parsing.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from typing import IO, NamedTuple
from urllib.parse import unquote

from lxml import etree

from eventsync.errors import SheetError, UnsupportedWorkbookError
from eventsync.messages import Text
from eventsync.safe_files import open_shared
from eventsync.sheets.xlsx.refusals import reading

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

# Relationship types, by the end of their URI (transitional and strict URIs share it).
RT_OFFICE_DOCUMENT = "/officeDocument"
RT_WORKSHEET = "/worksheet"
RT_STYLES = "/styles"
RT_TABLE = "/table"
RT_CALC_CHAIN = "/calcChain"

CONTENT_TYPES_PART = "[Content_Types].xml"

# Small parts only (workbook, relationships, tables, styles): the sheet itself is never
# parsed into a tree. No DTDs, no entity expansion, no network: the file comes from a user.
SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # compound file: .xls, or any password-protected workbook
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")


class Relationship(NamedTuple):
    id: str
    type: str  # the full type URI
    target: str  # the zip member name it points at (not yet case-folded)


# --- what the file is ---------------------------------------------------------------------


def check_patchable(path: Path) -> None:
    """Raise UnsupportedWorkbookError (message: what the file is and what to do) for files
    we cannot patch safely: .xls and encrypted workbooks (OLE containers), other non-zip
    files, .xlsb, .ods, strict OOXML, a missing workbook part. Reads only the first bytes,
    the zip directory, `_rels/.rels` and the first tag of the workbook part."""
    find_workbook_part(Path(path))


def find_workbook_part(path: Path, source: IO[bytes] | None = None) -> str:
    """The zip member of the workbook part, after refusing what we cannot patch safely.
    Read from `source` (an open handle of `path`) when given."""
    if source is None:
        with open_shared(path) as f:
            return _workbook_part(f, path)
    return _workbook_part(source, path)


def _workbook_part(source: IO[bytes], path: Path) -> str:
    source.seek(0)
    magic = source.read(8)
    if magic.startswith(OLE_MAGIC):
        raise _ole_refusal(path)
    if not magic.startswith(b"PK"):
        raise UnsupportedWorkbookError(Text("refuse.not_xlsx", file=path.name))
    with reading(path), zipfile.ZipFile(source) as zf:
        return _main_part(zf, path.name)


def _ole_refusal(path: Path) -> UnsupportedWorkbookError:
    # Excel stores encrypted .xlsx files in the same container format as old .xls files;
    # the extension is the best cheap hint of which one the user has.
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return UnsupportedWorkbookError(Text("refuse.encrypted", file=path.name))
    return UnsupportedWorkbookError(Text("refuse.old_or_encrypted", file=path.name))


def _main_part(zf: zipfile.ZipFile, name: str) -> str:
    _refuse_twice(zf.namelist(), name)
    names = set(zf.namelist())
    if "mimetype" in names and b"opendocument" in zf.read("mimetype")[:200]:
        # The one .ods advice (LibreOffice's Save As), as for an .ods in the folder.
        raise UnsupportedWorkbookError(Text("folder.ods_one", names=name))
    office = [r for r in relationships(zf, "") if r.type.endswith(RT_OFFICE_DOCUMENT)]
    part = member_name(zf, office[0].target) if office else None
    if (part or "").lower().endswith(".bin") or "xl/workbook.bin" in names:
        raise UnsupportedWorkbookError(Text("refuse.xlsb", file=name))
    if part is None:
        raise UnsupportedWorkbookError(Text("refuse.no_workbook_part", file=name))
    root = _first_tag(zf, part)
    if root.startswith(f"{{{STRICT_NS}}}"):
        raise UnsupportedWorkbookError(Text("refuse.strict", file=name))
    if root != f"{{{MAIN_NS}}}workbook":
        raise UnsupportedWorkbookError(Text("refuse.other_main_part", file=name, root=root))
    return part


def _refuse_twice(members: list[str], name: str) -> None:
    """A part held twice (OPC part names are case-insensitive): which copy a program reads
    is its own choice, so the copy eventsync reads may not be the one it would patch, and
    writing the file could not keep both. Excel never saves such a file."""
    seen: set[str] = set()
    for member in members:
        folded = member.casefold()
        if folded in seen:
            raise UnsupportedWorkbookError(Text("limits.part_twice", file=name, part=member))
        seen.add(folded)


def _first_tag(zf: zipfile.ZipFile, part: str) -> str:
    with zf.open(part) as stream:
        events = etree.iterparse(
            stream, events=("start",), resolve_entities=False, no_network=True, load_dtd=False
        )
        for _, element in events:
            return str(element.tag)
    return ""


# --- part names and relationships ---------------------------------------------------------


def read_xml(zf: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(zf.read(name), SAFE_PARSER)


def rels_name(part: str) -> str:
    """`xl/workbook.xml` -> `xl/_rels/workbook.xml.rels` (and `` -> `_rels/.rels`)."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve_target(source_part: str, target: str) -> str:
    """Zip member name of a relationship target (relative to its source, or absolute)."""
    target = unquote(target)
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def member_name(zf: zipfile.ZipFile, part: str) -> str | None:
    """The zip member for an OPC part name; part names are case-insensitive."""
    names = zf.namelist()
    if part in names:
        return part
    folded = part.casefold()
    return next((n for n in names if n.casefold() == folded), None)


def relationships(zf: zipfile.ZipFile, source_part: str) -> list[Relationship]:
    """The internal relationships of `source_part`, targets resolved to member names."""
    name = member_name(zf, rels_name(source_part))
    if name is None:
        return []
    found = []
    for rel in read_xml(zf, name).iter(f"{{{PKG_REL_NS}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        found.append(
            Relationship(
                rel.get("Id", ""),
                rel.get("Type", ""),
                resolve_target(source_part, rel.get("Target", "")),
            )
        )
    return found


def related_part(zf: zipfile.ZipFile, source_part: str, rel_type: str) -> str | None:
    """The member of the first relationship of `source_part` of the given type, if any."""
    found = [r for r in relationships(zf, source_part) if r.type.endswith(rel_type)]
    return member_name(zf, found[0].target) if found else None


def find_sheet_part(zf: zipfile.ZipFile, workbook_part: str, sheet_name: str, file: str) -> str:
    """Zip member holding the worksheet the user calls `sheet_name`."""
    workbook = read_xml(zf, workbook_part)
    sheets = workbook.findall(f"{{{MAIN_NS}}}sheets/{{{MAIN_NS}}}sheet")
    rel_id = next((s.get(f"{{{REL_NS}}}id") for s in sheets if s.get("name") == sheet_name), None)
    if rel_id is None:
        names = ", ".join(repr(s.get("name")) for s in sheets)
        raise SheetError(Text("refuse.no_such_sheet", file=file, sheet=sheet_name, names=names))
    rel = next((r for r in relationships(zf, workbook_part) if r.id == rel_id), None)
    part = member_name(zf, rel.target) if rel else None
    if rel is None or part is None:
        raise UnsupportedWorkbookError(
            Text("refuse.no_worksheet_part", file=file, sheet=sheet_name)
        )
    if not rel.type.endswith(RT_WORKSHEET):
        kind = rel.type.rsplit("/", 1)[-1]
        raise UnsupportedWorkbookError(
            Text("refuse.not_worksheet", file=file, sheet=sheet_name, kind=kind)
        )
    return part
