"""The README documents every command, option, setting, column, exit code and target."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from sync.arguments import build_parser
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


def code_blocks(text: str) -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def first_screen() -> str:
    """The README up to the developers' `make` section: install and first sync."""
    return README[: README.index("## Try it")]


def japanese_guide() -> str:
    start = README.index("### 日本語での使い方")
    return README[start : README.index("\n## ", start)]


def test_the_first_screen_installs_and_syncs_without_make_on_every_system():
    screen = first_screen()
    for needed in ("PowerShell", "macOS", "Linux", "uv tool install", "eventsync --help"):
        assert needed in screen, needed
    for step in ("init", "pull", "plan", "sync"):
        assert f"\neventsync {step}" in screen, step
    assert screen.index("eventsync init") < screen.index("eventsync plan")
    assert not re.search(r"(`|^)make [a-z]", screen, re.MULTILINE), "make is for developers"
    assert "make demo" in README[len(screen) :] and "make test" in README[len(screen) :]


def test_the_japanese_guide_installs_and_starts_without_make_too():
    guide = japanese_guide()
    for needed in ("uv tool install", "PowerShell", "eventsync init --lang ja", ".env"):
        assert needed in guide, needed
    for step in ("plan", "sync", "pull --lang ja"):
        assert f"eventsync {step}" in guide, step


def test_every_command_line_the_first_screen_shows_is_one_eventsync_accepts():
    parser = build_parser()
    lines = [
        line.split("#")[0].split()
        for block in code_blocks(first_screen())
        for line in block.splitlines()
        if line.startswith("eventsync ")
    ]
    assert len(lines) >= 4
    for words in lines:
        parser.parse_args(words[1:])  # exits (fails the test) on an unknown command or option


def test_every_eventsync_command_the_readme_names_exists():
    named = set(re.findall(r"`eventsync ([a-z][a-z-]*)", README))
    for block in code_blocks(README):
        named |= set(re.findall(r"^eventsync ([a-z][a-z-]*)", block, re.MULTILINE))
    assert "init" in named
    assert named <= set(subcommands()), named - set(subcommands())
