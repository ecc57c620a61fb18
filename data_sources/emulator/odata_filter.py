"""The subset of OData ``$filter`` that CBS answers: ``eq ne gt ge lt le``, ``and or not``,
parentheses, ``substringof('x', Col)`` and ``startswith(Col, 'x')``, on string and number
literals. Unknown columns are an error, as at CBS."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Row = dict[str, Any]
Predicate = Callable[[Row], bool]

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[(),]))"
)
_COMPARE = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a is not None and b is not None and a > b,
    "ge": lambda a, b: a is not None and b is not None and a >= b,
    "lt": lambda a, b: a is not None and b is not None and a < b,
    "le": lambda a, b: a is not None and b is not None and a <= b,
}


class FilterError(ValueError):
    pass


def compile_filter(text: str, columns: set[str]) -> Predicate:
    """Compile a ``$filter`` expression into a predicate on rows; raises FilterError."""
    parser = _Parser(_tokens(text), columns)
    predicate = parser.expression()
    if parser.peek() is not None:
        raise FilterError(f"unexpected {parser.peek()[1]!r} in $filter")
    return predicate


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise FilterError(f"cannot read $filter at position {pos}: {text[pos:pos + 20]!r}")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], columns: set[str]):
        self.tokens = tokens
        self.pos = 0
        self.columns = columns

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise FilterError("$filter ends too early")
        if value is not None and token[1].lower() != value:
            raise FilterError(f"expected {value!r} in $filter, found {token[1]!r}")
        self.pos += 1
        return token

    def _keyword(self, word: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "name" and token[1].lower() == word

    def expression(self) -> Predicate:
        parts = [self.conjunction()]
        while self._keyword("or"):
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else (lambda row: any(p(row) for p in parts))

    def conjunction(self) -> Predicate:
        parts = [self.negation()]
        while self._keyword("and"):
            self.take()
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else (lambda row: all(p(row) for p in parts))

    def negation(self) -> Predicate:
        if self._keyword("not"):
            self.take()
            inner = self.negation()
            return lambda row: not inner(row)
        return self.primary()

    def primary(self) -> Predicate:
        token = self.peek()
        if token and token[1] == "(":
            self.take()
            inner = self.expression()
            self.take(")")
            return inner
        left = self.operand()
        op = self.peek()
        if op and op[0] == "name" and op[1].lower() in _COMPARE:
            self.take()
            right = self.operand()
            compare = _COMPARE[op[1].lower()]
            return lambda row: compare(left(row), right(row))
        return lambda row: bool(left(row))

    def operand(self) -> Callable[[Row], Any]:
        kind, value = self.take()
        if kind == "str":
            text = value[1:-1].replace("''", "'")
            return lambda row: text
        if kind == "num":
            number = float(value) if "." in value else int(value)
            return lambda row: number
        if kind == "name":
            lower = value.lower()
            if lower == "null":
                return lambda row: None
            if lower in ("true", "false"):
                return lambda row: lower == "true"
            if self.peek() and self.peek()[1] == "(":
                return self.function(lower)
            if value not in self.columns:
                raise FilterError(f"Could not find a property named '{value}'")
            return lambda row: row.get(value)
        raise FilterError(f"unexpected {value!r} in $filter")

    def function(self, name: str) -> Callable[[Row], Any]:
        self.take("(")
        first = self.operand()
        self.take(",")
        second = self.operand()
        self.take(")")
        if name == "startswith":
            return lambda row: isinstance(first(row), str) and first(row).startswith(str(second(row)))
        if name == "substringof":
            return lambda row: isinstance(second(row), str) and str(first(row)) in second(row)
        raise FilterError(f"unknown function {name!r} in $filter")
