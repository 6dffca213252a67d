"""docs/sandbox.md tells the truth: every colleague command and its options, the start-up
options and make variables a newcomer uses, and the banner exactly as it is printed."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from eventsync.sandbox.colleague import COMMANDS, FIELDS, build_parser
from eventsync.sandbox.startup import SANDBOX_TOKEN, Launch, banner

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "sandbox.md").read_text(encoding="utf-8")
HAND_OPTIONS = ("--port", "--events", "--token", "--any-token", "--port-file")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_colleague_command_and_its_options_are_documented(name):
    assert f"`python -m eventsync.sandbox {name}" in DOC
    for action in subcommands()[name]._actions:
        for option in action.option_strings:
            if option.startswith("--") and option != "--help":
                assert f"`{option}" in DOC, (name, option)


def test_every_field_a_colleague_can_change_is_named():
    for field in FIELDS:
        assert f"`{field}`" in DOC, field


@pytest.mark.parametrize("option", HAND_OPTIONS)
def test_the_options_for_use_by_hand_are_documented(option):
    assert re.search(rf"^\| `{option}[ `]", DOC, re.MULTILINE), option


def test_the_make_variables_are_documented():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for variable in ("PORT", "ANY_TOKEN"):
        assert variable in makefile and f"make sandbox {variable}=" in DOC


def test_the_banner_shown_is_the_banner_printed():
    shown = DOC.split("It prints what to do next, then keeps running until you press Ctrl-C:")
    block = shown[1].split("```\n", 2)[1].rstrip("\n")
    ids = [e["objectId"] for e in json.loads((ROOT / "templates/sample-events.json").read_text())]
    argv = ("--port", "8765", "--events", "templates/sample-events.json")
    how = Launch(argv, ".venv/bin/python", via_make=True)
    lines = banner("http://127.0.0.1:8765", ids, SANDBOX_TOKEN, how, "en")
    assert block == "\n".join(lines).replace('"', "'")  # Windows quotes with ", POSIX with '
