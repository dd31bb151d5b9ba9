"""One small family of exceptions and warnings used across medkit.

Messages say what is wrong, where, and what to do about it.
"""

from __future__ import annotations


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
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.message = message
        where = []
        if file is not None:
            where.append(str(file))
        if row is not None:
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
            text += f"\n  {formula}"
            if position is not None:
                text += "\n  " + " " * position + "^"
        super().__init__(text)


class ConvergenceWarning(UserWarning):
    """An iterative estimate stopped before meeting its convergence test."""


class DegeneracyWarning(UserWarning):
    """A simulated model runs to (near) empty or complete graphs, or far from the data."""
