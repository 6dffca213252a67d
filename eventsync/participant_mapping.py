"""Settings: the header mapping for participants files exported by other tools (issue 26,
item 4; docs/participants.md "Files other tools export"): which of a file's own headers
holds each participants field, and which of its own words mean each state.

Read from two `.env` settings, one line each, that a user edits in Notepad:

    EVENTSYNC_PARTICIPANTS_COLUMNS=state=参加状況; joinedAt=入室時刻; leftAt=退室時刻
    EVENTSYNC_PARTICIPANTS_STATES=attend=出席, Yes; register=欠席, No

Pure parsing, beside config: it never reads a file (the sheets reader applies the
mapping) and never decides what a row means (plan/participants.py does).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from eventsync.columns import normalise_header
from eventsync.messages import Quoted, Text

COLUMNS_SETTING = "EVENTSYNC_PARTICIPANTS_COLUMNS"
STATES_SETTING = "EVENTSYNC_PARTICIPANTS_STATES"

# The fields a file's own header may stand for. The result columns (syncError,
# contactId, sentAt) are not among them: eventsync writes those, never into an
# export's own columns.
MAPPABLE = (
    "email",
    "objectId",
    "state",
    "interactionDateTime",
    "joinedAt",
    "leftAt",
    "externalEventId",  # (the events sheet's, for an event eventsync created)
)
STATES = ("register", "attend", "cancel")
_FIELD_OF = {name.casefold(): name for name in MAPPABLE}


@dataclass(frozen=True)
class ParticipantMapping:
    # field -> the header as the user typed it (compared as headers are: normalise_header)
    columns: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # a word as compared (state_word) -> register, attend or cancel
    states: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


def state_word(text: str) -> str:
    """A state's word as compared: width, case and surrounding spaces ignored."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _entries(text: str, setting: str, problems: list[str]) -> list[tuple[str, str]]:
    """`name=value; name=value` -> pairs, both sides stripped; an entry that is not
    one is a problem. Empty entries (a trailing `;`) are skipped."""
    pairs = []
    for entry in text.split(";"):
        if not entry.strip():
            continue
        name, equals, value = entry.partition("=")
        if not equals or not name.strip() or not value.strip():
            problems.append(Text("mapping.entry", setting=setting, entry=Quoted(entry.strip())))
            continue
        pairs.append((name.strip(), value.strip()))
    return pairs


def parse_columns(text: str | None, problems: list[str]) -> dict[str, str]:
    """EVENTSYNC_PARTICIPANTS_COLUMNS -> field -> header; problems appended."""
    found: dict[str, str] = {}
    by_header: dict[str, str] = {}
    for name, header in _entries(text or "", COLUMNS_SETTING, problems):
        field_name = _FIELD_OF.get(name.casefold())
        if field_name is None:
            problems.append(
                Text(
                    "mapping.unknown_field",
                    setting=COLUMNS_SETTING,
                    name=Quoted(name),
                    fields=", ".join(MAPPABLE),
                )
            )
        elif field_name in found:
            problems.append(Text("mapping.field_twice", setting=COLUMNS_SETTING, name=field_name))
        elif normalise_header(header) in by_header:
            first = by_header[normalise_header(header)]
            problems.append(
                Text(
                    "mapping.header_twice",
                    setting=COLUMNS_SETTING,
                    header=Quoted(header),
                    first=first,
                    second=field_name,
                )
            )
        else:
            found[field_name] = header
            by_header[normalise_header(header)] = field_name
    return found


def parse_states(text: str | None, problems: list[str]) -> dict[str, str]:
    """EVENTSYNC_PARTICIPANTS_STATES -> word -> state; words separated by commas."""
    found: dict[str, str] = {}
    for name, words in _entries(text or "", STATES_SETTING, problems):
        state = name.casefold()
        if state not in STATES:
            problems.append(
                Text(
                    "mapping.unknown_state",
                    setting=STATES_SETTING,
                    name=Quoted(name),
                    states=", ".join(STATES),
                )
            )
            continue
        for word in (w.strip() for w in words.replace("、", ",").split(",")):
            if not word:
                continue
            before = found.get(state_word(word))
            if before is not None and before != state:
                problems.append(
                    Text(
                        "mapping.word_twice",
                        setting=STATES_SETTING,
                        word=Quoted(word),
                        first=before,
                        second=state,
                    )
                )
            else:
                found[state_word(word)] = state
    return found


def parse_mapping(
    columns: str | None, states: str | None, problems: list[str]
) -> ParticipantMapping:
    """Both settings read; every problem appended (a setting to fix: exit 2)."""
    return ParticipantMapping(
        MappingProxyType(parse_columns(columns, problems)),
        MappingProxyType(parse_states(states, problems)),
    )
