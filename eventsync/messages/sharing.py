"""The catalogue's messages about a file another program holds open: Windows refuses to
replace a file while a program (Excel, a virus scan, a backup or cloud client) has it
open, and eventsync says so, naming the file and what to do. Each: (English, Japanese).

Fields: `{count:result|results}` picks a word by the count; `{again}` is the command
shown as the user runs eventsync; `{program}` is Excel or LibreOffice (their lock file
says which).
"""

from __future__ import annotations

SHARING: dict[str, tuple[str, str]] = {
    # The write-back (sheets/writer.py): HubSpot already has the changes.
    "write.in_use": (
        "{file} is in use by another program, so eventsync could not write its results"
        " into it; HubSpot has every change reported above. Close the program that has it"
        " open (or wait until it is done with it) and run {again} again: {count}"
        " {count:result is|results are} waiting",
        "{file}は別のプログラムが使用中のため、eventsyncは結果を書き込めませんでした。"
        "上に表示した変更はすべてHubSpotに反映されています。そのプログラムを閉じるか、"
        "使い終わるのを待ってから、もう一度「{again}」を実行してください（{count}件の結果が"
        "書き込みを待っています）",
    ),
    # Replacing a workbook the user asked to replace (template --force, pull --force).
    "replace.open": (
        "{target} is open in {program}, so it was not replaced; the file is as it was."
        " Close it in {program} and run {again} again",
        "{target}が{program}で開かれているため、置き換えませんでした。ファイルは元の"
        "ままです。{program}で閉じてから、もう一度「{again}」を実行してください",
    ),
    "replace.in_use": (
        "{target} is in use by another program, so it could not be replaced; the file is"
        " as it was. Close the program that has it open (or wait until it is done with it)"
        " and run {again} again",
        "{target}は別のプログラムが使用中のため、置き換えられませんでした。ファイルは元の"
        "ままです。そのプログラムを閉じるか、使い終わるのを待ってから、もう一度「{again}」を"
        "実行してください",
    ),
}
