"""Built-in directives: every `then` key the engine knows (`sets`, `exclude`, `notes`, …).

Registered through the `stridewise` entry-point group like any other plugin; the specs
themselves live in `stridewise.directives` (one module per family).
"""

from __future__ import annotations

from stridewise import DirectiveSpec, hookimpl
from stridewise.directives import builtin_specs

__all__ = ["register_directives"]


@hookimpl
def register_directives() -> list[DirectiveSpec]:
    return builtin_specs()
