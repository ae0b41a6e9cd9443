"""The repository's top level is the one the product's design card fixes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = {"pyproject.toml", "engine", "plugins", "rulesets", "web", "tests", "docs",
           "README.md", ".ci"}


def test_the_top_level_holds_only_the_design_cards_folders_and_small_dotfiles():
    try:
        listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                                check=True, timeout=30).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: nothing to compare")
    top = {path.split("/")[0] for path in listed}
    extra = {name for name in top - ALLOWED if not name.startswith(".")}
    assert not extra, f"move these under a fixed folder (design card): {sorted(extra)}"
    dotfiles = [name for name in top if name.startswith(".") and name != ".ci"]
    assert all((ROOT / name).is_file() and (ROOT / name).stat().st_size < 4096 for name in dotfiles)
