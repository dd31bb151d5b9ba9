"""Paper vs medkit: the comparison table of spec section 7, produced by code."""

from __future__ import annotations

import numpy as np
import pandas as pd

from medkit.referral.analysis import grade_metrics, grade_pair_shares, stable_network
from medkit.referral.experiment import Experiment, _pool_map, run_experiment, run_stability
from medkit.referral.layout import paper_like_layout
from medkit.referral.model import seed_sequence
from medkit.referral.params import ReferralParams

STRUCTURE = ("in_degree", "out_degree", "in_edge_distance", "initial_area", "lost_patients")


def layout_ensemble(
    params=None,
    *,
    layouts: int = 10,
    phase_b: bool = True,
    n_jobs: int = 2,
    progress: bool = True,
    seed: int = 2025,
    executor=None,
) -> pd.DataFrame:
    """One Phase-A run on each of ``layouts`` paper-like layouts; per-grade structure per layout.

    The paper's structure numbers come from one layout (the authors'); per-grade metrics vary
    between layouts more than between runs on one layout (for example the grade-2 in-degree or
    the 1->3 share depend on where the tertiary hospitals happen to fall). This gives the spread
    over layouts to compare with. Returns a tidy frame: layout, grade and the metrics of
    :func:`grade_metrics` on each run's top-5 % network; with ``phase_b`` also one Phase-B
    baseline run per layout on that network, its grade-pair shares in columns ``share_1->3``, ...
    (repeated on the layout's three rows).
    """  # fmt: skip
    params = params or ReferralParams()
    ss = seed_sequence(seed)
    lays = [paper_like_layout(params, seed=int(seed) + 1000 * (k + 1)) for k in range(layouts)]
    jobs = [
        ("A", (lay, params), dict(seed=c)) for lay, c in zip(lays, ss.spawn(layouts), strict=True)
    ]
    res = _pool_map(jobs, n_jobs, progress, "layouts", executor)
    nets = [stable_network([r], params.top_share) for r in res]
    shares = [None] * layouts
    if phase_b:
        jobs = [("B", (lay, net, "baseline", params), dict(seed=c))
                for lay, net, c in zip(lays, nets, ss.spawn(layouts), strict=True)]  # fmt: skip
        shares = [grade_pair_shares(r.referrals, r.layout.grade).set_index("pair")["share"]
                  for r in _pool_map(jobs, n_jobs, progress, "layouts, phase B", executor)]  # fmt: skip
    frames = []
    for k, net in enumerate(nets):
        gm = grade_metrics(net).reset_index()
        gm.insert(0, "layout", k)
        if shares[k] is not None:
            for pair, v in shares[k].items():
                gm[f"share_{pair}"] = v
        frames.append(gm)
    return pd.concat(frames, ignore_index=True)


PAPER = {
    "in_degree": (0.03, 5.8, 76.2),
    "out_degree": (12.4, 8.8, 2.5),
    "in_edge_distance": (0.0, 24.8, 90.8),
    "pair_shares": {"1->3": 37.0, "1->2": 25.0, "2->3": 18.0, "2->2": 11.0},
}


def _row(quantity, paper, value, low=np.nan, high=np.nan, criterion="", ok=None, source=""):
    return {"quantity": quantity, "paper": paper, "medkit": value, "low": low, "high": high,
            "criterion": criterion, "ok": ok, "source": source}  # fmt: skip


def reproduction_table(
    experiment: Experiment,
    stability: pd.DataFrame | None = None,
    layouts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Compare an experiment with the paper's results (spec section 7).

    Structure metrics are read on the merged stable network (mean weights of the Phase-A runs,
    top 5 %), as in the paper; ``low``/``high`` give the 95 % interval over per-run networks where
    it applies. ``ok`` states whether each criterion holds. ``stability`` is the table of
    :func:`~medkit.referral.run_stability` (optional). With ``layouts`` (from
    :func:`layout_ensemble`) the per-grade structure rows are the mean over layouts, ``low`` and
    ``high`` their min and max, and ``ok`` holds when the paper's value lies within that range or
    the tolerance; the experiment's single-layout value is in ``one_layout``.
    """
    rows = []
    if layouts is not None:
        return _with_layouts(experiment, stability, layouts)
    gm = grade_metrics(experiment.stable)
    per_run = experiment.grade_table().set_index(["grade", "measure"])
    tol = {"in_degree": 0.5, "out_degree": 0.5, "in_edge_distance": 0.1}
    for metric, paper_vals in (("in_degree", PAPER["in_degree"]), ("out_degree", PAPER["out_degree"]),
                               ("in_edge_distance", PAPER["in_edge_distance"])):  # fmt: skip
        for g in (1, 2, 3):
            v = float(gm.loc[g, metric])
            pv = paper_vals[g - 1]
            lo, hi = per_run.loc[(g, metric), ["low", "high"]]
            if metric == "in_edge_distance":
                ok = abs(v - pv) <= max(2.0, tol[metric] * pv)
                crit = "within 10 % (2 km)"
            else:
                ok = abs(v - pv) <= max(tol[metric], 0.05 * pv)
                crit = "within 0.5 (5 %)"
            rows.append(_row(f"{metric} grade {g}", pv, v, lo, hi, crit, ok, "stable network"))
    area = experiment.grade_table().set_index(["grade", "measure"])
    for g in (1, 2, 3):
        v, lo, hi = area.loc[(g, "initial_area"), ["mean", "low", "high"]]
        rows.append(_row(f"initial area grade {g} (km)", "6.5-7 (~7)", v, lo, hi, "6.0-7.5",
                         bool(6.0 <= v <= 7.5), "phase A runs"))  # fmt: skip
    n_comm = int(experiment.communities().nunique())
    rows.append(_row("communities (Louvain, seed 123)", 5, n_comm, criterion="5 (4-6)",
                     ok=4 <= n_comm <= 6, source="stable network"))  # fmt: skip
    lp = area.xs("lost_patients", level="measure")["mean"]
    rows.append(_row("LP per hospital g1 < g2 < g3 (phase A)", "rising", " / ".join(f"{x:.0f}" for x in lp),
                     criterion="increasing", ok=bool(lp.is_monotonic_increasing and lp.iloc[0] < lp.iloc[-1]),
                     source="phase A runs"))  # fmt: skip
    refs = np.mean([r.counters["referrals"] for r in experiment.phase_a])
    rows.append(_row("phase A referrals per run (M)", 13.51, refs / 1e6, criterion="within 3 %",
                     ok=abs(refs / 1e6 - 13.51) <= 0.03 * 13.51, source="phase A runs"))  # fmt: skip
    if experiment.phase_b:
        ps = experiment.pair_share_table()
        others = [s for s in experiment.phase_b if s != "baseline"] or list(experiment.phase_b)
        sel = ps[ps["strategy"].isin(others)].groupby("pair")[["mean", "low", "high"]].mean()
        for pair, pv in PAPER["pair_shares"].items():
            v, lo, hi = sel.loc[pair]
            rows.append(_row(f"phase B share {pair} (%)", pv, v, lo, hi, "within 3 points",
                             abs(v - pv) <= 3.0, "phase B, strategies"))  # fmt: skip
        st = experiment.strategy_table().set_index(["strategy", "measure"])
        strategies4 = [
            s for s in ("uniform", "core", "bottleneck", "lost_patients") if s in experiment.phase_b
        ]
        if strategies4:
            refs_b = {s: st.loc[(s, "referrals"), "mean"] for s in strategies4}
            best = min(refs_b, key=refs_b.get)
            rows.append(_row("fewest phase B referrals", "bottleneck", best,
                             criterion="bottleneck", ok=best == "bottleneck", source="phase B"))  # fmt: skip
            if "core" in refs_b and "bottleneck" in refs_b:
                lo_b = st.loc[("bottleneck", "lost_total"), "mean"]
                lo_c = st.loc[("core", "lost_total"), "mean"]
                rows.append(_row("LP bottleneck vs core (phase B)", "bottleneck lower",
                                 f"{lo_b:.0f} vs {lo_c:.0f}", criterion="reported, noisy",
                                 ok=None, source="phase B"))  # fmt: skip
    if stability is not None and len(stability):
        sel = stability[(stability["T_a"] >= 500) & (stability["T_b"] >= 500)]
        for col in ("topological", "weight"):
            v = float(sel[col].max())
            rows.append(_row(f"max {col} distance, T >= 500", "< 0.1", v, criterion="< 0.1",
                             ok=v < 0.1, source="stability run"))  # fmt: skip
    return pd.DataFrame(rows)


def _with_layouts(experiment, stability, layouts):
    gm_one = grade_metrics(experiment.stable)
    area_one = experiment.grade_table().set_index(["grade", "measure"])["mean"]
    rows = []
    tol = {"in_degree": 0.5, "out_degree": 0.5}
    for metric, paper_vals in (("in_degree", PAPER["in_degree"]), ("out_degree", PAPER["out_degree"]),
                               ("in_edge_distance", PAPER["in_edge_distance"])):  # fmt: skip
        for g in (1, 2, 3):
            vals = layouts.loc[layouts["grade"] == g, metric]
            v, lo, hi = vals.mean(), vals.min(), vals.max()
            pv = paper_vals[g - 1]
            t = max(2.0, 0.1 * pv) if metric == "in_edge_distance" else max(tol[metric], 0.05 * pv)
            ok = bool(lo - 1e-9 <= pv <= hi + 1e-9 or abs(v - pv) <= t)
            row = _row(f"{metric} grade {g}", pv, v, lo, hi, "paper in layout range or tolerance",
                       ok, "layouts")  # fmt: skip
            row["one_layout"] = float(gm_one.loc[g, metric])
            rows.append(row)
    for g in (1, 2, 3):
        vals = layouts.loc[layouts["grade"] == g, "initial_area"]
        row = _row(f"initial area grade {g} (km)", "6.5-7 (~7)", vals.mean(), vals.min(),
                   vals.max(), "6.0-7.5", bool(6.0 <= vals.mean() <= 7.5), "layouts")  # fmt: skip
        row["one_layout"] = float(area_one.loc[(g, "initial_area")])
        rows.append(row)
    lp = layouts.pivot(index="layout", columns="grade", values="lost_patients")
    rising = ((lp[1] < lp[2]) & (lp[2] < lp[3])).mean()
    g13 = (lp[1] < lp[3]).mean()
    # lost patients re-enter the next day (E9): on a few tight layouts this feeds back and the
    # system runs away (thousands of losses per hospital), so the median is the fair summary
    runaway = int((lp.mean(axis=1) > 1000).sum())
    row = _row("LP per hospital g1 / g2 / g3 (phase A, median over layouts)", "rising",
               " / ".join(f"{x:.0f}" for x in lp.median()), criterion="g1 < g3 in most layouts",
               ok=bool(g13 > 0.5), source="layouts")  # fmt: skip
    row["one_layout"] = " / ".join(f"{area_one.loc[(g, 'lost_patients')]:.0f}" for g in (1, 2, 3))
    row["note"] = (f"strictly rising in {rising:.0%} of layouts, g1 < g3 in {g13:.0%}; "
                   f"{runaway} of {len(lp)} layouts run away (> 1000 per hospital)")  # fmt: skip
    rows.append(row)
    for pair, pv in PAPER["pair_shares"].items():
        col = f"share_{pair}"
        if col in layouts.columns:
            vals = layouts.groupby("layout")[col].first()
            v, lo, hi = vals.mean(), vals.min(), vals.max()
            ok = bool(lo <= pv <= hi or abs(v - pv) <= 3.0)
            row = _row(f"phase B share {pair} (%)", pv, v, lo, hi,
                       "paper in layout range or 3 points", ok, "layouts, baseline")  # fmt: skip
            rows.append(row)
    rest = reproduction_table(experiment, stability)
    pattern = r"(in_degree|out_degree|in_edge_distance|initial area|LP per)"
    if any(c.startswith("share_") for c in layouts.columns):
        shares_one = rest[rest["quantity"].str.startswith("phase B share")]
        for row in rows:
            match = shares_one[shares_one["quantity"] == row["quantity"]]
            if len(match):
                row["one_layout"] = float(match["medkit"].iloc[0])
        pattern = r"(in_degree|out_degree|in_edge_distance|initial area|LP per|phase B share)"
    rest = rest[~rest["quantity"].str.match(pattern)]
    rest = rest.assign(one_layout=rest["medkit"], source=rest["source"] + " (one layout)")
    return pd.concat([pd.DataFrame(rows), rest], ignore_index=True)


def reproduce(
    *,
    runs: int = 10,
    n_jobs: int = 2,
    stability: bool = True,
    progress: bool = True,
    seed: int = 2025,
    layouts: int = 10,
    params: ReferralParams | None = None,
    executor=None,
):
    """Run the paper-scale experiment; return ``(experiment, stability, comparison, layouts)``.

    Uses :func:`~medkit.referral.layout.paper_like_layout` (a random layout whose total capacity is
    within 0.5 % of the authors'), ``runs`` Phase-A runs, the five strategies in Phase B and, if
    asked, one independent run per T = 500, 600, ..., 1000 (as the authors); with ``layouts`` > 0,
    one Phase-A run on each of that many other paper-like layouts for the structure rows.
    Every run goes to ``executor`` (any ``concurrent.futures.Executor``, e.g. Dask's
    ``distributed.Client(...).get_executor()``) or, when it is None, to ``n_jobs`` local
    processes; the seeds are ``SeedSequence`` children, so the tables do not depend on it.
    Returns ``(experiment, stability_table, comparison, layout_frame)``.
    """  # fmt: skip
    params = params or ReferralParams()
    layout = paper_like_layout(params, seed=seed)
    ex = run_experiment(params, runs=runs, layout=layout, n_jobs=n_jobs, progress=progress,
                        seed=seed, executor=executor)  # fmt: skip
    stab = None
    if stability:
        stab = run_stability(layout, params, separate_runs=True, n_jobs=n_jobs, progress=progress,
                             seed=seed + 1, executor=executor)  # fmt: skip
    lay_frame = layout_ensemble(params, layouts=layouts, n_jobs=n_jobs, progress=progress,
                                seed=seed + 2, executor=executor) if layouts else None  # fmt: skip
    return ex, stab, reproduction_table(ex, stab, lay_frame), lay_frame
