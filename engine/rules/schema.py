"""The rule-file schema (marshmallow) and loading files into a validated `Ruleset`.

Every problem in every file is collected in one pass and reported as a `Diagnostic` located at
the YAML node it concerns: marshmallow's nested error paths are mapped back to parse marks, and
condition errors to the exact column inside the `when` text.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate
from stridewise.directives import Vocabulary, then_schema
from stridewise.errors import Diagnostic, ExpressionError, RulesetError
from stridewise.facts import FACTS, FactType
from stridewise.rules import expr as ex
from stridewise.rules.cycles import set_cycles
from stridewise.rules.display import display_path
from stridewise.rules.parse import Parsed, parse_text, read_file, scalar_position

__all__ = ["Rule", "RuleFileSchema", "Ruleset", "check_paths", "load_ruleset", "rule_files"]

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"
MAX_TOTAL_RULES = 20_000  # across a ruleset's files (each file holds at most 5,000)


class RuleSchema(Schema):
    """One rule: when its condition holds, its directives apply."""

    class Meta:
        unknown = RAISE

    id = fields.String(required=True, validate=validate.Regexp(ID_PATTERN, error=(
        "rule ids use letters, digits, '_', '-' and '.', up to 100 characters"
    )))
    description = fields.String(validate=validate.Length(max=2000))
    source = fields.String(validate=validate.Length(max=2000))
    priority = fields.Integer(
        load_default=0, strict=True, validate=validate.Range(-10_000, 10_000)
    )
    when = fields.Raw(required=True)
    then = fields.Dict(required=True, keys=fields.String())


class RuleFileSchema(Schema):
    """A rule file: one ruleset section with its rules."""

    class Meta:
        unknown = RAISE

    ruleset = fields.String(required=True, validate=validate.Regexp(
        r"^[a-z0-9][a-z0-9_-]{0,63}$",
        error="a section name is lower-case letters, digits, '_' or '-'",
    ))
    description = fields.String(validate=validate.Length(max=5000))
    rules = fields.List(
        fields.Nested(RuleSchema), required=True, validate=validate.Length(max=5000)
    )


_FILE_SCHEMA = RuleFileSchema()


@dataclass(frozen=True)
class Rule:
    """A validated rule with where it came from; `then` excludes `set`, which is in `sets`."""

    id: str
    section: str
    file: str
    line: int
    col: int
    when: str
    expr: Any
    then: dict[str, Any]
    sets: dict[str, Any]
    priority: int = 0
    description: str = ""
    source: str = ""
    index: int = 0  # position in file order across the ruleset

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Ruleset:
    """Rules from a set of files, in file order; `version` hashes file names and bytes."""

    name: str
    version: str
    rules: tuple[Rule, ...]
    files: tuple[str, ...] = field(default=())

    def ref(self) -> dict[str, str]:
        """`{"name", "version"}`: how responses, batch items and explanations name it."""
        return {"name": self.name, "version": self.version}


def rule_files(paths: Iterable[str | os.PathLike[str]]) -> list[FsPath]:
    """The YAML files named by `paths` (directories contribute their top-level *.yaml)."""
    found: list[FsPath] = []
    for raw in paths:
        path = FsPath(raw)
        if path.is_dir():
            found.extend(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        else:
            found.append(path)
    return sorted(dict.fromkeys(found), key=lambda p: (p.name, str(p)))


def _display(path: FsPath) -> str:
    return display_path(path)


def check_paths(
    paths: Iterable[str | os.PathLike[str]], *, vocabulary: Vocabulary | None = None
) -> list[Diagnostic]:
    """Every problem in the rule files at `paths`; never raises for bad files."""
    return _load(paths, "check", vocabulary)[1]


def load_ruleset(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    name: str = "default",
    vocabulary: Vocabulary | None = None,
    texts: Mapping[FsPath, bytes] | None = None,
) -> Ruleset:
    """Load and validate a ruleset; raise RulesetError carrying every diagnostic.

    `texts` (file path -> bytes, read beforehand as one snapshot) is parsed instead of
    reading the files again; `paths` then names those files.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    ruleset, diagnostics = _load(paths, name, vocabulary, texts)
    if diagnostics:
        raise RulesetError(diagnostics)
    return ruleset


def _load(
    paths: Iterable[str | os.PathLike[str]], name: str, vocabulary: Vocabulary | None,
    texts: Mapping[FsPath, bytes] | None = None,
) -> tuple[Ruleset, list[Diagnostic]]:
    files = rule_files(paths)
    diagnostics: list[Diagnostic] = []
    if not files:
        diagnostics.append(Diagnostic("<ruleset>", 1, 1, "no rule files (*.yaml) found"))
    digest = hashlib.sha256()
    then = then_schema(vocabulary)
    rules: list[Rule] = []
    first: dict[str, Diagnostic] = {}  # rule id -> where it is first defined
    for path in files:
        shown = _display(path)
        if texts is not None and path in texts:
            parsed = parse_text(texts[path], shown)
        elif texts is not None or not path.exists():
            diagnostics.append(Diagnostic(shown, 1, 1, "no such file or directory"))
            continue
        else:
            parsed = read_file(path, display=shown)
        if isinstance(parsed, list):
            diagnostics.extend(parsed)
            continue
        digest.update(path.name.encode() + b"\0" + parsed.text.encode() + b"\0")
        file_rules, ids = _file_rules(parsed, then, diagnostics, len(rules))
        for rule_id, where in ids:  # every id, valid rule or not: duplicates show in one pass
            if rule_id in first:
                other = first[rule_id]
                diagnostics.append(Diagnostic(
                    where.file, where.line, where.col,
                    f"duplicate rule id '{rule_id}'; first defined at {other.file}:{other.line}",
                ))
            else:
                first[rule_id] = where
        rules.extend(r for r in file_rules if first[r.id].line == r.line
                     and first[r.id].file == r.file)
    if len(rules) > MAX_TOTAL_RULES:
        diagnostics.append(Diagnostic(
            "<ruleset>", 1, 1, f"the ruleset holds {len(rules)} rules in {len(files)} files; at "
            f"most {MAX_TOTAL_RULES} in all: split it into separate rulesets"))
    ruleset = Ruleset(
        name, f"sha256:{digest.hexdigest()}", tuple(rules), tuple(_display(p) for p in files)
    )
    diagnostics.extend(set_cycles(ruleset.rules))  # across files too: rules of every file
    return ruleset, sorted(set(diagnostics))


def _file_rules(
    parsed: Parsed, then: Schema, diagnostics: list[Diagnostic], start: int
) -> tuple[list[Rule], list[tuple[str, Diagnostic]]]:
    """The valid rules of one file, and every rule id with where it stands."""
    data = parsed.data
    try:
        _FILE_SCHEMA.load(data)
        errors: Any = {}
    except ValidationError as err:
        errors = err.normalized_messages()
    _report(parsed, errors, (), _FILE_SCHEMA, diagnostics)
    section = data.get("ruleset") if isinstance(data.get("ruleset"), str) else "?"
    rules = data.get("rules") if isinstance(data.get("rules"), list) else []
    out: list[Rule] = []
    ids: list[tuple[str, Diagnostic]] = []
    for index, raw in enumerate(rules):
        if not isinstance(raw, Mapping):
            continue
        here = ("rules", index)
        if isinstance(raw.get("id"), str):
            ids.append((raw["id"], parsed.diagnostic(here, raw["id"])))
        if raw.get("then") == {}:
            diagnostics.append(parsed.diagnostic((*here, "then"), (
                "then: is empty; a rule needs at least one directive (for example "
                "sets: {max: 2}) or set: {fact: value}"
            )))
        bad = raw.get("then") == {} or (
            bool(_rule_errors(errors).get(index))
        )
        loaded_then: dict[str, Any] = {}
        sets: dict[str, Any] = {}
        if isinstance(raw.get("then"), Mapping):
            try:
                loaded_then = dict(then.load(raw["then"]))
            except ValidationError as err:
                bad = True
                _report(parsed, err.normalized_messages(), (*here, "then"), then, diagnostics)
            if isinstance(raw["then"].get("set"), Mapping):
                set_problems = _check_sets(parsed, raw["then"]["set"], (*here, "then", "set"))
                diagnostics.extend(set_problems)
                bad = bad or bool(set_problems)
                sets = dict(raw["then"]["set"])
        loaded_then.pop("set", None)
        tree = _check_when(parsed, raw.get("when"), (*here, "when"), diagnostics)
        if bad or tree is None or not isinstance(raw.get("id"), str):
            continue
        mark = parsed.mark(here)
        out.append(Rule(
            id=raw["id"], section=section, file=parsed.file, line=mark.line, col=mark.col,
            when=str(raw["when"]).lower() if isinstance(raw["when"], bool) else raw["when"],
            expr=tree, then=loaded_then, sets=sets, priority=raw.get("priority", 0),
            description=raw.get("description", ""), source=raw.get("source", ""),
            index=start + len(out),
        ))
    return out, ids


def _rule_errors(errors: Any) -> dict[Any, Any]:
    """marshmallow's messages per rule index (a list when the `rules` list itself is bad)."""
    found = errors.get("rules") if isinstance(errors, dict) else None
    return found if isinstance(found, dict) else {}


def _check_when(
    parsed: Parsed, when: Any, path: tuple[Any, ...], diagnostics: list[Diagnostic]
) -> Any:
    if isinstance(when, bool):
        return ex.Lit(when, 0)
    if when is None:
        return None  # the schema reported the missing key
    if not isinstance(when, str):
        diagnostics.append(parsed.diagnostic(
            path, f"when: expected a condition such as age > 30 (or true), not {when!r}"
        ))
        return None
    try:
        return ex.parse_expr(when)
    except ExpressionError as err:
        mark = parsed.mark(path)
        line, col = scalar_position(parsed, mark, when, err.col)
        message = err.message
        if err.opened is not None:  # "the '(' at column 1" -> where that is in the file
            oline, ocol = scalar_position(parsed, mark, when, err.opened)
            message = message.replace(f"at column {err.opened + 1}", f"at {oline}:{ocol}")
        diagnostics.append(Diagnostic(parsed.file, line, col, message))
        return None


def _check_sets(parsed: Parsed, sets: Mapping[str, Any], path: tuple[Any, ...]) -> list[Diagnostic]:
    out = []
    for key, value in sets.items():
        problem = _set_problem(str(key), value)
        if problem:
            out.append(parsed.diagnostic((*path, key), problem, key=problem.startswith("cannot")))
    return out


def _set_problem(key: str, value: Any) -> str | None:
    if key.startswith("ext."):
        ok = ex.kind_of(value) != "other" or (
            isinstance(value, list) and all(ex.kind_of(v) != "other" for v in value)
        )
        return None if ok else f"set {key}: plugin facts take a value or a list of values"
    spec = FACTS.get(key)
    settable = isinstance(spec, FactType) or (
        isinstance(spec, list) and isinstance(spec[0], FactType)
    )
    if spec is None:
        close = difflib.get_close_matches(key, list(FACTS), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"cannot set '{key}': unknown fact{hint} (plugin facts go under ext.)"
    if not settable:
        return f"cannot set '{key}': set takes single values and lists of values, not objects"
    many = isinstance(spec, list)
    fact: FactType = spec[0] if isinstance(spec, list) else spec
    values = value if many and isinstance(value, list) else [value]
    if many and not isinstance(value, list):
        return f"set {key}: expected a list of {fact.kind}s"
    for one in values:
        if one is None and fact.nullable and not many:
            continue
        if ex.kind_of(one) != fact.kind:
            return f"set {key}: expected {'a list of ' if many else 'a '}{fact.kind}, got {one!r}"
        if fact.values is not None and one not in fact.values:
            close = difflib.get_close_matches(str(one), fact.values, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            return f"set {key}: '{one}' is not a known value; {hint}known: {', '.join(fact.values)}"
    return None


def _report(
    parsed: Parsed, messages: Any, path: tuple[Any, ...], schema: Any,
    diagnostics: list[Diagnostic],
) -> None:
    """Turn marshmallow's nested messages into located diagnostics, with suggestions."""
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            if key == "_schema":
                _report(parsed, value, path, schema, diagnostics)
                continue
            _report(parsed, value, (*path, key), _child(schema, key), diagnostics)
        return
    if isinstance(messages, list | tuple):
        for message in messages:
            if isinstance(message, Mapping | list | tuple):
                _report(parsed, message, path, schema, diagnostics)
                continue
            diagnostics.append(_located(parsed, path, str(message)))


def _located(parsed: Parsed, path: tuple[Any, ...], message: str) -> Diagnostic:
    name = str(path[-1]) if path else ""
    if message == "Unknown field.":
        known = _known_at(parsed, path)
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else (
            f"; known: {', '.join(sorted(known))}" if known else ""
        )
        return parsed.diagnostic(path, f"unknown key '{name}'{hint}", key=True)
    if message == "Invalid input type." and len(path) == 2 and path[0] == "rules":
        return parsed.diagnostic(path, "each rule is a mapping with id, when and then")
    if message == "Missing data for required field.":
        return parsed.diagnostic(path[:-1], f"missing required key '{name}'")
    where = ".".join(str(p) for p in path if not isinstance(p, int) and p != "rules")
    lower = message[:1].isupper() and message[1:2].islower()
    text = message[0].lower() + message[1:] if lower else message
    return parsed.diagnostic(path, f"{where}: {text}" if where else text)


def _known_at(parsed: Parsed, path: tuple[Any, ...]) -> list[str]:
    """Field names valid at `path` (the parent of an unknown key), found by walking schemas."""
    parent = tuple(p for p in path[:-1] if not isinstance(p, int))
    schema: Any = _FILE_SCHEMA
    for step in parent:
        if step == "then":
            schema = then_schema()
            continue
        schema = _child(schema, step)
    return list(getattr(schema, "fields", {}) or {})


def _child(schema: Any, key: Any) -> Any:
    if schema is None or isinstance(key, int):
        return schema
    fields_ = getattr(schema, "fields", None)
    if not isinstance(fields_, Mapping) or key not in fields_:
        return None
    fld = fields_[key]
    while isinstance(fld, fields.List):
        fld = fld.inner
    return getattr(fld, "schema", None)
