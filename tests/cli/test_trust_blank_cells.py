"""Issue 20, cases 3 and 6, end to end: blank cells of a row never synced from its file
clear nothing, and a field HubSpot requires cannot be emptied.

The sheets are made as users make them: `eventsync template`, then cells typed in and
saved (helpers.edit patches the workbook as a spreadsheet program saves it).
"""

from __future__ import annotations

import shutil

import pytest
from helpers import edit, read_rows, sent_inputs

from eventsync.model import CellValue

# The template's columns (no custom property): where a user types each value.
OBJECT_ID, NAME, TYPE, ORGANIZER, URL = 1, 2, 3, 4, 6
FIELDS_KEPT = ("eventType", "eventOrganizer", "eventDescription", "eventUrl", "eventCancelled",
               "startDateTime", "endDateTime", "customProperties")  # fmt: skip


def events_synced_from_another_workbook(workspace, tmp_path_factory):
    """HubSpot's events, synced once from a workbook that has since left the folder."""
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    shutil.move(book, tmp_path_factory.mktemp("archive") / "events.xlsx")


def template_sheet(workspace, rows: dict[int, tuple[int, str]]):
    """`eventsync template`, with objectId and eventName typed into some rows."""
    made = workspace.run("template", "new.xlsx")
    assert made.code == 0, made.err
    made_path = workspace.root / "new.xlsx"
    cells: dict[tuple[int, int], CellValue] = {}
    for row, (object_id, name) in rows.items():
        cells[(row, OBJECT_ID)] = object_id
        cells[(row, NAME)] = name
    edit(made_path, cells)
    return shutil.move(made_path, workspace.sheets / "new.xlsx")


@pytest.mark.slow
def test_a_template_sheet_with_only_ids_and_names_sends_only_the_names(workspace, tmp_path_factory):
    events_synced_from_another_workbook(workspace, tmp_path_factory)
    hubspot_before = {k: dict(v) for k, v in workspace.sandbox.events.items()}
    same_name = hubspot_before["5823713202"]["eventName"]
    book = template_sheet(
        workspace,
        {2: (5823713201, "Renamed 01"), 3: (5823713202, same_name), 4: (5823713203, "Renamed 03")},
    )

    planned = workspace.run("plan")
    assert planned.code == 0, planned.out
    assert "was emptied" not in planned.out and "does not empty" not in planned.out
    assert "2 to send, 1 unchanged, 0 invalid" in planned.out

    before = len(workspace.sandbox.batch_update_requests())
    result = workspace.run("sync")
    assert result.code == 0, result.out
    assert sent_inputs(workspace.sandbox, before) == [
        {"objectId": "5823713201", "eventName": "Renamed 01"},
        {"objectId": "5823713203", "eventName": "Renamed 03"},
    ]
    for object_id, event in workspace.sandbox.events.items():
        for field in FIELDS_KEPT:
            assert event[field] == hubspot_before[object_id][field], (object_id, field)
    rows = read_rows(book)
    assert [(r["updatedAt"] is not None, r["syncError"]) for r in rows] == [(True, None)] * 3

    # The rows are synced rows now: their blank cells are still not theirs to clear.
    for _ in range(2):
        again = workspace.run("sync")
        assert again.code == 0, again.out
        assert "3 unchanged, 0 sent" in again.out
    assert len(workspace.sandbox.batch_update_requests()) == before + 1
    assert (
        workspace.sandbox.events["5823713201"]["eventType"]
        == hubspot_before["5823713201"]["eventType"]
    )


@pytest.mark.slow
def test_a_cell_the_row_held_and_the_user_emptied_is_cleared(workspace, tmp_path_factory):
    events_synced_from_another_workbook(workspace, tmp_path_factory)
    book = template_sheet(workspace, {2: (5823713201, "Renamed 01")})
    assert workspace.run("sync").code == 0
    edit(book, {(2, URL): "https://example.com/typed-here"})
    assert workspace.run("sync").code == 0
    before = len(workspace.sandbox.batch_update_requests())

    edit(book, {(2, URL): None})  # the user empties the cell the row now holds
    planned = workspace.run("plan")
    assert (
        planned.code == 0 and 'eventUrl: "https://example.com/typed-here" -> (empty)' in planned.out
    )
    assert workspace.run("sync").code == 0
    assert sent_inputs(workspace.sandbox, before) == [{"objectId": "5823713201", "eventUrl": ""}]
    assert workspace.sandbox.events["5823713201"]["eventUrl"] == ""


@pytest.mark.slow
def test_an_emptied_name_or_organizer_is_refused_before_sending(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    hubspot_before = {k: dict(v) for k, v in workspace.sandbox.events.items()}
    before = len(workspace.sandbox.batch_update_requests())
    edit(book, {(3, NAME): None, (4, ORGANIZER): None, (5, TYPE): None})

    planned = workspace.run("plan")
    assert planned.code == 1
    assert (
        "row 3: eventName: was emptied, but HubSpot requires a value in this field; type the"
        " value back (or a new one)" in planned.out
    )
    result = workspace.run("sync")
    assert result.code == 1, result.out
    # Only the type, which HubSpot lets a row empty, goes out.
    assert sent_inputs(workspace.sandbox, before) == [{"objectId": "5823713204", "eventType": ""}]
    assert workspace.sandbox.events["5823713202"] == hubspot_before["5823713202"]
    assert workspace.sandbox.events["5823713203"] == hubspot_before["5823713203"]
    rows = read_rows(book)
    assert rows[1]["syncError"] == (
        "eventName: was emptied, but HubSpot requires a value in this field; type the value"
        " back (or a new one)"
    )
    assert rows[2]["syncError"].startswith("eventOrganizer: was emptied, but HubSpot requires")


def test_a_japanese_sheet_says_it_in_japanese(workspace):
    made = workspace.run("template", "--lang", "ja", "sheets/events.xlsx")
    assert made.code == 0, made.err
    book = workspace.sheets / "events.xlsx"
    edit(book, {(2, OBJECT_ID): 5823713201, (2, NAME): "名前"})
    assert workspace.run("sync").code == 0
    edit(book, {(2, NAME): None})
    result = workspace.run("sync")
    assert result.code == 1
    [row] = read_rows(book)
    assert row["同期エラー"] == (
        "イベント名：空にされましたが、HubSpotではこの項目は必須です。値を入力し直してください"
        "（新しい値でもかまいません）"
    )


@pytest.mark.slow
def test_two_way_later_fills_the_blanks_with_hubspots_values(workspace, tmp_path_factory):
    events_synced_from_another_workbook(workspace, tmp_path_factory)
    book = template_sheet(workspace, {2: (5823713201, "Renamed 01")})
    assert workspace.run("sync").code == 0
    before = len(workspace.sandbox.batch_update_requests())
    result = workspace.run("sync", "--two-way")
    assert result.code == 0, result.out
    assert len(workspace.sandbox.batch_update_requests()) == before  # nothing sent
    [row] = read_rows(book)
    hubspot = workspace.sandbox.events["5823713201"]
    assert (row["eventName"], row["eventType"], row["eventOrganizer"], row["eventUrl"]) == (
        "Renamed 01",
        hubspot["eventType"],
        hubspot["eventOrganizer"],
        hubspot["eventUrl"],
    )
    assert row["eventCancelled"] is False
    again = workspace.run("sync")
    assert again.code == 0 and "1 unchanged, 0 sent" in again.out
