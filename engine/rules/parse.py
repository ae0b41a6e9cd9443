"""Safe YAML loading that keeps a line/column mark for every node and bounds the work.

We build values from PyYAML's event stream ourselves instead of using a constructor so that
every limit (size, depth, node count, alias expansion), duplicate keys and tabs become located
diagnostics instead of exceptions, recursion errors or hangs. Only YAML's safe core types are
produced (mappings, lists, strings, numbers, booleans, null).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from stridewise.errors import Diagnostic

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "Mark",
    "Parsed",
    "parse_text",
    "read_file",
    "scalar_position",
]

MAX_BYTES = 1024 * 1024  # a rule file is text a coach writes; 1 MiB is far beyond any real one
MAX_NODES = 100_000  # counts alias expansions too, so a "billion laughs" file stops early
MAX_DEPTH = 64
MAX_NUMBER_CHARS = 40  # int() refuses more than 4,300 digits; no rule needs more than this
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_STR_TAG = "tag:yaml.org,2002:str"

Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


@dataclass(frozen=True)
class Mark:
    """Where a node starts (1-based), its scalar style and its end line, for column mapping."""

    line: int
    col: int
    style: str | None = None
    end_line: int = 0


@dataclass
class Parsed:
    """A loaded document: `data`, and marks keyed by the path of keys/indices to each node."""

    file: str
    data: Any
    text: str
    marks: dict[tuple[Any, ...], Mark] = field(default_factory=dict)
    key_marks: dict[tuple[Any, ...], Mark] = field(default_factory=dict)

    def mark(self, path: tuple[Any, ...], *, key: bool = False) -> Mark:
        """The mark of `path`, or of its nearest existing ancestor."""
        table = self.key_marks if key else self.marks
        while path:
            if path in table:
                return table[path]
            if key and path in self.marks:
                return self.marks[path]
            path = path[:-1]
            table = self.marks
        return self.marks.get((), Mark(1, 1))

    def diagnostic(self, path: tuple[Any, ...], message: str, *, key: bool = False) -> Diagnostic:
        mark = self.mark(path, key=key)
        return Diagnostic(self.file, mark.line, mark.col, message)


class _Stop(Exception):
    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def _mark(event: Any) -> Mark:
    start, end = event.start_mark, event.end_mark
    style = getattr(event, "style", None)
    return Mark(start.line + 1, start.column + 1, style, end.line + 1)


def read_file(path: str | Path, *, display: str | None = None) -> Parsed | list[Diagnostic]:
    """Read and parse a rule file; return the parsed document or the diagnostics."""
    name = display or str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            return [Diagnostic(name, 1, 1, _too_big(size))]
        raw = Path(path).read_bytes()
    except OSError as err:
        return [Diagnostic(name, 1, 1, f"cannot read the file: {err.strerror or err}")]
    return parse_text(raw, name)


def _too_big(size: int) -> str:
    return f"the file is {size:,} bytes; rule files are limited to {MAX_BYTES:,} bytes (1 MiB)"


def parse_text(raw: bytes | str, file: str = "<string>") -> Parsed | list[Diagnostic]:
    """Parse one YAML document into plain values plus marks; never raises for bad input."""
    if len(raw) > MAX_BYTES:
        return [Diagnostic(file, 1, 1, _too_big(len(raw)))]
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            before = raw[: err.start]
            line = before.count(b"\n") + 1
            col = err.start - (before.rfind(b"\n") + 1) + 1
            return [
                Diagnostic(
                    file, line, col, f"the file is not UTF-8 text (byte 0x{raw[err.start]:02x});"
                    " save it as UTF-8"
                )
            ]
    else:
        text = raw
    text = text.removeprefix("\ufeff")
    tabs = _tab_indents(text, file)
    if tabs:
        return tabs
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return [Diagnostic(file, 1, 1, "the file is empty; a rule file starts with 'ruleset:'")]
    parsed = Parsed(file, None, text)
    try:
        parsed.data = _Builder(parsed).build(yaml.parse(text, Loader=Loader))
    except _Stop as stop:
        return [Diagnostic(file, stop.line, stop.col, stop.message)]
    except yaml.MarkedYAMLError as err:
        trap = _quoted_value_trap(text, err)
        if trap:
            return [Diagnostic(file, trap.line, trap.col, trap.message)]
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = err.problem or err.context or "invalid YAML"
        return [Diagnostic(file, line, col, f"invalid YAML: {problem}")]
    except yaml.YAMLError as err:
        return [Diagnostic(file, 1, 1, f"invalid YAML: {err}")]
    if not isinstance(parsed.data, dict):
        kind = "a list" if isinstance(parsed.data, list) else "a single value"
        top = parsed.marks.get((), Mark(1, 1))
        return [
            Diagnostic(
                file, top.line, top.col,
                f"the top level must be a mapping with 'ruleset:' and 'rules:', not {kind}",
            )
        ]
    return parsed


# `key: "knee" in injuries.site`: YAML reads the quoted "knee" as the whole value and then
# trips over the rest of the line (docs/rules.md, "Quoting").
_QUOTED_START = re.compile(
    r"""^(?P<lead>\s*(?:-\s+)?(?P<key>[\w.-]+):\s+)(?P<q>["'])(?P<rest>.*)$"""
)


def _quoted_value_trap(text: str, err: yaml.MarkedYAMLError) -> Diagnostic | None:
    """The located fix for a value that starts with a quoted string but goes on after it."""
    lines = text.splitlines()
    for mark in (err.context_mark, err.problem_mark):
        if mark is None or mark.line >= len(lines):
            continue
        line = lines[mark.line]
        found = _QUOTED_START.match(line)
        if not found:
            continue
        quote, rest = found["q"], found["rest"]
        close = rest.find(quote)
        if close < 0 or not rest[close + 1:].strip() or rest[close + 1:].lstrip()[0] == "#":
            continue
        value = line[len(found["lead"]):].rstrip()
        other = "'" if quote == '"' else '"'
        fixed = f"{other}{value}{other}" if other not in value else f">-\n  {value}"
        what = "a condition" if found["key"] == "when" else "a value"
        return Diagnostic("", mark.line + 1, len(found["lead"]) + 1, (
            f"{what} that starts with a quote must be quoted as a whole (YAML took {quote}"
            f"{rest[:close]}{quote} as the value and stopped at the rest); write "
            f"{found['key']}: {fixed}"
        ))
    return None


def _tab_indents(text: str, file: str) -> list[Diagnostic]:
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            out.append(
                Diagnostic(
                    file, number, indent.index("\t") + 1,
                    "tab character in indentation; YAML indents with spaces only",
                )
            )
    return out[:20]


class _Builder:
    """Turns PyYAML events into values, recording marks and enforcing the limits."""

    def __init__(self, parsed: Parsed) -> None:
        self.parsed = parsed
        self.nodes = 0
        self.anchors: dict[str, tuple[Any, Mark, dict[tuple[Any, ...], Mark], int]] = {}
        self.resolver = yaml.resolver.Resolver()
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, events: Any) -> Any:
        # (container, path, mark, anchor, pending key, pending key mark, sub-marks start)
        stack: list[list[Any]] = []
        result: Any = None
        documents = 0
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Stop(*_pos(event), "only one YAML document per file ('---' found)")
                continue
            if isinstance(event, yaml.StreamStartEvent | yaml.StreamEndEvent):
                continue
            if isinstance(event, yaml.DocumentEndEvent):
                continue
            if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                frame = stack.pop()
                self._finish(frame)
                value = frame[0]
                if not stack:
                    result = value
                else:
                    self._add(stack, value, frame[2], None)
                continue
            self._count(event)
            mark = _mark(event)
            if isinstance(event, yaml.AliasEvent):
                if event.anchor not in self.anchors:
                    raise _Stop(mark.line, mark.col, f"unknown alias '*{event.anchor}'")
                value, amark, submarks, size = self.anchors[event.anchor]
                self.nodes += size
                if self.nodes > MAX_NODES:
                    raise _Stop(mark.line, mark.col, _too_many())
                path = self._child_path(stack)
                self._record(path, amark, stack)
                for sub, m in submarks.items():
                    self.parsed.marks[path + sub] = m
                if not stack:
                    result = value
                else:
                    self._add(stack, value, amark, event)
                continue
            if isinstance(event, yaml.ScalarEvent):
                value = self._scalar(event, mark)
                if stack and stack[-1][4] is _NO_KEY and isinstance(stack[-1][0], dict):
                    self._key(stack, value, mark)
                    continue
                path = self._child_path(stack)
                self._record(path, mark, stack)
                if event.anchor:
                    self.anchors[event.anchor] = (value, mark, {}, 1)
                if not stack:
                    result = value
                else:
                    self._add(stack, value, mark, event)
                continue
            # collection start
            if event.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                raise _Stop(mark.line, mark.col, f"unsupported YAML tag '{event.tag}'")
            if stack and isinstance(stack[-1][0], dict) and stack[-1][4] is _NO_KEY:
                raise _Stop(mark.line, mark.col, "a mapping key must be a plain value")
            if len(stack) >= MAX_DEPTH:
                raise _Stop(mark.line, mark.col, f"nesting deeper than {MAX_DEPTH} levels")
            path = self._child_path(stack)
            self._record(path, mark, stack)
            container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            stack.append([container, path, mark, event.anchor, _NO_KEY, None, self.nodes])
        return result

    def _count(self, event: Any) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Stop(*_pos(event), _too_many())

    def _child_path(self, stack: list[list[Any]]) -> tuple[Any, ...]:
        if not stack:
            return ()
        frame = stack[-1]
        if isinstance(frame[0], dict):
            return (*frame[1], frame[4])
        return (*frame[1], len(frame[0]))

    def _record(self, path: tuple[Any, ...], mark: Mark, stack: list[list[Any]]) -> None:
        self.parsed.marks[path] = mark

    def _key(self, stack: list[list[Any]], key: Any, mark: Mark) -> None:
        frame = stack[-1]
        if not isinstance(key, str | int | float | bool) or key is None:
            raise _Stop(mark.line, mark.col, "a mapping key must be a plain value")
        if key == "<<":
            raise _Stop(mark.line, mark.col, "YAML merge keys ('<<') are not supported")
        if key in frame[0]:
            first = self.parsed.key_marks.get((*frame[1], key))
            where = f" (first at line {first.line})" if first else ""
            raise _Stop(mark.line, mark.col, f"duplicate key '{key}'{where}")
        frame[4], frame[5] = key, mark
        self.parsed.key_marks[(*frame[1], key)] = mark

    def _add(self, stack: list[list[Any]], value: Any, mark: Mark, event: Any) -> None:
        frame = stack[-1]
        if isinstance(frame[0], dict):
            frame[0][frame[4]] = value
            frame[4] = _NO_KEY
        else:
            frame[0].append(value)

    def _finish(self, frame: list[Any]) -> None:
        if frame[3]:
            prefix = frame[1]
            sub = {
                p[len(prefix):]: m
                for p, m in self.parsed.marks.items()
                if p[: len(prefix)] == prefix and len(p) > len(prefix)
            }
            self.anchors[frame[3]] = (frame[0], frame[2], sub, self.nodes - frame[6] + 1)

    def _scalar(self, event: Any, mark: Mark) -> Any:
        tag = event.tag
        if tag in (None, "!"):
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == "tag:yaml.org,2002:timestamp":
            return event.value  # dates stay text; rules compare ISO dates as strings
        if tag not in _SAFE_TAGS:
            raise _Stop(mark.line, mark.col, f"unsupported YAML tag '{tag}'")
        if tag in _NUMBER_TAGS and len(event.value) > MAX_NUMBER_CHARS:
            raise _Stop(mark.line, mark.col, (
                f"a number of {len(event.value):,} characters is out of range; numbers in rule "
                f"files have at most {MAX_NUMBER_CHARS} characters"
            ))
        if tag == _STR_TAG:
            return event.value  # what the constructor makes of a str node: its text, as is
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        return self.constructor.construct_object(node)


_NO_KEY: Any = object()


def _pos(event: Any) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _too_many() -> str:
    return (
        f"the document expands to more than {MAX_NODES:,} nodes (aliases included);"
        " is this an alias bomb?"
    )


def scalar_position(parsed: Parsed, mark: Mark, text: str, offset: int) -> tuple[int, int]:
    """Map an offset inside a scalar's value to a file line and column, following YAML's
    line folding (a line break and the next line's indentation read as one character)."""
    lines = parsed.text.splitlines() or [""]
    line, col = mark.line, mark.col
    if mark.style in ("|", ">"):
        line += 1
        col = _indent(lines, line) + 1
    elif mark.style in ('"', "'"):
        col += 1
    for _ in range(min(offset, len(text))):
        if line > len(lines):
            break
        if col > len(lines[line - 1]):
            line += 1
            col = _indent(lines, line) + 1
        else:
            col += 1
    if line <= len(lines) and col > len(lines[line - 1]) + 1:
        col = len(lines[line - 1]) + 1
    return line, col


def _indent(lines: list[str], line: int) -> int:
    if line > len(lines):
        return 0
    text = lines[line - 1]
    return len(text) - len(text.lstrip(" "))
