"""argparse's usage errors as catalogue messages, so they can be said in Japanese.

On top, beside `arguments` (whose parser's `error()` asks here). Pure: a message in,
a `Text` out (or None); never prints, never raises on a message it does not know.

argparse words its errors with gettext format strings and hands `error()` the finished
text. Each is recognised here by its own format, kept in the one table below; the parts
argparse filled in (option names, the values typed, the list of choices) are kept as they
are and only the words around them are the catalogue's. A message no format matches (a
future Python's new wording) gives None: the caller prints argparse's English as it is.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from eventsync.messages import Text

Said = Callable[..., Text]

# argparse's formats (the same in Python 3.11 to 3.13) -> the message saying it, given
# what argparse filled in, in order. `%r` parts come as `Text("usage.typed")`.
_TABLE: dict[str, Said] = {
    "unrecognized arguments: %s": lambda arguments: Text("usage.unrecognized", arguments=arguments),
    "the following arguments are required: %s": lambda arguments: Text(
        "usage.required", arguments=arguments
    ),
    "one of the arguments %s is required": lambda arguments: Text(
        "usage.one_required", arguments=arguments
    ),
    "not allowed with argument %s": lambda other: Text("usage.not_allowed_with", other=other),
    "ambiguous option: %(option)s could match %(matches)s": lambda option, matches: Text(
        "usage.ambiguous", option=option, matches=matches
    ),
    "ignored explicit argument %r": lambda value: Text("usage.ignored_value", value=value),
    "expected one argument": lambda: Text("usage.expected_one"),
    "expected at most one argument": lambda: Text("usage.expected_at_most_one"),
    "expected at least one argument": lambda: Text("usage.expected_at_least_one"),
    # argparse says "expected 1 argument" for nargs=1 (none of eventsync's): English
    "expected %s arguments": lambda count: Text("usage.expected_count", count=count),
    "invalid %(type)s value: %(value)r": lambda type, value: Text(
        "usage.invalid_value", type=type, value=value
    ),
    "invalid choice: %(value)r (choose from %(choices)s)": lambda value, choices: Text(
        "usage.invalid_choice", value=value, choices=choices
    ),
}
# What argparse puts around a message about one argument (its ArgumentError).
_ARGUMENT = "argument %(argument_name)s: %(message)s"
_PLACEHOLDER = re.compile(r"%(?:\(\w+\))?([sr])")


def _pattern(wording: str) -> tuple[re.Pattern[str], tuple[bool, ...]]:
    """argparse's format as a pattern of what it prints, each placeholder a group; and
    which groups are `%r` (argparse showed their value with repr)."""
    literals = _PLACEHOLDER.split(wording)[::2]
    reprs = tuple(kind == "r" for kind in _PLACEHOLDER.findall(wording))
    pattern = "(.+?)".join(re.escape(literal) for literal in literals)
    return re.compile(pattern, re.DOTALL), reprs


_PATTERNS = tuple((*_pattern(wording), said) for wording, said in _TABLE.items())
_ARGUMENT_PATTERN = _pattern(_ARGUMENT)[0]


def usage_error(message: str, carried: Text | None = None) -> Text | None:
    """argparse's `message` as a catalogue message, or None if it is not one argparse
    is known to say. `carried`: the message a type's ArgumentTypeError carried (argparse
    keeps only its English), said instead of that English."""
    about = _ARGUMENT_PATTERN.fullmatch(message)
    if about is None:
        return _known(message)
    argument, inner = about.groups()
    said = carried if carried is not None and carried == inner else _known(inner)
    return None if said is None else Text("usage.argument", argument=argument, message=said)


def _known(message: str) -> Text | None:
    for pattern, reprs, said in _PATTERNS:
        found = pattern.fullmatch(message)
        if found is not None:
            parts = found.groups()
            return said(
                *(_typed(part) if r else part for part, r in zip(parts, reprs, strict=True))
            )
    return None


def _typed(shown: str) -> str:
    """A value argparse showed with repr ('yes'): the value itself, to be quoted as each
    language quotes; as shown when it does not read back to exactly that."""
    try:
        value = ast.literal_eval(shown)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return shown
    if not isinstance(value, str | int | float) or repr(value) != shown:
        return shown
    return Text("usage.typed", value=value)
