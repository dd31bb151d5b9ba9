"""Answers and checks for Lesson 05 (the referral agent-based model)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from medkit.referral import ReferralParams, layout_from_arrays
from medkit.solutions._checks import CheckResult, check_value
from medkit.widgets.referral import choice_probabilities, run_scenario

# Exercise 1: three hospitals on a line, a patient not cured at primary hospital 0.
EXERCISE_LAYOUT = layout_from_arrays([1, 1, 3], [0, 10, 40], [0, 0, 0], [5, 5, 5], side_km=50)


def answer_tertiary_probability() -> float:
    """P(0 -> 2): weights all 1, distances 10 and 40 km, grade preferences 0.5 and 0.881."""
    w = 1.0 - np.eye(3)
    return float(choice_probabilities(0, [5, 5, 5], w, EXERCISE_LAYOUT)[2])


def check_tertiary_probability(answer) -> CheckResult:
    """Check the probability of a referral to the tertiary hospital in exercise 1.

    Examples
    --------
    >>> check_tertiary_probability(0.465).correct
    True
    """
    return check_value(
        answer,
        answer_tertiary_probability(),
        rel_tol=0.01,
        hint="add A x 1/2 (history: both weights 1), B x (1/40)/(1/10 + 1/40) (distance) and "
        "C x 0.881/(0.5 + 0.881) (grade preference), with A = B = 0.3 and C = 0.4.",
    )


def answer_max_hospitals() -> int:
    """A patient sees the first hospital plus at most ``referral_limit`` more."""
    return ReferralParams().referral_limit + 1


def check_max_hospitals(answer) -> CheckResult:
    """Check the largest number of hospitals one patient can visit.

    Examples
    --------
    >>> check_max_hospitals(5).correct
    True
    """
    return check_value(
        answer, answer_max_hospitals(), hint="the first hospital, then m = 4 referrals at most."
    )


def answer_tertiary_share_of_key_nodes(key, metric: str = "in_degree") -> float:
    """Share of tertiary hospitals among the key nodes under ``metric`` (a key_nodes table)."""
    sel = key[key["metric"] == metric]
    return float((sel["grade"] == 3).mean())


def check_tertiary_share_of_key_nodes(answer, key, metric: str = "in_degree") -> CheckResult:
    """Check the tertiary share of the top hospitals by in-degree in ``key``.

    Examples
    --------
    >>> import pandas as pd
    >>> key = pd.DataFrame({"metric": ["in_degree"] * 2, "grade": [3, 2]})
    >>> check_tertiary_share_of_key_nodes(0.5, key).correct
    True
    """
    return check_value(
        answer,
        answer_tertiary_share_of_key_nodes(key, metric),
        rel_tol=0.01,
        hint="select key[key['metric'] == 'in_degree'] and take the mean of grade == 3.",
    )


@lru_cache(maxsize=1)
def _in_degree_experiment(days: int = 100, seed: int = 0) -> dict:
    runs = {
        "paper": run_scenario(days=days, seed=seed),
        "preference": run_scenario(0.5, 0.5, days=days, seed=seed),
        "capacity": run_scenario(capacity_scale=(1.0, 1.0, 0.25), days=days, seed=seed),
    }
    return {k: float(s.grades.loc[3, "in_degree"]) for k, s in runs.items()}


def answer_stronger_lever() -> str:
    """ "preference" or "capacity": which change lowers the tertiary in-degree more."""
    v = _in_degree_experiment()
    return "preference" if v["preference"] < v["capacity"] else "capacity"


def check_stronger_lever(answer) -> CheckResult:
    """Check which lever, removing the grade preference or cutting tertiary capacity to a
    quarter, lowers the tertiary hospitals' in-degree more.

    Examples
    --------
    >>> check_stronger_lever(None).correct is None
    True
    """
    return check_value(
        answer,
        answer_stronger_lever(),
        hint="run run_scenario(0.5, 0.5) and run_scenario(capacity_scale=(1, 1, 0.25)) and "
        "compare .grades.loc[3, 'in_degree'] with run_scenario().",
    )


def stronger_lever_values() -> dict:
    """Tertiary mean in-degree at the paper's weights, with C = 0, and with 1/4 capacity."""
    return dict(_in_degree_experiment())
