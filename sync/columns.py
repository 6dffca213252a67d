"""The one table of sheet columns: header text, kind of value, and API field.

Reader, inputs, writer and templates all take their column knowledge from here, so a
new column (or a new alias) is added in one place. Never put I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    ID = "id"
    TEXT = "text"
    DATETIME = "datetime"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class Column:
    key: str  # the API field name, also the canonical header text
    kind: Kind
    help: str  # what the column holds, for templates and docs
    aliases: tuple[str, ...] = ()  # other header texts users may type (e.g. Japanese)


OBJECT_ID = "objectId"
CUSTOM_PREFIX = "custom:"

COLUMNS: tuple[Column, ...] = (
    Column(OBJECT_ID, Kind.ID, "HubSpot's record id of the event (a whole number)."),
    Column("eventName", Kind.TEXT, "The event's name."),
    Column("eventType", Kind.TEXT, "Free text, e.g. Webinar, Conference."),
    Column("eventOrganizer", Kind.TEXT, "Who organises the event."),
    Column("eventDescription", Kind.TEXT, "A description of the event."),
    Column("eventUrl", Kind.TEXT, "The event's web page."),
    Column("eventCancelled", Kind.BOOLEAN, "TRUE if the event is cancelled (TRUE/FALSE)."),
    Column("startDateTime", Kind.DATETIME, "Start, e.g. 2025-03-01 09:00 (local time)."),
    Column("endDateTime", Kind.DATETIME, "End, e.g. 2025-03-01 17:00 (local time)."),
)
COLUMNS_BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}

# Fields a row can send; objectId is the match key, not a field.
EVENT_FIELDS: tuple[str, ...] = tuple(c.key for c in COLUMNS if c.kind is not Kind.ID)

UPDATED_AT = "updatedAt"
SYNC_ERROR = "syncError"
ANNOTATIONS: tuple[str, ...] = (UPDATED_AT, SYNC_ERROR)


def normalise_header(text: str) -> str:
    """Header text compared without case or surrounding spaces."""
    return " ".join(str(text).split()).casefold()


_HEADER_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _text in (_column.key, *_column.aliases):
        _HEADER_LOOKUP[normalise_header(_text)] = _column.key
for _name in ANNOTATIONS:
    _HEADER_LOOKUP[normalise_header(_name)] = _name


def field_for_header(text: str) -> str | None:
    """The field a header names: a column key, `custom:<name>`, an annotation, or None.

    None means the column belongs to the user: never sent, never changed.
    """
    normalised = normalise_header(text)
    if not normalised:
        return None
    if normalised.startswith(CUSTOM_PREFIX):
        name = str(text).strip()[len(CUSTOM_PREFIX) :].strip()
        return CUSTOM_PREFIX + name if name else None
    return _HEADER_LOOKUP.get(normalised)


def kind_of(field: str) -> Kind:
    """Custom properties are text: HubSpot takes their values as strings."""
    column = COLUMNS_BY_KEY.get(field)
    return column.kind if column else Kind.TEXT


def is_custom(field: str) -> bool:
    return field.startswith(CUSTOM_PREFIX)
