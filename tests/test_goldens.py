"""Optimisations change no response: each golden context's response, byte for byte.

tests/data/goldens.json holds a digest of main's response to each context of
`tests/goldens.py`. If main's behaviour changed on purpose, regenerate it from main:
`.venv/bin/python tests/goldens.py`.
"""

from __future__ import annotations

import json

import pytest
from goldens import GOLDENS, responses
from stridewise.rules import durable_available

BACKENDS = ["python", *(["durable"] if durable_available() else [])]


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_golden_context_gets_the_same_response_byte_for_byte(backend: str) -> None:
    expected = json.loads(GOLDENS.read_text(encoding="utf-8"))
    got = responses(backend)
    differ = sorted(k for k in expected.keys() | got.keys() if expected.get(k) != got.get(k))
    assert not differ, (
        f"{len(differ)} response(s) changed: {', '.join(differ[:10])}. If main's behaviour "
        "changed on purpose, regenerate from main: .venv/bin/python tests/goldens.py"
    )
