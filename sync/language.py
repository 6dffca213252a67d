"""Which language a reader gets: EVENTSYNC_LANG when set, else a sheet's cells follow its
headers (Japanese headers: Japanese) and the terminal is Japanese when every sheet of
the run is. Pure decisions; never prints.
"""

from __future__ import annotations

from collections.abc import Iterable

from sync.columns import headers_language
from sync.config import Settings
from sync.messages import Language
from sync.model import Sheet


def sheet_language(sheet: Sheet, settings: Settings) -> Language:
    """The language of a sheet's messages: EVENTSYNC_LANG, else its headers'."""
    labels = {name: header.text for name, header in sheet.headers.items()}
    return settings.language or headers_language(labels)


def run_language(sheets: Iterable[Sheet], settings: Settings) -> Language:
    """The terminal's language: EVENTSYNC_LANG, else Japanese when every sheet is."""
    if settings.language:
        return settings.language
    languages = {sheet_language(sheet, settings) for sheet in sheets}
    return "ja" if languages == {"ja"} else "en"
