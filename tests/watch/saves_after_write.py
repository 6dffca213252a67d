"""`eventsync watch` with a user who saves the workbook the instant watch's own write
lands: run as `python saves_after_write.py watch ...` in place of `python -m eventsync watch
...`.

Right after each rename that replaces events.xlsx, before the writer returns (and so
before watch records anything), the workbook is saved as Excel saves: a new file
written beside it, then renamed over it, with row 3's eventName changed to
"Saved right after write N". `SAVES_AFTER_WRITE` (environment) says how many of watch's
writes are followed so; each save is a new edit that must reach HubSpot. No timing is
involved: the save comes between the write and whatever watch does next, every time.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import eventsync.safe_files
from eventsync.cli import main
from eventsync.sheets.xlsx.patch import patch_cells

EDITED = (3, 2)  # row 3, column B: eventName of 5823713202 in the sample workbook
SAVES = int(os.environ.get("SAVES_AFTER_WRITE", "0"))
saved: list[Path] = []  # one entry per save made


def save_right_after(target: Path) -> None:
    if target.name != "events.xlsx" or len(saved) >= SAVES:
        return
    saved.append(target)
    temp = target.with_name("saving.tmp")
    patch_cells(target, temp, "Events", {EDITED: f"Saved right after write {len(saved)}"})
    temp.replace(target)


eventsync.safe_files.AFTER_REPLACE = save_right_after
sys.exit(main())
