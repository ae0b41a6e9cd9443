"""Strict JSON for what clients send (request bodies, batch lines, context files): duplicate
keys and lone surrogates are errors.

Python's `json` keeps the last of two equal keys silently (`{"age": 30, "age": 40}` reads as
40) and turns `"\\ud800"` into a string that cannot be encoded again, which failed deep inside
a view as a 500. Both are refused here, with the JSON pointer of the offending value.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["BodyError", "loads_strict"]


class BodyError(ValueError):
    """The body is JSON, but not JSON we accept (the message says why and where)."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise BodyError(f"duplicate key '{_shown(key)}' in a JSON object; send each key once")
        out[key] = value
    return out


def _shown(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")[:100]


def _check_text(value: Any) -> None:
    """Raise BodyError at the first string (key or value) that is not valid Unicode."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            _encodable(item, where)
        elif isinstance(item, dict):
            for key, child in item.items():
                pointer = f"{where}/{key.replace('~', '~0').replace('/', '~1')}"
                _encodable(key, pointer)
                stack.append((child, pointer))
        elif isinstance(item, list):
            stack.extend((child, f"{where}/{index}") for index, child in enumerate(item))


def _encodable(text: str, pointer: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BodyError(
            f"the string at '{_shown(pointer) or '/'}' contains a lone surrogate "
            "(an escape such as \\ud800 without its pair); it is not valid Unicode"
        ) from None


_SPACED_KEY = re.compile(rb'"[ \t\r\n]+:')


def loads_strict(data: bytes | str) -> Any:
    """`json.loads`, refusing duplicate keys and strings that are not valid Unicode."""
    if isinstance(data, bytes):
        fast = _loads_plain(data)
        if fast is not None:
            return fast[0]
    value = json.loads(data, object_pairs_hook=_pairs)
    _check_text(value)
    return value


def _loads_plain(data: bytes) -> tuple[Any] | None:
    """The value of an ASCII body without escapes whose keys are all distinct, or None.

    Without a backslash no string holds a quote or an escape, so no lone surrogate (ASCII
    bytes carry none) and every key ends in `":` exactly once: the body's keys are distinct
    when the parsed objects hold as many keys as the text has `":`. ~10x cheaper than
    checking each pair and string in Python; anything else takes the checking path.
    """
    if b"\\" in data or not data.isascii() or _SPACED_KEY.search(data):
        return None
    keys = 0

    def count(obj: dict[str, Any]) -> dict[str, Any]:
        nonlocal keys
        keys += len(obj)
        return obj

    try:
        value = json.loads(data, object_hook=count)
    except (ValueError, RecursionError):
        return None  # the checking path raises the same error
    return (value,) if keys == data.count(b'":') else None
