"""The condition language of `when` (design §2): tokenizer, parser and type checker.

A hand-written precedence-climbing parser (never eval) over a tiny grammar:

    expr    := and ("or" and)*
    and     := unary ("and" unary)*
    unary   := "not" unary | compare
    compare := operand [("=="|"!="|"<"|"<="|">"|">="|"in"|"not in") operand]
    operand := path | literal | "[" literal, ... "]" | "(" expr ")"
             | "exists(" path ")" | "empty(" path ")" | ("any(" | "all(") path "," expr ")"

Every node keeps its 0-based column so errors point at the exact place in the file. Paths are
checked against `stridewise.facts.FACTS` (`ext.*` holds plugin facts of any type); inside
`any(list, cond)` and `all(list, cond)` they name fields of one item of the list.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from stridewise.errors import ExpressionError
from stridewise.facts import FACTS
from stridewise.rules.nodes import (
    MAX_ALTERNATIVES,
    MAX_TESTS,
    And,
    Compare,
    Empty,
    Exists,
    Expr,
    ListLit,
    Lit,
    Member,
    Not,
    Or,
    Path,
    Quant,
    Type,
    item_facts,
    kind_of,
    size,
    type_of_path,
)

__all__ = [
    "And", "Compare", "Empty", "Exists", "Expr", "ListLit", "Lit", "MAX_DEPTH",
    "Member", "Not", "Or", "Path", "Quant", "Type", "kind_of", "parse_expr", "type_of_path",
]

MAX_DEPTH = 32
MAX_LENGTH = 64_000
ORDER_OPS = ("<", "<=", ">", ">=")
FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


_TOKEN = re.compile(
    r"""(?P<ws>\s+)
      | (?P<num>-?\d+(?:\.\d+)?)
      | (?P<str>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
      | (?P<ustr>["'])
      | (?P<bad2><>|=>|=<)
      | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
      | (?P<bad>&&|\|\||=>|=<|<>|!|=|&|\||\+|-|\*|/|%|\S)""",
    re.VERBOSE,
)
_BAD_HINTS = {
    "=": "'='; did you mean '=='?",
    "&&": "'&&'; did you mean 'and'?",
    "&": "'&'; did you mean 'and'?",
    "||": "'||'; did you mean 'or'?",
    "|": "'|'; did you mean 'or'?",
    "!": "'!'; did you mean 'not' or '!='?",
    "=>": "'=>'; did you mean '>='?",
    "=<": "'=<'; did you mean '<='?",
    "<>": "'<>'; did you mean '!='?",
}
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'"}
KEYWORDS = {"and", "or", "not", "in", "true", "false", "null", "exists"}


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    col: int


def tokenize(text: str) -> list[_Tok]:
    """Split a condition into tokens; unknown operators and open strings are errors."""
    out: list[_Tok] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # pragma: no cover - the `bad` alternative matches any character
            raise ExpressionError(pos, f"unexpected character {text[pos]!r}")
        kind = m.lastgroup or "bad"
        tok = m.group()
        if kind == "ustr":
            raise ExpressionError(
                pos, f"unterminated string starting with {tok}; close it with {tok}"
            )
        if kind in ("bad", "bad2"):
            hint = _BAD_HINTS.get(tok, f"{tok!r}")
            raise ExpressionError(pos, f"unknown operator {hint}")
        if kind == "num" and tok.startswith("-") and out and out[-1].kind in ("num", "str", "name"):
            raise ExpressionError(pos, "arithmetic is not supported; compare values directly")
        if kind == "name" and tok in KEYWORDS:
            kind = "kw"
        if kind != "ws":
            out.append(_Tok(kind, tok, pos))
        pos = m.end()
    out.append(_Tok("end", "", len(text)))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, text: str, what: str, opened: int | None = None) -> _Tok:
        tok = self.peek()
        if tok.text != text or tok.kind not in ("op", "kw"):
            raise ExpressionError(tok.col, f"expected {what}, found {_show(tok)}", opened)
        return self.take()

    def nest(self, col: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(col, f"the condition is nested more than {MAX_DEPTH} levels deep")

    def parse(self) -> Expr:
        expr = self.expr()
        tok = self.peek()
        if tok.kind != "end":
            raise ExpressionError(
                tok.col, f"unexpected {_show(tok)}; expected 'and', 'or' or the end"
            )
        return expr

    def expr(self) -> Expr:
        items = [self.conj()]
        while self.peek().kind == "kw" and self.peek().text == "or":
            self.take()
            items.append(self.conj())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def conj(self) -> Expr:
        items = [self.unary()]
        while self.peek().kind == "kw" and self.peek().text == "and":
            self.take()
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Expr:
        tok = self.peek()
        if tok.kind == "kw" and tok.text == "not":
            self.take()
            self.nest(tok.col)
            inner = self.unary()
            self.depth -= 1
            return Not(inner, tok.col)
        return self.compare()

    def compare(self) -> Expr:
        left = self.operand()
        tok = self.peek()
        op = None
        if tok.kind == "op" and tok.text in FLIP:
            op = self.take().text
        elif tok.kind == "kw" and tok.text == "in":
            op = self.take().text
        elif tok.kind == "kw" and tok.text == "not" and self.toks[self.i + 1].text == "in":
            self.i += 2
            op = "not in"
        if op is None:
            return left
        right = self.operand()
        nxt = self.peek()
        if (nxt.kind == "op" and nxt.text in FLIP) or (nxt.kind == "kw" and nxt.text == "in"):
            raise ExpressionError(nxt.col, "comparisons do not chain; join them with 'and'")
        if op in ("in", "not in"):
            if isinstance(left, ListLit) or not isinstance(left, Path | Lit):
                raise ExpressionError(tok.col, "the left side of 'in' must be a value or a fact")
            if not isinstance(right, Path | ListLit):
                raise ExpressionError(
                    tok.col, "the right side of 'in' must be a list or a list fact"
                )
            member = Member(left, right, tok.col)
            return Not(member, tok.col) if op == "not in" else member
        for side in (left, right):
            if not isinstance(side, Path | Lit):
                raise ExpressionError(
                    tok.col, f"'{op}' compares single values, not lists or conditions"
                )
        assert isinstance(left, Path | Lit) and isinstance(right, Path | Lit)
        return Compare(op, left, right, tok.col)

    def operand(self) -> Any:
        tok = self.take()
        if tok.kind == "op" and tok.text == "(":
            self.nest(tok.col)
            inner = self.expr()
            self.expect(")", f"')' to close the '(' at column {tok.col + 1}", tok.col)
            self.depth -= 1
            return inner
        if tok.kind == "op" and tok.text == "[":
            items: list[Lit] = []
            while self.peek().text != "]" or self.peek().kind != "op":
                item = self.take()
                if item.kind not in ("num", "str") and item.text not in ("true", "false"):
                    raise ExpressionError(
                        item.col, f"a list holds literal values, found {_show(item)}"
                    )
                items.append(_literal(item))
                if self.peek().text == ",":
                    self.take()
                elif self.peek().text != "]":
                    nxt = self.peek()
                    raise ExpressionError(nxt.col, f"expected ',' or ']', found {_show(nxt)}")
            self.take()
            return ListLit(tuple(items), tok.col)
        if tok.kind in ("num", "str") or tok.text in ("true", "false"):
            return _literal(tok)
        if tok.text == "null":
            raise ExpressionError(
                tok.col, "null cannot be compared; use exists(path) or its negation"
            )
        if tok.kind == "kw" and tok.text == "exists":
            self.expect("(", "'(' after exists")
            path = self.take()
            if path.kind != "name":
                raise ExpressionError(path.col, f"exists() takes a fact path, found {_show(path)}")
            self.expect(")", "')' to close exists(")
            return Exists(Path(path.text, path.col), tok.col)
        if tok.kind == "name" and self.peek().text == "(" and self.peek().kind == "op":
            return self.call(tok)
        if tok.kind == "name":
            return Path(tok.text, tok.col)
        raise ExpressionError(tok.col, f"expected a value, a fact or '(', found {_show(tok)}")


    def call(self, tok: _Tok) -> Any:
        if tok.text not in FUNCTIONS:
            raise ExpressionError(tok.col, f"unknown function '{tok.text}'; the functions are "
                                  "exists(), empty(), any() and all()")
        self.take()
        path = self.take()
        if path.kind != "name":
            raise ExpressionError(path.col, f"{tok.text}() takes a fact path, found {_show(path)}")
        if tok.text == "empty":
            self.expect(")", "')' to close empty(")
            return Empty(Path(path.text, path.col), tok.col)
        self.expect(",", f"',' and a condition on each item after {tok.text}({path.text}")
        self.nest(tok.col)
        cond = self.expr()
        self.depth -= 1
        self.expect(")", f"')' to close the {tok.text}( at column {tok.col + 1}", tok.col)
        return Quant(tok.text, Path(path.text, path.col), cond, tok.col)


FUNCTIONS = ("empty", "any", "all")


def _show(tok: _Tok) -> str:
    return "the end of the condition" if tok.kind == "end" else f"'{tok.text}'"


MAX_NUMBER_CHARS = 40


def _literal(tok: _Tok) -> Lit:
    if tok.kind == "num":
        if len(tok.text) > MAX_NUMBER_CHARS:  # int() refuses > 4,300 digits; none is sane
            raise ExpressionError(tok.col, f"a number of {len(tok.text):,} characters is out "
                                  f"of range; numbers in conditions have at most "
                                  f"{MAX_NUMBER_CHARS} characters")
        value: Any = float(tok.text) if "." in tok.text else int(tok.text)
        if abs(value) > 2**53 or (value and abs(value) < 1e-4):
            # the rules engine compares doubles and rejects exponents such as 1e-05
            raise ExpressionError(tok.col, f"{tok.text} is out of range; numbers in conditions "
                                  "are 0 or between 0.0001 and 9007199254740992 in size")
        return Lit(value, tok.col)
    if tok.kind == "str":
        body = tok.text[1:-1]
        return Lit(re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body), tok.col)
    return Lit(tok.text == "true", tok.col)


# --- type checking ---------------------------------------------------------------------------


def parse_expr(text: str, facts: Mapping[str, Any] = FACTS) -> Expr:
    """Parse and type-check a condition; raise ExpressionError at the offending column."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError(0, "the condition is empty")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(MAX_LENGTH, f"the condition is longer than {MAX_LENGTH} characters")
    tree = _Checker(facts).condition(_Parser(text).parse())
    _check_size(tree, False)
    return tree


def _check_size(tree: Any, neg: bool, col: int = 0) -> None:
    tests, alternatives = size(tree, neg)
    if tests > MAX_TESTS or alternatives > MAX_ALTERNATIVES:
        raise ExpressionError(col, (
            f"the condition is too large for the rules engine ({tests} tests, {alternatives} "
            f"alternatives once 'or' is expanded; limits {MAX_TESTS} and {MAX_ALTERNATIVES}); "
            "split it into several rules"
        ))


class _Checker:
    def __init__(self, facts: Mapping[str, Any], scope: str = "") -> None:
        self.facts = facts
        self.scope = scope

    def path(self, node: Path) -> Path:
        return Path(node.text, node.col, type_of_path(node.text, node.col, self.facts, self.scope))

    def quant(self, node: Quant) -> Quant:
        items = self.path(node.items)
        fields = item_facts(items, self.facts)
        cond = _Checker(fields, items.text).condition(node.cond)
        _check_size(cond, node.kind == "all", node.col)  # the item condition is a rule of its own
        return Quant(node.kind, items, cond, node.col)

    def empty(self, node: Empty) -> Empty:
        path = self.path(node.path)
        if not path.type.many and path.type.kind != "any":
            raise ExpressionError(path.col, (
                f"'{path.text}' is {path.type.describe()}, not a list; empty() takes a list "
                "(for a single value, use exists())"
            ))
        return Empty(path, node.col)

    def condition(self, node: Any) -> Expr:
        if isinstance(node, And):
            return And(tuple(self.condition(i) for i in node.items))
        if isinstance(node, Or):
            return Or(tuple(self.condition(i) for i in node.items))
        if isinstance(node, Not):
            return Not(self.condition(node.expr), node.col)
        if isinstance(node, Exists):
            return Exists(self.path(node.path), node.col)
        if isinstance(node, Empty):
            return self.empty(node)
        if isinstance(node, Quant):
            return self.quant(node)
        if isinstance(node, Lit):
            if isinstance(node.value, bool):
                return node
            raise ExpressionError(node.col, "a condition must be true or false, not a single value")
        if isinstance(node, ListLit):
            raise ExpressionError(
                node.col, "a list on its own is not a condition; use 'x in [...]'"
            )
        if isinstance(node, Path):
            path = self.path(node)
            if path.type.kind in ("boolean", "any") and not path.type.many:
                return path
            raise ExpressionError(
                node.col, f"'{node.text}' is {path.type.describe()}, not a condition; compare it"
            )
        if isinstance(node, Member):
            return self.member(node)
        return self.compare(node)

    def compare(self, node: Compare) -> Compare:
        left = self.path(node.left) if isinstance(node.left, Path) else node.left
        right = self.path(node.right) if isinstance(node.right, Path) else node.right
        kinds = []
        for side in (left, right):
            if isinstance(side, Path):
                if side.type.many or side.type.kind == "object":
                    hint = " use 'in' to test membership;" if side.type.many else ""
                    raise ExpressionError(
                        side.col, f"'{side.text}' is {side.type.describe()};{hint} '{node.op}'"
                        " compares single values"
                    )
                kinds.append(side.type.kind)
            else:
                kinds.append(kind_of(side.value))
        known = [k for k in kinds if k != "any"]
        if isinstance(left, Path) and isinstance(right, Path) and self.scope:
            raise ExpressionError(
                node.col, f"inside {self.scope} items, compare a field with a literal"
            )
        if isinstance(left, Path) and isinstance(right, Path) and not known:
            raise ExpressionError(node.col, "compare a plugin fact with a literal, not another one")
        if len(known) == 2 and known[0] != known[1]:
            raise ExpressionError(node.col, f"cannot compare a {known[0]} with a {known[1]}")
        if node.op in ORDER_OPS and known and known[0] != "number":
            raise ExpressionError(node.col, f"'{node.op}' compares numbers, not {known[0]}s")
        for side, other in ((left, right), (right, left)):
            if isinstance(side, Path) and isinstance(other, Lit):
                _check_enum(side, other)
        return Compare(node.op, left, right, node.col)

    def member(self, node: Member) -> Member:
        item = self.path(node.item) if isinstance(node.item, Path) else node.item
        items = self.path(node.items) if isinstance(node.items, Path) else node.items
        if isinstance(item, Path) and (item.type.many or item.type.kind == "object"):
            raise ExpressionError(
                item.col, f"'{item.text}' is {item.type.describe()}; 'in' needs one value"
            )
        if isinstance(items, Path):
            if not items.type.many and items.type.kind != "any":
                raise ExpressionError(
                    items.col, f"'{items.text}' is {items.type.describe()}, not a list"
                )
            if items.type.kind == "object":
                raise ExpressionError(
                    items.col, f"'{items.text}' is a list of objects; name a field"
                )
            if isinstance(item, Path) and item.type.kind == "any" and items.type.kind == "any":
                raise ExpressionError(node.col, "test a literal against a plugin fact list")
            kinds = [items.type.kind]
        else:
            kinds = sorted({kind_of(i.value) for i in items.items})
            if len(kinds) > 1:
                raise ExpressionError(items.col, "a list must hold values of one kind")
        item_kind = item.type.kind if isinstance(item, Path) else kind_of(item.value)
        if kinds and "any" not in (item_kind, kinds[0]) and item_kind != kinds[0]:
            raise ExpressionError(
                node.col, f"cannot look for a {item_kind} in a list of {kinds[0]}s"
            )
        if isinstance(items, Path) and isinstance(item, Lit):
            _check_enum(items, item)
        if isinstance(item, Path) and isinstance(items, ListLit):
            for lit in items.items:
                _check_enum(item, lit)
        return Member(item, items, node.col)


def _check_enum(path: Path, lit: Lit) -> None:
    values = path.type.values
    if values is None or not isinstance(lit.value, str) or lit.value in values:
        return
    close = difflib.get_close_matches(lit.value, values, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise ExpressionError(
        lit.col, f"'{lit.value}' is not a known value of {path.text}; {hint}"
        f"known: {', '.join(values)}"
    )
