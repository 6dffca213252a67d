"""Templates: build the starter workbooks (templates/ in the repository, `eventsync
template` and `eventsync init` for a user) from the one column table.

`python -m eventsync.sheets.template` (make templates) regenerates them. Sample events are
not product data: they live with the sandbox (`eventsync.sandbox.sample`). Creating a workbook is
what openpyxl does well; eventsync never uses it to re-save a user's file.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from eventsync.columns import (
    ANNOTATIONS,
    COLUMNS_BY_KEY,
    EXTERNAL_EVENT_ID,
    SYNC_ERROR,
    UPDATED_AT,
    Kind,
    counter_help,
    header_text,
    kind_of,
    template_fields,
)
from eventsync.errors import SheetError
from eventsync.messages import Text, command
from eventsync.model import CellValue
from eventsync.safe_files import write_atomically
from eventsync.sheets.backups import back_up
from eventsync.sheets.in_use import refuse_if_open, refused_if_in_use

if TYPE_CHECKING:
    from openpyxl import Workbook

# openpyxl is imported where a workbook is built, not here: every command imports this
# module (through the CLI), and openpyxl takes half a second to import.

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
DATE_TIME_FORMAT = "yyyy-mm-dd hh:mm"
# What LibreOffice gives its own TRUE/FALSE cells: without it, it shows a TRUE/FALSE cell
# of General format as 1/0. Excel shows such cells as TRUE/FALSE whatever their format.
BOOLEAN_FORMAT = '"TRUE";"TRUE";"FALSE"'
HEADER_FILL_COLOR = "1F4E78"
HEADER_FONT_COLOR = "FFFFFF"
CUSTOM_HELP = "A custom property of your portal's marketing events (text)."
CUSTOM_HELP_JA = "ポータルのマーケティングイベントのカスタムプロパティ（テキスト）。"
ANNOTATION_HELP_JA = {
    EXTERNAL_EVENT_ID: "eventsync が書き込みます: eventsync が作成したイベントの外部ID。編集しないでください。",
    UPDATED_AT: "eventsync が書き込みます: HubSpot がこの行を最後に確認した日時。編集しないでください。",
    SYNC_ERROR: "eventsync が書き込みます: 同期できなかった理由と対処。問題がなければ空です。",
}
ANNOTATION_HELP = {
    EXTERNAL_EVENT_ID: "Written by eventsync: the external id of an event eventsync created. Don't edit.",
    UPDATED_AT: "Written by eventsync: when HubSpot last confirmed this row. Don't edit.",
    SYNC_ERROR: "Written by eventsync: why this row was not synced, and what to do. Empty when all is well.",
}
WIDTHS = {Kind.ID: 16, Kind.TEXT: 28, Kind.BOOLEAN: 15, Kind.DATETIME: 18}
INSTRUCTIONS = [
    ("eventsync: how to use this workbook", "eventsync の使い方"),
    ("", ""),
    (
        "1. `eventsync init` makes your working folder and its .env: put your HubSpot Service Key (or private-app token) in .env after HUBSPOT_ACCESS_TOKEN=.",
        "1. `eventsync init` で作業フォルダーと .env を作り、.env の HUBSPOT_ACCESS_TOKEN= の後に HubSpot のサービスキー（または非公開アプリのトークン）を入れます。",
    ),
    (
        "2. Fill the Events sheet: one row per event; objectId is the event's HubSpot id.",
        "2. Events シートに1行1イベントで入力します。イベントID は HubSpot のイベントのIDです。",
    ),
    (
        "3. Save this file into the sheets folder and run `eventsync plan` there to preview.",
        "3. このファイルを sheets フォルダーに保存し、作業フォルダーで `eventsync plan` を実行して送信内容を確認します。",
    ),
    (
        "4. Run `eventsync sync`: changed rows go to HubSpot; updatedAt and syncError show the result.",
        "4. `eventsync sync` を実行すると変更した行だけが HubSpot に送られ、結果が 更新日時 と 同期エラー 列に書き込まれます。",
    ),
    (
        "Date-times without a time zone are read in EVENTSYNC_TIMEZONE (default: this computer's).",
        "タイムゾーンのない日時は EVENTSYNC_TIMEZONE（既定はこのPCのタイムゾーン）として扱います。",
    ),
    (
        "Columns other than the ones eventsync knows are yours: never sent, never changed.",
        "eventsync が知らない列はあなたの列です。送信も変更もされません。",
    ),
]


def header_row(custom: tuple[str, ...] = (), lang: str = "en") -> list[str]:
    return [header_text(field, lang) for field in template_fields(custom)]


def help_text(field: str, lang: str) -> str:
    """The note on a column's header cell."""
    column = COLUMNS_BY_KEY.get(field)
    if column:
        return column.help_ja if lang == "ja" else column.help
    if field in ANNOTATION_HELP:
        return ANNOTATION_HELP_JA[field] if lang == "ja" else ANNOTATION_HELP[field]
    counter = counter_help(field, lang)
    if counter is not None:
        return counter
    return CUSTOM_HELP_JA if lang == "ja" else CUSTOM_HELP


def build_workbook(
    rows: Sequence[Sequence[CellValue]] | None = None,
    custom: tuple[str, ...] = (),
    lang: str = "en",
    *,
    counters: bool = False,
) -> Workbook:
    """The Events sheet (notes, formats, list, frozen header, filter) and Instructions;
    `counters`: with HubSpot's counter columns, as a pulled workbook has them.

    `rows` hold one value per template field; text cells are always written as text,
    so a value starting with "=" from HubSpot never becomes a formula.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    header_fill = PatternFill("solid", fgColor=HEADER_FILL_COLOR)
    header_font = Font(bold=True, color=HEADER_FONT_COLOR)
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Events"
    fields = template_fields(custom, counters=counters)
    kinds = [kind_of(field) if field not in ANNOTATIONS else Kind.TEXT for field in fields]
    for index, field in enumerate(fields, 1):
        cell = sheet.cell(row=1, column=index, value=header_text(field, lang))
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(vertical="center")
        cell.comment = Comment(help_text(field, lang), "eventsync", width=260, height=90)
        width = 48 if field == SYNC_ERROR else WIDTHS[kinds[index - 1]]
        sheet.column_dimensions[get_column_letter(index)].width = width
    last_row = max(200, len(rows or []) + 1)
    for index, kind in enumerate(kinds, 1):
        letter = get_column_letter(index)
        if kind is Kind.BOOLEAN:
            choice = DataValidation(type="list", formula1='"TRUE,FALSE"', allow_blank=True)
            choice.add(f"{letter}2:{letter}{last_row}")
            sheet.add_data_validation(choice)
    for row_number, values in enumerate(rows or [], 2):
        for index, value in enumerate(values, 1):
            if value is None:
                continue
            cell = sheet.cell(row=row_number, column=index, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # openpyxl would take it for a formula
                cell.quotePrefix = True
    formats = {Kind.DATETIME: DATE_TIME_FORMAT, Kind.BOOLEAN: BOOLEAN_FORMAT}
    for index, kind in enumerate(kinds, 1):
        if kind in formats:
            for row in range(2, last_row + 1):
                sheet.cell(row=row, column=index).number_format = formats[kind]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(fields))}1"

    guide = workbook.create_sheet("Instructions" if lang == "en" else "使い方")
    for english, japanese in INSTRUCTIONS:
        guide.append([japanese, english] if lang == "ja" else [english, japanese])
    guide["A1"].font = guide["B1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 95
    guide.column_dimensions["B"].width = 95
    return workbook


def save_workbook(workbook: Workbook, target: Path) -> None:
    """Atomically, like every write eventsync makes. Built in memory first: openpyxl's
    zip left open on a full disk would complain again when collected."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomically(target, buffer.getvalue())


def write_template(
    target: Path,
    lang: str = "en",
    *,
    force: bool = False,
    state_dir: Path | None = None,
    typed: str | None = None,
) -> Path | None:
    """`eventsync template`: a fresh copy; an existing file is kept unless `force`, and
    then it is backed up under `state_dir` first, like `pull --force` (returns the copy)."""
    again = command("template", "--force", typed or str(target))
    if target.exists() and not force:
        raise SheetError(Text("template.exists", target=target, again=again))
    if target.suffix.lower() != ".xlsx":
        raise SheetError(Text("refuse.template_not_xlsx", target=target))
    refuse_if_open(target, again)
    backup = None
    with refused_if_in_use(target, again):
        if target.exists():
            if state_dir is None:
                raise ValueError("replacing a workbook needs a state folder for its backup")
            backup = back_up(target, state_dir)
        save_workbook(build_workbook(lang=lang), target)
    return backup


def write_templates(folder: Path = TEMPLATES_DIR) -> list[Path]:
    """The empty templates, English and Japanese, and the CSV header (the sample
    workbook beside them is the sandbox's: `eventsync.sandbox.sample`)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, lang in (("events.xlsx", "en"), ("events.ja.xlsx", "ja")):
        save_workbook(build_workbook(lang=lang), folder / name)
        written.append(folder / name)

    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerow(header_row())
    csv_path = folder / "events.csv"
    csv_path.write_bytes(text.getvalue().encode("utf-8-sig"))
    written.append(csv_path)
    return written


if __name__ == "__main__":
    for path in write_templates(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATES_DIR):
        print(f"wrote {path}")
