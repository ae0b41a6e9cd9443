"""Build wheels the way a user's pip would, for the wheel and example-plugin tests.

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
