"""The plugin manager: loads every `stridewise` entry point on its own and reports per plugin.

Built-in plugins (`plugins/`) and third-party ones arrive through the same entry-point group.
Each entry point is imported, registered and called in isolation, so a plugin that fails to
import, implements an unknown hook or raises in a hook is recorded against its name (with
distribution, entry point, hook and cause) while every other plugin keeps working. This is the
only module that loads entry points.

Environment (read when the plugins are loaded):

- `STRIDEWISE_DISABLE_PLUGINS=a,b`  never import these plugins (names or distribution names)
- `STRIDEWISE_PLUGINS=a,b`          load only these plugins; set but empty loads none
- `STRIDEWISE_TRACE_HOOKS=1`        log every hook call (pluggy tracing) to `stridewise.hooks`
"""

from __future__ import annotations

import difflib
import functools
import importlib.metadata
import logging
import os
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pluggy
from stridewise import hookspecs
from stridewise.containment import Budget, HookTimeout, frozen, namespace

__all__ = [
    "ALLOW_ENV",
    "DISABLE_ENV",
    "ENTRY_POINT_GROUP",
    "TRACE_ENV",
    "PluginProblem",
    "PluginReport",
    "Plugins",
    "hook_names",
    "load_plugins",
]

ENTRY_POINT_GROUP = "stridewise"
DISABLE_ENV = "STRIDEWISE_DISABLE_PLUGINS"
ALLOW_ENV = "STRIDEWISE_PLUGINS"
TRACE_ENV = "STRIDEWISE_TRACE_HOOKS"
MAX_PROBLEMS = 100  # per plugin

log = logging.getLogger("stridewise.plugins")
trace_log = logging.getLogger("stridewise.hooks")

# Plugin objects registered for tests through `stridewise.testing.register_plugin` (name -> object).
_EXTRA: dict[str, object] = {}


def hook_names() -> list[str]:
    """Every hook name declared in `stridewise.hookspecs`, sorted."""
    return sorted(
        name for name in dir(hookspecs) if hasattr(getattr(hookspecs, name), "stridewise_spec")
    )


@dataclass(frozen=True)
class PluginProblem:
    """One thing wrong with one plugin: where (hook, item, field messages) and what."""

    plugin: str
    message: str
    hook: str | None = None
    item: str | None = None
    fields: Mapping[str, Any] | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = f"plugin '{self.plugin}'"
        if self.hook:
            where += f", hook {self.hook}()"
        if self.item:
            where += f", item '{self.item}'"
        return f"{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "plugin": self.plugin,
            "hook": self.hook,
            "item": self.item,
            "severity": self.severity,
            "message": str(self),
            "fields": dict(self.fields) if self.fields else None,
        }


@dataclass
class PluginReport:
    """What `stridewise plugins` shows for one plugin: origin, status, hooks, items, problems."""

    name: str
    distribution: str | None = None
    version: str | None = None
    entry_point: str | None = None  # "stridewise.plugins.core": what the entry point names
    status: str = "loaded"  # loaded | failed | disabled
    hooks: list[str] = field(default_factory=list)
    contributed: dict[str, int] = field(default_factory=dict)
    problems: list[PluginProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[PluginProblem]:
        return [p for p in self.problems if p.severity == "error"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "distribution": self.distribution,
            "version": self.version,
            "entry_point": self.entry_point,
            "status": self.status,
            "hooks": list(self.hooks),
            "contributed": dict(sorted(self.contributed.items())),
            "errors": [p.to_dict() for p in self.problems],
        }


class Plugins:
    """Loaded plugins: a pluggy manager plus one report per plugin, always in name order."""

    def __init__(self, pm: pluggy.PluginManager, reports: dict[str, PluginReport]) -> None:
        self.pm = pm
        self.reports = reports
        self.warnings: list[str] = []
        self._subsets: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()
        self.budget = Budget()  # request-time hooks (prepare_context)

    def names(self) -> list[str]:
        """Names of the plugins that are registered (loaded), sorted."""
        return sorted(n for n, r in self.reports.items() if r.status == "loaded")

    @property
    def problems(self) -> list[PluginProblem]:
        return [p for name in sorted(self.reports) for p in self.reports[name].problems]

    def record(self, problem: PluginProblem) -> None:
        """Attach a problem to its plugin's report (once) and log it."""
        report = self.reports.setdefault(problem.plugin, PluginReport(problem.plugin))
        with self._lock:
            if problem in report.problems or len(report.problems) >= MAX_PROBLEMS:
                return  # request-time problems (prepare_context) must not grow without bound
            report.problems.append(problem)
        log.log(logging.ERROR if problem.severity == "error" else logging.WARNING, "%s", problem)

    def register(self, plugin: object, name: str) -> None:
        """Register one plugin object under `name`, reporting instead of raising."""
        report = self.reports.setdefault(name, PluginReport(name))
        report.entry_point = report.entry_point or _describe(plugin)
        try:
            self.pm.register(plugin, name=name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            report.status = "failed"
            self.record(PluginProblem(name, f"could not be registered: {exc}"))
            return
        report.status = "loaded"
        self._subsets.clear()
        report.hooks = sorted(c.name for c in self.pm.get_hookcallers(plugin) or ())
        if not report.hooks:
            self.record(
                PluginProblem(
                    name,
                    f"implements no stridewise hooks; does '{report.entry_point}' name the "
                    "module or object holding the @hookimpl functions?",
                    severity="warning",
                )
            )
        self._check_pending(plugin, name)

    def unregister(self, name: str) -> None:
        """Remove a registered plugin and its report."""
        if self.pm.get_plugin(name) is not None:
            self.pm.unregister(name=name)
        self.reports.pop(name, None)
        self._subsets.clear()

    def _check_pending(self, plugin: object, name: str) -> None:
        """Report every hook this plugin implements that no hookspec declares (misspellings).

        Same test as `PluginManager.check_pending()`, but per plugin and for every unknown hook
        instead of raising at the first one; the plugin's valid hooks keep working.
        """
        known = hook_names()
        for caller in self.pm.get_hookcallers(plugin) or ():
            if caller.has_spec():
                continue
            if all(i.optionalhook for i in caller.get_hookimpls() if i.plugin is plugin):
                continue
            close = difflib.get_close_matches(caller.name, known, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            self.record(
                PluginProblem(
                    name,
                    f"implements unknown hook '{caller.name}', which is never called; {hint}"
                    f"known hooks: {', '.join(known)}",
                    hook=caller.name,
                )
            )

    def call(self, hook: str, *, budget: Budget | None = None, **kwargs: Any
             ) -> list[tuple[str, Any]]:
        """Call `hook` on each plugin separately; return (plugin, result) pairs in name order.

        A plugin that raises (anything, SystemExit and KeyboardInterrupt included) or, with a
        `budget`, takes too long is recorded against itself and this hook and left out; a
        plugin that returns None contributes nothing. Calls go through pluggy (a subset hook
        caller per plugin) so `STRIDEWISE_TRACE_HOOKS` tracing sees them.
        """
        caller = getattr(self.pm.hook, hook)
        results: list[tuple[str, Any]] = []
        impls = {self.pm.get_name(i.plugin) or "?": i.plugin for i in caller.get_hookimpls()}
        for name in sorted(impls):
            subset = self._subset(hook, name, impls[name])
            try:
                if budget is None:
                    values = subset(**kwargs)
                else:
                    values = budget.run(name, functools.partial(subset, **kwargs))
            except HookTimeout as exc:
                self.record(PluginProblem(name, str(exc), hook=hook))
                continue
            except BaseException as exc:  # noqa: B036 - a plugin's sys.exit() stops nothing
                self.record(
                    PluginProblem(name, f"raised {type(exc).__name__}: {exc}", hook=hook)
                )
                log.debug("plugin %s raised in %s", name, hook, exc_info=True)
                continue
            for value in values:
                results.append((name, value))
        return results

    def _subset(self, hook: str, name: str, plugin: object) -> Any:
        key = (hook, name)
        caller = self._subsets.get(key)
        if caller is None:
            others = [p for p in self.pm.get_plugins() if p is not plugin]
            caller = self.pm.subset_hook_caller(hook, remove_plugins=others)
            self._subsets[key] = caller
        return caller

    def prepare_context(self, context: Mapping[str, Any]) -> dict[str, Any]:
        """Every plugin's `prepare_context` facts, each plugin's under its own name (the
        `ext` facts: `ext.<plugin>.<fact>`). Hooks see a read-only copy of the context and
        run under the time budget."""
        if not self.pm.hook.prepare_context.get_hookimpls():
            return {}
        merged: dict[str, Any] = {}
        owner: dict[str, str] = {}
        calls = self.call("prepare_context", budget=self.budget, context=frozen(context))
        for name, value in calls:
            if not isinstance(value, Mapping):
                self.record(
                    PluginProblem(
                        name,
                        f"must return a dict of facts or None, not {type(value).__name__}",
                        hook="prepare_context",
                    )
                )
                continue
            space = namespace(name)
            if space in owner:
                self.record(
                    PluginProblem(
                        name,
                        f"facts go under 'ext.{space}', which plugin '{owner[space]}' already "
                        f"uses; keeping '{owner[space]}'s facts",
                        hook="prepare_context",
                    )
                )
                continue
            owner[space] = name
            merged[space] = {str(key): fact for key, fact in value.items()}
        return merged

    def to_json(self) -> list[dict[str, Any]]:
        return [self.reports[name].to_dict() for name in sorted(self.reports)]


def _describe(plugin: object) -> str:
    module = getattr(plugin, "__module__", None) or ""
    qualname = getattr(plugin, "__qualname__", None) or getattr(plugin, "__name__", None)
    if qualname is None:
        qualname = type(plugin).__qualname__
    return f"{module}:{qualname}" if module and module != qualname else str(qualname)


def _names(value: str | None) -> set[str] | None:
    if value is None:
        return None
    return {part.strip() for part in value.split(",") if part.strip()}


def _normalize(dist_name: str) -> str:
    return re.sub(r"[-_.]+", "-", dist_name).lower()


class _Selection:
    """The allow/deny lists from the environment, matched on plugin or distribution name."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.deny = _names(env.get(DISABLE_ENV)) or set()
        self.allow = _names(env.get(ALLOW_ENV))
        self.seen: set[str] = set()

    def _matches(self, names: set[str], plugin: str, dist: str | None) -> str | None:
        for candidate in (plugin, dist):
            if candidate is None:
                continue
            for wanted in names:
                if wanted == candidate or _normalize(wanted) == _normalize(candidate):
                    self.seen.add(wanted)
                    return wanted
        return None

    def why_disabled(self, plugin: str, dist: str | None) -> str | None:
        if self._matches(self.deny, plugin, dist):
            return f"disabled by {DISABLE_ENV}"
        if self.allow is not None and not self._matches(self.allow, plugin, dist):
            return f"not listed in {ALLOW_ENV}"
        return None

    def unused(self, known: Iterable[str]) -> Iterator[str]:
        shown = ", ".join(sorted(known)) or "none"
        for var, names in ((DISABLE_ENV, self.deny), (ALLOW_ENV, self.allow or set())):
            for name in sorted(names - self.seen):
                yield f"{var} names '{name}', which is not an installed plugin; installed: {shown}"


def load_plugins(
    *,
    env: Mapping[str, str] | None = None,
    entry_points: bool = True,
    extra: Mapping[str, object] | Iterable[tuple[str, object]] = (),
) -> Plugins:
    """Load the `stridewise` entry points (each on its own) plus `extra` plugin objects.

    Never raises for a bad plugin: problems go to the plugin's report. `entry_points=False`
    loads exactly `extra` (plus objects registered by `stridewise.testing.register_plugin`).
    """
    env = os.environ if env is None else env
    pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
    pm.add_hookspecs(hookspecs)
    plugins = Plugins(pm, {})
    if env.get(TRACE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}:
        pm.trace.root.setwriter(lambda text: trace_log.info("%s", text.rstrip()))
        pm.enable_tracing()
    selection = _Selection(env)
    if entry_points:
        _load_entry_points(plugins, selection)
    objects = dict(extra.items()) if isinstance(extra, Mapping) else dict(extra)
    for name, obj in {**objects, **_EXTRA}.items():
        if name in plugins.reports:
            plugins.record(PluginProblem(name, "is registered twice; keeping the first"))
            continue
        reason = selection.why_disabled(name, None)
        if reason:
            report = PluginReport(name, entry_point=_describe(obj), status="disabled")
            report.problems.append(PluginProblem(name, reason, severity="info"))
            plugins.reports[name] = report
            continue
        plugins.register(obj, name)
    plugins.warnings.extend(selection.unused(plugins.reports))
    for warning in plugins.warnings:
        log.warning("%s", warning)
    return plugins


def _load_entry_points(plugins: Plugins, selection: _Selection) -> None:
    """Import and register each entry point of the group separately, in name order."""
    found = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    described: dict[int, tuple[str | None, str | None]] = {}  # each dist's metadata read once
    for ep in sorted(found, key=lambda e: (e.name, e.dist.name if e.dist else "")):
        dist = ep.dist
        if dist is None:
            dist_name = version = None
        else:
            if id(dist) not in described:
                described[id(dist)] = (dist.metadata["Name"], dist.version)
            dist_name, version = described[id(dist)]
        if ep.name in plugins.reports:
            first = plugins.reports[ep.name]
            plugins.record(
                PluginProblem(
                    ep.name,
                    f"entry point '{ep.name} = {ep.value}' of distribution '{dist_name}' has the "
                    f"same name as the one from '{first.distribution}'; only the first is loaded",
                )
            )
            continue
        report = PluginReport(ep.name, dist_name, version, ep.value)
        plugins.reports[ep.name] = report
        reason = selection.why_disabled(ep.name, dist_name)
        if reason:
            report.status = "disabled"
            report.problems.append(PluginProblem(ep.name, reason, severity="info"))
            continue
        try:
            obj = ep.load()
        except (Exception, SystemExit) as exc:  # noqa: B902 - isolate any import-time failure
            report.status = "failed"
            plugins.record(
                PluginProblem(
                    ep.name,
                    f"entry point '{ep.name} = {ep.value}' of distribution "
                    f"'{dist_name} {version}' failed to import: {type(exc).__name__}: {exc}",
                )
            )
            continue
        plugins.register(obj, ep.name)
