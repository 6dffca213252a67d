"""Package plumbing for the annotate stage: the zip container and the OPC parts around a sheet.

`xlsx_patch` changes one worksheet; this module finds that worksheet (through
`xl/workbook.xml` and its relationships, never by file name), reads the few small parts
it must consult, and writes the output package. Every member that is not replaced is
copied as its raw local record (header, compressed bytes, data descriptor) in the
original order, with its central-directory record unchanged except for the offset.

It must never recompress, reorder or re-encode a member it was not asked to replace,
and never resolve external entities or touch the network while parsing.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO
from urllib.parse import unquote

from lxml import etree

from sync.errors import SheetError, UnsupportedWorkbookError

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

# Small parts only (workbook, relationships, tables): the sheet itself is never parsed
# into a tree. No DTDs, no entity expansion, no network: the file comes from a user.
SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)

COPY_CHUNK_BYTES = 1 << 20
SPOOL_MAX_BYTES = 64 << 20  # a compressed sheet larger than this goes to a temp file
# zlib's fastest level: the sheet part comes out ~25% larger than at the default level 6,
# and a 100k-row sheet is written about a second faster.
DEFLATE_LEVEL = 1
ZIP32_LIMIT = 0xFFFFFFFF

_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_LOCAL = struct.Struct("<4s5H3L2H")
_UTF8_NAME_FLAG = 0x0800
_OFFSET_AT = 42  # byte position of the local-header offset inside a central record


# --- zip container ----------------------------------------------------------------------


@dataclass(frozen=True)
class ZipMember:
    """One central-directory record and the extent [offset, end) of its local record."""

    name: str
    central: bytes
    offset: int
    end: int


@dataclass(frozen=True)
class DeflatedPart:
    """Replacement content for one member, already deflated into `data` (a temp file)."""

    data: IO[bytes]
    crc: int
    size: int
    compress_size: int

    @classmethod
    def from_bytes(cls, content: bytes) -> DeflatedPart:
        writer = DeflateWriter()
        writer.write(content)
        return writer.finish()


class DeflateWriter:
    """Deflates a part as it is produced, so a 100k-row sheet never sits in memory whole."""

    def __init__(self) -> None:
        # Outlives this writer: write_package copies it into the package, then closes it.
        self._file: IO[bytes] = tempfile.SpooledTemporaryFile(SPOOL_MAX_BYTES)  # noqa: SIM115
        self._zlib = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
        self._crc = 0
        self._size = 0

    def write(self, data: bytes) -> None:
        self._crc = zlib.crc32(data, self._crc)
        self._size += len(data)
        self._file.write(self._zlib.compress(data))

    def finish(self) -> DeflatedPart:
        self._file.write(self._zlib.flush())
        compress_size = self._file.tell()
        if max(self._size, compress_size) >= ZIP32_LIMIT:
            raise UnsupportedWorkbookError("the patched sheet would exceed 4 GB; split the sheet")
        self._file.seek(0)
        return DeflatedPart(self._file, self._crc, self._size, compress_size)


def read_members(path: Path) -> tuple[list[ZipMember], bytes]:
    """The central directory of `path` in its own order (each member with the extent of
    its local record), and the zip comment."""
    with open(path, "rb") as f:
        f.seek(0, 2)
        file_size = f.tell()
        tail_size = min(file_size, _EOCD.size + 0xFFFF)
        f.seek(file_size - tail_size)
        tail = f.read(tail_size)
        at = tail.rfind(b"PK\x05\x06")
        if at < 0:
            raise _damaged(path)
        _, disk, cd_disk, _, count, cd_size, cd_offset, _ = _EOCD.unpack_from(tail, at)
        eocd_offset = file_size - tail_size + at
        if ZIP32_LIMIT in (cd_size, cd_offset) or count == 0xFFFF:
            count, cd_size, cd_offset = _read_zip64_eocd(f, path, eocd_offset)
        if disk or cd_disk:
            raise UnsupportedWorkbookError(f"{path.name} is a multi-part zip; save it as .xlsx")
        f.seek(cd_offset)
        directory = f.read(cd_size)
        members = list(_central_records(directory, count, path))
        starts = sorted(m.offset for m in members) + [cd_offset]
        ends = dict(zip(starts, starts[1:], strict=False))
        for member in members:
            f.seek(member.offset)
            if f.read(4) != b"PK\x03\x04":
                raise _damaged(path)
        comment_len = _EOCD.unpack_from(tail, at)[-1]
        comment = tail[at + _EOCD.size : at + _EOCD.size + comment_len]
        return [ZipMember(m.name, m.central, m.offset, ends[m.offset]) for m in members], comment


def _read_zip64_eocd(f: IO[bytes], path: Path, eocd_offset: int) -> tuple[int, int, int]:
    f.seek(eocd_offset - _ZIP64_LOCATOR.size)
    sig, _, eocd64_offset, _ = _ZIP64_LOCATOR.unpack(f.read(_ZIP64_LOCATOR.size))
    if sig != b"PK\x06\x07":
        raise _damaged(path)
    f.seek(eocd64_offset)
    fields = _ZIP64_EOCD.unpack(f.read(_ZIP64_EOCD.size))
    if fields[0] != b"PK\x06\x06":
        raise _damaged(path)
    return fields[7], fields[8], fields[9]


def _central_records(directory: bytes, count: int, path: Path) -> Iterator[ZipMember]:
    pos = 0
    for _ in range(count):
        if directory[pos : pos + 4] != b"PK\x01\x02":
            raise _damaged(path)
        fields = _CENTRAL.unpack_from(directory, pos)
        flags, usize, csize = fields[3], fields[9], fields[8]
        name_len, extra_len, comment_len, offset = fields[10], fields[11], fields[12], fields[16]
        name_raw = directory[pos + 46 : pos + 46 + name_len]
        extra = directory[pos + 46 + name_len : pos + 46 + name_len + extra_len]
        end = pos + 46 + name_len + extra_len + comment_len
        if offset == ZIP32_LIMIT:
            skip = 8 * ((usize == ZIP32_LIMIT) + (csize == ZIP32_LIMIT))
            zip64 = _zip64_extra(extra)
            if zip64 is None:
                raise _damaged(path)
            (offset,) = struct.unpack_from("<Q", extra, zip64 + skip)
        name = name_raw.decode("utf-8" if flags & _UTF8_NAME_FLAG else "cp437")
        yield ZipMember(name, directory[pos:end], offset, -1)
        pos = end


def _zip64_extra(extra: bytes) -> int | None:
    """Position of the zip64 extra field's data inside `extra`, if it has one."""
    pos = 0
    while pos + 4 <= len(extra):
        kind, size = struct.unpack_from("<2H", extra, pos)
        if kind == 1:
            return pos + 4
        pos += 4 + size
    return None


def _without_zip64(extra: bytes) -> bytes:
    kept, pos = [], 0
    while pos + 4 <= len(extra):
        kind, size = struct.unpack_from("<2H", extra, pos)
        if kind != 1:
            kept.append(extra[pos : pos + 4 + size])
        pos += 4 + size
    return b"".join(kept)


def write_package(src: Path, dst: Path, replacements: dict[str, DeflatedPart | None]) -> None:
    """Copy `src` to `dst` member by member; replace or (None) drop the named members."""
    members, comment = read_members(src)
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        central = []
        for member in members:
            offset = fout.tell()
            if member.name not in replacements:
                fin.seek(member.offset)
                _copy_exactly(fin, fout, member.end - member.offset)
                central.append(_relocated(member.central, offset))
                continue
            part = replacements[member.name]
            if part is None:
                continue
            local, record = _headers_for(fin, member, part, offset)
            fout.write(local)
            part.data.seek(0)
            shutil.copyfileobj(part.data, fout, COPY_CHUNK_BYTES)
            part.data.close()
            central.append(record)
        cd_offset = fout.tell()
        fout.write(b"".join(central))
        cd_size = fout.tell() - cd_offset
        if len(central) >= 0xFFFF or cd_offset + cd_size >= ZIP32_LIMIT:
            raise UnsupportedWorkbookError(f"{src.name} is too large to annotate (over 4 GB)")
        fout.write(
            _EOCD.pack(
                b"PK\x05\x06", 0, 0, len(central), len(central), cd_size, cd_offset, len(comment)
            )
            + comment
        )


def _copy_exactly(fin: IO[bytes], fout: IO[bytes], length: int) -> None:
    while length:
        chunk = fin.read(min(length, COPY_CHUNK_BYTES))
        if not chunk:
            raise OSError("the workbook changed while it was being copied")
        fout.write(chunk)
        length -= len(chunk)


def _relocated(central: bytes, offset: int) -> bytes:
    """The same central record, pointing at the record's new position."""
    record = bytearray(central)
    (old,) = struct.unpack_from("<L", record, _OFFSET_AT)
    if old != ZIP32_LIMIT:
        if offset >= ZIP32_LIMIT:
            raise UnsupportedWorkbookError("the workbook is too large to annotate (over 4 GB)")
        struct.pack_into("<L", record, _OFFSET_AT, offset)
        return bytes(record)
    # The offset lives in the zip64 extra field, after any 64-bit sizes.
    fields = _CENTRAL.unpack_from(record)
    extra_at = 46 + fields[10]
    extra = bytes(record[extra_at : extra_at + fields[11]])
    skip = 8 * ((fields[9] == ZIP32_LIMIT) + (fields[8] == ZIP32_LIMIT))
    struct.pack_into("<Q", record, extra_at + _zip64_extra(extra) + skip, offset)
    return bytes(record)


def _headers_for(
    fin: IO[bytes], member: ZipMember, part: DeflatedPart, offset: int
) -> tuple[bytes, bytes]:
    """New local header and central record for a replaced member: same name, dates and
    attributes as the original; deflated, sizes up front (no data descriptor)."""
    fields = _CENTRAL.unpack_from(member.central)
    made_by, flags, mtime, mdate = fields[1], fields[3] & _UTF8_NAME_FLAG, fields[5], fields[6]
    name_len, extra_len, comment_len = fields[10], fields[11], fields[12]
    internal_attr, external_attr = fields[14], fields[15]
    name = member.central[46 : 46 + name_len]
    central_extra = _without_zip64(member.central[46 + name_len : 46 + name_len + extra_len])
    comment = member.central[46 + name_len + extra_len : 46 + name_len + extra_len + comment_len]
    fin.seek(member.offset)
    local_fields = _LOCAL.unpack(fin.read(_LOCAL.size))
    fin.seek(local_fields[9], 1)
    local_extra = _without_zip64(fin.read(local_fields[10]))
    local = (
        _LOCAL.pack(
            b"PK\x03\x04",
            20,
            flags,
            zipfile.ZIP_DEFLATED,
            mtime,
            mdate,
            part.crc,
            part.compress_size,
            part.size,
            len(name),
            len(local_extra),
        )
        + name
        + local_extra
    )
    record = (
        _CENTRAL.pack(
            b"PK\x01\x02",
            made_by,
            20,
            flags,
            zipfile.ZIP_DEFLATED,
            mtime,
            mdate,
            part.crc,
            part.compress_size,
            part.size,
            len(name),
            len(central_extra),
            len(comment),
            0,
            internal_attr,
            external_attr,
            offset,
        )
        + name
        + central_extra
        + comment
    )
    return local, record


def _damaged(path: Path) -> UnsupportedWorkbookError:
    return UnsupportedWorkbookError(
        f"{path.name} is damaged (its zip structure cannot be read); open it in Excel and "
        f"{SAVE_AS_XLSX}"
    )


# --- what the file is -------------------------------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # compound file: .xls, or any password-protected workbook
SAVE_AS_XLSX = "save it as .xlsx (Excel Workbook)"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")


def find_workbook_part(path: Path) -> str:
    """The zip member of the workbook part, after refusing what we cannot patch safely."""
    with open(path, "rb") as f:
        magic = f.read(8)
    if magic.startswith(OLE_MAGIC):
        raise _ole_refusal(path)
    if not magic.startswith(b"PK"):
        raise UnsupportedWorkbookError(
            f"{path.name} is not an Excel workbook (.xlsx); open it in Excel and {SAVE_AS_XLSX}"
        )
    with reading(path), zipfile.ZipFile(path) as zf:
        return _main_part(zf, path.name)


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Turn the errors of a corrupt zip or XML part into a message for the user."""
    try:
        yield
    except (zipfile.BadZipFile, etree.XMLSyntaxError, zlib.error, EOFError) as error:
        raise UnsupportedWorkbookError(
            f"{path.name} is damaged ({error}); open it in Excel and {SAVE_AS_XLSX}"
        ) from error


def _ole_refusal(path: Path) -> UnsupportedWorkbookError:
    # Excel stores encrypted .xlsx files in the same container format as old .xls files;
    # the extension is the best cheap hint of which one the user has.
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return UnsupportedWorkbookError(
            f"{path.name} is password-protected (encrypted); open it in Excel, remove the "
            f"password (File > Info > Protect Workbook), and {SAVE_AS_XLSX}"
        )
    return UnsupportedWorkbookError(
        f"{path.name} is an old-format Excel file (or a password-protected one); open it in "
        f"Excel and {SAVE_AS_XLSX}"
    )


def _main_part(zf: zipfile.ZipFile, name: str) -> str:
    names = set(zf.namelist())
    if "mimetype" in names and b"opendocument" in zf.read("mimetype")[:200]:
        raise UnsupportedWorkbookError(
            f"{name} is an OpenDocument spreadsheet (.ods); open it in Excel or LibreOffice "
            f"and {SAVE_AS_XLSX}"
        )
    office = [r for r in relationships(zf, "") if r[1].endswith("/officeDocument")]
    part = member_name(zf, office[0][2]) if office else None
    if (part or "").lower().endswith(".bin") or "xl/workbook.bin" in names:
        raise UnsupportedWorkbookError(
            f"{name} is an Excel Binary Workbook (.xlsb); open it in Excel and {SAVE_AS_XLSX}"
        )
    if part is None:
        raise UnsupportedWorkbookError(
            f"{name} has no workbook part, so it is damaged or not an Excel file; open it in "
            f"Excel and {SAVE_AS_XLSX}"
        )
    root = _first_tag(zf, part)
    if root.startswith(f"{{{STRICT_NS}}}"):
        raise UnsupportedWorkbookError(
            f"{name} is saved as Strict Open XML Spreadsheet; open it in Excel and {SAVE_AS_XLSX}"
        )
    if root != f"{{{MAIN_NS}}}workbook":
        raise UnsupportedWorkbookError(
            f"{name} is not an Excel workbook (its main part is {root}); open it in Excel "
            f"and {SAVE_AS_XLSX}"
        )
    return part


def _first_tag(zf: zipfile.ZipFile, part: str) -> str:
    with zf.open(part) as stream:
        events = etree.iterparse(
            stream, events=("start",), resolve_entities=False, no_network=True, load_dtd=False
        )
        for _, element in events:
            return element.tag
    return ""


# --- OPC parts --------------------------------------------------------------------------


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


def relationships(zf: zipfile.ZipFile, source_part: str) -> list[tuple[str, str, str]]:
    """(Id, Type, member name) of the internal relationships of `source_part`."""
    name = member_name(zf, rels_name(source_part))
    if name is None:
        return []
    found = []
    for rel in read_xml(zf, name).iter(f"{{{PKG_REL_NS}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        found.append(
            (
                rel.get("Id", ""),
                rel.get("Type", ""),
                resolve_target(source_part, rel.get("Target", "")),
            )
        )
    return found


def find_sheet_part(zf: zipfile.ZipFile, workbook_part: str, sheet_name: str, file: str) -> str:
    """Zip member holding the worksheet the user calls `sheet_name`."""
    workbook = read_xml(zf, workbook_part)
    sheets = workbook.findall(f"{{{MAIN_NS}}}sheets/{{{MAIN_NS}}}sheet")
    rel_id = next((s.get(f"{{{REL_NS}}}id") for s in sheets if s.get("name") == sheet_name), None)
    if rel_id is None:
        names = ", ".join(repr(s.get("name")) for s in sheets)
        raise SheetError(f"{file} has no sheet named {sheet_name!r} (its sheets: {names})")
    rel = next((r for r in relationships(zf, workbook_part) if r[0] == rel_id), None)
    part = member_name(zf, rel[2]) if rel else None
    if rel is None or part is None:
        raise UnsupportedWorkbookError(
            f"{file}: sheet {sheet_name!r} has no worksheet part; open the file in Excel and "
            f"{SAVE_AS_XLSX}"
        )
    if not rel[1].endswith("/worksheet"):
        raise UnsupportedWorkbookError(
            f"{file}: sheet {sheet_name!r} is a {rel[1].rsplit('/', 1)[-1]}, not a worksheet; "
            "choose a sheet with cells"
        )
    return part


def uses_1904_dates(zf: zipfile.ZipFile, workbook_part: str) -> bool:
    """True if the workbook counts dates from 1904 (`<workbookPr date1904="1"/>`, some
    Mac files) rather than from 1900."""
    pr = read_xml(zf, workbook_part).find(f"{{{MAIN_NS}}}workbookPr")
    return pr is not None and pr.get("date1904", "").strip().lower() in ("1", "true")


# Excel's built-in number formats that show a date or a time (ids 27-36 and 50-58 are the
# East Asian date formats a Japanese Excel uses).
BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.')
_FORMAT_BRACKETS = re.compile(r"\[(?![hms]+\])[^\]]*\]", re.IGNORECASE)
_DATE_TOKENS = re.compile(r"[dmyhs]", re.IGNORECASE)


def is_date_format(code: str) -> bool:
    """Whether a number format code shows a date or a time: a d, m, y, h or s outside
    quoted text, escapes, colours, conditions and locale tags (`[h]` elapsed time counts)."""
    bare = _FORMAT_BRACKETS.sub("", _FORMAT_LITERALS.sub("", code))
    return _DATE_TOKENS.search(bare.split(";")[0]) is not None


def date_styles(zf: zipfile.ZipFile, workbook_part: str) -> frozenset[bytes]:
    """The cell styles (`s` values, as bytes) whose number format is a date or time.
    A cell without `s` has style 0. Read-only: styles.xml is never changed."""
    styles = [r[2] for r in relationships(zf, workbook_part) if r[1].endswith("/styles")]
    name = member_name(zf, styles[0]) if styles else None
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
        if not kind.endswith("/table") or name is None:
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


_CALC_CHAIN_TYPE = "/calcChain"
_CALC_TYPE = re.compile(rb"\sType\s*=\s*[\"'][^\"']*/calcChain[\"']")
_ANY_ELEMENT = (
    rb"<(?:[\w.-]+:)?%s\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(?:/>|>.*?</(?:[\w.-]+:)?%s\s*>)"
)
_RELATIONSHIP = re.compile(_ANY_ELEMENT % (b"Relationship", b"Relationship"), re.S)
_OVERRIDE = re.compile(_ANY_ELEMENT % (b"Override", b"Override"), re.S)


def drop_calc_chain(zf: zipfile.ZipFile, workbook_part: str) -> dict[str, DeflatedPart | None]:
    """Replacements that remove the calculation chain: the part, its relationship and its
    content-type override. Excel rebuilds the chain; a stale one makes it 'repair' the file.
    Only those two elements are cut; the rest of both parts keeps its bytes."""
    calc = [r for r in relationships(zf, workbook_part) if r[1].endswith(_CALC_CHAIN_TYPE)]
    if not calc:
        return {}
    calc_part = member_name(zf, calc[0][2]) or calc[0][2]
    rels = member_name(zf, rels_name(workbook_part))
    new_rels = _cut(zf.read(rels), _RELATIONSHIP, lambda el: _CALC_TYPE.search(el) is not None)
    replacements: dict[str, DeflatedPart | None] = {rels: DeflatedPart.from_bytes(new_rels)}
    if calc_part in zf.namelist():
        replacements[calc_part] = None
    types = member_name(zf, "[Content_Types].xml")
    if types is not None:
        target = ("/" + calc_part).casefold().encode()
        new_types = _cut(zf.read(types), _OVERRIDE, lambda el: _part_name(el) == target)
        replacements[types] = DeflatedPart.from_bytes(new_types)
    return replacements


def _part_name(element: bytes) -> bytes:
    found = re.search(rb"\sPartName\s*=\s*[\"']([^\"']*)", element)
    return unquote(found.group(1).decode()).casefold().encode() if found else b""


def _cut(xml: bytes, element: re.Pattern[bytes], wanted) -> bytes:
    return element.sub(lambda m: b"" if wanted(m.group()) else m.group(), xml)


# --- cell references --------------------------------------------------------------------

_REF = re.compile(rb"\$?([A-Za-z]{1,3})\$?(\d{1,7})")


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


@lru_cache(maxsize=4096)
def column_letters(number: int) -> bytes:
    letters = b""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = bytes([65 + rest]) + letters
    return letters


def parse_ref(ref: bytes) -> tuple[int, int, int, int] | None:
    """`B2:D9` -> (first_row, first_col, last_row, last_col); `B2` is a one-cell range."""
    corners = ref.split(b":")
    if len(corners) not in (1, 2):
        return None
    points = [_REF.fullmatch(c) for c in corners]
    if not all(points):
        return None
    rows = [int(p.group(2)) for p in points]
    cols = [column_number(p.group(1)) for p in points]
    return min(rows), min(cols), max(rows), max(cols)


def format_ref(first_row: int, first_col: int, last_row: int, last_col: int) -> bytes:
    first = column_letters(first_col) + str(first_row).encode()
    if (first_row, first_col) == (last_row, last_col):
        return first
    return first + b":" + column_letters(last_col) + str(last_row).encode()
