"""Friendly answer checks for lesson exercises.

A check never raises on a wrong answer: it returns a :class:`CheckResult` whose text tells the
learner what is right or gives a hint, so a notebook always runs top to bottom.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CheckResult:
    """Outcome of an exercise check.

    Attributes
    ----------
    correct : bool or None
        ``True`` if right, ``False`` if wrong, ``None`` if not answered yet.
    message : str
        Feedback for the learner.
    """

    correct: bool | None
    message: str

    def __bool__(self) -> bool:
        return bool(self.correct)

    def __repr__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:
        colour = {True: "#1a7f37", False: "#b35900", None: "#57606a"}[self.correct]
        return f'<p style="color:{colour}"><b>{self.message}</b></p>'


def check_value(
    answer: Any,
    expected: Any,
    *,
    rel_tol: float = 1e-3,
    abs_tol: float = 1e-9,
    hint: str = "",
) -> CheckResult:
    """Compare a learner's answer with the expected one.

    Numbers are compared with a tolerance, strings case-insensitively (ignoring spaces at the
    ends), other objects by equality. ``None`` or ``...`` means "not answered yet".

    Parameters
    ----------
    answer : object
        What the learner gave.
    expected : object
        The right answer.
    rel_tol, abs_tol : float
        Tolerances for numbers, as in :func:`math.isclose`.
    hint : str
        Shown when the answer is wrong.

    Examples
    --------
    >>> check_value(0.5001, 0.5)
    Correct!
    >>> check_value(None, 0.5)
    Not answered yet: replace the ... with your answer and run the cell again.
    >>> check_value("medici", "Medici").correct
    True
    """
    if answer is None or answer is Ellipsis:
        return CheckResult(
            None, "Not answered yet: replace the ... with your answer and run the cell again."
        )
    right: bool
    if isinstance(expected, bool) or isinstance(answer, bool):
        right = answer is expected or answer == expected
    elif isinstance(expected, int | float) and not isinstance(expected, bool):
        try:
            right = math.isclose(float(answer), float(expected), rel_tol=rel_tol, abs_tol=abs_tol)
        except (TypeError, ValueError):
            right = False
    elif isinstance(expected, str):
        right = isinstance(answer, str) and answer.strip().casefold() == expected.casefold()
    else:
        right = answer == expected
    if right:
        return CheckResult(True, "Correct!")
    return CheckResult(False, "Not quite." + (f" Hint: {hint}" if hint else ""))
