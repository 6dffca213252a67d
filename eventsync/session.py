"""One run's session: the HubSpot client, the portal, the state store and the run log.

Run stage, beside the run loop and pull. `sync`, `plan`, `pull`, `history` and each
sync of `watch` open one (`with RunSession(...) as session:`), as requests' `Session`
holds what a series of requests shares: what a run needs is set up here and only
here, each part once and only when first asked for, and everything is closed here on
every way out. An error, Ctrl-C or a bug still ends the run log with its exit code,
and the state database and the log are closed before the exception goes on: on
Windows an open file cannot be moved, replaced or deleted (a later run in the same
process, `state/place.py`'s move, a test removing its folder).

It never decides what to send and never prints: what the user should hear goes to
the callbacks it is given.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from eventsync.config import Settings
from eventsync.errors import EventsyncError, ExitCode
from eventsync.hubspot.answers import PropertyTypes
from eventsync.hubspot.client import HubSpotClient
from eventsync.messages import Text, in_every_language, reason
from eventsync.model import Stop
from eventsync.participants_run import ParticipantsResult, SheetOutcome, run_participants
from eventsync.run import Progress, RunOptions, RunResult, run
from eventsync.sheets.participants_sheet import ParticipantsSheet
from eventsync.state.portal import Portal, identify_portal, open_store
from eventsync.state.runlog import RunLog
from eventsync.state.snapshot import SnapshotStore

MakeClient = Callable[..., HubSpotClient]  # (settings, notify=..., log_request=...)


def _tally(outcome: SheetOutcome) -> dict[str, str | int]:
    """One participants file's counts as the run log keeps them (never an email)."""
    return {
        "sheet": outcome.sheet.name,
        "sent": outcome.sent,
        "failed": len(outcome.failed),
        "held": len(outcome.plan.held),
        "invalid": len(outcome.plan.bad),
        "unchanged": len(outcome.plan.unchanged),
    }


def _silent(message: str) -> None:
    """What a run that says nothing meanwhile (`plan`) does with the client's notes."""


def _quiet(name: str) -> Progress:
    """A run whose progress nobody follows."""
    return lambda done, total: None


class RunSession:
    """What one run talks to and writes, opened once, closed together.

    `writing`: the run may write state (`sync`, `pull`, `watch`); else the store is
    opened read-only and the portal found is not remembered (`plan`, `history`).
    `log`: the run log's name ("sync", "pull"), None for a run that keeps none. The run
    log is created on entering, before anything is asked of HubSpot: a state folder
    that cannot take it stops the run before any request.
    `make_client(settings, notify=, log_request=)` makes the client when one is first
    needed (never without a token); `client` instead lends one that outlives the
    session (`watch`: pacing carries over from one sync to the next), whose requests
    its owner passes on to `log_request`.
    `lost(line)` is told when the run log stopped short (a disk filling up mid-run).
    `log_after_state`: the run log is created once the state is open, not on entering
    (`watch`: a sync that HubSpot stops before that leaves no log behind, so a long
    outage does not push the last real runs' logs out of the LOGS_KEPT kept)."""

    def __init__(
        self,
        settings: Settings,
        *,
        writing: bool,
        log: str | None = None,
        make_client: MakeClient | None = None,
        client: HubSpotClient | None = None,
        notify: Callable[[str], None] = _silent,
        lost: Callable[[str], None] = _silent,
        log_after_state: bool = False,
    ):
        self.settings = settings
        self._writing = writing
        self._log_name = log
        self._make_client = make_client
        self._client = client
        self._client_made = client is not None  # (made or lent: decided once)
        self._own_client: HubSpotClient | None = None  # made here: closed here
        self._notify = notify
        self._lost = lost
        self.log: RunLog | None = None
        self._portal: Portal | None = None
        self._store: SnapshotStore | None = None
        self._ended = False
        self._closed = False
        self._log_after_state = log_after_state

    def __enter__(self) -> RunSession:
        if not self._log_after_state:
            self._open_log()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if error is not None and not self._ended:
                self._end_after(error)
        finally:
            self.close()

    # -- what a run needs, each made once, when first asked for ------------------------

    @property
    def client(self) -> HubSpotClient | None:
        """HubSpot's client; None without a token (`plan` and `history` can run
        without one)."""
        if not self._client_made:
            self._client_made = True
            if self._make_client is not None and self.settings.token is not None:
                self._client = self._make_client(
                    self.settings, notify=self._notify, log_request=self.log_request
                )
                self._own_client = self._client
        return self._client

    @property
    def hubspot(self) -> HubSpotClient:
        """The client of a command that cannot run without one (`pull`: its settings
        require the token, so no client here is our own mistake)."""
        client = self.client
        if client is None:
            raise RuntimeError("no HubSpot client: the settings should have required a token")
        return client

    @property
    def portal(self) -> Portal:
        """The HubSpot account this run talks to: remembered, else asked of HubSpot
        (state/portal.py). Raises before anything is sent when HubSpot does not answer."""
        if self._portal is None:
            settings = self.settings
            self._portal = identify_portal(
                settings.database_dir,
                settings.base_url,
                settings.token,
                self.client,
                remember=self._writing,
            )
        return self._portal

    @property
    def store(self) -> SnapshotStore:
        """The store of the portal's state (opened read-only for a run that only reads)."""
        return self._open_store()

    def _open_store(self) -> SnapshotStore:
        if self._closed:
            raise RuntimeError("the run's session is closed: its state is no longer open")
        if self._store is None:
            self._store = open_store(self.settings, self.portal, writing=self._writing)
        self._open_log()
        return self._store

    def _open_log(self) -> None:
        if self._log_name is not None and self.log is None and not self._closed:
            self.log = RunLog(self.settings.state_dir, self._log_name)

    def open(self) -> Portal:
        """The portal and the store of its state, opened now: a state that cannot be
        used is said before anything else. Returns the portal."""
        self._open_store()
        return self.portal

    def custom_properties(self) -> PropertyTypes:
        """The types of the portal's custom properties, as HubSpot defines them; None
        without a client."""
        client = self.client
        return client.custom_properties() if client is not None else None

    # -- the run and its log ------------------------------------------------------------

    def run(
        self,
        paths: Sequence[Path],
        options: RunOptions,
        *,
        command: str,
        progress: Callable[[str], Progress] | None = None,
        reading: Callable[[str], Progress] | None = None,
        then: Callable[[RunResult], tuple[int, str | None]] | None = None,
        participants: Sequence[Path] = (),
    ) -> RunResult:
        """The run loop over `paths` with this session's state and client, between the
        run log's start and end lines (`command`: "sync" or "watch"). `then(result)`:
        more of the run before its end line (the `participants` files, named in the
        start line: `run_participants`), its exit code and message."""
        store, client = self.store, self.client  # (the portal first: it may stop the run)
        if self.log is not None:
            sheets = [path.name for path in paths]
            people = {"participants": [path.name for path in participants]} if participants else {}
            self.log.write(
                "start", command=command, sheets=sheets, **people, baseUrl=self.settings.base_url
            )
        result = run(
            paths,
            self.settings,
            store,
            client,
            options,
            progress=progress or _quiet,
            reading=reading or _quiet,
            log=self.log,
        )
        code: int = result.exit_code
        message = result.stop.message if result.stop else None
        if then is not None:
            more, said = then(result)
            code, message = code or more, message or said
        self.end(code, message)
        return result

    def run_participants(
        self,
        sheets: Sequence[ParticipantsSheet],
        *,
        send: bool,
        allow_create: bool,
        stop: Stop | None = None,
        two_way: bool = False,
    ) -> ParticipantsResult:
        """The participants files (participants_run.py) with this session's state and
        client, after the events (`stop`: theirs); each file's rows sent and failed into
        the run log (its requests carry no names: they are people). `two_way`: each row
        checked against HubSpot's breakdown first (--two-way)."""
        people = run_participants(
            sheets,
            self.settings,
            self.store,
            self.client,
            send=send,
            allow_create=allow_create,
            stop=stop,
            two_way=two_way,
        )
        if self.log is not None and send:
            for outcome in people.sheets:
                self.log.write("participants", **_tally(outcome))
        return people

    def sync_participants(
        self, sheets: Sequence[ParticipantsSheet], *, command: str
    ) -> ParticipantsResult:
        """A sync of participants files alone (`watch` syncs one file at a time), between
        the run log's start and end lines; contacts created only as the settings allow
        (EVENTSYNC_CREATE_CONTACTS)."""
        found: list[ParticipantsResult] = []

        def then(result: RunResult) -> tuple[int, str | None]:
            people = self.run_participants(
                sheets, send=True, allow_create=self.settings.create_contacts, stop=result.stop
            )
            found.append(people)
            return people.exit_code, people.stop.message if people.stop else None

        paths = [sheet.path for sheet in sheets]
        self.run([], RunOptions(), command=command, then=then, participants=paths)
        return found[0]

    def end(self, exit_code: int, message: str | None) -> None:
        """The run log's last line: how the run ended."""
        self._ended = True
        if self.log is not None:
            # Kept in every language: the log may be read later in the other one.
            said = {"said": in_every_language(message)} if message else {}
            self.log.write("end", exitCode=int(exit_code), message=message, **said)

    def log_request(self, entry: dict[str, Any]) -> None:
        """One request of the client, into the run log (if this run keeps one)."""
        if self.log is not None:
            self.log.request(entry)

    def close(self) -> None:
        """Close the client this session made (not one lent to it), the store and the
        run log, all three whatever happens to any; then say if the log stopped short.
        Closing again does nothing."""
        self._closed = True
        store, self._store = self._store, None
        client, self._own_client = self._own_client, None
        try:
            if client is not None:
                client.close()
        finally:
            self._close_state(store)

    def _close_state(self, store: SnapshotStore | None) -> None:
        try:
            if store is not None:
                store.close()
        finally:
            log, self.log = self.log, None
            if log is not None:
                log.close()
                if log.lost:
                    self._lost(Text("log.sync_went_on", lost=log.lost))

    def _end_after(self, error: BaseException) -> None:
        """The run log's end for a run that did not finish: a refusal with its exit code
        and message, Ctrl-C as an interruption, anything else as our bug (its type only:
        an exception's text may hold what the log must not)."""
        if isinstance(error, EventsyncError):
            self.end(error.exit_code, reason(error))  # still a Text: said in either language
        elif isinstance(error, KeyboardInterrupt):
            self.end(ExitCode.INTERRUPTED, Text("log.interrupted"))
        elif isinstance(error, Exception):
            with contextlib.suppress(Exception):  # (the bug itself is what goes on)
                self.end(ExitCode.BUG, type(error).__name__)
