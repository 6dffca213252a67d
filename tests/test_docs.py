"""The README documents every command, option, setting, column, exit code and target."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from sync.cli import build_parser
from sync.columns import ANNOTATIONS, COLUMNS
from sync.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_and_option_is_documented():
    for name, sub in subcommands().items():
        assert f"eventsync {name}" in README, name
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert f"`{option}" in README or f" {option}" in README, (name, option)


def test_every_setting_is_documented():
    config = (ROOT / "sync" / "config.py").read_text(encoding="utf-8")
    settings = set(re.findall(r'"((?:EVENTSYNC|HUBSPOT)_[A-Z0-9_]+)"', config))
    assert len(settings) >= 9
    for setting in settings:
        assert f"`{setting}`" in README, setting
        assert setting in (ROOT / ".env.example").read_text(encoding="utf-8"), setting


def test_every_column_and_annotation_is_documented():
    for column in COLUMNS:
        assert f"`{column.key}`" in README and column.japanese in README, column.key
    for name in ANNOTATIONS:
        assert f"`{name}`" in README


def test_every_exit_code_is_documented():
    for code in ExitCode:
        assert re.search(rf"^\| {int(code)} \|", README, re.MULTILINE), code


def test_every_make_target_is_documented():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z][a-z-]*):.*## ", makefile, re.MULTILINE)
    for target in targets:
        if target != "help":
            assert f"make {target}" in README, target
