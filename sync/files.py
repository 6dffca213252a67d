"""Atomic file replacement: a temp file in the same folder, fsync, then rename.

A reader of the target (Excel, the next run, a crash) sees the old file or the new
one, never half of either. Never writes anywhere but the target's own folder.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temp path beside `target`; on success it replaces `target` atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temp = Path(name)
    try:
        if target.exists():
            # mkstemp creates 0600 files; the user's file keeps its own permissions.
            os.chmod(temp, target.stat().st_mode & 0o7777)
        yield temp
        with open(temp, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def write_atomically(target: Path, data: bytes) -> None:
    with replacing(target) as temp:
        temp.write_bytes(data)


def write_with(target: Path, produce: Callable[[Path], None]) -> None:
    """`produce(temp)` writes the new content; then it replaces `target`."""
    with replacing(target) as temp:
        produce(temp)
