"""Which language a reader gets is decided by one function (eventsync.language.decide_language),
tested here as a table; no other module reads EVENTSYNC_LANG for itself."""

from __future__ import annotations

import ast
from itertools import product
from pathlib import Path

import pytest

from eventsync.language import decide_language, environment_language, language_named

PACKAGE = Path(__file__).resolve().parents[1] / "eventsync"
ENGLISH_HEADERS = {"objectId": "objectId", "eventName": "eventName"}
JAPANESE_HEADERS = {"objectId": "イベントID", "eventName": "イベント名"}
SHEETS = {
    "no sheet": [],
    "English sheet": [ENGLISH_HEADERS],
    "Japanese sheet": [JAPANESE_HEADERS],
    "both": [JAPANESE_HEADERS, ENGLISH_HEADERS],
    "two Japanese": [JAPANESE_HEADERS, JAPANESE_HEADERS],
}


def expected(setting, option, sheets) -> str:
    if setting is not None:
        return setting
    if option is not None:
        return option
    return "ja" if SHEETS[sheets] and all(h is JAPANESE_HEADERS for h in SHEETS[sheets]) else "en"


@pytest.mark.parametrize(
    ("setting", "option", "sheets"),
    list(product([None, "en", "ja"], [None, "en", "ja"], SHEETS)),
)
def test_the_setting_then_the_option_then_the_sheets_then_english(setting, option, sheets):
    decided = decide_language(setting, option=option, headers=SHEETS[sheets])
    assert decided == expected(setting, option, sheets)


@pytest.mark.parametrize(
    ("value", "language"),
    [(None, None), ("", None), ("  ", None), ("ja", "ja"), (" JA ", "ja"), ("en", "en")],
)
def test_the_setting_names_a_language_or_none(value, language):
    assert language_named(value) == language


def test_a_setting_naming_no_language_is_refused_by_the_settings_and_english_before_them():
    with pytest.raises(ValueError, match="jp"):
        language_named("jp")
    assert environment_language({"EVENTSYNC_LANG": "jp"}) == "en"
    assert environment_language({"EVENTSYNC_LANG": "ja"}) == "ja"
    assert environment_language({}) == "en"


def test_only_the_language_module_reads_the_setting():
    readers = sorted(
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and node.value == "EVENTSYNC_LANG"
    )
    assert readers == [str(Path("eventsync") / "language.py")]
