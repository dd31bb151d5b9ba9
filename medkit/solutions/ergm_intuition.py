"""Exercise answers and checks for lesson 02 (ERGM intuition)."""

from __future__ import annotations

import math

from medkit.solutions._checks import CheckResult, check_value


def answer_question_1() -> float:
    """Edges-only coefficient for a network with density 0.25: the log-odds log(0.25 / 0.75)."""
    return math.log(0.25 / 0.75)


def check_question_1(answer) -> CheckResult:
    return check_value(
        answer,
        answer_question_1(),
        hint="the edges coefficient is the log-odds of a tie: log(p / (1 - p))",
    )


def answer_question_2() -> int:
    """Change in triangles when tying two nodes that share 3 neighbours: 3."""
    return 3


def check_question_2(answer) -> CheckResult:
    return check_value(
        answer, answer_question_2(), hint="each common neighbour closes one new triangle"
    )


def answer_question_3() -> str:
    """Which fits need MCMC: the one with a triangle term ('edges + triangle')."""
    return "edges + triangle"


def check_question_3(answer) -> CheckResult:
    if isinstance(answer, str):
        answer = answer.replace(" ", "")
    return check_value(
        answer,
        "edges+triangle",
        hint="a term is dyad-dependent when its change statistic depends on other ties",
    )
