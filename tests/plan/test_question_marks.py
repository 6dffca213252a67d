"""The two decisions behind issue 20, case 4, as tables: which new text in a Shift-JIS
file is held for its "?", and which characters such a file cannot hold."""

from __future__ import annotations

import pytest

from eventsync.encodings import unheld_characters
from eventsync.model import FieldChange
from eventsync.plan.lost_characters import brings_question_mark


@pytest.mark.parametrize(
    ("field", "old", "new", "held"),
    [
        ("eventName", "特別編 – 東京 🎉", "特別編 ? 東京 ?", True),  # an edit bringing "?"
        ("eventName", None, "新しい行 ?", True),  # a value never confirmed
        ("eventName", "なぜ? 大阪", "なぜ? 大阪 2026", False),  # HubSpot holds that "?"
        ("eventName", "なぜ? 大阪", "なぜ?? 大阪", True),  # one more than it held
        ("eventName", "東京", "東京 大阪", False),  # no "?" at all
        ("eventName", "東京", "東京？", False),  # the full-width one Shift-JIS holds
        ("eventDescription", "", "Why attend?", True),
        ("custom:region", "APAC", "APAC?", True),  # custom properties are text
        ("eventUrl", "", "https://example.com/e?id=7", False),  # a URL's query
        ("eventCancelled", False, True, False),  # not text
    ],
)
def test_which_new_text_is_held_for_its_question_marks(field, old, new, held):
    assert brings_question_mark(FieldChange(field, old, new)) is held


@pytest.mark.parametrize(
    ("text", "encoding", "lost"),
    [
        ("Product Update 06 – 大阪 🎉", "cp932", ("–", "🎉")),
        ("大阪 セミナー ～ 名古屋", "cp932", ()),
        ("波 〜 ダッシュ — マイナス −", "cp932", ()),  # written as their CP932 equivalents
        ("Café – Café", "cp932", ("é", "–")),  # each once, in order
        ("plain text?", "cp932", ()),
        ("大阪", "ascii", ("大", "阪")),
    ],
)
def test_which_characters_a_legacy_file_cannot_hold(text, encoding, lost):
    assert unheld_characters(text, encoding) == lost
