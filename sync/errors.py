"""Errors the user can act on, grouped by what the run should do about them.

Row problems are *not* here: a bad row is a value (`model.RowProblem`) that lands in
its own annotation cell. These exceptions stop a run (or one sheet of a run), and each
carries the exit code the CLI reports. Messages are written for the user: where, what,
and what to do.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # everything in sync
    ROWS_FAILED = 1  # some rows failed or are invalid; see their syncError cells
    BAD_INPUT = 2  # bad file or setting; nothing was sent
    REFUSED = 3  # HubSpot refused the run (token or scope)
    BUG = 70  # an unexpected error: a bug in eventsync


class EventsyncError(Exception):
    """Base of every error that ends a run with a message for the user."""

    exit_code: ExitCode = ExitCode.BAD_INPUT


class SettingsError(EventsyncError):
    """One or more settings are missing or invalid; `problems` holds one line each."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class SheetError(EventsyncError):
    """A file cannot be used at all (unreadable, no header, unsupported format)."""


class UnsupportedWorkbookError(SheetError):
    """A workbook we cannot annotate without risking the user's data (.xls, encrypted...)."""


class AuthError(EventsyncError):
    """HubSpot refused the token or its scopes: nothing else in this run can succeed."""

    exit_code = ExitCode.REFUSED
