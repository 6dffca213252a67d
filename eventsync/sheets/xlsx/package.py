"""The zip container of a workbook: read its directory, deflate a new part, write the package.

Every member that is not replaced is copied as its raw local record (header, compressed
bytes, data descriptor) in the original order, with its central-directory record
unchanged except for the offset. It knows nothing of spreadsheets: member names and
bytes only.

It must never recompress, reorder or re-encode a member it was not asked to replace.
"""

from __future__ import annotations

import shutil
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from eventsync.errors import UnsupportedWorkbookError
from eventsync.messages import Text
from eventsync.safe_files import open_shared
from eventsync.sheets.xlsx.refusals import damaged

COPY_CHUNK_BYTES = 1 << 20
# A compressed sheet larger than this goes to a temp file: a 100k-row sheet deflates to
# about 8 MB, which would otherwise sit in memory at the peak of a first sync.
SPOOL_MAX_BYTES = 2 << 20
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
        check_part_size(self._size, compress_size)
        self._file.seek(0)
        return DeflatedPart(self._file, self._crc, self._size, compress_size)


def check_part_size(size: int, compress_size: int) -> None:
    """Refuse a part a zip without zip64 records cannot hold (the package is written so)."""
    if max(size, compress_size) >= ZIP32_LIMIT:
        raise UnsupportedWorkbookError(Text("refuse.part_over_4gb"))


def read_members(path: Path, source: IO[bytes] | None = None) -> tuple[list[ZipMember], bytes]:
    """The central directory of `path` in its own order (each member with the extent of
    its local record), and the zip comment. Read from `source` when given (an open
    handle of `path`): the caller reads every part from that one open file."""
    if source is None:
        with open_shared(path) as f:
            return _read_members(f, path)
    return _read_members(source, path)


def _read_members(f: IO[bytes], path: Path) -> tuple[list[ZipMember], bytes]:
    f.seek(0, 2)
    file_size = f.tell()
    tail_size = min(file_size, _EOCD.size + 0xFFFF)
    f.seek(file_size - tail_size)
    tail = f.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0:
        raise damaged(path)
    _, disk, cd_disk, _, count, cd_size, cd_offset, _ = _EOCD.unpack_from(tail, at)
    eocd_offset = file_size - tail_size + at
    if ZIP32_LIMIT in (cd_size, cd_offset) or count == 0xFFFF:
        count, cd_size, cd_offset = _read_zip64_eocd(f, path, eocd_offset)
    if disk or cd_disk:
        raise UnsupportedWorkbookError(Text("refuse.multi_part_zip", file=path.name))
    f.seek(cd_offset)
    directory = f.read(cd_size)
    members = list(_central_records(directory, count, path))
    starts = sorted(m.offset for m in members) + [cd_offset]
    ends = dict(zip(starts, starts[1:], strict=False))
    for member in members:
        f.seek(member.offset)
        if f.read(4) != b"PK\x03\x04":
            raise damaged(path)
    comment_len = _EOCD.unpack_from(tail, at)[-1]
    comment = tail[at + _EOCD.size : at + _EOCD.size + comment_len]
    return [ZipMember(m.name, m.central, m.offset, ends[m.offset]) for m in members], comment


def _read_zip64_eocd(f: IO[bytes], path: Path, eocd_offset: int) -> tuple[int, int, int]:
    f.seek(eocd_offset - _ZIP64_LOCATOR.size)
    sig, _, eocd64_offset, _ = _ZIP64_LOCATOR.unpack(f.read(_ZIP64_LOCATOR.size))
    if sig != b"PK\x06\x07":
        raise damaged(path)
    f.seek(eocd64_offset)
    fields = _ZIP64_EOCD.unpack(f.read(_ZIP64_EOCD.size))
    if fields[0] != b"PK\x06\x06":
        raise damaged(path)
    return fields[7], fields[8], fields[9]


def _central_records(directory: bytes, count: int, path: Path) -> Iterator[ZipMember]:
    pos = 0
    for _ in range(count):
        if directory[pos : pos + 4] != b"PK\x01\x02":
            raise damaged(path)
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
                raise damaged(path)
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


def write_package(
    src: Path,
    dst: Path,
    replacements: dict[str, DeflatedPart | None],
    source: IO[bytes] | None = None,
) -> None:
    """Copy `src` to `dst` member by member; replace or (None) drop the named members.

    With `source` (an open handle of `src`), every byte comes from that handle, so a
    save that replaces `src` meanwhile cannot mix two versions of the workbook."""
    if source is None:
        with open_shared(src) as fin:
            _write_package(fin, src, dst, replacements)
    else:
        _write_package(source, src, dst, replacements)


def _write_package(
    fin: IO[bytes], src: Path, dst: Path, replacements: dict[str, DeflatedPart | None]
) -> None:
    members, comment = read_members(src, fin)
    with open(dst, "wb") as fout:
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
            raise UnsupportedWorkbookError(Text("refuse.file_over_4gb", file=src.name))
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
            raise UnsupportedWorkbookError(Text("refuse.workbook_over_4gb"))
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
