"""Values HubSpot's answers become, shared by the stages that must not import each other.

Layer 0, beside `model`: `hubspot/` makes these of HubSpot's JSON (hubspot/inbound.py,
properties.py, account.py); `plan/` and `state/` read them without knowing a wire
spelling. Plain frozen values: no I/O, no JSON, no HubSpot field names as keys other
than the event fields the columns table names (eventsync/columns.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType

from eventsync.model import Stop

# The scope HubSpot's spec names for account details (`oauth`, "Basic HubSpot account
# information"): a key without it is refused there, and the portal is then known by the
# token's fingerprint (state/portal.py says so).
ACCOUNT_SCOPE = "oauth"


@dataclass(frozen=True, slots=True)
class Counters:
    """HubSpot's counts of an event's contacts (hubspot/inbound.py reads them); None:
    not given (noShows "only has a value when the event is over") or not a count."""

    registrants: int | None = None
    attendees: int | None = None
    cancellations: int | None = None
    no_shows: int | None = None


NO_COUNTERS = Counters()


@dataclass(frozen=True)
class PortalEvent:
    """One marketing event as HubSpot holds it, read off the wire (hubspot/inbound.py).

    `fields` holds HubSpot's own fields by their names (`eventName`, `startDateTime`, ...)
    as JSON gave them, checked where they are read; `custom` each custom property's
    value by name (the last of a name wins; names that are no text are left out)."""

    object_id: str
    updated_at: str  # an RFC 3339 version: a read carrying anything else stops before
    fields: Mapping[str, object]
    custom: Mapping[str, object]
    # Read only: never a field, never sent, never compared (docs/participants.md).
    counters: Counters = NO_COUNTERS


@dataclass(frozen=True)
class PortalParticipant:
    """One contact's participation in one event as HubSpot's breakdown reads it
    (hubspot/breakdown.py): `attendance_state` is HubSpot's own word (REGISTERED,
    ATTENDED, CANCELLED, NO_SHOW or EMPTY), read only; `occurred_ms` epoch ms."""

    object_id: str
    email: str
    contact_id: str | None
    attendance_state: str
    occurred_ms: int | None


class Lookup(Enum):
    """What HubSpot's account details said about the token's account."""

    NAMED = "named"  # the account id
    NOT_NAMED = "not named"  # a lasting answer naming no account (a key without the scope)
    NO_ANSWER = "no answer"  # HubSpot failed: says nothing about the account


@dataclass(frozen=True)
class AccountAnswer:
    lookup: Lookup
    account: str | None = None  # NAMED: the account (portal) id
    why: str | None = None  # NO_ANSWER: what HubSpot answered, for the message
    # NOT_NAMED by a refusal (401, 403): its status, so `plan` can say the details call
    # was refused rather than answered without an account.
    refused: int | None = None


@dataclass(frozen=True, slots=True)
class PropertyOption:
    label: str  # what HubSpot's screens show
    value: str  # the internal value the API takes


@dataclass(frozen=True, slots=True)
class PropertyDefinition:
    """One property as the portal defines it (HubSpot's properties API, hubspot/properties.py)."""

    name: str
    type: str  # string, number, bool, enumeration, date, datetime, phone_number, ...
    field_type: str = ""  # text, select, radio, checkbox, booleancheckbox, date, ...
    label: str = ""
    options: tuple[PropertyOption, ...] = ()

    @property
    def several(self) -> bool:
        """Multiple checkboxes: several options, `;`-separated."""
        return self.type == "enumeration" and self.field_type == "checkbox"


@dataclass(frozen=True)
class PortalProperties:
    """The portal's property definitions by name, or (None) why they could not be read.

    Unread, HubSpot either refused this read (a scope the key lacks: `stop` is None, and
    the custom values that need converting are held, saying why) or could not answer
    now (out, the token refused, the day's limit: `stop` says why, and the run stops
    before sending, as when HubSpot's events cannot be read)."""

    definitions: Mapping[str, PropertyDefinition] | None
    unread: str = ""  # a message: why the definitions are not known
    stop: Stop | None = None
    # No token (`plan` only: sync needs one): nothing can be read, nothing will be sent;
    # the values are shown as typed, and `plan` says they are converted when sent.
    offline: bool = False

    @classmethod
    def known(cls, definitions: Sequence[PropertyDefinition]) -> PortalProperties:
        return cls(MappingProxyType({d.name: d for d in definitions}))

    @property
    def types(self) -> dict[str, str] | None:
        if self.definitions is None:
            return None
        return {name: d.type for name, d in self.definitions.items()}
