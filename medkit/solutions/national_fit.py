"""Answers and checks for Lesson 03 (the national fit, Table 3)."""

from __future__ import annotations

import math

from medkit.solutions._checks import CheckResult, check_value
from medkit.solutions._fits import odds_ratio_ten_more_hth, reproduced_fit


def _fit(model_number: int):
    return reproduced_fit("national", model_number)


def answer_odds_ratio_ten_more_hth() -> float:
    """Odds ratio of a tie into a city with ten more high-tier hospitals (reproduced Model 3)."""
    return odds_ratio_ten_more_hth("national")


def check_odds_ratio_ten_more_hth(answer) -> CheckResult:
    """Check the odds ratio for ten more high-tier hospitals.

    Examples
    --------
    >>> check_odds_ratio_ten_more_hth(answer_odds_ratio_ten_more_hth()).correct
    True
    """
    return check_value(
        answer,
        answer_odds_ratio_ten_more_hth(),
        rel_tol=0.005,
        hint="odds ratios multiply: exp(10 x the Nodeicov.HTH coefficient of Model 3).",
    )


def answer_aic_preferred_model() -> int:
    """Number (1, 2 or 3) of the reproduced model with the lowest AIC."""
    aics = {m: _fit(m).aic for m in (1, 2, 3)}
    return min(aics, key=aics.get)


def check_aic_preferred_model(answer) -> CheckResult:
    """Check which model AIC prefers (answer 1, 2 or 3).

    Examples
    --------
    >>> check_aic_preferred_model(3).correct
    True
    """
    return check_value(
        answer,
        answer_aic_preferred_model(),
        hint="lower AIC is better; compare the AIC row of the reproduced table.",
    )


def answer_ur_change_for_odds_ratio_half() -> float:
    """Rise in urbanisation (percentage points) that halves the odds of a tie (Model 3)."""
    return math.log(0.5) / float(_fit(3).params["nodeicov.UR"])


def check_ur_change_for_odds_ratio_half(answer) -> CheckResult:
    """Check the rise in UR (points) that halves the odds of an incoming tie.

    Examples
    --------
    >>> check_ur_change_for_odds_ratio_half(answer_ur_change_for_odds_ratio_half()).correct
    True
    """
    return check_value(
        answer,
        answer_ur_change_for_odds_ratio_half(),
        rel_tol=0.01,
        hint="solve exp(b x change) = 0.5 for change: change = log(0.5) / b.",
    )
