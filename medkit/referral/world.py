"""The Fu & Lu world: calibrating the referral model's premise to published occupancy figures.

Fu & Lu's hypothesis H3 is about a system in which high-tier hospitals overflow while primary care
sits idle. Yang et al.'s region is the opposite (every primary hospital is full every day), so a
test of H3 needs a world that holds the premise. :meth:`ReferralParams.fulu_world` is that world;
this module holds the figures it is calibrated to, the calibration of capacities by grade, and the
table that puts the model's baseline next to the real figures.

Published figures (all cited where they are used)
-------------------------------------------------
* Fu & Lu (2025), Front. Public Health, doi 10.3389/fpubh.2025.1613293: bed occupancy 78.2 % in
  high-tier hospitals and 52.1 % in primary care facilities (2021, their Figure 3); in Zhejiang,
  community health service centres 42.69 % and clinics 37.86 % (2021, their Figure 5).
* National Health Commission, China Health Statistics Yearbook: tertiary hospitals 85.3 % (2021)
  and 79.8 % (2022); in 2010 tertiary 102.9 %, secondary 87.3 %, first-level hospitals 56.7 %,
  community health centres 56.1 %, township health centres 59.0 %. In 2021 primary-level
  institutions had 50.2 % of all visits.
* CHARLS analyses: about two in five patients aged 45+ bypass primary care.

The calibration targets these premises (occupancy by grade, bypass), never a verdict about
triage: the triage tool is switched off during calibration and plays no part in it.

Command line: ``python -m medkit.referral.world --scale small|paper`` re-runs the calibration and
prints the factors stored in ``medkit.referral.params.FULU_CAPACITY_SCALE``.
"""

from __future__ import annotations

import argparse
import math

import numpy as np
import pandas as pd

from medkit.errors import DataError
from medkit.referral.layout import make_layout
from medkit.referral.model import run_evolution
from medkit.referral.params import ReferralParams

OCCUPANCY_FIGURES = pd.DataFrame(
    [
        ("high-tier hospitals", 3, 0.782, 2021, "Fu & Lu (2025), Figure 3"),
        ("primary care facilities", 1, 0.521, 2021, "Fu & Lu (2025), Figure 3"),
        ("Zhejiang community health centres", 1, 0.4269, 2021, "Fu & Lu (2025), Figure 5"),
        ("Zhejiang clinics", 1, 0.3786, 2021, "Fu & Lu (2025), Figure 5"),
        ("tertiary hospitals", 3, 0.853, 2021, "NHC statistics yearbook"),
        ("tertiary hospitals", 3, 0.798, 2022, "NHC statistics yearbook"),
        ("tertiary hospitals", 3, 1.029, 2010, "NHC statistics yearbook"),
        ("secondary hospitals", 2, 0.873, 2010, "NHC statistics yearbook"),
        ("first-level hospitals", 1, 0.567, 2010, "NHC statistics yearbook"),
        ("community health centres", 1, 0.561, 2010, "NHC statistics yearbook"),
        ("township health centres", 1, 0.590, 2010, "NHC statistics yearbook"),
    ],
    columns=["facility", "grade", "bed_occupancy", "year", "source"],
)
"""Real bed-occupancy figures the Fu & Lu world is set against (shares, not percentages)."""

PRIMARY_VISIT_SHARE_2021 = 0.502
"""Share of all visits at primary-level institutions in 2021 (NHC statistics)."""
BYPASS_SHARE_45PLUS = 0.4
"""About two in five patients aged 45+ bypass primary care (CHARLS analyses)."""
GATEKEEPING_EFFECTS = {"primary-care visits": 0.553, "hospital visits": -0.239}
"""External effect sizes to compare against, not to tune to: a Chinese gatekeeping pilot
(difference-in-differences) raised primary-care visits by 55.3 % and cut hospital visits by
23.9 %."""
SYMPTOM_CHECKER_ACCURACY = 0.57
"""Online symptom checkers triage appropriately in about 57 % of cases (Semigran et al., BMJ
2015;351:h3480): the accuracy of the 'realistic' tool."""

OCCUPANCY_TOLERANCE = 0.03
"""The calibrated baseline's utilisation by grade, averaged over the three calibration layouts,
hits its target within 0.03 (absolute)."""
OCCUPANCY_LAYOUT_TOLERANCE = 0.08
"""Any single layout's utilisation by grade lies within 0.08 of the target (layouts differ in
how many patients live near each primary hospital)."""


def _check_targets(targets) -> tuple[float, float, float]:
    t = tuple(float(v) for v in targets)
    if len(t) != 3 or not all(math.isfinite(v) and 0 < v <= 1.2 for v in t):
        raise DataError(
            f"occupancy targets must be three values in (0, 1.2], got {tuple(targets)}",
        )
    return t


def scaled_params(params: ReferralParams, factors, reference: ReferralParams) -> ReferralParams:
    """``params`` with ``reference``'s capacity ranges multiplied by one factor per grade.

    Examples
    --------
    >>> p = ReferralParams.small()
    >>> scaled_params(p, (2.0, 1.0, 0.5), p).capacity_ranges
    ((100, 202), (101, 501), (250, 600))
    """
    ranges = tuple(
        (max(1, round(lo * f)), max(2, round(hi * f)))
        for (lo, hi), f in zip(reference.capacity_ranges, factors, strict=True)
    )
    return params.replace(capacity_ranges=ranges)


def baseline_utilisation(
    params: ReferralParams, *, layout_seeds=(1, 2, 3), days: int | None = None, seed: int = 0
) -> pd.DataFrame:
    """Utilisation by grade (and bypass share) of baseline runs, one row per layout seed.

    Examples
    --------
    >>> p = ReferralParams.fulu_world("small")
    >>> u = baseline_utilisation(p, layout_seeds=(1,), days=5)
    >>> list(u.columns)
    ['layout', 'utilisation_g1', 'utilisation_g2', 'utilisation_g3', 'bypass_share', 'imbalance_index']
    """
    rows = []
    for ls in layout_seeds:
        lay = make_layout(params, seed=ls)
        res = run_evolution(lay, params, days=days, seed=seed)
        m = res.measures()
        c = res.counters
        rows.append(
            {
                "layout": ls,
                "utilisation_g1": m["utilisation_g1"],
                "utilisation_g2": m["utilisation_g2"],
                "utilisation_g3": m["utilisation_g3"],
                "bypass_share": c["bypassed"] / max(1, c["nearest_primary"]),
                "imbalance_index": m["utilisation_g3"] / m["utilisation_g1"],
            }
        )
    return pd.DataFrame(rows)


def calibrate_capacities(
    params: ReferralParams,
    *,
    targets=None,
    reference: ReferralParams | None = None,
    layout_seeds=(1, 2, 3),
    days: int = 100,
    iterations: int = 8,
    start=(1.0, 1.0, 1.0),
    seed: int = 0,
) -> tuple[float, float, float]:
    """Capacity factors by grade that bring baseline utilisation to ``targets``.

    A fixed-point iteration on the capacity of each grade: run the baseline (no triage tool) on
    each layout seed, measure mean utilisation ``U_g`` by grade and set
    ``k_g <- k_g * (U_g / target_g) ** 0.8``: a grade fuller than its target gets more capacity,
    an emptier one less, with a damping exponent because capacity at one grade changes demand at
    the others (turn-aways, referrals, learnt trust). Capacity ranges are ``reference``'s
    (Yang et al.'s) times ``k_g``.

    Parameters
    ----------
    params : the world to calibrate (its own capacity ranges are ignored); must have
        ``triage_adoption = 0``.
    targets : utilisation by grade, default ``params.occupancy_targets`` (0.521, 0.80, 0.853);
        each in (0, 1.2].
    reference : whose capacity ranges are scaled, default Yang et al.'s at the same size.
    layout_seeds, days, iterations, seed : what the baseline runs are.
    start : factors to start from (for example the small scale's when calibrating the paper's).

    Returns
    -------
    (k1, k2, k3), rounded to 3 decimals.

    Examples
    --------
    >>> p = ReferralParams.fulu_world("small")
    >>> calibrate_capacities(p, targets=(0.5, 0.8, 2.0))
    Traceback (most recent call last):
    ...
    medkit.errors.DataError: occupancy targets must be three values in (0, 1.2], got (0.5, 0.8, 2.0)
    """
    targets = _check_targets(params.occupancy_targets if targets is None else targets)
    if params.triage_adoption != 0:
        raise DataError("calibrate_capacities calibrates the baseline: set triage_adoption=0",
                        column="triage_adoption")  # fmt: skip
    if reference is None:
        reference = ReferralParams(n_hospitals=params.n_hospitals)
    k = np.asarray(start, dtype=float)
    for _ in range(int(iterations)):
        p = scaled_params(params, k, reference)
        u = baseline_utilisation(p, layout_seeds=layout_seeds, days=days, seed=seed)
        used = u[["utilisation_g1", "utilisation_g2", "utilisation_g3"]].mean().to_numpy()
        k = k * (used / np.asarray(targets)) ** 0.8
    return tuple(round(float(v), 3) for v in k)


def premise_table(
    scale: str = "small", *, layout_seeds=(1, 2, 3), days: int | None = None, seed: int = 0
) -> pd.DataFrame:
    """Baseline utilisation by grade in both worlds, next to the real figures and the targets.

    Rows: grade 1-3; columns: ``yang`` and ``fulu`` (mean utilisation over layout seeds of the
    baseline, no triage tool), ``target`` (the Fu & Lu world's), ``real`` (the 2021 figure used
    as target: Fu & Lu's 52.1 % for primary care, NHC 85.3 % for tertiary; secondary: the middle
    of 0.75-0.85).

    Examples
    --------
    >>> t = premise_table("small", layout_seeds=(1,), days=5)
    >>> list(t.columns)
    ['grade', 'yang', 'fulu', 'target']
    """
    from medkit.referral.triage import scenario

    cols = ["utilisation_g1", "utilisation_g2", "utilisation_g3"]
    yang = baseline_utilisation(scenario(scale), layout_seeds=layout_seeds, days=days, seed=seed)
    fulu_p = ReferralParams.fulu_world(scale)
    fulu = baseline_utilisation(fulu_p, layout_seeds=layout_seeds, days=days, seed=seed)
    return pd.DataFrame(
        {
            "grade": ["primary", "secondary", "tertiary"],
            "yang": yang[cols].mean().to_numpy(),
            "fulu": fulu[cols].mean().to_numpy(),
            "target": list(fulu_p.occupancy_targets),
        }
    )


def main(argv=None) -> int:
    """Re-run the capacity calibration of the Fu & Lu world and print the factors."""
    ap = argparse.ArgumentParser(prog="python -m medkit.referral.world",
                                 description="Calibrate the Fu & Lu world's capacities by grade.")  # fmt: skip
    ap.add_argument("--scale", choices=["small", "paper"], default="small")
    ap.add_argument("--days", type=int, default=100)
    ap.add_argument("--iterations", type=int, default=8)
    ap.add_argument("--layouts", type=int, default=3)
    ap.add_argument("--start", type=float, nargs=3, default=(1.0, 1.0, 1.0))
    a = ap.parse_args(argv)
    p = ReferralParams.fulu_world(a.scale)
    seeds = tuple(range(1, a.layouts + 1))
    k = calibrate_capacities(p, days=a.days, iterations=a.iterations, start=a.start,
                             layout_seeds=seeds)  # fmt: skip
    print(f"FULU_CAPACITY_SCALE[{a.scale!r}] = {k}")
    ref = ReferralParams(n_hospitals=p.n_hospitals)
    check = baseline_utilisation(scaled_params(p, k, ref), days=a.days, layout_seeds=seeds)
    print(check.round(3).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
