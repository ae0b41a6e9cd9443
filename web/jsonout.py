"""JSON response bodies with orjson: the bytes Flask's `json.dumps` writes, several times faster.

Flask's `jsonify` spent ~0.19 ms of a recommendation's request encoding its ~19 KB body with
`json.dumps(ensure_ascii=True, separators=(",", ":"))` (docs/performance.md, "HTTP against
bare Flask"); orjson takes ~0.02 ms. The bytes must not change, so orjson's output is used only
where it provably equals `json.dumps`'s, and everything else falls back to `json.dumps`:

* non-ASCII text is escaped afterwards exactly as `ensure_ascii` does (`\\u00e9`, surrogate
  pairs above U+FFFF), and DEL as `\\u007f`;
* a float below 1e-4, which Python writes `1e-05` or `1.5e-07` and orjson `0.00001` or
  `1.5e-7`: output that may hold one falls back (text that merely looks like one costs the
  fallback, never a different byte);
* anything orjson would encode by its own rules rather than Flask's (dates, dataclasses,
  subclasses of str/int/dict/list, integers beyond 64 bits, non-string keys, lone surrogates)
  falls back, so Flask's `default` still decides.

NaN and infinities are the one difference: `json.dumps` writes `NaN` (not JSON), orjson `null`.
No response holds one (contexts refuse them: the schemas' floats do not allow NaN).
"""

from __future__ import annotations

import codecs
import re
from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider

__all__ = ["FastJSONProvider", "compact_bytes"]

_OPTIONS = (
    orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)
_DIGITS = frozenset(b"0123456789")
_SHORT_EXPONENT = re.compile(rb"e-\d(?!\d)")  # after a digit: 1.5e-7 (Python: 1.5e-07)
_ESCAPE = "stridewise-json-ascii"


class _Refused(Exception):
    """orjson met a value Flask's own `default` must decide."""


def _refuse(value: Any) -> Any:
    raise _Refused


def _escape_non_ascii(error: UnicodeError) -> tuple[str, int]:
    """`ensure_ascii` escaping for the run of characters an ASCII encode stopped at."""
    if not isinstance(error, UnicodeEncodeError):  # pragma: no cover - registered for encoding
        raise error
    out = []
    for char in error.object[error.start:error.end]:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            out.append(f"\\u{0xD800 | (code >> 10):04x}\\u{0xDC00 | (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out), error.end


codecs.register_error(_ESCAPE, _escape_non_ascii)


def _python_writes_differently(out: bytes) -> bool:
    """Whether `out` may hold a float Python writes differently: below 1e-4 Python writes
    `1e-05` and `1.5e-07` where orjson writes `0.00001` and `1.5e-7` (orjson's other
    exponents, `1e-10` or `1e+16`, are Python's too: tests/test_web_jsonout.py)."""
    if b".0000" in out:  # 0.00001 (1.00001 or text holding it: only the fallback's cost)
        return True
    return any(m.start() > 0 and out[m.start() - 1] in _DIGITS
               for m in _SHORT_EXPONENT.finditer(out))


def compact_bytes(obj: Any) -> bytes | None:
    """`json.dumps(obj, ensure_ascii=True, separators=(",", ":")).encode()`, or None where
    only `json.dumps` (with the app's `default`) may write it."""
    try:
        out = orjson.dumps(obj, default=_refuse, option=_OPTIONS)
    except (orjson.JSONEncodeError, _Refused):
        return None
    if _python_writes_differently(out):
        return None
    if not out.isascii():
        out = out.decode("utf-8").encode("ascii", _ESCAPE)
    if b"\x7f" in out:
        out = out.replace(b"\x7f", b"\\u007f")
    return out


class FastJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, writing compact responses with `compact_bytes` when it can."""

    def response(self, *args: Any, **kwargs: Any) -> Any:
        debug = self.compact is None and self._app.debug
        if self.sort_keys or not self.ensure_ascii or self.compact is False or debug:
            return super().response(*args, **kwargs)
        obj = self._prepare_response_obj(args, kwargs)
        body = compact_bytes(obj)
        if body is None:
            body = self.dumps(obj, separators=(",", ":")).encode("utf-8")
        response_class: type[Response] = self._app.response_class  # type: ignore[assignment]
        return response_class(body + b"\n", mimetype=self.mimetype)
