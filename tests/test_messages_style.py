"""The Japanese catalogue follows docs/ja-style.md where a machine can tell: no ASCII
space beside Japanese text, one quote style, full-width punctuation, the agreed terms."""

from __future__ import annotations

import re

import pytest

from eventsync.messages import Quoted, Text
from eventsync.messages.catalogue import CATALOGUE

JAPANESE = "[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]"
JAPANESE_ENTRIES = sorted((key, ja) for key, (_en, ja) in CATALOGUE.items())


@pytest.mark.parametrize(("key", "japanese"), JAPANESE_ENTRIES)
def test_no_ascii_space_beside_japanese_text(key: str, japanese: str) -> None:
    # `イベント名 は`, `events.xlsx の 2 行目 にも` read as a translation.
    assert not re.search(f"{JAPANESE} | {JAPANESE}", japanese), key


@pytest.mark.parametrize(("key", "japanese"), JAPANESE_ENTRIES)
def test_quotes_are_corner_brackets(key: str, japanese: str) -> None:
    assert '"' not in japanese and "“" not in japanese and "'" not in japanese, key


@pytest.mark.parametrize(("key", "japanese"), JAPANESE_ENTRIES)
def test_punctuation_after_japanese_is_full_width(key: str, japanese: str) -> None:
    assert not re.search(f"{JAPANESE}[:;,]", japanese), key


@pytest.mark.parametrize(("key", "japanese"), JAPANESE_ENTRIES)
def test_invalid_is_not_fraud(key: str, japanese: str) -> None:
    # 不正 reads as "fraud"/"illegal" to a marketing user.
    assert "不正" not in japanese, key


@pytest.mark.parametrize(("key", "japanese"), JAPANESE_ENTRIES)
def test_commands_stand_in_corner_brackets(key: str, japanese: str) -> None:
    # A command next to Japanese with no space is only copyable when bracketed.
    for field in ("again", "force", "check", "two_way", "init", "plan", "sync", "watch"):
        assert re.sub(r"「\{" + field + r"\}」", "", japanese).count("{" + field + "}") == 0, key


def test_a_typed_value_is_quoted_as_each_language_quotes() -> None:
    message = Text("id.not_whole", value=Quoted("12a"))
    assert str(message).startswith('"12a" is not a whole number')
    assert message.in_language("ja").startswith("「12a」は整数ではありません")


@pytest.mark.parametrize(("key", "japanese"), JAPANESE_ENTRIES)
def test_no_python_repr_quotes(key: str, japanese: str) -> None:
    # {value!r} shows 'value' in ASCII quotes: Japanese quotes it 「{value}」.
    assert "!r}" not in japanese, key


@pytest.mark.parametrize(("key", "japanese"), JAPANESE_ENTRIES)
def test_options_typed_as_they_are_stand_in_corner_brackets(key: str, japanese: str) -> None:
    # `--debugを付けて` cannot be selected and copied: 「--debug」を付けて.
    kana_kanji = "[\u3040-\u30ff\u4e00-\u9fff、。：（）]"
    assert not re.search(f"{kana_kanji}--|--[a-z-]+{kana_kanji}", japanese), key
