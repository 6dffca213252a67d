"""What eventsync prints besides refusals, in Japanese with EVENTSYNC_LANG=ja: an event's
history (`eventsync history OBJECTID`) and the line for a folder with no run log yet."""

from __future__ import annotations

import re

from helpers import Workspace

ID = "5823713201"
ENGLISH = re.compile(r"\b[a-z]{2,}[ ,;:'-]+[a-z]{2,}\b")


def test_an_event_s_history_is_said_in_japanese(workspace: Workspace) -> None:
    path = workspace.csv_sheet("events.csv", [["objectId", "eventName"], [ID, "春のセミナー"]])
    assert workspace.run("sync").code == 0
    path.write_text(f"objectId,eventName\n{ID},秋のセミナー\n", encoding="utf-8")
    assert workspace.run("sync").code == 0
    result = workspace.run("history", ID, EVENTSYNC_LANG="ja")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("「http://127.0.0.1:"), lines[0]  # the portal, as it is named
    assert lines[0].endswith(f"のイベント{ID}の変更履歴（新しい順）"), lines[0]
    assert re.search(
        r"eventName：\"春のセミナー\"→\"秋のセミナー\"（送信、events\.csvの2行目。", lines[1]
    )
    assert ENGLISH.findall(result.out.replace(str(workspace.root), "")) == [], result.out
    english = workspace.run("history", ID)
    assert 'eventName: "春のセミナー" -> "秋のセミナー"  (sent, events.csv row 2;' in english.out


def test_an_event_never_synced_and_no_log_yet_are_said_in_japanese(workspace: Workspace) -> None:
    workspace.csv_sheet("events.csv", [["objectId", "eventName"], [ID, "春のセミナー"]])
    assert workspace.run("sync").code == 0
    never = workspace.run("history", "5823713299", EVENTSYNC_LANG="ja")
    assert never.code == 0, never.err
    assert (
        "（変更の記録はありません。このフォルダーからこのイベントを同期したことはありません）"
        in never.out
    )
    (workspace.root / ".eventsync" / "logs").mkdir(parents=True, exist_ok=True)
    for log in (workspace.root / ".eventsync" / "logs").iterdir():
        log.unlink()
    none = workspace.run("log", EVENTSYNC_LANG="ja")
    assert none.code == 0
    assert none.out.startswith("まだ同期のログがありません（"), none.out


def test_the_run_log_is_said_in_japanese(workspace: Workspace) -> None:
    workspace.csv_sheet("events.csv", [["objectId", "eventName"], [ID, "春のセミナー"]])
    assert workspace.run("sync").code == 0
    result = workspace.run("log", EVENTSYNC_LANG="ja")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("実行ログ："), lines[0]
    assert any("\u3000開始：events.csvのsync" in line for line in lines), lines
    assert any("：送信1、更新1、失敗0、エラー0" in line for line in lines), lines
    assert any("\u3000終了（終了コード0）" in line for line in lines), lines
    words = re.sub(r"[/\\]\S*", "", result.out.replace(str(workspace.root), ""))  # paths, routes
    assert ENGLISH.findall(words) == [], result.out
    english = workspace.run("log")
    assert "events.csv: 1 sent, 1 updated, 0 failed, 0 invalid" in english.out, english.out


def test_how_a_run_ended_is_said_in_the_language_the_log_is_read_in(workspace: Workspace) -> None:
    workspace.csv_sheet("events.csv", [["objectId", "eventName"], [ID, "春のセミナー"]])
    assert workspace.run("sync").code == 0
    workspace.csv_sheet("events.csv", [["objectId", "eventName"], [ID, "秋のセミナー"]])
    workspace.sandbox.configure(token="pat-rotated-by-an-admin")  # the run's token: refused
    assert workspace.run("sync").code == 3  # an English run: its log keeps both languages
    japanese = workspace.run("log", EVENTSYNC_LANG="ja")
    [ended] = [line for line in japanese.out.splitlines() if "終了（終了コード3）：" in line]
    assert "HubSpotがアクセストークンを拒否しました（401" in ended, ended
    assert ENGLISH.findall(ended.split("：", 1)[1].replace("HUBSPOT_ACCESS_TOKEN", "")) == [], ended
    english = workspace.run("log")
    assert "finished with exit code 3: HubSpot refused the access token (401" in english.out
