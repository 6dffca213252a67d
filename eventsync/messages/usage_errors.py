"""The catalogue's words of argparse's own usage errors (`eventsync sync --bogus`,
`eventsync watch --quiet-seconds` with no value): each English entry is argparse's
message as argparse words it (Python 3.11 to 3.13), its `%s` placeholders as fields, so
that the English said from the catalogue is argparse's text to the byte
(tests/test_parser_errors.py). The fields are what argparse showed: option names,
the command's argument names, the values typed. Each: (English, Japanese).
"""

from __future__ import annotations

USAGE_ERRORS: dict[str, tuple[str, str]] = {
    # arguments.py: the line argparse ends with, after the usage line
    "usage.error": ("error: {message}", "エラー：{message}"),
    # parser_errors.py: argparse's messages
    "usage.argument": ("argument {argument}: {message}", "「{argument}」：{message}"),
    "usage.typed": ("{value!r}", "「{value}」"),  # a value argparse quoted (its %r)
    "usage.unrecognized": (
        "unrecognized arguments: {arguments}",
        "解釈できない引数があります：「{arguments}」",
    ),
    "usage.required": (
        "the following arguments are required: {arguments}",
        "次の引数を指定してください：{arguments}",
    ),
    "usage.one_required": (
        "one of the arguments {arguments} is required",
        "次のどれか1つを指定してください：{arguments}",
    ),
    "usage.not_allowed_with": (
        "not allowed with argument {other}",
        "「{other}」と一緒には指定できません",
    ),
    "usage.ambiguous": (
        "ambiguous option: {option} could match {matches}",
        "「{option}」に当てはまるオプションが複数あります：{matches}",
    ),
    "usage.ignored_value": (
        "ignored explicit argument {value}",
        "値を取らないオプションです。{value}を外してください",
    ),
    "usage.expected_one": ("expected one argument", "値を1つ指定してください"),
    "usage.expected_at_most_one": ("expected at most one argument", "値は1つまでです"),
    "usage.expected_at_least_one": (
        "expected at least one argument",
        "値を1つ以上指定してください",
    ),
    "usage.expected_count": ("expected {count} arguments", "値を{count}個指定してください"),
    "usage.invalid_value": (
        "invalid {type} value: {value}",
        "{value}は{type}の値として読めません",
    ),
    "usage.invalid_choice": (
        "invalid choice: {value} (choose from {choices})",
        "{value}は選べません。次のどれかにしてください：{choices}",
    ),
}
