"""mypy sees the installed package, `stridewise`, through tests/tools/typecheck.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "tools"))
import typecheck  # noqa: E402

PROBE = """\
from stridewise.catalog import build_catalog
from stridewise.rules.display import display_path

line: int = display_path("rulesets/default/base.yaml")
reveal_type(build_catalog)
"""


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy-cache")


def _mypy(capsys: pytest.CaptureFixture[str], cache: Path, **extra: str) -> tuple[int, str]:
    status = typecheck.run([], extra=extra, cache_dir=cache)
    return status, capsys.readouterr().out


def test_a_cross_module_type_error_is_reported(capsys, cache):
    status, out = _mypy(capsys, cache, **{"stridewise/web/_probe.py": PROBE})
    assert status == 1
    assert ('web/_probe.py:4: error: Incompatible types in assignment (expression has type '
            '"str", variable has type "int")') in out
    # The imported function is the real one, not an unresolved Any.
    assert 'Revealed type is "def (plugins: stridewise.plugin_manager.Plugins' in out


def test_an_import_of_a_missing_stridewise_module_is_an_error(capsys, cache):
    probe = "from stridewise.no_such_module import thing\n"
    status, out = _mypy(capsys, cache, **{"stridewise/_probe.py": probe})
    assert status == 1
    assert 'engine/_probe.py:1: error: Cannot find implementation or library stub for module ' \
           'named "stridewise.no_such_module"' in out


def test_the_tree_holds_every_module_under_its_import_name(tmp_path):
    prefixes = typecheck.build_tree(tmp_path)
    checked = 0
    for name, folder in typecheck.package_dirs().items():
        for source in folder.rglob("*.py"):
            tree = tmp_path.joinpath(*name.split("."), source.relative_to(folder))
            assert tree.resolve() == source.resolve(), f"{source} is not in the tree"
            checked += 1
    assert checked > 60
    assert typecheck.to_repo_path("stridewise/web/api.py:3: error", prefixes) == (
        "web/api.py:3: error"
    )
    assert typecheck.to_repo_path("stridewise/cli.py:3: error", prefixes) == (
        "engine/cli.py:3: error"
    )


def test_the_readme_test_command_type_checks_through_the_tree():
    command = subprocess.run(
        ["awk", '/^```sh/{b=1; next} /^```/{if (b) exit} b && !/^#/ && NF {print}',
         str(ROOT / "README.md")], capture_output=True, text=True, check=True,
    ).stdout.splitlines()[1]
    assert "tests/tools/typecheck.py" in command
    assert "mypy engine" not in command
