"""RFC 9457 problem objects as plain dicts, shared by the HTTP layer and batch runs.

A failed item of `POST /v1/recommendations:batch`, of `stridewise batch` and of
`recommend_many` carries the same problem object the single endpoint would have answered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from stridewise.errors import ContextError, EvaluationError, RuleCycleError

__all__ = [
    "context_problem",
    "cycle_problem",
    "failure_problem",
    "field_errors",
    "pointer",
    "problem_body",
    "problem_type",
]


def problem_type(slug: str) -> str:
    """The URN of one Stridewise problem type."""
    return f"urn:stridewise:problem:{slug}"


def pointer(parts: Iterable[Any]) -> str:
    """An RFC 6901 JSON pointer from path segments ('' is the whole document)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def field_errors(
    messages: Any, prefix: tuple[Any, ...] = (), member: str = "pointer"
) -> list[dict[str, str]]:
    """Flatten marshmallow's nested messages into one {pointer, detail} per message."""
    out: list[dict[str, str]] = []
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            path = prefix if key == "_schema" else (*prefix, key)
            out.extend(field_errors(value, path, member))
    elif isinstance(messages, list | tuple):
        for item in messages:
            if isinstance(item, Mapping | list | tuple):
                out.extend(field_errors(item, prefix, member))
            else:
                out.append({member: _locate(prefix, member), "detail": str(item)})
    else:
        out.append({member: _locate(prefix, member), "detail": str(messages)})
    return out


def _locate(path: tuple[Any, ...], member: str) -> str:
    if member == "parameter":
        return ".".join(str(p) for p in path)
    return pointer(path)


def problem_body(
    status: int,
    *,
    title: str | None = None,
    detail: str | None = None,
    type_: str = "about:blank",
    **extra: Any,
) -> dict[str, Any]:
    """The problem object as a dict (also used for one failed item of a batch)."""
    body: dict[str, Any] = {
        "type": type_,
        "title": title or _phrase(status),
        "status": status,
    }
    if detail:
        body["detail"] = detail
    body.update({k: v for k, v in extra.items() if v is not None})
    return body


def context_problem(error: ContextError, prefix: tuple[Any, ...] = ()) -> dict[str, Any]:
    """The 422 problem object for an invalid athlete context."""
    return problem_body(
        422,
        title="Invalid athlete context",
        detail="The athlete context has invalid fields; see errors.",
        type_=problem_type("invalid-context"),
        errors=field_errors(error.messages, prefix),
    )


def cycle_problem(error: RuleCycleError) -> dict[str, Any]:
    """The 422 problem object for a context on which the active rules loop (`set` cycle)."""
    return problem_body(
        422,
        title="Rules loop for this context",
        detail=str(error),
        type_=problem_type("rule-cycle"),
        rules=list(error.rules),
    )


def failure_problem(error: BaseException) -> dict[str, Any]:
    """The 500 problem object for a context that could not be answered (the caller logs)."""
    evaluation = isinstance(error, EvaluationError)
    return problem_body(
        500,
        title="Rule evaluation failed" if evaluation else None,
        detail="This context could not be answered; the error is logged.",
        type_=problem_type("evaluation-failed") if evaluation else "about:blank",
    )


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
