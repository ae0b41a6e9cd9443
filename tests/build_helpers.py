"""Subprocess helpers: build wheels the way a user's pip would; see what an import loads.

`pip wheel` runs each project's own build backend: offline first (`--no-index
--no-build-isolation`, when this environment has a new enough setuptools), else an isolated
build that installs the backend from the configured index (a local one here).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(
    *args: str, cwd: Path | None = None, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """Run this interpreter with `args`, capturing text output."""
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def build_wheels(projects: list[Path], out: Path) -> tuple[list[Path], str]:
    """Wheels of `projects` in `out` (none when no route works) and the route that built them."""
    pip_wheel = ["-m", "pip", "wheel", "-q", "--no-deps", "--disable-pip-version-check",
                 "--timeout", "15", "--retries", "0", "-w", str(out)]
    sources = [str(p) for p in projects]
    if run(*pip_wheel, "--no-index", "--no-build-isolation", *sources).returncode == 0:
        return sorted(out.glob("*.whl")), "pip wheel offline"
    done = run(*pip_wheel, *sources)
    if done.returncode == 0:
        return sorted(out.glob("*.whl")), "pip wheel, isolated build"
    return [], f"no wheel: {done.stderr.strip()[-500:]}"


def loaded_by(code: str) -> list[str]:
    """The modules a fresh interpreter has loaded after running `code` (sorted names)."""
    import json

    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = run("-c", probe, timeout=60)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout.splitlines()[-1]))
