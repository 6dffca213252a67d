"""The watcher's I/O: file events in, one `run` per quiet sheet, lines out.

`FileEvents` (a thread) turns watchfiles' events into (sheet, stamp, time) items; the
main thread keeps the `Schedule` and runs each sync with the run loop `sync` uses, one at a time,
under the state folder's lock (held by the caller for the watcher's whole life). It
never exits on a transient error: HubSpot out, the token refused, the daily limit and
settings to fix are reported once and waited out. A stop request (Ctrl-C, SIGTERM,
`watch --stop`; see `stopping`) is taken between syncs, or after the batch in flight:
HubSpot's client, told of it, sends nothing more and the sync ends in a stop cut short
(a value, as every stop is): the rows not sent are left as they are for the next start.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from eventsync.config import Settings
from eventsync.errors import AuthError, EventsyncError, ExitCode, RunStoppedError, SettingsError
from eventsync.hubspot.client import HubSpotClient
from eventsync.language import sheet_language
from eventsync.messages import Language, Text, joined, localise, reason
from eventsync.model import FileStamp, Stop
from eventsync.output.participants import people_language
from eventsync.output.report import for_terminal
from eventsync.output.watch_lines import (
    problem_json,
    problem_line,
    sync_json,
    sync_line,
    waiting_written_json,
    waiting_written_line,
)
from eventsync.output.watch_people import people_report
from eventsync.participants_run import ParticipantsResult, read_all
from eventsync.run import RunOptions, RunResult
from eventsync.safe_files import remove_stale_temps
from eventsync.session import RunSession
from eventsync.sheets.folder import not_here, placeholder_at
from eventsync.sheets.participants_sheet import (
    ParticipantsSheet,
    has_participants,
    is_participants_file,
)
from eventsync.visible import one_line, visible_json, visible_text
from eventsync.watch.backoff import Backoff, Outage, outage_message, outage_of
from eventsync.watch.logfile import WatchLog
from eventsync.watch.notifications import Closed, FileEvents, NotHere
from eventsync.watch.schedule import Schedule
from eventsync.watch.watched_files import is_open_elsewhere, stamp_now, writer_refuses

TICK_S = 0.5  # how often open workbooks are looked at, and a stop request noticed


@dataclass(frozen=True)
class WatchOptions:
    quiet_s: float = 2.0
    as_json: bool = False
    backoff: Backoff = Backoff()


@dataclass
class _Outage:
    kind: Outage = Outage.NONE
    failures: int = 0
    said: set[str] = field(default_factory=set)  # problems already reported


class Watcher:
    """Watch `folder` (every sheet in it) or only `targets`; `load_settings()` reads the
    settings again before each sync, so a token fixed in .env is picked up."""

    def __init__(
        self,
        settings: Settings,
        load_settings: Callable[[], Settings],
        make_client: Callable[..., HubSpotClient],
        *,
        folders: Sequence[Path],
        targets: Sequence[Path] | None,
        options: WatchOptions,
        stdout: TextIO,
        stderr: TextIO,
        stop: threading.Event,
        log: WatchLog | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = lambda: datetime.now().astimezone(),
    ):
        self._settings = settings
        self._load_settings = load_settings
        self._make_client = make_client
        self._files = FileEvents(
            folders, targets, debounce_ms=max(100, int(options.quiet_s * 1000)), clock=clock
        )
        self._options = options
        self._stdout, self._stderr = stdout, stderr
        self._watch_log = log  # --log-file: everything printed, also there
        self._stop = stop
        self._clock, self._wall = clock, wall
        self._schedule = Schedule(options.quiet_s)
        self._outage = _Outage()
        self._client: HubSpotClient | None = None
        self._client_settings: Settings | None = None
        self._session: RunSession | None = None  # the session of the sync in progress
        self._decisions: list[str] = []  # the client's decisions in the sync in progress
        self._results_waiting: set[Path] = set()  # sheets whose results wait for a close

    # -- the loop ---------------------------------------------------------------------

    def watch(self) -> int:
        """Watch until a stop is asked for; returns the exit code (0)."""
        self._files.start()
        try:
            for folder in self._files.folders:  # what a killed write left beside a sheet
                remove_stale_temps(folder)
            now = self._clock()
            for path in self._files.sheets():  # what changed while nobody watched
                self._schedule.sync_now(path, now)
            for away in self._files.placeholders():
                self._not_here(away)
            where = ", ".join(one_line(str(f)) for f in self._files.folders)
            quiet = f"{self._options.quiet_s:g}"
            self._say(Text("watch.watching", folders=where, quiet=quiet))
            self._loop()
        finally:
            self._files.stop()
            if self._client is not None:
                self._client.close()
        self._say(Text("watch.stopped"))
        return ExitCode.OK

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._files.check()
            now = self._clock()
            for path in self._schedule.waiting_for_close():
                if not is_open_elsewhere(path):
                    self._schedule.closed(path, now)
            for path in self._schedule.due(now):
                if self._stop.is_set():
                    return
                self._sync(path)
                self._take_events(block_s=0)
            next_due = self._schedule.next_due()
            wait = TICK_S if next_due is None else min(TICK_S, max(0.0, next_due - self._clock()))
            self._take_events(block_s=wait)

    def _take_events(self, *, block_s: float) -> None:
        """Hand the file events seen so far (waiting up to `block_s` for one) to the schedule."""
        events = self._files.queue
        try:
            event = events.get(timeout=block_s) if block_s > 0 else events.get_nowait()
        except queue.Empty:
            return
        while True:
            if isinstance(event, Closed):
                self._schedule.closed(event.path, self._clock())
            elif isinstance(event, NotHere):
                self._not_here(event)
            else:
                self._schedule.changed(event.path, event.stamp, event.at)
            try:
                event = events.get_nowait()
            except queue.Empty:
                return

    # -- one sync -----------------------------------------------------------------------

    def _sync(self, path: Path) -> None:
        self._schedule.started(path)
        before = stamp_now(path)
        if before is None:
            return  # deleted before its turn
        placeholder = placeholder_at(path)
        if placeholder is not None:  # online-only: reading it would download it, or fail
            self._schedule.synced(path, [], waiting_for_close=False)  # any change: again
            self._not_here(NotHere(path, placeholder))
            return
        if is_open_elsewhere(path) and not writer_refuses(path):
            # The writer does not know this program's lock file: sending now would
            # write into the open workbook. Everything waits until it is closed.
            self._schedule.synced(path, [before], waiting_for_close=True)
            self._tell_once(
                f"open:{path}",
                path,
                Text("watch.open_elsewhere", file=path.name),
            )
            return
        try:
            settings = self._current_settings()
        except SettingsError as error:
            self._schedule.synced(path, [], waiting_for_close=False)
            self._out_of_service(Outage.SETTINGS, [path], joined(error.problems, "\n"))
            return
        # Participants are read first, as `sync` reads them (a sheet to fix sends
        # nothing); a participants file is never read as an events sheet (which would
        # write "objectId on two rows" into every row), and an events workbook's own
        # Participants sheet is synced after its events, as `sync` does.
        mapping = settings.participant_mapping
        try:
            people = read_all([path], mapping) if has_participants(path, mapping) else []
        except EventsyncError as error:  # a participants sheet to fix: nothing is sent
            self._schedule.synced(path, [before], waiting_for_close=False)
            self._problem(path, reason(error), int(error.exit_code))
            return
        ours: list[FileStamp | None] = [before]
        if not is_participants_file(path, mapping):
            events = self._step(path, before, lambda: self._run(path, settings), settings)
            if events is None or not people:
                return
            ours, was_waiting = events
        else:
            was_waiting = False
        self._step(
            path,
            before,
            lambda: self._run_people(people, settings),
            settings,
            ours=ours,
            was_waiting=was_waiting,
        )

    def _step(
        self,
        path: Path,
        before: FileStamp,
        run: Callable[[], RunResult | ParticipantsResult],
        settings: Settings,
        *,
        ours: Sequence[FileStamp | None] = (),
        was_waiting: bool = False,
    ) -> tuple[list[FileStamp | None], bool] | None:
        """One sync of `path` (its events, or its participants), said as watch says it;
        returns the versions it knows as its own and whether it waits for the file to
        close, or None when the sheet's turn ends here (HubSpot out, a file to fix, a
        stop)."""
        try:
            result = run()
        except (AuthError, RunStoppedError) as error:  # HubSpot refused or failed a read
            if isinstance(error, RunStoppedError) and error.cut_short:
                return None  # a stop asked for: the sheet is left for the next start
            kind = outage_of(self._decisions)
            if isinstance(error, AuthError):
                kind = Outage.REFUSED
            self._schedule.synced(path, [before], waiting_for_close=False)
            self._out_of_service(
                kind if kind is not Outage.NONE else Outage.DOWN, [path], reason(error)
            )
            return None
        except EventsyncError as error:  # a file (or the state folder) to fix: this sheet only
            # Only the version it started from is known: a save meanwhile (the fix) counts.
            self._schedule.synced(path, [before], waiting_for_close=False)
            self._problem(path, reason(error), int(error.exit_code))
            return None
        if result.stop is not None and result.stop.cut_short:
            return None  # what HubSpot confirmed is saved and annotated, the rest goes next time
        if isinstance(result, ParticipantsResult):
            return self._after_people(path, ours, result, settings, was_waiting=was_waiting)
        return self._after(path, before, result)

    def _new_session(self, settings: Settings) -> RunSession:
        return RunSession(
            settings,
            writing=True,
            log="sync",
            client=self._client_for(settings),
            lost=lambda line: self._say(f"eventsync: {self._said(line)}"),
            log_after_state=True,
        )

    def _run(self, path: Path, settings: Settings) -> RunResult:
        session = self._new_session(settings)
        with session:
            session.open()
            # The client's decisions of this sync, from here: a key that may not read its
            # account details (403) is no outage of the sync.
            self._session, self._decisions = session, []  # (its log takes the requests)
            try:
                return session.run([path], RunOptions(), command="watch")
            finally:
                self._session = None

    def _run_people(
        self, sheets: Sequence[ParticipantsSheet], settings: Settings
    ) -> ParticipantsResult:
        """Participants sheets (read before anything of the file was sent), synced as
        `sync` syncs them: contacts created only as EVENTSYNC_CREATE_CONTACTS allows."""
        session = self._new_session(settings)
        with session:
            session.open()
            self._session, self._decisions = session, []
            try:
                return session.sync_participants(sheets, command="watch")
            finally:
                self._session = None

    def _after_people(
        self,
        path: Path,
        ours: Sequence[FileStamp | None],
        result: ParticipantsResult,
        settings: Settings,
        *,
        was_waiting: bool = False,
    ) -> tuple[list[FileStamp | None], bool]:
        """`ours`: the versions this sync knew as its own before (the events' write of
        the same workbook, a moment ago)."""
        [outcome] = result.sheets
        self._outage.said.discard(f"open:{path}")
        self._outage.said.discard(f"away:{path}")
        waiting = was_waiting or (outcome.warning is not None and is_open_elsewhere(path))
        known = [*ours, outcome.sheet.stamp, outcome.own_version]
        self._schedule.synced(path, known, waiting_for_close=waiting)
        language = people_language(result, settings)
        shown = people_report(
            self._wall(), result, as_json=self._options.as_json, waiting=waiting, language=language
        )
        if self._settled(path, lambda: self._print(shown), result.stop):
            self._waiting_written(path, outcome.warning, language, waiting=waiting)
        return known, waiting

    def _after(
        self, path: Path, before: FileStamp, result: RunResult
    ) -> tuple[list[FileStamp | None], bool]:
        [sheet] = result.sheets
        self._outage.said.discard(f"open:{path}")  # said again the next time it is open
        self._outage.said.discard(f"away:{path}")  # and when it is online-only again
        waiting = sheet.warning is not None and is_open_elsewhere(path)
        read = sheet.planned.sheet.stamp
        # Its own write is the version the writer made, known by its identity as it
        # replaced the file; not the file as found now: a save landing between the
        # write and this line would be taken for it, and its edit held back until the
        # next save (issue 21).
        known = [before, read, sheet.own_version]
        self._schedule.synced(path, known, waiting_for_close=waiting)
        if self._settled(path, lambda: self._print_sync(sheet, result, waiting), result.stop):
            language = sheet_language(sheet.planned.sheet, self._settings)
            self._waiting_written(path, sheet.warning, language, waiting=waiting)
        return known, waiting

    def _settled(self, path: Path, show: Callable[[], None], stop: Stop | None) -> bool:
        """After a sync: `show()` its line, unless HubSpot is out and said so already
        (then the outage is reported once and waited out: False); HubSpot answering
        again after an outage is said."""
        kind = outage_of(self._decisions)
        if kind is not Outage.NONE:
            if self._outage.kind is not kind:
                show()
            self._out_of_service(kind, [path], stop.message if stop else None)
            return False
        if self._decisions and self._outage.kind is not Outage.NONE:
            self._say(Text("watch.answers_again", time=f"{self._wall():%H:%M:%S}"))
            self._outage = _Outage()
            self._schedule.release()
        show()
        return True

    def _waiting_written(
        self, path: Path, warning: str | None, language: Language, *, waiting: bool
    ) -> None:
        """Once the results that waited for the workbook to close are in it, say so:
        what watch said while it was open was a promise."""
        if waiting:
            self._results_waiting.add(path)
            return
        if path not in self._results_waiting:
            return
        self._results_waiting.discard(path)
        if warning is not None:
            return  # not written, for another reason: that reason was printed
        at = self._wall()
        if self._options.as_json:
            self._print(waiting_written_json(at, path))
        else:
            self._print(waiting_written_line(at, path, language))

    def _print_sync(self, sheet: Any, result: RunResult, waiting: bool) -> None:
        at = self._wall()
        if self._options.as_json:
            line = sync_json(at, sheet, int(result.exit_code), waiting_for_close=waiting)
        else:
            language = sheet_language(sheet.planned.sheet, self._settings)
            line = sync_line(
                at, sheet, self._settings.timezone, waiting_for_close=waiting, language=language
            )
        self._print(line)

    # -- outages and problems ----------------------------------------------------------

    def _out_of_service(self, kind: Outage, paths: list[Path], detail: str | None) -> None:
        """Report an outage once, when it starts; wait longer each time it goes on."""
        state = self._outage
        state.failures = state.failures + 1 if state.kind is kind else 1
        wait = self._options.backoff.wait_s(
            kind, state.failures, self._wall(), self._settings.timezone
        )
        if state.kind is not kind:
            if detail:
                self._problem(paths[0] if len(paths) == 1 else None, detail, ExitCode.ROWS_FAILED)
            self._say(f"{self._wall():%H:%M:%S}  {self._said(outage_message(kind, wait))}")
        state.kind = kind
        self._schedule.hold(paths, self._clock() + wait)

    def _problem(self, path: Path | None, message: str, exit_code: int) -> None:
        at = self._wall()
        shown = localise(message, self._settings.run_language)
        for text in shown.splitlines() or [shown]:
            if self._options.as_json:
                self._print(problem_json(at, path, text, exit_code))
            else:
                self._say(problem_line(at, path, text))

    def _not_here(self, event: NotHere) -> None:
        """A watched sheet a cloud service keeps only online: said once, until it syncs."""
        self._tell_once(f"away:{event.path}", event.path, not_here([event.placeholder]))

    def _tell_once(self, key: str, path: Path, message: str) -> None:
        if key not in self._outage.said:
            self._outage.said.add(key)
            self._problem(path, message, ExitCode.OK)

    # -- HubSpot's client: one for the watcher's life, so pacing carries over ------------

    def _current_settings(self) -> Settings:
        fresh = self._load_settings()
        # The state folder is locked and the folders are watched: those stay as started,
        # and so does where the state database is kept (state/place.py).
        return replace(
            fresh,
            state_dir=self._settings.state_dir,
            sheets_dir=self._settings.sheets_dir,
            database_elsewhere=self._settings.database_elsewhere,
        )

    def _client_for(self, settings: Settings) -> HubSpotClient:
        if self._client is None or self._client_settings != settings:
            if self._client is not None:
                self._client.close()
            self._client = self._make_client(
                settings,
                notify=self._notify,
                log_request=self._log_request,
                sleep=self._sleep,
                stopping=self._stop.is_set,
            )
            self._client_settings = settings
        return self._client

    def _notify(self, message: str) -> None:
        if self._outage.kind is Outage.NONE:  # during an outage, its one line says enough
            self._say(message)

    def _log_request(self, entry: dict[str, Any]) -> None:
        decision = entry.get("decision")
        if isinstance(decision, str):
            self._decisions.append(decision)
        if self._session is not None:
            self._session.log_request(entry)

    def _sleep(self, seconds: float) -> None:
        """The client's waits (pacing, retries): cut short by a stop request, after
        which the client sends nothing more (it is told through `stopping`)."""
        self._stop.wait(seconds)

    # -- output ---------------------------------------------------------------------------

    # A reader that went away (BrokenPipeError; on Windows EINVAL, which the CLI's
    # streams raise as BrokenPipeError) is no reason to stop syncing.

    def _print(self, text: str) -> None:
        with contextlib.suppress(BrokenPipeError):
            print(text, file=self._stdout, flush=True)
        self._log_line(text, as_is=self._options.as_json)

    def _said(self, text: str) -> str:
        return localise(text, self._settings.run_language)

    def _say(self, text: str) -> None:
        shown = for_terminal(self._said(text))
        with contextlib.suppress(BrokenPipeError):
            print(shown, file=self._stderr, flush=True)
        self._log_line(shown, as_is=False)

    def _log_line(self, text: str, *, as_is: bool) -> None:
        if self._watch_log is None:
            return
        # The log is read on a terminal too (tail -f): filtered as the streams filter.
        shown = visible_json(text) if as_is else visible_text(text)
        lost = self._watch_log.write(self._wall(), shown, as_is=as_is)
        if lost is not None:
            with contextlib.suppress(BrokenPipeError):
                shown = localise(lost, self._settings.run_language)
                print(for_terminal(f"eventsync: {shown}"), file=self._stderr, flush=True)
