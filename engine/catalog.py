"""The catalog: categories, exercises, constraints, directives and rulesets from every plugin.

Each item is validated on its own (marshmallow) and records the plugin that gave it; a bad item
is rejected and reported against its plugin, hook and id, and the rest of the plugin still
counts. Duplicate ids keep the item of the plugin whose name sorts first and report both
plugins, so nothing depends on load order; items are kept sorted by id and indexed by category,
tag and equipment so a request filters with set operations instead of a scan.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marshmallow import Schema, ValidationError, fields
from stridewise.catalog_schema import CategorySchema, ExerciseSchema, flatten_messages
from stridewise.directives import BUILTINS, STAGES, Vocabulary, unknown_name
from stridewise.directives.merge import MergePolicy
from stridewise.errors import CatalogError
from stridewise.models import TAGS, Category, Constraint, DirectiveSpec, Exercise
from stridewise.plugin_manager import PluginProblem, Plugins
from stridewise.validators import suggest_unknown

__all__ = [
    "Catalog",
    "CategorySchema",
    "ExerciseSchema",
    "PluginRuleset",
    "build_catalog",
    "exercise_to_dict",
]

_CATEGORY_SCHEMA = CategorySchema()
_EXERCISE_SCHEMA = ExerciseSchema()
REFERENCE_FIELDS = ("progressions", "regressions", "substitutes")


@dataclass(frozen=True)
class PluginRuleset:
    """A directory or file of rule files shipped by a plugin."""

    name: str
    path: Path
    plugin: str


@dataclass
class Catalog:
    """Everything plugins contributed, validated, sorted by id and indexed."""

    categories: dict[str, Category] = field(default_factory=dict)
    exercises: dict[str, Exercise] = field(default_factory=dict)
    constraints: dict[str, Constraint] = field(default_factory=dict)
    directives: dict[str, DirectiveSpec] = field(default_factory=dict)
    rulesets: list[PluginRuleset] = field(default_factory=list)
    problems: list[PluginProblem] = field(default_factory=list)
    build_seconds: float = 0.0
    by_category: dict[str, frozenset[str]] = field(default_factory=dict)
    by_tag: dict[str, frozenset[str]] = field(default_factory=dict)
    by_equipment: dict[str, frozenset[str]] = field(default_factory=dict)
    _order: dict[str, int] = field(default_factory=dict, repr=False)

    def index(self) -> None:
        """(Re)build the category, tag and equipment indexes from `exercises`."""
        cats: dict[str, set[str]] = defaultdict(set)
        tags: dict[str, set[str]] = defaultdict(set)
        gear: dict[str, set[str]] = defaultdict(set)
        for ex in self.exercises.values():
            for c in ex.categories:
                cats[c].add(ex.id)
            for t in ex.tags:
                tags[t].add(ex.id)
            for e in ex.equipment:
                gear[e].add(ex.id)
        self.by_category = {k: frozenset(v) for k, v in sorted(cats.items())}
        self.by_tag = {k: frozenset(v) for k, v in sorted(tags.items())}
        self.by_equipment = {k: frozenset(v) for k, v in sorted(gear.items())}
        self._order = {ex_id: i for i, ex_id in enumerate(self.exercises)}

    def select(
        self,
        *,
        categories: Iterable[str] | None = None,
        tags: Iterable[str] | None = None,
        uses: Iterable[str] | None = None,
        available: Iterable[str] | None = None,
    ) -> list[Exercise]:
        """Exercises in any of `categories`, with any of `tags`, using any of `uses`, and
        doable with only the `available` equipment (bodyweight always is); sorted by id."""
        ids: frozenset[str] | set[str] = frozenset(self.exercises)
        for wanted, index in ((categories, self.by_category), (tags, self.by_tag),
                              (uses, self.by_equipment)):
            if wanted is not None:
                ids = ids & frozenset().union(*(index.get(w, frozenset()) for w in wanted))
        if available is not None:
            have = set(available)
            missing = [ids_ for e, ids_ in self.by_equipment.items() if e not in have]
            ids = ids - frozenset().union(*missing)
        return [self.exercises[i] for i in sorted(ids, key=self._order.__getitem__)]

    def unknown_filters(
        self, *, categories: Iterable[str] = (), tags: Iterable[str] = ()
    ) -> dict[str, list[str]]:
        """Messages for filter values no plugin provides, keyed "category" / "tag"; {} if none."""
        known = {"category": frozenset(self.categories), "tag": self.vocabulary().tags}
        problems: dict[str, list[str]] = {}
        for kind, given in (("category", categories), ("tag", tags)):
            for value in given:
                if value not in known[kind]:
                    problems.setdefault(kind, []).append(unknown_name(kind, value, known[kind]))
        return problems

    def vocabulary(self) -> Vocabulary:
        """The names rule files may use with these plugins loaded."""
        return Vocabulary(
            categories=frozenset(self.categories),
            tags=frozenset(TAGS) | frozenset(self.by_tag),
            exercise_ids=frozenset(self.exercises),
            constraints=dict(self.constraints),
            directives=dict(self.directives),
        )

    def raise_for_problems(self) -> None:
        """Raise CatalogError listing every error problem (for strict loading and tests)."""
        errors = [p for p in self.problems if p.severity == "error"]
        if errors:
            raise CatalogError(
                f"{len(errors)} plugin problem(s):\n" + "\n".join(str(p) for p in errors),
                plugin=errors[0].plugin,
                hook=errors[0].hook,
            )


def exercise_to_dict(exercise: Exercise) -> dict[str, Any]:
    """An exercise in the catalog-entry format (architecture.md), plus `plugin`."""
    data = dataclasses.asdict(exercise)
    for key, value in data.items():
        if isinstance(value, tuple):
            data[key] = list(value)
    dose = data["prescription"]
    if isinstance(dose["reps"], list | tuple):
        dose["reps"] = {"min": dose["reps"][0], "max": dose["reps"][1]}
    return data


class _Builder:
    """Collects one hook's items per plugin, validates them and resolves duplicates."""

    def __init__(self, plugins: Plugins, catalog: Catalog) -> None:
        self.plugins = plugins
        self.catalog = catalog
        self.counts: dict[str, dict[str, int]] = defaultdict(dict)

    def problem(self, plugin: str, message: str, **kwargs: Any) -> None:
        problem = PluginProblem(plugin, message, **kwargs)
        self.plugins.record(problem)
        self.catalog.problems.append(problem)

    def items(self, hook: str) -> Iterable[tuple[str, int, Any]]:
        for plugin, value in self.plugins.call(hook):
            if not isinstance(value, list | tuple):
                self.problem(
                    plugin, f"must return a list, not {type(value).__name__}", hook=hook
                )
                continue
            for index, item in enumerate(value):
                yield plugin, index, item

    def load(self, hook: str, schema: Schema, plugin: str, index: int, item: Any) -> Any:
        item_id = _item_id(item, index)
        if not isinstance(item, Mapping):
            self.problem(
                plugin, f"expected a dict, got {type(item).__name__}", hook=hook, item=item_id
            )
            return None
        try:
            loaded = schema.load(item)
        except ValidationError as err:
            messages = suggest_unknown(err.normalized_messages(), schema)
            self.problem(
                plugin,
                f"rejected: {flatten_messages(messages)}",
                hook=hook,
                item=item_id,
                fields=messages,
            )
            return None
        return dataclasses.replace(loaded, plugin=plugin)

    def unique(self, hook: str, kind: str, found: dict[str, list[Any]]) -> dict[str, Any]:
        """Keep, for each id, the item of the plugin whose name sorts first; report the rest."""
        kept: dict[str, Any] = {}
        for key in sorted(found):
            first, *others = sorted(found[key], key=lambda item: item.plugin)
            kept[key] = first
            for other in others:
                if other.plugin == first.plugin:
                    message = f"duplicate {kind} '{key}': given twice; keeping the first"
                else:
                    message = (
                        f"duplicate {kind} '{key}': given by plugins '{first.plugin}' and "
                        f"'{other.plugin}'; keeping '{first.plugin}'s (rename one of them)"
                    )
                for plugin in sorted({first.plugin, other.plugin}):
                    self.problem(plugin, message, hook=hook, item=key)
        for item in kept.values():
            self.count(item.plugin, kind)
        return kept

    def count(self, plugin: str, kind: str) -> None:
        report = self.plugins.reports.get(plugin)
        if report is not None:
            report.contributed[kind] = report.contributed.get(kind, 0) + 1


def build_catalog(plugins: Plugins) -> Catalog:
    """Build the catalog from every plugin's hooks; problems are reported, never raised."""
    started = time.perf_counter()
    catalog = Catalog()
    b = _Builder(plugins, catalog)
    for report in plugins.reports.values():
        report.contributed = {}

    found: dict[str, list[Any]] = defaultdict(list)
    for plugin, index, item in b.items("register_categories"):
        category = b.load("register_categories", _CATEGORY_SCHEMA, plugin, index, item)
        if category is not None:
            found[category.id].append(category)
    catalog.categories = b.unique("register_categories", "category", found)

    found = defaultdict(list)
    known_categories = ", ".join(sorted(catalog.categories)) or "none"
    for plugin, index, item in b.items("register_exercises"):
        exercise = b.load("register_exercises", _EXERCISE_SCHEMA, plugin, index, item)
        if exercise is None:
            continue
        unknown = [c for c in exercise.categories if c not in catalog.categories]
        if unknown:
            b.problem(
                plugin,
                f"rejected: field 'categories': unknown category '{unknown[0]}'; "
                f"known: {known_categories}",
                hook="register_exercises",
                item=exercise.id,
                fields={"categories": [f"unknown category '{unknown[0]}'"]},
            )
            continue
        found[exercise.id].append(exercise)
    catalog.exercises = b.unique("register_exercises", "exercise", found)
    _drop_dangling_references(b, catalog)

    catalog.constraints = _objects(b, "register_constraints", Constraint, "constraint")
    catalog.directives = _objects(b, "register_directives", DirectiveSpec, "directive")
    catalog.rulesets = _rulesets(b)
    catalog.index()
    catalog.build_seconds = time.perf_counter() - started
    return catalog


def _item_id(item: Any, index: int) -> str:
    if isinstance(item, Mapping) and isinstance(item.get("id"), str):
        return str(item["id"])
    name = getattr(item, "name", None)
    return name if isinstance(name, str) else f"#{index}"


def _drop_dangling_references(b: _Builder, catalog: Catalog) -> None:
    """Drop progressions/regressions/substitutes that name no exercise, reporting each one."""
    for ex_id, exercise in list(catalog.exercises.items()):
        changes: dict[str, Any] = {}
        for ref_field in REFERENCE_FIELDS:
            refs = getattr(exercise, ref_field)
            good = tuple(r for r in refs if r in catalog.exercises and r != ex_id)
            for ref in refs:
                if ref == ex_id:
                    reason = "refers to the exercise itself"
                elif ref not in catalog.exercises:
                    reason = f"names '{ref}', which no plugin provides"
                else:
                    continue
                b.problem(
                    exercise.plugin,
                    f"field '{ref_field}' {reason}; the reference is dropped",
                    hook="register_exercises",
                    item=ex_id,
                    fields={ref_field: [reason]},
                )
            if good != refs:
                changes[ref_field] = good
        if changes:
            catalog.exercises[ex_id] = dataclasses.replace(exercise, **changes)


def _objects(b: _Builder, hook: str, cls: type, kind: str) -> dict[str, Any]:
    """Validate Constraint / DirectiveSpec objects and set their `plugin`."""
    found: dict[str, list[Any]] = defaultdict(list)
    for plugin, index, obj in b.items(hook):
        item = _item_id(obj, index)
        reason = _object_problem(obj, cls, kind)
        if reason:
            b.problem(plugin, f"rejected: {reason}", hook=hook, item=item)
            continue
        found[obj.name].append(dataclasses.replace(obj, plugin=plugin))
    return b.unique(hook, kind, found)


def _object_problem(obj: Any, cls: type, kind: str) -> str | None:
    if not isinstance(obj, cls):
        return f"expected a stridewise.{cls.__name__}, got {type(obj).__name__}"
    return _fields_problem(obj, kind)


def _fields_problem(obj: Any, kind: str) -> str | None:
    if not isinstance(obj.name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", obj.name):
        return f"field 'name': {obj.name!r} is not a snake_case {kind} name"
    if isinstance(obj, Constraint):
        if not callable(obj.check):
            return "field 'check': must be callable as check(exercise, context, params)"
        schema = obj.params_schema
        if schema is not None and not (isinstance(schema, type) and issubclass(schema, Schema)):
            return "field 'params_schema': must be a marshmallow Schema class or None"
    if isinstance(obj, DirectiveSpec):
        return _directive_problem(obj)
    return None


def _directive_problem(spec: DirectiveSpec) -> str | None:
    builtin = BUILTINS.get(spec.name)
    if builtin is not None:
        if spec is builtin:
            return None  # the built-in plugin registering it
        return f"field 'name': '{spec.name}' is a built-in directive and cannot be redefined"
    if spec.field_for is not None:
        if not callable(spec.field_for):
            return "field 'field_for': must be callable as field_for(vocabulary)"
    elif not isinstance(spec.field, fields.Field):
        return "field 'field': must be a marshmallow Field instance validating the value"
    if spec.apply is not None and not callable(spec.apply):
        return "field 'apply': must be callable as apply(plan, value, context) or None"
    if spec.merge is not None and not isinstance(spec.merge, MergePolicy):
        return "field 'merge': must be a stridewise.directives.merge.MergePolicy or None"
    if spec.stage not in STAGES:
        return f"field 'stage': {unknown_name('stage', str(spec.stage), STAGES)}"
    if spec.explain is not None and not callable(spec.explain):
        return "field 'explain': must be callable as explain(name, resolution) or None"
    return None


def _rulesets(b: _Builder) -> list[PluginRuleset]:
    hook = "register_rulesets"
    out: list[PluginRuleset] = []
    for plugin, index, item in b.items(hook):
        item_id = _item_id(item, index)
        if not isinstance(item, Mapping) or set(item) != {"name", "path"}:
            b.problem(plugin, "rejected: expected a dict with exactly 'name' and 'path'",
                      hook=hook, item=item_id)
            continue
        name, path = item["name"], item["path"]
        if not isinstance(name, str) or not isinstance(path, str | Path) or not Path(path).exists():
            b.problem(plugin, f"rejected: field 'path': {path!r} does not exist",
                      hook=hook, item=str(name))
            continue
        out.append(PluginRuleset(name, Path(path), plugin))
        b.count(plugin, "ruleset")
    return _one_per_name(b, sorted(out, key=lambda r: (r.name, r.plugin, str(r.path))))


BUNDLED_RULESETS = "stridewise.rulesets"  # the plugin shipping the bundled `default` ruleset


def _one_per_name(b: _Builder, rulesets: list[PluginRuleset]) -> list[PluginRuleset]:
    """One ruleset per name: a clash is an error naming both plugins. The bundled plugin keeps
    its names (a plugin cannot silently replace `default`); otherwise the first plugin does."""
    keep: dict[str, PluginRuleset] = {}
    for ruleset in sorted(rulesets, key=lambda r: (r.plugin != BUNDLED_RULESETS, r.plugin)):
        first = keep.get(ruleset.name)
        if first is None:
            keep[ruleset.name] = ruleset
            continue
        b.problem(
            ruleset.plugin,
            f"ruleset '{ruleset.name}' is also registered by plugin '{first.plugin}'; keeping "
            f"'{first.plugin}'s (ruleset names are unique: name yours after your plugin)",
            hook="register_rulesets", item=ruleset.name,
        )
    return sorted(keep.values(), key=lambda r: (r.name, r.plugin, str(r.path)))
