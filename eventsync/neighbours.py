"""The other sheets of a sheet's folder, and which events they hold: two files holding
the same event sync neither (the duplicate check), so two-way sync never offers or adds
an event another sheet holds, and `pull` does not write a second copy unasked.

Beside the run loop and pull: reads sheets (only when there is something to decide),
never writes, never talks to HubSpot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from eventsync.errors import EventsyncError
from eventsync.messages import Text, reason
from eventsync.participant_mapping import ParticipantMapping
from eventsync.plan.planned import PlannedSheet, named_ids
from eventsync.sheets.folder import sheets_beside
from eventsync.sheets.participants_sheet import NO_MAPPING, is_participants_file
from eventsync.sheets.reader import read_sheet


class HeldElsewhere:
    """The events other sheets of a sheet's folder hold, for two-way sync: those are
    never offered for adding, nor added (a second copy would stop both from syncing).
    The run's own sheets are known; the folder's others are read once, only when a
    sheet has events to offer. One that cannot be read holds back every offer. (Only
    the sheets folder is looked through: a sheet named elsewhere, in Downloads say, has
    no folder of event sheets around it.)"""

    def __init__(
        self,
        planned: Sequence[PlannedSheet],
        sheets_folder: Path,
        mapping: ParticipantMapping = NO_MAPPING,
    ):
        self._known = {sheet.sheet.path: named_ids(sheet.sheet) for sheet in planned}
        self._folder = _resolved(sheets_folder)
        self._read: dict[Path, set[str] | str] = {}
        self._mapping = mapping  # (a webinar export is a participants file by its headers)

    def held(self, planned: PlannedSheet) -> PlannedSheet:
        if not planned.new_in_hubspot:
            return planned
        path = planned.sheet.path
        held: set[str] = set()
        beside = sheets_beside(path) if _resolved(path.parent) == self._folder else []
        for other in [*self._known, *beside]:
            if other == path:
                continue
            ids = self._known[other] if other in self._known else self._ids_of(other)
            if isinstance(ids, str):
                unread = Text("folder.held_unread", file=other.name, why=ids)
                return replace(planned, elsewhere_unread=unread)
            held |= ids
        return replace(planned, held_elsewhere=frozenset(held))

    def _ids_of(self, path: Path) -> set[str] | str:
        if path not in self._read:
            try:
                # A participants file holds no events (its objectIds are whose people).
                participants = is_participants_file(path, self._mapping)
                self._read[path] = set() if participants else named_ids(read_sheet(path))
            except EventsyncError as error:
                self._read[path] = reason(error)
            except OSError as error:
                self._read[path] = error.strerror or str(error)
        return self._read[path]


def _resolved(folder: Path) -> Path:
    try:
        return folder.resolve()
    except OSError:
        return folder


def held_beside(
    target: Path, pulled: set[str], mapping: ParticipantMapping = NO_MAPPING
) -> tuple[str, int] | None:
    """The other sheets of the target's folder that hold some of the pulled events (by
    name), and how many events: two files with the same events sync neither (the
    duplicate check), so pull refuses to make a second one unless told. A sheet that
    cannot be read holds nothing pull could see, and is not named; a participants file
    holds no events (its objectIds are whose people, `mapping` telling exports apart)."""
    names, held = [], set()
    for path in sheets_beside(target):
        try:
            if is_participants_file(path, mapping):
                continue
            ids = named_ids(read_sheet(path)) & pulled
        except (EventsyncError, OSError):
            continue
        if ids:
            names.append(path.name)
            held |= ids
    return (", ".join(names), len(held)) if names else None
