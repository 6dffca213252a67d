"""Suggested commands are pasted into the user's shell: POSIX shells read shlex's single
quotes; cmd.exe and PowerShell on Windows both read double quotes (cmd.exe not single)."""

from __future__ import annotations

import shlex

import pytest

from eventsync.messages import join_words

CASES = [
    # words, POSIX, Windows
    (("eventsync", "plan"), "eventsync plan", "eventsync plan"),
    (
        ("eventsync", "sync", "--force", "5823713202"),
        "eventsync sync --force 5823713202",
        "eventsync sync --force 5823713202",
    ),
    (
        ("eventsync", "sync", "--force", "5823713202,5823713203"),
        "eventsync sync --force 5823713202,5823713203",
        'eventsync sync --force "5823713202,5823713203"',  # PowerShell: 1,2 is a list
    ),
    (
        ("eventsync", "template", "my sheets/events.xlsx"),
        "eventsync template 'my sheets/events.xlsx'",
        'eventsync template "my sheets/events.xlsx"',
    ),
    (
        ("eventsync", "pull", "C:\\Users\\me\\My Events\\events.xlsx"),
        "eventsync pull 'C:\\Users\\me\\My Events\\events.xlsx'",
        'eventsync pull "C:\\Users\\me\\My Events\\events.xlsx"',
    ),
    (
        ("eventsync", "pull", "sheets\\events.xlsx"),
        "eventsync pull 'sheets\\events.xlsx'",
        "eventsync pull sheets\\events.xlsx",
    ),
    (("cd", "イベント"), "cd 'イベント'", 'cd "イベント"'),
    (("cd", "R&D (2026)"), "cd 'R&D (2026)'", 'cd "R&D (2026)"'),
    (("cd", "it's"), "cd 'it'\"'\"'s'", 'cd "it\'s"'),
    (("cd", 'say "hi"'), "cd 'say \"hi\"'", 'cd "say ""hi"""'),
    (("cd", ""), "cd ''", 'cd ""'),
    (("cd", "100%"), "cd 100%", 'cd "100%"'),
]


@pytest.mark.parametrize(("words", "posix", "windows"), CASES)
def test_commands_are_quoted_for_the_shell_of_the_platform(words, posix, windows):
    assert join_words(words, windows=False) == posix
    assert join_words(words, windows=True) == windows
    assert shlex.split(posix) == list(words)  # what a POSIX shell reads back
    assert "'" not in windows.replace("it's", "")  # never cmd.exe's unknown single quotes
