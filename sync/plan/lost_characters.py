"""Characters a legacy-encoded file could not hold: "?" that is not the user's edit.

Pure. Japanese Excel saves "CSV" as Shift-JIS (CP932): every character outside it (an
en dash, emoji, some kanji variants) becomes "?". Sent, that "?" would overwrite the
real text in HubSpot. A text change that differs from the snapshot only where "?"
stands for such characters is no edit: the row is not sent, and it says which
characters were lost and how to save the file so that they are kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from sync.columns import Kind, kind_of
from sync.messages import Text
from sync.model import FieldChange, Plan, PlannedUpdate, ProblemCode, RowProblem, SyncedEvent

ENCODING_NAMES = {"cp932": "Shift-JIS (CP932)", "ascii": "plain ASCII"}


@dataclass(frozen=True)
class LostText:
    field: str
    lost: tuple[str, ...]  # the characters that became "?", in order, each once


def lost_characters(old: str, new: str, encoding: str) -> tuple[str, ...]:
    """The characters of `old` that `encoding` cannot hold, if `new` is `old` with each
    of them turned into "?" (one, or two for a character outside the BMP, as programs
    writing UTF-16 code units do); () when `new` is anything else."""
    if "?" not in new:
        return ()
    pattern, lost = [], []
    for char in old:
        try:
            char.encode(encoding)
        except UnicodeEncodeError:
            pattern.append(r"\?{1,2}")
            if char not in lost:
                lost.append(char)
        else:
            pattern.append(re.escape(char))
    if lost and re.fullmatch("".join(pattern), new):
        return tuple(lost)
    return ()


def _lost_in(change: FieldChange, encoding: str) -> tuple[str, ...]:
    if kind_of(change.field) is not Kind.TEXT:
        return ()
    if not isinstance(change.old, str) or not isinstance(change.new, str):
        return ()
    return lost_characters(change.old, change.new, encoding)


def flag_lost_characters(
    plan: Plan,
    snapshot: Mapping[str, SyncedEvent],
    encoding: str | None,
    labels: Mapping[str, str],
) -> Plan:
    """`plan` without the rows whose changes include a text only a save in `encoding`
    changed (None: a file that holds every character; nothing to check). `snapshot` is
    what each change's `old` comes from: only a confirmed value can have been lost."""
    if encoding is None:
        return plan
    updates: list[PlannedUpdate] = []
    problems = list(plan.problems)
    for update in plan.updates:
        if update.object_id not in snapshot:
            updates.append(update)
            continue
        found = [
            LostText(change.field, lost)
            for change in update.changes
            if (lost := _lost_in(change, encoding))
        ]
        if not found:
            updates.append(update)
            continue
        problems.extend(_problem(update.row_number, text, encoding, labels) for text in found)
    return Plan(tuple(updates), plan.unchanged, tuple(problems))


def _problem(
    row_number: int, text: LostText, encoding: str, labels: Mapping[str, str]
) -> RowProblem:
    label = labels.get(text.field, text.field)
    # Named as well as shown: this text goes into the same file, which cannot hold them.
    shown = ", ".join(f'"{char}" ({_name(char)})' for char in text.lost)
    name = ENCODING_NAMES.get(encoding, encoding)
    return RowProblem(
        row_number,
        label,
        ProblemCode.LOST_CHARACTERS,
        Text("row.lost_characters", label=label, encoding=name, characters=shown),
    )


def _name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip()
