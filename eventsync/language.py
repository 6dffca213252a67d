"""Which language a reader gets, decided in one place (`decide_language`): EVENTSYNC_LANG
when set; else the command's --lang (pull, template); else a sheet's cells follow its
headers (Japanese headers: Japanese) and the terminal is Japanese when every sheet of the
run is; else English. Pure decisions; never prints, never reads the environment itself
(the caller hands over what it read once).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from eventsync.columns import headers_language
from eventsync.messages import LANGUAGES, Language
from eventsync.model import Sheet

VARIABLE = "EVENTSYNC_LANG"


class WithLanguage(Protocol):
    """What a run's settings say: EVENTSYNC_LANG, or None when it is not set."""

    @property
    def language(self) -> Language | None: ...


def language_named(value: str | None) -> Language | None:
    """EVENTSYNC_LANG's value: None when unset or blank; ValueError when it names no
    language eventsync speaks (the settings refuse it, naming the value)."""
    text = (value or "").strip().lower()
    if not text:
        return None
    for language in LANGUAGES:
        if text == language:
            return language
    raise ValueError(text)


def decide_language(
    setting: Language | None,
    *,
    option: Language | None = None,
    headers: Iterable[Mapping[str, str]] = (),
) -> Language:
    """The one rule. `setting`: EVENTSYNC_LANG; `option`: the command's --lang; `headers`:
    each sheet's headers (field -> header text) when the text is about sheets."""
    if setting is not None:
        return setting
    if option is not None:
        return option
    languages = {headers_language(labels) for labels in headers}
    return "ja" if languages == {"ja"} else "en"


def environment_language(environment: Mapping[str, str]) -> Language:
    """For a message about the run itself when the settings could not be read (a bad
    setting, an unreadable .env): EVENTSYNC_LANG if it names a language, else English."""
    try:
        return decide_language(language_named(environment.get(VARIABLE)))
    except ValueError:
        return "en"


def _labels(sheet: Sheet) -> Mapping[str, str]:
    return {name: header.text for name, header in sheet.headers.items()}


def sheet_language(sheet: Sheet, settings: WithLanguage) -> Language:
    """The language of a sheet's messages: EVENTSYNC_LANG, else its headers'."""
    return decide_language(settings.language, headers=[_labels(sheet)])


def run_language(sheets: Iterable[Sheet], settings: WithLanguage) -> Language:
    """The terminal's language: EVENTSYNC_LANG, else Japanese when every sheet is."""
    return decide_language(settings.language, headers=map(_labels, sheets))
