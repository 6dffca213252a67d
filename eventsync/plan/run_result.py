"""What a run of `plan` or `sync` comes to, as a value: every sheet as planned, what was
sent and written, a stop, and the exit code they make. Kept apart from `run.py` (which
does the run) so that what renders it (eventsync/output/) needs no part of the running.

Plan stage, pure: it never reads, sends or prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from eventsync.errors import ExitCode
from eventsync.model import Stop
from eventsync.plan.planned import PlannedSheet
from eventsync.plan.results import SheetResult


@dataclass(frozen=True)
class RunResult:
    planned: tuple[PlannedSheet, ...]  # every sheet as planned (after the check)
    sheets: tuple[SheetResult, ...] = ()  # what was sent and written (sync only)
    stop: Stop | None = None
    read_hubspot: bool = False

    @property
    def exit_code(self) -> ExitCode:
        """The one place a run's result becomes an exit code."""
        if self.stop is not None:
            return ExitCode(self.stop.exit_code)
        if self.sheets:
            attention = any(sheet.needs_attention for sheet in self.sheets)
        else:
            attention = any(p.plan.problems or p.lifecycle.gone for p in self.planned)
        return ExitCode.ROWS_FAILED if attention else ExitCode.OK
