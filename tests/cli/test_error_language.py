"""Errors and warnings about files, the lock and the settings, as a user sees them: in
English by default, in Japanese with EVENTSYNC_LANG=ja, and the commands they suggest
as the user runs eventsync (`eventsync sync`, or `make sync` under the Makefile)."""

from __future__ import annotations

import os

import pytest

from eventsync.state.database import DB_NAME
from eventsync.state.lock import run_lock


@pytest.fixture(autouse=True)
def typed_by_hand(monkeypatch):
    """As a user runs eventsync in a shell (the Makefile sets EVENTSYNC_VIA=make)."""
    monkeypatch.delenv("EVENTSYNC_VIA", raising=False)


def open_in_excel(workspace):
    path = workspace.sample_workbook()
    (workspace.sheets / "~$events.xlsx").write_bytes(b"\x0dYamada Hanako")
    return path


def test_a_workbook_open_in_excel_is_reported_in_english_by_default(workspace):
    path = open_in_excel(workspace)
    before = path.read_bytes()
    result = workspace.run("sync")
    assert result.code == 1, result.out + result.err
    shown = result.out + result.err
    assert (
        "events.xlsx is open in Excel; close it and run eventsync sync again"
        ": 20 results are waiting" in shown
    ), shown
    assert "make sync" not in shown
    assert path.read_bytes() == before


def test_a_workbook_open_in_excel_is_reported_in_japanese_when_asked(workspace):
    path = open_in_excel(workspace)
    before = path.read_bytes()
    result = workspace.run("sync", EVENTSYNC_LANG="ja")
    assert result.code == 1, result.out + result.err
    shown = result.out + result.err
    assert (
        "events.xlsxがExcelで開かれています。閉じてから、もう一度「eventsync sync」を実行して"
        "ください（20件の結果が書き込みを待っています）" in shown
    ), shown
    assert "is open in Excel" not in shown
    assert path.read_bytes() == before


def test_a_workbook_open_in_excel_under_make_says_make_sync(workspace, monkeypatch):
    open_in_excel(workspace)
    monkeypatch.setenv("EVENTSYNC_VIA", "make")  # as the Makefile runs it
    english = workspace.run("sync")
    assert "close it and run make sync again: 20 results are waiting" in english.out, english
    assert "eventsync sync" not in english.out + english.err
    japanese = workspace.run("sync", EVENTSYNC_LANG="ja")
    assert "閉じてから、もう一度「make sync」を実行してください" in japanese.out, japanese


def test_another_run_holding_the_lock_is_told_in_its_language(workspace):
    workspace.sample_workbook()
    lock = workspace.root / ".eventsync" / "sync.lock"
    with run_lock(workspace.root / ".eventsync"):
        english = workspace.run("sync")
        japanese = workspace.run("sync", EVENTSYNC_LANG="ja")
    assert english.code == japanese.code == 2
    assert english.err == (
        f"eventsync: another sync is running (pid {os.getpid()}); wait for it to finish"
        f" (lock: {lock})\n"
    )
    assert japanese.err == (
        f"eventsync: 別の同期が実行中です（pid {os.getpid()}）。終わるまでお待ちください"
        f"（ロック：{lock}）\n"
    )
    assert workspace.sandbox.batch_update_requests() == []


def test_a_running_watch_holding_the_lock_is_named(workspace, monkeypatch):
    workspace.sample_workbook()
    with run_lock(workspace.root / ".eventsync", holder="watch"):
        english = workspace.run("sync")
        japanese = workspace.run("sync", EVENTSYNC_LANG="ja")
        monkeypatch.setenv("EVENTSYNC_VIA", "make")  # as `make sync` runs it
        via_make = workspace.run("sync")
    assert english.code == japanese.code == via_make.code == 2
    assert "eventsync watch is running" in english.err
    # It says how to stop watch, with a command that works where the user is.
    assert "to sync by hand, stop it first: Ctrl-C in its window, or run" in english.err
    assert "eventsync watch --stop (lock:" in english.err
    assert "eventsync watchが実行中です" in japanese.err
    assert (
        "watchのウィンドウでCtrl-Cを押すか、「eventsync watch --stop」を実行します" in japanese.err
    )
    assert 'run make watch ARGS="--stop" (lock:' in via_make.err


def test_a_missing_token_is_reported_in_english_and_in_japanese(workspace, monkeypatch):
    workspace.sample_workbook()
    english = workspace.run("sync", HUBSPOT_ACCESS_TOKEN="")
    assert english.code == 2
    assert english.err == (
        "eventsync: HUBSPOT_ACCESS_TOKEN is not set and there is no .env in"
        f" {workspace.root}: run eventsync in the folder eventsync init made, or run"
        " eventsync init here and put your HubSpot Service Key in its .env\n"
    )
    japanese = workspace.run("sync", HUBSPOT_ACCESS_TOKEN="", EVENTSYNC_LANG="ja")
    assert japanese.code == 2
    assert japanese.err.startswith("eventsync: HUBSPOT_ACCESS_TOKENが設定されておらず、")
    assert "「eventsync init」で作ったフォルダーで" in japanese.err
    monkeypatch.setenv("EVENTSYNC_VIA", "make")  # under make, the command as make users run it
    assert ".venv/bin/eventsync init" in workspace.run("sync", HUBSPOT_ACCESS_TOKEN="").err
    assert workspace.sandbox.requests == []


def test_every_bad_setting_is_one_line_in_japanese(workspace):
    result = workspace.run(
        "plan",
        EVENTSYNC_LANG="ja",
        EVENTSYNC_TIMEZONE="Tokyo",
        EVENTSYNC_BATCH_SIZE="500",
        EVENTSYNC_API_VERSION="v4",
        EVENTSYNC_BASE_URL="http://example.com",
        HUBSPOT_ACCESS_TOKEN="pat-na1-\u200babc",
    )
    assert result.code == 2
    lines = result.err.splitlines()
    assert len(lines) == 5, result.err
    assert all(line.startswith("eventsync: ") for line in lines)
    text = result.err
    assert "HUBSPOT_ACCESS_TOKENにトークンに使えない文字が含まれています（9文字目：U+200B" in text
    assert "EVENTSYNC_BASE_URL：「http://example.com」：httpではトークンが暗号化されずに" in text
    assert "EVENTSYNC_API_VERSIONが「v4」になっています。指定できるのはv3、2026-03、" in text
    assert "EVENTSYNC_TIMEZONEが「Tokyo」になっていますが、これはタイムゾーン名では" in text
    assert "EVENTSYNC_BATCH_SIZEが「500」になっています。1から100までの整数を" in text
    assert "pat-na1" not in text


def test_no_sheets_folder_suggests_naming_the_file_as_the_user_runs_it(workspace, monkeypatch):
    missing = workspace.root / "elsewhere"
    english = workspace.run("plan", EVENTSYNC_SHEETS_DIR="elsewhere")
    assert english.code == 2
    assert english.err == (
        f"eventsync: {missing}: no sheets folder; run eventsync init to make it with an empty"
        " events workbook, or create it and put your events workbook in it, or name the file:"
        " eventsync plan PATH\n"
    )
    japanese = workspace.run("plan", EVENTSYNC_SHEETS_DIR="elsewhere", EVENTSYNC_LANG="ja")
    assert japanese.err == (
        f"eventsync: {missing}：シートのフォルダーがありません。「eventsync init」で空のイベントの"
        "ブックと一緒に作成するか、作成してイベントのブックを入れるか、ファイルを指定して"
        "ください：「eventsync plan PATH」\n"
    )
    monkeypatch.setenv("EVENTSYNC_VIA", "make")
    made = workspace.run("plan", EVENTSYNC_SHEETS_DIR="elsewhere")
    assert made.err.endswith('or name the file: make plan ARGS="PATH"\n')


def test_an_ods_file_beside_the_sheets_is_named_in_japanese(workspace):
    workspace.sample_workbook()
    (workspace.sheets / "予算.ods").write_bytes(b"PK\x03\x04")
    result = workspace.run("plan", EVENTSYNC_LANG="ja")
    assert result.code == 0, result.err
    assert (
        "次のファイルは同期しませんでした：予算.ods：OpenDocumentのスプレッドシートで、"
        "eventsyncでは同期できません。" in result.err
    )
    assert "ファイル>名前を付けて保存" in result.err
    (workspace.sheets / "events.xlsx").unlink()
    alone = workspace.run("plan", EVENTSYNC_LANG="ja")
    assert alone.code == 2
    assert "：.xlsx、.xlsm、.csvのファイルがありません。予算.ods：" in alone.err


def test_a_damaged_state_database_says_how_to_reseed_it_as_the_user_runs_it(workspace, monkeypatch):
    workspace.sample_workbook()
    path = workspace.root / ".eventsync" / DB_NAME
    path.parent.mkdir()
    path.write_bytes(b"garbage" * 1000)
    english = workspace.run("plan")
    assert english.code == 2
    assert english.err.startswith(f"eventsync: {path}: the state database is damaged (")
    assert "(then eventsync pull re-seeds it, or the next sync sends every row once)" in (
        english.err
    )
    japanese = workspace.run("plan", EVENTSYNC_LANG="ja")
    assert japanese.err.startswith(f"eventsync: {path}：状態データベースが壊れています（")
    assert "その後「eventsync pull」で記録し直せます" in japanese.err
    monkeypatch.setenv("EVENTSYNC_VIA", "make")
    assert "(then make pull re-seeds it" in workspace.run("plan").err


def test_history_of_a_bad_id_shows_the_example_as_the_user_runs_it(workspace, monkeypatch):
    english = workspace.run("history", "abc")
    assert english.code == 2
    assert english.err == (
        "eventsync: history abc: an objectId is a number (copy it from the sheet's objectId"
        " column, e.g. eventsync history 5823713216)\n"
    )
    japanese = workspace.run("history", "abc", EVENTSYNC_LANG="ja")
    assert japanese.err.startswith("eventsync: history abc：objectIdは数字です（")
    assert japanese.err.endswith("例：「eventsync history 5823713216」）\n")
    monkeypatch.setenv("EVENTSYNC_VIA", "make")
    made = workspace.run("history", "abc")
    assert made.err.endswith("e.g. .venv/bin/eventsync history 5823713216)\n")
    none = workspace.run("history", "5823713216", EVENTSYNC_LANG="ja")
    assert none.code == 0
    assert none.out.startswith("まだ同期の記録がありません（")


def test_counted_words_follow_the_count_in_english_and_not_in_japanese():
    from eventsync.messages import Text, command, localise

    one = Text("write.open", file="a.xlsx", program="Excel", again=command("sync"), count=1)
    assert one.endswith(": 1 result is waiting")
    assert localise(one, "ja").endswith("（1件の結果が書き込みを待っています）")
    assert Text("write.lost", file="a.xlsx", column="objectId", count=1).endswith(
        "but 1 result for events no longer in it was not written"
    )
    assert Text("write.lost", file="a.xlsx", column="objectId", count=2).endswith(
        "but 2 results for events no longer in it were not written"
    )
