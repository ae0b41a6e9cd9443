"""Each package's public API is explicit, sorted and complete."""

from __future__ import annotations

import importlib

import pytest


def isort_key(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions: the order ruff's RUF022 keeps `__all__` in."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


PACKAGES = [
    "stridewise",
    "stridewise.errors",
    "stridewise.models",
    "stridewise.context",
    "stridewise.directives",
    "stridewise.rules",
    "stridewise.catalog",
    "stridewise.plugin_manager",
    "stridewise.service",
    "stridewise.testing",
    "stridewise.web",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_and_every_name_resolves(name):
    module = importlib.import_module(name)
    assert list(module.__all__) == sorted(module.__all__, key=isort_key)
    for attr in module.__all__:
        assert hasattr(module, attr), f"{name}.__all__ names missing {attr}"


def test_every_error_class_is_exported_from_engine():
    import stridewise
    from stridewise import errors

    classes = {
        name for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, Exception)
    }
    assert classes <= set(stridewise.__all__)
