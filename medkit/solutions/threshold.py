"""Exercises of Lesson 07 (Do we need the threshold?): checks, hints and worked answers.

Use in the lesson::

    from medkit.solutions import threshold as solutions
    solutions.check(1, my_share)
    solutions.hint(1)
    solutions.show(1)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from medkit.solutions._checks import (
    CheckResult,
    ChoiceCheck,
    Exercise,
    ExerciseBook,
    NumberCheck,
    check_number,
)

LEVEL = "zhejiang"
THRESHOLD = 5


def share_of_movers_below(threshold: int = THRESHOLD, level: str = LEVEL) -> float:
    """Share of all movers who travel on pairs with fewer than ``threshold`` movers.

    Examples
    --------
    >>> 0 < share_of_movers_below(5) < 1
    True
    """
    from medkit import data

    flows = data.load_flows(level)
    return float(flows.loc[flows["count"] < threshold, "count"].sum() / flows["count"].sum())


def share_of_pairs_below(threshold: int = THRESHOLD, level: str = LEVEL) -> float:
    """Share of the pairs with at least one mover that have fewer than ``threshold``."""
    from medkit import data

    flows = data.load_flows(level)
    return float((flows["count"] < threshold).mean())


@lru_cache(maxsize=2)
def doubly_constrained_fit(level: str = LEVEL):
    """The worked answer of exercise 2: doubly-constrained gravity model with log distance."""
    from medkit import data
    from medkit.gravity import gravity_model

    return gravity_model(data.load_flows(level), data.load_cities(level), constraint="doubly")


def distance_elasticity(level: str = LEVEL) -> float:
    """Exercise 2's number: the log-distance coefficient of the doubly-constrained model."""
    return float(doubly_constrained_fit(level).params["log_distance"])


class GravityFitCheck:
    """Accepts a fitted doubly-constrained GravityResults, or its log-distance coefficient."""

    hint = (
        "call gravity_model(flows, cities, constraint='doubly') with the Zhejiang flows and "
        "cities, and assign the result to my_fit."
    )

    def __call__(self, answer: Any) -> CheckResult:
        from medkit.gravity import GravityResults

        if isinstance(answer, GravityResults):
            if answer.constraint != "doubly":
                return CheckResult(
                    False,
                    f"Not quite: this is the {answer.constraint} model; the exercise asks for "
                    "constraint='doubly' (origin and destination fixed effects).",
                )
            if "log_distance" not in answer.params.index:
                return CheckResult(
                    False, "Not quite: keep the distance in the model (distance='great_circle')."
                )
            extra = [c for c in answer.params.index if c != "log_distance"]
            if extra:
                return CheckResult(
                    False,
                    f"Not quite: leave out the extra covariates {extra}; the model has log "
                    "distance only.",
                )
            answer = float(answer.params["log_distance"])
        return check_number(
            answer,
            distance_elasticity(),
            decimals=2,
            hint=self.hint,
            mistakes=[
                (
                    lambda v: v > 0,
                    "The coefficient of log distance is negative: flows fall with distance.",
                )
            ],
        )

    def right_forms(self) -> list[Any]:
        v = distance_elasticity()
        return [doubly_constrained_fit(), v, round(v, 2), round(v, 3)]

    def wrong_forms(self) -> list[tuple[Any, str]]:
        v = distance_elasticity()
        from medkit import data
        from medkit.gravity import gravity_model

        def origin_fit():
            return gravity_model(
                data.load_flows(LEVEL), data.load_cities(LEVEL), constraint="origin"
            )

        return [(-v, "negative"), (v + 0.3, "Hint"), (origin_fit(), "constraint='doubly'")]


WORKED_CODE = """from medkit import data
from medkit.gravity import gravity_model

my_fit = gravity_model(
    data.load_flows("zhejiang"), data.load_cities("zhejiang"), constraint="doubly"
)
my_fit.params["log_distance"]"""

book = ExerciseBook("07_do_we_need_the_threshold")

book.add(
    Exercise(
        1,
        "What share of all (synthetic) Zhejiang movers travel on pairs with fewer than 5 "
        "movers, the pairs a threshold of 5 drops? Give a share (0-1) or a percentage, "
        "to two decimals.",
        NumberCheck(
            share_of_movers_below,
            decimals=2,
            share=True,
            hint="sum the counts of the flows with count < 5 and divide by the sum of all counts.",
            mistakes=[
                (
                    lambda v: abs(v - share_of_pairs_below()) < 0.005,
                    "That is the share of *pairs* below the threshold; the question asks for "
                    "the share of *movers*: weight each pair by its count.",
                )
            ],
        ),
        share_of_movers_below,
        "flows[flows['count'] < 5]['count'].sum() / flows['count'].sum(): many pairs are "
        "small, but they carry few of the movers, so the binary network drops many pairs and "
        "a smaller share of the people.",
        "sum the counts of the flows with count < 5 and divide by the sum of all counts.",
        wrong_answers=[
            (share_of_pairs_below, "share of *pairs*"),
            (lambda: 1 - share_of_movers_below(), "Hint"),
            (0.5, "Hint"),
            (-0.02, "Hint"),
        ],
    )
)

book.add(
    Exercise(
        2,
        "Fit the doubly-constrained gravity model of the Zhejiang flows (origin and "
        "destination fixed effects, log great-circle distance, nothing else) and assign the "
        "result to my_fit.",
        GravityFitCheck(),
        WORKED_CODE,
        "With both margins fixed, only distance is left to explain where flows go; its "
        "coefficient is the distance elasticity: 1 % farther means that many % fewer movers.",
        GravityFitCheck.hint,
    )
)

CHOICES = {
    "a": "Not the best reading: the gravity model on the same counts, with standard errors "
    "that allow for over-dispersion, does not find a PCF effect. A real effect hidden by the "
    "threshold would show there too.",
    "b": "Right: the Poisson reference says a count's variance equals its mean. These counts "
    "vary far more (the gravity model's dispersion is well above 1), so the valued ERGM's "
    "standard errors are too small and its z values too large. Significance there is weak "
    "evidence until over-dispersion is modelled.",
    "c": "No: the twin's ties were drawn with the paper's own small, unstarred PCF "
    "coefficient (datasets/README.md), and one kind of model against all others is not a "
    "finding.",
    "d": "No: the valued ERGM uses every flow, zeros included; nothing is dropped.",
}
CHOICE_TEXTS = {
    "a": "The threshold hid a real pull of primary care; the valued ERGM reveals it.",
    "b": "The Poisson valued ERGM ignores over-dispersion, so its z values are inflated.",
    "c": "Primary care pulls movers in Zhejiang; the paper was wrong.",
    "d": "The valued ERGM drops the small flows, which biases PCF.",
}

book.add(
    Exercise(
        3,
        "In the comparison table the PCF null fails only under the valued ERGM, whose z values "
        "are all very large. Which reading is best? (a), (b), (c) or (d)",
        ChoiceCheck(CHOICES, "b", texts=CHOICE_TEXTS),
        "b",
        CHOICES["b"],
        "compare the valued ERGM's z values with the gravity model's, and recall what the "
        "Poisson distribution assumes about the variance.",
    )
)

check, hint, show = book.check, book.hint, book.show

__all__ = ["book", "check", "hint", "show"]
