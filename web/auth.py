"""Optional API keys on /v1/*: `Authorization: Bearer <key>` or `X-API-Key: <key>`.

Keys come from STRIDEWISE_API_KEYS (comma-separated); when it is empty the API is open. A
presented key is compared with every configured key in constant time (hmac.compare_digest),
and neither keys nor the Authorization header are ever logged.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from typing import Any

from flask import Flask, Response, request

from .problems import problem, problem_type

__all__ = ["PROTECTED_PREFIX", "install_auth", "parse_keys", "presented_key"]

PROTECTED_PREFIX = "/v1/"


def parse_keys(value: Any) -> tuple[bytes, ...]:
    """Keys from the config value: a comma-separated string or a list (blanks dropped)."""
    if value is None or value == "":
        return ()
    items: Iterable[Any] = value if isinstance(value, list | tuple) else str(value).split(",")
    return tuple(str(item).strip().encode() for item in items if str(item).strip())


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
    """Require a configured key on /v1/* when STRIDEWISE_API_KEYS is set."""
    keys = parse_keys(app.config.get("API_KEYS"))
    if not keys:
        return

    @app.before_request
    def _require_key() -> Response | None:
        if not request.path.startswith(PROTECTED_PREFIX):
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
