"""argparse's own usage errors (`eventsync sync --bogus`, `eventsync watch --quiet-seconds`
with no value, a mistyped option or choice) in the user's language: Japanese from the
usage line to the last word with EVENTSYNC_LANG=ja (the environment or the folder's
.env), English exactly as argparse prints it otherwise, and argparse's English whole
for a message the catalogue does not know. Through `main()`, as a user types it:
argparse prints on stderr and exits 2, before anything is read or sent."""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path

import pytest

from eventsync.arguments import JapaneseHelp, Parser
from eventsync.cli import main

# Two lower-case English words in a row: a sentence (or a piece of one) in English.
ENGLISH = re.compile(r"\b[a-z]{2,}[ ,;:'-]+[a-z]{2,}\b")
# What stays ASCII in a Japanese usage error: options (--quiet-seconds), the program and
# its commands (eventsync watch), the usage line's choices ({install,...}) and argparse's
# list of them ('install', 'uninstall' or install, uninstall), the values typed 「...」.
NAMES = re.compile(r"--?[\w-]+|eventsync \w+|\{[\w,]+\}|「[^」]*」|'?\w+'?(?:, '?\w+'?)+")

# (what is typed, the English error line as argparse prints it on every Python from 3.11
# (a pattern), the Japanese one)
CASES = [
    # the main parser
    (
        ["--bogus", "sync"],
        r"eventsync: error: unrecognized arguments: --bogus",
        "eventsync: エラー：解釈できない引数があります：「--bogus」",
    ),
    (
        ["--debug"],
        r"eventsync: error: the following arguments are required: COMMAND",
        "eventsync: エラー：次の引数を指定してください：COMMAND",
    ),
    (
        ["--debug", "snyc"],
        r"eventsync: error: argument COMMAND: invalid choice: 'snyc' \(choose from "
        r"'?sync'?, '?plan'?, .*'?service'?\)",
        "eventsync: エラー：「COMMAND」：「snyc」は選べません。次のどれかにしてください：",
    ),
    (
        ["--version=2"],
        r"eventsync: error: argument --version: ignored explicit argument '2'",
        "eventsync: エラー：「--version」：値を取らないオプションです。「2」を外してください",
    ),
    # a command's parser
    (
        ["sync", "--bogus"],  # argparse's main parser reports what no parser took
        r"eventsync: error: unrecognized arguments: --bogus",
        "eventsync: エラー：解釈できない引数があります：「--bogus」",
    ),
    (
        ["watch", "--quiet-seconds"],
        r"eventsync watch: error: argument --quiet-seconds: expected one argument",
        "eventsync watch: エラー：「--quiet-seconds」：値を1つ指定してください",
    ),
    (
        ["watch", "--quiet-seconds", "soon"],  # the type's own message, from the catalogue
        r"eventsync watch: error: argument --quiet-seconds: 'soon' is not a number of "
        r"seconds above 0 and at most 3600 \(e\.g\. 0\.5\)",
        "eventsync watch: エラー：「--quiet-seconds」：「soon」は0より大きく3600以下の秒数では"
        "ありません（例：0.5）",
    ),
    (
        ["history"],
        r"eventsync history: error: the following arguments are required: OBJECTID",
        "eventsync history: エラー：次の引数を指定してください：OBJECTID",
    ),
    (
        ["service", "restart"],
        r"eventsync service: error: argument action: invalid choice: 'restart' \(choose from "
        r"'?install'?, '?uninstall'?, '?status'?, '?start'?, '?stop'?\)",
        "eventsync service: エラー：「action」：「restart」は選べません。次のどれかにしてください：",
    ),
    (
        ["pull", "events.xlsx", "--lang", "fr"],
        r"eventsync pull: error: argument --lang: invalid choice: 'fr' \(choose from "
        r"'?en'?, '?ja'?\)",
        "eventsync pull: エラー：「--lang」：「fr」は選べません。次のどれかにしてください：",
    ),
    (
        ["service", "--d", "status"],
        r"eventsync service: error: ambiguous option: --d could match --debug, --dry-run",
        "eventsync service: エラー：「--d」に当てはまるオプションが複数あります：--debug, --dry-run",
    ),
    (
        ["sync", "--json=yes"],
        r"eventsync sync: error: argument --json: ignored explicit argument 'yes'",
        "eventsync sync: エラー：「--json」：値を取らないオプションです。「yes」を外してください",
    ),
]
IDS = [" ".join(argv) for argv, _, _ in CASES]


def usage_error(
    capsys: pytest.CaptureFixture[str], folder: Path, argv: list[str], **env: str
) -> tuple[str, str]:
    """(the usage line's first line, the error line) that argparse printed, exit 2."""
    with pytest.raises(SystemExit) as exited:
        main(argv, env=env, cwd=folder)
    assert exited.value.code == 2
    said = capsys.readouterr()
    assert said.out == ""
    lines = said.err.splitlines()
    assert said.err.endswith("\n") and "Traceback" not in said.err
    return lines[0], lines[-1]


def shown(text: str, encoding: str) -> str:
    """What a console in `encoding` shows for `text`: what it cannot hold, escaped."""
    return text.encode(encoding, "backslashreplace").decode(encoding)


def english_in(said: str) -> list[str]:
    return ENGLISH.findall(NAMES.sub(" ", said))


def prog_of(english: str) -> str:
    """The parser that said it: `eventsync`, or a command's (`eventsync watch`)."""
    return english.split(": error: ")[0]


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # argparse wraps the usage to the terminal's width


@pytest.mark.parametrize(("argv", "english", "japanese"), CASES, ids=IDS)
def test_a_usage_error_is_japanese_with_eventsync_lang_ja(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    argv: list[str],
    english: str,
    japanese: str,
) -> None:
    usage, error = usage_error(capsys, tmp_path, argv, EVENTSYNC_LANG="ja")
    assert usage.startswith(f"使い方：{prog_of(english)} ")
    assert error.startswith(japanese)
    assert english_in(usage) == [] and english_in(error) == []


@pytest.mark.parametrize(("argv", "english", "japanese"), CASES, ids=IDS)
def test_the_folders_env_makes_a_usage_error_japanese(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    argv: list[str],
    english: str,
    japanese: str,
) -> None:
    (tmp_path / ".env").write_text("EVENTSYNC_LANG=ja\n", encoding="utf-8")
    usage, error = usage_error(capsys, tmp_path, argv)
    assert usage.startswith("使い方：")
    assert error.startswith(japanese)


@pytest.mark.parametrize("env", [{}, {"EVENTSYNC_LANG": "en"}])
@pytest.mark.parametrize(("argv", "english", "japanese"), CASES, ids=IDS)
def test_a_usage_error_in_english_is_argparses_as_it_always_was(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    argv: list[str],
    english: str,
    japanese: str,
    env: dict[str, str],
) -> None:
    usage, error = usage_error(capsys, tmp_path, argv, **env)
    assert usage.startswith(f"usage: {prog_of(english)} ")
    assert re.fullmatch(english, error)
    printed = run_and_print(capsys, tmp_path, argv, **env)
    # byte for byte what argparse's own error() prints
    monkeypatch.setattr(Parser, "error", argparse.ArgumentParser.error)
    assert printed == run_and_print(capsys, tmp_path, argv, **env)


def run_and_print(
    capsys: pytest.CaptureFixture[str], folder: Path, argv: list[str], **env: str
) -> str:
    with pytest.raises(SystemExit):
        main(argv, env=env, cwd=folder)
    return capsys.readouterr().err


def test_a_wording_the_catalogue_does_not_know_prints_as_argparse_says_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A future Python's wording (argparse takes each of its words through gettext's _)
    said_by_argparse = argparse._  # type: ignore[attr-defined]

    def future(words: str) -> str:
        if words == "unrecognized arguments: %s":
            return "not recognised (see --help): %s"
        return str(said_by_argparse(words))

    monkeypatch.setattr(argparse, "_", future)
    usage, error = usage_error(capsys, tmp_path, ["sync", "--bogus"], EVENTSYNC_LANG="ja")
    # English whole, its usage line too, rather than half of each
    assert usage.startswith("usage: eventsync ")
    assert error == "eventsync: error: not recognised (see --help): --bogus"


@pytest.mark.parametrize("encoding", ["cp1252", "cp932"])
def test_a_japanese_usage_error_survives_any_code_page(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, encoding: str
) -> None:
    """argparse writes to sys.stderr itself: a Western console cannot hold the Japanese
    and shows it escaped, exit 2 still; a Japanese one shows it."""
    strict = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict")
    monkeypatch.setattr(sys, "stderr", strict)
    with pytest.raises(SystemExit) as exited:
        main(["watch", "--quiet-seconds", "東京"], env={"EVENTSYNC_LANG": "ja"}, cwd=tmp_path)
    assert exited.value.code == 2
    strict.flush()
    printed = strict.buffer.getvalue().decode(encoding)
    expected = "「--quiet-seconds」：「東京」は0より大きく3600以下の秒数ではありません"
    assert f"eventsync watch: {shown('エラー：' + expected, encoding)}" in printed
    assert strict.errors == "strict"  # set back: the stream is the caller's


def eventsync_like_parser() -> argparse.ArgumentParser:
    """A parser of eventsync's class with what eventsync's own has not (yet): options
    that exclude each other, a typed value, a fixed count of values."""
    parser = Parser(prog="eventsync", language="ja", formatter_class=JapaneseHelp)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub = commands.add_parser("run", language="ja", formatter_class=JapaneseHelp)
    for each in (parser, sub):
        either = each.add_mutually_exclusive_group()
        either.add_argument("--on", action="store_true")
        either.add_argument("--off", action="store_true")
        each.add_argument("--count", type=int)
        each.add_argument("--pair", nargs=2)
        each.add_argument("--some", nargs="+")
    return parser


@pytest.mark.parametrize("command", [[], ["run"]])
@pytest.mark.parametrize(
    ("argv", "japanese"),
    [
        (["--on", "--off"], "「--off」：「--on」と一緒には指定できません"),
        (["--count", "x"], "「--count」：「x」はintの値として読めません"),
        (["--pair", "a"], "「--pair」：値を2個指定してください"),
        (["--some"], "「--some」：値を1つ以上指定してください"),
    ],
)
def test_what_eventsyncs_parser_does_not_have_yet_is_japanese_too(
    capsys: pytest.CaptureFixture[str], command: list[str], argv: list[str], japanese: str
) -> None:
    typed = [*command, *argv]
    with pytest.raises(SystemExit) as exited:
        eventsync_like_parser().parse_args(typed)
    assert exited.value.code == 2
    lines = capsys.readouterr().err.splitlines()
    prog = "eventsync run" if command else "eventsync"
    assert lines[0].startswith(f"使い方：{prog} ")
    assert lines[-1] == f"{prog}: エラー：{japanese}"
