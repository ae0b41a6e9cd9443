# Stridewise: multi-stage build (docs/deploying.md, "Containers").
# The builder compiles durable-rules' C core into a wheel; the runtime image installs only
# wheels and has no compiler.

FROM python:3.11-slim AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY engine engine
COPY plugins plugins
COPY rulesets rulesets
COPY web web
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim AS runtime
COPY --from=builder /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels stridewise \
    && rm -rf /wheels \
    && useradd --system --uid 10001 --no-create-home stridewise
USER stridewise
WORKDIR /tmp
ENV STRIDEWISE_HOST=0.0.0.0 \
    STRIDEWISE_PORT=8000 \
    PYTHONUNBUFFERED=1
EXPOSE 8000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
# Workers default to the container's CPU quota (cgroup cpu.max); 64 threads each.
CMD ["stridewise", "serve"]
