"""Read, annotate: a participants CSV in the sheets folder, told apart by its header row
(its first record), read as rows of text, its results written into its own cells with
every other byte of the file kept (docs/participants.md).

Read and annotate stages, the CSV's edge. It never interprets a value and never talks
to HubSpot. The file is replaced only if it is still the version read.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from eventsync.errors import SheetError, WorkbookChangedError
from eventsync.messages import Text, command
from eventsync.model import FileStamp
from eventsync.participant_mapping import ParticipantMapping
from eventsync.safe_files import open_shared
from eventsync.sheets.csv_file import DELIMITERS, read_csv, write_csv_cells
from eventsync.sheets.csv_guard import escape_value, unescape_value
from eventsync.sheets.layout import MAX_HEADER_ROW
from eventsync.sheets.participant_columns import (
    TEMPLATE_COLUMNS,
    ParticipantsSheet,
    header_text,
    is_participants_header,
    sheet_from_records,
    titled_header_row,
)
from eventsync.sheets.participants_write import replace_if_unchanged
from eventsync.sheets.reader import file_stamp
from eventsync.sheets.writer import check_not_open, check_not_read_only

HEAD_BYTES = 64 * 1024  # what is read to tell a participants file by its header row


def is_participants_csv(path: Path, mapping: ParticipantMapping) -> bool:
    """A CSV whose header row has an email and a state column (or a mapped header of
    either). Only the file's start is read: every CSV of a run is asked, events sheets
    of 100,000 rows too. A file that cannot be read is not one (the events reader says
    why)."""
    try:
        with open_shared(path) as file:
            head = file.read(HEAD_BYTES)
    except OSError:
        return False
    records = head_records(head)
    header = records[0] if records else ()
    return (
        is_participants_header(header, mapping) or titled_header_row(_texts(records), mapping) > 0
    )


def header_of(head: bytes) -> tuple[str, ...]:
    """The first record of a CSV file's first bytes, as far as it can be told."""
    records = head_records(head)
    return records[0] if records else ()


def head_records(head: bytes) -> list[tuple[str, ...]]:
    """The first records (up to the rows a title block may take above a header) of a CSV
    file's first bytes, as far as they can be told: UTF-8 (with or without BOM) or
    CP932, after Excel's `sep=` line, each split at the delimiter that gives it the
    most fields."""
    lines = head.splitlines()
    if lines and lines[0].strip().lower().startswith((b"sep=", b"\xef\xbb\xbfsep=")):
        lines = lines[1:]
    records = []
    for line in lines[:MAX_HEADER_ROW]:
        text = _decoded(line)
        if text is None:  # (a character cut at the end of the bytes read, or binary)
            break
        splits = [tuple(next(csv.reader([text], delimiter=d), [])) for d in DELIMITERS]
        records.append(max(splits, key=len))
    return records


def _decoded(line: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return line.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _text(value: object) -> str:
    return unescape_value(str(value))


def _texts(records: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    return [tuple(map(_text, record)) for record in records]


def read_participants_csv(path: Path, mapping: ParticipantMapping) -> ParticipantsSheet:
    """The participants file at `path`, stamped with the version read; its headers
    read through `mapping` (a mapped header it lacks: SheetError, naming both)."""
    before = file_stamp(path)
    table = read_csv(path)
    if not table.rows:
        raise SheetError(Text("refuse.csv_empty", file=path.name))
    sheet = sheet_from_records(path, table.rows, mapping, _text, where=path.name)
    return replace(sheet, stamp=before)


def stored_csv(text: str) -> str:
    """A result's text as a CSV holds it (guarded against reading as a formula)."""
    return escape_value(text)


def write_csv_results(
    sheet: ParticipantsSheet, cells: Mapping[tuple[int, int], str | None], state_dir: Path
) -> FileStamp:
    """Write `cells` into the file, if it is still the version read (a copy kept first,
    as for events sheets); returns the version written. A file saved since is left as it
    is (`WorkbookChangedError`): the state holds the results, the next sync writes them."""
    waiting = len({row for row, _ in cells if row > 1})
    check_not_open(sheet.path, waiting)
    check_not_read_only(sheet.path, waiting)
    changed = WorkbookChangedError(
        Text("people.file_changed", file=sheet.name, again=command("sync"))
    )

    def produce(temp: Path, source: BinaryIO) -> None:
        write_csv_cells(sheet.path, temp, cells, source=source)

    return replace_if_unchanged(sheet.path, sheet.stamp, produce, changed, state_dir)


def template_csv(language: str) -> bytes:
    """An empty participants file: its header row in `language`, as UTF-8 with a BOM
    (what Excel opens as Unicode) and CRLF (what it writes)."""
    return (
        ",".join(header_text(f, language) for f in TEMPLATE_COLUMNS).encode("utf-8-sig") + b"\r\n"
    )
