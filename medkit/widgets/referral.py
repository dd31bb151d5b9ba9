"""Widgets for Lesson 05 (the referral model) and the plain functions behind them.

Plain, tested functions:

* :func:`choice_probabilities` -- the referral choice rule (spec V4) for one patient;
* :func:`trace_patients` -- a step-by-step, pure-Python trace of a handful of patients (spec
  E10, V1-V6) on a small plane, for the step-through widget;
* :func:`run_scenario` -- one reduced-scale Phase-A run with chosen weights, cure probabilities
  and capacities, summarised by grade (the slider widget);
* :func:`paper_comparison` -- the paper's numbers next to a reduced-scale experiment, raw and
  scaled to the size of the plane and of the network.

Widget builders (thin ipywidgets): :func:`patient_trace_widget`, :func:`scenario_widget`.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from medkit.errors import DataError
from medkit.plots.referral import plot_scenario, plot_trace_step
from medkit.referral import (
    ReferralParams,
    communities,
    grade_metrics,
    grade_pair_shares,
    make_layout,
    run_evolution,
    stable_network,
)
from medkit.referral.reproduce import PAPER

PAPER_STABILITY_MAX = {"topological": 0.079, "weight": 0.083}
"""Largest distances between the paper's networks at T = 500...1000 (spec section 7)."""
PAPER_COMMUNITIES = 5
PAPER_LOST_SHARE = 0.2
"""Phase-A lost patients, % of patients: 38k-50k of 20.5 M per run (spec section 7, re-run)."""


# --- the rules, one patient at a time ---------------------------------------------------------
def toy_layout(seed: int = 0):
    """A tiny plane for the step-through: 12 hospitals on 40 km with a few slots each.

    Examples
    --------
    >>> lay = toy_layout()
    >>> lay.n_hospitals, lay.side_km
    (12, 40.0)
    """
    p = ReferralParams(n_hospitals=12, side_km=40.0, capacity_ranges=((1, 2), (1, 3), (2, 4)))
    return make_layout(p, seed=seed)


def choice_probabilities(h: int, free, weights, layout, params=None) -> np.ndarray:
    """Probability that a patient leaving hospital ``h`` is referred to each hospital (V4).

    P(h->j) = A w_hj / sum w + B (1/d_hj) / sum(1/d) + C p_hj / sum p, the sums running over
    the candidates j != h with free capacity; a term whose sum is 0 is dropped and the mixture
    renormalised (as the authors' code, and :mod:`medkit.referral.reference`).

    Parameters
    ----------
    h : current hospital.
    free : free capacity of every hospital (only > 0 matters).
    weights : (N, N) historical referral weights w.
    layout : :class:`medkit.referral.Layout` (distances and grade preferences).
    params : :class:`ReferralParams` (A = ``weight_history``, B = ``weight_distance``).

    Returns
    -------
    numpy array (N,), zero for non-candidates; all zeros when no hospital has room.

    Examples
    --------
    >>> from medkit.referral import layout_from_arrays
    >>> lay = layout_from_arrays([1, 1, 3], [0, 10, 40], [0, 0, 0], [5, 5, 5], side_km=50)
    >>> w = 1.0 - np.eye(3)
    >>> p = choice_probabilities(0, [5, 5, 5], w, lay)
    >>> [round(float(v), 3) for v in p]
    [0.0, 0.535, 0.465]
    """
    params = params or ReferralParams(n_hospitals=layout.n_hospitals)
    free = np.asarray(free)
    n = layout.n_hospitals
    cand = free > 0
    cand[h] = False
    out = np.zeros(n)
    if not cand.any():
        return out
    a, b, c = params.weight_history, params.weight_distance, max(0.0, params.weight_grade)
    w = np.where(cand, np.asarray(weights, dtype=float)[h], 0.0)
    inv = np.where(cand, layout.inverse_distance[h], 0.0)
    pref = np.where(cand, layout.preference[h], 0.0)
    total = 0.0
    for coef, term in ((a, w), (b, inv), (c, pref)):
        s = term.sum()
        if s > 0 and coef > 0:
            out += coef * term / s
            total += coef
    if total <= 0:
        return out
    return out / total


def trace_patients(
    layout, params=None, *, n_patients: int = 6, weights=None, free=None, seed=0
) -> pd.DataFrame:
    """Follow a few patients, one visit per row, through the rules of Phase A (E10, V1-V6).

    Patients arrive one after another on the same day, at uniform random places; each goes to
    the nearest hospital. A hospital with a free slot treats the patient (using the slot) who is
    cured with the grade's probability; a full hospital refers without treatment. A patient not
    cured is referred by :func:`choice_probabilities` (the referral adds 1 to w), at most
    ``referral_limit`` times; then, or when no hospital has room, the patient is lost.
    Plain Python with its own seeded generator: the rules of the compiled kernel, not its
    random stream.

    Returns
    -------
    DataFrame, one row per visit: patient, visit (0 = first hospital), px, py (patient),
    hospital, grade, distance_km (from the patient or the previous hospital), free_before (array:
    free slots of every hospital at that moment), treated, cured, probabilities (array or None),
    next_hospital (-1 if none), action ("cured", "referred", "lost") and reason.

    Examples
    --------
    >>> t = trace_patients(toy_layout(), n_patients=3, seed=1)
    >>> set(t["action"]) <= {"cured", "lost", "referred"}
    True
    >>> int(t["patient"].max())
    2
    """
    params = params or ReferralParams(n_hospitals=layout.n_hospitals)
    rng = np.random.default_rng(seed)
    n = layout.n_hospitals
    W = np.ones((n, n)) * params.initial_weight if weights is None else np.array(weights, float)
    np.fill_diagonal(W, 0.0)
    F = (layout.capacity if free is None else np.asarray(free)).astype(np.int64).copy()
    cure = np.asarray(params.cure_probability)[layout.grade - 1]
    rows = []
    for k in range(n_patients):
        px, py = rng.uniform(0, layout.side_km, 2)
        d = np.hypot(layout.x - px, layout.y - py)
        h = int(np.argmin(d))
        dist = float(d[h])
        r = 0
        while True:
            row = {"patient": k, "visit": r, "px": px, "py": py, "hospital": h,
                   "grade": int(layout.grade[h]), "distance_km": dist, "free_before": F.copy(),
                   "treated": False, "cured": False, "probabilities": None,
                   "next_hospital": -1}  # fmt: skip
            if F[h] > 0:
                F[h] -= 1
                row["treated"] = True
                if rng.random() < cure[h]:
                    row.update(cured=True, action="cured", reason="treated and cured")
                    rows.append(row)
                    break
                why = "treated, not cured"
            else:
                why = "full: no treatment"
            r += 1
            if r > params.referral_limit:
                row.update(action="lost", reason=f"{why}; referral limit reached")
                rows.append(row)
                break
            probs = choice_probabilities(h, F, W, layout, params)
            row["probabilities"] = probs
            if probs.sum() <= 0:
                row.update(action="lost", reason=f"{why}; no hospital has room")
                rows.append(row)
                break
            cum = np.cumsum(probs)
            j = int(min(np.searchsorted(cum, rng.random() * cum[-1], side="right"), n - 1))
            W[h, j] += 1.0
            row.update(next_hospital=j, action="referred", reason=f"{why}; referred")
            rows.append(row)
            dist = float(layout.distance[h, j])
            h = j
    return pd.DataFrame(rows)


def describe_step(trace: pd.DataFrame, step: int) -> str:
    """One line of text for a row of :func:`trace_patients`.

    Examples
    --------
    >>> t = trace_patients(toy_layout(), n_patients=1, seed=1)
    >>> describe_step(t, 0).startswith("Patient 1")
    True
    """
    row = trace.iloc[step]
    names = {1: "primary", 2: "secondary", 3: "tertiary"}
    how = "nearest hospital" if row["visit"] == 0 else "referred here"
    free = int(row["free_before"][row["hospital"]])
    text = (
        f"Patient {int(row['patient']) + 1}, visit {int(row['visit']) + 1}: hospital "
        f"{int(row['hospital'])} ({names[int(row['grade'])]}, {how}, "
        f"{row['distance_km']:.1f} km), {free} free slot{'' if free == 1 else 's'}. "
        f"{row['reason'].capitalize()}."
    )
    if row["action"] == "referred":
        p = row["probabilities"][row["next_hospital"]]
        text += f" Chosen: hospital {int(row['next_hospital'])} (probability {p:.0%})."
    return text


def patient_trace_widget(
    layout=None, params=None, *, n_patients: int = 6, seed=0, preview: bool = True
):
    """A step slider through :func:`trace_patients`, drawn by :func:`plot_trace_step`.

    The first step is drawn first as a static figure (a reader of the saved notebook sees
    it); ``preview=False`` draws it only inside the widget.

    Examples
    --------
    In a notebook (tests build it without a browser)::

        patient_trace_widget(n_patients=6, seed=0)
    """
    from medkit.widgets._preview import PreviewInteractive, int_slider

    layout = layout if layout is not None else toy_layout()
    trace = trace_patients(layout, params, n_patients=n_patients, seed=seed)

    def show(step: int) -> None:
        plot_trace_step(layout, trace, step)
        plt.show()
        print(describe_step(trace, step))

    return PreviewInteractive(
        show,
        summary=f"Widget: a slider through the {len(trace)} steps of {n_patients} patients' "
        "visits and referrals (its first step is the figure above).",
        preview=preview,
        step=int_slider(0, 0, len(trace) - 1, 1, "step of the patients' journey",
                        continuous_update=True),
    )  # fmt: skip


# --- the reduced-scale model under sliders ----------------------------------------------------
@dataclass
class Scenario:
    """One reduced-scale run: ``grades`` (per-grade means), ``pairs`` (grade-pair shares, %),
    ``totals`` (patients, referrals, lost), ``params``."""

    grades: pd.DataFrame
    pairs: pd.DataFrame
    totals: pd.Series
    params: ReferralParams


def run_scenario(
    weight_history: float = 0.3,
    weight_distance: float = 0.3,
    cure_probability=(0.75, 0.85, 0.95),
    capacity_scale=(1.0, 1.0, 1.0),
    *,
    days: int = 100,
    full_scale: bool = False,
    layout_seed: int = 1,
    seed=0,
) -> Scenario:
    """Phase A with chosen choice weights, cure probabilities and capacities, summarised.

    Parameters
    ----------
    weight_history, weight_distance : A and B; the grade weight is C = 1 - A - B (A + B <= 1).
    cure_probability : three cure probabilities (primary, secondary, tertiary).
    capacity_scale : three multipliers of the daily visit limits by grade (at least 1 slot).
    days : days of Phase A (the network is the top-5 % edges at the end).
    full_scale : False = ``ReferralParams.small()`` (50 hospitals); True = the paper's scale.
    layout_seed, seed : the layout's and the run's seeds.

    Returns
    -------
    :class:`Scenario` with per-grade means of in_degree, out_degree, received_volume,
    in_edge_distance and lost_patients on the run's top-5 % network.

    Examples
    --------
    >>> s = run_scenario(days=20, seed=1)
    >>> list(s.grades.index), bool(s.grades.loc[3, "in_degree"] > s.grades.loc[1, "in_degree"])
    ([1, 2, 3], True)
    """
    base = ReferralParams.paper() if full_scale else ReferralParams.small()
    params = base.replace(
        weight_history=float(weight_history),
        weight_distance=float(weight_distance),
        cure_probability=tuple(float(c) for c in cure_probability),
        days=int(days),
    )
    scale = np.asarray(capacity_scale, dtype=float)
    if scale.shape != (3,) or (scale < 0).any():
        raise DataError("capacity_scale must be three non-negative multipliers")
    layout = make_layout(params, seed=layout_seed)
    cap = np.maximum(1, np.round(layout.capacity * scale[layout.grade - 1])).astype(np.int64)
    layout = layout.with_capacity(cap)
    run = run_evolution(layout, params, seed=seed)
    g = stable_network([run], params.top_share)
    cols = ["in_degree", "out_degree", "received_volume", "in_edge_distance", "lost_patients"]
    grades = grade_metrics(g)[cols]
    pairs = grade_pair_shares(run.referrals, layout.grade)
    c = run.counters
    totals = pd.Series(
        {
            "patients": c["patients"],
            "referrals": c["referrals"],
            "lost": c["lost"],
            "referrals_per_patient": c["referrals"] / max(1, c["patients"]),
        }
    )
    return Scenario(grades, pairs, totals, params)


def scenario_widget(*, days: int = 100, full_scale: bool = False, seed=0, preview: bool = True):
    """Sliders for A, B (C = 1 - A - B), the cure probabilities and capacity multipliers.

    Each change reruns :func:`run_scenario` (about half a second at the reduced scale) and
    redraws :func:`medkit.plots.referral.plot_scenario`. The default run is drawn first as a
    static figure (a reader of the saved notebook sees it); ``preview=False`` draws it only
    inside the widget.

    Examples
    --------
    In a notebook (tests build it without a browser)::

        scenario_widget(days=100)
    """
    from medkit.widgets._preview import PreviewInteractive, float_slider

    def slider(value, lo, hi, step, label):
        return float_slider(value, lo, hi, step, label)

    def show(a, b, cure1, cure2, cure3, cap1, cap2, cap3) -> None:
        if a + b > 1 + 1e-9:
            print(f"A + B = {a + b:.2f} > 1: the grade weight C = 1 - A - B would be negative.")
            return
        s = run_scenario(a, b, (cure1, cure2, cure3), (cap1, cap2, cap3), days=days,
                         full_scale=full_scale, seed=seed)  # fmt: skip
        plot_scenario(s.grades, s.pairs)
        plt.show()
        t = s.totals
        print(
            f"A = {a:.2f}, B = {b:.2f}, C = {1 - a - b:.2f}: {t['referrals_per_patient']:.2f} "
            f"referrals per patient, {int(t['lost'])} patients lost over {days} days."
        )

    return PreviewInteractive(
        show,
        summary="Widget: sliders for the choice weights A and B, the cure probabilities and "
        "the capacity of each grade, rerunning a reduced-scale model (its default run is the "
        "figure above).",
        preview=preview,
        a=slider(0.3, 0.0, 1.0, 0.05, "A: weight of referral history"),
        b=slider(0.3, 0.0, 1.0, 0.05, "B: weight of distance"),
        cure1=slider(0.75, 0.3, 1.0, 0.05, "cure probability of primary (g1) hospitals"),
        cure2=slider(0.85, 0.3, 1.0, 0.05, "cure probability of secondary (g2) hospitals"),
        cure3=slider(0.95, 0.3, 1.0, 0.05, "cure probability of tertiary (g3) hospitals"),
        cap1=slider(1.0, 0.25, 3.0, 0.25, "capacity of primary (g1) hospitals, x"),
        cap2=slider(1.0, 0.25, 3.0, 0.25, "capacity of secondary (g2) hospitals, x"),
        cap3=slider(1.0, 0.25, 3.0, 0.25, "capacity of tertiary (g3) hospitals, x"),
    )


# --- paper vs reduced scale --------------------------------------------------------------------
def paper_comparison(experiment, stability: pd.DataFrame | None = None) -> pd.DataFrame:
    """The paper's results (spec section 7) next to an experiment, raw and scale-free.

    Degrees are also given relative to the mean degree of a top-5 % network (0.05 (N - 1):
    9.95 at 200 hospitals, 2.45 at 50) and distances relative to the side of the plane, so that
    a reduced-scale experiment can be compared with the paper on patterns, not raw sizes.

    Returns a DataFrame with columns quantity, paper, medkit and kept: True/False where the
    pattern is comparable across scales (scale-free ratios within 25 %, first-visit areas within
    15 %, communities within 1, shares within 3 points, yes/no patterns equal, stability
    distances below 0.1), "n/a" for raw sizes that depend on the scale.

    Examples
    --------
    See Lesson 05; ``experiment`` is :func:`medkit.referral.experiment.run_experiment`'s result.
    """
    paper = ReferralParams.paper()
    p = experiment.params
    gm = grade_metrics(experiment.stable)
    area = experiment.grade_table().set_index(["grade", "measure"])["mean"]
    mean_deg_paper = paper.top_share * (paper.n_hospitals - 1)
    mean_deg = p.top_share * (p.n_hospitals - 1)
    rows = []

    def close(rel=None, absolute=None):
        def rule(pv, mv):
            return abs(mv - pv) <= (rel * abs(pv) if rel is not None else 0) + (absolute or 0)

        return rule

    def add(q, pv, mv, rule=None):
        if rule is None:
            kept = "n/a"
        elif rule == "equal":
            kept = pv == mv
        else:
            kept = bool(rule(float(pv), float(mv)))
        rows.append({"quantity": q, "paper": pv, "medkit": mv, "kept": kept})

    def yes(flag):
        return "yes" if flag else "no"

    add("hospitals", paper.n_hospitals, p.n_hospitals)
    add("side of the plane (km)", paper.side_km, p.side_km)
    add("mean degree of the top-5 % network", mean_deg_paper, mean_deg)
    for metric, label in (("in_degree", "in-degree"), ("out_degree", "out-degree")):
        for g in (1, 2, 3):
            add(f"{label}, grade {g}", PAPER[metric][g - 1], gm.loc[g, metric])
        for g in (1, 2, 3):
            add(f"{label} / mean degree, grade {g}", PAPER[metric][g - 1] / mean_deg_paper,
                gm.loc[g, metric] / mean_deg, close(0.25, 0.1))  # fmt: skip
    add("in-degree rises with grade", "yes",
        yes(gm["in_degree"].is_monotonic_increasing), "equal")  # fmt: skip
    add("out-degree falls with grade", "yes",
        yes(gm["out_degree"].is_monotonic_decreasing), "equal")  # fmt: skip
    for g in (2, 3):
        pv, mv = PAPER["in_edge_distance"][g - 1], gm.loc[g, "in_edge_distance"]
        add(f"referral service range, grade {g} (km)", pv, mv)
        add(f"referral service range / side, grade {g}", pv / paper.side_km, mv / p.side_km,
            close(0.25))  # fmt: skip
    expected_area = 0.5 * np.sqrt(paper.side_km**2 / paper.n_hospitals)
    for g in (1, 2, 3):
        add(f"initial consultation area, grade {g} (km)", expected_area,
            area[(g, "initial_area")], close(0.15))  # fmt: skip
    add("communities (Louvain, small ones merged)", PAPER_COMMUNITIES,
        communities(experiment.stable).nunique(), close(absolute=1))  # fmt: skip
    lost_share = np.mean([100 * r.counters["lost"] / r.counters["patients"]
                          for r in experiment.phase_a])  # fmt: skip
    add("phase A: lost patients (% of patients)", PAPER_LOST_SHARE, lost_share,
        lambda pv, mv: pv / 3 <= mv <= 3 * pv)  # fmt: skip
    lp = [area[(g, "lost_patients")] for g in (1, 2, 3)]
    add("phase A: LP rises with grade", "yes", yes(lp[0] < lp[1] < lp[2]), "equal")
    add("phase A: LP highest at tertiary", "yes", yes(lp[2] == max(lp)), "equal")
    if experiment.phase_b:
        ps = experiment.pair_share_table()
        sel = ps[ps["strategy"] != "baseline"].groupby("pair")["mean"].mean()
        for pair, pv in PAPER["pair_shares"].items():
            add(f"phase B share {pair} (%)", pv, sel.loc[pair], close(absolute=3.0))
        st = experiment.strategy_table().set_index(["strategy", "measure"])["mean"]
        if "core" in experiment.phase_b and "bottleneck" in experiment.phase_b:
            add(
                "phase B: bottleneck fewer referrals than core",
                "yes",
                yes(st[("bottleneck", "referrals")] < st[("core", "referrals")]),
                "equal",
            )
            add(
                "phase B: bottleneck fewer lost patients than core",
                "yes",
                yes(st[("bottleneck", "lost_total")] < st[("core", "lost_total")]),
                "equal",
            )
            # fmt: skip
    if stability is not None and len(stability):
        for col in ("topological", "weight"):
            add(f"largest {col} distance between T", PAPER_STABILITY_MAX[col],
                float(stability[col].max()), lambda pv, mv: mv < 0.1)  # fmt: skip
    out = pd.DataFrame(rows)
    for col in ("paper", "medkit"):
        out[col] = [_tidy(v) for v in out[col]]
    return out


def _tidy(value):
    """Numbers rounded to 3 decimals (ints stay ints), text unchanged, all as objects."""
    if isinstance(value, bool | str):
        return value
    v = float(value)
    return int(v) if v.is_integer() else round(v, 3)
