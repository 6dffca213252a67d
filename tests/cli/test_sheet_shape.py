"""End to end against the sandbox: sheets shaped as people keep them sync as written.

Title rows above a Japanese header, a hidden first sheet and an Excel 4 macro sheet in
the workbook, an .ods left in the folder, LibreOffice holding the workbook open, and
line breaks typed (Alt+Enter) into one-line fields.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import xlsxwriter
from helpers import Workspace
from helpers.sheet_kinds import add_macro_sheet

TITLE = "2026年 春のイベント一覧"


def sent_inputs(workspace: Workspace) -> dict[str, dict]:
    requests = workspace.sandbox.batch_update_requests()
    return {i["objectId"]: i for r in requests for i in r.body["inputs"]}


def titled_book(path: Path, names: dict[int, str], *, sheet="Events", hidden_first=False) -> Path:
    """Title merged over A1:F1, a note in A2, header (Japanese) in row 4, events from
    row 5: objectIds 5823713201.. with the given names. With `hidden_first`, a hidden
    sheet of validation lists comes first (headed like events, as such lists often are)."""
    wb = xlsxwriter.Workbook(path)
    if hidden_first:
        lists = wb.add_worksheet("Lists")
        lists.write_row(0, 0, ["objectId", "eventName"])
        lists.write_row(1, 0, [5823713209, "not an event: a list for validation"])
        lists.hide()
    ws = wb.add_worksheet(sheet)
    ws.activate()
    ws.merge_range("A1:F1", TITLE, wb.add_format({"bold": True, "align": "center"}))
    ws.write("A2", "担当: 山田")
    ws.write_row(3, 0, ["イベントID", "イベント名", "メモ"], wb.add_format({"bold": True}))
    for offset, (object_id, name) in enumerate(names.items()):
        ws.write_row(4 + offset, 0, [object_id, name])
    wb.close()
    return path


def test_a_sheet_with_title_rows_syncs_and_is_annotated_in_its_header_row(workspace):
    names = {5823713201: "春の新製品発表会", 5823713202: "パートナー会議"}
    book = titled_book(workspace.sheets / "events.xlsx", names)
    result = workspace.run("sync")
    assert result.code == 0, result.out + result.err
    assert {k: v["eventName"] for k, v in sent_inputs(workspace).items()} == {
        str(k): v for k, v in names.items()
    }
    ws = openpyxl.load_workbook(book)["Events"]
    assert ws["A1"].value == TITLE and ws["A2"].value == "担当: 山田"
    assert "A1:F1" in {str(r) for r in ws.merged_cells.ranges}
    assert (ws["D4"].value, ws["E4"].value) == ("更新日時", "同期エラー")
    assert ws["D5"].value and ws["D6"].value and ws["D3"].value is None
    again = workspace.run("plan")
    assert again.code == 0 and "row 5" not in again.out


def test_a_workbook_with_a_hidden_first_sheet_and_a_macro_sheet_syncs(workspace):
    book = titled_book(
        workspace.sheets / "events.xlsm", {5823713201: "Expo"}, sheet="Q2", hidden_first=True
    )
    add_macro_sheet(book, first=True)
    result = workspace.run("sync")
    assert result.code == 0, result.out + result.err
    assert list(sent_inputs(workspace)) == ["5823713201"]


def test_an_ods_in_the_folder_is_named_and_the_workbook_beside_it_syncs(workspace):
    workspace.sample_workbook()
    (workspace.sheets / "2025 events.ods").write_bytes(b"PK\x03\x04 (LibreOffice)")
    result = workspace.run("sync")
    assert result.code == 0, result.out + result.err
    assert "skipped 2025 events.ods: it is an OpenDocument spreadsheet" in result.err
    assert "save it as .xlsx" in result.err
    assert sent_inputs(workspace)


def test_a_workbook_open_in_libreoffice_is_not_written(workspace):
    book = titled_book(workspace.sheets / "events.xlsx", {5823713201: "Expo"})
    before = book.read_bytes()
    lock = workspace.sheets / ".~lock.events.xlsx#"
    lock.write_text(",Yamada Hanako,pc-042,Yamada Hanako,06.04.2026 10:00,file:///home/h;")
    result = workspace.run("sync")
    assert result.code != 0
    shown = result.out + result.err
    # A Japanese sheet: the terminal speaks Japanese (its summary line above it too).
    assert "events.xlsxがLibreOfficeで開かれています。閉じてから" in shown, shown
    assert "1件の結果が書き込みを待っています" in shown
    assert book.read_bytes() == before


def test_line_breaks_in_one_line_fields_are_sent_cleaned(workspace):
    workspace.csv_sheet(
        "events.csv",
        [
            ["objectId", "eventName", "eventUrl", "eventDescription"],
            ["5823713201", "Spring Update\nTokyo", "https://example.com/\nspring", "a\nb"],
        ],
    )
    planned = workspace.run("plan")
    assert "Spring Update Tokyo" in planned.out, planned.out
    assert workspace.run("sync").code == 0
    sent = sent_inputs(workspace)["5823713201"]
    assert sent["eventName"] == "Spring Update Tokyo"
    assert sent["eventUrl"] == "https://example.com/spring"
    assert sent["eventDescription"] == "a\nb"  # a description keeps its lines
    assert workspace.run("plan").code == 0  # the cleaned value is in sync: nothing to send


def test_add_new_on_a_titled_sheet_without_events_appends_below_the_header(workspace):
    book = titled_book(workspace.sheets / "events.xlsx", {})
    result = workspace.run("sync", "--two-way", "--add-new")
    assert result.code == 0, result.out + result.err
    rows = list(openpyxl.load_workbook(book)["Events"].iter_rows(values_only=True))
    assert rows[0][0] == TITLE and rows[1][0] == "担当: 山田"  # the titles are untouched
    assert rows[3][0] == "イベントID"
    assert str(rows[4][0]) == "5823713201"  # the first event HubSpot has, right below
