"""Each package's public API is explicit, sorted and complete."""

from __future__ import annotations

import importlib

import pytest


def isort_key(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions: the order ruff's RUF022 keeps `__all__` in."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


PACKAGES = [
    "engine",
    "engine.errors",
    "engine.models",
    "engine.context",
    "engine.directives",
    "engine.rules",
    "engine.catalog",
    "engine.plugins",
    "engine.service",
    "engine.testing",
    "web",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_and_every_name_resolves(name):
    module = importlib.import_module(name)
    assert list(module.__all__) == sorted(module.__all__, key=isort_key)
    for attr in module.__all__:
        assert hasattr(module, attr), f"{name}.__all__ names missing {attr}"


def test_every_error_class_is_exported_from_engine():
    import engine
    from engine import errors

    classes = {
        name for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, Exception)
    }
    assert classes <= set(engine.__all__)
