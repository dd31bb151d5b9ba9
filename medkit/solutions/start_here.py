"""Answers and checks for Lesson 00 (start here)."""

from __future__ import annotations

from medkit.solutions._checks import CheckResult, check_value
from medkit.story import hospital_choice_shares, trust_needed_for_balance


def answer_primary_share_at_40km() -> float:
    """Share staying in primary care with no extra trust and the hospital 40 km further."""
    return float(hospital_choice_shares(0.0, 40.0)["primary care"])


def check_primary_share_at_40km(answer) -> CheckResult:
    """Check the share of routine patients who stay local at 40 km, trust 0.

    Examples
    --------
    >>> check_primary_share_at_40km(0.5).correct
    True
    """
    return check_value(
        answer,
        answer_primary_share_at_40km(),
        rel_tol=0.02,
        hint="at 40 km travel cancels the reputation premium (2 - 0.05 x 40 = 0).",
    )


def answer_trust_for_balance_at_10km() -> float:
    """Trust that makes half of routine patients stay local when the hospital is 10 km further."""
    return trust_needed_for_balance(10.0)


def check_trust_for_balance_at_10km(answer) -> CheckResult:
    """Check the trust level giving a 50/50 split at 10 km.

    Examples
    --------
    >>> check_trust_for_balance_at_10km(1.5).correct
    True
    """
    return check_value(
        answer,
        answer_trust_for_balance_at_10km(),
        rel_tol=0.02,
        abs_tol=0.01,
        hint="the split is 50/50 when both utilities are equal: trust = 2 - 0.05 x km.",
    )
