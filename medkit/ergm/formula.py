"""A small, safe parser for statnet-style ERGM formulas (never ``eval``).

Grammar (whitespace is ignored)::

    formula  := [lhs "~"] term ("+" term)*
    term     := NAME ["(" [arg ("," arg)*] ")"]
    arg      := [NAME "="] value
    value    := NUMBER | STRING | BOOL | vector
    vector   := "c" "(" [value ("," value)*] ")" | "[" [value ("," value)*] "]"
    BOOL     := TRUE | FALSE | True | False | T | F

Strings take single or double quotes. A bare name as a value (``edgecov(bus)``,
``nodecov(wealth)``) is read as the name in quotes, as statnet users write it. Anything else is a
:class:`~medkit.errors.FormulaError` that points at the offending character.

Limits (each refused with a clear error, never a RecursionError or a blow-up): a formula of at
most :data:`MAX_LENGTH` characters, vectors nested at most :data:`MAX_NESTING` deep, ranges
``a:b`` of at most :data:`MAX_RANGE` values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from medkit.errors import FormulaError

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<number>[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?)
  | (?P<string>"[^"]*"|'[^']*')
  | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
  | (?P<op>[~+(),=\[\]:])
    """,
    re.VERBOSE,
)

MAX_LENGTH = 10_000
"""Longest formula accepted, in characters (Fu & Lu's largest model has about 250)."""
MAX_NESTING = 3
"""Deepest nesting of vectors ``c(...)`` / ``[...]`` accepted."""
MAX_RANGE = 1_000
"""Most values a range ``a:b`` may hold."""

_BOOLS = {"TRUE": True, "True": True, "T": True, "FALSE": False, "False": False, "F": False}


@dataclass(frozen=True)
class Term:
    """One term of a formula: its name, arguments and position in the formula text.

    Examples
    --------
    >>> Term("nodeicov", ("HTH",))
    Term(name='nodeicov', args=('HTH',), kwargs={}, position=0)
    """

    name: str
    args: tuple = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    position: int = 0


def _tokenize(text: str) -> list[tuple[str, Any, int]]:
    tokens = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise FormulaError(f"unexpected character {text[pos]!r}", formula=text, position=pos)
        kind = m.lastgroup
        raw = m.group()
        if kind == "number":
            value: Any = float(raw) if any(c in raw for c in ".eE") else int(raw)
            tokens.append(("value", value, pos))
        elif kind == "string":
            tokens.append(("value", raw[1:-1], pos))
        elif kind == "name":
            tokens.append(("name", raw, pos))
        elif kind == "op":
            tokens.append(("op", raw, pos))
        pos = m.end()
    tokens.append(("end", None, len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self, ahead: int = 0):
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def next(self):
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def error(self, message: str, pos: int):
        raise FormulaError(message, formula=self.text, position=pos)

    def expect(self, op: str):
        kind, value, pos = self.next()
        if kind != "op" or value != op:
            shown = "end of formula" if kind == "end" else repr(value)
            self.error(f"expected {op!r} but found {shown}", pos)

    def formula(self) -> list[Term]:
        # optional left-hand side "net ~"
        if any(k == "op" and v == "~" for k, v, _ in self.tokens):
            kind, value, pos = self.peek()
            if kind == "op" and value == "~":
                self.next()
            elif kind == "name" and self.peek(1)[1] == "~":
                self.i += 2
            else:
                self.error("only a single network name may stand left of '~'", pos)
        terms = [self.term()]
        while True:
            kind, value, pos = self.peek()
            if kind == "end":
                break
            if kind == "op" and value == "+":
                self.next()
                terms.append(self.term())
                continue
            self.error(f"expected '+' between terms but found {value!r}", pos)
        return terms

    def term(self) -> Term:
        kind, name, pos = self.next()
        if kind != "name":
            shown = "end of formula" if kind == "end" else repr(name)
            self.error(f"expected a term name but found {shown}", pos)
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        if self.peek()[0] == "op" and self.peek()[1] == "(":
            self.next()
            if not (self.peek()[0] == "op" and self.peek()[1] == ")"):
                while True:
                    k0, v0, p0 = self.peek()
                    nxt = self.peek(1)
                    if k0 == "name" and nxt[0] == "op" and nxt[1] == "=":
                        self.i += 2
                        if v0 in kwargs:
                            self.error(f"argument {v0!r} given twice", p0)
                        kwargs[v0] = self.value()
                    else:
                        if kwargs:
                            self.error("positional argument after a named one", p0)
                        args.append(self.value())
                    k1, v1, p1 = self.next()
                    if k1 == "op" and v1 == ")":
                        break
                    if not (k1 == "op" and v1 == ","):
                        shown = "end of formula" if k1 == "end" else repr(v1)
                        self.error(f"expected ',' or ')' but found {shown}", p1)
            else:
                self.next()
        return Term(name, tuple(args), kwargs, pos)

    def value(self) -> Any:
        kind, value, pos = self.next()
        if kind == "value":
            # R-style ranges 2:4
            if self.peek()[0] == "op" and self.peek()[1] == ":":
                self.next()
                k2, v2, p2 = self.next()
                if not (isinstance(value, int) and k2 == "value" and isinstance(v2, int)):
                    self.error("a range a:b needs two integers", p2)
                if abs(v2 - value) + 1 > MAX_RANGE:
                    self.error(
                        f"the range {value}:{v2} holds {abs(v2 - value) + 1} values; at most "
                        f"{MAX_RANGE} are allowed",
                        pos,
                    )
                step = 1 if v2 >= value else -1
                return list(range(value, v2 + step, step))
            return value
        if kind == "name" and value in _BOOLS:
            return _BOOLS[value]
        if kind == "name" and value == "c" and self.peek()[1] == "(":
            self.next()
            return self.vector(")", pos)
        if kind == "op" and value == "[":
            return self.vector("]", pos)
        if kind == "name":
            return value  # statnet's bare name: edgecov(bus), nodecov(wealth)
        shown = "end of formula" if kind == "end" else repr(value)
        self.error(f"expected a value but found {shown}", pos)

    def vector(self, close: str, start: int) -> list:
        self.depth += 1
        if self.depth > MAX_NESTING:
            self.error(f"vectors nested more than {MAX_NESTING} deep", start)
        items: list[Any] = []
        if self.peek()[0] == "op" and self.peek()[1] == close:
            self.next()
            self.depth -= 1
            return items
        while True:
            v = self.value()
            items.extend(v if isinstance(v, list) else [v])
            if len(items) > MAX_RANGE:
                self.error(f"a vector may hold at most {MAX_RANGE} values", start)
            k, v1, p = self.next()
            if k == "op" and v1 == close:
                self.depth -= 1
                return items
            if not (k == "op" and v1 == ","):
                shown = "end of formula" if k == "end" else repr(v1)
                self.error(f"expected ',' or {close!r} in a vector but found {shown}", p)


def parse_formula(formula: str | list | tuple) -> list[Term]:
    """Parse a statnet-style formula into a list of :class:`Term`.

    Parameters
    ----------
    formula : str or list of Term
        For example ``"edges + mutual + nodeicov('HTH') + gwesp(0.5, fixed=True)"``. A list of
        :class:`Term` objects is returned as is.

    Returns
    -------
    list of Term

    Raises
    ------
    FormulaError
        For malformed text, with a caret under the offending position.

    Examples
    --------
    >>> [t.name for t in parse_formula("net ~ edges + nodecov('wealth')")]
    ['edges', 'nodecov']
    >>> parse_formula("gwesp(0.5, fixed=TRUE)")[0].kwargs
    {'fixed': True}
    """
    if isinstance(formula, list | tuple):
        if not formula:
            raise FormulaError("the formula (a list of Term) is empty")
        if not all(isinstance(t, Term) for t in formula):
            bad = next(t for t in formula if not isinstance(t, Term))
            raise FormulaError(
                f"a formula list must hold Term objects, not {type(bad).__name__} {bad!r}; "
                'or write the formula as one string, e.g. "edges + mutual"'
            )
        return list(formula)
    if not isinstance(formula, str):
        raise FormulaError(
            f'a formula must be a string such as "edges + mutual", not '
            f"{type(formula).__name__} {formula!r}"[:200]
        )
    if len(formula) > MAX_LENGTH:
        raise FormulaError(
            f"the formula is {len(formula)} characters long; at most {MAX_LENGTH} characters "
            "are accepted",
            formula=formula,
            position=MAX_LENGTH,
        )
    if not formula.strip():
        raise FormulaError("the formula is empty", formula=formula, position=0)
    return _Parser(formula).formula()
