"""Characters a legacy-encoded file could not hold: "?" that is not the user's edit.

Pure. Japanese Excel saves "CSV" as Shift-JIS (CP932): every character outside it (an
en dash, emoji, some kanji variants) becomes "?". Sent, that "?" would overwrite the
real text in HubSpot. A text change that differs from the snapshot only where "?"
stands for such characters is no edit: the row is not sent, and it says which
characters were lost and how to save the file so that they are kept.

New text is harder: nothing says what a "?" typed into a Shift-JIS file stood for. A
text change in such a file that brings a "?" the confirmed text did not have (a new
row's text, or an edit) is held too: the row says the save may have replaced
characters and how to save as UTF-8; a "?" that is meant goes out with `--force`.
URLs are left alone ("?" starts their query), and so are files of plain ASCII, which
are most often UTF-8 files of English text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from eventsync.columns import Kind, kind_of
from eventsync.messages import Text, command
from eventsync.model import FieldChange, Plan, PlannedUpdate, ProblemCode, RowProblem, SyncedEvent
from eventsync.values import show_value

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
    *,
    force: bool = False,
    force_ids: frozenset[str] = frozenset(),
) -> Plan:
    """`plan` without the rows whose changes include a text only a save in `encoding`
    changed (None: a file that holds every character; nothing to check), nor, in a
    Shift-JIS file, the rows whose new text brings a "?" (unless forced: `force`, or
    the event in `force_ids`). `snapshot` is what each change's `old` comes from: only a
    confirmed value can have been lost."""
    if encoding is None:
        return plan
    updates: list[PlannedUpdate] = []
    problems = list(plan.problems)
    for update in plan.updates:
        found: list[RowProblem] = []
        if update.object_id in snapshot:
            found = [
                _problem(update.row_number, LostText(change.field, lost), encoding, labels)
                for change in update.changes
                if (lost := _lost_in(change, encoding))
            ]
        if not found and encoding in GUESSED and not (force or update.object_id in force_ids):
            found = [
                _maybe_problem(update, change, encoding, labels)
                for change in update.changes
                if brings_question_mark(change)
            ]
        if found:
            problems.extend(found)
        else:
            updates.append(update)
    return Plan(tuple(updates), plan.unchanged, tuple(problems))


# Encodings whose "?" in new text is taken for a replaced character: a file positively
# saved as Shift-JIS. Not plain ASCII: that is most often a UTF-8 file of English text,
# whose "?" is meant.
GUESSED = frozenset({"cp932"})
NOT_GUESSED = frozenset({"eventUrl"})  # "?" starts a URL's query


def brings_question_mark(change: FieldChange) -> bool:
    """A text change whose new value has more "?" than the confirmed one (none, for a
    value never confirmed)."""
    if kind_of(change.field) is not Kind.TEXT or change.field in NOT_GUESSED:
        return False
    if not isinstance(change.new, str) or "?" not in change.new:
        return False
    before = change.old.count("?") if isinstance(change.old, str) else 0
    return change.new.count("?") > before


def _maybe_problem(
    update: PlannedUpdate, change: FieldChange, encoding: str, labels: Mapping[str, str]
) -> RowProblem:
    label = labels.get(change.field, change.field)
    message = Text(
        "row.maybe_replaced",
        label=label,
        value=show_value(change.new),
        encoding=encoding_name(encoding),
        force=command("sync", "--force", update.object_id),
    )
    return RowProblem(update.row_number, label, ProblemCode.MAYBE_REPLACED, message)


def _problem(
    row_number: int, text: LostText, encoding: str, labels: Mapping[str, str]
) -> RowProblem:
    label = labels.get(text.field, text.field)
    name = encoding_name(encoding)
    return RowProblem(
        row_number,
        label,
        ProblemCode.LOST_CHARACTERS,
        Text("row.lost_characters", label=label, encoding=name, characters=shown(text.lost)),
    )


def encoding_name(encoding: str) -> str:
    return ENCODING_NAMES.get(encoding, encoding)


def shown(characters: tuple[str, ...]) -> str:
    """Characters for a message: named as well as shown, since the message goes into the
    same file, which cannot hold them: `"–" (U+2013 EN DASH)`."""
    return ", ".join(f'"{char}" ({_name(char)})' for char in characters)


def _name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip()
