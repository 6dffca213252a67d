"""The catalogue: every message in English and Japanese, with the same fields; every
key the code uses is in it and every key in it is used."""

from __future__ import annotations

import ast
import pickle
import re
import string
from pathlib import Path

import pytest

from eventsync.messages import Text, command, joined, localise, render
from eventsync.messages.catalogue import CATALOGUE, PARTS

PACKAGE = Path(__file__).resolve().parents[1] / "eventsync"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")
# Keys the code builds from a prefix and a number (weekday.0 ... weekday.6).
BUILT_KEYS = ("weekday.",)


def fields_of(template: str) -> set[str]:
    """The fields whose values the message shows (not those only choosing a word by
    a count, `{count:row|rows}`, which Japanese has no need of)."""
    return {
        name
        for _, name, spec, _ in string.Formatter().parse(template)
        if name and "|" not in (spec or "")
    }


def all_fields_of(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def words_of(template: str) -> str:
    """The template's own words: its fields taken out."""
    return "".join(text for text, *_ in string.Formatter().parse(template))


def test_no_key_is_defined_twice():
    assert sum(len(part) for part in PARTS) == len(CATALOGUE)


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_message_has_both_languages_with_the_same_fields(key):
    english, japanese = CATALOGUE[key]
    assert english.strip() and japanese.strip()
    assert fields_of(english) == fields_of(japanese), key
    if re.search(r"[A-Za-z]{3}", words_of(english)) and not re.fullmatch(
        r"[\s\W]*", words_of(english)
    ):
        assert JAPANESE.search(words_of(japanese)), f"{key}: the Japanese is not Japanese"
    sample = dict.fromkeys(all_fields_of(english) | all_fields_of(japanese), 2)
    assert render(key, "en", sample) and render(key, "ja", sample)


def keys_used() -> set[str]:
    """Every catalogue key the code names: Text("key", ...) and say(language, "key", ...)."""
    used: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            args = node.args
            position = {"Text": 0, "say": 1, "render": 0}.get(name)
            if position is None or len(args) <= position:
                continue
            key = args[position]
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                used.add(key.value)
            elif isinstance(key, ast.JoinedStr):
                first = key.values[0]
                if isinstance(first, ast.Constant):
                    used.add(str(first.value) + "*")
    return used


def test_every_key_the_code_names_is_in_the_catalogue_and_every_entry_is_used():
    used = keys_used()
    named = {key for key in used if not key.endswith("*")}
    assert named - set(CATALOGUE) == set()
    built = {key[:-1] for key in used if key.endswith("*")}
    assert built <= set(BUILT_KEYS)
    unused = {
        key
        for key in CATALOGUE
        if key not in named and not any(key.startswith(prefix) for prefix in built)
    }
    assert unused == set()


def test_a_message_reads_as_its_english_and_says_itself_in_japanese():
    problem = Text("date.not_real", example="2025-03-01 09:00")
    message = Text("cell.problem", label="開始日時", problem=problem)
    assert message == "開始日時: is not a real date or time; type it like 2025-03-01 09:00"
    assert localise(message, "ja") == (
        "開始日時：存在しない日付または時刻です。「2025-03-01 09:00」のように入力してください"
    )
    assert localise("HubSpot's own words", "ja") == "HubSpot's own words"
    both = joined([message, "HubSpot's own words"])
    assert both == f"{message}; HubSpot's own words"
    assert localise(both, "ja").endswith("；HubSpot's own words")
    assert pickle.loads(pickle.dumps(message)).in_language("ja") == localise(message, "ja")


def test_plural_words_follow_the_count():
    assert Text("report.conflicts", count=1) == ", 1 conflict"
    assert Text("report.conflicts", count=3) == ", 3 conflicts"
    assert localise(Text("report.conflicts", count=3), "ja") == "、競合3"


def test_a_command_is_shown_as_typed(monkeypatch):
    monkeypatch.delenv("EVENTSYNC_VIA", raising=False)
    assert str(command("sync", "--force", "5823713202")) == "eventsync sync --force 5823713202"
    assert Text("row.not_sent", again=command("sync")).endswith("run eventsync sync again")
