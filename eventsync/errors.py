"""Errors the user can act on, grouped by what the user can do about them.

Row problems are *not* here: a bad row is a value (`model.RowProblem`) that lands in
its own annotation cell, and a stop in mid-run is a value too (`model.Stop`). These
exceptions end a run before anything is sent, or end a read of HubSpot; each carries
the exit code the CLI reports. Messages are written for the user: where, what, and
what to do. Nothing is classified by searching a message's text: the class says it.

    fix the file      SheetError (UnsupportedWorkbookError)          exit 2
    fix a setting     SettingsError                                   exit 2
    fix the folder    StateFolderError (StateDatabaseError)           exit 2
    fix the token     AuthError                                       exit 3
    wait and rerun    TryLaterError (RunStoppedError, AlreadyRunningError,
                      WorkbookOpenError, FileInUseError, DiskFullError,
                      StateAfterSendError)
                                                                      exit 1 or 2
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # everything in sync
    ROWS_FAILED = 1  # some rows failed, are invalid or in conflict; see their syncError cells
    BAD_INPUT = 2  # bad file or setting, or another run holds the lock; nothing was sent
    REFUSED = 3  # HubSpot refused the token or its scopes
    BUG = 70  # an unexpected error: a bug in eventsync
    INTERRUPTED = 130  # Ctrl-C: what HubSpot confirmed so far is kept
    # A closed pipe is the reader's choice, not a failure: exit as a program killed by
    # SIGPIPE does in a shell (128 + 13), silently, so `eventsync plan | head -1` ends
    # quietly and `set -o pipefail` scripts can still tell the output was cut short.
    PIPE_CLOSED = 141


class EventsyncError(Exception):
    """Base of every error that ends a run with a message for the user."""

    exit_code: ExitCode = ExitCode.BAD_INPUT


# -- fix the file ------------------------------------------------------------------------


class SheetError(EventsyncError):
    """A file cannot be used (unreadable, no header, a cell we could not write safely)."""


class UnsupportedWorkbookError(SheetError):
    """A workbook we cannot annotate without risking the user's data (.xls, encrypted,
    a formula where a result would go, ...)."""


# -- fix a setting -----------------------------------------------------------------------


class SettingsError(EventsyncError):
    """One or more settings are missing or invalid; `problems` holds one line each."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# -- fix the folder ----------------------------------------------------------------------


class StateFolderError(EventsyncError):
    """The state folder cannot be used (a file stands in its place, it is read-only, or
    its disk is full before the run starts): nothing was sent."""


class StateDatabaseError(StateFolderError):
    """The state database cannot be used: damaged, written by a newer eventsync, or
    unreadable. Nothing is sent: a run without its memory would resend every row.
    `problem`: what is wrong and what to do, without what it means for HubSpot (the
    message says "Nothing was sent"; once HubSpot confirmed batches in the run, the
    store says what HubSpot has instead: `StateAfterSendError`)."""

    def __init__(self, message: str, *, problem: str | None = None):
        super().__init__(message)
        self.problem = problem


# -- fix the token -----------------------------------------------------------------------


class AuthError(EventsyncError):
    """HubSpot refused the token or its scopes: nothing else in this run can succeed."""

    exit_code = ExitCode.REFUSED

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status  # 401 or 403


# -- wait and rerun ----------------------------------------------------------------------


class TryLaterError(EventsyncError):
    """Nothing is wrong with the user's files or settings: running again later works."""

    exit_code = ExitCode.ROWS_FAILED


class RunStoppedError(TryLaterError):
    """HubSpot will accept nothing more now (daily limit, a very long wait, HubSpot
    could not be read): raised by reads; a batch update returns a `model.Stop` instead."""

    def __init__(self, message: str, row_message: str):
        super().__init__(message)
        self.row_message = row_message  # what each row not sent is annotated with


class AlreadyRunningError(TryLaterError):
    """Another eventsync run holds the lock on this state folder."""

    exit_code = ExitCode.BAD_INPUT


class WorkbookOpenError(TryLaterError):
    """A spreadsheet program holds the file open: writing now would fail or be lost."""


class FileInUseError(TryLaterError):
    """Another program has open a file eventsync was told to replace (`template --force`,
    `pull --force`): nothing was written. Exit 2, as for the run lock: the command did
    nothing, and does it once the file is closed."""

    exit_code = ExitCode.BAD_INPUT


class StateAfterSendError(TryLaterError):
    """The state database failed after HubSpot confirmed batches in this run: HubSpot has
    those changes, the database every batch before the failure; the next run finds the
    rest in HubSpot (exit 1, as the README's exit-code table says)."""


class BackupFolderError(TryLaterError):
    """The backup of a file about to be replaced cannot be made (its folder cannot be
    made): the file is not replaced. Exit 2 for `template --force` and `pull --force`
    (nothing was written); in a sync, after HubSpot confirmed, the results wait (exit 1)."""

    exit_code = ExitCode.BAD_INPUT


class DiskFullError(TryLaterError):
    """A file could not be written because its disk is full. The file is as it was (writes
    are atomic); what HubSpot confirmed stays in HubSpot, where the next run finds it."""


class ReadOnlyWorkbookError(TryLaterError):
    """The sheet is read-only (no write permission): its results are not written into
    it. HubSpot has the changes; making the file writable and running again writes them."""


class WorkbookChangedError(TryLaterError):
    """The sheet kept being saved while eventsync wrote its results: nothing was written
    over the user's saves; the next run writes the results."""
