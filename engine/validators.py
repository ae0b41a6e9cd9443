"""Marshmallow validators shared by every schema that loads outside input (context, catalog)."""

from __future__ import annotations

import difflib
from typing import Any

from marshmallow import Schema, ValidationError, fields

__all__ = ["encodable", "suggest_unknown", "unique"]


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


def suggest_unknown(messages: Any, schema: Schema | None) -> Any:
    """Turn marshmallow's bare 'Unknown field.' into a message that suggests the likely field."""
    if not isinstance(messages, dict):
        return messages
    out: dict[Any, Any] = {}
    known = list(schema.fields) if schema is not None else []
    for key, value in messages.items():
        nested = schema.fields.get(key) if schema is not None and isinstance(key, str) else None
        if value == ["Unknown field."]:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            out[key] = [f"Unknown field '{key}'.{hint}"]
        elif isinstance(value, dict):
            inner = getattr(nested, "schema", None)
            if inner is None and isinstance(nested, fields.List):
                inner = getattr(nested.inner, "schema", None)
                out[key] = {i: suggest_unknown(v, inner) for i, v in value.items()}
                continue
            out[key] = suggest_unknown(value, inner)
        else:
            out[key] = value
    return out
