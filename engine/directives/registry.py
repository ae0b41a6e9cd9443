"""The directive registry: every `then` key as one `DirectiveSpec`, built-in or from a plugin.

The built-ins are registered by the built-in plugin `stridewise.plugins.directives` through
`register_directives`, like any plugin's, and are always in effect (a ruleset checked without
plugins still knows them). A `Registry` is the built-ins followed by the plugins' directives;
the rule-file schema (`then_schema`), conflict resolution (`planning.resolve`), explain's
resulting directives and the docs table (`directives.table`) are all read from it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from marshmallow import Schema, fields
from stridewise.directives import (
    bounds,
    dose,
    emphasis,
    exclude,
    notes,
    protocol,
    require,
    season,
    timing,
)
from stridewise.directives.merge import CollectMerge, MergePolicy
from stridewise.directives.vocabulary import Vocabulary
from stridewise.models import DirectiveSpec

__all__ = [
    "BUILTINS",
    "BUILTIN_PLUGIN",
    "STAGES",
    "Registry",
    "builtin_specs",
    "directive_fields",
    "then_schema",
]

BUILTIN_PLUGIN = "stridewise.directives"

# Where the planner applies a directive, in pipeline order (docs/resolution.md).
STAGES: dict[str, str] = {
    "rules": "the rules core, while the rules evaluate",
    "candidates": "choosing candidates (`planning.selection`)",
    "days": "choosing days and heavy or light sessions (`planning.schedule`)",
    "fill": "filling sessions (`planning.planner`)",
    "dose": "dosing each exercise (`planning.prescribe`)",
    "protocols": "placing protocols (`planning.protocols`)",
    "fit": "fitting sessions to the minutes (`planning.sessions`)",
    "season": "planning a plan over a week as a season, week by week (`planning.loading`)",
    "notes": "the plan's notes",
    "plan": "after every built-in stage: the spec's `apply(plan, value, context)`",
}

COLLECT = CollectMerge()

BUILTINS: dict[str, DirectiveSpec] = {
    spec.name: dataclasses.replace(spec, plugin=BUILTIN_PLUGIN)
    for family in (bounds, dose, require, emphasis, exclude, protocol, timing, season, notes)
    for spec in family.SPECS
}


def builtin_specs() -> list[DirectiveSpec]:
    """The built-in directives in registry order (what `register_directives` returns)."""
    return list(BUILTINS.values())


class Registry(Mapping[str, DirectiveSpec]):
    """The directives in effect: the built-ins, then the given plugin directives in order.

    A plugin spec without a merge policy gets `CollectMerge`. A name that is a built-in is
    the built-in (the catalog rejects a plugin's redefinition before it gets here).
    """

    def __init__(self, extra: Mapping[str, DirectiveSpec] | Iterable[DirectiveSpec] = ()) -> None:
        given: Iterable[DirectiveSpec] = extra.values() if isinstance(extra, Mapping) else extra
        self._specs: dict[str, DirectiveSpec] = dict(BUILTINS)
        for spec in given:
            if spec.name not in BUILTINS:
                merge = spec.merge if spec.merge is not None else COLLECT
                self._specs[spec.name] = dataclasses.replace(spec, merge=merge)

    def __getitem__(self, name: str) -> DirectiveSpec:
        return self._specs[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    @staticmethod
    def policy(spec: DirectiveSpec) -> MergePolicy | None:
        """The spec's merge policy; None for `rules`-stage directives, which never resolve."""
        return spec.merge if spec.merge is not None or spec.stage == "rules" else COLLECT

    def fields(self, vocab: Vocabulary | None = None) -> dict[str, fields.Field]:
        """Each directive's marshmallow field for the names in `vocab`, in registry order."""
        vocab = vocab or Vocabulary()
        return {name: spec.field_for(vocab) if spec.field_for is not None else spec.field
                for name, spec in self._specs.items()}


DEFAULT = Registry()


def directive_fields(vocab: Vocabulary | None = None) -> list[tuple[DirectiveSpec, Any]]:
    """(spec, marshmallow field) for every directive in effect with `vocab`'s plugins, in
    registry order: the source for generated schemas and docs."""
    registry = Registry((vocab or Vocabulary()).directives)
    return [(registry[name], fld) for name, fld in registry.fields(vocab).items()]


def then_schema(vocab: Vocabulary | None = None) -> Schema:
    """The schema of a rule's `then` mapping for the given vocabulary (closed: unknown keys
    are errors)."""
    vocab = vocab or Vocabulary()
    fields_ = Registry(vocab.directives).fields(vocab)
    return Schema.from_dict(fields_, name="ThenSchema")()
