"""The JSON snapshot of eventsync before the state database: read once, to import it.

One JSON file per portal (base URL) under `.eventsync/snapshots/`. The state database
(`database.py`) replaced it; this module only reads such a file for the import, and
writes one for tests and benchmarks of that import. It never holds the access token.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path

from eventsync.errors import SheetError
from eventsync.messages import Text
from eventsync.model import SyncedEvent, frozen
from eventsync.safe_files import write_atomically

FORMAT_VERSION = 1
SNAPSHOTS_DIR = "snapshots"
IMPORTED_SUFFIX = ".imported"  # `<name>.json` becomes `<name>.json.imported` once imported


def snapshot_path(state_dir: Path, base_url: str) -> Path:
    host = re.sub(r"[^A-Za-z0-9.-]+", "_", base_url.split("://", 1)[-1]).strip("_")
    digest = hashlib.sha256(base_url.encode()).hexdigest()[:8]
    return state_dir / SNAPSHOTS_DIR / f"{host}-{digest}.json"


def imported_path(path: Path) -> Path:
    return path.with_name(path.name + IMPORTED_SUFFIX)


def load_snapshot(state_dir: Path, base_url: str) -> dict[str, SyncedEvent]:
    """The events of a JSON snapshot ({} when there is none); a damaged one is a
    `SheetError` naming the file, never a silent start from nothing."""
    path = snapshot_path(state_dir, base_url)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        events = data["events"]
        if not all(isinstance(key, str) and key.isascii() and key.isdigit() for key in events):
            raise ValueError("an objectId that is not a HubSpot id")  # a hand edit
        return {
            # "seenInHubSpot" (older versions: HubSpot values shown in a conflict) is
            # ignored: a conflict no longer ends by being seen, only by being resolved.
            object_id: SyncedEvent(frozen(entry["values"]), entry["updatedAt"])
            for object_id, entry in events.items()
        }
    except (ValueError, KeyError, TypeError, AttributeError, OSError):
        raise SheetError(Text("refuse.snapshot_damaged", path=path)) from None


def save_snapshot(state_dir: Path, base_url: str, snapshot: Mapping[str, SyncedEvent]) -> Path:
    """Write a snapshot as eventsync before the database did (tests, benchmarks)."""
    lines = [
        json.dumps(object_id)
        + ": "
        + json.dumps(
            {"values": dict(event.values), "updatedAt": event.updated_at}, ensure_ascii=False
        )
        for object_id, event in sorted(snapshot.items(), key=lambda item: int(item[0]))
    ]
    head = json.dumps({"version": FORMAT_VERSION, "baseUrl": base_url})[:-1]
    text = head + ', "events": {\n' + ",\n".join(lines) + "\n}}\n"
    path = snapshot_path(state_dir, base_url)
    write_atomically(path, text.encode("utf-8"))
    return path
