"""Issue 13, cases 8 and 4: a CSV never changes an event value on its way back in.

Case 8: the formula-injection guard two-way sync puts on a CSV cell is taken away
again when the file is read. Case 4: "?" that a Shift-JIS (CP932) save put in place of
characters it cannot hold is not an edit.
"""

from __future__ import annotations

import pytest
from helpers import sent_inputs
from hypothesis import given
from hypothesis import strategies as st

from eventsync.sheets.csv_file import escape_value, read_csv, unescape_value


@pytest.mark.slow
@given(st.text())
def test_the_guard_always_comes_off_again(text):
    assert unescape_value(escape_value(text)) == text


def test_guarded_text_cannot_run_as_a_formula():
    for text in ("=1+1", "-20% early bird", "@SUM(A1)", "+81 3", "'=x"):
        assert escape_value(text).startswith("'")


def test_two_way_into_a_csv_then_sync_sends_nothing_new(workspace):
    path = workspace.csv_sheet(
        "events.csv",
        [["objectId", "eventName", "eventType"], ["5823713201", "Spring sale", "Webinar"]],
    )
    assert workspace.run("sync").code == 0
    workspace.sandbox.edit_event("5823713201", eventName="-20% early bird")
    result = workspace.run("sync", "--two-way")
    assert result.code == 0, result.out
    assert read_csv(path).rows[1][1] == "'-20% early bird"  # Excel shows it as text
    before = len(workspace.sandbox.batch_update_requests())
    for _ in range(2):
        again = workspace.run("sync")
        assert again.code == 0, again.out
    assert sent_inputs(workspace.sandbox, before) == []
    assert workspace.sandbox.events["5823713201"]["eventName"] == "-20% early bird"
    # An edit of that cell is sent as typed, and an edit that needs no guard too.
    text = path.read_text(encoding="utf-8").replace("'-20% early bird", "'-30% early bird")
    path.write_text(text, encoding="utf-8")
    assert workspace.run("sync").code == 0
    assert workspace.sandbox.events["5823713201"]["eventName"] == "-30% early bird"


def test_a_csv_written_by_an_earlier_version_is_not_sent_with_the_apostrophe(workspace):
    workspace.csv_sheet("events.csv", [["objectId", "eventName"], ["5823713201", "=HYPERLINK(x)"]])
    assert workspace.run("sync").code == 0
    assert workspace.sandbox.events["5823713201"]["eventName"] == "=HYPERLINK(x)"
    workspace.csv_sheet("events.csv", [["objectId", "eventName"], ["5823713201", "'=HYPERLINK(x)"]])
    before = len(workspace.sandbox.batch_update_requests())
    assert workspace.run("sync").code == 0
    assert sent_inputs(workspace.sandbox, before) == []


# -- case 4: characters the file cannot hold -----------------------------------------


def resave_as_shift_jis(path):
    """What Japanese Excel's "CSV" save does: CP932, "?" for what it cannot hold."""
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp932", errors="replace"))


def test_a_shift_jis_save_sends_no_question_mark_to_hubspot(workspace):
    path = workspace.csv_sheet(
        "events.csv",
        [
            ["objectId", "イベント名", "eventType"],
            ["5823713201", "東京 – 大阪 サミット 😀", "Webinar"],
            ["5823713202", "名古屋 セミナー", "Webinar"],
        ],
    )
    assert workspace.run("sync").code == 0
    resave_as_shift_jis(path)
    text = path.read_bytes().decode("cp932").replace("名古屋 セミナー", "名古屋 セミナー 2")
    path.write_bytes(text.encode("cp932"))
    before = len(workspace.sandbox.batch_update_requests())
    result = workspace.run("sync")
    assert result.code == 1, result.out
    # The real edit on the other row still goes out; no "?" does.
    assert sent_inputs(workspace.sandbox, before) == [
        {"objectId": "5823713202", "eventName": "名古屋 セミナー 2"}
    ]
    assert workspace.sandbox.events["5823713201"]["eventName"] == "東京 – 大阪 サミット 😀"
    rows = read_csv(path).rows
    assert rows[1][-1] == (
        "イベント名: this file was saved as Shift-JIS (CP932), which cannot hold"
        ' "?" (U+2013 EN DASH), "?" (U+1F600 GRINNING FACE):'
        ' it became "?", so the row is not sent. In Excel, save the file as "CSV UTF-8'
        ' (Comma delimited)" and type those characters again'
    )
    assert workspace.run("sync").code == 1  # and on every run after
    assert all("?" not in str(e.get("eventName")) for e in workspace.sandbox.events.values())


def test_a_question_mark_typed_into_a_shift_jis_file_is_sent_only_when_forced(workspace):
    # Issue 20, case 4b: nothing tells a "?" the user typed from one the save put in
    # place of a character (here the en dash became one too): held until forced.
    path = workspace.csv_sheet(
        "events.csv", [["objectId", "eventName"], ["5823713201", "東京 – 大阪"]]
    )
    assert workspace.run("sync").code == 0
    resave_as_shift_jis(path)
    text = path.read_bytes().decode("cp932").replace("東京 ? 大阪", "東京 ? 大阪?")
    path.write_bytes(text.encode("cp932"))
    before = len(workspace.sandbox.batch_update_requests())
    held = workspace.run("sync")
    assert held.code == 1 and "--force 5823713201" in held.out, held.out
    assert sent_inputs(workspace.sandbox, before) == []
    assert workspace.run("sync", "--force", "5823713201").code == 0
    assert workspace.sandbox.events["5823713201"]["eventName"] == "東京 ? 大阪?"


def test_only_characters_the_encoding_cannot_hold_count_as_lost():
    from eventsync.plan.lost_characters import lost_characters

    assert lost_characters("A – B", "A ? B", "cp932") == ("–",)
    assert lost_characters("😀", "??", "cp932") == ("😀",)  # UTF-16 programs write two
    assert lost_characters("東京", "??", "cp932") == ()  # CP932 holds these
    assert lost_characters("A – B", "A ? C", "cp932") == ()  # an edit besides
    assert lost_characters("東京", "??", "ascii") == ("東", "京")
