"""docs/plugins.md documents every hook in engine.hookspecs, with its signature."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from stridewise import hookspecs
from stridewise.plugin_manager import hook_names

DOCS = Path(__file__).resolve().parents[1] / "docs" / "plugins.md"


def documented() -> set[str]:
    return set(re.findall(r"^### `([a-z_]+\([a-z_, ]*\))`$", DOCS.read_text(), re.MULTILINE))


@pytest.mark.parametrize("name", hook_names())
def test_hook_is_documented_with_its_signature(name: str) -> None:
    params = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
    assert f"{name}({params})" in documented(), f"docs/plugins.md has no '### `{name}({params})`'"


def test_docs_document_no_hook_that_does_not_exist() -> None:
    assert {heading.split("(")[0] for heading in documented()} == set(hook_names())


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOCS.read_text(), re.DOTALL)


def test_the_one_file_plugin_in_the_docs_loads_cleanly() -> None:
    import types

    from stridewise.plugins import categories
    from stridewise.testing import build_catalog

    module = types.ModuleType("stridewise_drills")
    exec(python_blocks()[0], module.__dict__)  # noqa: S102 - our own documentation
    catalog = build_catalog(categories, module, strict=True)
    assert catalog.exercises["a_skip_drill"].plugin == "stridewise_drills"


def test_the_constraint_and_directive_examples_load_cleanly() -> None:
    import types

    from stridewise.testing import build_catalog

    module = types.ModuleType("doc_examples")
    for block in python_blocks():
        if "def register_constraints" in block or "def register_directives" in block:
            exec(block, module.__dict__)  # noqa: S102 - our own documentation
    catalog = build_catalog(module, strict=True)
    assert list(catalog.constraints) == ["drill_experience"]
    assert list(catalog.directives) == ["warmup_minutes"]
