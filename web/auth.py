"""Optional API keys on /v1/*: `Authorization: Bearer <key>` or `X-API-Key: <key>`.

Keys come from STRIDEWISE_API_KEYS, a plain comma-separated list of strings taken as typed
(`1.50` stays `1.50`); unset, the API is open; set but empty or malformed, start-up stops with
a ConfigError (fails closed). STRIDEWISE_METRICS_REQUIRE_KEY=true protects /metrics too. A
presented key is compared with every configured key in constant time (hmac.compare_digest),
and neither keys nor the Authorization header are ever logged.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import Flask, Response, request
from stridewise.errors import ConfigError

from .problems import problem, problem_type

__all__ = ["PROTECTED_PREFIX", "install_auth", "parse_keys", "presented_key"]

PROTECTED_PREFIX = "/v1/"
KEYS_ENV = "STRIDEWISE_API_KEYS"
NOT_KEYS = {"null", "none", "~", "true", "false", "[]", "{}"}


def parse_keys(value: Any) -> tuple[bytes, ...]:
    """Keys from the config value: a plain comma-separated string (or a list of strings).

    Fails closed: a value that is set but yields no key, has an empty item (`a,,b`), a key
    with whitespace inside, or looks like JSON/YAML (`null`, `[]`, `["a"]`) is a ConfigError
    naming the variable, never an open API. `None` (not set) means no keys.
    """
    if value is None:
        return ()
    items = list(value) if isinstance(value, list | tuple) else str(value).split(",")
    keys: list[bytes] = []
    for raw in items:
        if not isinstance(raw, str):
            raise _bad(f"each key must be a string, not {type(raw).__name__}")
        key = raw.strip()
        if not key:
            raise _bad("it has an empty key (check for a stray comma or an empty value)")
        if key.lower() in NOT_KEYS or key[0] in "[{\"'" or any(c.isspace() for c in key):
            raise _bad(f"'{key[:20]}' does not look like an API key")
        keys.append(key.encode())
    if not keys:
        raise _bad("it holds no key")
    return tuple(keys)


def _bad(why: str) -> ConfigError:
    return ConfigError(
        f"{KEYS_ENV} is set but malformed: {why}. Give a comma-separated list of keys "
        f"(key1,key2), or unset it to leave the API open."
    )


def presented_key() -> bytes | None:
    """The key the client sent, from `Authorization: Bearer` or `X-API-Key`."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip().encode()
    key = request.headers.get("X-API-Key", "").strip()
    return key.encode() if key else None


def _matches(candidate: bytes, keys: tuple[bytes, ...]) -> bool:
    found = False
    for key in keys:  # no early exit: the time does not depend on which key matched
        found |= hmac.compare_digest(candidate, key)
    return found


def install_auth(app: Flask) -> None:
    """Require a configured key on /v1/* (and /metrics if asked) when STRIDEWISE_API_KEYS is
    set; raise ConfigError for a malformed value."""
    keys = parse_keys(app.config.get("API_KEYS"))
    if not keys:
        return
    metrics = bool(app.config.get("METRICS_REQUIRE_KEY"))

    @app.before_request
    def _require_key() -> Response | None:
        path = request.path
        if not (path.startswith(PROTECTED_PREFIX) or (metrics and path == "/metrics")):
            return None
        candidate = presented_key()
        if candidate is not None and _matches(candidate, keys):
            return None
        return problem(
            401,
            title="API key required",
            detail="Send a valid API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.",
            type_=problem_type("unauthorized"),
            headers={"WWW-Authenticate": 'Bearer realm="stridewise"'},
        )
