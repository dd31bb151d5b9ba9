"""Every parameter of the referral model, with the paper's value as default.

Sources are the labels of ``spec/referral-abm.md``: [CODE] values are transcribed from the
authors' code (Yang et al. 2025, Front. Phys. 13:1659506); the triage and severity options
(issue 7) are medkit's own *assumptions*, not findings, and all of them default to "off" so that
the model is exactly the authors' model unless you ask otherwise.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from medkit.errors import DataError

STRATEGIES = ("baseline", "uniform", "core", "bottleneck", "lost_patients")
"""Phase-B capacity strategies: no extra capacity, +1 % everywhere, top-degree ("core hospital
enhancement"), top-out-degree ("referral bottleneck mitigation"), top lost patients."""


@dataclass(frozen=True)
class ReferralParams:
    """Parameters of the inter-hospital referral model (defaults = the paper, [CODE]).

    Change any value with ``dataclasses.replace(params, name=value)`` or ``params.replace(...)``.

    Layout (spec E1-E7)
    -------------------
    n_hospitals : 200 hospitals.
    grade_ratio : (5, 4, 1) primary : secondary : tertiary.
    side_km : 200 km, side of the square region.
    min_separation_km : 1 km between any two hospitals (rejection sampling).
    capacity_ranges : daily visit limits, integer uniform ``[low, high)`` per grade:
        (50, 101), (101, 501), (501, 1201).
    cure_probability : 0.75 / 0.85 / 0.95 by grade.
    grade_slope : slope ``a`` of the grade-preference logistic, 1.
    initial_weight : 1 on every ordered pair.

    Arrivals and visits (E8-E10, V1-V7)
    -----------------------------------
    mean_daily_patients, sd_daily_patients : N(41000, 200) new patients a day, floored at 0.
    referral_limit : m = 4 referrals (a patient sees at most 5 hospitals).
    weight_history, weight_distance : A = 0.3 and B = 0.3; the grade weight is C = 1 - A - B.
    days : T = 500 days of Phase A.
    strategy_days : 500 days of Phase B.

    Strategies and thresholding (section 5-6)
    -----------------------------------------
    top_share : 0.05, share of edges kept in the stable network and of key nodes per metric.
    extra_capacity_share : 0.01, the budget ``sum_i max(1, round(0.01 C_i))`` of every strategy.
    key_node_extra : slots per key hospital; ``None`` = budget // number of key hospitals
        (49 on the authors' layout, as in their files).

    Quirk switches (spec section 8; defaults follow the authors' code)
    ------------------------------------------------------------------
    readmit_lost_phase_a : True, lost patients re-enter the next day in Phase A (E9).
    readmit_lost_phase_b : False, in Phase B they are dropped (the code computes and discards them).
    phase_b_fallback : True, in Phase B a patient with no free neighbour in the stable network goes
        to a uniformly random hospital with capacity, counted as a referral (V5). False = lost.

    Severity, bypass and digital triage (issue 7; assumptions, all off by default)
    ------------------------------------------------------------------------------
    serious_share : 0.2, share of patients with a serious illness. Severity is always drawn (from
        a separate random stream) but changes nothing unless ``severity_cure`` or triage is on.
    severity_cure : False; True = cure probability by grade x severity (``cure_routine``,
        ``cure_serious``) instead of ``cure_probability``.
    cure_routine : (0.85, 0.90, 0.96) and cure_serious : (0.35, 0.65, 0.91). With
        ``serious_share = 0.2`` the mix is 0.8*0.85 + 0.2*0.35 = 0.75, 0.8*0.90 + 0.2*0.65 = 0.85
        and 0.8*0.96 + 0.2*0.91 = 0.95, the paper's values. (Exact for first visits; referred
        patients are more often serious, as in reality.)
    bypass_share : 0.0, share of patients whose nearest hospital is primary who go instead to the
        nearest higher-grade hospital (distrust of primary care, Fu & Lu). ``siphoning()`` sets 0.3.
    triage_adoption : 0.0, share of primary hospitals using a digital triage tool (chosen at random
        from the run's seed, nested: a larger share keeps the smaller share's hospitals).
    triage_sensitivity : 0.9, P(flagged | serious). triage_specificity : 0.85, P(cleared | routine).
    ai_cure_routine : 0.9, cure probability of a cleared routine patient treated locally with the
        tool's help (above the 0.85 routine primary rate: the tool supports diagnosis).
    triage_referral_min_grade : 2; flagged patients are referred directly to a hospital of at least
        this grade with capacity (chosen by the usual choice rule among those). 3 = tertiary only
        (falls back to grade 2 when no tertiary hospital has capacity).
    trust_bypass_reduction : 0.5; bypass probability is multiplied by ``1 - 0.5`` for patients
        whose nearest hospital has adopted the tool (restored trust).
    """

    # layout
    n_hospitals: int = 200
    grade_ratio: tuple[int, int, int] = (5, 4, 1)
    side_km: float = 200.0
    min_separation_km: float = 1.0
    capacity_ranges: tuple[tuple[int, int], ...] = ((50, 101), (101, 501), (501, 1201))
    cure_probability: tuple[float, float, float] = (0.75, 0.85, 0.95)
    grade_slope: float = 1.0
    initial_weight: float = 1.0
    # arrivals and visits
    mean_daily_patients: float = 41000.0
    sd_daily_patients: float = 200.0
    referral_limit: int = 4
    weight_history: float = 0.3
    weight_distance: float = 0.3
    days: int = 500
    strategy_days: int = 500
    # strategies and thresholding
    top_share: float = 0.05
    extra_capacity_share: float = 0.01
    key_node_extra: int | None = None
    # quirk switches
    readmit_lost_phase_a: bool = True
    readmit_lost_phase_b: bool = False
    phase_b_fallback: bool = True
    # severity, bypass, triage (issue 7)
    serious_share: float = 0.2
    severity_cure: bool = False
    cure_routine: tuple[float, float, float] = (0.85, 0.90, 0.96)
    cure_serious: tuple[float, float, float] = (0.35, 0.65, 0.91)
    bypass_share: float = 0.0
    triage_adoption: float = 0.0
    triage_sensitivity: float = 0.9
    triage_specificity: float = 0.85
    ai_cure_routine: float = 0.9
    triage_referral_min_grade: int = 2
    trust_bypass_reduction: float = 0.5

    def __post_init__(self) -> None:
        self.validate()

    # ------------------------------------------------------------------
    @property
    def weight_grade(self) -> float:
        """C = 1 - A - B, the weight of the grade preference (0.4 by default)."""
        return 1.0 - self.weight_history - self.weight_distance

    def replace(self, **changes) -> ReferralParams:
        """Return a copy with some values changed.

        Examples
        --------
        >>> ReferralParams().replace(referral_limit=2).referral_limit
        2
        """
        return dataclasses.replace(self, **changes)

    def validate(self) -> None:
        """Raise an error naming the first impossible value.

        Types, finiteness and ranges of the paper's fields raise
        :class:`~medkit.errors.ParameterError` (see :mod:`medkit.referral.param_checks`).
        """
        from medkit.referral.param_checks import check_fields

        check_fields(self)

        def bad(name, why):
            raise DataError(f"ReferralParams.{name} {why}", column=name)

        if self.n_hospitals < 3:
            bad("n_hospitals", f"must be at least 3, got {self.n_hospitals}")
        if len(self.grade_ratio) != 3 or min(self.grade_ratio) < 0 or sum(self.grade_ratio) <= 0:
            bad("grade_ratio", f"must be three non-negative numbers, got {self.grade_ratio}")
        if self.side_km <= 0:
            bad("side_km", "must be positive")
        if len(self.capacity_ranges) != 3 or any(
            lo < 0 or hi <= lo for lo, hi in self.capacity_ranges
        ):
            bad("capacity_ranges", "must be three (low, high) pairs with 0 <= low < high")
        for name in (
            "serious_share",
            "bypass_share",
            "triage_adoption",
            "triage_sensitivity",
            "triage_specificity",
            "ai_cure_routine",
            "trust_bypass_reduction",
            "top_share",
        ):
            v = getattr(self, name)
            if not 0.0 <= v <= 1.0:
                bad(name, f"must lie in [0, 1], got {v}")
        for name in ("cure_probability", "cure_routine", "cure_serious"):
            v = getattr(self, name)
            if len(v) != 3 or any(not 0.0 <= p <= 1.0 for p in v):
                bad(name, f"must be three probabilities, got {v}")
        if self.weight_history < 0 or self.weight_distance < 0 or self.weight_grade < -1e-12:
            bad("weight_history", "A, B and 1 - A - B must all be non-negative")
        if self.referral_limit < 0:
            bad("referral_limit", "must be non-negative")
        if self.days < 1 or self.strategy_days < 1:
            bad("days", "must be at least 1")
        if self.triage_referral_min_grade not in (2, 3):
            bad("triage_referral_min_grade", "must be 2 or 3")

    # ------------------------------------------------------------------ presets
    @classmethod
    def paper(cls, **changes) -> ReferralParams:
        """The paper's scale: 200 hospitals, 41,000 patients a day, T = 500 (the defaults)."""
        return cls(**changes)

    @classmethod
    def small(cls, **changes) -> ReferralParams:
        """A reduced scale for widgets and lessons (about a second a run).

        50 hospitals (25/20/5) on a 100 km square (the same hospital density, so the ~7 km
        initial area is kept; referral ranges scale with the side), 10,250 patients a day (the
        same load per unit of capacity, so losses and referral shares keep their pattern) and
        T = 200 days.

        Examples
        --------
        >>> p = ReferralParams.small()
        >>> p.n_hospitals, p.side_km, p.mean_daily_patients
        (50, 100.0, 10250.0)
        """
        base = dict(
            n_hospitals=50,
            side_km=100.0,
            mean_daily_patients=10250.0,
            sd_daily_patients=100.0,
            days=200,
            strategy_days=200,
        )
        base.update(changes)
        return cls(**base)

    @classmethod
    def siphoning(cls, **changes) -> ReferralParams:
        """The "siphoning" scenario: 30 % of patients near a primary hospital bypass it.

        Fu & Lu describe patients who distrust primary care and go straight to higher-tier
        hospitals; the 30 % is an assumption for illustration. Severity-dependent cure is on.
        """
        base = dict(bypass_share=0.3, severity_cure=True)
        base.update(changes)
        return cls(**base)

    @classmethod
    def triage(cls, **changes) -> ReferralParams:
        """Digital triage at half the primary hospitals on top of the siphoning scenario.

        Defaults of the tool (sensitivity 0.9, specificity 0.85, AI-assisted routine cure 0.9,
        trust restores half the bypass) are assumptions, not findings.
        """
        base = dict(bypass_share=0.3, severity_cure=True, triage_adoption=0.5)
        base.update(changes)
        return cls(**base)
