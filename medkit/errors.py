"""One small family of exceptions and warnings used across medkit.

Messages say what is wrong, where, and what to do about it.
"""

from __future__ import annotations

import numpy as np

EXCERPT = 60
"""Characters of a long formula or value quoted on each side of the problem in a message."""


def excerpt(text: str, position: int | None = None, width: int = EXCERPT) -> tuple[str, int | None]:
    """A bounded piece of ``text`` around ``position`` and the position within the piece.

    Examples
    --------
    >>> excerpt("a" * 200, 100)[0][:5], excerpt("a" * 200, 100)[1]
    ('...aa', 63)
    """
    text = str(text)
    if len(text) <= 2 * width + 20:
        return text, position
    pos = len(text) // 2 if position is None else min(max(position, 0), len(text))
    start = max(0, pos - width)
    end = min(len(text), pos + width)
    head = "..." if start > 0 else ""
    tail = "..." if end < len(text) else ""
    piece = head + text[start:end] + tail
    return piece, (None if position is None else pos - start + len(head))


def shown(value, width: int = EXCERPT) -> str:
    """``repr(value)``, cut to a bounded length for messages."""
    text = repr(value)
    if len(text) > 2 * width:
        text = text[:width] + f"... ({len(text)} characters)"
    return text


class MedkitError(Exception):
    """Base class of every error medkit raises on purpose."""


class DataError(MedkitError, ValueError):
    """Bad input data, with the place it was found.

    Parameters
    ----------
    message : str
        What is wrong and what to do.
    file : str, optional
        File (or table name) where the problem is.
    row : int, optional
        1-based data row (header excluded) where the problem is.
    column : str, optional
        Column where the problem is.
    line : int, optional
        1-based line of the file (the header is line 1). When given, messages name the line
        (what an editor shows) instead of the data row.

    Examples
    --------
    >>> err = DataError("negative count -3", file="flows.csv", row=12, column="count")
    >>> str(err)
    'flows.csv, row 12, column count: negative count -3'
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        line: int | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.line = line
        self.message = message
        where = []
        if file is not None:
            where.append(str(file))
        if line is not None:
            where.append(f"line {line}")
        elif row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class FormulaError(MedkitError, ValueError):
    """A model formula that cannot be parsed or names an unknown term.

    The message repeats the formula with a caret under the offending position.

    Examples
    --------
    >>> err = FormulaError("unknown term 'edgez'", formula="edgez + mutual", position=0)
    >>> print(err)
    unknown term 'edgez'
      edgez + mutual
      ^
    """

    def __init__(self, message: str, *, formula: str | None = None, position: int | None = None):
        self.formula = formula
        self.position = position
        self.message = message
        text = message
        if formula is not None:
            piece, pos = excerpt(formula, position)
            if len(piece) < len(formula):
                where = f" at character {position}" if position is not None else ""
                text += f"\n  (formula of {len(formula)} characters, excerpt{where})"
            text += f"\n  {piece}"
            if pos is not None:
                text += "\n  " + " " * pos + "^"
        super().__init__(text)


class ParameterError(MedkitError, ValueError):
    """An argument or option with an impossible value.

    The message names the argument, the bad value, the valid range and what to do.

    Parameters
    ----------
    argument : str
        Name of the argument (as the user typed it, e.g. ``interval`` or ``--runs``).
    value : object
        The value given (quoted in a bounded form).
    valid : str
        The valid range or choices, e.g. ``"a whole number >= 1"``.
    hint : str, optional
        What to do instead.

    Examples
    --------
    >>> print(ParameterError("interval", 0, "a whole number >= 1", "the default is 1024"))
    interval=0 is not valid: it must be a whole number >= 1; the default is 1024
    """

    def __init__(self, argument: str, value, valid: str, hint: str = ""):
        self.argument = argument
        self.value = value
        self.valid = valid
        self.hint = hint
        sep = " " if argument.startswith("-") else "="
        text = f"{argument}{sep}{shown(value)} is not valid: it must be {valid}"
        if hint:
            text += f"; {hint}"
        super().__init__(text)


class EstimationError(MedkitError, np.linalg.LinAlgError):
    """An estimate that cannot be computed, with the reason (collinearity, separation, ...).

    A subclass of :class:`numpy.linalg.LinAlgError` (itself a ``ValueError``).
    """


class ConvergenceWarning(UserWarning):
    """An iterative estimate stopped before meeting its convergence test."""


class DegeneracyWarning(UserWarning):
    """A simulated model runs to (near) empty or complete graphs, or far from the data."""
