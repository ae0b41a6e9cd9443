"""The `then` vocabulary of rule files: one `DirectiveSpec` per directive (design §2).

Each directive family has a module (`bounds`, `dose`, `require`, `exclude`, `emphasis`,
`protocol`, `timing`, `notes`) holding its specs: schema, description, merge policy
(`merge`), explain rendering and planner stage. `registry` collects them with the plugins'
directives; `table` renders the docs tables from it. `planning.resolve` decides what a set of
fired directives means together, and the planner applies the result.
"""

from __future__ import annotations

from stridewise.directives.registry import (
    BUILTINS,
    STAGES,
    Registry,
    builtin_specs,
    directive_fields,
    then_schema,
)
from stridewise.directives.vocabulary import Vocabulary, unknown_name

__all__ = [
    "BUILTINS",
    "STAGES",
    "Registry",
    "Vocabulary",
    "builtin_specs",
    "directive_fields",
    "then_schema",
    "unknown_name",
]
