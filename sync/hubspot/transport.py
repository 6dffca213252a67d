"""Send, wire side: one HTTP exchange with HubSpot, bounded in time and size.

It returns what came back as a `Reply` value and never raises for anything a server or
network can do: no answer, a trickle, a redirect, a body that is not JSON or is nested
too deep. It never follows a redirect, never logs, and never puts a header (the token)
into an error text.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
import urllib3

from sync import __version__
from sync.config import Settings
from sync.messages import Text
from sync.model import Stop

CONNECT_TIMEOUT_S = 10.0
MAX_ANSWER_BYTES = 64 * 1024 * 1024  # an answer larger than this is not read
Params = Mapping[str, str] | None


@dataclass(frozen=True)
class Reply:
    status: int | None  # None: no answer (connection dropped, timed out)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Mapping[str, Any] | None = None
    error: str | None = None  # why there was no answer
    gave_up: str | None = None  # set when retries ran out: the reason for the rows
    stop: Stop | None = None  # set when nothing more can be sent in this run


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: Mapping[str, Any] | None = None
    params: Params = None


def exchange_within(
    session: requests.Session, settings: Settings, request: Request
) -> tuple[Reply, bool]:
    """(the reply, whether the exchange was abandoned at the deadline).

    requests' read timeout applies to each read, so a server trickling a byte every few
    seconds could hold a request for ever: the exchange runs in a worker thread and is
    abandoned after EVENTSYNC_TIMEOUT_S, connecting included; the caller must not reuse
    that session's stuck connection.
    """
    done: list[Reply] = []
    worker = threading.Thread(
        target=lambda: done.append(exchange(session, settings, request)), daemon=True
    )
    worker.start()
    worker.join(settings.timeout_s)
    if done:
        return done[0], False
    return Reply(None, error=f"no answer within {settings.timeout_s:.0f} s"), True


def exchange(session: requests.Session, settings: Settings, request: Request) -> Reply:
    """One request and its whole answer. Redirects are never followed: a 3xx from an API
    call is an error (see retry.describe), never a re-POST with the token elsewhere."""
    headers = {
        "Authorization": f"Bearer {settings.token}",
        "Accept": "application/json",
        "User-Agent": f"eventsync/{__version__}",
    }
    timeout_note = f"no answer within {settings.timeout_s:.0f} s"
    try:
        response = session.request(
            request.method,
            settings.base_url + request.path,
            json=request.body,
            params=request.params,
            headers=headers,
            timeout=(CONNECT_TIMEOUT_S, settings.timeout_s),
            allow_redirects=False,
            stream=True,
        )
        content = response.raw.read(MAX_ANSWER_BYTES + 1, decode_content=True)
        response.close()
    except requests.ConnectTimeout:
        return Reply(None, error="could not connect in time")
    except requests.ReadTimeout:
        return Reply(None, error=timeout_note)
    except requests.ConnectionError as failure:
        return Reply(None, error=_connection_problem(failure))
    except requests.RequestException as failure:
        return Reply(None, error=type(failure).__name__)
    except (urllib3.exceptions.HTTPError, OSError) as failure:  # raised by the raw read
        if isinstance(failure, urllib3.exceptions.ReadTimeoutError | TimeoutError):
            return Reply(None, error=timeout_note)
        return Reply(None, error="the connection was dropped")
    if len(content) > MAX_ANSWER_BYTES:
        return Reply(None, error="the answer was too large to read")
    return Reply(response.status_code, dict(response.headers), parse_body(content))


def parse_body(content: bytes) -> Mapping[str, Any] | None:
    """The JSON object of an answer; None for anything else (not JSON, too deeply nested
    to parse, a list or a number): the caller then reports what it expected."""
    if not content:
        return None
    try:
        parsed = json.loads(content)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError too
        return None
    return parsed if isinstance(parsed, dict) else None


def _connection_problem(failure: requests.ConnectionError) -> str:
    text = str(failure)
    if isinstance(failure, requests.exceptions.SSLError) and "CERTIFICATE_VERIFY_FAILED" in text:
        return Text("tls.untrusted")
    if "Connection refused" in text or "Failed to establish" in text:
        return "connection refused"
    if "Connection aborted" in text or "RemoteDisconnected" in text or "reset" in text.lower():
        return "the connection was dropped"
    return "connection failed"
