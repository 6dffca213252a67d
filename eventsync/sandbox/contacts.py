"""Sandbox contacts: who HubSpot already knows, by email, and the CRM batch read of them.

The portal's contacts as the attendance endpoints find or create them, and HubSpot's
contacts batch read (`POST /crm/v3/objects/contacts/batch/read`, with `idProperty=email`)
under v3, 2026-03 and 2026-09, with its scope `crm.objects.contacts.read`. Tests seed
contacts with `add_contacts` and count the ones attendance created with
`created_contacts`. Guarded by the sandbox state's lock; must never keep a token, and
never create a contact for a read.
"""

from __future__ import annotations

import copy
import threading
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eventsync.sandbox.event_rules import JsonObject, format_ms
from eventsync.sandbox.participant_rules import input_error, is_email
from eventsync.sandbox.replies import Reply, missing_scopes_reply, validation_reply
from eventsync.sandbox.validation import BATCH_LIMIT, InputProblem

if TYPE_CHECKING:
    from eventsync.sandbox.state import SandboxState

CONTACTS_READ_SCOPE = "crm.objects.contacts.read"
# The batch read per version; 2026-09 names the object type in the path (`contacts` or
# its type id `0-1`), v3 and 2026-03 name contacts' own path.
READ_PATHS = {
    "/crm/v3/objects/contacts/batch/read": "v3",
    "/crm/v3/objects/0-1/batch/read": "v3",
    "/crm/objects/2026-03/contacts/batch/read": "2026-03",
    "/crm/objects/2026-03/0-1/batch/read": "2026-03",
    "/crm/objects/2026-09/contacts/batch/read": "2026-09",
    "/crm/objects/2026-09/0-1/batch/read": "2026-09",
}
# Contact ids: the 2026-09 attendance schemas type `vid` as int32, so every id fits one.
FIRST_CONTACT_ID = 100_001
# What a batch read returns of every contact, asked or not (the rest only when asked).
DEFAULT_PROPERTIES = ("email", "hs_object_id", "createdate", "lastmodifieddate")
NOT_FOUND_MESSAGE = (
    "Could not get some CONTACT objects, they may be deleted or not exist. "
    "Check that ids are valid."
)


@dataclass
class Contact:
    contact_id: str
    email: str
    created_ms: int
    properties: dict[str, str] = field(default_factory=dict)


@dataclass
class Contacts:
    """The portal's contacts by lowercase email, and those attendance created."""

    by_email: dict[str, Contact] = field(default_factory=dict)
    ids: dict[str, Contact] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)  # emails, in the order created
    last_id: int = FIRST_CONTACT_ID - 1

    def by_id(self, contact_id: str) -> Contact | None:
        return self.ids.get(contact_id)

    def make(self, email: str, created_ms: int, properties: dict[str, str]) -> Contact:
        self.last_id += 1
        contact = Contact(str(self.last_id), email.lower(), created_ms, dict(properties))
        self.by_email[contact.email] = self.ids[contact.contact_id] = contact
        return contact


_REGISTRY: weakref.WeakKeyDictionary[SandboxState, Contacts] = weakref.WeakKeyDictionary()
_REGISTRY_LOCK = threading.Lock()


def contacts_of(sandbox: SandboxState) -> Contacts:
    """The contacts of one sandbox (made on first use; they live as long as it does)."""
    with _REGISTRY_LOCK:
        return _REGISTRY.setdefault(sandbox, Contacts())


def add_contacts(sandbox: SandboxState, *emails: str, **properties: str) -> list[str]:
    """Contacts HubSpot already has (not counted as created); returns their ids. An email
    already known keeps its contact."""
    ids = []
    with sandbox._lock:
        known = contacts_of(sandbox)
        for email in emails:
            if not is_email(email):
                raise ValueError(f"{email!r} is not an email address the sandbox takes")
            contact = known.by_email.get(email.lower())
            if contact is None:
                now = int(sandbox._clock() * 1000)
                contact = known.make(email, now, properties)
            ids.append(contact.contact_id)
    return ids


def created_contacts(sandbox: SandboxState) -> list[str]:
    """The emails of the contacts the attendance endpoints created, in order (for tests)."""
    with sandbox._lock:
        return list(contacts_of(sandbox).created)


def contact_association(contact: Contact) -> JsonObject:
    """ContactAssociation: a breakdown row's contact."""
    shown: JsonObject = {"contactId": contact.contact_id, "email": contact.email}
    for name in ("firstname", "lastname"):
        if name in contact.properties:
            shown[name] = contact.properties[name]
    return shown


def _public_object(contact: Contact, asked: list[str]) -> JsonObject:
    """SimplePublicObject: a contact as the batch read returns it."""
    stamp = format_ms(contact.created_ms)
    values = {"email": contact.email, "hs_object_id": contact.contact_id}
    values |= {"createdate": stamp, "lastmodifieddate": stamp}
    values |= {k: v for k, v in contact.properties.items() if k in asked}
    properties = {k: values[k] for k in (*DEFAULT_PROPERTIES, *asked) if k in values}
    return {
        "id": contact.contact_id,
        "properties": properties,
        "createdAt": stamp,
        "updatedAt": stamp,
        "archived": False,
    }


def _read_problems(body: object) -> list[InputProblem]:
    """BatchReadInputSimplePublicObjectId: `inputs`, `properties` and
    `propertiesWithHistory` required; `idProperty` email (or none: ids)."""
    if not isinstance(body, dict):
        return [InputProblem("body", "INVALID_BODY", "must be a JSON object")]
    problems = []
    for name in ("inputs", "properties", "propertiesWithHistory"):
        if not isinstance(body.get(name), list):
            problems.append(InputProblem(name, "REQUIRED", "is required (a list)"))
    inputs = body.get("inputs")
    if isinstance(inputs, list):
        if not 1 <= len(inputs) <= BATCH_LIMIT:
            why = f"must hold 1 to {BATCH_LIMIT} items, got {len(inputs)}"
            problems.append(InputProblem("inputs", "INVALID_SIZE", why))
        for index, item in enumerate(inputs):
            if not (isinstance(item, dict) and isinstance(item.get("id"), str)):
                problems.append(InputProblem(f"inputs[{index}].id", "REQUIRED", "is required"))
    id_property = body.get("idProperty")
    if id_property not in (None, "email", "hs_object_id"):
        why = f"{id_property!r} is not a unique property of contacts"
        problems.append(InputProblem("idProperty", "INVALID_VALUE", why))
    return problems


def read_contacts(state: SandboxState, version: str, body: object, correlation_id: str) -> Reply:
    """The batch read: found contacts in `results`; those not found in one
    OBJECT_NOT_FOUND error (a 207 under v3 and 2026-03, inside a 200 under 2026-09)."""
    if not state._granted(CONTACTS_READ_SCOPE):
        return missing_scopes_reply(correlation_id, [CONTACTS_READ_SCOPE])
    problems = _read_problems(body)
    if problems:
        return validation_reply(problems, correlation_id)
    assert isinstance(body, dict)
    by_email = body.get("idProperty") == "email"
    asked = [str(name) for name in body["properties"]]
    results: list[JsonObject] = []
    missing: list[str] = []
    with state._lock:
        started = format_ms(int(state._clock() * 1000))
        known = contacts_of(state)
        for wanted in dict.fromkeys(item["id"] for item in body["inputs"]):
            found = known.by_email.get(wanted.lower()) if by_email else known.by_id(wanted)
            if found is None:
                missing.append(wanted)
            else:
                results.append(_public_object(found, asked))
        completed = format_ms(int(state._clock() * 1000))
    answer: JsonObject = {"status": "COMPLETE", "results": results}
    answer |= {"startedAt": started, "completedAt": completed}
    if not missing:
        return Reply(200, answer)
    error = input_error(NOT_FOUND_MESSAGE, {"ids": missing}, "OBJECT_NOT_FOUND")
    answer |= {"numErrors": 1, "errors": [error]}
    return Reply(200 if version == "2026-09" else 207, answer)


def contacts_snapshot(sandbox: SandboxState) -> dict[str, JsonObject]:
    """Every contact by email, as plain values (for tests and the by-hand sandbox)."""
    with sandbox._lock:
        return {e: copy.deepcopy(vars(c)) for e, c in contacts_of(sandbox).by_email.items()}


def answer_contacts(sandbox: Any, path: str, body: object, correlation_id: str) -> Reply | None:
    """The reply to a contacts path, or None when `path` is not one."""
    version = READ_PATHS.get(path)
    return None if version is None else read_contacts(sandbox, version, body, correlation_id)
