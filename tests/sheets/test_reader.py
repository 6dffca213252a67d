"""reader: the rows and values a user sees in Excel, at the row numbers Excel shows.

Workbooks are built in tmp_path with xlsxwriter, except the LibreOffice-saved fixtures
in fixtures/xlsx (see the README there). Values are checked the way a user meets them:
what build_updates would send to HubSpot for each row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventsync.errors import SheetError
from eventsync.model import EventUpdate
from eventsync.plan.inputs import build_updates
from eventsync.sheets.reader import read_sheet

FIXTURES = Path(__file__).parent / "fixtures" / "xlsx"
TOKYO = ZoneInfo("Asia/Tokyo")
HEADER = ["objectId", "eventName", "eventType", "startDateTime", "eventCancelled", "memo"]


def sent(path: Path) -> dict[int, dict]:
    """Row number -> the values build_updates makes of it (objectId included)."""
    sheet = read_sheet(path)
    return {
        item.row_number: {"objectId": item.object_id, **item.values}
        for item in build_updates(sheet, TOKYO)
        if isinstance(item, EventUpdate)
    }


def book(
    path: Path,
    rows: Mapping[int, Sequence[object]],
    *,
    date1904: bool = False,
    header=HEADER,
    build=None,
):
    """Events with `rows` (Excel row number -> values) below a header in row 1."""
    wb = xlsxwriter.Workbook(path, {"date_1904": date1904})
    ws = wb.add_worksheet("Events")
    when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws.write_row(0, 0, header)
    for number, values in rows.items():
        for column, value in enumerate(values):
            if isinstance(value, datetime | date):
                ws.write_datetime(number - 1, column, value, when)
            elif value is not None:
                ws.write(number - 1, column, value)
    if build is not None:
        build(wb, ws)
    wb.close()
    return path


# -- row numbers -----------------------------------------------------------------------


def test_row_numbers_are_excels_with_blank_hidden_and_trailing_rows(tmp_path):
    def decorate(wb, ws):
        ws.autofilter("A1:F8")
        ws.filter_column("C", "x != Workshop")
        ws.set_row(5, None, None, {"hidden": True})  # row 6, hidden by the filter
        shaded = wb.add_format({"bg_color": "#EEEEEE"})
        for row in range(9, 60):  # trailing rows that are formatted but empty
            ws.write_blank(row, 0, None, shaded)
        ws.set_row(80, 30)

    rows: dict[int, list[object]] = {
        2: [5823713201, "Tokyo", "Webinar"],
        3: [5823713202, "Osaka", "Webinar"],
        # row 4 blank; row 5 holds only the user's own note: not an event
        5: [None, None, None, None, None, "call Ken"],
        6: [5823713203, "Nagoya", "Workshop"],
        8: [5823713204, "Fukuoka", "Webinar"],
    }
    path = book(tmp_path / "events.xlsx", rows, build=decorate)
    assert list(sent(path)) == [2, 3, 6, 8]


def test_a_table_that_starts_below_and_right_of_a1_keeps_excels_numbers(tmp_path):
    path = tmp_path / "events.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Events")
    ws.write_row(0, 2, ["objectId", "eventName"])  # header in C1:D1; A and B stay empty
    ws.write_row(3, 2, [5823713201, "Tokyo"])  # first event in row 4
    wb.close()
    sheet = read_sheet(path)
    assert sheet.headers["objectId"].column_number == 3
    assert sheet.last_column == 4
    assert [row.row_number for row in sheet.rows] == [4]


def test_a_table_below_empty_rows_keeps_excels_numbers_and_its_error_cells(tmp_path):
    path = tmp_path / "events.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Events")
    ws.write_row(2, 1, ["objectId", "eventName"])  # header in B3:C3; rows 1-2 and A empty
    ws.write_row(3, 1, [5823713201, "Tokyo"])
    ws.write_number(5, 1, 5823713202)
    ws.write_formula(5, 2, "=NA()", None, "#N/A")  # C6
    wb.close()
    sheet = read_sheet(path)
    assert sheet.header_row == 3
    assert sheet.headers["eventName"].column_number == 3
    assert [row.row_number for row in sheet.rows] == [4, 6]
    assert sheet.rows[0].cells["eventName"] == "Tokyo"
    assert str(sheet.rows[1].cells["eventName"]) == "#N/A"


def test_row_numbers_of_a_libreoffice_file_with_a_filter_and_a_blank_row():
    # Row 4 is blank, row 6 is hidden by the filter, C7:C100 are styled empty cells.
    assert list(sent(FIXTURES / "libreoffice-features.xlsx")) == [2, 3, 5, 6]


@pytest.mark.slow
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    layout=st.lists(st.sampled_from(["event", "blank", "note", "hidden"]), min_size=1, max_size=30)
)
def test_property_every_event_row_keeps_its_excel_row_number(tmp_path, layout):
    rows, hidden, expected = {}, [], []
    for number, kind in enumerate(layout, start=2):
        if kind in ("event", "hidden"):
            rows[number] = [5823713200 + number, f"event {number}"]
            expected.append(number)
        elif kind == "note":
            rows[number] = [None] * 5 + ["a note"]
        if kind == "hidden":
            hidden.append(number)

    def hide(wb, ws):
        for number in hidden:
            ws.set_row(number - 1, None, None, {"hidden": True})

    path = book(tmp_path / "events.xlsx", rows, build=hide)
    got = sent(path)
    assert list(got) == expected
    assert all(got[n]["objectId"] == str(5823713200 + n) for n in expected)


# -- values ----------------------------------------------------------------------------


@pytest.mark.parametrize("date1904", [False, True], ids=["1900", "1904"])
def test_dates_read_as_excel_shows_them_in_both_date_systems(tmp_path, date1904):
    rows = {
        2: [5823713201, "Tokyo", "Webinar", datetime(2026, 4, 6, 10, 0)],
        3: [5823713202, "Osaka", "Webinar", datetime(2026, 4, 6, 10, 0, 0, 250_000)],
        4: [5823713203, "Nagoya", "Webinar", date(2026, 4, 6)],  # a date without a time
        5: [5823713204, date(1999, 12, 31), "Webinar", datetime(1904, 1, 2, 0, 0)],
    }
    path = book(tmp_path / "events.xlsx", rows, date1904=date1904)
    values = sent(path)
    # Tokyo is UTC+9: the wall-clock time in the sheet, sent as UTC.
    assert values[2]["startDateTime"] == "2026-04-06T01:00:00Z"
    assert values[3]["startDateTime"] == "2026-04-06T01:00:00.250Z"
    assert values[4]["startDateTime"] == "2026-04-05T15:00:00Z"  # the start of that day
    assert values[5]["startDateTime"] == "1904-01-01T15:00:00Z"
    assert values[5]["eventName"] == "1999-12-31"  # a date in a text column, as ISO text


def test_libreoffice_booleans_are_read_from_their_cached_formula_results():
    # LibreOffice saves TRUE/FALSE as `=TRUE()` / `=FALSE()` formulas with a cached value.
    values = sent(FIXTURES / "libreoffice-features.xlsx")
    assert [v["eventCancelled"] for v in values.values()] == [False, True, False, False]
    japanese = sent(FIXTURES / "libreoffice-japanese-from-csv.xlsx")
    assert [v["eventCancelled"] for v in japanese.values()] == [False, False, True]


def test_libreoffice_dates_read_to_the_minute_though_their_serials_are_rounded():
    values = sent(FIXTURES / "libreoffice-features.xlsx")
    assert values[2]["startDateTime"] == "2026-04-06T01:00:00Z"
    assert values[2]["endDateTime"] == "2026-04-06T03:30:00Z"


def test_numbers_typed_into_text_columns_are_sent_as_excel_shows_them(tmp_path):
    header = [*HEADER[:5], "eventDescription", "custom:region"]
    rows: dict[int, list[object]] = {
        2: [5823713201, 2025, 3.5, None, None, 0.1, 2025],
        3: [5823713202.0, "Osaka", -7, None, None, 1234.5, 12345678901],
    }
    values = sent(book(tmp_path / "events.xlsx", rows, header=header))
    assert values[2] == {
        "objectId": "5823713201",
        "eventName": "2025",
        "eventType": "3.5",
        "startDateTime": None,
        "eventCancelled": None,
        "eventDescription": "0.1",
        "custom:region": "2025",
    }
    assert values[3]["objectId"] == "5823713202"
    assert (values[3]["eventType"], values[3]["eventDescription"]) == ("-7", "1234.5")
    assert values[3]["custom:region"] == "12345678901"
    assert sent(FIXTURES / "libreoffice-features.xlsx")[3]["custom:region"] == "2025"


def test_a_japanese_libreoffice_sheet_named_after_its_csv():
    sheet = read_sheet(FIXTURES / "libreoffice-japanese-from-csv.xlsx")
    assert sheet.sheet_name == "イベント"  # no sheet called Events: the first one
    assert sheet.column_label("eventName") == "イベント名"
    values = sent(FIXTURES / "libreoffice-japanese-from-csv.xlsx")
    assert values[4]["eventName"] == "春の新製品発表会 名古屋"
    assert values[4]["startDateTime"] == "2026-04-20T01:00:00Z"


# -- refusals --------------------------------------------------------------------------


def test_a_merged_header_is_refused_naming_file_sheet_and_cells(tmp_path):
    def merge(wb, ws):
        ws.merge_range("B1:C1", "event")
        ws.merge_range("A5:B5", "refused too, but the header is named first")

    path = book(tmp_path / "events.xlsx", {2: [5823713201, "Tokyo"]}, build=merge)
    with pytest.raises(SheetError) as refused:
        read_sheet(path)
    assert str(refused.value) == (
        "events.xlsx, sheet Events, row 1: header cells B1:C1 are merged;"
        " unmerge them so each column has its own header"
    )


def test_merged_cells_in_the_users_own_columns_are_fine(tmp_path):
    # F is memo, a column eventsync neither reads nor writes.
    path = book(
        tmp_path / "events.xlsx",
        {2: [5823713201, "Tokyo"]},
        build=lambda wb, ws: ws.merge_range("F3:G4", "a note"),
    )
    assert list(sent(path)) == [2]


@pytest.mark.parametrize(
    ("header", "rows", "message"),
    [
        (
            [None],
            {2: [5823713201, "Tokyo"]},
            "events.xlsx, sheet Events: row 1 is empty; it must hold the column headers",
        ),
        (
            ["id", "eventName"],
            {2: [5823713201, "Tokyo"]},
            "events.xlsx, sheet Events, row 1: no objectId column",
        ),
        ([None], {}, "events.xlsx, sheet Events: the sheet is empty"),
    ],
    ids=["header-row-blank", "no-object-id", "empty-sheet"],
)
def test_a_missing_header_is_refused(tmp_path, header, rows, message):
    path = book(tmp_path / "events.xlsx", rows, header=header)
    with pytest.raises(SheetError, match=message.replace("(", r"\(")):
        read_sheet(path)


def test_a_formula_error_is_a_row_problem_never_an_emptied_cell(tmp_path):
    from zoneinfo import ZoneInfo

    import xlsxwriter

    from eventsync.plan.inputs import build_updates
    from eventsync.sheets.reader import read_sheet

    path = tmp_path / "errors.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Events")
    sheet.write_row(0, 0, ["objectId", "eventName", "eventType"])
    sheet.write_row(1, 0, [1, "fine", "Webinar"])
    sheet.write_number(2, 0, 2)
    sheet.write_formula(2, 1, "=NA()", None, "#N/A")
    sheet.write_formula(3, 0, "=1/0", None, "#DIV/0!")
    book.close()
    built = build_updates(read_sheet(path), ZoneInfo("UTC"))
    assert dict(built[0].values) == {"eventName": "fine", "eventType": "Webinar"}
    assert (
        built[1][0].message
        == "eventName: shows the Excel error #N/A; fix the formula or type the value"
    )
    assert built[2][0].column == "objectId" and "#DIV/0!" in built[2][0].message
