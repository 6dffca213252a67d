"""Which watched sheet an event is about, as macOS reports it: real paths (symlinks
resolved), the case and Unicode form the disk stores. A table of the cases, run on any OS
(the matching is pure); the end-to-end tests beside it watch through a symlink."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from eventsync.watch.paths import WatchedFolder, match_paths

NAMED = Path("/var/folders/ab/sheets")  # what the user typed (/var is a symlink on macOS)
APFS = WatchedFolder(NAMED, "/private/var/folders/ab/Sheets", True, True)
EXT4 = WatchedFolder(Path("/home/h/sheets"), "/home/h/sheets", False, False)
BE_NFC = "\u30d9"  # ベ as typed
BE_NFD = unicodedata.normalize("NFD", BE_NFC)  # as an HFS+ disk stored it


@pytest.mark.parametrize(
    ("folder", "reported", "sheet"),
    [
        (APFS, "/private/var/folders/ab/Sheets/Events.xlsx", NAMED / "Events.xlsx"),
        (APFS, "/private/var/folders/ab/sheets/Events.xlsx", NAMED / "Events.xlsx"),
        (APFS, "/PRIVATE/var/folders/ab/SHEETS/Events.xlsx", NAMED / "Events.xlsx"),
        (APFS, "/private/var/folders/ab/Sheets/sub/Events.xlsx", None),  # a sub-folder
        (APFS, "/private/var/folders/ab/Other/Events.xlsx", None),
        (APFS, "/var/folders/ab/Sheets/Events.xlsx", None),  # never reported so: not real
        (EXT4, "/home/h/sheets/Events.xlsx", Path("/home/h/sheets/Events.xlsx")),
        (EXT4, "/home/h/Sheets/Events.xlsx", None),  # another folder on a case-sensitive disk
    ],
)
def test_a_watched_folder_matches_events_as_its_volume_compares_names(folder, reported, sheet):
    assert match_paths([folder]).sheet_for(reported) == sheet


TYPED = NAMED / "events.xlsx"  # `watch sheets/events.xlsx` for Sheets/Events.xlsx
TYPED_JA = NAMED / f"イ{BE_NFC}ント.xlsx"


@pytest.mark.parametrize(
    ("reported", "sheet"),
    [
        ("/private/var/folders/ab/Sheets/Events.xlsx", TYPED),
        ("/private/var/folders/ab/Sheets/EVENTS.XLSX", TYPED),
        (f"/private/var/folders/ab/Sheets/イ{BE_NFD}ント.xlsx", TYPED_JA),
        (f"/private/var/folders/ab/Sheets/イ{BE_NFC}ント.xlsx", TYPED_JA),
        ("/private/var/folders/ab/Sheets/Other.xlsx", None),  # in the folder, not watched
    ],
)
def test_a_named_sheet_is_found_in_the_case_and_form_the_os_reports(reported, sheet):
    real = "/private/var/folders/ab/Sheets"
    matcher = match_paths(
        [APFS], [(TYPED, f"{real}/events.xlsx"), (TYPED_JA, f"{real}/イ{BE_NFC}ント.xlsx")]
    )
    assert matcher.sheet_for(reported) == sheet


def test_on_a_case_sensitive_disk_another_case_is_another_file():
    typed = Path("/home/h/sheets/events.xlsx")
    matcher = match_paths([EXT4], [(typed, "/home/h/sheets/events.xlsx")])
    assert matcher.sheet_for("/home/h/sheets/events.xlsx") == typed
    assert matcher.sheet_for("/home/h/sheets/Events.xlsx") is None
