"""What a file must be before it is parsed as CSV: no larger than eventsync reads, and
text (not a workbook, UTF-16 or binary data named like a CSV).

Read stage, the CSV edge. The size is checked before a byte of the file is read: a CSV
is read whole (its structure is found in its bytes, and the writer splices into them),
at about 14 bytes of memory per byte of the file (its bytes, its text, every field as a
string, the rows built from them). A 300 MB export dropped in the sheets folder took
4.3 GB and ended in a MemoryError; it is refused with a message (exit 2) naming it and
the limit instead. It never reads past the limit, and never decodes or parses.
"""

from __future__ import annotations

import os
from typing import IO

from eventsync.errors import SheetError
from eventsync.messages import Text

# A 100,000-event sheet is about 20 MB: the limit is three times that, and keeps a read
# near 1 GB of memory at most.
MAX_CSV_BYTES = 64 << 20


def read_within_limit(file: IO[bytes], *, name: str) -> bytes:
    """The whole file, refused (naming it and the limit) before it is read when it is
    larger than MAX_CSV_BYTES; at most that much is read even if it grows meanwhile."""
    size = os.fstat(file.fileno()).st_size
    if size <= MAX_CSV_BYTES:
        data = file.read(MAX_CSV_BYTES + 1)
        size = len(data)
        if size <= MAX_CSV_BYTES:
            return data
    raise SheetError(
        Text(
            "limits.csv_too_large",
            file=name,
            size=f"{size / (1 << 20):,.0f}",
            limit=MAX_CSV_BYTES >> 20,
        )
    )


def reject_binary(data: bytes, *, name: str) -> None:
    if data.startswith(b"PK\x03\x04"):
        raise SheetError(Text("refuse.csv_is_zip", file=name))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetError(Text("refuse.csv_is_xls", file=name))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SheetError(Text("refuse.csv_utf16", file=name))
    if b"\x00" in data:
        raise SheetError(Text("refuse.csv_binary", file=name))
