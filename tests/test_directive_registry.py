"""The directive registry: one spec per directive, arriving through `register_directives`,
and the docs tables generated from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from marshmallow import fields
from stridewise import DirectiveSpec, hookimpl
from stridewise.directives import BUILTINS, STAGES, Registry, directive_fields, then_schema
from stridewise.directives.merge import MergePolicy
from stridewise.directives.table import TABLES, render
from stridewise.planning.resolve import resolve
from stridewise.plugins import categories, directives
from stridewise.testing import build_catalog

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("page", ["rules.md", "resolution.md"])
def test_the_docs_tables_are_the_registry(page: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    assert "<!-- directives:" in text
    assert render(text) == text, (
        f"docs/{page} disagrees with the directive registry; regenerate it with "
        f"python -m stridewise.directives.table docs/rules.md docs/resolution.md")


def test_every_table_is_in_the_docs() -> None:
    text = (DOCS / "rules.md").read_text() + (DOCS / "resolution.md").read_text()
    assert {name for name in TABLES if f"<!-- directives:{name} -->" in text} == set(TABLES)


def test_a_changed_spec_makes_the_docs_test_fail() -> None:
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    changed = Registry([DirectiveSpec("warmup_minutes", "Minutes of warm-up.", fields.Integer(),
                                      value="minutes", example="`warmup_minutes: 10`")])
    assert render(text, changed) != text
    assert "| `warmup_minutes` | Minutes of warm-up. | minutes |" in render(text, changed)


def test_the_builtins_arrive_through_register_directives() -> None:
    catalog = build_catalog(categories, directives, strict=True)
    assert list(catalog.directives) == sorted(BUILTINS)
    assert {spec.plugin for spec in catalog.directives.values()} == {directives.__name__}
    # the catalog's copies resolve exactly like the registry's own
    then = then_schema(catalog.vocabulary()).load({"sets": {"max": 2}, "notes": ["x"]})
    via_catalog = resolve([("r", 0, then)], catalog.directives)
    assert via_catalog.to_dict() == resolve([("r", 0, then)]).to_dict()


def test_every_builtin_is_complete() -> None:
    for name, spec in BUILTINS.items():
        assert spec.name == name and spec.description and spec.value and spec.example
        assert spec.stage in STAGES, name
        assert spec.merge is None if spec.stage == "rules" else isinstance(
            spec.merge, MergePolicy), name


def test_directive_fields_enumerates_every_spec_with_its_schema() -> None:
    extra = DirectiveSpec("warmup_minutes", "Minutes of warm-up.", fields.Integer())
    from stridewise.directives import Vocabulary

    listed = directive_fields(Vocabulary(directives={"warmup_minutes": extra}))
    assert [spec.name for spec, _ in listed] == [*BUILTINS, "warmup_minutes"]
    assert all(isinstance(fld, fields.Field) for _, fld in listed)


@pytest.mark.parametrize(("spec", "message"), [
    (DirectiveSpec("deload", "x", fields.Boolean(), stage="later"),
     "field 'stage': unknown stage 'later'"),
    (DirectiveSpec("deload", "x", fields.Boolean(), merge="smallest"),
     "field 'merge': must be a stridewise.directives.merge.MergePolicy or None"),
    (DirectiveSpec("deload", "x"), "field 'field': must be a marshmallow Field instance"),
    (DirectiveSpec("notes", "x", fields.Boolean()), "'notes' is a built-in directive"),
])
def test_a_bad_plugin_spec_is_rejected_by_field(spec: DirectiveSpec, message: str) -> None:
    class Bad:
        @hookimpl
        def register_directives(self) -> list[Any]:
            return [spec]

    catalog = build_catalog(categories, ("bad", Bad()))
    assert "deload" not in catalog.directives
    problems = " | ".join(str(p) for p in catalog.problems)
    assert message in problems
