"""argparse's usage errors as catalogue messages (eventsync/parser_errors.py): every
message argparse says for a parser's usage errors, as this Python words it (3.11 here,
3.13 in CI's Windows run), is recognised; its English from the catalogue is argparse's
text to the byte, its Japanese keeps the names and values argparse filled in and holds
no English; a wording it does not know is None (the caller prints argparse's own)."""

from __future__ import annotations

import argparse
import re
from typing import NoReturn

import pytest

from eventsync.messages import Text
from eventsync.parser_errors import usage_error

# Two lower-case English words in a row: a sentence (or a piece of one) in English.
ENGLISH = re.compile(r"\b[a-z]{2,}[ ,;:'-]+[a-z]{2,}\b")


class Said(Exception):
    pass


class Recording(argparse.ArgumentParser):
    """argparse as it is, the message it hands error() kept instead of printed."""

    def error(self, message: str) -> NoReturn:
        raise Said(message)


def recording() -> argparse.ArgumentParser:
    parser = Recording(prog="p")
    either = parser.add_mutually_exclusive_group(required=True)
    either.add_argument("--on", action="store_true")
    either.add_argument("--off", action="store_true")
    parser.add_argument("--count", type=int)
    parser.add_argument("--pair", nargs=2)
    parser.add_argument("--some", nargs="+")
    parser.add_argument("--colour", choices=("red", "blue"))
    parser.add_argument("--level", choices=(1, 2), type=int)
    parser.add_argument("--color-space")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser("run")
    run.add_argument("name", metavar="NAME")
    return parser


# (what is typed, argparse's message as every Python from 3.11 says it, or a pattern)
CASES = [
    (["--on", "--bogus"], "unrecognized arguments: --bogus"),
    (["--on", "run", "n", "extra", "-x"], "unrecognized arguments: extra -x"),
    ([], "one of the arguments --on --off is required"),
    (["--on", "--off"], "argument --off: not allowed with argument --on"),
    (["--on", "--count", "x"], "argument --count: invalid int value: 'x'"),
    (["--on", "--count", "東京"], "argument --count: invalid int value: '東京'"),
    (["--on", "--count"], "argument --count: expected one argument"),
    (["--on", "--pair", "a"], "argument --pair: expected 2 arguments"),
    (["--on", "--some"], "argument --some: expected at least one argument"),
    (["--on=yes"], "argument --on: ignored explicit argument 'yes'"),
    (["--on", "--col", "red"], "ambiguous option: --col could match --colour, --color-space"),
    (["--on", "--colour", "green"], r"argument --colour: invalid choice: 'green' \(choose from .*"),
    (["--on", "--level", "3"], r"argument --level: invalid choice: '?3'? \(choose from 1, 2\)"),
    (["--on", "sprint"], r"argument COMMAND: invalid choice: 'sprint' \(choose from .*run.*\)"),
]


def said_by_argparse(argv: list[str]) -> str:
    with pytest.raises(Said) as raised:
        recording().parse_args(argv)
    return str(raised.value)


@pytest.mark.parametrize(("argv", "expected"), CASES, ids=lambda case: str(case))
def test_each_argparse_error_is_the_catalogues_english_to_the_byte(
    argv: list[str], expected: str
) -> None:
    message = said_by_argparse(argv)
    assert re.fullmatch(expected, message), message
    said = usage_error(message)
    assert said is not None
    assert str(said) == message


@pytest.mark.parametrize(("argv", "expected"), CASES, ids=lambda case: str(case))
def test_each_argparse_error_has_no_english_in_japanese(argv: list[str], expected: str) -> None:
    said = usage_error(said_by_argparse(argv))
    assert said is not None
    japanese = said.in_language("ja")
    # what stays: the options and arguments named, the values typed, argparse's choices
    names = re.sub(r"--?[\w-]+|「[^」]*」|[A-Z]+|'?\w+'?(, '?\w+'?)+", " ", japanese)
    assert ENGLISH.findall(names) == [], japanese
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", japanese)


def test_the_names_and_values_argparse_filled_in_are_kept() -> None:
    said = usage_error(said_by_argparse(["--on", "--count", "東京"]))
    assert said is not None
    assert said.in_language("ja") == "「--count」：「東京」はintの値として読めません"
    said = usage_error(said_by_argparse(["--on=yes"]))
    assert said is not None
    assert said.in_language("ja") == "「--on」：値を取らないオプションです。「yes」を外してください"
    said = usage_error("ambiguous option: --col could match --colour, --color-space")
    assert said is not None
    assert said.in_language("ja") == (
        "「--col」に当てはまるオプションが複数あります：--colour, --color-space"
    )


def test_a_value_argparse_quoted_that_does_not_read_back_is_shown_as_it_is() -> None:
    said = usage_error("argument --on: ignored explicit argument 'half")
    assert said is not None
    assert str(said) == "argument --on: ignored explicit argument 'half"
    assert said.in_language("ja") == "「--on」：値を取らないオプションです。'halfを外してください"


@pytest.mark.parametrize(
    "message",
    [
        "unrecognised arguments: --bogus",  # a wording argparse may take one day
        "argument --count: expected 1 argument",  # nargs=1: none of eventsync's
        "argument --count: a message of a type of its own",
        "argument --count: an unknown wording around expected one argument",
        "",
    ],
)
def test_a_wording_it_does_not_know_is_none(message: str) -> None:
    assert usage_error(message) is None


def test_a_message_a_type_carried_is_said_instead_of_its_english() -> None:
    carried = Text("limits.seconds_range", value="0", most="3600")
    said = usage_error(f"argument --quiet-seconds: {carried}", carried)
    assert said is not None
    assert str(said) == f"argument --quiet-seconds: {carried}"
    assert said.in_language("ja") == (
        "「--quiet-seconds」：「0」は0より大きく3600以下の秒数ではありません（例：0.5）"
    )
    # carried, but not the message at hand: not said for it
    assert usage_error("argument --x: expected one argument", carried) == Text(
        "usage.argument", argument="--x", message=Text("usage.expected_one")
    )
