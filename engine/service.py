"""`Engine`: the one object the CLI and the web layer call (architecture.md, "Engine").

`Engine.create()` loads plugins, builds the catalog and its vocabulary, loads and compiles the
rule directories; `recommend(body)` runs context -> plugins' facts -> rules -> resolve -> plan
-> response. `reload()` validates and compiles the rule directories again and swaps the new
version in atomically; a broken edit keeps the last good version and records the error.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stridewise.context import derive_facts, load_context
from stridewise.directives import Registry
from stridewise.directives.vocabulary import unknown_name
from stridewise.errors import ContextError, Diagnostic, RulesetError, StridewiseError
from stridewise.history import summarize
from stridewise.history.apply import apply_history
from stridewise.models import Plan
from stridewise.planning.horizon import (
    BLOCK_DAYS,
    block_facts,
    merge_fired,
    merge_plans,
    plan_season,
    summarise,
)
from stridewise.planning.planner import plan as make_plan
from stridewise.planning.resolve import Resolved, resolve
from stridewise.planning.season import Week, layout
from stridewise.planning.selection import Pool
from stridewise.response import build_response, display_path
from stridewise.rules import (
    CompiledRuleset,
    Evaluation,
    FiredRule,
    Ruleset,
    compile_ruleset,
    load_ruleset,
)
from stridewise.rules.display import rules_roots
from stridewise.snapshot import VALIDATED, SnapshotStore, Sources, read_sources

if TYPE_CHECKING:  # the engine is handed these; it builds them only in `create`
    from stridewise.catalog import Catalog
    from stridewise.plugin_manager import Plugins

__all__ = ["RULES_ENV", "Engine", "ReloadResult", "Trace"]

RULES_ENV = "STRIDEWISE_RULES"
RESOLVED_CACHE = 256  # fired-rule sets remembered per version (each keeps its doses: ~100 KB)
log = logging.getLogger("stridewise.engine")


@dataclass(frozen=True)
class ReloadResult:
    """What a reload did: `ok`, the version now served, and the error that kept the old one."""

    ok: bool
    version: str
    previous_version: str
    changed: bool
    error: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass(frozen=True)
class Trace:
    """One recommendation's intermediates: the evaluation, resolved directives, plan, body.

    For a plan over 7 days, `evaluation` and `resolved` are the first block's and `blocks`
    holds every block's (evaluation, resolved, plan); `weeks` is the season's layout (one
    week for a plan of 7 days or less). `facts` are the facts `evaluation` started from
    (before any rule's `set`), for explain's why-not.
    """

    evaluation: Evaluation
    resolved: Resolved
    plan: Plan
    response: dict[str, Any]
    blocks: list[tuple[Evaluation, Resolved, Plan]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    weeks: list[Week] = field(default_factory=list)


@dataclass
class _Active:
    """A compiled ruleset and the ruleset it came from; swapped as one reference.

    `users` counts evaluations in flight; a retired version is closed by whoever is last,
    so a reload never frees durable-rules handles under a running evaluation.
    """

    ruleset: Ruleset
    compiled: CompiledRuleset
    loaded_at: float
    resolved: dict[tuple[str, ...], Resolved] = field(default_factory=dict)
    users: int = 0
    retired: bool = False

    def resolved_for(self, fired: Sequence[FiredRule], directives: Registry) -> Resolved:
        """Resolved directives for this set of fired rules, memoised: a Resolved is a pure
        function of the fired rules (and their order) within one ruleset version."""
        key = tuple(f.rule.id for f in fired)
        found = self.resolved.get(key)
        if found is None:
            if len(self.resolved) >= RESOLVED_CACHE:
                self.resolved.clear()
            found = self.resolved[key] = resolve(fired, directives)
        return found


class Engine:
    """Rules + plugin catalog -> recommendations; thread-safe, with atomic hot reload."""

    def __init__(
        self,
        *,
        plugins: Plugins,
        catalog: Catalog,
        paths: Sequence[Path],
        name: str,
        backend: str = "auto",
        snapshots: SnapshotStore | None = None,
        settle: float = 0.0,
    ) -> None:
        self.plugins = plugins
        self.catalog = catalog
        self.paths = list(paths)
        self.name = name
        self.backend = backend
        self.vocabulary = catalog.vocabulary()
        self.directives = Registry(catalog.directives)  # built-ins + the plugins' directives
        self.snapshots = snapshots
        self.settle = settle  # seconds the rule files must be unmodified before they are read
        self.last_error: str | None = None
        self.from_snapshot = False  # serving the last good snapshot: the live files are broken
        self.reloads = 0
        self._lock = threading.Lock()  # one reload at a time
        self._swap = threading.Lock()  # guards `_active` and its user counts (held briefly)
        self._exercises = Pool(catalog.exercises.values())
        self._active = self._boot()

    @classmethod
    def create(
        cls,
        *,
        rules: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
        plugins: Mapping[str, object] | Iterable[tuple[str, object]] | None = None,
        backend: str = "auto",
        env: Mapping[str, str] = os.environ,
        snapshot_dir: str | os.PathLike[str] | None = None,
        settle: float = 0.0,
    ) -> Engine:
        """Build an engine: plugins (entry points, or exactly `plugins` when given) -> catalog
        -> vocabulary -> rule files (`rules`, else $STRIDEWISE_RULES, else the plugin-registered
        `default` ruleset; plus rule files other plugins ship) -> compiled ruleset.

        With `snapshot_dir`, every activated version is kept there and an engine whose live
        files are broken starts from the last good one (`stridewise serve` sets it)."""
        from stridewise.catalog import build_catalog
        from stridewise.plugin_manager import load_plugins

        if plugins is None:
            loaded = load_plugins(env=env)
        else:
            loaded = load_plugins(env=env, entry_points=False, extra=plugins)
        catalog = build_catalog(loaded)
        paths, name = _rule_paths(rules, env, catalog)
        snapshots = SnapshotStore(snapshot_dir) if snapshot_dir else None
        return cls(plugins=loaded, catalog=catalog, paths=paths, name=name, backend=backend,
                   snapshots=snapshots, settle=settle)

    # --- rules ------------------------------------------------------------------------------

    def _compile(self, sources: Sources) -> _Active:
        key = VALIDATED.key(self.name, self.paths, sources)
        ruleset = VALIDATED.get(key, self.vocabulary)  # e.g. what serve's master validated
        if ruleset is None:
            with rules_roots(self.paths):  # file names relative to the rules root
                ruleset = load_ruleset(
                    list(sources.texts) or self.paths, name=self.name,
                    vocabulary=self.vocabulary, texts=sources.texts,
                )
            VALIDATED.put(key, self.vocabulary, ruleset)
        compiled = compile_ruleset(ruleset, backend=self.backend)
        return _Active(ruleset, compiled, time.time())

    def _read(self) -> Sources:
        return read_sources(self.paths, settle=self.settle)

    def _boot(self) -> _Active:
        """Compile the live files; when they are broken, the last good snapshot (if any)."""
        try:
            sources = self._read()
            active = self._compile(sources)
        except (StridewiseError, OSError) as err:
            stored = self.snapshots.load() if self.snapshots is not None else None
            if stored is None:
                raise
            active = self._compile(stored[0])
            self.last_error = str(err)
            self.from_snapshot = True
            log.error(
                "the rule files are broken; serving the last good version %s",
                active.ruleset.version,
                extra={"event": "boot_from_snapshot", "ruleset_version": active.ruleset.version,
                       "error": self.last_error},
            )
            return active
        self._keep(sources, active)
        return active

    def _keep(self, sources: Sources, active: _Active) -> None:
        """Store an activated version as the last good one (best effort)."""
        if self.snapshots is None:
            return
        try:
            self.snapshots.save(sources, active.ruleset.version)
        except OSError as err:
            log.warning("could not store the last good ruleset snapshot: %s", err)

    @property
    def ruleset(self) -> Ruleset:
        """The ruleset being served (name, version, rules, files)."""
        return self._active.ruleset

    def reload(self) -> ReloadResult:
        """Validate and compile the rule files again; swap atomically, keep the last good."""
        with self._lock:
            old = self._active
            try:
                sources = self._read()
                new = self._compile(sources)
            except RulesetError as err:
                self.last_error = str(err)
                log.error("ruleset reload failed; still serving %s", old.ruleset.version)
                return ReloadResult(False, old.ruleset.version, old.ruleset.version, False,
                                    str(err), list(err.diagnostics))
            except (StridewiseError, OSError) as err:
                self.last_error = str(err)
                log.error("ruleset reload failed; still serving %s", old.ruleset.version)
                return ReloadResult(False, old.ruleset.version, old.ruleset.version, False,
                                    str(err))
            with self._swap:
                self._active = new
                old.retired = True
                idle = old.users == 0
            self.last_error = None
            self.from_snapshot = False
            self.reloads += 1
            self._keep(sources, new)
        if idle:
            _close(old.compiled)
        return ReloadResult(True, new.ruleset.version, old.ruleset.version,
                            new.ruleset.version != old.ruleset.version)

    def close(self) -> None:
        """Free the compiled ruleset (durable-rules handles)."""
        _close(self._active.compiled)

    # --- requests ---------------------------------------------------------------------------

    def explain(self, body: Any) -> Evaluation:
        """The rules evaluation for a context: fired rules with what they read, final facts.

        One evaluation of the whole context, even when `trace` plans it in 7-day blocks
        (`Trace.blocks` has each block's evaluation).
        """
        context, ext = self._context(body)
        with self._using() as active:
            return active.compiled.evaluate(_with_ext(derive_facts(context), ext))

    def _check_log_ids(self, context: Mapping[str, Any]) -> None:
        """A logged exercise the catalog does not know is a field error with a suggestion."""
        known = self.catalog.exercises
        errors: dict[int, dict[str, list[str]]] = {}
        for index, entry in enumerate(context.get("training_log") or ()):
            if entry["exercise_id"] not in known:
                errors[index] = {"exercise_id": [unknown_name(
                    "exercise", entry["exercise_id"], known)]}
        if errors:
            raise ContextError({"training_log": errors})

    def _context(self, body: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """The validated context and the plugins' facts for it."""
        context = load_context(body)
        self._check_log_ids(context)
        ext = self.plugins.prepare_context(context)
        return context, ext

    @contextlib.contextmanager
    def _using(self) -> Iterator[_Active]:
        """One ruleset version for a whole request, kept open until the request is done."""
        with self._swap:
            active = self._active
            active.users += 1
        try:
            yield active
        finally:
            with self._swap:
                active.users -= 1
                last = active.retired and active.users == 0
            if last:
                _close(active.compiled)

    def recommend(self, body: Any) -> dict[str, Any]:
        """The design §6 response for an athlete context; ContextError names bad fields."""
        return self.trace(body).response

    def trace(self, body: Any) -> Trace:
        """Every intermediate of one recommendation (rule tests and `explain` use it).

        A horizon over 7 days is planned in 7-day blocks (`planning.horizon`); the trace then
        holds the first block's evaluation and resolved directives, and the merged plan.
        """
        context, ext = self._context(body)
        directives = self.directives
        with self._using() as active:
            ruleset = active.ruleset.ref()
            if context["horizon_days"] <= BLOCK_DAYS:
                start = _with_ext(derive_facts(context), ext)
                evaluation = active.compiled.evaluate(start)
                resolved = active.resolved_for(evaluation.fired, directives)
                result = make_plan(
                    evaluation.facts, resolved, self._exercises, self.catalog.constraints
                )
                result = apply_history(result, context, summarize(context))
                week = layout(context["start_date"], int(context["horizon_days"]),
                              [evaluation.facts["phase"]], [None])
                summarise(result, week, context["start_date"])
                response = build_response(result, evaluation.fired, ruleset)
                return Trace(evaluation, resolved, result, response, facts=start, weeks=week)
            starts = [_with_ext(f, ext) for f in block_facts(context)]
            evaluations = [active.compiled.evaluate(f) for f in starts]
            resolved_blocks = [active.resolved_for(e.fired, directives) for e in evaluations]
        whole = derive_facts(context)

        def make(facts: dict[str, Any], res: Resolved) -> Plan:
            return make_plan(facts, res, self._exercises, self.catalog.constraints)

        plans, weeks = plan_season(context, whole, evaluations, resolved_blocks, make)
        result = summarise(merge_plans(plans, int(context["horizon_days"])), weeks,
                           context["start_date"])
        result = apply_history(result, context, summarize(context))
        response = build_response(result, merge_fired(evaluations), ruleset)
        return Trace(evaluations[0], resolved_blocks[0], result, response,
                     list(zip(evaluations, resolved_blocks, plans, strict=True)), starts[0],
                     weeks)

    def status(self) -> dict[str, Any]:
        """Ruleset name, version, files, load status, last error, plugins."""
        with rules_roots(self.paths):
            return self._status()

    def _status(self) -> dict[str, Any]:
        active = self._active
        return {
            "name": active.ruleset.name,
            "version": active.ruleset.version,
            "files": [display_path(f) for f in active.ruleset.files],
            "rules": len(active.ruleset.rules),
            "paths": [display_path(p) for p in self.paths],
            "backend": active.compiled.backend,
            "loaded_at": active.loaded_at,
            "status": "degraded" if self.last_error else "ok",
            "last_error": self.last_error,
            "from_snapshot": self.from_snapshot,
            "reloads": self.reloads,
            "plugins": self.plugins.to_json(),
        }


def _with_ext(facts: dict[str, Any], ext: Mapping[str, Any]) -> dict[str, Any]:
    facts["ext"] = ext or {}
    return facts


def _close(compiled: CompiledRuleset) -> None:
    try:
        compiled.close()
    except Exception:  # closing is best effort; the new version is already serving
        log.exception("closing the previous compiled ruleset failed")


def _rule_paths(
    rules: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None,
    env: Mapping[str, str],
    catalog: Catalog,
) -> tuple[list[Path], str]:
    """The rule files to load and the ruleset's name (see `Engine.create`)."""
    shipped = catalog.rulesets
    if rules is not None:
        given = [rules] if isinstance(rules, str | os.PathLike) else list(rules)
        paths = [Path(p) for p in given]
    elif env.get(RULES_ENV):
        paths = [Path(p) for p in env[RULES_ENV].split(os.pathsep) if p.strip()]
    else:
        defaults = [r.path for r in shipped if r.name == "default"]
        if not defaults:
            raise RulesetError(
                f"No rules to load: pass rules=..., set {RULES_ENV}, or install a plugin that "
                f"registers the 'default' ruleset."
            )
        paths = [Path(defaults[0])]
        name = "default"
        extra = [Path(r.path) for r in shipped if r.name != "default"]
        return paths + [p for p in extra if p not in paths], name
    extra = [Path(r.path) for r in shipped if r.name != "default"]
    name = paths[0].stem if paths[0].is_file() else paths[0].resolve().name
    return paths + [p for p in extra if p not in paths], name
