"""Marshmallow validators shared by every schema that loads outside input (context, catalog)."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError

__all__ = ["encodable", "unique"]


def unique(values: list[Any]) -> None:
    """Reject a list that names the same value twice (a typo more often than intent)."""
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise ValidationError(f"'{value}' is listed twice.")
        seen.add(value)


def encodable(value: str) -> None:
    """Reject text that is not valid Unicode (lone surrogates from JSON escapes like \\ud800)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("contains an invalid Unicode character (a lone surrogate).") from None
