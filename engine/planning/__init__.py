"""Planning: resolved directives + catalog + athlete facts -> a `Plan`.

The modules in data-flow order: `resolve` (fired directives -> one `Resolved` under the
conflict policy), `selection` (candidates after exclusions and constraints), `schedule` (which
days, which windows), `sessions` (a session while it is built, its template and fit to the
minutes), `prescribe` (doses), `protocols` (rehab on its own frequency), `planner` (one block of
days) and `horizon` (plans longer than a week, one block at a time).
"""
