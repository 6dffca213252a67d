"""A sheet with its plan: what the run loop hands from planning to sending.

Pure data. `reconciled` and `portal` are set once HubSpot's current state was read
(the three-way check; every event of the portal for two-way sync).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from eventsync.columns import EXTERNAL_EVENT_ID, OBJECT_ID
from eventsync.model import EventUpdate, Plan, Sheet
from eventsync.plan.conflicts import Reconciled
from eventsync.plan.creates import CreateRow, NewEvent, row_external_id
from eventsync.plan.event_cells import RemoteEvent
from eventsync.plan.lifecycle import DeleteCount, Lifecycle
from eventsync.values import is_blank, parse_object_id


@dataclass(frozen=True)
class PlannedSheet:
    sheet: Sheet
    plan: Plan
    rows: tuple[EventUpdate, ...] = ()  # every valid row, for the three-way check
    reconciled: Reconciled | None = None  # set once HubSpot's current state was read
    portal: Mapping[str, RemoteEvent] | None = None  # every event (two-way sync only)
    # Events whose rows carry an updatedAt the snapshot does not know (its state is new):
    # HubSpot's current values are their base (see plan/versions).
    unrecorded: tuple[str, ...] = ()
    # Events whose rows were synced after this folder's last sync of them (another
    # working folder syncs the sheet): compared with HubSpot, said in plan and sync.
    elsewhere: tuple[str, ...] = ()
    # Events other sheets of the folder hold (two-way): never offered or added here.
    held_elsewhere: frozenset[str] = frozenset()
    # Why no event is offered at all: another sheet of the folder could not be read.
    elsewhere_unread: str | None = None
    # The rows that are not ordinary updates: deletions, rows of deleted events.
    lifecycle: Lifecycle = Lifecycle()
    # Events the state knows to be deleted: never offered or added again (--add-new).
    deleted: frozenset[str] = frozenset()
    # Rows without an objectId to create as new events (plan/creates).
    creates: tuple[NewEvent, ...] = ()
    # `plan`: what a sync would do with each of them (HubSpot asked about those in flight).
    create_rows: tuple[CreateRow, ...] = ()

    @property
    def labels(self) -> dict[str, str]:
        return {name: header.text for name, header in self.sheet.headers.items()}

    @property
    def new_in_hubspot(self) -> list[RemoteEvent]:
        """Events HubSpot has that no row of this sheet, nor another sheet of its folder,
        names, valid or not (two-way): adding one held elsewhere would make two copies."""
        if not self.portal or self.elsewhere_unread is not None:
            return []
        named = {row.object_id for row in self.rows} | named_ids(self.sheet)
        # A row whose create is in flight names its event by its external id only.
        external: set[str | None] = set()
        if EXTERNAL_EVENT_ID in self.sheet.headers:
            external = {row_external_id(row) for row in self.sheet.rows} - {None}
        return [
            event
            for object_id, event in sorted(self.portal.items(), key=lambda item: int(item[0]))
            if object_id not in named
            and object_id not in self.held_elsewhere
            and object_id not in self.deleted
            and event.raw.fields.get(EXTERNAL_EVENT_ID) not in external
        ]


def delete_counts(planned: Iterable[PlannedSheet]) -> list[DeleteCount]:
    """Each sheet's deletions, for the guard (plan/lifecycle.delete_guard)."""
    return [DeleteCount(p.sheet.name, len(p.lifecycle.deletes), len(p.sheet.rows)) for p in planned]


def named_ids(sheet: Sheet) -> set[str]:
    """Every objectId a sheet's rows name, read leniently (see `_id_of`)."""
    return {_id_of(row.cells.get(OBJECT_ID)) for row in sheet.rows} - {""}


def _id_of(raw: object) -> str:
    """The id a row names, read leniently, as HubSpot spells it: 5823713201.0 (a number
    cell) and the text "5823713201.0" both name 5823713201. Leniency is the safe side
    here: a row that seems to name an event keeps that event from being appended."""
    if is_blank(raw):
        return ""
    try:
        return parse_object_id(raw)
    except ValueError:
        text = unicodedata.normalize("NFKC", str(raw)).strip()
        whole = re.fullmatch(r"(\d+)\.0*", text)
        return str(int(whole.group(1))) if whole else text
