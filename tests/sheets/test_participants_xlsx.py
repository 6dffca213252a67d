"""Which workbooks hold participants, and how their sheet is read: the `Participants` /
`参加者` sheet by name (never the events sheet), a workbook's lone sheet by its row 1
(read from the sheet's first bytes: shared strings, inline strings, rich text with
Japanese phonetic guides), Excel's date cells as the text the date reader reads back."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from helpers.workbooks import rewrite

from eventsync.participant_mapping import ParticipantMapping
from eventsync.sheets.participants_sheet import (
    has_participants,
    is_participants_file,
    read_participants,
)
from eventsync.sheets.participants_xlsx import cell_text
from eventsync.sheets.reader import file_stamp
from eventsync.sheets.sheet_choice import choose_sheet, is_participants_sheet
from eventsync.sheets.xlsx.first_row import first_row, first_rows
from eventsync.sheets.xlsx.patch import patch_cells


def book(
    path: Path, sheets: dict[str, list[list[object]]], *, hidden: tuple[str, ...] = ()
) -> Path:
    wb = xlsxwriter.Workbook(path)
    for name, rows in sheets.items():
        sheet = wb.add_worksheet(name)
        for number, row in enumerate(rows):
            sheet.write_row(number, 0, row)
        if name in hidden:
            sheet.hide()
    wb.close()
    return path


PEOPLE: list[list[object]] = [["email", "objectId", "state"], ["a@example.com", 7001, "register"]]
EVENTS: list[list[object]] = [["objectId", "eventName"], [7001, "Seminar"]]


@pytest.mark.parametrize(
    ("name", "participants"),
    [
        ("Participants", True),
        ("participants", True),
        (" ＰＡＲＴＩＣＩＰＡＮＴＳ ", True),
        ("参加者", True),
        ("Participants 2025", False),
        ("Events", False),
    ],
)
def test_a_participants_sheet_is_told_by_its_name_as_headers_are_compared(name, participants):
    assert is_participants_sheet(name) is participants


def test_a_participants_sheet_is_never_chosen_as_the_events_sheet():
    assert (
        choose_sheet("e.xlsx", ["Spring", "Participants"], ["Spring", "Participants"]) == "Spring"
    )
    assert choose_sheet("e.xlsx", ["参加者", "Notes"], ["参加者"]) == "Notes"


@pytest.mark.parametrize(
    ("sheets", "hidden", "holds", "only"),
    [
        ({"Events": EVENTS, "Participants": PEOPLE}, (), True, False),
        ({"Spring": EVENTS, "参加者": PEOPLE}, (), True, False),  # events found by header
        ({"Participants": PEOPLE}, (), True, True),
        ({"Participants": PEOPLE, "Notes": [["read me"]]}, (), True, True),
        ({"Participants": PEOPLE, "Lists": EVENTS}, ("Lists",), True, True),  # hidden
        ({"Sheet1": PEOPLE}, (), True, True),  # a lone sheet headed as participants
        ({"Sheet1": PEOPLE, "Notes": [["read me"]]}, (), False, False),  # two visible
        ({"Sheet1": PEOPLE, "Lists": [["x"]]}, ("Lists",), True, True),
        ({"Sheet1": [[*PEOPLE[0], "eventName"]]}, (), False, False),  # an events column
        ({"Events": PEOPLE}, (), False, False),  # named as the events
        ({"Sheet1": EVENTS}, (), False, False),
        # A header below row 1 (a title above it): a participants file, refused when read
        # (its header must be row 1), never an events sheet.
        ({"Sheet1": [["May seminar"], PEOPLE[0]]}, (), True, True),
        ({"Sheet1": [[], PEOPLE[0]]}, (), True, True),
    ],
)
def test_which_workbooks_hold_participants(tmp_path, sheets, hidden, holds, only):
    path = book(tmp_path / "book.xlsx", sheets, hidden=hidden)
    assert has_participants(path) is holds
    assert is_participants_file(path) is only


def test_a_mapped_header_makes_a_lone_sheet_a_participants_sheet(tmp_path):
    path = book(tmp_path / "export.xlsx", {"Sheet1": [["Mail", "イベント番号", "参加状況"]]})
    mapping = ParticipantMapping(columns={"email": "Mail", "state": "参加状況"})
    assert not is_participants_file(path)
    assert is_participants_file(path, mapping)
    assert read_participants(path, mapping).columns == {"email": 1, "state": 3}


def test_row_1_is_read_from_shared_strings_inline_strings_and_rich_text(tmp_path):
    wb = xlsxwriter.Workbook(tmp_path / "rich.xlsx")
    sheet = wb.add_worksheet("Sheet1")
    bold = wb.add_format({"bold": True})
    sheet.write_rich_string("A1", bold, "メール", "アドレス")
    sheet.write_string("C1", "a & b <c>")
    sheet.write_number("D1", 7001)
    sheet.write_boolean("E1", True)
    sheet.write_row(1, 0, ["x"] * 5)
    wb.close()
    path = tmp_path / "rich.xlsx"
    assert first_row(path, "Sheet1") == ("メールアドレス", "", "a & b <c>", "7001", "TRUE")
    # Patched cells are inline strings; a phonetic guide (furigana) is not the text.
    patch_cells(path, tmp_path / "inline.xlsx", "Sheet1", {(1, 2): "状態"})
    assert first_row(tmp_path / "inline.xlsx", "Sheet1")[1] == "状態"
    rewrite(
        path,
        "xl/sharedStrings.xml",
        lambda xml: xml.replace(
            b"</si>",
            b'<rPh sb="0" eb="3"><t>\xe3\x82\x81\xe3\x83\xbc\xe3\x82\x8b</t></rPh></si>',
            1,
        ),
    )
    assert first_row(path, "Sheet1")[0] == "メールアドレス"


def test_row_1_of_an_openpyxl_workbook_and_of_an_empty_one(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["email", None, "state"])
    wb.save(tmp_path / "o.xlsx")
    assert first_row(tmp_path / "o.xlsx", "Sheet") == ("email", "", "state")
    empty = book(tmp_path / "empty.xlsx", {"Sheet1": []})
    assert first_row(empty, "Sheet1") == ()
    assert first_row(tmp_path / "missing.xlsx", "Sheet1") == ()


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2026, 5, 1, 10, 2, 35), "2026-05-01 10:02:35"),
        (datetime(2026, 5, 1, 10, 2, 34, 999_999), "2026-05-01 10:02:35"),  # float noise
        (datetime(2026, 5, 1, 10, 2, 35, 250_000), "2026-05-01 10:02:35.250"),
        (date(2026, 5, 1), "2026-05-01"),
        (7001.0, "7001"),
        (" a@example.com ", " a@example.com "),  # as typed: the plan normalises
        (None, ""),
    ],
)
def test_a_cell_is_read_as_the_text_a_participants_row_holds(value, text):
    assert cell_text(value) == text


def test_date_cells_are_read_as_the_times_they_show(tmp_path):
    wb = xlsxwriter.Workbook(tmp_path / "dates.xlsx")
    sheet = wb.add_worksheet("Participants")
    when = wb.add_format({"num_format": "yyyy/mm/dd hh:mm:ss"})
    sheet.write_row(0, 0, ["email", "objectId", "state", "joinedAt"])
    sheet.write_row(1, 0, ["a@example.com", 7001, "attend"])
    sheet.write_datetime(1, 3, datetime(2026, 5, 1, 10, 2, 35), when)
    wb.close()
    sheet_read = read_participants(tmp_path / "dates.xlsx")
    (row,) = sheet_read.rows
    assert dict(row.cells) == {
        "email": "a@example.com",
        "objectId": "7001",
        "state": "attend",
        "joinedAt": "2026-05-01 10:02:35",
    }
    assert sheet_read.sheet_name == "Participants" and sheet_read.width == 4


def test_a_save_landing_while_the_results_are_written_is_kept(tmp_path, monkeypatch, windows_files):
    import eventsync.sheets.participants_xlsx as module
    from eventsync.errors import WorkbookChangedError
    from eventsync.sheets.participants_sheet import result_cells, write_results

    path = book(tmp_path / "people.xlsx", {"Participants": PEOPLE})
    sheet = read_participants(path)
    cells = result_cells(sheet, {2: {"syncError": "", "contactId": "51", "sentAt": "now"}})
    real = module.patch_cells

    def excel_saves_meanwhile(src, dst, name, cells, **options):
        real(src, dst, name, cells, **options)
        saved = tmp_path / "saved.xlsx"
        real(src, saved, name, {(2, 4): "typed meanwhile"})
        windows_files.save_as_excel(path, saved.read_bytes())  # (as Excel saves)

    monkeypatch.setattr(module, "patch_cells", excel_saves_meanwhile)
    with pytest.raises(WorkbookChangedError):
        write_results(sheet, cells, tmp_path / "state")
    assert first_row(path, "Participants") == ("email", "objectId", "state")
    monkeypatch.setattr(module, "patch_cells", real)
    with pytest.raises(WorkbookChangedError):  # the sheet itself changed since it was read
        write_results(sheet, cells, tmp_path / "state")
    written = write_results(read_participants(path), cells, tmp_path / "state")
    assert written == file_stamp(path)  # (the version written: watch knows it as its own)
    assert first_row(path, "Participants") == (
        "email",
        "objectId",
        "state",
        "syncError",
        "contactId",
        "sentAt",
    )


LIBREOFFICE = Path(__file__).parent / "fixtures" / "participants"


def test_row_1_is_read_whichever_quotes_the_sheets_xml_uses(tmp_path):
    """XML lets attributes stand in single quotes: a writer that uses them still gives
    the sheet's row 1 (else a participants sheet would be read as something else)."""
    wb = xlsxwriter.Workbook(tmp_path / "quotes.xlsx")
    sheet = wb.add_worksheet("Sheet1")
    sheet.write_row(0, 0, ["email", "objectId", "state"])
    sheet.write_row(1, 0, ["a@example.com", 7001, "register"])
    wb.close()
    path = rewrite(
        tmp_path / "quotes.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'r="', b"r='").replace(b't="s"', b"t='s'").replace(b'"', b"'"),
    )
    assert first_row(path, "Sheet1") == ("email", "objectId", "state")
    assert first_rows(path, "Sheet1", 2)[1] == ("a@example.com", "7001", "register")


def test_the_first_rows_of_a_sheet_libreoffice_saved_are_read_from_its_first_bytes():
    # LibreOffice's header: its first cell rich text (two runs), shared strings.
    book = LIBREOFFICE / "lo-events-participants.xlsx"
    assert first_row(book, "Participants")[:3] == ("email", "objectId", "state")
    # A webinar report's title lines above its table (row 3 left empty by the tool).
    rows = first_rows(LIBREOFFICE / "lo-export-title-lines.xlsx", "titled", 20)
    assert rows[:4] == [
        ("出席者レポート",),
        ("ウェビナー名", "春のセミナー"),
        (),
        ("氏名", "Mail", "HubSpot ID", "参加状況", "イベント名", "入室時刻", "退室時刻"),
    ]
    assert len(rows) == 6  # as far as the sheet goes
    assert first_rows(LIBREOFFICE / "lo-export-title-lines.xlsx", "titled", 2) == rows[:2]
    assert first_rows(LIBREOFFICE / "missing.xlsx", "titled", 20) == []
