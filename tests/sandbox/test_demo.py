"""`make demo`: the whole flow against the sandbox, as a new user first sees it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from eventsync.sandbox.demo import finish

REPO = Path(__file__).resolve().parents[2]


def run_demo(folder: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`make demo` as typed in a terminal: its own process, in `folder`."""
    return subprocess.run(
        [sys.executable, "-m", "eventsync.sandbox.demo"],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(REPO),
            "PYTHONIOENCODING": "utf-8",
            **{name: str(folder) for name in ("TMPDIR", "TMP", "TEMP")},  # POSIX, Windows
            **{k: v for k, v in os.environ.items() if k.upper() == "SYSTEMROOT"},
            **env,
        },
    )


@pytest.mark.slow
def test_the_demo_runs_the_whole_flow_and_shows_what_hubspot_received(tmp_path):
    done = run_demo(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "bug" not in out + done.stderr
    assert "HubSpot received 1 request with 2 events:" in out
    # The request is shown as readable JSON, exactly as it went out.
    body = out.split("HubSpot received 1 request with 2 events:\n", 1)[1]
    body = body.split("\n", 1)[1]  # past the "POST /path" line
    document = body[: body.index("\n}") + 2]
    assert json.loads(document) == {
        "inputs": [
            {"objectId": "5823713202", "eventName": "Spring Product Update 02 (Osaka)"},
            {"objectId": "5823713206", "eventType": "Hybrid"},
        ]
    }
    assert "HubSpot's edit was kept" in out
    assert re.search(r"1 conflict\b", out)
    # Nothing is left behind in the system temp folder after a demo that went well.
    assert list(tmp_path.glob("eventsync-demo-*")) == []
    assert "The demo's scratch folder is removed." in out


@pytest.mark.slow
def test_the_demo_speaks_japanese_throughout_when_eventsync_lang_is_ja(tmp_path):
    # A Japanese user with EVENTSYNC_LANG=ja (README.ja.md) read English narration
    # around eventsync's Japanese lines (docs/first-hour-trial.md).
    done = run_demo(tmp_path, EVENTSYNC_LANG="ja")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    steps = [line for line in out.splitlines() if line.startswith("=== ")]
    assert steps[0] == "=== 【1】plan：送信される内容（まだ何も送信しません） ==="
    assert steps[-1] == "=== 完了 ==="
    assert len(steps) == 7
    for said in (
        "HubSpotが受け取った内容（リクエスト1回、イベント2件）：",
        "HubSpot側の編集は上書きされずに残りました。行に理由が書き込まれています：",
        "HTTPリクエストの回数：0",
        "デモの一時フォルダーは削除しました。自分のブックを同期するにはREADME.ja.mdを参照してください",
    ):
        assert said in out.splitlines()
    assert "競合1" in out  # eventsync's own lines are Japanese too
    english = ("HubSpot received", "HubSpot's edit", "more rows", "scratch folder", "sync again")
    assert not [word for word in english if word in out]


@pytest.mark.slow
def test_the_japanese_demo_on_a_console_without_kanji_runs_to_its_end(tmp_path):
    # cp1252 (a Western Windows console): the Japanese lines are escaped, not a crash.
    done = run_demo(tmp_path, EVENTSYNC_LANG="ja", PYTHONIOENCODING="cp1252")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "=== \\u5b8c\\u4e86 ===" in done.stdout  # 完了, escaped


def test_a_demo_that_went_wrong_keeps_its_folder_and_says_where(tmp_path, capsys):
    scratch = tmp_path / "eventsync-demo-x"
    (scratch / "sheets").mkdir(parents=True)
    finish(scratch, ok=False)
    assert (scratch / "sheets").is_dir()
    assert f"The demo's files are kept for a look: {scratch}" in capsys.readouterr().out
    finish(scratch, ok=True)
    assert not scratch.exists()
