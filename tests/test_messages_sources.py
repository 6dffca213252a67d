"""Every error a user can meet is said from the catalogue: an error of eventsync's own
(`EventsyncError` and every class below it, in any module) made with a literal string
or an f-string would reach a Japanese user in English. Read from the source (ast), so a
new error site is checked the day it is written, whether or not a test reaches it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "eventsync"
# The fake HubSpot speaks to test authors, not to eventsync's users.
NOT_USER_FACING = ("sandbox",)
LETTERS = re.compile(r"[A-Za-z]")


def sources() -> dict[Path, ast.Module]:
    return {
        path: ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
        if not set(NOT_USER_FACING) & set(path.relative_to(PACKAGE).parts)
    }


def user_facing_errors(trees: dict[Path, ast.Module]) -> set[str]:
    """EventsyncError and every class that derives from it, followed across modules."""
    names = {"EventsyncError"}
    grown = True
    while grown:
        grown = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if not isinstance(node, ast.ClassDef) or node.name in names:
                    continue
                bases = {getattr(base, "id", getattr(base, "attr", "")) for base in node.bases}
                if bases & names:
                    names.add(node.name)
                    grown = True
    return names


def english_in(node: ast.expr) -> str | None:
    """The text of a literal or f-string argument (also inside a list or tuple,
    as SettingsError takes its problems, and either side of a `+`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if LETTERS.search(node.value) else None
    if isinstance(node, ast.JoinedStr):  # even `f"{where}, {error}"`: English word order
        return ast.unparse(node)
    if isinstance(node, ast.BinOp):
        return english_in(node.left) or english_in(node.right)
    if isinstance(node, ast.List | ast.Tuple):
        return next((found for item in node.elts if (found := english_in(item))), None)
    return None


def literal_errors(trees: dict[Path, ast.Module]) -> list[str]:
    errors = user_facing_errors(trees)
    found = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name not in errors:
                continue
            for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
                english = english_in(argument)
                if english is not None:
                    where = path.relative_to(PACKAGE.parent).as_posix()
                    found.append(f"{where}:{node.lineno}: {name}({english[:60]!r}...)")
    return found


def test_no_user_facing_error_is_made_from_a_literal_string():
    assert literal_errors(sources()) == []


@pytest.mark.slow
def test_the_check_finds_an_error_made_from_a_literal_or_an_f_string():
    # The check itself: each of these is English a Japanese user would meet.
    made = ast.parse(
        "class LocalError(SheetError): ...\n"
        "raise SheetError(f'{path}: no such file')\n"
        "raise LocalError('the sheet is empty')\n"
        "raise SettingsError([f'{name} is not a time zone'])\n"
        "raise SheetError(f'{where}, {error}')\n"
        "raise SheetError(Text('refuse.no_file', path=path))\n"
    )
    trees = {PACKAGE / "example.py": made, **sources()}
    assert {"SheetError", "SettingsError", "LocalError"} <= user_facing_errors(trees)
    found = [line for line in literal_errors(trees) if line.startswith("eventsync/example.py")]
    assert [line.split(":")[1] for line in found] == ["2", "3", "4", "5"]
