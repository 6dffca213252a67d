"""Messages in the reader's language: a sheet with Japanese headers gets Japanese
同期エラー cells, an English sheet English ones, in the same run; the terminal follows
the sheets or EVENTSYNC_LANG; commands in messages are shown as the user runs them."""

from __future__ import annotations

import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers import ZONE, edit, read_rows, sent_inputs

from eventsync.messages import Moment
from eventsync.sandbox.sample import sample_rows
from eventsync.sheets.template import build_workbook

ROOT = Path(__file__).resolve().parents[2]
BAD_ERA_DATE = "令和8年2月30日 10:00"  # 30 February: no such day
START = 7  # the startDateTime column of the template (1-based: objectId is 1)


def two_sheets(workspace) -> tuple[Path, Path]:
    """The Japanese template with the first ten sample events, the English one with the
    other ten; one row of each has the same impossible era date typed as text."""
    rows = [row[:-1] for row in sample_rows()]  # without the custom column's value
    japanese, english = rows[:10], rows[10:]
    for half in (japanese, english):
        half[1][START] = BAD_ERA_DATE
        half[2][1] = f"{half[2][1]} (renamed)"
    ja_path, en_path = workspace.sheets / "イベント.xlsx", workspace.sheets / "events.xlsx"
    build_workbook(japanese, lang="ja").save(ja_path)
    build_workbook(english).save(en_path)
    return ja_path, en_path


def test_a_japanese_sheet_gets_japanese_errors_and_an_english_sheet_english(workspace):
    ja_path, en_path = two_sheets(workspace)
    result = workspace.run("sync")
    assert result.code == 1, result.out + result.err

    ja_rows, en_rows = read_rows(ja_path), read_rows(en_path)
    assert ja_rows[1]["同期エラー"] == (
        "開始日時：「令和8年2月30日 10:00」：存在しない日付または時刻です。"
        "「2025-03-01 09:00」のように入力してください"
    )
    assert en_rows[1]["syncError"] == (
        'startDateTime: "令和8年2月30日 10:00" is not a real date or time;'
        " type it like 2025-03-01 09:00"
    )
    # Both edits went out; the rows with the bad date did not.
    names = {i["objectId"]: i.get("eventName") for i in sent_inputs(workspace.sandbox)}
    assert names[str(ja_rows[2]["イベントID"])].endswith("(renamed)")
    assert names[str(en_rows[2]["objectId"])].endswith("(renamed)")
    assert str(ja_rows[1]["イベントID"]) not in names
    # Sheets of both languages in one run: the terminal stays English.
    assert 'row 3: startDateTime: "令和8年2月30日 10:00" is not a real date' in result.out
    assert 'row 3: 開始日時: "令和8年2月30日 10:00" is not a real date' in result.out


def test_the_terminal_is_japanese_when_every_sheet_is_or_when_asked(workspace):
    ja_path, en_path = two_sheets(workspace)
    plan = workspace.run("plan", str(ja_path))
    assert plan.code == 1
    assert "イベント.xlsx（シートEvents）：10行、送信9、変更なし0、エラー1" in plan.out
    assert "  2行目、イベントID 5823713201（初回の同期）：" in plan.out
    assert "  3行目：開始日時：「令和8年2月30日 10:00」：存在しない日付" in plan.out
    assert "まだ何も送信していません" in plan.out

    english = workspace.run("plan", str(en_path))
    assert "events.xlsx (sheet Events): 10 rows, 9 to send, 0 unchanged, 1 invalid" in english.out

    asked = workspace.run("plan", str(en_path), EVENTSYNC_LANG="ja")
    assert "events.xlsx（シートEvents）：10行、送信9、変更なし0、エラー1" in asked.out
    assert "3行目：startDateTime：「令和8年2月30日 10:00」：存在しない日付" in asked.out


def test_a_bad_language_setting_stops_before_anything_is_sent(workspace):
    two_sheets(workspace)
    result = workspace.run("sync", EVENTSYNC_LANG="fr")
    assert result.code == 2
    assert "EVENTSYNC_LANG is 'fr'; use ja (Japanese) or en (English)" in result.err
    assert workspace.sandbox.batch_update_requests() == []


def test_a_conflict_tells_japanese_users_in_japanese_how_to_force(workspace):
    ja_path, _ = two_sheets(workspace)
    assert workspace.run("sync", str(ja_path)).code == 1
    oid = str(read_rows(ja_path)[0]["イベントID"])
    workspace.sandbox.edit_event(oid, eventName="changed in HubSpot")
    edit(ja_path, {(2, 2): "changed in the sheet"})
    result = workspace.run("sync", str(ja_path))
    assert result.code == 1
    message = read_rows(ja_path)[0]["同期エラー"]
    # HubSpot's time in the user's zone (EVENTSYNC_TIMEZONE), with the zone: not UTC.
    changed_at = Moment(workspace.sandbox.events[oid]["updatedAt"], ZoneInfo(ZONE))
    assert str(changed_at).endswith(" JST")
    assert message.startswith(f"競合：イベント名はHubSpotで{changed_at}に「changed in HubSpot」に")
    assert message.endswith(
        f"あなたの値を送るには「eventsync sync --force {oid}」を実行してください"
    )
    assert f"eventsync sync --force {oid}" in result.out


def test_line_breaks_in_a_one_line_field_are_noted_in_plan_and_in_the_row(workspace):
    rows = [row[:-1] for row in sample_rows()]  # without the custom column's value
    rows[0][1] = "Spring update\nTokyo"  # Alt+Enter in Excel
    path = workspace.sheets / "events.xlsx"
    build_workbook(rows).save(path)
    plan = workspace.run("plan")
    assert "(line breaks in eventName are sent as one line" in plan.out
    assert workspace.run("sync").code == 0
    sent = {i["objectId"]: i for i in sent_inputs(workspace.sandbox)}
    assert sent[str(rows[0][0])]["eventName"] == "Spring update Tokyo"
    after = read_rows(path)
    assert after[0]["eventName"] == "Spring update\nTokyo"  # the cell keeps what was typed
    assert after[0]["syncError"] == (
        "updated; the line breaks in eventName were sent as one line"
        " (HubSpot keeps this field on one line)"
    )
    assert after[1]["syncError"] is None
    # Nothing changed since: nothing is sent, and the note goes.
    before = len(workspace.sandbox.batch_update_requests())
    assert workspace.run("sync").code == 0
    assert len(workspace.sandbox.batch_update_requests()) == before
    assert read_rows(path)[0]["syncError"] is None


@pytest.mark.slow
@pytest.mark.posix_only("runs make, whose Makefile is POSIX shell")
def test_messages_printed_under_make_show_the_make_form(workspace, tmp_path):
    """`make sync` runs eventsync with the Makefile's marker: the conflict's advice is
    `make sync ARGS="--force ID"`, a command the user can type as it is."""
    path = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    oid = str(read_rows(path)[0]["objectId"])
    workspace.sandbox.edit_event(oid, eventName="changed in HubSpot")
    edit(path, {(2, 2): "changed in the sheet"})
    env = {
        "PATH": f"{ROOT / '.venv' / 'bin'}:/usr/bin:/bin",
        **workspace.env,
        "EVENTSYNC_SHEETS_DIR": str(workspace.sheets),
        "EVENTSYNC_STATE_DIR": str(workspace.root / ".eventsync"),
    }
    made = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "plan"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 2, made.stdout + made.stderr  # make's own code for a failed recipe
    assert f'run make sync ARGS="--force {oid}"' in made.stdout
    assert "eventsync sync --force" not in made.stdout


@pytest.mark.parametrize(
    ("words", "shown"),
    [
        (("sync", "--force"), "make sync FORCE=1"),
        (("sync", "--force", "5823713202"), 'make sync ARGS="--force 5823713202"'),
        (("sync", "--two-way"), "make sync TWO_WAY=1"),
        (("sync", "--two-way", "--add-new"), 'make sync TWO_WAY=1 ARGS="--add-new"'),
        (("pull", "--force", "sheets/events.xlsx"), "make pull FORCE=1"),
        (("pull", "--force", "other.xlsx"), ".venv/bin/eventsync pull --force other.xlsx"),
        (("pull", "--lang", "ja", "--force", "sheets/events.xlsx"), "make pull HEADERS=ja FORCE=1"),
        (
            ("pull", "--lang", "ja", "--force", "other.xlsx"),
            ".venv/bin/eventsync pull --lang ja --force other.xlsx",
        ),
        (("plan", "--json"), 'make plan ARGS="--json"'),
        (("history", "5823713202"), ".venv/bin/eventsync history 5823713202"),
    ],
)
def test_the_make_form_of_each_command(words, shown, monkeypatch):
    from eventsync.messages import command

    monkeypatch.setenv("EVENTSYNC_VIA", "make")
    assert str(command(*words)) == shown
    monkeypatch.delenv("EVENTSYNC_VIA")
    assert str(command(*words)) == "eventsync " + " ".join(words)


def test_pull_over_an_existing_workbook_says_how_to_replace_it_as_the_user_runs_it(
    workspace, monkeypatch
):
    workspace.sample_workbook()
    typed = workspace.run("pull", "sheets/events.xlsx")
    assert typed.code == 2
    assert "run eventsync pull --force sheets/events.xlsx to replace it" in typed.err
    monkeypatch.setenv("EVENTSYNC_VIA", "make")  # as the Makefile runs it
    made = workspace.run("pull", "sheets/events.xlsx")
    assert "run make pull FORCE=1 to replace it" in made.err
    japanese = workspace.run("pull", "sheets/events.xlsx", EVENTSYNC_LANG="ja")
    assert "「make pull FORCE=1」で置き換えてください" in japanese.err
