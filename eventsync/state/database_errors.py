"""The state database's failures as errors the user can act on, naming the file: a full
disk, a database another program holds, one we may not write, one that is damaged.
Each says nothing was sent; after a confirmed batch the store says what HubSpot has
instead (`SnapshotStore`, `StateAfterSendError`). Decides messages; never writes.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from eventsync.errors import StateDatabaseError
from eventsync.messages import Text, command

_SQLITE_FULL = 13
_SQLITE_IOERR = 10
# An I/O error with less free space than this is the full disk (SQLite says IOERR, not
# FULL, when its WAL index cannot grow).
_ROOM_BYTES = 64 * 1024
_SQLITE_BUSY = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED
_SQLITE_ACCESS = (3, 8, 10, 14, 23)  # PERM, READONLY, IOERR, CANTOPEN, AUTH


@contextlib.contextmanager
def guarded(path: Path) -> Iterator[None]:
    """SQLite's and the OS's failures as errors the user can act on, naming the file."""
    try:
        yield
    except sqlite3.Error as error:
        raise database_error(path, error) from None
    except OSError as error:
        raise nothing_sent(Text("state.db_unusable", path=path, why=error.strerror)) from None


def database_error(path: Path, error: sqlite3.Error) -> StateDatabaseError:
    """What SQLite met, saying nothing was sent (after a confirmed batch the store says
    what HubSpot has instead: `SnapshotStore`, `StateAfterSendError`)."""
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == _SQLITE_FULL or (primary == _SQLITE_IOERR and _no_room(path)):
        return nothing_sent(Text("state.db_full", path=path))
    if primary in _SQLITE_BUSY:
        return nothing_sent(Text("state.db_busy", path=path))
    if primary in _SQLITE_ACCESS:
        return nothing_sent(Text("state.db_access", path=path, error=str(error)))
    return damaged(path, str(error))


def _no_room(path: Path) -> bool:
    with contextlib.suppress(OSError):
        return shutil.disk_usage(path.parent).free < _ROOM_BYTES
    return False


def nothing_sent(problem: Text) -> StateDatabaseError:
    return StateDatabaseError(Text("limits.nothing_sent", problem=problem), problem=problem)


def damaged(path: Path, why: str) -> StateDatabaseError:
    return nothing_sent(Text("state.db_damaged", path=path, why=why, pull=command("pull")))
