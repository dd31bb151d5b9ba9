"""Ensembles: many seeded runs in parallel, combined as mean and interval over runs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from medkit._executors import map_jobs
from medkit.referral.analysis import (
    communities,
    grade_metrics,
    grade_pair_shares,
    stability_table,
    stable_network,
)
from medkit.referral.layout import Layout, make_layout
from medkit.referral.model import RunResult, run_evolution, run_strategy, seed_sequence
from medkit.referral.params import STRATEGIES, ReferralParams


# --- parallel machinery ------------------------------------------------------------------------
def _task(job):
    kind, args, kwargs = job
    if kind == "A":
        return run_evolution(*args, **kwargs)
    return run_strategy(*args, **kwargs)


def _pool_map(jobs, n_jobs, progress, desc, executor=None):
    """Phase A/B run jobs through :func:`~medkit._executors.map_jobs`."""
    return map_jobs(_task, jobs, executor=executor, n_jobs=n_jobs, progress=progress, desc=desc)


def run_many(
    layout,
    params=None,
    *,
    runs=10,
    phase="A",
    stable=None,
    strategies=STRATEGIES,
    days=None,
    n_jobs=2,
    progress=True,
    seed=None,
    executor=None,
) -> list[RunResult] | dict:
    """Run ``runs`` seeded Phase-A runs (or Phase-B runs of each strategy) in parallel.

    Seeds of the runs are children of ``seed`` (a ``SeedSequence`` spawn), so the whole ensemble
    is reproducible from one number and independent of ``n_jobs`` and of the executor.
    ``executor``: any ``concurrent.futures.Executor`` (e.g. a Dask cluster's
    ``distributed.Client(...).get_executor()``); None runs on ``n_jobs`` local processes.

    Returns a list of :class:`RunResult` (Phase A) or {strategy: list} (Phase B).
    """  # fmt: skip
    params = params or ReferralParams()
    ss = seed_sequence(seed)
    if phase == "A":
        children = ss.spawn(runs)
        jobs = [("A", (layout, params), dict(days=days, seed=c)) for c in children]
        return _pool_map(jobs, n_jobs, progress, "phase A runs", executor)
    jobs = []
    for name, child in zip(strategies, ss.spawn(len(strategies)), strict=True):
        for c in child.spawn(runs):
            jobs.append(("B", (layout, stable, name, params), dict(days=days, seed=c)))
    res = _pool_map(jobs, n_jobs, progress, "phase B runs", executor)
    return {name: res[k * runs : (k + 1) * runs] for k, name in enumerate(strategies)}


# --- combining runs --------------------------------------------------------------------------------
def summarise(frame: pd.DataFrame, by, value_cols=None, level: float = 0.95) -> pd.DataFrame:
    """Mean, standard deviation and a t-based ``level`` interval over runs.

    ``frame`` is tidy with a ``run`` column; ``by`` names the grouping columns. Returns one row per
    group and value column: mean, sd, n, low, high.

    Examples
    --------
    >>> df = pd.DataFrame({"run": [0, 1, 2], "g": [1, 1, 1], "v": [1.0, 2.0, 3.0]})
    >>> summarise(df, "g", ["v"])[["mean", "n"]].values.tolist()
    [[2.0, 3.0]]
    """
    by = [by] if isinstance(by, str) else list(by)
    value_cols = value_cols or [c for c in frame.columns if c not in by + ["run"]]
    long = frame.melt(id_vars=by + ["run"], value_vars=value_cols, var_name="measure")
    g = long.groupby(by + ["measure"], sort=False)["value"]
    out = g.agg(["mean", "std", "count"]).rename(columns={"std": "sd", "count": "n"})
    tq = stats.t.ppf(0.5 + level / 2, np.maximum(out["n"] - 1, 1))
    half = np.where(out["n"] > 1, tq * out["sd"] / np.sqrt(out["n"]), np.nan)
    out["low"] = out["mean"] - half
    out["high"] = out["mean"] + half
    return out.reset_index()


def _grade_frame(results, g_fn):
    rows = []
    for k, r in enumerate(results):
        m = g_fn(r)
        m = m.reset_index()
        m.insert(0, "run", k)
        rows.append(m)
    return pd.concat(rows, ignore_index=True)


@dataclass
class Experiment:
    """A full experiment: one layout, Phase-A runs, the stable network, Phase-B runs.

    Attributes: ``layout``, ``params``, ``phase_a`` (list of RunResult), ``stable`` (DiGraph),
    ``phase_b`` ({strategy: list of RunResult}), ``seed``.
    """

    layout: Layout
    params: ReferralParams
    phase_a: list
    stable: object
    phase_b: dict
    seed: object = None

    def grade_table(self, level: float = 0.95) -> pd.DataFrame:
        """Figure-3 metrics per grade with mean and interval over the Phase-A runs.

        Each run is thresholded on its own (top 5 %) and measured; the merged network's values
        are in ``grade_metrics(experiment.stable)``.
        """

        def per_run(r):
            return grade_metrics(stable_network([r], self.params.top_share))

        return summarise(_grade_frame(self.phase_a, per_run), "grade", level=level)

    def strategy_table(self, level: float = 0.95) -> pd.DataFrame:
        """Phase-B measures per strategy (referrals, LP by grade, ...) with intervals."""
        rows = []
        for name, results in self.phase_b.items():
            for k, r in enumerate(results):
                m = r.measures()
                rows.append({"strategy": name, "run": k, **m.to_dict()})
        return summarise(pd.DataFrame(rows), "strategy", level=level)

    def pair_share_table(self, phase: str = "B", level: float = 0.95) -> pd.DataFrame:
        """Grade-pair referral shares (%) with intervals; Phase B by strategy or Phase A."""
        rows = []
        groups = self.phase_b.items() if phase == "B" else [("phase A", self.phase_a)]
        for name, results in groups:
            for k, r in enumerate(results):
                s = grade_pair_shares(r.referrals, r.layout.grade)
                for row in s.itertuples():
                    rows.append({"strategy": name, "pair": row.pair, "run": k, "share": row.share})
        return summarise(pd.DataFrame(rows), ["strategy", "pair"], ["share"], level=level)

    def measures(self) -> pd.DataFrame:
        """Tidy per-run measures of every run (phase, strategy, run, measure columns)."""
        rows = []
        for k, r in enumerate(self.phase_a):
            rows.append({"phase": "A", "strategy": "evolution", "run": k, **r.measures().to_dict()})
        for name, results in self.phase_b.items():
            for k, r in enumerate(results):
                rows.append({"phase": "B", "strategy": name, "run": k, **r.measures().to_dict()})
        return pd.DataFrame(rows)

    def communities(self, seed=123) -> pd.Series:
        """Louvain communities of the stable network (small ones merged)."""
        return communities(self.stable, seed=seed)


def run_experiment(
    params: ReferralParams | None = None,
    *,
    runs: int = 10,
    strategies=STRATEGIES,
    layout: Layout | None = None,
    n_jobs: int = 2,
    progress: bool = True,
    seed=None,
    executor=None,
) -> Experiment:
    """The paper's experiment: ``runs`` Phase-A runs, the merged stable network, and ``runs``
    Phase-B runs of each strategy (baseline + the four), in parallel over ``n_jobs`` processes.

    Parameters
    ----------
    params : ReferralParams, optional (paper scale by default; ``ReferralParams.small()`` for
        lessons).
    runs : runs per phase and strategy (10 as the authors).
    strategies : Phase-B strategies to run (all five by default; ``()`` skips Phase B).
    layout : optional; by default drawn from ``seed``.
    n_jobs : worker processes (2 on Binder) when ``executor`` is None.
    progress : tqdm.auto progress bars.
    seed : int; the layout and every run derive from it.
    executor : optional ``concurrent.futures.Executor`` running the runs (e.g. Dask's
        ``distributed.Client(...).get_executor()``); the results do not depend on it.

    Examples
    --------
    >>> from medkit.referral import ReferralParams
    >>> p = ReferralParams.small(days=10, strategy_days=5)
    >>> ex = run_experiment(p, runs=2, n_jobs=1, progress=False, seed=1)
    >>> len(ex.phase_a), sorted(ex.phase_b) == sorted(STRATEGIES)
    (2, True)
    """
    params = params or ReferralParams()
    ss = seed_sequence(seed)
    s_layout, s_a, s_b = ss.spawn(3)
    if layout is None:
        layout = make_layout(params, seed=np.random.default_rng(s_layout))
    phase_a = run_many(layout, params, runs=runs, phase="A", n_jobs=n_jobs, progress=progress,
                       seed=s_a, executor=executor)  # fmt: skip
    stable = stable_network(phase_a, params.top_share)
    phase_b = {}
    if strategies:
        phase_b = run_many(layout, params, runs=runs, phase="B", stable=stable,
                           strategies=tuple(strategies), n_jobs=n_jobs, progress=progress,
                           seed=s_b, executor=executor)  # fmt: skip
    return Experiment(layout, params, phase_a, stable, phase_b, ss.entropy)


def run_stability(
    layout: Layout,
    params: ReferralParams | None = None,
    *,
    times=(500, 600, 700, 800, 900, 1000),
    separate_runs: bool = False,
    n_jobs: int = 2,
    progress: bool = False,
    seed=None,
    executor=None,
) -> pd.DataFrame:
    """Stability check across T (Figure 2): distances between the networks at each T.

    By default one long run with weight snapshots at each T; ``separate_runs=True`` runs one
    independent evolution per T, as the authors' notebook did (on ``executor`` or ``n_jobs`` local
    processes). Returns :func:`stability_table`.
    """
    params = params or ReferralParams()
    times = sorted(int(t) for t in times)
    if separate_runs:
        ss = seed_sequence(seed)
        jobs = [("A", (layout, params), dict(days=t, seed=c))
                for t, c in zip(times, ss.spawn(len(times)), strict=True)]  # fmt: skip
        res = _pool_map(jobs, n_jobs, progress, "stability runs", executor)
        snaps = {t: r.weights for t, r in zip(times, res, strict=True)}
    else:
        r = run_evolution(layout, params, days=max(times), snapshots=times, progress=progress,
                          seed=seed)  # fmt: skip
        snaps = r.snapshots
    return stability_table(snaps, params.top_share)
