"""The words of an event's lifecycle, shared by the stages: the status a row asks for,
an event eventsync knows to be deleted, and what HubSpot answered to a deletion.

Layer 0, beside `model`: plain frozen values, no I/O, no HubSpot spelling. The rules
that read them are in plan/lifecycle.py (what a row asks for, the delete guard), the
sending in hubspot/archive.py, the memory in state/deleted.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum


class EventStatus(Enum):
    """What a row's status column (columns.LIFECYCLE) asks for."""

    SCHEDULED = "Scheduled"  # not cancelled: eventCancelled false
    COMPLETED = "Completed"  # HubSpot's complete call (only the creating app may)
    CANCELLED = "Cancelled"  # eventCancelled true
    DELETE = "Delete"  # the explicit marker: the event is archived in HubSpot

    # Members are singletons compared by identity (see model.RowStatus).
    __hash__ = object.__hash__


class DeleteKind(StrEnum):
    """How eventsync came to know an event is gone (stored as the value)."""

    BY_EVENTSYNC = "deleted"  # a row marked for deletion, archived by a sync
    IN_HUBSPOT = "deleted in HubSpot"  # HubSpot no longer has it (404, not listed)


@dataclass(frozen=True, slots=True)
class DeletedEvent:
    """An event eventsync will never send, add or create again."""

    object_id: str
    kind: DeleteKind
    at: str  # UTC, ISO 8601: when eventsync learnt it


@dataclass(frozen=True, slots=True)
class Archived:
    """HubSpot's answer to the deletion of one event. `deleted`: HubSpot no longer has
    it (deleted now, or already gone); else `message` says why, or that the answer
    left it unclear (then the next sync asks again: deleting twice is harmless)."""

    object_id: str
    deleted: bool
    message: str = ""
