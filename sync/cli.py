"""The command line: `eventsync sync|plan [PATH ...]`. Thin: parse, call, print, exit.

All failures map to exit codes here and only here (see `errors.ExitCode`). An
unexpected exception is reported as a bug in one line (traceback with --debug).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .client import HubSpotClient
from .config import load_settings, read_environment
from .errors import EventsyncError, ExitCode, SettingsError
from .lock import run_lock
from .report import plan_json, render_plan, render_run, run_json
from .run import SheetRunStopped, SnapshotStore, find_sheets, plan_sheets, sync_sheet
from .runlog import RunLog, last_log, read_entries, render_log


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eventsync",
        description="Keep a spreadsheet of marketing events and a HubSpot portal in step.",
    )
    parser.add_argument("--version", action="version", version=f"eventsync {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, text in (
        ("sync", "send every changed row to HubSpot and annotate the sheet"),
        ("plan", "dry run: show what sync would send, and every problem; sends nothing"),
    ):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument(
            "paths",
            nargs="*",
            metavar="PATH",
            help="sheets to use (default: all in the sheets folder)",
        )
        command.add_argument("--json", action="store_true", help="print JSON for scripts")
        command.add_argument(
            "--debug", action="store_true", help="show tracebacks of unexpected errors"
        )
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = build_parser().parse_args(argv)
    cwd = cwd or Path.cwd()
    try:
        environment = read_environment(cwd, env)
        if args.command == "plan":
            return _plan(args, environment, cwd, stdout)
        if args.command == "log":
            return _log(args, environment, cwd, stdout)
        settings = load_settings(environment, cwd=cwd, require_token=True)
        with run_lock(settings.state_dir):
            return _sync(args, settings, cwd, stdout, stderr)
    except SettingsError as error:
        for problem in error.problems:
            print(f"eventsync: {problem}", file=stderr)
        return error.exit_code
    except EventsyncError as error:
        for line in str(error).splitlines():
            print(f"eventsync: {line}", file=stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("eventsync: interrupted; what HubSpot confirmed so far is saved", file=stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the one place that reports bugs
        if args.debug:
            traceback.print_exc(file=stderr)
        print(
            f"eventsync: unexpected error ({type(error).__name__}); this is a bug in eventsync."
            " Run again with --debug for details.",
            file=stderr,
        )
        return ExitCode.BUG


def _plan(args, environment, cwd: Path, stdout: TextIO) -> int:
    settings = load_settings(environment, cwd=cwd, require_token=False)
    paths = find_sheets(args.paths, settings, cwd)
    store = SnapshotStore(settings)
    planned = plan_sheets(paths, settings, store.events)
    if args.json:
        print(
            json.dumps(plan_json(planned, settings.batch_size), ensure_ascii=False, indent=2),
            file=stdout,
        )
    else:
        print(render_plan(planned, settings.batch_size, settings.timezone), file=stdout)
    invalid = any(p.plan.problems for p in planned)
    return ExitCode.ROWS_FAILED if invalid else ExitCode.OK


def _log(args, environment, cwd: Path, stdout: TextIO) -> int:
    settings = load_settings(environment, cwd=cwd, require_token=False)
    path = last_log(settings.state_dir)
    if path is None:
        print(f"no sync has been logged yet (looked in {settings.state_dir / 'logs'})", file=stdout)
        return ExitCode.OK
    if args.json:
        stdout.write(path.read_text(encoding="utf-8"))
    else:
        print(render_log(path, read_entries(path)), file=stdout)
    return ExitCode.OK


def _sync(args, settings, cwd: Path, stdout: TextIO, stderr: TextIO) -> int:
    paths = find_sheets(args.paths, settings, cwd)
    store = SnapshotStore(settings)
    planned = plan_sheets(paths, settings, store.events)
    log = RunLog(settings.state_dir, "sync")
    log.write(
        "start", command="sync", sheets=[p.sheet.name for p in planned], baseUrl=settings.base_url
    )
    client = HubSpotClient(
        settings, notify=lambda message: print(message, file=stderr), log_request=log.request
    )
    runs, code, stop_message = [], ExitCode.OK, None
    try:
        for sheet_plan in planned:
            progress = _progress_printer(stderr, sheet_plan.sheet.name, settings.batch_size)
            try:
                run = sync_sheet(sheet_plan, client, settings, store, progress)
            except SheetRunStopped as stopped:
                run = stopped.run
                code, stop_message = stopped.reason.exit_code, str(stopped.reason)
            runs.append(run)
            log.write("sheet", sheet=run.planned.sheet.name, **run.tally.as_dict())
            if stop_message:
                break
        if code == ExitCode.OK and any(_needs_attention(run) for run in runs):
            code = ExitCode.ROWS_FAILED
        log.write("end", exitCode=int(code), message=stop_message)
    finally:
        log.close()
    if args.json:
        document = {"sheets": [run_json(run) for run in runs], "exitCode": int(code)}
        if stop_message:
            document["message"] = stop_message
        print(json.dumps(document, ensure_ascii=False, indent=2), file=stdout)
    else:
        for run in runs:
            print(render_run(run), file=stdout)
    if stop_message:
        print(f"eventsync: {stop_message}", file=stderr)
    return code


def _needs_attention(run) -> bool:
    t = run.tally
    return bool(t.failed or t.invalid or run.warning)


def _progress_printer(stream: TextIO, name: str, batch_size: int):
    """A one-line progress bar, only on a terminal and only for runs of several batches."""
    interactive = hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"

    def show(done: int, total: int) -> None:
        if not interactive or total <= batch_size:
            return
        width = 30
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        end = "\n" if done >= total else ""
        stream.write(f"\r{name} [{bar}] {done}/{total} events{end}")
        stream.flush()

    return show


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
