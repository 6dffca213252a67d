"""Read, annotate: what every participants sheet has, whatever its format (a CSV in the
sheets folder, a worksheet of an .xlsx): its columns and their headers in English and
Japanese, the header mapping of other tools' exports, its rows as text by column, and
the result cells a sync writes (docs/participants.md).

Read and annotate stages, pure: records in, values out. It never opens a file (the
formats do: participants_csv, participants_xlsx) and never interprets a value
(plan/participants.py does).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from eventsync.columns import (
    EXTERNAL_EVENT_ID,
    EXTERNAL_EVENT_ID_JA,
    field_for_header,
    normalise_header,
)
from eventsync.errors import SheetError
from eventsync.messages import Quoted, Text
from eventsync.model import FileStamp
from eventsync.participant_mapping import COLUMNS_SETTING, ParticipantMapping
from eventsync.sheets.layout import MAX_HEADER_ROW

EMAIL, OBJECT_ID, STATE = "email", "objectId", "state"
INTERACTION, JOINED, LEFT = "interactionDateTime", "joinedAt", "leftAt"
SYNC_ERROR, CONTACT_ID, SENT_AT = "syncError", "contactId", "sentAt"
ANNOTATIONS = (SYNC_ERROR, CONTACT_ID, SENT_AT)
# HubSpot's own state of the contact (a no-show too), written by `pull --participants`:
# a known column, read only, never sent.
ATTENDANCE_STATE = "attendanceState"

# Each column: its English header (HubSpot's name), then its Japanese header (the
# template's), then other texts accepted; compared as event headers are (width, case,
# spaces: columns.normalise_header).
HEADERS: dict[str, tuple[str, ...]] = {
    EMAIL: (EMAIL, "メールアドレス", "メール", "Eメール", "e-mail"),
    OBJECT_ID: (OBJECT_ID, "イベントID", "オブジェクトID"),
    # The events sheet's column of the external id eventsync gave an event it created
    # (docs/participants.md, "Naming an event by its externalEventId"): its headers.
    EXTERNAL_EVENT_ID: (EXTERNAL_EVENT_ID, EXTERNAL_EVENT_ID_JA),
    STATE: (STATE, "状態", "参加状態"),
    INTERACTION: (INTERACTION, "日時"),
    JOINED: (JOINED, "参加時刻"),
    LEFT: (LEFT, "退出時刻"),
    SYNC_ERROR: (SYNC_ERROR, "同期エラー"),
    CONTACT_ID: (CONTACT_ID, "コンタクトID"),
    SENT_AT: (SENT_AT, "送信日時"),
    ATTENDANCE_STATE: (ATTENDANCE_STATE, "出欠"),
}
_LOOKUP = {normalise_header(text): field for field, texts in HEADERS.items() for text in texts}
TEMPLATE_COLUMNS = (EMAIL, OBJECT_ID, STATE, INTERACTION, JOINED, LEFT)


def header_text(field: str, language: str) -> str:
    """The header a sheet in `language` gets for a column eventsync adds."""
    return HEADERS[field][1 if language == "ja" else 0]


@dataclass(frozen=True)
class ParticipantCells:
    row_number: int  # as the user sees it
    cells: Mapping[str, str]  # field -> the text typed (without eventsync's CSV guard)


@dataclass(frozen=True)
class ParticipantsSheet:
    path: Path
    columns: Mapping[str, int]  # field -> column number (1-based)
    rows: tuple[ParticipantCells, ...]
    width: int  # the widest record: new columns go right of it
    language: str  # "ja" when the email column is headed in Japanese
    stamp: FileStamp | None = None
    # A worksheet of a workbook (its name); None: the file is the sheet (a CSV).
    sheet_name: str | None = None
    # Every cell of the worksheet as read, to tell at write time whether the user
    # changed it since (eventsync's own write of the events sheet changes the file,
    # not this sheet). Empty for a CSV, whose stamp says it all.
    grid: tuple[tuple[object, ...], ...] = ()

    @property
    def name(self) -> str:
        return self.path.name


NO_MAPPING = ParticipantMapping()


def _lookup(mapping: ParticipantMapping) -> dict[str, str]:
    """Header text (normalised) -> field: a mapped field only by its mapped header, and
    a mapped header only as its field (a tool's 日時 may be something else)."""
    lookup = {text: field for text, field in _LOOKUP.items() if field not in mapping.columns}
    lookup.update({normalise_header(text): field for field, text in mapping.columns.items()})
    return lookup


def through_mapping(header: tuple[str, ...], mapping: ParticipantMapping) -> bool:
    """Whether a file is one the mapping is about: its header has the header mapped to
    email or to state; when neither is mapped, every file with eventsync's own email
    and state headers. Any other file is read by eventsync's own headers alone."""
    keys = [mapping.columns[field] for field in (EMAIL, STATE) if field in mapping.columns]
    if keys:
        texts = {normalise_header(text) for text in header}
        return any(normalise_header(key) in texts for key in keys)
    return bool(mapping.columns) and {EMAIL, STATE} <= columns_of(header).keys()


def columns_of(header: tuple[str, ...], mapping: ParticipantMapping = NO_MAPPING) -> dict[str, int]:
    """The columns a header row names (field -> column number), the first of each; read
    through `mapping` when the file is one it is about."""
    lookup = _lookup(mapping) if mapping.columns and through_mapping(header, mapping) else _LOOKUP
    found: dict[str, int] = {}
    for index, text in enumerate(header):
        field = lookup.get(normalise_header(text))
        if field is not None and field not in found:
            found[field] = index + 1
    return found


def is_participants_header(header: tuple[str, ...], mapping: ParticipantMapping) -> bool:
    """A header row with an email and a state column, or the header the mapping gives
    either of them (a file that lacks the other mapped headers is still one: reading it
    says which, rather than as an events sheet)."""
    return {EMAIL, STATE} <= columns_of(header, mapping).keys() or through_mapping(header, mapping)


def events_only(text: str) -> bool:
    """A header only an events sheet has (eventName, startDateTime, updatedAt, a
    `custom:` column, ...): a sheet headed with one is the events sheet it always was,
    whatever email and state columns of its own it has."""
    field = field_for_header(text) if text else None
    return field is not None and field not in (OBJECT_ID, EXTERNAL_EVENT_ID, SYNC_ERROR)


def titled_header_row(records: Sequence[Sequence[str]], mapping: ParticipantMapping) -> int:
    """The row of a participants header below lines of titles (a webinar tool's report
    name and date above its table), or 0: a row after row 1, within the rows a title
    block may take, headed with a header the mapping names for email or state (an
    export), or with email and state and no column only an events sheet has; with no
    objectId header above it (that is an events sheet's header). Such a sheet is no
    events sheet: it is refused, never misread as one."""
    for index, texts in enumerate(records[:MAX_HEADER_ROW]):
        header = tuple(texts)
        if index and is_participants_header(header, mapping):
            exported = through_mapping(header, mapping)
            return index + 1 if exported or not any(map(events_only, header)) else 0
        if any(field_for_header(text) == OBJECT_ID for text in header if text):
            return 0  # an events sheet's header, where the events reader finds it
    return 0


def missing_mapped(header: tuple[str, ...], mapping: ParticipantMapping) -> list[str]:
    """The fields whose mapped header a file the mapping is about lacks."""
    if not mapping.columns or not through_mapping(header, mapping):
        return []
    texts = {normalise_header(text) for text in header}
    return [f for f, text in mapping.columns.items() if normalise_header(text) not in texts]


def sheet_from_records(
    path: Path,
    records: Sequence[Sequence[object]],
    mapping: ParticipantMapping,
    text_of: Callable[[object], str],
    *,
    where: str,
) -> ParticipantsSheet:
    """The participants sheet whose records (row 1 the header) these are; each cell
    made text by its format's `text_of`. `where` names the sheet in messages (the file,
    or the file and its worksheet). SheetError for a header below lines of titles
    (saying which row to make row 1), a mapped header it lacks, or a header without
    email and state (the file changed since it was told apart)."""
    header = tuple(text_of(value) for value in records[0])
    if not is_participants_header(header, mapping):
        head = [tuple(map(text_of, record)) for record in records[:MAX_HEADER_ROW]]
        titled = titled_header_row(head, mapping)
        if titled:
            raise SheetError(Text("people_files.title_lines", file=where, row=titled))
    missing = missing_mapped(header, mapping)
    if missing:
        raise SheetError(
            Text(
                "mapping.missing_header",
                file=where,
                header=Quoted(mapping.columns[missing[0]]),
                setting=COLUMNS_SETTING,
                field=missing[0],
            )
        )
    columns = columns_of(header, mapping)
    if not {EMAIL, STATE} <= columns.keys():
        raise SheetError(Text("people.no_email_state", file=where))
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(text_of(value) for value in record):
            continue
        cells = {
            field: text_of(record[column - 1])
            for field, column in columns.items()
            if column <= len(record)
        }
        rows.append(ParticipantCells(number, MappingProxyType(cells)))
    email_header = header[columns[EMAIL] - 1]
    language = "en" if normalise_header(email_header).isascii() else "ja"
    width = max(len(record) for record in records)
    return ParticipantsSheet(path, MappingProxyType(columns), tuple(rows), width, language)


def result_cells(
    sheet: ParticipantsSheet,
    results: Mapping[int, Mapping[str, str]],
    stored: Callable[[str], str] = str,
) -> dict[tuple[int, int], str | None]:
    """The cells to write for each row's results (row -> annotation -> text; "" clears),
    only where the text changes, each as its format holds it (`stored`: a CSV's formula
    guard); headers added for annotation columns the sheet lacks."""
    columns = result_columns(sheet)
    current = {row.row_number: row.cells for row in sheet.rows}
    cells: dict[tuple[int, int], str | None] = {}
    for row_number, wanted in sorted(results.items()):
        have = current.get(row_number, {})
        for field, text in wanted.items():
            if have.get(field, "") != text:
                cells[(row_number, columns[field])] = stored(text) if text else None
    if cells:
        for field in ANNOTATIONS:
            if field not in sheet.columns:
                cells[(1, columns[field])] = header_text(field, sheet.language)
    return cells


def result_columns(sheet: ParticipantsSheet) -> dict[str, int]:
    """Where each result goes: its column, or a new one right of the sheet's last."""
    columns = dict(sheet.columns)
    added = 0
    for field in ANNOTATIONS:
        if field not in columns:
            added += 1
            columns[field] = sheet.width + added
    return columns
