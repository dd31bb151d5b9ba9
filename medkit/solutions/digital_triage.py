"""Answers and checks for Lesson 06 (digital triage)."""

from __future__ import annotations

import pandas as pd

from medkit.referral import ReferralParams
from medkit.referral.triage import monotone_within_noise
from medkit.solutions._checks import CheckResult, check_value


def answer_primary_mixed_cure() -> float:
    """Cure probability at a primary hospital for the default mix of routine and serious."""
    p = ReferralParams()
    return (1 - p.serious_share) * p.cure_routine[0] + p.serious_share * p.cure_serious[0]


def check_primary_mixed_cure(answer) -> CheckResult:
    """Check the mixed primary cure probability (Yang et al.'s 0.75).

    Examples
    --------
    >>> check_primary_mixed_cure(0.75).correct
    True
    """
    return check_value(answer, answer_primary_mixed_cure(), rel_tol=1e-3,
                       hint="weight each cure rate by its share: 0.8 x routine + 0.2 x serious.")  # fmt: skip


def answer_false_positive_share_of_flagged(
    serious_share: float = 0.2, sensitivity: float = 0.9, specificity: float = 0.85
) -> float:
    """Share of flagged patients who are routine (false positives)."""
    tp = serious_share * sensitivity
    fp = (1 - serious_share) * (1 - specificity)
    return fp / (tp + fp)


def check_false_positive_share_of_flagged(answer) -> CheckResult:
    """Check the share of flagged patients who are in fact routine (default tool, 20 % serious).

    Examples
    --------
    >>> check_false_positive_share_of_flagged(0.4).correct
    True
    """
    return check_value(
        answer,
        answer_false_positive_share_of_flagged(),
        rel_tol=0.01,
        hint="flagged = serious x sensitivity + routine x (1 - specificity); false positives "
        "are the second part.",
    )


def answer_imbalance_direction(summary: pd.DataFrame) -> str:
    """'rises', 'falls' or 'flat' for the imbalance index over adoption in ``summary``."""
    d = monotone_within_noise(summary, "triage_adoption", "imbalance_index")
    return {"increasing": "rises", "decreasing": "falls"}.get(d, "flat")


def check_imbalance_direction(answer, summary: pd.DataFrame) -> CheckResult:
    """Check 'rises' / 'falls' / 'flat' against the dose-response computed in the lesson.

    Examples
    --------
    >>> s = pd.DataFrame({"triage_adoption": [0, 1], "measure": "imbalance_index",
    ...                   "mean": [1.0, 2.0], "low": [0.9, 1.9], "high": [1.1, 2.1]})
    >>> check_imbalance_direction("rises", s).correct
    True
    """
    return check_value(
        answer,
        answer_imbalance_direction(summary),
        hint="read the imbalance-index curve from 0 % to 100 % adoption; is the change larger "
        "than the bands?",
    )


def answer_target_pcf_raw(cf) -> float:
    """beta_HTH x sd(HTH) / sd(PCF) for a :class:`medkit.counterfactual.CounterfactualFit`."""
    return cf.target_pcf_raw()


def check_target_pcf_raw(answer, cf) -> CheckResult:
    """Check the raw-unit PCF coefficient that matches HTH per standard deviation.

    Examples
    --------
    >>> from medkit.counterfactual import fit_model3
    >>> cf = fit_model3("zhejiang")
    >>> check_target_pcf_raw(cf.target_pcf_raw(), cf).correct
    True
    """
    return check_value(
        answer,
        answer_target_pcf_raw(cf),
        rel_tol=0.01,
        hint="per-SD effects are equal when beta_PCF x sd(PCF) = beta_HTH x sd(HTH); use "
        "cf.params_raw and cf.sd.",
    )
