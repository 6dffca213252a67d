"""The docs are honest: the README is a front door that links what moved to docs/, the
Japanese guide is complete, and between them every command, option, setting, column,
exit code and make target is documented, and every relative link (and heading) resolves.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from pathlib import Path

import pytest

from eventsync.arguments import build_parser
from eventsync.columns import ANNOTATIONS, COLUMNS
from eventsync.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


README = read(ROOT / "README.md")
README_JA = read(ROOT / "README.ja.md")
COMMANDS = read(DOCS / "commands.md")
SETTINGS = read(DOCS / "settings.md")
MAKEFILE = read(ROOT / "Makefile")

# What the README promises lives in docs/ (the issue that moved it: the README is the
# front door, the manual is here).
PAGES = (
    "README.md",
    "guide.md",
    "commands.md",
    "settings.md",
    "conflicts-and-trust.md",
    "watch.md",
    "service.md",
    "workbook-safety.md",
    "limits-and-retries.md",
    "install.md",
    "sandbox.md",
    "development.md",
    "internals.md",
    "performance.md",
)

# Set by the Makefile so messages suggest make's form of a command; not the user's to set.
MAKE_ONLY = "EVENTSYNC_VIA"


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", ROOT / "README.ja.md", *sorted(DOCS.glob("*.md"))]


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def options_of(sub: argparse.ArgumentParser) -> list[str]:
    return [
        option
        for action in sub._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ]


def settings_in_code() -> set[str]:
    """Every setting the package reads by name (eventsync/config.py and the state's place)."""
    names: set[str] = set()
    for path in (ROOT / "eventsync").rglob("*.py"):
        names |= set(re.findall(r'"((?:EVENTSYNC|HUBSPOT)_[A-Z0-9_]+)"', read(path)))
    return names


def make_targets() -> list[str]:
    return re.findall(r"^([a-z][a-z-]*):.*## ", MAKEFILE, re.MULTILINE)


def code_blocks(text: str) -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def without_code_blocks(text: str) -> str:
    return re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)


def first_screen() -> str:
    """The README up to the developers' `make` section: install and first sync."""
    return README[: README.index("## Try it")]


def japanese_first_screen() -> str:
    """README.ja.md up to its developers' section, as the README's first screen."""
    return README_JA[: README_JA.index("## 試してみる")]


# --- the README is a front door; what moved lives in docs/, linked -------------------


def test_the_readme_is_a_front_door_of_about_200_lines():
    assert len(README.splitlines()) <= 220


def test_the_readme_links_the_japanese_guide_in_its_first_lines():
    assert "(README.ja.md)" in "\n".join(README.splitlines()[:5])
    assert "(README.md)" in "\n".join(README_JA.splitlines()[:5])


@pytest.mark.parametrize("page", PAGES)
def test_every_page_the_readme_promises_exists_and_is_linked(page):
    assert (DOCS / page).is_file(), page
    assert f"(docs/{page})" in README or f"({page})" in read(DOCS / "README.md"), page


def test_every_docs_page_is_in_the_docs_index():
    index = read(DOCS / "README.md")
    for path in DOCS.glob("*.md"):
        if path.name != "README.md":
            assert f"]({path.name})" in index, path.name


def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation and symbols
    dropped (full-width ones too), spaces as hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    kept = (
        ch
        for ch in text
        if ch in " -_" or unicodedata.category(ch)[0] in "LNM"  # letters, numbers, marks
    )
    return "".join(kept).replace(" ", "-")


def anchors(text: str) -> set[str]:
    found: set[str] = set()
    for heading in re.findall(r"^#{1,6} (.+)$", without_code_blocks(text), re.MULTILINE):
        base = slug(heading)
        name, n = base, 0
        while name in found:
            n += 1
            name = f"{base}-{n}"
        found.add(name)
    return found


def relative_links(text: str) -> list[str]:
    links = re.findall(r"\]\(([^)\s]+)\)", without_code_blocks(text))
    return [link for link in links if not re.match(r"[a-z]+:", link)]


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_and_heading_resolves(path):
    links = relative_links(read(path))
    for link in links:
        target, _, fragment = link.partition("#")
        file = (path.parent / target).resolve() if target else path
        assert file.exists(), f"{link}: no such file"
        if fragment:
            assert file.suffix == ".md", link
            assert fragment in anchors(read(file)), f"{link}: no such heading"


def test_the_link_check_reads_headings_as_github_does():
    assert slug("Conflicts: an edit made in HubSpot is never overwritten") == (
        "conflicts-an-edit-made-in-hubspot-is-never-overwritten"
    )
    assert slug("設定（.env）") == "設定env"
    assert slug("HubSpot の変更をシートに取り込む（--two-way）") == (
        "hubspot-の変更をシートに取り込む--two-way"
    )
    assert slug("Options of `sync` and `plan`") == "options-of-sync-and-plan"
    assert anchors("# A\n## A\n```\n# not a heading\n```\n") == {"a", "a-1"}


# --- every command, option, setting, column, exit code and target ---------------------


def test_every_command_and_option_is_in_commands_md_and_the_japanese_guide():
    for name, sub in subcommands().items():
        for doc in (COMMANDS, README_JA):
            assert f"eventsync {name}" in doc, name
            for option in options_of(sub):
                assert f"`{option}" in doc or f" {option}" in doc, (name, option)
        assert f"`eventsync {name}" in README, name  # the front door names every command


def test_every_setting_is_in_settings_md_the_japanese_guide_and_env_example():
    settings = settings_in_code()
    assert len(settings) >= 14 and MAKE_ONLY in settings
    env_example = read(ROOT / ".env.example")
    config = read(ROOT / "eventsync" / "config.py")
    for setting in settings:
        assert f"`{setting}`" in SETTINGS, setting
        if setting != MAKE_ONLY:
            assert f"| `{setting}` |" in SETTINGS, setting  # a row of the table
            assert f"`{setting}`" in README_JA, setting
        if f'"{setting}"' in config:
            assert setting in env_example, setting


def test_every_column_and_annotation_is_documented_in_both_languages():
    guide = read(DOCS / "guide.md")
    for column in COLUMNS:
        for doc in (guide, README_JA):
            assert f"`{column.key}`" in doc and column.japanese in doc, column.key
    for name in ANNOTATIONS:
        assert f"`{name}`" in guide and f"`{name}`" in README_JA, name


def test_every_exit_code_is_documented_in_both_languages():
    for code in ExitCode:
        for doc in (COMMANDS, README_JA):
            assert re.search(rf"^\| {int(code)} \|", doc, re.MULTILINE), code


def test_every_make_target_is_in_the_readme_and_every_make_named_exists():
    targets = make_targets()
    for target in targets:
        if target != "help":
            assert f"make {target}" in README, target
    named = set()
    for path in markdown_files():
        named |= set(re.findall(r"`make ([a-z][a-z-]*)", read(path)))
    assert named <= set(targets), named - set(targets)


def test_make_says_what_the_readme_says_about_it():
    # "`make` alone lists the targets; it installs nothing. Every other target (but
    # `make clean`) sets up .venv first."
    assert "`make` alone lists the targets; it installs nothing" in README
    assert re.search(r"^\.DEFAULT_GOAL := help$", MAKEFILE, re.MULTILINE)
    assert re.search(r"^help: *## ", MAKEFILE, re.MULTILINE), "help has no prerequisites"
    for target in make_targets():
        if target not in ("help", "clean"):
            line = re.search(rf"^{target}:(.*)## ", MAKEFILE, re.MULTILINE)
            assert line and "$(STAMP)" in line.group(1), target
    # Every option the help text names is documented where the README sends readers.
    for option in ("FORCE=1", "TWO_WAY=1", "HEADERS=ja", 'ARGS="'):
        assert option in MAKEFILE and option in README and option in COMMANDS, option


# --- the first screens install and sync without make -----------------------------------


def test_the_first_screen_installs_and_syncs_without_make_on_every_system():
    screen = first_screen()
    for needed in ("PowerShell", "macOS", "Linux", "uv tool install", "eventsync --help"):
        assert needed in screen, needed
    for step in ("init", "pull", "plan", "sync"):
        assert f"\neventsync {step}" in screen, step
    assert screen.index("\neventsync init") < screen.index("\neventsync plan")
    assert not re.search(r"(`|^)make [a-z]", screen, re.MULTILINE), "make is for developers"
    assert "make demo" in README[len(screen) :] and "make test" in README[len(screen) :]


def test_the_japanese_guide_installs_and_starts_without_make_too():
    screen = japanese_first_screen()
    for needed in ("インストール", "uv tool install", "PowerShell", "macOS", ".env"):
        assert needed in screen, needed
    for step in ("init --lang ja", "pull --lang ja", "plan", "sync"):
        assert f"\neventsync {step}" in screen, step
    assert not re.search(r"(`|^)make [a-z]", screen, re.MULTILINE), "make is for developers"
    # The guide covers what a user meets after the first sync, not only the start.
    for section in (
        "## 競合",
        "## 送信しない行",
        "(watch)",
        "(service)",
        "## 設定",
        "## 困ったときは",
    ):
        assert section.replace("(", "（").replace(")", "）") in README_JA, section


def test_both_readmes_point_to_the_sandbox_right_after_make_demo():
    for readme, heading in ((README, "### Try it by hand"), (README_JA, "### 手で試す")):
        demo = readme.index("make demo")
        by_hand = readme.index(heading)
        assert demo < by_hand and "(docs/sandbox.md)" in readme[by_hand:][:1200], heading
        assert "make sandbox" in readme[by_hand:] and "make plan" in readme[by_hand:]


def command_lines(text: str) -> list[list[str]]:
    return [
        line.split("#")[0].split()
        for block in code_blocks(text)
        for line in block.splitlines()
        # (not what a program printed: "eventsync sandbox: a local stand-in ...")
        if line.startswith("eventsync ") and not line.split()[1].endswith(":")
    ]


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_command_line_the_docs_show_is_one_eventsync_accepts(path):
    parser = build_parser()
    for words in command_lines(read(path)):
        parser.parse_args(words[1:])  # exits (fails the test) on an unknown command or option


def test_the_first_screens_show_the_whole_first_sync():
    assert len(command_lines(first_screen())) >= 4
    assert len(command_lines(japanese_first_screen())) >= 4


def test_every_eventsync_command_the_docs_name_exists():
    named: set[str] = set()
    for path in markdown_files():
        text = read(path)
        named |= set(re.findall(r"`eventsync ([a-z][a-z-]*)", text))
        for block in code_blocks(text):
            named |= set(re.findall(r"^eventsync ([a-z][a-z-]*)(?!:)\b", block, re.MULTILINE))
    assert "init" in named
    assert named <= set(subcommands()), named - set(subcommands())
