"""Checks of every field of :class:`~medkit.referral.params.ReferralParams` that the paper's
model has: type, finiteness and range, raising :class:`~medkit.errors.ParameterError`.

``ReferralParams.validate()`` runs these first, so that ``nan``, ``inf``, a fraction where a
count is meant, or a value outside its range is refused when the parameters are made, before
any simulation.
"""

from __future__ import annotations

from medkit import validation as V
from medkit.errors import ParameterError

MAX_HOSPITALS = 5_000
"""Most hospitals accepted (the weight matrix is hospitals x hospitals; the paper has 200)."""
MAX_DAYS = 1_000_000
MAX_PATIENTS = 1e8

PROBABILITIES = ("cure_probability", "cure_routine", "cure_serious")
SHARES = (
    "serious_share",
    "bypass_share",
    "triage_adoption",
    "triage_sensitivity",
    "triage_specificity",
    "ai_cure_routine",
    "trust_bypass_reduction",
)
BOOLEANS = ("readmit_lost_phase_a", "readmit_lost_phase_b", "phase_b_fallback", "severity_cure")


def _triple(name, value, check):
    if not isinstance(value, tuple | list) or len(value) != 3:
        raise ParameterError(name, value, "three values, one per grade (1, 2, 3)")
    return tuple(check(f"{name}[{k}]", v) for k, v in enumerate(value))


def check_fields(p) -> None:
    """Raise ParameterError naming the first impossible value among the paper's fields."""
    V.whole_number("n_hospitals", p.n_hospitals, minimum=3, maximum=MAX_HOSPITALS,
                   hint="the paper has 200")  # fmt: skip
    ratio = _triple("grade_ratio", p.grade_ratio,
                    lambda n, v: V.real_number(n, v, minimum=0))  # fmt: skip
    if sum(ratio) <= 0:
        raise ParameterError("grade_ratio", p.grade_ratio, "three numbers >= 0, not all 0",
                             "the paper has (5, 4, 1)")  # fmt: skip
    V.real_number("side_km", p.side_km, minimum=0, open_min=True, hint="the paper has 200 km")
    V.real_number("min_separation_km", p.min_separation_km, minimum=0)
    ranges = p.capacity_ranges
    if not isinstance(ranges, tuple | list) or len(ranges) != 3:
        raise ParameterError("capacity_ranges", ranges, "three (low, high) pairs, one per grade")
    for k, pair in enumerate(ranges):
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise ParameterError(f"capacity_ranges[{k}]", pair, "a (low, high) pair")
        lo = V.whole_number(f"capacity_ranges[{k}][0]", pair[0], minimum=0, maximum=10**7)
        V.whole_number(f"capacity_ranges[{k}][1]", pair[1], minimum=lo + 1, maximum=10**7,
                       hint="high is exclusive and must exceed low")  # fmt: skip
    for name in PROBABILITIES:
        _triple(name, getattr(p, name), lambda n, v: V.real_number(n, v, minimum=0, maximum=1))
    V.real_number("grade_slope", p.grade_slope, hint="the paper has 1")
    V.real_number("initial_weight", p.initial_weight, minimum=0, open_min=True,
                  hint="the paper starts every pair at 1")  # fmt: skip
    V.real_number("mean_daily_patients", p.mean_daily_patients, minimum=0, maximum=MAX_PATIENTS,
                  hint="the paper has 41000")  # fmt: skip
    V.real_number("sd_daily_patients", p.sd_daily_patients, minimum=0, maximum=MAX_PATIENTS)
    V.whole_number("referral_limit", p.referral_limit, minimum=0, maximum=1000,
                   hint="the paper has 4")  # fmt: skip
    V.real_number("weight_history", p.weight_history, minimum=0, maximum=1)
    V.real_number("weight_distance", p.weight_distance, minimum=0, maximum=1)
    V.whole_number("days", p.days, minimum=1, maximum=MAX_DAYS, hint="the paper has 500")
    V.whole_number("strategy_days", p.strategy_days, minimum=1, maximum=MAX_DAYS)
    V.real_number("top_share", p.top_share, minimum=0, maximum=1, open_min=True,
                  hint="the paper keeps the top 0.05")  # fmt: skip
    V.real_number("extra_capacity_share", p.extra_capacity_share, minimum=0, maximum=10)
    V.whole_number("key_node_extra", p.key_node_extra, minimum=0, allow_none=True)
    for name in SHARES:
        V.real_number(name, getattr(p, name), minimum=0, maximum=1)
    for name in BOOLEANS:
        V.boolean(name, getattr(p, name))
    V.whole_number("triage_referral_min_grade", p.triage_referral_min_grade, minimum=2, maximum=3)
