"""The one table of sheet columns: header text, kind of value, and API field.

Reader, inputs, writer and templates all take their column knowledge from here, so a
new column (or a new alias) is added in one place. Never put I/O here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Literal


class Kind(Enum):
    ID = "id"
    TEXT = "text"
    DATETIME = "datetime"
    BOOLEAN = "boolean"

    # Members are singletons compared by identity: hashed by identity too, in C, not by
    # Enum's Python-level hash of the name (millions of lookups at 100,000 rows).
    __hash__ = object.__hash__


@dataclass(frozen=True)
class Column:
    key: str  # the API field name, also the canonical (English) header text
    kind: Kind
    help: str  # what the column holds, for template notes and docs
    japanese: str  # the header of the Japanese template; also accepted in any sheet
    help_ja: str
    aliases: tuple[str, ...] = ()  # other header texts users type for the same column


OBJECT_ID = "objectId"
CUSTOM_PREFIX = "custom:"
CUSTOM_PREFIXES = (CUSTOM_PREFIX, "カスタム:")  # NFKC folds the full-width colon

COLUMNS: tuple[Column, ...] = (
    Column(
        OBJECT_ID,
        Kind.ID,
        "HubSpot's record id of the event (a whole number).",
        "イベントID",
        "HubSpot 上のイベントのID（整数）。",
        ("オブジェクトID",),
    ),
    Column("eventName", Kind.TEXT, "The event's name.", "イベント名", "イベントの名前。"),
    Column(
        "eventType",
        Kind.TEXT,
        "Free text, e.g. Webinar, Conference.",
        "イベント種別",
        "自由記述。例: ウェビナー、カンファレンス。",
        ("イベントタイプ",),
    ),
    Column("eventOrganizer", Kind.TEXT, "Who organises the event.", "主催者", "イベントの主催者。"),
    Column(
        "eventDescription",
        Kind.TEXT,
        "A description of the event.",
        "説明",
        "イベントの説明。",
        ("イベント説明",),
    ),
    Column(
        "eventUrl",
        Kind.TEXT,
        "The event's web page.",
        "イベントURL",
        "イベントのウェブページ。",
        ("URL",),
    ),
    Column(
        "eventCancelled",
        Kind.BOOLEAN,
        "TRUE if the event is cancelled (TRUE/FALSE).",
        "キャンセル",
        "中止なら TRUE（TRUE/FALSE、はい/いいえ）。",
        ("中止",),
    ),
    Column(
        "startDateTime",
        Kind.DATETIME,
        "Start, e.g. 2025-03-01 09:00 (local time).",
        "開始日時",
        "開始日時。例: 2025-03-01 09:00（ローカル時刻）。",
    ),
    Column(
        "endDateTime",
        Kind.DATETIME,
        "End, e.g. 2025-03-01 17:00 (local time).",
        "終了日時",
        "終了日時。例: 2025-03-01 17:00（ローカル時刻）。",
    ),
)
COLUMNS_BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}

# Fields a row can send; objectId is the match key, not a field.
EVENT_FIELDS: tuple[str, ...] = tuple(c.key for c in COLUMNS if c.kind is not Kind.ID)

# The status column (docs/event-status-and-deleting.md): what the row asks of the
# event's lifecycle (Scheduled, Completed, Cancelled, Delete). Not one of HubSpot's
# fields (HubSpot computes its own `eventStatus`, read-only), nor a plain "Status"
# (many sheets keep a column of that name with their own words): never in a
# template, never sent as a field.
LIFECYCLE = "eventLifecycle"
LIFECYCLE_JA = "イベント状態"
# The state's mark of an event eventsync marked completed (HubSpot's own field name, read
# only there): kept in the snapshot, never a column, never sent in an update. HubSpot has
# no call that undoes a completion, so the mark stays through a pull.
COMPLETED = "eventCompleted"

UPDATED_AT = "updatedAt"
SYNC_ERROR = "syncError"
# The external id eventsync gives a row it creates as an event (docs/creating-events.md):
# read and written by eventsync, never sent as a field of an update, not in templates.
EXTERNAL_EVENT_ID = "externalEventId"
EXTERNAL_EVENT_ID_JA = "外部イベントID"
ANNOTATIONS: tuple[str, ...] = (UPDATED_AT, SYNC_ERROR)
ANNOTATIONS_JA = {UPDATED_AT: "更新日時", SYNC_ERROR: "同期エラー"}

# HubSpot's counters per event (docs/participants.md, "Counters in the events sheet"):
# read-only columns that `pull` and `sync --two-way` fill, never sent, never compared
# by the three-way rule, never in the snapshot. The first four are HubSpot's own names
# of an event's read; `attendanceRate` is eventsync's (plan/counters.attendance_rate).
ATTENDANCE_RATE = "attendanceRate"
COUNTERS: tuple[Column, ...] = (
    Column(
        "registrants",
        Kind.TEXT,
        "Written by eventsync: HubSpot's count of registrants. Don't edit.",
        "登録者数",
        "eventsync が書き込みます: HubSpot の登録者数。編集しないでください。",
    ),
    Column(
        "attendees",
        Kind.TEXT,
        "Written by eventsync: HubSpot's count of attendees. Don't edit.",
        "出席者数",
        "eventsync が書き込みます: HubSpot の出席者数。編集しないでください。",
    ),
    Column(
        "cancellations",
        Kind.TEXT,
        "Written by eventsync: HubSpot's count of cancellations. Don't edit.",
        "キャンセル数",
        "eventsync が書き込みます: HubSpot のキャンセル数。編集しないでください。",
    ),
    Column(
        "noShows",
        Kind.TEXT,
        "Written by eventsync: HubSpot's count of no-shows (once the event is over). Don't edit.",
        "欠席者数",
        "eventsync が書き込みます: HubSpot の欠席者数（イベント終了後）。編集しないでください。",
    ),
    Column(
        ATTENDANCE_RATE,
        Kind.TEXT,
        "Written by eventsync: attendees as a percentage of attendees + registrants + noShows, one decimal. Don't edit.",
        "出席率",
        "eventsync が書き込みます: 出席者数を（出席者数＋登録者数＋欠席者数）で割った百分率、小数第1位まで。編集しないでください。",
    ),
)
COUNTER_FIELDS: tuple[str, ...] = tuple(c.key for c in COUNTERS)
_COUNTERS_BY_KEY = {c.key: c for c in COUNTERS}


def normalise_header(text: str) -> str:
    """Header text compared without case, width (ＩＤ = ID) or surrounding spaces."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


_HEADER_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _text in (_column.key, _column.japanese, *_column.aliases):
        _HEADER_LOOKUP[normalise_header(_text)] = _column.key
_HEADER_LOOKUP[normalise_header(LIFECYCLE)] = LIFECYCLE
_HEADER_LOOKUP[normalise_header(LIFECYCLE_JA)] = LIFECYCLE
for _name in ANNOTATIONS:
    _HEADER_LOOKUP[normalise_header(_name)] = _name
    _HEADER_LOOKUP[normalise_header(ANNOTATIONS_JA[_name])] = _name
_HEADER_LOOKUP[normalise_header(EXTERNAL_EVENT_ID)] = EXTERNAL_EVENT_ID
_HEADER_LOOKUP[normalise_header(EXTERNAL_EVENT_ID_JA)] = EXTERNAL_EVENT_ID
for _column in COUNTERS:
    _HEADER_LOOKUP[normalise_header(_column.key)] = _column.key
    _HEADER_LOOKUP[normalise_header(_column.japanese)] = _column.key


def field_for_header(text: str) -> str | None:
    """The field a header names: a column key, `custom:<name>`, an annotation, or None.

    None means the column belongs to the user: never sent, never changed.
    """
    normalised = normalise_header(text)
    if not normalised:
        return None
    for prefix in CUSTOM_PREFIXES:
        if normalised.startswith(prefix):
            # The property name keeps its case: HubSpot's internal names are case-sensitive.
            folded = unicodedata.normalize("NFKC", str(text)).strip()
            name = folded[len(prefix) :].strip()
            return CUSTOM_PREFIX + name if name else None
    return _HEADER_LOOKUP.get(normalised)


def header_text(field: str, lang: str = "en") -> str:
    """The header a template in `lang` uses for a field."""
    if lang == "ja":
        if field in COLUMNS_BY_KEY:
            return COLUMNS_BY_KEY[field].japanese
        if field in ANNOTATIONS_JA:
            return ANNOTATIONS_JA[field]
        if field in _COUNTERS_BY_KEY:
            return _COUNTERS_BY_KEY[field].japanese
        if field == LIFECYCLE:
            return LIFECYCLE_JA
        if field == EXTERNAL_EVENT_ID:
            return EXTERNAL_EVENT_ID_JA
        if is_custom(field):
            return CUSTOM_PREFIXES[1] + field[len(CUSTOM_PREFIX) :]
    return field


def headers_language(headers: Mapping[str, str]) -> Literal["en", "ja"]:
    """The language a sheet's headers are in (field -> header text): its objectId
    column's, the one every sheet has (イベントID: Japanese). A sheet with one column
    renamed in Japanese among English ones stays English."""
    id_header = headers.get(OBJECT_ID, OBJECT_ID)
    return "en" if unicodedata.normalize("NFKC", id_header).isascii() else "ja"


def kind_of(field: str) -> Kind:
    """Custom properties are text: HubSpot takes their values as strings."""
    column = COLUMNS_BY_KEY.get(field)
    return column.kind if column else Kind.TEXT


def is_custom(field: str) -> bool:
    return field.startswith(CUSTOM_PREFIX)


def counter_help(field: str, lang: str) -> str | None:
    """The note on a counter column's header cell; None for any other field."""
    column = _COUNTERS_BY_KEY.get(field)
    if column is None:
        return None
    return column.help_ja if lang == "ja" else column.help


def template_fields(custom: tuple[str, ...] = (), *, counters: bool = False) -> list[str]:
    """Every column of a template, in order: the table, custom properties, with
    `counters` HubSpot's counters (a pulled workbook), annotations."""
    more = list(COUNTER_FIELDS) if counters else []
    return (
        [c.key for c in COLUMNS]
        + [CUSTOM_PREFIX + name for name in custom]
        + more
        + list(ANNOTATIONS)
    )
