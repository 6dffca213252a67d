"""Backups of a user's file, kept under the state folder before each write: the one
home of backups (the writer, `pull` and `template --force` all back up through here).

`backups/<file name>/<YYYYmmdd-HHMMSS-micro>-<file name>`, the last BACKUPS_KEPT; the
copy is made from the very version about to be replaced. A backups folder that cannot
be one is refused before anything is sent (`check_backups`). Never changes the user's
file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import IO

from eventsync.errors import BackupFolderError, StateFolderError
from eventsync.messages import Text
from eventsync.safe_files import open_shared

BACKUPS = "backups"  # the state folder's folder of backups
BACKUPS_KEPT = 5
BACKUP_HASH_CHARS = 8
OWNER_SUFFIX = ".folder"  # backups/<name>.folder: the folder whose file backups/<name> keeps


def check_backups(state_dir: Path) -> None:
    """Refuse a backups folder that cannot be one (a file stands in its place): the
    backup made before the sheet is written would fail."""
    base = state_dir / BACKUPS
    if base.exists() and not base.is_dir():
        problem = backups_unusable(base, Text("limits.is_a_file"))
        raise StateFolderError(Text("limits.nothing_sent", problem=problem))


def backups_unusable(base: Path, why: str | None) -> Text:
    return Text("limits.backups_unusable", folder=base, why=why)


def backup_dir(state_dir: Path, path: Path) -> Path:
    """The backups of one file: `backups/<file name>`, owned by the folder the file is
    in (recorded beside it in `<file name>.folder`); a file of the same name in another
    folder gets `backups/<file name>-<hash of its folder>`, so neither prunes the other's
    backups and a restore never picks up the wrong file."""
    base = state_dir / BACKUPS
    folder = os.path.abspath(path.parent)
    plain = base / path.name
    try:
        owner = (base / f"{path.name}{OWNER_SUFFIX}").read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        owner = None
    if owner is None or owner == folder:
        return plain  # unclaimed (new, or from before owners were recorded) or ours
    digest = hashlib.sha256(os.fsencode(folder)).hexdigest()[:BACKUP_HASH_CHARS]
    return base / f"{path.name}-{digest}"


def back_up(path: Path, state_dir: Path, *, source: IO[bytes] | None = None) -> Path:
    """Copy the file (from `source`, an open handle of it, when given: the very version
    about to be replaced) into its backup folder, keeping the last BACKUPS_KEPT."""
    folder = backup_dir(state_dir, path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # a file where a folder goes, a read-only state folder
        raise BackupFolderError(backups_unusable(folder.parent, error.strerror)) from None
    owner = folder.parent / f"{path.name}{OWNER_SUFFIX}"
    if folder.name == path.name and not owner.exists():
        owner.write_text(os.path.abspath(path.parent), encoding="utf-8")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    copy = folder / f"{stamp}-{path.name}"
    with contextlib.ExitStack() as stack:
        if source is None:
            # Shared, as every read of a user's file: Excel may save meanwhile.
            source = stack.enter_context(open_shared(path))
        source.seek(0)
        with open(copy, "wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
    shutil.copystat(path, copy)
    for old in sorted(folder.iterdir())[:-BACKUPS_KEPT]:
        # A backup open elsewhere (the user looking at it in Excel) cannot go on
        # Windows: it goes next time, the write goes on.
        with contextlib.suppress(FileNotFoundError, PermissionError):
            old.unlink()
    return copy
