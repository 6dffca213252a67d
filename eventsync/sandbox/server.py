"""Local HubSpot sandbox: the `Sandbox` handle tests and demos start, and `python -m`.

A stand-in for HubSpot's Marketing Events API on 127.0.0.1 (port 0 by default), with
scripted faults. The pieces: `events` (what an event is), `properties` (the portal's
custom properties and what each type takes), `validation` and `batch` (what
batch/update does), `limits` (rate windows), `replies` (HubSpot's error bodies), `knobs`
(the configuration, checked once), `state` (everything remembered, behind one lock),
`host` (what a served sandbox offers), `handler` (HTTP) and `admin` (`/_sandbox/`). This
module must never bind to anything but 127.0.0.1 and never print a token but the
sandbox's own public one (`startup.SANDBOX_TOKEN`). Started by hand it says how to use
it (`startup`); its events are changed as a colleague would with `colleague`.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

from eventsync.messages import Text, localise
from eventsync.sandbox import startup
from eventsync.sandbox.event_rules import JsonObject, load_events, make_event
from eventsync.sandbox.handler import SandboxServer
from eventsync.sandbox.host import Host
from eventsync.sandbox.knobs import KNOBS, Config, build_config, parse_rate_limit
from eventsync.sandbox.startup import SANDBOX_TOKEN, WALKTHROUGH, port_number
from eventsync.terminal import SafeStream, escaping_system_streams

__all__ = ["Sandbox", "main", "make_event", "parse_rate_limit"]

STOP_JOIN_S = 5.0
# A stop signal the system hands to the server's thread (Linux may, gVisor often does)
# wakes no sleep here: Python runs the handler when the main thread next looks, so it
# looks this often. One long sleep made such a sandbox ignore SIGTERM for an hour.
SIGNAL_LOOK_S = 0.5
STOP_POLL_S = 0.05  # how often serve_forever looks for stop(); keeps stop() fast


class Sandbox(Host):
    """The sandbox state served over HTTP on 127.0.0.1; not listening until `start()`.

    The library API (`events`, `requests`, `edit_event`, `script_fault`,
    `reset_counters`...) is inherited from `SandboxState`; knobs are the `Config` fields
    as keyword arguments (`rate_limit` as "N/S" or (N, S)).
    """

    def __init__(
        self,
        events: Iterable[Mapping[str, Any]] | Mapping[str, Any] = (),
        *,
        port: int = 0,
        verbose: bool = False,
        **knobs: Any,
    ):
        super().__init__(load_events(events), build_config(Config(), knobs))
        self.verbose = verbose
        self._port = port
        self._server: SandboxServer | None = None
        self._bound_port: int | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self) -> Sandbox:
        if self._server is not None:
            raise RuntimeError(f"the sandbox is already serving on {self.url}")
        self._stopping = threading.Event()
        self._server = SandboxServer(self._port, self)
        self._bound_port = self._server.server_address[1]
        serve = functools.partial(self._server.serve_forever, poll_interval=STOP_POLL_S)
        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; handlers asleep in a delay wake up and drop their connection."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        if self._thread is not None:  # set with _server
            self._thread.join(STOP_JOIN_S)
        self._server = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def pause(self, seconds: float) -> bool:
        """Sleep unless stopping; True means the sandbox is stopping and must not answer."""
        return seconds > 0 and self._stopping.wait(seconds)

    @property
    def port(self) -> int:
        """The bound port; still known after `stop()`, so tests can see it refuse."""
        if self._bound_port is None:
            raise RuntimeError("the sandbox is not started: call start() first")
        return self._bound_port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m eventsync.sandbox",
        description="A local HubSpot Marketing Events API on 127.0.0.1 for tests and demos.",
        epilog="Change its events as a colleague would in HubSpot: python -m eventsync.sandbox"
        " edit|add|delete|list --help. By hand, step by step: " + WALKTHROUGH,
    )
    parser.add_argument("--port", type=port_number, default=0, help="0 picks a free port (default)")
    parser.add_argument("--port-file", help="write the port number here once listening")
    parser.add_argument("--events", help='JSON file: a list of events or {"results": [...]}')
    tokens = parser.add_mutually_exclusive_group()
    tokens.add_argument(
        "--token", help=f"the only bearer token accepted (default: {SANDBOX_TOKEN})"
    )
    tokens.add_argument("--any-token", action="store_true", help="accept any bearer token")
    parser.add_argument(
        "--rate-limit", metavar="N/S", help="N requests per S seconds (default: 100/10)"
    )
    parser.add_argument("--retry-after", action="store_true", help="send Retry-After on 429")
    parser.add_argument(
        "--daily-limit", type=int, metavar="N", help="N API requests a day (default: 250000)"
    )
    parser.add_argument("--custom-properties", metavar="A,B", help="defined property names")
    parser.add_argument("--reject-marker", help="a batch with this text in a field gets 400")
    parser.add_argument("--latency-ms", type=int, default=0, help="delay every API answer")
    parser.add_argument("--missing-scopes", action="store_true", help="writes answer 403")
    parser.add_argument("--verbose", action="store_true", help="log each request line")
    parser.add_argument(
        "--portal-id", type=int, default=880_001, help="the account id the token belongs to"
    )
    parser.add_argument(
        "--no-account-details",
        dest="account_details",
        action="store_false",
        help="account details answer 403 (a key without that scope)",
    )
    parser.add_argument(
        "--account-down", action="store_true", help="account details answer 503 (HubSpot failing)"
    )
    parser.add_argument("--boolean-properties", metavar="A,B", help="those of type bool")
    parser.add_argument(
        "--no-echo-custom-properties",
        dest="echo_custom_properties",
        action="store_false",
        help="update results carry no customProperties",
    )
    parser.add_argument(
        "--reject-anonymously",
        dest="reject_names_row",
        action="store_false",
        help="a --reject-marker 400 names no input",
    )
    parser.add_argument(
        "--property-definitions",
        type=_json_file,
        metavar="FILE",
        help="JSON file: custom properties with type and options, as HubSpot lists them",
    )
    parser.add_argument(
        "--unreadable-properties",
        dest="properties_readable",
        action="store_false",
        help="the properties API answers 403 (a key without that scope)",
    )
    parser.add_argument(
        "--scopes",
        metavar="A,B",
        help="the only scopes the token holds (default: all), e.g. "
        "crm.objects.marketing_events.read",
    )
    parser.add_argument(
        "--require-custom-properties",
        action="store_true",
        help="refuse an update input without customProperties (the schema's reading)",
    )
    return parser.parse_args(argv)


def _read_events(path: str | None) -> list[JsonObject]:
    """The events of a JSON file, checked (ValueError naming the first bad one)."""
    if path is None:
        return []
    return list(load_events(json.loads(Path(path).read_text(encoding="utf-8"))).values())


def _json_file(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as problem:
        raise argparse.ArgumentTypeError(f"{path}: {problem}") from None


def _interrupt(signum: int, frame: FrameType | None) -> NoReturn:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    with escaping_system_streams():  # argparse writes to sys.stdout and sys.stderr itself
        args = parse_args(argv)
    out, err, language = SafeStream(sys.stdout), SafeStream(sys.stderr), startup.language()
    # A flag not given keeps the knob's default (HubSpot's rate limits among them).
    knobs = {name: getattr(args, name) for name in KNOBS if getattr(args, name) is not None}
    knobs["token"] = None if args.any_token else args.token or SANDBOX_TOKEN
    how = startup.launch(tuple(sys.argv[1:] if argv is None else argv), any_token=args.any_token)
    # Both stop cleanly; SIGINT is set too because a shell starts `cmd &` with it ignored.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    try:
        events = _read_events(args.events)
    except (OSError, ValueError) as problem:  # JSONDecodeError is a ValueError
        why = problem.strerror if isinstance(problem, OSError) else str(problem)
        bad = Text("sandbox.bad_events", file=args.events, problem=why or str(problem))
        print(f"sandbox: {localise(bad, language)}", file=err, flush=True)
        return 2
    try:
        sandbox = Sandbox(events, port=args.port, verbose=args.verbose, **knobs)
    except ValueError as problem:  # a knob's value (a developer's option)
        print(f"sandbox: {problem}", file=err, flush=True)
        return 2
    try:
        sandbox.start()
    except OSError as problem:  # the port is taken, or not ours to take: say which to use
        taken = startup.port_problem(args.port, problem, how)
        print(f"sandbox: {localise(taken, language)}", file=err, flush=True)
        return 2
    try:
        if args.port_file:  # written whole then renamed: a poller never reads half a file
            Path(args.port_file + ".tmp").write_text(str(sandbox.port), encoding="utf-8")
            os.replace(args.port_file + ".tmp", args.port_file)
        lines = startup.banner(sandbox.url, list(sandbox.events), knobs["token"], how, language)
        print("\n".join(lines), file=out, flush=True)
        while True:  # short naps: see SIGNAL_LOOK_S
            time.sleep(SIGNAL_LOOK_S)
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
