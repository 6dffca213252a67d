"""`.env` as Windows users save it: Notepad's UTF-8 with a byte-order mark is read;
Shift-JIS (Notepad's ANSI on Japanese Windows) or UTF-16 is refused naming the file, exit
2, nothing sent; a `.env.txt` (Notepad's added extension, hidden by Windows) is named."""

from __future__ import annotations

import sys

import pytest
from helpers import TOKEN
from helpers import run_in as run

JAPANESE_COMMENT = "# HubSpot のサービスキー\n"


@pytest.fixture(autouse=True)
def as_installed(monkeypatch):
    monkeypatch.delenv("EVENTSYNC_VIA", raising=False)


def dotenv_text(sandbox) -> str:
    return (
        JAPANESE_COMMENT + f"HUBSPOT_ACCESS_TOKEN={TOKEN}\n"
        f"EVENTSYNC_BASE_URL={sandbox.url}\nEVENTSYNC_TIMEZONE=Asia/Tokyo\n"
    )


def test_a_dotenv_saved_as_utf8_with_a_byte_order_mark_is_read(workspace):
    workspace.sample_workbook()
    (workspace.root / ".env").write_bytes(dotenv_text(workspace.sandbox).encode("utf-8-sig"))
    result = run(workspace.root, "sync")  # nothing from the environment: all from .env
    assert result.code == 0, result.err
    assert len(workspace.sandbox.batch_update_requests()) == 1


@pytest.mark.parametrize(
    ("encoding", "named"),
    [("cp932", "Shift-JIS (ANSI)"), ("utf-16", "UTF-16")],
)
def test_a_dotenv_not_saved_as_utf8_is_refused_naming_the_file(workspace, encoding, named):
    workspace.sample_workbook()
    dotenv = workspace.root / ".env"
    dotenv.write_bytes(dotenv_text(workspace.sandbox).encode(encoding))
    for command in ("sync", "plan", "pull", "log"):
        result = run(workspace.root, command, *(["out.xlsx"] if command == "pull" else []))
        assert result.code == 2, (command, result.err)
        assert result.err == (
            f"eventsync: {dotenv}: is not saved as UTF-8 (it looks like {named}); open it in"
            " Notepad, choose File > Save As with Encoding UTF-8, and run again. Nothing was"
            " sent\n"
        )
    assert workspace.sandbox.requests == []
    japanese = run(workspace.root, "sync", EVENTSYNC_LANG="ja")
    assert japanese.code == 2
    assert f"{dotenv}：UTF-8で保存されていません" in japanese.err
    assert TOKEN not in japanese.err


def test_a_stray_dotenv_txt_is_named_with_the_rename_that_fixes_it(workspace):
    workspace.sample_workbook()
    stray = workspace.root / ".env.txt"
    stray.write_text(dotenv_text(workspace.sandbox), encoding="utf-8")
    result = run(workspace.root, "sync")
    assert result.code == 2
    rename = "ren .env.txt .env" if sys.platform == "win32" else "mv .env.txt .env"
    assert result.err.startswith(
        f"eventsync: HUBSPOT_ACCESS_TOKEN is not set: {stray} is there, but eventsync reads"
        f" only .env; rename it ({rename})."
    )
    assert "File name extensions" in result.err or "file name extensions" in result.err
    assert TOKEN not in result.err
    stray.rename(workspace.root / ".env")
    assert run(workspace.root, "sync").code == 0
    assert workspace.sandbox.batch_update_requests()


def test_a_stray_dotenv_txt_beside_a_dotenv_without_the_token_is_named(workspace):
    stray = workspace.root / ".env.txt"
    stray.write_text(f"HUBSPOT_ACCESS_TOKEN={TOKEN}\n", encoding="utf-8")
    (workspace.root / ".env").write_text("HUBSPOT_ACCESS_TOKEN=\n", encoding="utf-8")
    result = run(workspace.root, "sync")
    assert result.code == 2
    assert f"{stray} is there too" in result.err
    assert f"copy your key from it into {workspace.root / '.env'}" in result.err


def test_a_dotenv_without_the_token_is_named(workspace):
    dotenv = workspace.root / ".env"
    dotenv.write_text("HUBSPOT_ACCESS_TOKEN=\n", encoding="utf-8")
    result = run(workspace.root, "sync")
    assert result.code == 2
    assert result.err == (
        f"eventsync: HUBSPOT_ACCESS_TOKEN is not set in {dotenv}: open it and paste your"
        " HubSpot Service Key (or private-app token) right after HUBSPOT_ACCESS_TOKEN=\n"
    )


def test_no_dotenv_in_this_folder_points_to_init(workspace, monkeypatch):
    result = run(workspace.root, "sync")
    assert result.code == 2
    assert result.err == (
        "eventsync: HUBSPOT_ACCESS_TOKEN is not set and there is no .env in"
        f" {workspace.root}: run eventsync in the folder eventsync init made, or run"
        " eventsync init here and put your HubSpot Service Key in its .env\n"
    )
    monkeypatch.setenv("EVENTSYNC_VIA", "make")
    assert ".venv/bin/eventsync init" in run(workspace.root, "sync").err
