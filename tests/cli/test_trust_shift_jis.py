"""Issue 20, case 4: characters a Shift-JIS (CP932) CSV cannot hold.

Japanese Excel's "CSV" is CP932 with CRLF line ends, and every character CP932 cannot
hold (an en dash, emoji) becomes "?". (a) A value a colleague typed in HubSpot that the
file cannot hold is not written into it: the cell is kept, the row and the terminal say
why and how to save as CSV UTF-8, and the field is not counted as agreed, so no later
sync sends the old cell over HubSpot's and no later run flags the row. (b) New text in
such a file that brings a "?" is held: `plan` and the row say the save may have replaced
characters and how to save as CSV UTF-8; `--force` sends a "?" that is meant. Files are
built as Japanese Excel writes them; edits in HubSpot go through the sandbox's admin
endpoint over HTTP.
"""

from __future__ import annotations

import requests
from helpers import sent_inputs

from eventsync.sheets.csv_file import read_csv

HEADER = ["objectId", "eventName", "eventType", "eventUrl"]
OSAKA = "Product Update 06 – 大阪 🎉"  # as the colleague typed it in HubSpot
TOKYO = "特別編 – 東京 🎉"  # as the user typed it in Excel


def save_as_excel_csv(path, rows: list[list[str]]) -> None:
    """Japanese Excel's "CSV (Comma delimited)": CP932, CRLF, "?" for the rest."""
    text = "".join(",".join(row) + "\r\n" for row in rows)
    path.write_bytes(text.encode("cp932", errors="replace"))


def save_as_csv_utf8(path, rows: list[list[str]]) -> None:
    """Excel's "CSV UTF-8 (Comma delimited)": a byte-order mark, UTF-8, CRLF."""
    text = "".join(",".join(row) + "\r\n" for row in rows)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def edit_in_hubspot(sandbox, object_id: str, **fields) -> None:
    answer = requests.post(f"{sandbox.url}/_sandbox/events/{object_id}", json=fields, timeout=10)
    assert answer.status_code == 200, answer.text


def rows_of(path) -> list[tuple[str, ...]]:
    return list(read_csv(path).rows)


SHEET = [
    HEADER,
    ["5823713206", "Product Update 06 大阪", "Webinar", "https://example.com/events/6"],
    ["5823713207", "名古屋 セミナー", "Webinar", "https://example.com/events/7"],
]


def test_a_colleagues_text_the_file_cannot_hold_is_not_written_nor_agreed(workspace):
    path = workspace.sheets / "events.csv"
    save_as_excel_csv(path, SHEET)
    assert workspace.run("sync").code == 0
    before = len(workspace.sandbox.batch_update_requests())
    edit_in_hubspot(workspace.sandbox, "5823713206", eventName=OSAKA)
    edit_in_hubspot(workspace.sandbox, "5823713207", eventType="Conference")

    result = workspace.run("sync", "--two-way")
    assert result.code == 1, result.out
    said = (
        'eventName: changed in HubSpot to "Product Update 06 – 大阪 🎉", but this file is'
        ' saved as Shift-JIS (CP932), which cannot hold "–" (U+2013 EN DASH), "🎉"'
        " (U+1F389 PARTY POPPER), so eventsync did not write it. In Excel, save the file"
        ' as "CSV UTF-8 (Comma delimited)" and run eventsync sync --two-way'
    )
    assert said in result.out
    rows = rows_of(path)
    assert read_csv(path).format.encoding == "cp932"  # still the file Excel saved
    assert rows[1][1] == "Product Update 06 大阪"  # the cell as it was: no "?"
    assert "CSV UTF-8" in rows[1][-1] and "U+2013 EN DASH" in rows[1][-1]
    assert rows[2][2] == "Conference"  # what the file can hold is brought in
    assert sent_inputs(workspace.sandbox, before) == []

    # Never a lasting error, and never the old text sent over the colleague's.
    for _ in range(3):
        again = workspace.run("sync")
        assert again.code == 0, again.out
    assert sent_inputs(workspace.sandbox, before) == []
    assert workspace.sandbox.events["5823713206"]["eventName"] == OSAKA

    # Saved as CSV UTF-8, the next two-way sync brings it in, exactly.
    save_as_csv_utf8(path, [list(row[:4]) for row in rows_of(path)])
    done = workspace.run("sync", "--two-way")
    assert done.code == 0, done.out
    assert rows_of(path)[1][1] == OSAKA
    assert workspace.run("sync").code == 0
    assert sent_inputs(workspace.sandbox, before) == []


def test_new_text_with_question_marks_from_a_shift_jis_save_is_held_and_said(workspace):
    path = workspace.sheets / "events.csv"
    save_as_excel_csv(path, SHEET)
    assert workspace.run("sync").code == 0
    before = len(workspace.sandbox.batch_update_requests())
    # Typed in Excel and saved as "CSV": the en dash and the emoji become "?".
    typed = [
        HEADER,
        ["5823713206", TOKYO, "Webinar", "https://example.com/events/6?lang=ja"],
        ["5823713207", "名古屋 セミナー", "Webinar", "https://example.com/events/7"],
        ["5823713208", "新しい行 🎉", "Webinar", ""],  # a row never synced before
    ]
    save_as_excel_csv(path, typed)
    assert "特別編 ? 東京 ?" in path.read_bytes().decode("cp932")

    planned = workspace.run("plan")
    assert planned.code == 1, planned.out
    said = (
        'eventName: "特別編 ? 東京 ?" holds "?", which a save as Shift-JIS (CP932) puts in'
        " place of every character it cannot hold (an en dash, emoji, some kanji), so the"
        ' row is not sent. In Excel, save the file as "CSV UTF-8 (Comma delimited)" and'
        ' type those characters again; if the "?" is meant, run eventsync sync --force'
        " 5823713206"
    )
    assert said in planned.out
    assert '"新しい行 ?" holds "?"' in planned.out
    assert workspace.sandbox.batch_update_requests()[before:] == []

    result = workspace.run("sync")
    assert result.code == 1 and said in result.out
    assert sent_inputs(workspace.sandbox, before) == []  # no "?", and no URL either
    rows = rows_of(path)
    assert "CSV UTF-8" in rows[1][-1] and "CSV UTF-8" in rows[3][-1]
    assert workspace.sandbox.events["5823713206"]["eventName"] == "Product Update 06 大阪"

    # Saved as CSV UTF-8 and typed again: sent as typed, URL and all.
    save_as_csv_utf8(path, [*typed[:1], [typed[1][0], TOKYO, *typed[1][2:]], typed[2]])
    done = workspace.run("sync")
    assert done.code == 0, done.out
    assert sent_inputs(workspace.sandbox, before) == [
        {
            "objectId": "5823713206",
            "eventName": TOKYO,
            "eventUrl": "https://example.com/events/6?lang=ja",
        }
    ]


def test_a_question_mark_in_a_utf8_or_ascii_file_is_sent_as_typed(workspace):
    path = workspace.csv_sheet("events.csv", [HEADER, ["5823713206", "What's new", "Webinar", ""]])
    assert workspace.run("sync").code == 0
    workspace.csv_sheet("events.csv", [HEADER, ["5823713206", "What's new?", "Webinar", ""]])
    assert workspace.run("sync").code == 0
    assert workspace.sandbox.events["5823713206"]["eventName"] == "What's new?"
    assert path.read_bytes().isascii()


def test_a_question_mark_the_confirmed_text_had_is_no_new_one(workspace):
    path = workspace.sheets / "events.csv"
    save_as_excel_csv(path, [HEADER, ["5823713206", "なぜ? 大阪", "Webinar", ""]])
    assert workspace.run("sync").code == 1  # held: nothing says the "?" is meant
    assert workspace.run("sync", "--force", "5823713206").code == 0  # the user says so
    assert workspace.sandbox.events["5823713206"]["eventName"] == "なぜ? 大阪"
    # Once HubSpot confirmed it, that "?" is no sign of a lost character: edits go out.
    save_as_excel_csv(path, [HEADER, ["5823713206", "なぜ? 大阪 2026", "Webinar", ""]])
    assert workspace.run("sync").code == 0
    assert workspace.sandbox.events["5823713206"]["eventName"] == "なぜ? 大阪 2026"


def test_add_new_appends_no_event_whose_text_the_file_cannot_hold(workspace):
    path = workspace.sheets / "events.csv"
    save_as_excel_csv(path, SHEET)
    assert workspace.run("sync").code == 0
    edit_in_hubspot(workspace.sandbox, "5823713210", eventName=OSAKA)
    before = len(workspace.sandbox.batch_update_requests())

    result = workspace.run("sync", "--two-way", "--add-new")
    assert result.code == 1, result.out
    assert "appended 17 events from HubSpot as new rows" in result.out
    assert (
        'events.csv: 1 event was not added: its text holds "–" (U+2013 EN DASH), "🎉"'
        " (U+1F389 PARTY POPPER), which a file saved as Shift-JIS (CP932) cannot hold."
    ) in result.out
    ids = [row[0] for row in rows_of(path)[1:]]
    assert len(ids) == 19 and "5823713210" not in ids
    assert not any("?" in value for row in rows_of(path) for value in row[:4])
    for _ in range(2):  # never a lasting error, nothing sent
        assert workspace.run("sync").code == 0
    assert sent_inputs(workspace.sandbox, before) == []

    save_as_csv_utf8(path, [list(row[:4]) for row in rows_of(path)])
    done = workspace.run("sync", "--two-way", "--add-new")
    assert done.code == 0, done.out
    assert [row[1] for row in rows_of(path) if row[0] == "5823713210"] == [OSAKA]


def test_an_older_copy_that_cannot_take_hubspots_text_stays_an_older_copy(workspace):
    """A stale copy takes HubSpot's newer values with --two-way; one it cannot hold is
    not written, and the row keeps its own updatedAt: marked current, its old text would
    pass for an edit (a conflict at best; sent outright without the check of HubSpot)."""
    path = workspace.sheets / "events.csv"
    save_as_excel_csv(path, SHEET)
    assert workspace.run("sync").code == 0
    older = path.read_bytes()  # a copy kept from before the next sync
    edit_in_hubspot(workspace.sandbox, "5823713206", eventName="Product Update 06 Osaka")
    assert workspace.run("sync", "--two-way").code == 0  # the current file takes it
    edit_in_hubspot(workspace.sandbox, "5823713206", eventName=OSAKA)
    path.write_bytes(older)  # the older copy comes back (restored, or saved over)
    before = len(workspace.sandbox.batch_update_requests())

    result = workspace.run("sync", "--two-way")
    assert result.code == 1, result.out
    assert "cannot hold" in result.out
    assert rows_of(path)[1][1] == "Product Update 06 大阪"
    row = rows_of(path)[1]
    assert row[4] != workspace.sandbox.events["5823713206"]["updatedAt"]  # its own time
    for _ in range(3):
        again = workspace.run("sync")
        assert again.code == 1 and "older" in again.out, again.out  # still an older copy
    assert workspace.run("sync", "--no-remote-check").code == 1
    assert sent_inputs(workspace.sandbox, before) == []
    assert workspace.sandbox.events["5823713206"]["eventName"] == OSAKA


def test_a_row_takes_none_of_hubspots_values_when_one_cannot_be_written(workspace):
    path = workspace.sheets / "events.csv"
    save_as_excel_csv(path, SHEET)
    assert workspace.run("sync").code == 0
    edit_in_hubspot(workspace.sandbox, "5823713206", eventName=OSAKA, eventType="Conference")
    before = len(workspace.sandbox.batch_update_requests())
    assert workspace.run("sync", "--two-way").code == 1
    assert rows_of(path)[1][1:3] == ("Product Update 06 大阪", "Webinar")
    for _ in range(2):  # no part of a newer version: the row stays what it was
        again = workspace.run("sync")
        assert again.code == 0, again.out
    assert sent_inputs(workspace.sandbox, before) == []
    assert workspace.sandbox.events["5823713206"]["eventType"] == "Conference"


def test_a_japanese_sheet_is_told_in_japanese(workspace):
    path = workspace.sheets / "events.csv"
    header = ["イベントID", "イベント名", "イベント種別"]
    save_as_excel_csv(path, [header, ["5823713206", "大阪 セミナー", "Webinar"]])
    assert workspace.run("sync").code == 0
    save_as_excel_csv(path, [header, ["5823713206", TOKYO, "Webinar"]])
    result = workspace.run("sync")
    assert result.code == 1, result.out
    said = rows_of(path)[1][-1]
    assert said.startswith("イベント名：")
    assert "「CSV UTF-8 (コンマ区切り)」として保存し" in said
    assert "eventsync sync --force 5823713206" in said
    assert workspace.sandbox.events["5823713206"]["eventName"] == "大阪 セミナー"


def test_an_edit_sent_beside_a_value_the_file_cannot_hold_leaves_no_lasting_error(workspace):
    path = workspace.sheets / "events.csv"
    save_as_excel_csv(path, SHEET)
    assert workspace.run("sync").code == 0
    edit_in_hubspot(workspace.sandbox, "5823713206", eventName=OSAKA)
    edited = [list(row) for row in rows_of(path)]  # with its updatedAt column
    edited[1][2] = "Seminar"  # the user's own edit of the same row, meanwhile
    save_as_excel_csv(path, edited)
    before = len(workspace.sandbox.batch_update_requests())

    result = workspace.run("sync", "--two-way")
    assert result.code == 1 and "cannot hold" in result.out, result.out
    assert sent_inputs(workspace.sandbox, before) == [
        {"objectId": "5823713206", "eventType": "Seminar"}
    ]
    # The row is at the version HubSpot confirmed for the edit: the next edit of it is
    # no "older copy", and goes out.
    edited = [list(row) for row in rows_of(path)]
    edited[1][2] = "Workshop"
    save_as_excel_csv(path, edited)
    again = workspace.run("sync")
    assert again.code == 0, again.out
    assert sent_inputs(workspace.sandbox, before + 1) == [
        {"objectId": "5823713206", "eventType": "Workshop"}
    ]
    assert workspace.run("sync").code == 0
    assert workspace.sandbox.events["5823713206"]["eventName"] == OSAKA
