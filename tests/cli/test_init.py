"""`eventsync init`: a working folder a user who installed eventsync (no clone, no make)
can sync from, end to end through `eventsync.cli.main` against the sandbox."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import TOKEN, edit, read_rows
from helpers import run_in as run

from eventsync.workfolder import editor_command, env_template

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def as_installed(monkeypatch):
    """As a user runs eventsync in a shell (the Makefile sets EVENTSYNC_VIA=make)."""
    monkeypatch.delenv("EVENTSYNC_VIA", raising=False)


def paste_into_dotenv(dotenv: Path, **settings: str) -> None:
    """What the user does in Notepad: the key after HUBSPOT_ACCESS_TOKEN=, saved."""
    text = dotenv.read_text(encoding="utf-8")
    for name, value in settings.items():
        if f"\n{name}=\n" in text:
            text = text.replace(f"\n{name}=\n", f"\n{name}={value}\n")
        else:
            text += f"{name}={value}\n"
    dotenv.write_text(text, encoding="utf-8")


def test_init_then_token_then_rows_then_sync_updates_hubspot_and_the_workbook(tmp_path, sandbox):
    result = run(tmp_path, "init", "events")
    assert result.code == 0, result.err
    folder = tmp_path / "events"
    assert (folder / ".env").read_text(encoding="utf-8") == env_template()
    workbook = folder / "sheets" / "events.xlsx"
    assert read_rows(workbook) == []  # an empty template, headers only
    lines = result.out.splitlines()
    assert lines[:4] == [
        "created events",
        f"created {Path('events/.env')}",
        f"created {Path('events/sheets')}",
        f"created {Path('events/sheets/events.xlsx')}",
    ]
    assert lines[4] == "Next:"
    steps = "\n".join(lines[5:])
    assert "1. go to the working folder, where the steps below are run: cd events" in steps
    assert "HUBSPOT_ACCESS_TOKEN=" in steps
    assert f"eventsync pull --force {Path('sheets/events.xlsx')}" in steps
    assert "eventsync plan shows what would be sent" in steps
    assert "eventsync sync sends your changes" in steps
    assert "make" not in result.out and "templates/" not in result.out
    assert result.err == ""
    assert sandbox.requests == []  # init never talks to HubSpot

    paste_into_dotenv(
        folder / ".env",
        HUBSPOT_ACCESS_TOKEN=TOKEN,
        EVENTSYNC_BASE_URL=sandbox.url,
        EVENTSYNC_TIMEZONE="Asia/Tokyo",
    )
    edit(
        workbook,
        {(2, 1): 5823713201, (2, 2): "Renamed in Excel", (3, 1): 5823713202, (3, 2): "Second"},
    )
    planned = run(folder, "plan")
    assert planned.code == 0, planned.err
    synced = run(folder, "sync")
    assert synced.code == 0, synced.err
    assert sandbox.events["5823713201"]["eventName"] == "Renamed in Excel"
    rows = read_rows(workbook)
    assert [row["objectId"] for row in rows] == [5823713201, 5823713202]
    for row in rows:
        assert row["updatedAt"] == sandbox.events[str(row["objectId"])]["updatedAt"]
        assert row["syncError"] is None


def test_init_in_japanese_writes_japanese_headers_and_sets_japanese_messages(tmp_path):
    result = run(tmp_path, "init", "--lang", "ja")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == ".envを作成しました"
    assert "次の手順：" in result.out
    assert "eventsync pull --lang ja --force" in result.out
    assert "cd " not in result.out  # already in the working folder
    headers = read_rows_header(tmp_path / "sheets" / "events.xlsx")
    assert "イベントID" in headers and "同期エラー" in headers
    dotenv = (tmp_path / ".env").read_text(encoding="utf-8")
    assert "\nEVENTSYNC_LANG=ja " in dotenv
    assert dotenv.isascii()  # the same bytes in UTF-8 and Shift-JIS: no editor can break it
    # The setting it wrote is read: a later message is in Japanese.
    missing = run(tmp_path, "sync")
    assert missing.code == 2
    assert "HUBSPOT_ACCESS_TOKENが設定されていません" in missing.err


def read_rows_header(path: Path) -> list[str]:
    from openpyxl import load_workbook

    return [str(cell.value) for cell in next(load_workbook(path)["Events"].iter_rows(max_row=1))]


def test_init_keeps_an_existing_dotenv_and_workbook_byte_for_byte(tmp_path):
    (tmp_path / ".env").write_bytes(b"HUBSPOT_ACCESS_TOKEN=" + TOKEN.encode() + b"\n")
    (tmp_path / "sheets").mkdir()
    book = tmp_path / "sheets" / "events.xlsx"
    assert run(tmp_path, "template", str(book)).code == 0
    edit(book, {(2, 2): "mine"})
    before = {path: path.read_bytes() for path in (tmp_path / ".env", book)}
    result = run(tmp_path, "init")
    assert result.code == 0, result.err
    assert {path: path.read_bytes() for path in before} == before
    assert "kept .env: it is already there, nothing in it changed" in result.out
    assert "kept sheets: it already holds events.xlsx, so no empty workbook was added" in result.out
    assert "created" not in result.out
    assert "HUBSPOT_ACCESS_TOKEN=" not in result.out  # the token is set: no step for it
    assert TOKEN not in result.out
    assert sorted(p.name for p in (tmp_path / "sheets").iterdir()) == ["events.xlsx"]


def test_init_adds_no_empty_workbook_beside_sheets_already_there(tmp_path):
    (tmp_path / "sheets").mkdir()
    (tmp_path / "sheets" / "planning.csv").write_text("objectId,eventName\n", encoding="utf-8")
    result = run(tmp_path, "init")
    assert result.code == 0, result.err
    assert sorted(p.name for p in (tmp_path / "sheets").iterdir()) == ["planning.csv"]
    assert "kept sheets: it already holds planning.csv" in result.out
    assert "pull --force" not in result.out
    assert (tmp_path / ".env").is_file()


def test_init_uses_the_sheets_folder_an_existing_dotenv_names(tmp_path):
    (tmp_path / ".env").write_text("EVENTSYNC_SHEETS_DIR=My Events\n", encoding="utf-8")
    assert run(tmp_path, "init").code == 0
    assert (tmp_path / "My Events" / "events.xlsx").is_file()
    assert not (tmp_path / "sheets").exists()


def test_init_on_a_file_is_refused_with_exit_2_and_creates_nothing(tmp_path):
    (tmp_path / "events").write_text("not a folder", encoding="utf-8")
    result = run(tmp_path, "init", "events")
    assert result.code == 2
    assert result.err == (
        f"eventsync: {tmp_path / 'events'}: is a file, not a folder; name a folder for your"
        " events (it is created if it does not exist)\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events"]
    japanese = run(tmp_path, "init", "events", "--lang", "ja")
    assert japanese.code == 2
    assert "フォルダーではなくファイルです" in japanese.err


def test_init_with_a_bad_setting_in_the_existing_dotenv_exits_2_naming_it(tmp_path):
    (tmp_path / ".env").write_text("EVENTSYNC_BATCH_SIZE=0\n", encoding="utf-8")
    result = run(tmp_path, "init")
    assert result.code == 2
    assert "EVENTSYNC_BATCH_SIZE" in result.err
    assert not (tmp_path / "sheets").exists()


def test_init_names_a_stray_dotenv_txt(tmp_path):
    (tmp_path / ".env.txt").write_text(f"HUBSPOT_ACCESS_TOKEN={TOKEN}\n", encoding="utf-8")
    result = run(tmp_path, "init")
    assert result.code == 0
    assert ".env.txt is there too" in result.out
    assert "copy the key into .env and delete .env.txt" in result.out
    assert TOKEN not in result.out


@pytest.mark.posix_only("make and the POSIX Makefile: Windows users run eventsync itself")
def test_under_make_the_next_steps_are_make_targets(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTSYNC_VIA", "make")
    result = run(tmp_path, "init")
    assert result.code == 0
    assert "make plan shows" in result.out and "make sync sends" in result.out
    assert "make pull FORCE=1 shows" not in result.out
    assert "make pull FORCE=1" in result.out  # sheets/events.xlsx is make pull's own file


def test_the_dotenv_template_shipped_in_the_package_is_the_repositorys_env_example():
    assert env_template() == (ROOT / ".env.example").read_text(encoding="utf-8")
    assert "HUBSPOT_ACCESS_TOKEN=\n" in env_template()


@pytest.mark.parametrize(
    ("platform", "expected"),
    [("win32", "notepad .env"), ("darwin", "open -e .env"), ("linux", None)],
)
def test_the_editor_named_for_dotenv_keeps_its_name(platform, expected):
    # Notepad opening a file by name saves it under that name: no .txt is added.
    assert editor_command(".env", platform) == expected


def test_an_empty_sheets_folder_suggests_a_template_command_the_user_has(tmp_path):
    (tmp_path / "sheets").mkdir()
    result = run(tmp_path, "plan")
    assert result.code == 2
    assert result.err == (
        f"eventsync: {tmp_path / 'sheets'}: no .xlsx, .xlsm or .csv file in it; put your events"
        f" workbook there (or start from an empty one: eventsync template"
        f" {Path('sheets/events.xlsx')})\n"
    )
    assert "templates/" not in result.err
    made = run(tmp_path, "template", str(Path("sheets/events.xlsx")))
    assert made.code == 0, made.err
    assert run(tmp_path, "plan").code == 0


@pytest.mark.posix_only("make and the POSIX Makefile: Windows users run eventsync itself")
def test_under_make_an_empty_sheets_folder_suggests_the_venvs_eventsync(tmp_path, monkeypatch):
    (tmp_path / "sheets").mkdir()
    monkeypatch.setenv("EVENTSYNC_VIA", "make")
    under_make = run(tmp_path, "plan")
    assert "(or start from an empty one: .venv/bin/eventsync template sheets/events.xlsx)" in (
        under_make.err
    )


def test_without_lang_init_speaks_the_language_an_existing_dotenv_sets(tmp_path):
    (tmp_path / ".env").write_text("EVENTSYNC_LANG=ja\n", encoding="utf-8")
    result = run(tmp_path, "init")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == ".envは既にあるので、そのままにしました"
    assert "イベントID" in read_rows_header(tmp_path / "sheets" / "events.xlsx")


@pytest.mark.slow
def test_the_installed_console_script_sets_up_a_folder_in_a_real_process(tmp_path):
    """The `eventsync` command pip or uv put beside this Python (what PATH finds after
    `uv tool install`), with real stdout; the wheel itself is checked in docs/install.md."""
    script = Path(sys.executable).with_name("eventsync.exe" if os.name == "nt" else "eventsync")
    if os.name == "nt" and not script.exists():
        # make test-windows runs eventsync from the source tree, never installed there;
        # tools/windows/first-sync installs the wheel and runs the same first steps.
        pytest.skip("no installed eventsync.exe: tools/windows/first-sync covers it")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVENTSYNC_", "HUBSPOT_"))}
    done = subprocess.run(
        [str(script), "init", "my events", "--lang", "ja"],
        cwd=tmp_path,
        env={**env, "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode("utf-8")
    assert f"{Path('my events/sheets/events.xlsx')}を作成しました" in out
    assert "「eventsync plan」で送信内容" in out
    assert (tmp_path / "my events" / ".env").read_text(encoding="utf-8").startswith("# eventsync")
