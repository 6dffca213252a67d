"""Local HubSpot sandbox, HTTP side: a stdlib server on 127.0.0.1 that speaks HubSpot's
Marketing Events API, plus the `Sandbox` handle for tests and the `python -m` CLI.

Answers are decided in `sync.sandbox_state`; this module only moves bytes, applies
scripted faults and serves the `/_sandbox/` admin endpoints. It must never bind to
anything but 127.0.0.1, never record or log an Authorization header, and never leave a
client hanging: every request gets an answer, a scripted drop, or a closed socket at stop.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import dataclasses
import functools
import json
import os
import re
import signal
import socket
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn
from urllib.parse import parse_qsl, urlsplit

from sync.sandbox.state import (
    Config,
    Fault,
    JsonObject,
    Reply,
    SandboxState,
    error_body,
    is_numeric,
    not_found_reply,
)

API_PREFIXES = ("/marketing/v3/marketing-events", "/marketing/marketing-events/2026-03")
ADMIN_PREFIX = "/_sandbox/"
STOP_JOIN_S = 5.0
STOP_POLL_S = 0.05  # how often serve_forever looks for stop(); keeps stop() fast
KNOBS = tuple(knob.name for knob in dataclasses.fields(Config))
KNOB_TYPES = {"token": str, "reject_marker": str, "daily_limit": int, "latency_ms": int}
KNOB_TYPES |= {"retry_after": bool, "missing_scopes": bool}
KIND_WORDS = {str: "a string", int: "a whole number >= 0", bool: "true or false"}
# What socketserver hands a server; a TCP server's requests are always the socket.
Request = socket.socket | tuple[bytes, socket.socket]


def make_event(object_id: str | int, **overrides: Any) -> JsonObject:
    """A realistic event as HubSpot returns it; `overrides` replace any field."""
    event = {
        "objectId": str(object_id),
        "eventName": f"Event {object_id}",
        "eventType": "WEBINAR",
        "eventOrganizer": "Acme Events",
        "eventDescription": f"Description of event {object_id}",
        "eventUrl": f"https://events.example.com/{object_id}",
        "eventCancelled": False,
        "eventCompleted": False,
        "startDateTime": "2024-06-10T09:00:00.000Z",
        "endDateTime": "2024-06-10T11:00:00.000Z",
        "customProperties": [],
        "createdAt": "2024-05-22T12:29:50.734Z",
        "updatedAt": "2024-05-22T12:29:50.734Z",
        "eventStatus": "UPCOMING",
        "externalEventId": None,
        "appInfo": {"id": "1234567", "name": "eventsync sandbox"},
        "registrants": 0,
        "attendees": 0,
        "cancellations": 0,
        "noShows": 0,
    }
    event.update(copy.deepcopy(overrides))
    return event


def load_events(data: object) -> dict[str, JsonObject]:
    """Events from JSON (a list or `{"results": [...]}`) or any iterable of event dicts,
    with read-side defaults filled in."""
    items = data.get("results") if isinstance(data, dict) else data
    if isinstance(items, str | bytes | dict) or not isinstance(items, Iterable):
        raise ValueError('events must be a JSON list or {"results": [...]}')
    events = {}
    for number, item in enumerate(items, start=1):
        object_id = str(item.get("objectId", "")) if isinstance(item, dict) else ""
        if not is_numeric(object_id):
            raise ValueError(f"event #{number} needs a numeric objectId")
        events[object_id] = make_event(object_id, **{**item, "objectId": object_id})
    return events


def parse_rate_limit(spec: str | Sequence[int | float | str] | None) -> tuple[int, float] | None:
    """`"100/10"` or (100, 10) -> (100, 10.0); a bare `"100"` means per 10 s like HubSpot."""
    if spec is None:
        return None
    parts = spec.split("/", 1) if isinstance(spec, str) else list(spec)
    try:
        limit = (int(parts[0]), float(parts[1] if len(parts) > 1 else 10))
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"rate limit {spec!r} is not N/S, e.g. 100/10") from None
    if limit[0] < 1 or limit[1] <= 0:
        raise ValueError(f"rate limit {spec!r} needs N >= 1 and S > 0")
    return limit


def build_config(base: Config, changes: Mapping[str, Any]) -> Config:
    """`base` with knob changes (from kwargs, CLI or admin JSON) checked and normalised."""
    unknown = set(changes) - set(KNOBS)
    if unknown:
        raise ValueError(f"unknown knobs {sorted(unknown)}; known: {', '.join(KNOBS)}")
    knobs = dict(changes)
    if "rate_limit" in knobs:
        knobs["rate_limit"] = parse_rate_limit(knobs["rate_limit"])
    names = knobs.get("custom_properties")
    if names is not None:
        names = names.split(",") if isinstance(names, str) else names
        knobs["custom_properties"] = frozenset(str(n).strip() for n in names if str(n).strip())
    for name, kind in KNOB_TYPES.items():
        value = knobs.get(name)
        negative = kind is int and isinstance(value, int) and value < 0
        if value is not None and (type(value) is not kind or negative):
            raise ValueError(f"{name} must be {KIND_WORDS[kind]} or null, got {value!r}")
    if knobs.get("token") == "":  # `--token "$EMPTY"` in a Makefile means "no token set"
        knobs["token"] = None
    if "latency_ms" in knobs:
        knobs["latency_ms"] = knobs["latency_ms"] or 0
    return dataclasses.replace(base, **knobs)


def describe_config(config: Config) -> JsonObject:
    """The knobs as JSON, saying whether a token is set but never what it is."""
    view = dataclasses.asdict(config)
    view["token"] = None if config.token is None else "(set)"
    if config.rate_limit:
        view["rate_limit"] = f"{config.rate_limit[0]}/{config.rate_limit[1]:g}"
    if config.custom_properties is not None:
        view["custom_properties"] = sorted(config.custom_properties)
    return view


def route_api(method: str, path: str) -> tuple[str, str | None] | None:
    """("list"|"batch"|"get", objectId) for an API path under either version, else None."""
    for prefix in API_PREFIXES:
        rest = path[len(prefix) :] if path.startswith(prefix) else None
        if rest in ("", "/") and method == "GET":
            return "list", None
        if rest == "/batch/update" and method == "POST":
            return "batch", None
        if rest and re.fullmatch(r"/\d+", rest) and method == "GET":
            return "get", rest[1:]
    return None


def fault_reply(status: int, fault: Fault, correlation_id: str) -> Reply:
    """A scripted status answer; without a body, HubSpot's Error body for that status."""
    if fault.body is not None:
        return Reply(status, fault.body, fault.headers)
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:  # 477 and other HubSpot-only codes
        phrase = "Scripted fault"
    category = "INTERNAL_ERROR" if status >= 500 else phrase.upper().replace(" ", "_")
    body = error_body(f"{phrase} (scripted sandbox fault)", category, correlation_id)
    return Reply(status, body, fault.headers)


def unauthenticated_reply(correlation_id: str) -> Reply:
    message = (
        "Authentication credentials not found. This API supports OAuth 2.0 authentication "
        "and you can find more details at https://developers.hubspot.com/docs/methods/auth/"
        "oauth-overview"
    )
    return Reply(401, error_body(message, "INVALID_AUTHENTICATION", correlation_id))


def parse_json(raw: bytes) -> tuple[Any, bool]:
    """(value, True), or (None, False) when the body is not JSON; empty is (None, True)."""
    if not raw.strip():
        return None, True
    try:
        return json.loads(raw), True
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, False


class _Server(ThreadingHTTPServer):
    """Tracks open connections so `stop()` can close idle keep-alive sockets too."""

    daemon_threads = True

    def __init__(self, port: int, sandbox: Sandbox):
        self.sandbox = sandbox
        self._open: set[Request] = set()
        self._open_lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _Handler)

    def process_request(self, request: Request, client_address: tuple[str, int]) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Request) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._open_lock:
            connections = list(self._open)
        for connection in connections:
            if not isinstance(connection, socket.socket):  # never on TCP; for the type checker
                continue
            with contextlib.suppress(OSError):  # the client closed it first
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Request, client_address: tuple[str, int]) -> None:
        if self.sandbox.verbose:  # quiet by default: a client hanging up is not news
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive like HubSpot; every answer has Content-Length
    server_version = "eventsync-sandbox"
    # Headers and body go out in two writes; with Nagle on, the body waits for the
    # client's delayed ACK of the headers: a 40 ms stall per keep-alive request.
    disable_nagle_algorithm = True
    server: _Server  # the server that made this handler (socketserver types it as BaseServer)

    def do_GET(self) -> None:
        correlation_id = str(uuid.uuid4())
        try:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if url.path.startswith(ADMIN_PREFIX):
                sandbox = self.server.sandbox
                reply = answer_admin(sandbox, self.command, url.path, raw, correlation_id)
                self._send(reply, correlation_id)
            else:
                self._serve_api(url.path, dict(parse_qsl(url.query)), raw, correlation_id)
        except Exception:  # the one catch-all: a sandbox bug must answer, never hang a client
            if self.server.sandbox.verbose:
                traceback.print_exc()
            message = "The sandbox failed on this request: a bug in the sandbox."
            reply = Reply(500, error_body(message, "INTERNAL_ERROR", correlation_id))
            self._send(reply, correlation_id)

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.sandbox.verbose:  # the request line only: headers are never logged
            super().log_message(format, *args)

    def _serve_api(self, path: str, query: dict[str, str], raw: bytes, correlation_id: str) -> None:
        sandbox = self.server.sandbox
        body, is_json = parse_json(raw)
        ticket = sandbox.record(self.command, path, query, body)
        reply = self._answer_api(ticket, path, query, body, is_json, correlation_id)
        sandbox.finish(ticket, reply.status if reply else None)
        if reply is None:
            self._drop()
        else:
            headers = sandbox.limit_headers() + reply.headers
            self._send(dataclasses.replace(reply, headers=headers), correlation_id)

    def _answer_api(
        self,
        ticket: tuple[int, int],
        path: str,
        query: dict[str, str],
        body: Any,
        is_json: bool,
        correlation_id: str,
    ) -> Reply | None:
        """The reply to one API request, or None to drop the connection."""
        sandbox = self.server.sandbox
        if sandbox.pause(sandbox.config.latency_ms / 1000):
            return None
        fault = sandbox.take_fault(ticket)
        if fault is not None:
            if sandbox.pause(fault.delay_s) or fault.drop:
                return None
            if fault.status is not None:
                return fault_reply(fault.status, fault, correlation_id)
        if not sandbox.authorised(self.headers.get("Authorization")):
            return unauthenticated_reply(correlation_id)
        refused = sandbox.charge(correlation_id)
        if refused is not None:
            return refused
        action, object_id = route_api(self.command, path) or (None, None)
        if action == "list":
            return sandbox.list_events(query, sandbox.url + path, correlation_id)
        if action == "get" and object_id is not None:  # route_api gives "get" an id
            return sandbox.get_event(object_id, correlation_id)
        if action == "batch":
            return sandbox.batch_update(body, correlation_id, is_json=is_json)
        message = f"No endpoint {self.command} {path}"
        return Reply(404, error_body(message, "RESOURCE_NOT_FOUND", correlation_id))

    def _send(self, reply: Reply, correlation_id: str) -> None:
        if isinstance(reply.body, str):
            data, content_type = reply.body.encode(), "text/plain; charset=utf-8"
        else:
            data, content_type = json.dumps(reply.body).encode(), "application/json;charset=utf-8"
        headers = {"Content-Type": content_type, "X-HubSpot-Correlation-Id": correlation_id}
        headers |= dict(reply.headers)  # after the defaults: a scripted header wins
        try:
            self.send_response(reply.status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client gave up (timeout, kill): nobody is left to answer
            self.close_connection = True

    def _drop(self) -> None:
        """Close the socket without a byte of response, like a proxy that died."""
        self.close_connection = True
        with contextlib.suppress(OSError):  # already gone
            self.connection.shutdown(socket.SHUT_RDWR)


def script_faults_json(sandbox: Sandbox, body: object) -> list[int]:
    """Admin faults: `{"faults": [...]}`, a list, or one object; each names `n` (request
    number since start/reset) or `next` (1 = the next request), plus `script_fault`'s
    options."""
    items = body.get("faults", [body]) if isinstance(body, dict) else body
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ValueError('send {"faults": [{"n": 3, "status": 503}, ...]}')
    scheduled = []
    for item in items:
        options = {
            k: item[k] for k in ("status", "body", "headers", "drop", "delay_s") if k in item
        }
        if isinstance(item.get("next"), int):
            number = sandbox.request_count + item["next"]
        elif isinstance(item.get("n"), int):
            number = item["n"]
        else:
            raise ValueError(f'a fault needs "n" or "next" (a request number): {item}')
        scheduled.append(sandbox.script_fault(number, **options))
    return scheduled


def answer_admin(
    sandbox: Sandbox, method: str, path: str, raw: bytes, correlation_id: str
) -> Reply:
    """The `/_sandbox/` endpoints: not recorded, not rate-limited, no auth."""
    body, is_json = parse_json(raw)
    edit = re.fullmatch(r"/_sandbox/events/(\d+)", path)
    try:
        if not is_json:
            raise ValueError("the body is not JSON")
        if (method, path) == ("GET", "/_sandbox/requests"):
            recorded = [dataclasses.asdict(request) for request in sandbox.requests]
            return Reply(200, {"count": len(recorded), "requests": recorded})
        if (method, path) == ("GET", "/_sandbox/events"):
            events = sandbox.events
            return Reply(200, {"results": [events[i] for i in sorted(events, key=int)]})
        if (method, path) == ("POST", "/_sandbox/faults"):
            return Reply(200, {"scheduled": script_faults_json(sandbox, body)})
        if method == "POST" and not isinstance(body, dict | None):
            raise ValueError("the body must be a JSON object")
        if method == "POST" and edit:
            return Reply(200, sandbox.edit_event(edit[1], **(body or {})))
        if path == "/_sandbox/config" and method in ("GET", "POST"):
            if method == "POST":
                sandbox.configure(**(body or {}))
            return Reply(200, describe_config(sandbox.config))
        if (method, path) == ("POST", "/_sandbox/reset"):
            restore = (body or {}).get("events") is True
            sandbox.reset_counters(restore_events=restore)
            return Reply(200, {"reset": True, "eventsRestored": restore})
    except KeyError as missing:  # edit_event of an unknown objectId
        return not_found_reply(str(missing.args[0]), correlation_id)
    except (ValueError, TypeError) as problem:  # TypeError: a fault option of the wrong type
        return Reply(400, error_body(str(problem), "VALIDATION_ERROR", correlation_id))
    message = f"No endpoint {method} {path}"
    return Reply(404, error_body(message, "RESOURCE_NOT_FOUND", correlation_id))


class Sandbox(SandboxState):
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
        self._server: _Server | None = None
        self._bound_port: int | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self) -> Sandbox:
        if self._server is not None:
            raise RuntimeError(f"the sandbox is already serving on {self.url}")
        self._stopping = threading.Event()
        self._server = _Server(self._port, self)
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

    def configure(self, **knobs: Any) -> None:
        """Change knobs at run time (what POST /_sandbox/config does)."""
        self.set_config(build_config(self.config, knobs))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m sync.sandbox",
        description="A local HubSpot Marketing Events API on 127.0.0.1 for tests and demos.",
    )
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--port-file", help="write the port number here once listening")
    parser.add_argument("--events", help='JSON file: a list of events or {"results": [...]}')
    parser.add_argument("--token", help="the only bearer token accepted (default: any)")
    parser.add_argument("--rate-limit", metavar="N/S", help="N requests per S seconds")
    parser.add_argument("--retry-after", action="store_true", help="send Retry-After on 429")
    parser.add_argument("--daily-limit", type=int, metavar="N", help="N API requests a day")
    parser.add_argument("--custom-properties", metavar="A,B", help="defined property names")
    parser.add_argument("--reject-marker", help="a batch with this text in a field gets 400")
    parser.add_argument("--latency-ms", type=int, default=0, help="delay every API answer")
    parser.add_argument("--missing-scopes", action="store_true", help="writes answer 403")
    parser.add_argument("--verbose", action="store_true", help="log each request line")
    return parser.parse_args(argv)


def _interrupt(signum: int, frame: FrameType | None) -> NoReturn:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    knobs = {name: getattr(args, name) for name in KNOBS}
    # Both stop cleanly; SIGINT is set too because a shell starts `cmd &` with it ignored.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    try:
        events = json.loads(Path(args.events).read_text(encoding="utf-8")) if args.events else []
        sandbox = Sandbox(events, port=args.port, verbose=args.verbose, **knobs).start()
    except (OSError, ValueError) as problem:  # JSONDecodeError is a ValueError
        print(f"sandbox: {problem}", file=sys.stderr)
        return 2
    try:
        if args.port_file:  # written whole then renamed: a poller never reads half a file
            Path(args.port_file + ".tmp").write_text(str(sandbox.port), encoding="utf-8")
            os.replace(args.port_file + ".tmp", args.port_file)
        print(f"sandbox listening on {sandbox.url}", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
