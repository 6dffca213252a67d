"""The catalogue's messages about the command line's first doors: a mistyped command,
`--force` followed by something that is neither objectIds nor a sheet.
Each: (English, Japanese).
"""

from __future__ import annotations

FIRST_HOUR_DOORS: dict[str, tuple[str, str]] = {
    # cli.py: the first word is not a command (argparse's own error names no close one)
    "cli.unknown_command_close": (
        '"{typed}" is not an eventsync command; did you mean "{close}"?'
        " The commands: {commands} ({help} says what each does)",
        "「{typed}」はeventsyncのコマンドではありません。「{close}」のことですか？"
        "コマンド：{commands}（それぞれの説明は「{help}」）",
    ),
    "cli.unknown_command": (
        '"{typed}" is not an eventsync command. The commands: {commands}'
        " ({help} says what each does)",
        "「{typed}」はeventsyncのコマンドではありません。"
        "コマンド：{commands}（それぞれの説明は「{help}」）",
    ),
    # arguments.py: what followed --force is neither objectIds nor a sheet's path
    "force.not_ids": (
        "--force {value}: --force takes objectIds separated by commas"
        " (--force 5823713216,5823713217), or nothing to force every event;"
        " {value} is neither, nor a sheet (.xlsx, .xlsm, .csv)",
        "「--force {value}」：「--force」にはカンマ区切りのobjectId（「--force 5823713216,5823713217」）を"
        "指定するか、何も付けずにすべてのイベントを対象にしてください。「{value}」はobjectIdでも"
        "シート（.xlsx、.xlsm、.csv）でもありません",
    ),
}
