"""Read, annotate: a participants file, a CSV in the sheets folder whose header row has an
email and a state column (docs/participants.md), as rows of text by column; its results
(syncError, contactId, sentAt) written into its own cells, every other byte kept.

Read and annotate stages: it never interprets a value (plan/participants.py does) and
never talks to HubSpot. The file is replaced only if it is still the version read.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from eventsync.columns import EXTERNAL_EVENT_ID, EXTERNAL_EVENT_ID_JA, normalise_header
from eventsync.errors import SheetError, WorkbookChangedError
from eventsync.messages import Quoted, Text, command
from eventsync.model import FileStamp
from eventsync.participant_mapping import COLUMNS_SETTING, ParticipantMapping
from eventsync.safe_files import open_shared, write_atomically, write_with
from eventsync.sheets.backups import back_up
from eventsync.sheets.csv_file import DELIMITERS, read_csv, write_csv_cells
from eventsync.sheets.csv_guard import escape_value, unescape_value
from eventsync.sheets.in_use import refuse_if_open, refused_if_in_use
from eventsync.sheets.reader import file_stamp, stamp_of
from eventsync.sheets.writer import check_not_open, check_not_read_only

EMAIL, OBJECT_ID, STATE = "email", "objectId", "state"
INTERACTION, JOINED, LEFT = "interactionDateTime", "joinedAt", "leftAt"
SYNC_ERROR, CONTACT_ID, SENT_AT = "syncError", "contactId", "sentAt"
ANNOTATIONS = (SYNC_ERROR, CONTACT_ID, SENT_AT)

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
}
_LOOKUP = {normalise_header(text): field for field, texts in HEADERS.items() for text in texts}


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


def missing_mapped(header: tuple[str, ...], mapping: ParticipantMapping) -> list[str]:
    """The fields whose mapped header a file the mapping is about lacks."""
    if not mapping.columns or not through_mapping(header, mapping):
        return []
    texts = {normalise_header(text) for text in header}
    return [f for f, text in mapping.columns.items() if normalise_header(text) not in texts]


HEAD_BYTES = 64 * 1024  # what is read to tell a participants file by its header row


def is_participants_file(path: Path, mapping: ParticipantMapping = NO_MAPPING) -> bool:
    """A CSV whose header row (its first record) has an email and a state column, or
    the header the mapping gives either of them (a file that lacks the other mapped
    headers is still one: reading it says which, rather than as an events sheet). Only
    the file's start is read: every CSV of a run is asked, events sheets of 100,000
    rows too. A file that cannot be read is not one (the events reader says why)."""
    if path.suffix.lower() != ".csv":
        return False
    try:
        with open_shared(path) as file:
            head = file.read(HEAD_BYTES)
    except OSError:
        return False
    header = header_of(head)
    return {EMAIL, STATE} <= columns_of(header, mapping).keys() or through_mapping(header, mapping)


def header_of(head: bytes) -> tuple[str, ...]:
    """The first record of a CSV file's first bytes, as far as it can be told: UTF-8
    (with or without BOM) or CP932, after Excel's `sep=` line, split at the delimiter
    that gives the most fields."""
    lines = head.splitlines()
    if lines and lines[0].strip().lower().startswith((b"sep=", b"\xef\xbb\xbfsep=")):
        lines = lines[1:]
    if not lines:
        return ()
    first = lines[0]
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = first.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return ()
    splits = [tuple(next(csv.reader([text], delimiter=d), [])) for d in DELIMITERS]
    return max(splits, key=len)


def read_participants(path: Path, mapping: ParticipantMapping = NO_MAPPING) -> ParticipantsSheet:
    """The participants file at `path`, stamped with the version read; its headers
    read through `mapping` (a mapped header it lacks: SheetError, naming both)."""
    before = file_stamp(path)
    table = read_csv(path)
    if not table.rows:
        raise SheetError(Text("refuse.csv_empty", file=path.name))
    missing = missing_mapped(table.rows[0], mapping)
    if missing:
        header = mapping.columns[missing[0]]
        raise SheetError(
            Text(
                "mapping.missing_header",
                file=path.name,
                header=Quoted(header),
                setting=COLUMNS_SETTING,
                field=missing[0],
            )
        )
    columns = columns_of(table.rows[0], mapping)
    if not {EMAIL, STATE} <= columns.keys():  # (changed since it was told apart)
        raise SheetError(Text("people.no_email_state", file=path.name))
    rows = []
    for number, record in enumerate(table.rows[1:], start=2):
        cells = {
            field: unescape_value(record[column - 1])
            for field, column in columns.items()
            if column <= len(record)
        }
        if any(record):
            rows.append(ParticipantCells(number, MappingProxyType(cells)))
    email_header = table.rows[0][columns[EMAIL] - 1]
    language = "en" if normalise_header(email_header).isascii() else "ja"
    width = max(len(record) for record in table.rows)
    return ParticipantsSheet(path, MappingProxyType(columns), tuple(rows), width, language, before)


def result_cells(
    sheet: ParticipantsSheet, results: Mapping[int, Mapping[str, str]]
) -> dict[tuple[int, int], str | None]:
    """The cells to write for each row's results (row -> annotation -> text; "" clears),
    only where the text changes; headers added for annotation columns the file lacks."""
    columns = dict(sheet.columns)
    added: list[str] = []
    for field in ANNOTATIONS:
        if field not in columns:
            columns[field] = sheet.width + len(added) + 1
            added.append(field)
    current = {row.row_number: row.cells for row in sheet.rows}
    cells: dict[tuple[int, int], str | None] = {}
    for row_number, wanted in sorted(results.items()):
        have = current.get(row_number, {})
        for field, text in wanted.items():
            if have.get(field, "") != text:
                cells[(row_number, columns[field])] = escape_value(text) if text else None
    if cells:
        for field in added:
            cells[(1, columns[field])] = header_text(field, sheet.language)
    return cells


def write_results(
    sheet: ParticipantsSheet, cells: Mapping[tuple[int, int], str | None], state_dir: Path
) -> int:
    """Write `cells` into the file, if it is still the version read (a copy kept first,
    as for events sheets); returns the cells written. A file saved since is left as it
    is (`WorkbookChangedError`): the state holds the results, the next sync writes them."""
    if not cells:
        return 0
    waiting = len({row for row, _ in cells if row > 1})
    check_not_open(sheet.path, waiting)
    check_not_read_only(sheet.path, waiting)
    target = Path(os.path.realpath(sheet.path))
    changed = WorkbookChangedError(
        Text("people.file_changed", file=sheet.name, again=command("sync"))
    )

    def still_read_version(status: os.stat_result) -> None:
        if sheet.stamp is not None and stamp_of(status) != sheet.stamp:
            raise changed

    with open_shared(target) as source:
        still_read_version(os.fstat(source.fileno()))
        back_up(sheet.path, state_dir, source=source)

        def produce(temp: Path) -> None:
            write_csv_cells(sheet.path, temp, cells, source=source)

        def released_and_unchanged() -> None:
            source.close()  # (Windows renames nothing over a file with a handle open)
            still_read_version(os.stat(target))

        write_with(target, produce, before_replace=released_and_unchanged)
    return len(cells)


TEMPLATE_COLUMNS = (EMAIL, OBJECT_ID, STATE, INTERACTION, JOINED, LEFT)


def template_bytes(language: str) -> bytes:
    """An empty participants file: its header row in `language`, as UTF-8 with a BOM
    (what Excel opens as Unicode) and CRLF (what it writes)."""
    return (
        ",".join(header_text(f, language) for f in TEMPLATE_COLUMNS).encode("utf-8-sig") + b"\r\n"
    )


def write_participants_template(
    target: Path, language: str, *, force: bool, state_dir: Path, typed: str
) -> Path | None:
    """`eventsync template --participants OUT.csv`: an existing file is kept unless
    `force`, and then backed up first, as for events templates (returns the copy)."""
    again = command("template", "--participants", "--force", typed)
    if target.exists() and not force:
        raise SheetError(Text("template.exists", target=target, again=again))
    if target.suffix.lower() != ".csv":
        raise SheetError(Text("people.template_not_csv", target=target))
    refuse_if_open(target, again)
    backup = None
    with refused_if_in_use(target, again):
        if target.exists():
            backup = back_up(target, state_dir)
        write_atomically(target, template_bytes(language))
    return backup
