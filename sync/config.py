"""Settings: from the environment, or `.env` in the current directory.

Every problem is collected and reported together (one line each, naming the setting
and what is allowed). The access token is kept out of every repr and message.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from sync.errors import SettingsError

DEFAULT_BASE_URL = "https://api.hubapi.com"
API_VERSIONS = ("v3", "2026-03")
BATCH_LIMIT = 100  # HubSpot's batch APIs take at most 100 inputs
TOKEN_SETTING = "HUBSPOT_ACCESS_TOKEN"


@dataclass(frozen=True)
class Settings:
    base_url: str = DEFAULT_BASE_URL
    api_version: str = "v3"
    sheets_dir: Path = Path("sheets")
    state_dir: Path = Path(".eventsync")
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    batch_size: int = BATCH_LIMIT
    timeout_s: float = 30.0
    max_retries: int = 5
    max_requests_per_10s: int = 100
    token: str | None = field(default=None, repr=False)

    @property
    def api_prefix(self) -> str:
        if self.api_version == "v3":
            return "/marketing/v3/marketing-events"
        return f"/marketing/marketing-events/{self.api_version}"


def read_environment(cwd: Path, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """`.env` in the current directory, overridden by the real environment.

    A bare `find_dotenv()` would search from eventsync's own folder, not the user's.
    """
    values: dict[str, str] = {}
    dotenv = cwd / ".env"
    if dotenv.is_file():
        values.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    return values


def load_settings(env: Mapping[str, str], *, cwd: Path, require_token: bool) -> Settings:
    problems: list[str] = []

    def get(name: str) -> str | None:
        value = env.get(name)
        return value.strip() if value is not None and value.strip() else None

    token = get(TOKEN_SETTING)
    if require_token and not token:
        problems.append(
            f"{TOKEN_SETTING} is not set: put your HubSpot private-app access token in .env"
            " (copy .env.example) or in the environment"
        )

    base_url = (get("EVENTSYNC_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    url_problem = _check_base_url(base_url)
    if url_problem:
        problems.append(f"EVENTSYNC_BASE_URL {url_problem}")

    api_version = get("EVENTSYNC_API_VERSION") or "v3"
    if api_version not in API_VERSIONS:
        problems.append(
            f"EVENTSYNC_API_VERSION is {api_version!r}; allowed: {' or '.join(API_VERSIONS)}"
        )

    zone = _zone(get("EVENTSYNC_TIMEZONE"), problems)
    batch_size = _integer(env, "EVENTSYNC_BATCH_SIZE", BATCH_LIMIT, 1, BATCH_LIMIT, problems)
    max_retries = _integer(env, "EVENTSYNC_MAX_RETRIES", 5, 0, 20, problems)
    per_10s = _integer(env, "EVENTSYNC_MAX_REQUESTS_PER_10S", 100, 1, 1000, problems)
    timeout_s = _integer(env, "EVENTSYNC_TIMEOUT_S", 30, 1, 600, problems)

    if problems:
        raise SettingsError(problems)
    return Settings(
        base_url=base_url,
        api_version=api_version,
        sheets_dir=cwd / (get("EVENTSYNC_SHEETS_DIR") or "sheets"),
        state_dir=cwd / (get("EVENTSYNC_STATE_DIR") or ".eventsync"),
        timezone=zone,
        batch_size=batch_size,
        timeout_s=float(timeout_s),
        max_retries=max_retries,
        max_requests_per_10s=per_10s,
        token=token,
    )


def _check_base_url(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return f"is {url!r}; use a URL such as {DEFAULT_BASE_URL}"
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        return (
            f"is {url!r}: plain http would send the token unencrypted;"
            " use https (http is allowed only for 127.0.0.1/localhost)"
        )
    return None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _zone(name: str | None, problems: list[str]) -> ZoneInfo:
    if name is None:
        return local_zone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(
            f"EVENTSYNC_TIMEZONE is {name!r}, not a time zone name; use an IANA name such as"
            " Asia/Tokyo or Europe/London"
        )
        return ZoneInfo("UTC")


def local_zone() -> ZoneInfo:
    """The machine's IANA zone (tzlocal reads it the way each OS stores it)."""
    from tzlocal import get_localzone_name

    try:
        return ZoneInfo(get_localzone_name() or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _integer(
    env: Mapping[str, str], name: str, default: int, low: int, high: int, problems: list[str]
) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        problems.append(f"{name} is {raw!r}; use a whole number from {low} to {high}")
        return default
    return value
