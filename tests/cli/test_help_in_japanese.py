"""`eventsync --help` and each command's help, in the user's language: Japanese from
the first word to the last with EVENTSYNC_LANG=ja (the environment or the folder's
.env), and English exactly as argparse always printed it otherwise. Through `main()`,
as a user types it; argparse prints the help on stdout and exits 0."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from eventsync.arguments import command_names
from eventsync.cli import main

# Two lower-case English words in a row: a sentence (or a piece of one) in English.
ENGLISH = re.compile(r"\b[a-z]{2,}[ ,;:'-]+[a-z]{2,}\b")
# What stays ASCII in Japanese help: options (--no-remote-check), the program and its
# commands (eventsync sync), choices ({install,uninstall,...}), file and setting names.
NAMES = re.compile(r"--?[\w-]+|eventsync \w+|\{[\w,]+\}|\.env|EVENTSYNC_\w+=\w+|OUT\.xlsx")


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # argparse wraps the help to the terminal's width


def help_of(capsys: pytest.CaptureFixture[str], folder: Path, *argv: str, **env: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main(list(argv), env=env, cwd=folder)
    assert exited.value.code == 0
    said = capsys.readouterr()
    assert said.err == ""
    return said.out


def english_in(said: str) -> list[str]:
    return ENGLISH.findall(NAMES.sub(" ", said))


def columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize(
    "argv", [("--help",), ("-h",)] + [(name, "--help") for name in command_names()]
)
def test_the_help_is_japanese_with_eventsync_lang_ja(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: tuple[str, ...]
) -> None:
    said = help_of(capsys, tmp_path, *argv, EVENTSYNC_LANG="ja")
    assert said.startswith("使い方：eventsync ")
    assert "オプション：\n" in said
    assert english_in(said) == []
    # wrapped by the columns a line takes (a kanji takes two), not by its characters
    assert max(columns(line) for line in said.splitlines()) <= 80


def test_the_top_help_says_every_command_in_japanese(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    said = help_of(capsys, tmp_path, "--help", EVENTSYNC_LANG="ja")
    assert "マーケティングイベントのスプレッドシートとHubSpotアカウントを同期します。" in said
    assert "  -h, --help  このヘルプを表示して終了します\n" in said
    assert "引数：\n" in said
    for name in command_names():
        assert re.search(rf"^    {name} +\S", said, re.MULTILINE), name


def test_the_folders_env_makes_the_help_japanese(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("EVENTSYNC_LANG=ja\n", encoding="utf-8")
    said = help_of(capsys, tmp_path, "sync", "--help")
    assert said.startswith("使い方：eventsync sync ")
    assert "HubSpotでだけ変更された項目もシートに取り込みます" in said
    assert english_in(said) == []


def test_eventsync_alone_shows_the_japanese_help(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main([], env={"EVENTSYNC_LANG": "ja"}, cwd=tmp_path) == 0
    said = capsys.readouterr().out
    assert said.startswith("使い方：eventsync ")
    assert english_in(said) == []


TOP_HELP = """\
usage: eventsync [-h] [--version] COMMAND ...

Keep a spreadsheet of marketing events and a HubSpot portal in step.

positional arguments:
  COMMAND
    sync      send every changed row to HubSpot and annotate the sheet
    plan      dry run: show what sync would send, and every problem; sends
              nothing
    init      set up a working folder: .env, the sheets folder, an events
              workbook
    pull      write a new workbook holding every marketing event of the portal
    template  write an empty events workbook to start from
    log       show the run log of the last sync
    history   show every change recorded for an event, newest first
    watch     sync each sheet whenever it is saved, until stopped
    service   run watch in the background: install, uninstall, status, start,
              stop

options:
  -h, --help  show this help message and exit
  --version   show program's version number and exit
"""

# After its usage lines (argparse's own wrapping of them varies between versions)
SYNC_HELP = """\
send every changed row to HubSpot and annotate the sheet

positional arguments:
  PATH                  sheets to use (default: all in the sheets folder)

options:
  -h, --help            show this help message and exit
  --debug               show tracebacks of unexpected errors
  --json                print JSON for scripts
  --no-remote-check     don't read HubSpot first: faster, but an edit made in
                        HubSpot can be overwritten
  --two-way             also bring fields changed only in HubSpot into the
                        sheet
  --force [OBJECTID[,OBJECTID]]
                        send the sheet's values where HubSpot changed the same
                        field: for every event, or only for these
  --add-new             with --two-way: append events that are in HubSpot but
                        not in the sheet
  --allow-deletes       delete the events of every row marked Delete, even
                        more than 5 or most of a sheet
  --create-contacts     participants: also send emails HubSpot has no contact
                        for (it creates them)
"""


@pytest.mark.parametrize("env", [{}, {"EVENTSYNC_LANG": "en"}])
def test_the_english_help_is_as_it_always_was(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, env: dict[str, str]
) -> None:
    assert help_of(capsys, tmp_path, "--help", **env) == TOP_HELP
    said = help_of(capsys, tmp_path, "sync", "--help", **env)
    usage, rest = said.split("\n\n", 1)
    assert usage.startswith("usage: eventsync sync [-h] [--debug] [--json] [--no-remote-check]")
    assert rest == SYNC_HELP
