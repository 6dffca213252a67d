"""The command line: `eventsync sync|plan [PATH ...]`. Thin: parse, call, print, exit.

All failures map to exit codes here and only here (see `errors.ExitCode`). An
unexpected exception is reported as a bug in one line (traceback with --debug).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from eventsync.access import refused_access
from eventsync.arguments import (
    build_parser,
    command_names,
    force_and_paths,
    parse_force,
    unknown_command,
)
from eventsync.config import Settings, load_settings, read_environment
from eventsync.environment import Environment, using
from eventsync.errors import EventsyncError, ExitCode, SettingsError
from eventsync.hubspot.client import HubSpotClient
from eventsync.hubspot.routes import support_notices
from eventsync.language import decide_language, environment_language, language_named
from eventsync.messages import Language, Text, command, localise, reason, say
from eventsync.output import (
    page_counter,
    print_plan,
    print_sync,
    progress_printer,
    reading_printer,
    tell,
)
from eventsync.output.history import show_history
from eventsync.output.participants import (
    participants_json,
    people_language,
    plan_lines,
    sync_lines,
)
from eventsync.output.pull_progress import people_counter
from eventsync.output.report import (
    custom_columns,
    for_terminal,
)
from eventsync.output.run_log import render_log
from eventsync.participants_run import (
    ParticipantsResult,
    read_all,
    split_participants,
)
from eventsync.pull import pull
from eventsync.pull_participants import PeoplePull
from eventsync.run import RunOptions, RunResult, find_sheets
from eventsync.safe_files import remove_stale_temps
from eventsync.service.command import service_command
from eventsync.session import RunSession
from eventsync.sheets.participants_sheet import write_participants_template
from eventsync.sheets.sheet_choice import participants_sheet_name
from eventsync.sheets.template import write_template
from eventsync.state.lock import run_lock
from eventsync.state.place import StatePlace, kept_message, locate_state, move_database
from eventsync.state.runlog import last_log, read_entries
from eventsync.terminal import SafeStream, escaping_system_streams
from eventsync.watch.command import watch_command
from eventsync.workfolder import init_command


def main(
    argv: Sequence[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    make_client: Callable[..., HubSpotClient] = HubSpotClient,
    today: Callable[[], date] = date.today,
    environment: Environment | None = None,
) -> int:
    """`make_client(settings, notify=..., log_request=...)` builds the HubSpot client;
    tests pass one with short retry waits (e.g. `partial(HubSpotClient, policy=...)`);
    `today`: the date HubSpot's end-of-support notices are reckoned from; `environment`
    (eventsync/environment.py) is read from the process, once, if not given."""
    with using(environment or Environment.of_process()):
        return _main(argv, env, cwd, stdout, stderr, make_client, today)


def _main(
    argv: Sequence[str] | None,
    env: Mapping[str, str] | None,
    cwd: Path | None,
    stdout: TextIO | None,
    stderr: TextIO | None,
    make_client: Callable[..., HubSpotClient],
    today: Callable[[], date],
) -> int:
    given = stdout if stdout is not None else sys.stdout
    typed = list(sys.argv[1:] if argv is None else argv)
    if not typed:  # `eventsync` alone asks what it can do: the help, as pip and cargo
        with escaping_system_streams():
            build_parser(_language(cwd or Path.cwd(), env)).print_help(SafeStream(given))
        return ExitCode.OK
    mistyped = unknown_command(typed, command_names())
    if mistyped is not None:  # argparse's own error is English and suggests nothing
        said = localise(mistyped, _language(cwd or Path.cwd(), env))
        tell(SafeStream(stderr if stderr is not None else sys.stderr), f"eventsync: {said}")
        return ExitCode.BAD_INPUT
    # The help and argparse's usage errors in the user's language
    with escaping_system_streams():  # argparse writes to sys.stdout and sys.stderr itself
        args = build_parser(_language(cwd or Path.cwd(), env)).parse_args(argv)
    # Whatever the streams' encoding, a character they cannot hold is printed as its
    # escape, never an error; --json is written as UTF-8 (see eventsync.terminal).
    stdout = SafeStream(given, as_json=bool(getattr(args, "json", False)))
    stderr = SafeStream(stderr if stderr is not None else sys.stderr)
    cwd = cwd or Path.cwd()
    try:
        code = _command(args, cwd, env, stdout, stderr, make_client, today)
        # Flushed here, inside the mapping below: a reader that went away (`| head -1`)
        # is found now, not by the interpreter's last flush as an "ignored" traceback.
        stdout.flush()
        return code
    except BrokenPipeError:  # also Windows' EINVAL on a closed pipe (eventsync.terminal)
        return _pipe_closed(given)
    except SettingsError as error:
        language = _language(cwd, env)
        for problem in error.problems:
            tell(stderr, f"eventsync: {localise(problem, language)}")
        return error.exit_code
    except EventsyncError as error:
        language = _language(cwd, env)
        for line in localise(reason(error), language).splitlines():
            tell(stderr, f"eventsync: {line}")
        return error.exit_code
    except KeyboardInterrupt:
        tell(stderr, "eventsync: " + say(_language(cwd, env), "cli.interrupted"))
        return ExitCode.INTERRUPTED
    except PermissionError as error:  # a folder the system keeps us out of: not a bug
        refused = refused_access(error)
        if refused is None:
            return _bug(args, error, cwd, env, stderr)
        tell(stderr, f"eventsync: {localise(reason(refused), _language(cwd, env))}")
        return refused.exit_code
    except Exception as error:  # noqa: BLE001 - the one place that reports bugs
        return _bug(args, error, cwd, env, stderr)


def _bug(
    args: argparse.Namespace,
    error: Exception,
    cwd: Path,
    env: Mapping[str, str] | None,
    stderr: TextIO,
) -> int:
    if args.debug:
        traceback.print_exception(error, file=stderr)
    text = say(_language(cwd, env), "cli.bug", error=type(error).__name__)
    tell(stderr, f"eventsync: {text}")
    return ExitCode.BUG


def _language(cwd: Path, env: Mapping[str, str] | None) -> Language:
    """EVENTSYNC_LANG for a message about the run itself (no sheet to take it from)."""
    try:
        return environment_language(read_environment(cwd, env))
    except (OSError, ValueError, EventsyncError):  # a .env that cannot be read
        return environment_language(os.environ if env is None else env)


def _pipe_closed(stdout: TextIO | None) -> int:
    """The reader of stdout went away: say nothing, and point the real stdout at the
    null device, so the interpreter's final flush has nowhere to fail."""
    if stdout is not None and (stdout is sys.stdout or stdout is sys.__stdout__):
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stdout.fileno())
            os.close(devnull)
    return ExitCode.PIPE_CLOSED


def _command(
    args: argparse.Namespace,
    cwd: Path,
    env: Mapping[str, str] | None,
    stdout: TextIO,
    stderr: TextIO,
    make_client: Callable[..., HubSpotClient],
    today: Callable[[], date] = date.today,
) -> int:
    if args.command == "init":  # before reading .env: init may be about to write it
        return init_command(args, cwd, env, stdout, stderr)
    environment = read_environment(cwd, env)
    if args.command == "log":
        return _log(args, environment, cwd, stdout)
    if args.command == "history":
        return _history(args, environment, cwd, stdout, stderr, make_client)
    if args.command == "template":
        return _template(args, environment, cwd, stdout)
    if args.command == "watch":
        return watch_command(args, environment, cwd, env, stdout, stderr, make_client)
    if args.command == "service":
        return service_command(args, environment, cwd, stdout, stderr)
    if args.command == "plan":
        settings, place = _placed(environment, cwd, require_token=False, reading=True)
        return _run(args, settings, cwd, stdout, stderr, make_client, place, today)
    settings, place = _placed(environment, cwd, require_token=True)
    with run_lock(settings.state_dir):
        said = kept_message(place, moved=move_database(place), first_time_only=True)
        if said is not None:
            _teller(settings, stderr)(said)
        if args.command == "pull":
            return _pull(args, settings, cwd, stdout, stderr, make_client)
        return _run(args, settings, cwd, stdout, stderr, make_client, place)


def _history(
    args: argparse.Namespace,
    environment: Mapping[str, str],
    cwd: Path,
    stdout: TextIO,
    stderr: TextIO,
    make_client: Callable[..., HubSpotClient],
) -> int:
    settings, _ = _placed(environment, cwd, require_token=False, reading=True)
    # The portal found as `sync` finds it: remembered, else asked of HubSpot.
    reading = RunSession(
        settings, writing=False, make_client=make_client, notify=_teller(settings, stderr)
    )
    with reading as session:
        portal = session.portal
    found = show_history(
        settings.database_dir, portal.key, args.object_id, as_json=args.json, label=portal.label
    )
    print(localise(found, settings.run_language), file=stdout)
    return ExitCode.OK


def _placed(
    environment: Mapping[str, str], cwd: Path, *, require_token: bool, reading: bool = False
) -> tuple[Settings, StatePlace]:
    """The settings, with the state database where it is safe (state/place.py)."""
    settings = load_settings(environment, cwd=cwd, require_token=require_token)
    place = locate_state(settings, environment, cwd)
    if reading:
        place = place.for_reading()
    return place.applied(settings), place


def _silent(message: str) -> None:
    """`plan` says nothing of the client's retries and waits meanwhile."""


def _teller(settings: Settings, stderr: TextIO) -> Callable[[str], None]:
    """How a run tells the user what happens meanwhile (retries, waits, skipped files)."""
    return lambda message: print(
        for_terminal(localise(message, settings.run_language)), file=stderr
    )


def _run(
    args: argparse.Namespace,
    settings: Settings,
    cwd: Path,
    stdout: TextIO,
    stderr: TextIO,
    make_client: Callable[..., HubSpotClient],
    place: StatePlace,
    today: Callable[[], date] = date.today,
) -> int:
    """`plan` and `sync`: one run loop; `plan` is `sync` without the send and the write."""
    sending = args.command == "sync"
    # `--force events.xlsx`: the sheet argparse took as --force's value is a path again
    forced, typed_paths = force_and_paths(args.force, args.paths, cwd)
    force, force_ids = parse_force(forced)
    options = RunOptions(
        send=sending,
        two_way=args.two_way,
        force=force,
        force_ids=force_ids,
        add_new=getattr(args, "add_new", False),
        remote_check=not args.no_remote_check,
        allow_deletes=getattr(args, "allow_deletes", False),
    )
    paths = find_sheets(
        typed_paths, settings.sheets_dir, cwd, _teller(settings, stderr), verb=args.command
    )
    # Participants files (docs/participants.md), each read now: one to fix sends nothing.
    paths, people_paths = split_participants(paths, settings.participant_mapping)
    people_sheets = read_all(people_paths, settings.participant_mapping)
    if sending:  # what a killed write left beside a sheet (the lock cleans the state folder)
        for folder in {path.parent for path in [*paths, *people_paths]}:
            remove_stale_temps(folder)
    with RunSession(
        settings,
        writing=sending,
        log="sync" if sending else None,
        make_client=make_client,
        notify=_teller(settings, stderr) if sending else _silent,
        lost=lambda line: tell(stderr, f"eventsync: {localise(line, settings.run_language)}"),
    ) as session:
        portal = session.open()  # (HubSpot refused or did not say, a state to fix: nothing sent)
        if not sending:
            _say_where(portal.described, place, settings, stdout, stderr, as_json=args.json)
            if not args.json:  # HubSpot's end of support, near: said by `plan`
                for notice in support_notices(
                    settings.api_version, token=settings.token, today=today()
                ):
                    print(for_terminal(localise(notice, settings.run_language)), file=stdout)
        participants: list[ParticipantsResult] = []

        def then(result: RunResult) -> tuple[int, str | None]:
            """The participants files, after the events and before the log's end line."""
            people = session.run_participants(
                people_sheets,
                send=sending,
                allow_create=settings.create_contacts or args.create_contacts,
                stop=result.stop,
                two_way=args.two_way,
            )
            participants.append(people)
            return people.exit_code, people.stop.message if people.stop else None

        result = session.run(
            paths,
            options,
            command="sync",
            then=then,
            participants=people_paths,
            progress=lambda name: progress_printer(
                stderr, name, settings.batch_size, settings.run_language
            ),
            reading=lambda name: reading_printer(stderr, name, settings.run_language),
        )
        (people,) = participants
        names = custom_columns(result.planned) if not sending else []
        # Not after a stop: HubSpot just failed to answer, and asking again would only
        # make the user wait through the retries a second time.
        readable = result.read_hubspot and result.stop is None and bool(names)
        defined = session.custom_properties() if readable else None
    said = people_language(people, settings)
    extra = {"participants": participants_json(people, said)} if people.sheets else {}
    if not paths and people.sheets and not args.json:
        pass  # only participants files: nothing of events to say
    elif sending:
        print_sync(result, args.json, settings, stdout, stderr, extra=extra)
    else:
        print_plan(
            result, bool(forced), settings, stdout, (names, defined), as_json=args.json, extra=extra
        )
    if not args.json:
        lines = sync_lines(people, said) if sending else plan_lines(people, said)
        for line in lines:
            print(for_terminal(line, said), file=stdout)
    if people.stop is not None and result.stop is None:  # (the events' stop is said already)
        tell(stderr, f"eventsync: {localise(people.stop.message, said)}")
    return result.exit_code or people.exit_code


def _say_where(
    portal: str,
    place: StatePlace,
    settings: Settings,
    stdout: TextIO,
    stderr: TextIO,
    *,
    as_json: bool,
) -> None:
    """`plan` names the portal it read and says where the state is, each time (neither
    into its JSON: the state's place goes to stderr then)."""
    if not as_json:
        print(say(settings.run_language, "cli.portal", portal=portal), file=stdout)
    kept = kept_message(place)
    if kept is not None:
        shown = localise(kept, settings.run_language)
        if as_json:
            tell(stderr, shown)
        else:
            print(for_terminal(shown), file=stdout)


# What `template` says it wrote: (participants?, into the sheets folder?) -> message.
_TEMPLATE_WROTE: dict[tuple[bool, bool], Callable[..., Text]] = {
    (False, False): lambda **fields: Text("template.wrote", **fields),
    (False, True): lambda **fields: Text("template.wrote_in_folder", **fields),
    (True, False): lambda **fields: Text("people.template_wrote", **fields),
    (True, True): lambda **fields: Text("people.template_wrote_in_folder", **fields),
}


def _template(
    args: argparse.Namespace, environment: Mapping[str, str], cwd: Path, stdout: TextIO
) -> int:
    """`template OUT` (an events workbook) or `template --participants OUT.csv` (the
    header row of a participants file)."""
    target = cwd / args.out
    settings = load_settings(environment, cwd=cwd, require_token=False)
    write = write_participants_template if args.participants else write_template
    backup = write(
        target, args.lang, force=args.force, state_dir=settings.state_dir, typed=args.out
    )
    language = decide_language(None, option=language_named(args.lang))
    if backup is not None:
        print(say(language, "cli.backed_up", backup=backup), file=stdout)
    # Written into the sheets folder, it is already where a plain `plan` reads: saying
    # "save it into the sheets folder" would send the user looking for a step to take.
    in_folder = os.path.normcase(target.resolve().parent) == os.path.normcase(
        settings.sheets_dir.resolve()
    )
    wrote = _TEMPLATE_WROTE[args.participants, in_folder](target=target, plan=command("plan"))
    print(localise(wrote, language), file=stdout)
    return ExitCode.OK


def _pull(
    args: argparse.Namespace,
    settings: Settings,
    cwd: Path,
    stdout: TextIO,
    stderr: TextIO,
    make_client: Callable[..., HubSpotClient],
) -> int:
    counted = page_counter(stderr, settings.run_language)
    ended: list[bool] = []

    def end_events_line() -> None:  # once: the participants' reads have a line of their own
        if not ended:
            ended.append(True)
            counted(0, done=True)

    with RunSession(
        settings,
        writing=True,
        log="pull",
        make_client=make_client,
        notify=_teller(settings, stderr),
        lost=lambda line: tell(stderr, f"eventsync: {localise(line, settings.run_language)}"),
    ) as session:
        session.open()
        result = pull(
            session.hubspot,
            cwd / args.out,
            settings.timezone,
            session.store,
            lang=args.lang,
            force=args.force,
            keep_both=args.keep_both,
            on_page=counted,
            log=session.log,
            typed=args.out,
            participants=PeoplePull(
                people_counter(stderr, settings.run_language, first=end_events_line)
            )
            if args.participants
            else None,
            mapping=settings.participant_mapping,
        )
    end_events_line()
    language = decide_language(settings.language, option=language_named(args.lang))
    custom = ", ".join(result.custom_properties) or say(language, "pull.no_custom")
    plan, sync = command("plan"), command("sync")
    text = say(language, "pull.wrote", path=result.path, events=result.events, custom=custom)
    if result.people is not None:
        people = result.people
        sheet = participants_sheet_name("ja" if args.lang == "ja" else "en")
        rows, events = len(people.rows), people.events
        text += say(language, "pulled_people.wrote", sheet=sheet, rows=rows, events=events)
    print(text + say(language, "cli.next", plan=plan, sync=sync), file=stdout)
    if result.beside is not None:
        print(localise(result.beside, language), file=stdout)
    return ExitCode.OK


def _log(
    args: argparse.Namespace, environment: Mapping[str, str], cwd: Path, stdout: TextIO
) -> int:
    settings = load_settings(environment, cwd=cwd, require_token=False)
    path = last_log(settings.state_dir)
    if path is None:
        none = Text("log.none", folder=settings.state_dir / "logs")
        print(localise(none, settings.run_language), file=stdout)
        return ExitCode.OK
    if args.json:
        stdout.write(path.read_text(encoding="utf-8"))
    else:
        print(localise(render_log(path, read_entries(path)), settings.run_language), file=stdout)
    return ExitCode.OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
