"""Each package's public API is explicit, sorted and complete."""

from __future__ import annotations

import importlib

import pytest
from build_helpers import loaded_by


def isort_key(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions: the order ruff's RUF022 keeps `__all__` in."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


PACKAGES = [
    "stridewise",
    "stridewise.errors",
    "stridewise.models",
    "stridewise.context",
    "stridewise.facts",
    "stridewise.directives",
    "stridewise.rules",
    "stridewise.catalog",
    "stridewise.plugin_manager",
    "stridewise.service",
    "stridewise.batch",
    "stridewise.problem_details",
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


def _not_stdlib(modules: list[str]) -> set[str]:
    import sys

    tops = {m.split(".")[0] for m in modules}
    return {m for m in tops if m not in sys.stdlib_module_names and not m.startswith("_")}


def test_importing_hookimpl_loads_pluggy_and_nothing_of_the_engine():
    loaded = loaded_by("from stridewise import hookimpl")
    assert [m for m in loaded if m.startswith("stridewise")] == [
        "stridewise", "stridewise.hookspecs"
    ]
    assert _not_stdlib(loaded) == {"pluggy", "stridewise"}  # no durable, flask, marshmallow


def test_importing_the_package_loads_only_its_init():
    loaded = loaded_by("import stridewise")
    assert [m for m in loaded if m.startswith("stridewise")] == ["stridewise"]
    assert _not_stdlib(loaded) == {"stridewise"}


def test_a_heavy_name_loads_on_first_use():
    loaded = loaded_by("import stridewise\nstridewise.Engine")
    assert {"stridewise.service", "stridewise.planning.planner", "marshmallow"} <= set(loaded)
