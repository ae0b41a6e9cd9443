"""A faster `Schema.load` for well-formed input, derived from the marshmallow schema itself.

The schema stays the one statement of the contract (its errors, docs, JSON Schema and
OpenAPI all come from it). `FastLoad(schema)` walks the schema's fields once and builds a
loader that gives exactly what `schema.load(data)` gives, for input it is certain about, and
`None` for anything else: a missing required field, a null where none is allowed, a value
of another type, a value a validator rejects, an unknown key. The caller then runs
marshmallow, so every error (and its message naming the field) is marshmallow's own.

What makes it faster is what it leaves out: the error store, the per-field getter closures,
the `partial` and `unknown` plumbing, and `And(...)` built afresh around each field's
validators. Strict integers, floats and strings are checked inline, dates by their format's
own parse function from marshmallow; validators are the field's own callables; every other
field (booleans, dicts, lists of plain values) is `field.deserialize`, marshmallow's own code.
A schema using what this module does not reproduce (pre/post-load hooks, `validates` hooks,
`data_key`, `attribute`, `unknown` other than RAISE, an ordered dict class) gets no fast
path (`FastLoad.enabled` is False), and `tests/test_fastload.py` fails if the athlete context
ever loses its fast path.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import RAISE, Schema, fields, missing, validate
from marshmallow.validate import Validator

__all__ = ["FastLoad"]

Step = Callable[[Any, Mapping[str, Any] | None], Any]  # (raw value, parent data) -> loaded


class _Unsure(Exception):
    """The fast path cannot vouch for this input; marshmallow decides."""


class _Unsupported(Exception):
    """The schema uses something the fast path does not reproduce."""


class FastLoad:
    """`schema.load(data)` for input the fast path is sure about, else None."""

    def __init__(self, schema: Schema) -> None:
        try:
            self._load: Callable[[Mapping[str, Any]], dict[str, Any]] | None = _schema(schema)
        except _Unsupported:
            self._load = None

    @property
    def enabled(self) -> bool:
        """Whether the schema has a fast path at all (else `__call__` is always None)."""
        return self._load is not None

    def __call__(self, data: Any) -> dict[str, Any] | None:
        if self._load is None or type(data) is not dict:
            return None
        try:
            return self._load(data)
        except Exception:  # _Unsure, a ValidationError, anything: marshmallow decides
            return None


def _schema(schema: Schema) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
    """The loader of one schema: every load field in declared order, then its schema
    validators (run as marshmallow runs them, with no field errors)."""
    if schema.unknown != RAISE or schema.many or schema.partial or schema.dict_class is not dict:
        raise _Unsupported(type(schema).__name__)
    validators = [getattr(schema, name) for name in _schema_validators(schema)]
    steps: list[tuple[str, Step]] = []
    for name, field in schema.load_fields.items():
        if field.data_key is not None or field.attribute is not None:
            raise _Unsupported(f"{type(schema).__name__}.{name}")
        steps.append((name, _step(field, name)))
    known = frozenset(schema.load_fields)

    def load(data: Mapping[str, Any]) -> dict[str, Any]:
        if not known.issuperset(data):  # an unknown key: marshmallow names it
            raise _Unsure(data)
        out: dict[str, Any] = {}
        for name, step in steps:
            value = step(data.get(name, missing), data)
            if value is not missing:
                out[name] = value
        for check_schema in validators:
            check_schema(out, partial=None, many=False, unknown=RAISE)
        return out

    return load


def _schema_validators(schema: Schema) -> list[str]:
    """Names of the schema's `validates_schema` methods; any other hook is unsupported."""
    names: list[str] = []
    for tag, hooks in type(schema).resolve_hooks().items():
        for name, many, options in hooks:
            if (tag != "validates_schema" or many or options.get("pass_original")
                    or not options.get("skip_on_field_errors", True)):
                raise _Unsupported(f"{type(schema).__name__}.{name}: {tag}")
            names.append(name)
    return names


def _step(field: fields.Field, name: str | None) -> Step:
    """How one field loads: inline for the common kinds, `field.deserialize` otherwise."""
    if _hooked(field):
        return _generic(field, name)
    check = _checks(field.validators)
    if isinstance(field, fields.Nested) and not field.many and _plain_nested(field):
        load = _schema(field.schema)
        return _guarded(field, name, lambda raw: check(load(_mapping(raw))))
    if type(field) is fields.List:
        if type(field.inner) is fields.String and not _hooked(field.inner):
            return _guarded(field, name, _strings(field.inner, check))
        inner = _step(field.inner, None)
        return _guarded(field, name, lambda raw: check([inner(i, None) for i in _list(raw)]))
    parse = _date_parser(field)
    if parse is not None:
        return _guarded(field, name, lambda raw: check(_date(raw, parse)))
    if type(field) is fields.Integer and field.strict:
        return _guarded(field, name, lambda raw: check(raw if type(raw) is int else _unsure()))
    if type(field) is fields.Float and not field.allow_nan:
        return _guarded(field, name, lambda raw: check(_float(raw)))
    if type(field) is fields.String:
        return _guarded(field, name, lambda raw: check(raw if type(raw) is str else _unsure()))
    return _generic(field, name)


def _hooked(field: fields.Field) -> bool:
    return bool(getattr(field, "pre_load", None) or getattr(field, "post_load", None))


def _strings(inner: fields.String, check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A list of strings in one pass: every item a str, each checked by the inner field's
    validators (a plain `OneOf` as one subset test), then the list's own validators."""
    validators = inner.validators
    choices = _choices(validators[0]) if len(validators) == 1 else None
    each = _checks(validators) if validators and choices is None else None

    def load(raw: Any) -> Any:
        items = _list(raw)
        for item in items:
            if type(item) is not str:
                raise _Unsure(item)
        if choices is not None:
            if not choices.issuperset(items):
                raise _Unsure(items)
        elif each is not None:
            for item in items:
                each(item)
        return check(list(items))

    return load


def _choices(validator: Any) -> frozenset[Any] | None:
    """A plain `OneOf`'s choices as a set (membership as `OneOf` tests it), else None."""
    if type(validator) is not validate.OneOf:
        return None
    try:
        return frozenset(validator.choices)
    except TypeError:  # unhashable choices: the validator itself decides
        return None


def _date_parser(field: fields.Field) -> Callable[[str], dt.date] | None:
    """The parse a plain `fields.Date` runs on a string: its format's own function from
    marshmallow (`DESERIALIZATION_FUNCS`), so the fast path takes the dates the installed
    marshmallow takes (4 reads compact ISO dates such as 20261130, 3.x does not)."""
    if type(field) is not fields.Date:
        return None
    funcs = getattr(field, "DESERIALIZATION_FUNCS", None) or {}
    return funcs.get(field.format or getattr(field, "DEFAULT_FORMAT", "iso"))


def _date(raw: Any, parse: Callable[[str], dt.date]) -> dt.date:
    """`fields.Date`'s load: a date as is, a string by the format's parse."""
    if type(raw) is dt.date:
        return raw
    if type(raw) is not str:
        raise _Unsure(raw)
    return parse(raw)  # ValueError (or marshmallow's own error): marshmallow decides


def _plain_nested(field: fields.Nested) -> bool:
    """A Nested field that loads like its schema's own `load` (no only/exclude/unknown)."""
    return not field.only and not field.exclude and field.unknown is None


def _generic(field: fields.Field, name: str | None) -> Step:
    deserialize = field.deserialize
    return lambda raw, data: deserialize(raw, name, data)  # a list's items get no name


def _guarded(field: fields.Field, name: str | None, load: Callable[[Any], Any]) -> Step:
    """`Field.deserialize`'s handling of a missing or null value around `load`."""
    required, allow_none, default = field.required, field.allow_none, field.load_default

    def step(raw: Any, data: Mapping[str, Any] | None) -> Any:
        if raw is missing:
            if required:
                raise _Unsure(name)
            return default() if callable(default) else default
        if raw is None:
            if allow_none:
                return None
            raise _Unsure(name)
        return load(raw)

    return step


def _checks(validators: list[Any]) -> Callable[[Any], Any]:
    """Run a field's validators as `And` does; any failure (or a plain function returning
    False) is a reason to let marshmallow decide."""
    if not validators:
        return lambda value: value
    pairs = [(v, not isinstance(v, Validator)) for v in validators]

    def check(value: Any) -> Any:
        for validator, plain in pairs:
            if validator(value) is False and plain:
                raise _Unsure(value)
        return value

    return check


def _mapping(raw: Any) -> Mapping[str, Any]:
    return raw if type(raw) is dict else _unsure()


def _list(raw: Any) -> list[Any]:
    return raw if type(raw) is list else _unsure()


def _float(raw: Any) -> float:
    if type(raw) is not float and type(raw) is not int:
        raise _Unsure(raw)
    value = float(raw)  # an int too large raises OverflowError: marshmallow decides
    if math.isnan(value) or math.isinf(value):
        raise _Unsure(raw)
    return value


def _unsure() -> Any:
    raise _Unsure()
