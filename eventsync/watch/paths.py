"""Which watched sheet a file event is about, matched the way the OS reports paths.

macOS's FSEvents reports real paths (symlinks resolved: `/private/var/...` for
`/var/...`) in the case and Unicode form the disk stores, while the user may have typed
`sheets/events.xlsx` for `Sheets/Events.xlsx` on a case-insensitive APFS volume. So the
folders are watched by their real paths, and an event's folder and name are compared as
that volume compares names (case-folded where it is case-insensitive, NFC on macOS);
the sheet is then known by the path the user gave, so the schedule, the messages and the
start-up pass all use one name for it. The matching is pure; `watched_folder` asks the
OS (real path, case) once per folder at start. Never writes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from eventsync.volumes import case_insensitive, path_key


@dataclass(frozen=True)
class WatchedFolder:
    named: Path  # as the user gave it (absolute)
    real: str  # symlinks resolved: what the OS reports events under
    case_insensitive: bool = False
    unicode_insensitive: bool = False  # macOS: "ベ" composed or not is one name

    def key(self, text: str) -> str:
        return path_key(
            text,
            case_insensitive=self.case_insensitive,
            unicode_insensitive=self.unicode_insensitive,
        )


@dataclass(frozen=True)
class PathMatcher:
    folders: tuple[WatchedFolder, ...]
    # Only these sheets (`watch PATH ...`): (folder index, name key) -> the path as given
    targets: Mapping[tuple[int, str], Path] | None = None

    def sheet_for(self, reported: str) -> Path | None:
        """The watched sheet (the user's path for it) an event at `reported` is about,
        or None: another folder, or a file in the folder that is not watched."""
        parent, name = os.path.split(reported)
        for index, folder in enumerate(self.folders):
            if folder.key(parent) != folder.key(folder.real):
                continue
            if self.targets is None:
                return folder.named / name
            target = self.targets.get((index, folder.key(name)))
            if target is not None:
                return target
        return None


def match_paths(
    folders: Sequence[WatchedFolder], targets: Iterable[tuple[Path, str]] | None = None
) -> PathMatcher:
    """The matcher of `folders`; `targets`: (the path as given, its real path) of each
    watched sheet, when only those are watched."""
    if targets is None:
        return PathMatcher(tuple(folders))
    by_name: dict[tuple[int, str], Path] = {}
    for named, real in targets:
        parent, name = os.path.split(real)
        for index, folder in enumerate(folders):
            if folder.key(parent) == folder.key(folder.real):
                by_name[(index, folder.key(name))] = named
    return PathMatcher(tuple(folders), by_name)


def watched_folder(named: Path, real: Path | None = None) -> WatchedFolder:
    """`named` (a folder as the user gave it) with what the OS says of it; `real`: its
    real path when known (a target's own folder, its symlinks resolved)."""
    real = real or Path(os.path.realpath(named))
    return WatchedFolder(
        Path(os.path.abspath(named)),
        str(real),
        case_insensitive=case_insensitive(real),
        unicode_insensitive=sys.platform == "darwin",
    )
