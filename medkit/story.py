"""A toy model that previews the kit's whole story in one function.

A patient with a routine complaint chooses between the nearby primary care clinic and a
distant high-tier hospital. The choice is a logit (the same arithmetic as the ERGMs of
Lessons 02-04): each option has a utility, and shares are ``exp(u) / sum(exp(u))``.

- The high-tier hospital carries a reputation premium (why people move toward cities with
  high-tier hospitals, Fu & Lu 2025).
- Travel costs utility per kilometre.
- Trust in primary care (raised, the digital-empowerment hypothesis H3 says, by digital
  triage tools) adds to the clinic's utility.

The numbers are illustrative assumptions, not estimates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def hospital_choice_shares(
    trust_in_primary: float = 0.0,
    extra_distance_km: float = 20.0,
    *,
    reputation_premium: float = 2.0,
    cost_per_km: float = 0.05,
) -> pd.Series:
    """Share of routine patients choosing the primary clinic versus the high-tier hospital.

    Parameters
    ----------
    trust_in_primary : float, default 0.0
        Extra utility of the primary clinic from trust (0 = today's distrust; about 2 makes it
        as attractive as the high-tier hospital before travel costs).
    extra_distance_km : float, default 20.0
        How much further away the high-tier hospital is, in km (must be >= 0).
    reputation_premium : float, default 2.0
        Utility advantage of the high-tier hospital's reputation (an assumption).
    cost_per_km : float, default 0.05
        Utility lost per km travelled (an assumption).

    Returns
    -------
    pandas.Series
        Shares indexed by ``"primary care"`` and ``"high-tier hospital"``; they sum to 1.

    Examples
    --------
    >>> shares = hospital_choice_shares(trust_in_primary=0.0, extra_distance_km=20.0)
    >>> round(float(shares["primary care"]), 3)
    0.269
    >>> round(float(hospital_choice_shares(1.0, 20.0).sum()), 6)
    1.0
    """
    values = {
        "trust_in_primary": trust_in_primary,
        "extra_distance_km": extra_distance_km,
        "reputation_premium": reputation_premium,
        "cost_per_km": cost_per_km,
    }
    for name, value in values.items():
        if not np.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r}")
    if extra_distance_km < 0:
        raise ValueError(f"extra_distance_km must be >= 0, got {extra_distance_km}")
    if cost_per_km < 0:
        raise ValueError(f"cost_per_km must be >= 0, got {cost_per_km}")
    utility = np.array(
        [trust_in_primary, reputation_premium - cost_per_km * extra_distance_km], dtype=float
    )
    utility -= utility.max()
    weights = np.exp(utility)
    shares = weights / weights.sum()
    return pd.Series(shares, index=["primary care", "high-tier hospital"], name="share")


def trust_needed_for_balance(
    extra_distance_km: float = 20.0,
    *,
    reputation_premium: float = 2.0,
    cost_per_km: float = 0.05,
) -> float:
    """Trust in primary care at which half of routine patients stay local.

    Shares are equal when the two utilities are equal, so the answer is
    ``reputation_premium - cost_per_km * extra_distance_km`` (negative when distance alone
    keeps patients local).

    Examples
    --------
    >>> trust_needed_for_balance(20.0)
    1.0
    >>> shares = hospital_choice_shares(trust_needed_for_balance(20.0), 20.0)
    >>> round(float(shares["primary care"]), 6)
    0.5
    """
    return float(reputation_premium - cost_per_km * extra_distance_km)
