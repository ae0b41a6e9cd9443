"""Shared pytest fixtures; plugin fixtures first (others may add theirs below)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from plugin_helpers import make_exercise
from stridewise.testing import register_plugin as _register_plugin


@pytest.fixture
def register_plugin() -> Iterator[Callable[..., str]]:
    """Register plugin objects for the test (seen by every `load_plugins()`); removed after."""
    with ExitStack() as stack:

        def register(plugin: object, name: str | None = None) -> str:
            return stack.enter_context(_register_plugin(plugin, name))

        yield register


@pytest.fixture
def exercise() -> Callable[..., dict[str, Any]]:
    """A factory of valid catalog-entry dicts: `exercise("plank", impact="low")`."""
    return make_exercise
