"""What the first hour's walk from a fresh clone met (docs/first-hour-trial.md), end to
end through `eventsync.cli.main`: plan's last line when nothing is to be sent."""

from __future__ import annotations

from openpyxl import load_workbook

from eventsync.output.property_types import defined_names

NOTHING_EN = "Nothing to send; nothing was sent."
NOTHING_JA = "送信する変更はありません。何も送信していません。"


def test_plan_with_nothing_to_send_says_so_in_english_and_in_japanese(workspace):
    workspace.sample_workbook()
    assert workspace.run("sync").code == 0  # every row in step with HubSpot
    english = workspace.run("plan")
    japanese = workspace.run("plan", EVENTSYNC_LANG="ja")
    assert english.code == japanese.code == 0, english.err
    assert NOTHING_EN in english.out.splitlines()
    assert NOTHING_JA in japanese.out.splitlines()
    # Not "Would send 0 events in 0 requests", which reads as something to be sent.
    assert "0 requests" not in english.out and "0回のリクエスト" not in japanese.out


def test_plan_with_only_a_row_held_back_says_nothing_is_to_be_sent(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    sent_before = len(workspace.sandbox.batch_update_requests())
    workbook = load_workbook(book)
    workbook.active["H5"] = "2026/13/01"  # a mistake in a date, as typed into Excel
    workbook.save(book)
    workbook.close()
    result = workspace.run("plan")
    assert result.code == 1
    assert '  row 5: startDateTime: "2026/13/01" is not a real date or time' in result.out
    assert NOTHING_EN in result.out.splitlines()
    assert len(workspace.sandbox.batch_update_requests()) == sent_before


def test_plan_names_a_custom_propertys_type_in_the_users_language(workspace):
    workspace.sample_workbook()
    english = workspace.run("plan")
    japanese = workspace.run("plan", EVENTSYNC_LANG="ja")
    assert "Custom properties defined in HubSpot: region (string)." in english.out
    # Not `region (enumeration)` in a Japanese line: the word of HubSpot's Japanese menus.
    assert "HubSpotに定義されているカスタムプロパティ：region（テキスト）。" in japanese.out
    assert "(string)" not in japanese.out


def test_every_type_hubspot_names_has_its_japanese_word_and_an_unknown_one_stays():
    defined = {"region": "enumeration", "budget": "number", "kickoff": "datetime", "x": "odd"}
    names = ["region", "budget", "kickoff", "x"]
    assert (
        defined_names(names, defined, "ja")
        == "region（選択肢）、budget（数値）、kickoff（日時）、x（odd）"
    )
    assert defined_names(names, defined, "en") == (
        "region (enumeration), budget (number), kickoff (datetime), x (odd)"
    )


def test_plan_that_cannot_read_hubspot_suggests_the_plan_without_the_check_not_a_sync(workspace):
    # The sandbox stopped (Ctrl-C) while a row waits to be sent: plan said "run eventsync
    # sync --no-remote-check", a sync that overwrites HubSpot's edits unwarned, to a user
    # who asked for a dry run.
    workspace.csv_sheet("events.csv", [["objectId", "eventName"], ["5823713201", "Renamed"]])
    for n in range(1, 50):
        workspace.sandbox.script_fault(n, status=503, body={"message": "down"})
    english = workspace.run("plan", EVENTSYNC_MAX_RETRIES="0")
    japanese = workspace.run("plan", EVENTSYNC_MAX_RETRIES="0", EVENTSYNC_LANG="ja")
    assert english.code == japanese.code == 1
    said = english.out + english.err
    assert (
        "conflicts are not shown. Run again later, or run eventsync plan --no-remote-check" in said
    )
    assert "sync --no-remote-check" not in said and "Nothing was sent: eventsync checks" not in said
    told = japanese.out + japanese.err
    assert (
        "確認なしで送信内容を見るには「eventsync plan --no-remote-check」を実行してください" in told
    )
    assert "sync --no-remote-check" not in told
    assert workspace.sandbox.batch_update_requests() == []
    # The dry run it suggests works, and sends nothing.
    unchecked = workspace.run("plan", "--no-remote-check")
    assert unchecked.code == 0, unchecked.err
    assert workspace.sandbox.batch_update_requests() == []


def test_pull_in_japanese_over_an_existing_workbook_suggests_a_japanese_pull(
    workspace, monkeypatch
):
    # `make pull HEADERS=ja` a second time: the advice was `make pull FORCE=1`, which
    # replaces the Japanese workbook with an English one.
    workspace.sample_workbook()
    by_hand = workspace.run("pull", "--lang", "ja", "sheets/events.xlsx", EVENTSYNC_LANG="ja")
    assert by_hand.code == 2
    assert (
        "「eventsync pull --lang ja --force sheets/events.xlsx」で置き換えてください" in by_hand.err
    )
    monkeypatch.setenv("EVENTSYNC_VIA", "make")  # as `make pull HEADERS=ja` runs it
    via_make = workspace.run("pull", "--lang", "ja", "sheets/events.xlsx", EVENTSYNC_LANG="ja")
    assert via_make.code == 2
    assert "「make pull HEADERS=ja FORCE=1」で置き換えてください" in via_make.err
    english = workspace.run("pull", "sheets/events.xlsx")
    assert "make pull FORCE=1 to replace it" in english.err and "HEADERS" not in english.err
