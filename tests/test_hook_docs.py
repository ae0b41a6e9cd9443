"""docs/plugins.md documents every hook in engine.hookspecs, with its signature."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from engine import hookspecs
from engine.plugins import hook_names

DOCS = Path(__file__).resolve().parents[1] / "docs" / "plugins.md"


def documented() -> set[str]:
    return set(re.findall(r"^### `([a-z_]+\([a-z_, ]*\))`$", DOCS.read_text(), re.MULTILINE))


@pytest.mark.parametrize("name", hook_names())
def test_hook_is_documented_with_its_signature(name: str) -> None:
    params = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
    assert f"{name}({params})" in documented(), f"docs/plugins.md has no '### `{name}({params})`'"


def test_docs_document_no_hook_that_does_not_exist() -> None:
    assert {heading.split("(")[0] for heading in documented()} == set(hook_names())
