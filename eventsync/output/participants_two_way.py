"""Output: what `plan --two-way` and `sync --two-way` say of a participants sheet beyond
what is sent: rows that take (took) HubSpot's state, rows already as HubSpot has them,
conflicts, and the contacts HubSpot has in the sheet's events that the sheet lacks
(docs/participants.md, "Two-way sync of participants").

Rendering only: it reads the run's values and never decides anything.
"""

from __future__ import annotations

from eventsync.messages import Language, command, say
from eventsync.participants_run import SheetOutcome


def two_way_lines(outcome: SheetOutcome, language: Language, *, sending: bool) -> list[str]:
    """The sheet's two-way lines (none without --two-way, or with nothing to say)."""
    two_way = outcome.two_way
    if two_way is None:
        return []
    lines = []
    if two_way.taken and sending:
        lines.append(say(language, "people_two_way.took", count=len(two_way.taken)))
    elif two_way.taken:
        lines.append(say(language, "people_two_way.taken", count=len(two_way.taken)))
    if two_way.agreed:
        lines.append(say(language, "people_two_way.agreed", count=len(two_way.agreed)))
    if two_way.conflicts:
        lines.append(say(language, "people_two_way.conflicts", count=len(two_way.conflicts)))
    if two_way.missing:
        pull = command("pull", "--participants")
        lines.append(say(language, "people_two_way.missing", count=two_way.missing, pull=pull))
    return ["  " + line for line in lines]


def two_way_json(outcome: SheetOutcome) -> dict[str, int]:
    """The --json part of a sheet synced (or planned) with --two-way."""
    two_way = outcome.two_way
    if two_way is None:
        return {}
    return {
        "fromHubSpot": len(two_way.taken),
        "agreed": len(two_way.agreed),
        "conflicts": len(two_way.conflicts),
        "notInSheet": two_way.missing,
    }
