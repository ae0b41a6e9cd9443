"""Type-check the `stridewise` package as it is installed, not the repository's folder names.

setuptools maps the repository's folders under one import name (`[tool.setuptools.package-dir]`
in pyproject.toml: engine/ -> stridewise, web/ -> stridewise.web, ...). mypy knows nothing of
that mapping: `mypy engine web` checks `engine.*` modules, and every `import stridewise.x` they
contain resolves to nothing. So this script lays the mapping out as a tree of symlinks in a
temporary directory (rebuilt on every run, so new files are always seen), runs mypy on the
package there (`-p stridewise`, with the repository's configuration and cache), and prints the
errors with the repository's own paths (`web/api.py:12: error: ...`).

    python tests/tools/typecheck.py [extra mypy arguments]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = {"__pycache__", ".mypy_cache", ".pytest_cache"}


def package_dirs(root: Path = ROOT) -> dict[str, Path]:
    """Import name -> source folder, from pyproject.toml's package-dir mapping."""
    config = tomllib.loads((root / "pyproject.toml").read_text())
    mapping = config["tool"]["setuptools"]["package-dir"]
    return {name: root / folder for name, folder in mapping.items()}


def build_tree(dest: Path, root: Path = ROOT) -> dict[str, str]:
    """Lay the package-dir mapping out under `dest` as symlinks; return {tree path: repo path}.

    Each mapped package becomes a real directory whose entries link to the source folder's
    entries, except where another mapped package sits (that one gets its own directory).
    """
    mapped = package_dirs(root)
    prefixes: dict[str, str] = {}
    for name in sorted(mapped, key=lambda n: n.count(".")):
        source = mapped[name]
        target = dest.joinpath(*name.split("."))
        target.mkdir(parents=True, exist_ok=True)
        prefixes[f"{target.relative_to(dest).as_posix()}/"] = f"{source.relative_to(root)}/"
        for entry in sorted(source.iterdir()):
            if entry.name in SKIP or f"{name}.{entry.name}" in mapped:
                continue
            (target / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    # Longest prefix first, so stridewise/web/ maps to web/ before stridewise/ maps to engine/.
    return dict(sorted(prefixes.items(), key=lambda item: -len(item[0])))


def to_repo_path(line: str, prefixes: dict[str, str]) -> str:
    """Rewrite a mypy output line's tree path into the repository's path."""
    for tree, repo in prefixes.items():
        if line.startswith(tree):
            return repo + line[len(tree):]
    return line


def run(
    args: list[str], root: Path = ROOT, extra: dict[str, str] | None = None,
    cache_dir: Path | None = None,
) -> int:
    """Run mypy on the mapped tree (plus `extra` files: tree path -> text); return its status."""
    with tempfile.TemporaryDirectory(prefix="stridewise-typecheck-") as tmp:
        dest = Path(tmp)
        prefixes = build_tree(dest, root)
        for relative, text in (extra or {}).items():
            (dest / relative).write_text(text)
        command = [
            sys.executable, "-m", "mypy",
            "--config-file", str(root / "pyproject.toml"),
            "--cache-dir", str(cache_dir or root / ".mypy_cache"),
            "-p", "stridewise", *args,
        ]
        env = {**os.environ, "MYPYPATH": ""}
        done = subprocess.run(command, cwd=dest, capture_output=True, text=True, env=env)
    for line in done.stdout.splitlines():
        print(to_repo_path(line, prefixes))
    sys.stderr.write(done.stderr)
    return done.returncode


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
