"""Sandbox HTTP side: the stdlib server on 127.0.0.1, routing, and moving bytes.

Answers are decided in `state` (API) and `admin` (the `/_sandbox/` endpoints); this module
only parses requests, applies scripted faults and writes replies. It must never bind to
anything but 127.0.0.1, never record or log an Authorization header, and never leave a
client hanging: every request gets an answer, a scripted drop, or a closed socket at stop.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
import socket
import sys
import threading
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from eventsync.sandbox.admin import answer_admin, parse_json
from eventsync.sandbox.contacts import answer_contacts
from eventsync.sandbox.external_ids import answer_external, route_external
from eventsync.sandbox.host import Host
from eventsync.sandbox.participants import (
    answer_participants,
    refresh_counters,
    route_participants,
)
from eventsync.sandbox.replies import Reply, error_body, fault_reply, unauthenticated_reply

# Version -> path prefix, as HubSpot publishes them. Date-versioned list paths have no
# trailing slash; v3's list is served with and without one (the SDK uses the slash).
API_PREFIXES = {
    "v3": "/marketing/v3/marketing-events",
    "2026-03": "/marketing/marketing-events/2026-03",
    "2026-09": "/marketing/marketing-events/2026-09",
}
# The properties API takes an object's name or its type id (marketing events: 0-54).
PROPERTY_PATHS = {
    f"/crm/{version}/{object_type}"
    for version in ("v3/properties", "properties/2026-03", "properties/2026-09")
    for object_type in ("marketing_events", "0-54")
}
ACCOUNT_PATHS = {
    "/account-info/v3/details",
    "/account-info/2026-03/details",
    "/account-info/2026-09/details",
}
ADMIN_PREFIX = "/_sandbox/"
# What socketserver hands a server; a TCP server's requests are always the socket.
Request = socket.socket | tuple[bytes, socket.socket]


@dataclasses.dataclass(frozen=True)
class Route:
    """What an API path asks for: "list", "batch", "get", "properties" or "account"."""

    action: str
    version: str = "v3"
    object_id: str | None = None


def route_api(method: str, path: str) -> Route | None:
    """The route of an API path under any served version, else None (a 404)."""
    if method == "GET" and path in PROPERTY_PATHS:
        return Route("properties")
    if method == "GET" and path in ACCOUNT_PATHS:
        return Route("account")
    for version, prefix in API_PREFIXES.items():
        rest = path[len(prefix) :] if path.startswith(prefix) else None
        list_paths = ("", "/") if version == "v3" else ("",)
        if rest in list_paths and method == "GET":
            return Route("list", version)
        if rest == "/batch/update" and method == "POST":
            return Route("batch", version)
        if rest and re.fullmatch(r"/\d+", rest) and method == "GET":
            return Route("get", version, rest[1:])
    return None


class SandboxServer(ThreadingHTTPServer):
    """Tracks open connections so `stop()` can close idle keep-alive sockets too."""

    daemon_threads = True
    # HTTPServer sets SO_REUSEADDR, which on Windows lets a second socket bind a port
    # another is listening on: a second sandbox would start "fine" on a taken port.
    # There the port is taken exclusively; elsewhere SO_REUSEADDR only skips TIME_WAIT.
    allow_reuse_address = sys.platform != "win32"

    def __init__(self, port: int, sandbox: Host):
        self.sandbox = sandbox
        self._open: set[Request] = set()
        self._open_lock = threading.Lock()
        super().__init__(("127.0.0.1", port), SandboxHandler)

    def server_bind(self) -> None:
        if sys.platform == "win32":
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        super().server_bind()

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


class SandboxHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive like HubSpot; every answer has Content-Length
    server_version = "eventsync-sandbox"
    # Headers and body go out in two writes; with Nagle on, the body waits for the
    # client's delayed ACK of the headers: a 40 ms stall per keep-alive request.
    disable_nagle_algorithm = True
    server: SandboxServer  # the server that made this handler (socketserver types it as BaseServer)

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
            elif route_api(self.command, url.path) == Route("account"):
                self._send(self._account(correlation_id), correlation_id)
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

    def _account(self, correlation_id: str) -> Reply:
        """Account details, answered aside: not numbered for scripted faults and not
        recorded, so the request numbers a test scripts are those of the marketing-events
        API (a run asks for them once per token); but counted against the rate limits
        and answered with their headers, as HubSpot counts every call of the app."""
        sandbox = self.server.sandbox
        if not sandbox.authorised(self.headers.get("Authorization")):
            return unauthenticated_reply(correlation_id)
        reply = sandbox.charge(correlation_id) or sandbox.account_details(correlation_id)
        return dataclasses.replace(reply, headers=sandbox.limit_headers() + reply.headers)

    def _serve_api(self, path: str, query: dict[str, str], raw: bytes, correlation_id: str) -> None:
        sandbox = self.server.sandbox
        body, is_json = parse_json(raw)
        ticket = sandbox.record(self.command, path, query, body)
        losing: list[bool] = []
        reply = self._answer_api(ticket, path, query, body, is_json, correlation_id, losing)
        if losing:
            reply = None  # applied, and the answer never arrives
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
        losing: list[bool],
    ) -> Reply | None:
        """The reply to one API request, or None to drop the connection; `losing` gets
        an entry when the reply is to be lost after the request was handled."""
        sandbox = self.server.sandbox
        if sandbox.pause(sandbox.config.latency_ms / 1000):
            return None
        fault = sandbox.take_fault(ticket)
        if fault is not None:
            if sandbox.pause(fault.delay_s) or fault.drop:
                return None
            if fault.lose_answer:
                losing.append(True)
            if fault.status is not None:
                return fault_reply(fault.status, fault, correlation_id)
        if not sandbox.authorised(self.headers.get("Authorization")):
            return unauthenticated_reply(correlation_id)
        refused = sandbox.charge(correlation_id)
        if refused is not None:
            return refused
        if self.command == "GET":  # an event's counters follow its participations
            refresh_counters(sandbox)
        route = route_api(self.command, path)
        if route is not None and (missing := sandbox.refuse_scope(route.action, correlation_id)):
            return missing
        if route is not None and route.action == "list":
            return sandbox.list_events(query, sandbox.url + path, correlation_id)
        if route is not None and route.action == "get" and route.object_id is not None:
            return sandbox.get_event(route.object_id, correlation_id)
        if route is not None and route.action == "batch":
            return sandbox.batch_update(
                body, correlation_id, is_json=is_json, version=route.version
            )
        if route is not None and route.action == "properties":
            return sandbox.list_properties(correlation_id)
        contacts = (
            answer_contacts(sandbox, path, body, correlation_id) if self.command == "POST" else None
        )
        if contacts is not None:  # the CRM contacts batch read
            return contacts
        participation = route_participants(self.command, path, API_PREFIXES)
        if participation is not None:  # attendance, counters, breakdowns
            return answer_participants(
                sandbox,
                participation,
                query,
                body,
                is_json=is_json,
                authorization=self.headers.get("Authorization"),
                correlation_id=correlation_id,
                link=sandbox.url + path,
            )
        external = route_external(self.command, path, API_PREFIXES)  # create, complete, archive
        if external is not None:
            authorization = self.headers.get("Authorization")
            return answer_external(
                sandbox,
                external,
                query,
                body,
                is_json=is_json,
                authorization=authorization,
                correlation_id=correlation_id,
            )
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
