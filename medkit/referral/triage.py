"""Digital triage as a simulated intervention (Fu & Lu's hypothesis H3): measures and experiments.

The engine (``medkit.referral``) already carries the triage options; this module turns runs into
*structural-imbalance measures*, runs seeded experiments over tool adoption and accuracy in
parallel, and summarises them with 95 % intervals over seeds.

Comparison design
-----------------
* **Baseline** = the "siphoning" scenario (``ReferralParams.siphoning()``: 30 % of patients near a
  primary hospital bypass it, cure by grade x severity), with ``triage_adoption = 0``.
* **Default tool** = ``ReferralParams.triage()``: the same, with triage at 50 % of primary hospitals,
  sensitivity 0.9, specificity 0.85, AI-assisted routine cure 0.9, trust halves bypass.
* One fixed hospital layout per experiment (``layout_seed``), as in Yang et al.; run seeds are the
  children of ``seed`` and are the *same* at every grid point (common random numbers, and the
  adopting hospitals are nested as adoption grows), so differences between grid points are paired.
* Uncertainty: mean and t-based 95 % interval over the seeds (``runs``, 10 by default).

Measures (per run, :func:`triage_measures`)
-------------------------------------------
``visit_share_g1..3`` (share of visits by grade), ``utilisation_g1..3`` (visits / capacity x days),
``days_at_capacity_g3`` (mean days a tertiary hospital filled up) and ``tertiary_full_share`` (the
same over the number of days), ``lost_g3`` (lost patients whose last hospital was tertiary),
``lost_rate``, ``referrals_per_patient``, ``mean_travel_km`` (both per patient-arrival, re-entries
of lost patients included, as the engine counts) and per first arrival
(``referrals_per_new_patient``, ``travel_km_per_new_patient``), ``serious_reached_grade2_share`` and
how fast (``serious_steps_to_grade2``: referrals before first treatment at grade >= 2,
``serious_visits_to_grade2``), and the **imbalance index**.

Imbalance index
---------------
``imbalance_index = utilisation_g3 / utilisation_g1``: how much fuller tertiary hospitals are than
primary ones, relative to their own capacity. 1 means equal load; above 1 the top is overloaded
relative to the base. It is the model's version of the contrast Fu & Lu use to show the imbalance,
bed occupancy of high-tier vs primary facilities (78.2 % vs 52.1 % in 2021, ratio 1.50, their
Figure 3), it is scale-free (no dependence on the number of patients or hospitals) and it moves in
the direction H3 predicts (down) when primary care keeps more patients or tertiary care sheds load.
Caveat, a finding in itself: in Yang et al.'s engine, primary hospitals (capacity 50-100 a day,
first stop of about half the patients) are full every day in every scenario we ran, so
``utilisation_g1`` is pinned at 1 and the index reduces to tertiary utilisation; the model cannot
show Fu & Lu's *under-used* primary care, only the congestion at the top.

Assumptions
-----------
:func:`triage_assumptions` returns the table below as a DataFrame, each assumption with the
sentence of either paper that motivates it. Every default is an assumption, not a finding.

Command line
------------
``python -m medkit.referral.triage dose-response --scale paper --seeds 10 --out results/``
(also ``accuracy``, ``heatmap`` and ``effects``; ``--help`` for options). Writes tidy CSVs: one row
per run (``*_runs.csv``) and one per grid point and measure with mean, sd, n, low, high
(``*_summary.csv``).

Examples
--------
>>> from medkit.referral.triage import sweep, summarise_sweep
>>> runs = sweep("small", {"triage_adoption": [0.0, 1.0]}, runs=2, days=20, n_jobs=1,
...              progress=False, seed=1)
>>> sorted(runs["triage_adoption"].unique().tolist())
[0.0, 1.0]
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from medkit._executors import add_executor_arguments, executor_from_options, map_jobs
from medkit.referral.experiment import summarise
from medkit.referral.layout import make_layout
from medkit.referral.model import RunResult, run_evolution, seed_sequence
from medkit.referral.params import ReferralParams

FU_LU = "Fu & Lu (2025)"
YANG = "Yang et al. (2025)"

KEY_MEASURES = (
    "imbalance_index",
    "utilisation_g1",
    "utilisation_g2",
    "utilisation_g3",
    "visit_share_g1",
    "visit_share_g2",
    "visit_share_g3",
    "days_at_capacity_g3",
    "tertiary_full_share",
    "lost_g3",
    "lost_rate",
    "referrals_per_patient",
    "referrals_per_new_patient",
    "mean_travel_km",
    "travel_km_per_new_patient",
    "serious_reached_grade2_share",
    "serious_steps_to_grade2",
    "serious_visits_to_grade2",
    "serious_cured_share",
)
"""The measures kept in experiment tables (all in :func:`triage_measures`)."""

MEASURE_LABELS = {
    "imbalance_index": "imbalance index (utilisation g3 / g1)",
    "utilisation_g1": "primary utilisation",
    "utilisation_g3": "tertiary utilisation",
    "visit_share_g1": "share of visits at primary",
    "visit_share_g3": "share of visits at tertiary",
    "days_at_capacity_g3": "days a tertiary hospital is full",
    "tertiary_full_share": "share of tertiary hospital-days full",
    "lost_g3": "lost patients at tertiary (LP)",
    "lost_rate": "lost patients per patient",
    "referrals_per_patient": "referrals per patient",
    "referrals_per_new_patient": "referrals per new patient",
    "mean_travel_km": "mean travel per patient (km)",
    "serious_reached_grade2_share": "serious patients reaching grade >= 2",
    "serious_steps_to_grade2": "referrals before grade >= 2 (serious)",
}

_ASSUMPTIONS = [
    (
        "serious_share",
        "0.2",
        "A fifth of patients are seriously ill; the rest have routine illnesses.",
        FU_LU,
        "the majority of patients visiting these facilities in China are diagnosed with routine "
        "illnesses",
    ),
    (
        "cure_routine, cure_serious",
        "(0.85, 0.90, 0.96), (0.35, 0.65, 0.91)",
        "Cure depends on grade and severity; the default mix reproduces Yang et al.'s 0.75 / 0.85 "
        "/ 0.95 by grade (0.8 x routine + 0.2 x serious). Primary care treats routine illness "
        "almost as well as a hospital, serious illness much worse.",
        FU_LU,
        "even though primary care facilities can effectively treat routine illnesses, patients "
        "are willing to spend excess time and money at high-tier hospitals",
    ),
    (
        "bypass_share",
        "0 (siphoning scenario: 0.3)",
        "Some patients whose nearest hospital is primary skip it for the nearest higher-grade "
        "hospital. 0 keeps Yang et al.'s baseline; 0.3 in the siphoning scenario is illustrative.",
        YANG,
        "resulting in a tendency for patients to bypass secondary care and seek treatment directly "
        "at tertiary hospitals",
    ),
    (
        "triage_adoption",
        "0 (triage preset: 0.5)",
        "A share of primary hospitals, chosen at random, use a machine-learning triage tool on "
        "each patient's first consultation (one slot either way).",
        FU_LU,
        "primary care facilities need digital tools using machine learning to diagnose diseases "
        "more accurately",
    ),
    (
        "triage_sensitivity, triage_specificity",
        "0.9, 0.85",
        "The tool flags serious patients with probability 0.9 and clears routine ones with "
        "probability 0.85; errors have consequences (false negatives are referred late, false "
        "positives load higher grades needlessly).",
        FU_LU,
        "those with routine issues will be able to receive care at local health service centers "
        "while significant disease risk cases can be referred to higher-tier hospitals",
    ),
    (
        "triage_referral_min_grade",
        "2",
        "Flagged patients are referred at once to a hospital of grade >= 2 with capacity (usual "
        "choice rule); if none has capacity they are treated locally as usual.",
        FU_LU,
        "for more serious condition, the patient can be quickly referred to higher-tier hospitals "
        "for specialized care",
    ),
    (
        "ai_cure_routine",
        "0.9",
        "A cleared routine patient treated locally with the tool is cured with probability 0.9 "
        "(0.85 without it).",
        FU_LU,
        "Through AI-assisted diagnosis and remote expert consultations, primary care hospitals "
        "can compensate for their technological shortcomings",
    ),
    (
        "trust_bypass_reduction",
        "0.5",
        "Adoption restores trust: the bypass probability of patients whose nearest hospital "
        "adopted the tool is halved.",
        FU_LU,
        "primary care hospitals can compensate for their technological shortcomings and rebuild "
        "patient trust",
    ),
    (
        "capacities, arrivals, referral rule",
        "Yang et al.'s values",
        "Everything else is the authors' model unchanged (capacities, 41,000 patients a day, "
        "history / distance / grade referral choice, lost patients re-entering in Phase A).",
        YANG,
        "most model parameters were derived from existing literature and theoretical "
        "assumptions, rather than empirical calibration",
    ),
    (
        "imbalance_index",
        "utilisation g3 / g1",
        "Structural imbalance is measured as tertiary over primary utilisation, the model's "
        "analogue of the bed-occupancy contrast.",
        FU_LU,
        "the bed occupancy rate in high-tier hospitals sits at 78.2%, while primary care "
        "facilities lag behind at just 52.1%",
    ),
]


def triage_assumptions() -> pd.DataFrame:
    """Every assumption of the triage extension, its default and the sentence motivating it.

    Returns
    -------
    DataFrame with columns parameter, default, assumption, source, quote (verbatim from the
    paper's text in ``shared/seeds``). Defaults are assumptions, not findings.

    Examples
    --------
    >>> t = triage_assumptions()
    >>> list(t.columns)
    ['parameter', 'default', 'assumption', 'source', 'quote']
    >>> bool(t["quote"].str.len().gt(40).all())
    True
    """
    return pd.DataFrame(
        _ASSUMPTIONS, columns=["parameter", "default", "assumption", "source", "quote"]
    )


# --- measures ------------------------------------------------------------------------------------
def imbalance_index(utilisation_g3: float, utilisation_g1: float) -> float:
    """Tertiary over primary utilisation (1 = equal load); see the module docstring.

    Examples
    --------
    >>> imbalance_index(0.782, 0.521).round(2)
    np.float64(1.5)
    """
    return np.float64(utilisation_g3) / np.float64(utilisation_g1)


def triage_measures(result: RunResult) -> pd.Series:
    """The engine's :meth:`RunResult.measures` plus ``imbalance_index`` and ``tertiary_full_share``.

    Also ``referrals_per_new_patient`` and ``travel_km_per_new_patient``: the engine's
    ``patients`` counter counts a lost patient again each time they re-enter (Phase A), so its
    per-patient rates fall when a backlog builds up; these divide by first arrivals instead.

    Examples
    --------
    >>> from medkit.referral import ReferralParams, make_layout, run_evolution
    >>> p = ReferralParams.small(days=5)
    >>> m = triage_measures(run_evolution(make_layout(p, seed=1), p, seed=2))
    >>> bool(m["imbalance_index"] == m["utilisation_g3"] / m["utilisation_g1"])
    True
    """
    m = result.measures().copy()
    m["imbalance_index"] = imbalance_index(m["utilisation_g3"], m["utilisation_g1"])
    m["tertiary_full_share"] = m["days_at_capacity_g3"] / result.counters["days"]
    new = max(1, int(result.daily["new_patients"].sum()))
    m["referrals_per_new_patient"] = result.counters["referrals"] / new
    m["travel_km_per_new_patient"] = result.counters["travel_km"] / new
    return m


# --- parameters of an experiment -------------------------------------------------------------------
SCALES = ("small", "paper")


def scenario(scale: str = "small", **changes) -> ReferralParams:
    """The siphoning baseline (adoption 0) at ``scale``, with ``changes`` applied.

    ``scale="small"``: ``ReferralParams.small()`` (50 hospitals, 200 days); ``"paper"``: 200
    hospitals, 41,000 patients a day, 500 days.

    Examples
    --------
    >>> p = scenario("small", triage_adoption=0.5)
    >>> p.n_hospitals, p.bypass_share, p.severity_cure, p.triage_adoption
    (50, 0.3, True, 0.5)
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, got {scale!r}")
    base = ReferralParams.small() if scale == "small" else ReferralParams.paper()
    return base.replace(bypass_share=0.3, severity_cure=True).replace(**changes)


def default_tool(scale: str = "small", **changes) -> ReferralParams:
    """``ReferralParams.triage()`` at ``scale``: the default tool at 50 % adoption.

    Examples
    --------
    >>> default_tool().triage_adoption
    0.5
    """
    return scenario(scale, triage_adoption=0.5).replace(**changes)


# --- running -------------------------------------------------------------------------------------
def _run_job(job):
    key, layout, params, days, seed = job
    res = run_evolution(layout, params, days=days, seed=seed)
    m = triage_measures(res)
    return key, {k: float(m[k]) for k in KEY_MEASURES}


def _grid_points(grid) -> list[dict]:
    if isinstance(grid, dict):
        names = list(grid)
        return [dict(zip(names, vals, strict=True)) for vals in itertools.product(*grid.values())]
    return [dict(g) for g in grid]


def sweep(
    base="small",
    grid=None,
    *,
    runs: int = 10,
    days: int | None = None,
    layout_seed: int = 1,
    n_jobs: int = 2,
    progress: bool = True,
    seed=0,
    executor=None,
) -> pd.DataFrame:
    """Run ``runs`` seeded Phase-A runs at every point of a parameter grid, in parallel.

    Parameters
    ----------
    base : "small", "paper" or a ReferralParams
        The parameters every grid point starts from (a scale name means :func:`scenario`).
    grid : dict of {parameter: values} (full product) or list of dicts of changes.
        A pseudo-parameter ``accuracy`` sets sensitivity = specificity.
    runs : seeds per grid point (the same seeds at every point).
    days : Phase-A days (default ``base.days``).
    layout_seed : seed of the one hospital layout shared by all runs.
    n_jobs : worker processes (2 on Binder). progress : tqdm.auto bar over runs.
    seed : int or SeedSequence of the run seeds.
    executor : optional ``concurrent.futures.Executor`` for the runs (e.g. Dask's
        ``distributed.Client(...).get_executor()``); None: ``n_jobs`` local processes. The
        results are the same on any executor.

    Returns
    -------
    Tidy DataFrame: one row per grid point and run, grid columns, ``run``, then
    :data:`KEY_MEASURES`.

    Examples
    --------
    >>> df = sweep("small", {"accuracy": [0.5, 0.9]}, runs=1, days=5, n_jobs=1, progress=False)
    >>> df[["triage_sensitivity", "triage_specificity"]].values.tolist()
    [[0.5, 0.5], [0.9, 0.9]]
    """
    from medkit import validation as V

    V.whole_number("runs", runs, minimum=1, hint="the number of seeds per grid point")
    V.whole_number("days", days, minimum=1, allow_none=True)
    V.whole_number("n_jobs", n_jobs, minimum=1)
    V.seed("layout_seed", layout_seed)
    params = scenario(base) if isinstance(base, str) else base
    layout = make_layout(params, seed=layout_seed)
    points = _grid_points(grid or [{}])
    children = seed_sequence(seed).spawn(runs)
    jobs, meta = [], []
    for k, point in enumerate(points):
        changes = dict(point)
        if "accuracy" in changes:
            acc = changes.pop("accuracy")
            changes.update(triage_sensitivity=acc, triage_specificity=acc)
        p = params.replace(**changes)
        for r, child in enumerate(children):
            jobs.append(((k, r), layout, p, days, child))
            meta.append(
                {
                    **changes,
                    "triage_adoption": p.triage_adoption,
                    "triage_sensitivity": p.triage_sensitivity,
                    "triage_specificity": p.triage_specificity,
                    "run": r,
                }
            )
    results = map_jobs(_run_job, jobs, executor=executor, n_jobs=n_jobs, progress=progress,
                       desc="triage runs")  # fmt: skip
    rows = [{**m, **vals} for m, (_, vals) in zip(meta, results, strict=True)]
    return pd.DataFrame(rows)


def summarise_sweep(runs: pd.DataFrame, by=None, measures=KEY_MEASURES) -> pd.DataFrame:
    """Mean, sd, n and 95 % t-interval over seeds per grid point and measure (tidy, long).

    Examples
    --------
    >>> df = pd.DataFrame({"triage_adoption": [0, 0], "run": [0, 1], "lost_g3": [1.0, 3.0]})
    >>> summarise_sweep(df, measures=["lost_g3"])[["mean", "n"]].values.tolist()
    [[2.0, 2.0]]
    """
    measures = [m for m in measures if m in runs.columns]
    by = by or [c for c in runs.columns if c not in measures and c != "run"]
    return summarise(runs[[*by, "run", *measures]], by, measures)


def dose_response(
    base="small",
    adoption=(0.0, 0.25, 0.5, 0.75, 1.0),
    *,
    runs: int = 10,
    days: int | None = None,
    n_jobs: int = 2,
    progress: bool = True,
    seed=0,
    executor=None,
) -> pd.DataFrame:
    """Per-run measures over triage adoption (0-100 % of primary hospitals), default tool.

    Examples
    --------
    >>> df = dose_response("small", (0.0, 1.0), runs=1, days=5, n_jobs=1, progress=False)
    >>> df["triage_adoption"].tolist()
    [0.0, 1.0]
    """
    return sweep(base, {"triage_adoption": list(adoption)}, runs=runs, days=days,
                 n_jobs=n_jobs, progress=progress, seed=seed, executor=executor)  # fmt: skip


def accuracy_response(
    base="small",
    accuracy=(0.5, 0.6, 0.7, 0.8, 0.9, 0.99),
    *,
    adoption: float = 0.5,
    runs: int = 10,
    days: int | None = None,
    n_jobs: int = 2,
    progress: bool = True,
    seed=0,
    executor=None,
) -> pd.DataFrame:
    """Per-run measures over tool accuracy (sensitivity = specificity), at fixed adoption.

    Examples
    --------
    >>> df = accuracy_response("small", (0.5,), runs=1, days=5, n_jobs=1, progress=False)
    >>> float(df["triage_adoption"].iloc[0]), float(df["triage_sensitivity"].iloc[0])
    (0.5, 0.5)
    """
    grid = {"triage_adoption": [adoption], "accuracy": list(accuracy)}
    return sweep(base, grid, runs=runs, days=days, n_jobs=n_jobs, progress=progress, seed=seed,
                 executor=executor)  # fmt: skip


def heatmap_grid(
    base="small",
    adoption=(0.0, 0.25, 0.5, 0.75, 1.0),
    accuracy=(0.5, 0.7, 0.9, 0.99),
    *,
    runs: int = 10,
    days: int | None = None,
    n_jobs: int = 2,
    progress: bool = True,
    seed=0,
    executor=None,
) -> pd.DataFrame:
    """Per-run measures over adoption x accuracy (sensitivity = specificity).

    Examples
    --------
    >>> df = heatmap_grid("small", (0.0, 1.0), (0.9,), runs=1, days=5, n_jobs=1, progress=False)
    >>> len(df)
    2
    """
    grid = {"triage_adoption": list(adoption), "accuracy": list(accuracy)}
    return sweep(base, grid, runs=runs, days=days, n_jobs=n_jobs, progress=progress, seed=seed,
                 executor=executor)  # fmt: skip


def effect(
    runs_a: pd.DataFrame, runs_b: pd.DataFrame, measures=KEY_MEASURES, level: float = 0.95
) -> pd.DataFrame:
    """Effect of B over A per measure: means, difference, paired t-interval, relative change.

    Runs are paired by ``run`` (the same seed in both, as :func:`sweep` arranges).
    ``beyond_noise`` is True when the interval of the difference excludes 0.

    Examples
    --------
    >>> a = pd.DataFrame({"run": [0, 1, 2], "lost_g3": [10.0, 12.0, 11.0]})
    >>> b = pd.DataFrame({"run": [0, 1, 2], "lost_g3": [5.0, 6.0, 7.0]})
    >>> e = effect(a, b, ["lost_g3"])
    >>> float(e.loc["lost_g3", "difference"]), bool(e.loc["lost_g3", "beyond_noise"])
    (-5.0, True)
    """
    measures = [m for m in measures if m in runs_a.columns and m in runs_b.columns]
    a = runs_a.set_index("run")[measures]
    b = runs_b.set_index("run")[measures].reindex(a.index)
    d = b - a
    n = d.notna().sum()
    mean_d = d.mean()
    sd_d = d.std()
    tq = stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1))
    half = tq * sd_d / np.sqrt(n)
    out = pd.DataFrame(
        {
            "mean_a": a.mean(),
            "mean_b": b.mean(),
            "difference": mean_d,
            "low": mean_d - half,
            "high": mean_d + half,
            "relative": mean_d / a.mean().where(a.mean() != 0),
            "n": n,
        }
    )
    out["beyond_noise"] = (out["low"] > 0) | (out["high"] < 0)
    out.index.name = "measure"
    return out


def _split_effects(df):
    base = df[df["triage_adoption"] == 0.0]
    tool = df[(df["triage_adoption"] == 0.5) & (df["triage_sensitivity"] != 0.5)]
    useless = df[(df["triage_adoption"] == 0.5) & (df["triage_sensitivity"] == 0.5)]
    return base, tool, useless


def default_effects(
    scale: str = "small",
    *,
    runs: int = 10,
    days: int | None = None,
    n_jobs: int = 2,
    progress: bool = True,
    seed=0,
    executor=None,
) -> pd.DataFrame:
    """Headline comparison: baseline (siphoning, no triage), default tool, useless tool.

    Returns the :func:`effect` tables of the default tool and of a useless tool (sensitivity =
    specificity = 0.5, same adoption) over the baseline, stacked with a ``comparison`` column.

    Examples
    --------
    >>> e = default_effects("small", runs=2, days=5, n_jobs=1, progress=False)
    >>> sorted(e["comparison"].unique())
    ['default tool', 'useless tool']
    """
    grid = [
        {"triage_adoption": 0.0},
        {"triage_adoption": 0.5},
        {"triage_adoption": 0.5, "accuracy": 0.5},
    ]
    df = sweep(scale, grid, runs=runs, days=days, n_jobs=n_jobs, progress=progress, seed=seed,
               executor=executor)  # fmt: skip
    base, tool, useless = _split_effects(df)
    parts = []
    for name, frame in (("default tool", tool), ("useless tool", useless)):
        e = effect(base, frame).reset_index()
        e.insert(0, "comparison", name)
        parts.append(e)
    return pd.concat(parts, ignore_index=True)


def monotone_within_noise(summary: pd.DataFrame, x: str, measure: str) -> str | None:
    """Direction of a dose-response if it is monotone within noise, else None.

    Monotone within noise: sorted by ``x``, no step goes against the overall direction (last minus
    first mean) by more than the two points' intervals allow (the intervals overlap).

    Examples
    --------
    >>> s = pd.DataFrame({"a": [0, 1, 2], "measure": "m", "mean": [1.0, 2.0, 1.9],
    ...                   "low": [0.9, 1.8, 1.7], "high": [1.1, 2.2, 2.1]})
    >>> monotone_within_noise(s, "a", "m")
    'increasing'
    """
    s = summary[summary["measure"] == measure].sort_values(x)
    means, low, high = (s[c].to_numpy(float) for c in ("mean", "low", "high"))
    sign = np.sign(means[-1] - means[0])
    if sign == 0:
        return None
    for k in range(len(means) - 1):
        step = means[k + 1] - means[k]
        if np.sign(step) == -sign:
            overlap = (low[k + 1] <= high[k]) if sign > 0 else (high[k + 1] >= low[k])
            if not overlap:
                return None
    return "increasing" if sign > 0 else "decreasing"


def compare_run(
    adoption: float = 0.5,
    sensitivity: float = 0.9,
    specificity: float = 0.85,
    trust: float = 0.5,
    *,
    scale: str = "small",
    days: int = 100,
    layout_seed: int = 1,
    seed: int = 1,
) -> pd.DataFrame:
    """One run with the given tool next to the same run (same seed) without triage.

    The plain function behind the Lesson 06 widget: ``trust`` is ``trust_bypass_reduction``.
    Returns a DataFrame indexed by :data:`KEY_MEASURES` with columns ``no triage``,
    ``with triage`` and ``change``.

    Examples
    --------
    >>> t = compare_run(0.0, days=5)
    >>> bool((t["change"] == 0).all())    # adoption 0: the tool changes nothing
    True
    """
    base = scenario(scale)
    layout = make_layout(base, seed=layout_seed)
    tool = base.replace(triage_adoption=adoption, triage_sensitivity=sensitivity,
                        triage_specificity=specificity, trust_bypass_reduction=trust)  # fmt: skip
    a = triage_measures(run_evolution(layout, base, days=days, seed=seed))
    b = triage_measures(run_evolution(layout, tool, days=days, seed=seed))
    keys = list(KEY_MEASURES)
    out = pd.DataFrame({"no triage": a[keys].astype(float), "with triage": b[keys].astype(float)})
    out["change"] = out["with triage"] - out["no triage"]
    return out


MODEL_OUTPUT_FILES = {
    "lost patients re-enter (authors' code)": "triage_effects_paper_summary.csv",
    "lost patients dropped": "triage_effects_paper_noreadmit_summary.csv",
}
"""Paper-scale effect tables shipped in ``datasets/model_output/`` (MODEL OUTPUT, synthetic), made
by ``python -m medkit.referral.triage effects --scale paper --seeds 10 [--no-readmit]
--out datasets/model_output``."""


def load_paper_effects(folder=None) -> pd.DataFrame:
    """The shipped paper-scale effects of the default and the useless tool (model output).

    Returns the :func:`effect` tables of both variants stacked, with a ``variant`` column naming
    how lost patients are handled in Phase A. These are simulation results at Yang et al.'s scale
    (200 hospitals, 41,000 patients a day, 500 days, 10 seeds), not data.

    Examples
    --------
    >>> e = load_paper_effects()
    >>> sorted(e["comparison"].unique())
    ['default tool', 'useless tool']
    """
    from medkit.data._paths import datasets_dir

    folder = Path(folder) if folder is not None else datasets_dir() / "model_output"
    parts = [pd.read_csv(folder / name).assign(variant=variant)
             for variant, name in MODEL_OUTPUT_FILES.items()]  # fmt: skip
    return pd.concat(parts, ignore_index=True)


# --- command line --------------------------------------------------------------------------------
def _main(argv=None) -> int:
    """Full-scale experiments from the command line, writing tidy CSVs (see ``--help``)."""
    from medkit.cli import Parser, nonnegative_int, positive_int, share
    from medkit.validation import output_folder

    ap = Parser(
        prog="python -m medkit.referral.triage",
        description="Digital-triage experiments on the referral model (H3). Writes tidy CSVs.",
    )
    ap.add_argument("experiment", choices=["dose-response", "accuracy", "heatmap", "effects"])
    ap.add_argument("--scale", choices=SCALES, default="small")
    ap.add_argument("--seeds", type=positive_int, default=10,
                    help="runs per grid point (default 10)")  # fmt: skip
    ap.add_argument("--days", type=positive_int, default=None,
                    help="Phase-A days (default: the scale's)")  # fmt: skip
    ap.add_argument("--n-jobs", type=positive_int, default=2)
    ap.add_argument("--seed", type=nonnegative_int, default=0)
    ap.add_argument("--adoption", type=share, nargs="+", default=[0.0, 0.25, 0.5, 0.75, 1.0])
    ap.add_argument("--accuracy", type=share, nargs="+", default=None)
    ap.add_argument("--no-readmit", action="store_true",
                    help="lost patients do not re-enter the next day (readmit_lost_phase_a=False)")  # fmt: skip
    ap.add_argument("--out", default="results")
    ap.add_argument("--no-progress", action="store_true")
    add_executor_arguments(ap)
    a = ap.parse_args(argv)
    if a.scheduler and a.executor != "dask":
        ap.error("--scheduler needs --executor dask")
    base = scenario(a.scale)
    if a.no_readmit:
        base = base.replace(readmit_lost_phase_a=False)
    out = output_folder(a.out, "--out")  # checked before a cluster starts or any simulation
    with executor_from_options(a.executor, a.scheduler, a.n_jobs) as executor:
        kw = dict(runs=a.seeds, days=a.days, n_jobs=a.n_jobs, progress=not a.no_progress,
                  seed=a.seed, executor=executor)  # fmt: skip
        return _run_cli(a, base, kw, out)


def _run_cli(a, base, kw, out) -> int:
    stem = f"triage_{a.experiment.replace('-', '_')}_{a.scale}" + ("_noreadmit" * a.no_readmit)
    if a.experiment == "effects":
        grid = [{"triage_adoption": 0.0}, {"triage_adoption": 0.5},
                {"triage_adoption": 0.5, "accuracy": 0.5}]  # fmt: skip
        runs = sweep(base, grid, **kw)
        b, t, u = _split_effects(runs)
        eff = pd.concat(
            [effect(b, t).assign(comparison="default tool"),
             effect(b, u).assign(comparison="useless tool")]
        )  # fmt: skip
        runs.to_csv(out / f"{stem}_runs.csv", index=False)
        eff.to_csv(out / f"{stem}_summary.csv")
        print(eff.loc[list(KEY_MEASURES[:1]) + ["lost_g3", "referrals_per_patient",
                                                "utilisation_g1", "lost_rate"]])  # fmt: skip
        return 0
    if a.experiment == "dose-response":
        runs = sweep(base, {"triage_adoption": a.adoption}, **kw)
    elif a.experiment == "accuracy":
        acc = a.accuracy or [0.5, 0.6, 0.7, 0.8, 0.9, 0.99]
        runs = sweep(base, {"triage_adoption": [0.5], "accuracy": acc}, **kw)
    else:
        acc = a.accuracy or [0.5, 0.7, 0.9, 0.99]
        runs = sweep(base, {"triage_adoption": a.adoption, "accuracy": acc}, **kw)
    summary = summarise_sweep(runs)
    runs.to_csv(out / f"{stem}_runs.csv", index=False)
    summary.to_csv(out / f"{stem}_summary.csv", index=False)
    print(summary[summary["measure"].isin(["imbalance_index", "lost_g3",
                                           "referrals_per_patient"])].to_string())  # fmt: skip
    return 0


def main(argv=None) -> int:
    """Full-scale experiments from the command line, writing tidy CSVs (see ``--help``).

    Bad options exit with status 2 and one line (no traceback), before any simulation.
    """
    from medkit.cli import guarded

    _main.prog = "medkit.referral.triage"
    return guarded(_main)(argv)


if __name__ == "__main__":
    raise SystemExit(main())
