"""Output stage: HubSpot's type of a custom property as the user's language says it, for
plan's line on the custom columns HubSpot defines. Pure; never reads or writes anything.
A Japanese user does not read `enumeration`: the words are those of HubSpot's Japanese
menus; English keeps HubSpot's own word."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from eventsync.messages import Language, Text, say


def type_word(kind: str) -> Text | str:
    """A type HubSpot names; one not listed here, as HubSpot names it."""
    words = {
        "enumeration": Text("report.type_enumeration"),
        "string": Text("report.type_string"),
        "number": Text("report.type_number"),
        "date": Text("report.type_date"),
        "datetime": Text("report.type_datetime"),
        "bool": Text("report.type_bool"),
    }
    return words.get(kind, kind)


def defined_names(names: Sequence[str], defined: Mapping[str, str], language: Language) -> str:
    """`region (enumeration), budget (number)`; `region（選択肢）、budget（数値）`."""
    said = [
        say(language, "report.custom_known", name=name, type=type_word(defined[name]))
        for name in names
    ]
    return ("、" if language == "ja" else ", ").join(said)
