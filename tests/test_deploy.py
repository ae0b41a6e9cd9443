"""The deploy examples: a multi-stage Dockerfile, compose and Kubernetes files with probes.

Docker cannot run here, so these read the files: what each stage installs, what the runtime
image runs, and which endpoints the probes use.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPILERS = re.compile(r"\b(build-essential|gcc|g\+\+|clang|make)\b")


def _stages() -> list[list[str]]:
    """The Dockerfile's instructions per stage (continuation lines joined)."""
    text = (ROOT / "docs" / "deploy" / "Dockerfile").read_text().replace("\\\n", " ")
    stages: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        stages[-1].append(line)
    return stages


def test_the_dockerfile_builds_wheels_in_one_stage_and_runs_without_a_compiler():
    builder, runtime = _stages()
    assert builder[0].endswith("AS builder") and runtime[0].endswith("AS runtime")
    assert any("build-essential" in line for line in builder)
    assert any(line.startswith("RUN pip wheel") for line in builder)
    assert not any(COMPILERS.search(line) for line in runtime)
    install = next(line for line in runtime if "pip install" in line)
    assert "--no-index" in install and "--find-links /wheels" in install
    assert any(line.startswith("COPY --from=builder /wheels") for line in runtime)
    assert any(line.startswith("USER ") and "root" not in line for line in runtime)
    assert runtime[-1] == 'CMD ["stridewise", "serve"]'
    assert any("STRIDEWISE_HOST=0.0.0.0" in line for line in runtime)


def test_the_build_context_leaves_out_the_virtualenv_and_git():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and ".git" in ignored


def test_compose_probes_readiness_and_sets_a_cpu_quota():
    compose = yaml.safe_load((ROOT / "docs" / "deploy" / "compose.yaml").read_text())
    service = compose["services"]["stridewise"]
    assert "/readyz" in " ".join(service["healthcheck"]["test"])
    assert service["cpus"] and service["stop_signal"] == "SIGTERM"
    assert all(v.endswith(":ro") for v in service["volumes"])
    assert all(p.startswith("127.0.0.1:") for p in service["ports"])


def test_kubernetes_probes_liveness_and_readiness_on_the_documented_endpoints():
    documents = list(yaml.safe_load_all((ROOT / "docs" / "deploy" / "kubernetes.yaml").read_text()))
    deployment = next(d for d in documents if d["kind"] == "Deployment")
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["resources"]["limits"]["cpu"]
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
