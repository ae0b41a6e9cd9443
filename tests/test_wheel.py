"""The distribution installs one package, `stridewise`, and works from its wheel alone.

The wheel is built from a copy of the files the package-dir mapping reads (pyproject.toml,
README.md, engine/, plugins/, rulesets/, web/), so what it holds is what pip would install.
The fresh-venv test (slow: a venv and every dependency installed from the configured index)
then runs a recommendation and the example plugin with no trace of the repository on sys.path.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
import zipfile
from pathlib import Path

import pytest
from build_helpers import ROOT, build_wheels

EXAMPLE = ROOT / "docs" / "examples" / "stridewise-example-plugin"
SOURCES = ["pyproject.toml", "README.md", "engine", "plugins", "rulesets", "web"]
_IGNORE = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", ".pytest_cache")
CONTEXT = {
    "age": 35, "running_experience_years": 6, "strength_training_experience": "advanced",
    "weekly_run_km": 50, "phase": "build", "start_date": "2026-11-30",
    "equipment": ["dumbbell", "band"],
}
DRILLS_RULE = """\
ruleset: drills
rules:
  - id: drills-before-quality
    description: Technique drills in every session of a build phase.
    when: phase == "build"
    then:
      require: {categories: [running_drills], count: 1, per: session}
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("stridewise-src")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=_IGNORE)
        else:
            shutil.copy2(ROOT / name, source / name)
    wheels, route = build_wheels([source], tmp_path_factory.mktemp("dist"))
    assert len(wheels) == 1, route
    return wheels[0]


def _dist_info(archive: zipfile.ZipFile, name: str) -> str:
    (path,) = [n for n in archive.namelist() if n.endswith(f".dist-info/{name}")]
    return archive.read(path).decode()


def test_the_wheel_installs_only_the_stridewise_package(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        assert _dist_info(archive, "top_level.txt").split() == ["stridewise"]
        names = archive.namelist()
        entry_points = _dist_info(archive, "entry_points.txt")
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"stridewise"}
    for inside in ["stridewise/__init__.py", "stridewise/__main__.py", "stridewise/py.typed",
                   "stridewise/web/app.py", "stridewise/plugins/core.py",
                   "stridewise/planning/planner.py", "stridewise/rulesets/default/base.yaml"]:
        assert inside in names
    # Every entry point (the console script and each built-in plugin) names a module inside.
    targets = [line.split("=", 1)[1].strip() for line in entry_points.splitlines() if "=" in line]
    assert targets and all(t.startswith("stridewise.") for t in targets)
    for target in targets:
        module = target.split(":")[0].replace(".", "/")
        assert f"{module}.py" in names or f"{module}/__init__.py" in names, target


def _venv_run(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("STRIDEWISE_", "PYTHON", "VIRTUAL_ENV"))}
    return subprocess.run([str(python), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env=env)


@pytest.mark.slow
def test_a_fresh_venv_runs_a_recommendation_and_the_example_plugin(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    done = subprocess.run(["python3", "-m", "venv", str(venv)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    python = venv / "bin" / "python"
    work = tmp_path / "work"  # no repository folder anywhere near the working directory
    work.mkdir()
    pip = ["-m", "pip", "install", "-q", "--disable-pip-version-check"]
    done = _venv_run(python, *pip, str(wheel), cwd=work)
    assert done.returncode == 0, done.stderr
    site = Path(_venv_run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
                          cwd=work).stdout.strip())
    assert (site / "stridewise").is_dir()
    assert not [n for n in ("engine", "web", "plugins", "rulesets") if (site / n).exists()]

    (work / "context.json").write_text(json.dumps(CONTEXT))
    done = _venv_run(python, "-m", "stridewise", "recommend", "context.json", "--json",
                     cwd=work)
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert body["ruleset"]["name"] == "default" and body["sessions"]
    assert body["fired"] and all(f["file"].startswith("rulesets/default/") for f in body["fired"])

    project = tmp_path / "example"
    shutil.copytree(EXAMPLE, project, ignore=_IGNORE)
    (plugin_wheel,), route = build_wheels([project], tmp_path / "plugin-dist")
    done = _venv_run(python, *pip, "--no-deps", str(plugin_wheel), cwd=work)
    assert done.returncode == 0, done.stderr
    done = _venv_run(python, "-m", "stridewise", "plugins", "--json", cwd=work)
    assert done.returncode == 0, done.stderr
    reports = {p["name"]: p for p in json.loads(done.stdout)["plugins"]}
    assert reports["stridewise_example"]["status"] == "loaded"
    assert (work / "drills.yaml").write_text(textwrap.dedent(DRILLS_RULE))
    done = _venv_run(python, "-m", "stridewise", "recommend", "context.json", "--json",
                     "--rules", "drills.yaml", cwd=work)
    assert done.returncode == 0, done.stderr
    sessions = json.loads(done.stdout)["sessions"]
    assert sessions
    for session in sessions:
        drills = [e for e in session["exercises"] if "running_drills" in e["categories"]]
        assert drills and {e["plugin"] for e in drills} == {"stridewise_example"}
