"""Sandbox knobs: the `Config` value and the one place knob values are checked.

Knob values from keyword arguments, the command line and admin JSON all pass through
`build_config`, once. Pure: values in, a `Config` out; it must never touch the network or
the sandbox's state, and never echo a token (`describe_config` shows a set one as "(set)").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eventsync.sandbox.event_rules import JsonObject

# HubSpot's published limits for a privately distributed app on a Free or Starter
# portal (API usage guidelines): 100 requests per 10 s and 250,000 a day. The sandbox
# holds a client to them, and answers their X-HubSpot-RateLimit-* headers, by default.
DEFAULT_RATE_LIMIT = (100, 10.0)
DEFAULT_DAILY_LIMIT = 250_000


@dataclass(frozen=True)
class Config:
    """The knobs; `rate_limit` is (requests, seconds) of a rolling window (None: none)."""

    token: str | None = None
    rate_limit: tuple[int, float] | None = DEFAULT_RATE_LIMIT
    retry_after: bool = False
    daily_limit: int | None = DEFAULT_DAILY_LIMIT
    # Names of custom properties the portal defines as text (None, with no
    # property_definitions either: any name is accepted and none is listed).
    custom_properties: frozenset[str] | None = None
    reject_marker: str | None = None
    latency_ms: int = 0
    missing_scopes: bool = False  # True: the token lacks the write scope
    # Custom properties of type bool (a subset of custom_properties).
    boolean_properties: frozenset[str] = frozenset()
    echo_custom_properties: bool = True  # False: update results carry no customProperties
    reject_names_row: bool = True  # False: a reject_marker 400 names no input, only a message
    portal_id: int = 880_001  # the HubSpot account the token belongs to (account details)
    account_details: bool = True  # False: account details answer 403 (no such scope)
    account_down: bool = False  # True: account details answer 503 (HubSpot failing there)
    # Custom properties with a type and options, as the properties API lists them
    # ({"name", "type", "fieldType", "options": [{"label", "value"}]}): served as given,
    # defined, and their values checked by type.
    property_definitions: tuple[JsonObject, ...] = ()
    properties_readable: bool = True  # False: the properties API answers 403 (no scope)
    # The scopes the token was granted (None: every scope). A request needing one it
    # lacks answers 403 MISSING_SCOPES, as HubSpot does.
    scopes: frozenset[str] | None = None
    # True: an update input without customProperties is refused, as the schema's
    # `required: [customProperties, objectId]` reads (HubSpot's guide omits it).
    require_custom_properties: bool = False


KNOBS = tuple(knob.name for knob in dataclasses.fields(Config))
KNOB_TYPES = {"token": str, "reject_marker": str, "daily_limit": int, "latency_ms": int}
KNOB_TYPES |= {"portal_id": int, "account_details": bool, "account_down": bool}
KNOB_TYPES |= {"retry_after": bool, "missing_scopes": bool}
KNOB_TYPES |= {"echo_custom_properties": bool, "reject_names_row": bool}
KNOB_TYPES |= {"properties_readable": bool, "require_custom_properties": bool}
KIND_WORDS = {str: "a string", int: "a whole number >= 0", bool: "true or false"}
NAME_SET_KNOBS = ("custom_properties", "boolean_properties", "scopes")


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
    for knob in NAME_SET_KNOBS:
        names = knobs.get(knob)
        if names is None and knob == "boolean_properties":
            knobs.pop(knob, None)  # "no boolean properties" is the empty set, never None
        elif names is not None:
            names = names.split(",") if isinstance(names, str) else names
            knobs[knob] = frozenset(str(n).strip() for n in names if str(n).strip())
    for name, kind in KNOB_TYPES.items():
        value = knobs.get(name)
        negative = kind is int and isinstance(value, int) and value < 0
        if value is not None and (type(value) is not kind or negative):
            raise ValueError(f"{name} must be {KIND_WORDS[kind]} or null, got {value!r}")
    if "property_definitions" in knobs:
        knobs["property_definitions"] = _definitions(knobs["property_definitions"])
    if knobs.get("token") == "":  # `--token "$EMPTY"` in a Makefile means "no token set"
        knobs["token"] = None
    if "latency_ms" in knobs:
        knobs["latency_ms"] = knobs["latency_ms"] or 0
    for flag in ("require_custom_properties",):
        if flag in knobs and knobs[flag] is None:
            knobs[flag] = False
    return dataclasses.replace(base, **knobs)


def _definitions(value: object) -> tuple[JsonObject, ...]:
    """Property definitions as HubSpot lists them: each an object with a name and a type."""
    items = [] if value is None else value
    if isinstance(items, dict):  # a saved answer of the properties API: {"results": [...]}
        items = items.get("results")
    if not isinstance(items, list | tuple) or not all(
        isinstance(d, dict) and isinstance(d.get("name"), str) and isinstance(d.get("type"), str)
        for d in items
    ):
        raise ValueError('property_definitions must be a list of {"name": ..., "type": ...}')
    return tuple(dict(d) for d in items)


def describe_config(config: Config) -> JsonObject:
    """The knobs as JSON, saying whether a token is set but never what it is."""
    view = dataclasses.asdict(config)
    view["token"] = None if config.token is None else "(set)"
    if config.rate_limit:
        view["rate_limit"] = f"{config.rate_limit[0]}/{config.rate_limit[1]:g}"
    for knob in ("custom_properties", "scopes"):
        names = getattr(config, knob)
        view[knob] = None if names is None else sorted(names)
    view["boolean_properties"] = sorted(config.boolean_properties)
    return view
