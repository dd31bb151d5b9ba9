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
**Reading guide.** Above 1: high-tier hospitals are fuller than primary care (Fu & Lu's
imbalance; their 2021 figures give 1.50). Exactly 1: equal load. Below 1: primary care is the
fuller one. H3 predicts a *fall towards 1* from above. In Yang et al.'s region the index starts
near 0.8 because every primary hospital is full every day (``utilisation_g1`` pinned at 1): a rise
there is a move towards balance by the index's own definition, and the model cannot show Fu & Lu's
*under-used* primary care. The Fu & Lu world (``world="fulu"``, :meth:`ReferralParams.fulu_world`)
is calibrated to hold the premise, so the index starts near 1.6 and a test of H3 is possible.

Two worlds and two levers (issue 10)
------------------------------------
Every experiment runs in a **world**: ``"yang"`` (the siphoning baseline above, Yang et al.'s
saturated region) or ``"fulu"`` (the calibrated Fu & Lu world: logit first contact, city
population, learnt trust, capacities set to target occupancies, lost patients drop out). A tool
has two separate **levers**: *routing* (classify at the first consultation, refer the flagged
directly, treat the cleared with AI support; ``triage_routing``) and *trust* (Yang world: the
fixed ``trust_bypass_reduction``; Fu & Lu world: ``triage_trust_boost`` on the initial trust of
an adopting hospital, which then follows experience, so a tool that gives bad experiences loses
it). :data:`TOOLS` names the comparisons; :func:`tool_changes` gives the parameter changes of each
in each world.

Assumptions
-----------
:func:`triage_assumptions` returns the table below as a DataFrame, each assumption with the
sentence of either paper that motivates it. Every default is an assumption, not a finding.

Command line
------------
``python -m medkit.referral.triage dose-response --scale paper --seeds 10 --out results/``
(also ``accuracy``, ``heatmap``, ``effects`` and ``levers``; ``--world yang|fulu`` picks the
world, ``--layouts`` the number of hospital layouts; ``--help`` for options). Writes tidy CSVs: one row
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
from medkit.errors import DataError
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
    # issue 10
    "bypass_share_observed",
    "turned_away_g3_per_day",
    "routine_visits_g3_per_new_patient",
    "lost_per_new_patient",
    "trust_g1",
    "trust_adopters",
    "reviewed_per_new_patient",
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
    "utilisation_g2": "secondary utilisation",
    "bypass_share_observed": "bypass share (nearest primary, first contact higher)",
    "turned_away_g3_per_day": "turn-aways at tertiary hospitals per day",
    "routine_visits_g3_per_new_patient": "routine visits at tertiary per new patient",
    "lost_per_new_patient": "lost patients per new patient",
    "trust_g1": "mean trust in primary hospitals (end of run)",
    "trust_adopters": "mean trust in adopting primary hospitals (end of run)",
    "travel_km_per_new_patient": "travel per new patient (km)",
    "serious_visits_to_grade2": "treated visits before grade >= 2 (serious)",
    "serious_cured_share": "serious patients cured",
    "reviewed_per_new_patient": "remote reviews per new patient",
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
        "first_contact, choice_*",
        "Fu & Lu world: logit, 0.25 per km, trust weight 2",
        "Patients choose their first hospital among the nearest of each grade, weighing distance "
        "and trust; calibrated so that about two in five patients near a primary hospital go "
        "higher first (CHARLS analyses of patients aged 45+).",
        FU_LU,
        "patients are willing to spend excess time and money at high-tier hospitals",
    ),
    (
        "capacity_ranges (Fu & Lu world)",
        "Yang et al.'s x (5.0, 0.76, 1.06)",
        "Capacities by grade are scaled by calibrate_capacities so that the baseline hits "
        "occupancy targets 0.521 / 0.80 / 0.853 (Fu & Lu 2021; NHC tertiary 2021).",
        FU_LU,
        "the bed occupancy rate in high-tier hospitals sits at 78.2%, while primary care "
        "facilities lag behind at just 52.1%",
    ),
    (
        "trust_learning_rate, triage_trust_boost",
        "0.0005, 0.1 (Fu & Lu world)",
        "Trust in a hospital follows patients' experience there (cures up; failures, turn-aways "
        "and needless referrals down). The tool's trust lever starts an adopter 0.1 higher; a "
        "tool that gives bad experiences loses it.",
        FU_LU,
        "primary care hospitals can compensate for their technological shortcomings and rebuild "
        "patient trust",
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
    c = result.counters
    m["referrals_per_new_patient"] = c["referrals"] / new
    m["travel_km_per_new_patient"] = c["travel_km"] / new
    # issue 10
    h = result.hospitals
    m["bypass_share_observed"] = c["bypassed"] / max(1, c["nearest_primary"])
    m["turned_away_g3_per_day"] = h.loc[h["grade"] == 3, "turned_away"].sum() / c["days"]
    m["routine_visits_g3_per_new_patient"] = c["routine_visits_g3"] / new
    m["lost_per_new_patient"] = c["lost"] / new
    m["reviewed_per_new_patient"] = c["reviewed"] / new
    learns = result.params.trust_learning_rate > 0 and result.trust is not None
    trust = result.trust if learns else np.full(len(h), np.nan)  # trust only means something
    # where it learns (the Fu & Lu world)
    primary = (h["grade"] == 1).to_numpy()
    m["trust_g1"] = float(np.mean(trust[primary])) if primary.any() else np.nan
    adopters = np.asarray(result.adopters, dtype=bool)
    m["trust_adopters"] = float(np.mean(trust[adopters])) if adopters.any() else np.nan
    return m


# --- parameters of an experiment -------------------------------------------------------------------
SCALES = ("small", "paper")


WORLDS = ("yang", "fulu")
WORLD_LABELS = {"yang": "Yang et al.'s saturated world", "fulu": "Fu & Lu world"}


def _check_world(world: str) -> str:
    if world not in WORLDS:
        raise DataError(f"world must be one of {WORLDS}, got {world!r}")
    return world


def scenario(scale: str = "small", world: str = "yang", **changes) -> ReferralParams:
    """The baseline (no tool) of a world at ``scale``, with ``changes`` applied.

    ``world="yang"``: the siphoning baseline on Yang et al.'s model (30 % bypass, cure by grade x
    severity); ``world="fulu"``: :meth:`ReferralParams.fulu_world`. ``scale="small"``: 50
    hospitals, 200 days; ``"paper"``: 200 hospitals, 41,000 patients a day, 500 days.

    Examples
    --------
    >>> p = scenario("small", triage_adoption=0.5)
    >>> p.n_hospitals, p.bypass_share, p.severity_cure, p.triage_adoption
    (50, 0.3, True, 0.5)
    >>> scenario("small", "fulu").first_contact
    'choice'
    """
    if scale not in SCALES:
        raise DataError(f"scale must be one of {SCALES}, got {scale!r}")
    if _check_world(world) == "fulu":
        return ReferralParams.fulu_world(scale).replace(**changes)
    base = ReferralParams.small() if scale == "small" else ReferralParams.paper()
    return base.replace(bypass_share=0.3, severity_cure=True).replace(**changes)


def world_of(params: ReferralParams) -> str:
    """``"fulu"`` for a logit first-contact world, else ``"yang"``.

    Examples
    --------
    >>> world_of(scenario("small", "fulu")), world_of(scenario("small"))
    ('fulu', 'yang')
    """
    return "fulu" if params.first_contact == "choice" else "yang"


def default_tool(scale: str = "small", world: str = "yang", **changes) -> ReferralParams:
    """The default tool at 50 % adoption in a world (``ReferralParams.triage()`` for Yang's).

    Examples
    --------
    >>> default_tool().triage_adoption
    0.5
    """
    return scenario(scale, world, **tool_changes("default tool", world)).replace(**changes)


FULU_TRUST_BOOST = 0.1
"""The trust lever of the default tool in the Fu & Lu world: trust in an adopting primary
hospital starts 0.1 higher (an assumption, of the size of the gap between primary and secondary
initial trust), then follows experience."""

TOOLS = (
    "no tool",
    "default tool",
    "realistic tool",
    "useless tool",
    "routing lever only",
    "trust lever only",
    "default tool + remote review",
)
"""The comparisons of :func:`lever_effects`; "default tool" has both levers on."""


def tool_changes(tool: str, world: str = "yang") -> dict:
    """Parameter changes of a named tool (see :data:`TOOLS`) in a world.

    * default tool: 50 % of primary hospitals, sensitivity 0.9, specificity 0.85, both levers;
    * realistic tool: the same at sensitivity = specificity = 0.57 (online symptom checkers
      triage appropriately in about 57 % of cases, Semigran et al., BMJ 2015);
    * useless tool: sensitivity = specificity = 0.5 (a coin toss);
    * routing lever only: trust lever off (Yang: no bypass reduction; Fu & Lu: no trust boost);
    * trust lever only: routing lever off (no flagging, no AI-assisted cure);
    * default tool + remote review: flagged patients reviewed before referral.

    Examples
    --------
    >>> tool_changes("trust lever only", "fulu")["triage_routing"]
    False
    >>> tool_changes("hammer")
    Traceback (most recent call last):
    ...
    medkit.errors.DataError: tool must be one of ('no tool', 'default tool', 'realistic tool', 'useless tool', 'routing lever only', 'trust lever only', 'default tool + remote review'), got 'hammer'
    """
    _check_world(world)
    if tool not in TOOLS:
        raise DataError(f"tool must be one of {TOOLS}, got {tool!r}")
    if tool == "no tool":
        return {"triage_adoption": 0.0}
    trust = (
        {"triage_trust_boost": FULU_TRUST_BOOST}
        if world == "fulu"
        else {"trust_bypass_reduction": 0.5}
    )
    no_trust = {"triage_trust_boost": 0.0} if world == "fulu" else {"trust_bypass_reduction": 0.0}
    out = {"triage_adoption": 0.5, "triage_sensitivity": 0.9, "triage_specificity": 0.85, **trust}
    if tool == "realistic tool":
        out.update(triage_sensitivity=0.57, triage_specificity=0.57)
    elif tool == "useless tool":
        out.update(triage_sensitivity=0.5, triage_specificity=0.5)
    elif tool == "routing lever only":
        out.update(no_trust)
    elif tool == "trust lever only":
        out.update(triage_routing=False)
    elif tool == "default tool + remote review":
        out.update(triage_review=True)
    return out


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
    layouts: int = 1,
    world: str = "yang",
    n_jobs: int = 2,
    progress: bool = True,
    seed=0,
    executor=None,
) -> pd.DataFrame:
    """Run ``runs`` seeded Phase-A runs on each of ``layouts`` layouts at every grid point.

    Parameters
    ----------
    base : "small", "paper" or a ReferralParams
        The parameters every grid point starts from (a scale name means :func:`scenario` of
        ``world``).
    grid : dict of {parameter: values} (full product) or list of dicts of changes.
        Pseudo-parameters: ``accuracy`` sets sensitivity = specificity; ``tool`` applies
        :func:`tool_changes` of the named tool in the base's world (other keys of the same point
        are applied after it).
    runs : seeds per layout and grid point (the same seeds at every point).
    days : Phase-A days (default ``base.days``).
    layout_seed, layouts : the hospital layouts are ``make_layout(seed=layout_seed + k)`` for
        ``k < layouts``; every layout meets every seed, and comparisons pair by (layout, run).
    world : "yang" or "fulu", used when ``base`` is a scale name.
    n_jobs : worker processes (2 on Binder). progress : tqdm.auto bar over runs.
    seed : int or SeedSequence of the run seeds.
    executor : optional ``concurrent.futures.Executor`` for the runs (e.g. Dask's
        ``distributed.Client(...).get_executor()``); None: ``n_jobs`` local processes. The
        results are the same on any executor.

    Returns
    -------
    Tidy DataFrame: one row per grid point, layout and run; grid columns, ``layout``, ``run``,
    then :data:`KEY_MEASURES`.

    Examples
    --------
    >>> df = sweep("small", {"accuracy": [0.5, 0.9]}, runs=1, days=5, n_jobs=1, progress=False)
    >>> df[["triage_sensitivity", "triage_specificity"]].values.tolist()
    [[0.5, 0.5], [0.9, 0.9]]
    """
    from medkit import validation as V

    V.whole_number("runs", runs, minimum=1, hint="the number of seeds per grid point")
    V.whole_number("layouts", layouts, minimum=1, hint="the number of hospital layouts")
    V.whole_number("days", days, minimum=1, allow_none=True)
    V.whole_number("n_jobs", n_jobs, minimum=1)
    V.seed("layout_seed", layout_seed)
    params = scenario(base, world) if isinstance(base, str) else base
    base_world = world_of(params)
    layout_list = [make_layout(params, seed=layout_seed + k) for k in range(int(layouts))]
    points = _grid_points(grid or [{}])
    children = seed_sequence(seed).spawn(runs)
    jobs, meta = [], []
    for k, point in enumerate(points):
        changes = dict(point)
        tool = changes.pop("tool", None)
        if tool is not None:
            changes = {**tool_changes(tool, base_world), **changes}
        if "accuracy" in changes:
            acc = changes.pop("accuracy")
            changes.update(triage_sensitivity=acc, triage_specificity=acc)
        p = params.replace(**changes)
        for li, layout in enumerate(layout_list):
            for r, child in enumerate(children):
                jobs.append(((k, li, r), layout, p, days, child))
                row = {} if tool is None else {"tool": tool}
                row.update(
                    {
                        **changes,
                        "triage_adoption": p.triage_adoption,
                        "triage_sensitivity": p.triage_sensitivity,
                        "triage_specificity": p.triage_specificity,
                        "layout": layout_seed + li,
                        "run": r,
                    }
                )
                meta.append(row)
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
    by = by or [c for c in runs.columns if c not in measures and c not in ("run", "layout")]
    frame = runs[[*by, "run", *measures]]
    if "layout" in runs.columns:  # one run id per (layout, seed) pair
        frame = frame.assign(run=runs["layout"].astype(str) + ":" + runs["run"].astype(str))
    return summarise(frame, by, measures)


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

    Runs are paired by ``run`` (the same seed in both, as :func:`sweep` arranges), and by
    ``layout`` as well when both tables have that column. ``beyond_noise`` is True when the
    interval of the difference excludes 0.

    Examples
    --------
    >>> a = pd.DataFrame({"run": [0, 1, 2], "lost_g3": [10.0, 12.0, 11.0]})
    >>> b = pd.DataFrame({"run": [0, 1, 2], "lost_g3": [5.0, 6.0, 7.0]})
    >>> e = effect(a, b, ["lost_g3"])
    >>> float(e.loc["lost_g3", "difference"]), bool(e.loc["lost_g3", "beyond_noise"])
    (-5.0, True)
    """
    measures = [m for m in measures if m in runs_a.columns and m in runs_b.columns]
    keys = ["layout", "run"] if {"layout"} <= set(runs_a.columns) & set(runs_b.columns) else ["run"]
    a = runs_a.set_index(keys)[measures]
    b = runs_b.set_index(keys)[measures].reindex(a.index)
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


def lever_sweep(
    scale: str = "small",
    world: str = "yang",
    tools=TOOLS,
    *,
    runs: int = 2,
    layouts: int = 5,
    days: int | None = None,
    n_jobs: int = 2,
    progress: bool = True,
    seed=0,
) -> pd.DataFrame:
    """Per-run measures of every tool in :data:`TOOLS` (and no tool) in one world.

    Each tool meets the same ``layouts`` layouts and ``runs`` seeds (common random numbers), so
    :func:`lever_effects` can pair them.

    Examples
    --------
    >>> df = lever_sweep("small", "fulu", ("no tool", "useless tool"), runs=1, layouts=1,
    ...                  days=5, n_jobs=1, progress=False)
    >>> df["tool"].tolist()
    ['no tool', 'useless tool']
    """
    tools = list(dict.fromkeys(["no tool", *tools]))
    return sweep(scale, [{"tool": t} for t in tools], runs=runs, layouts=layouts, days=days,
                 world=world, n_jobs=n_jobs, progress=progress, seed=seed)  # fmt: skip


def lever_effects(runs: pd.DataFrame, measures=KEY_MEASURES) -> pd.DataFrame:
    """Effect of each tool over "no tool" (paired by layout and seed), stacked.

    ``runs`` is :func:`lever_sweep` output (a ``tool`` column). Returns the :func:`effect`
    columns plus ``comparison`` (the tool) and ``measure``; ``world`` too when ``runs`` has it.

    Examples
    --------
    >>> df = pd.DataFrame({"tool": ["no tool"] * 2 + ["x"] * 2, "layout": [1, 2, 1, 2],
    ...                    "run": [0, 0, 0, 0], "lost_g3": [1.0, 2.0, 2.0, 4.0]})
    >>> lever_effects(df, ["lost_g3"])[["comparison", "difference"]].values.tolist()
    [['x', 1.5]]
    """
    base = runs[runs["tool"] == "no tool"]
    parts = []
    for tool in dict.fromkeys(runs["tool"]):
        if tool == "no tool":
            continue
        e = effect(base, runs[runs["tool"] == tool], measures).reset_index()
        e.insert(0, "comparison", tool)
        if "world" in runs.columns:
            e.insert(0, "world", runs["world"].iloc[0])
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
    world: str = "yang",
) -> pd.DataFrame:
    """One run with the given tool next to the same run (same seed) without triage.

    The plain function behind the Lesson 06 widget. ``trust`` is the trust lever: in Yang et
    al.'s world the cut in bypassing (``trust_bypass_reduction``); in the Fu & Lu world the boost
    to the starting trust of an adopting hospital (``triage_trust_boost``), which then follows
    experience. Returns a DataFrame indexed by :data:`KEY_MEASURES` with columns ``no triage``,
    ``with triage`` and ``change``.

    Examples
    --------
    >>> t = compare_run(0.0, days=5)
    >>> bool((t["change"].dropna() == 0).all())    # adoption 0: the tool changes nothing
    True
    """
    base = scenario(scale, world)
    layout = make_layout(base, seed=layout_seed)
    lever = "triage_trust_boost" if world == "fulu" else "trust_bypass_reduction"
    tool = base.replace(triage_adoption=adoption, triage_sensitivity=sensitivity,
                        triage_specificity=specificity, **{lever: trust})  # fmt: skip
    a = triage_measures(run_evolution(layout, base, days=days, seed=seed))
    b = triage_measures(run_evolution(layout, tool, days=days, seed=seed))
    keys = list(KEY_MEASURES)
    out = pd.DataFrame({"no triage": a[keys].astype(float), "with triage": b[keys].astype(float)})
    out["change"] = out["with triage"] - out["no triage"]
    return out


def read_imbalance_index(value: float) -> str:
    """One sentence reading an imbalance index (tertiary over primary utilisation).

    Examples
    --------
    >>> read_imbalance_index(1.5)
    'above 1: tertiary hospitals are fuller than primary care (the imbalance Fu & Lu describe)'
    >>> read_imbalance_index(0.8)
    'below 1: primary care is fuller than tertiary hospitals (the opposite of the premise)'
    """
    v = float(value)
    if abs(v - 1) < 0.02:
        return "about 1: equal load at the top and the base"
    if v > 1:
        return "above 1: tertiary hospitals are fuller than primary care (the imbalance Fu & Lu describe)"
    return "below 1: primary care is fuller than tertiary hospitals (the opposite of the premise)"


H3_CLAIMS = (
    ("imbalance index moves towards 1", "imbalance_index", "towards 1"),
    ("more visits at primary level", "visit_share_g1", +1),
    ("fewer turn-aways at tertiary hospitals", "turned_away_g3_per_day", -1),
    ("fewer routine visits at tertiary hospitals", "routine_visits_g3_per_new_patient", -1),
    ("serious patients reach grade >= 2 more often", "serious_reached_grade2_share", +1),
)
"""What H3 predicts, as (claim, measure, direction) on the model's measures."""


def h3_verdicts(effects: pd.DataFrame, tool: str = "default tool") -> pd.DataFrame:
    """Is each part of H3 supported, contradicted or not shown, per world, for one tool?

    ``effects`` is :func:`lever_effects` output with a ``world`` column (both worlds stacked).
    A claim is *supported* when the 95 % interval of the paired difference lies wholly on the
    side H3 predicts, *contradicted* when it lies wholly on the other side, and *not shown*
    otherwise. "Towards 1" for the index means down where the baseline is above 1 and up where
    it is below. ``premise holds`` says whether the world's baseline index is above 1 (high-tier
    fuller than primary care): where it is not, no verdict is a test of H3.

    Examples
    --------
    >>> e = pd.DataFrame({"world": ["fulu"], "comparison": ["default tool"],
    ...     "measure": ["imbalance_index"], "mean_a": [1.6], "mean_b": [1.5],
    ...     "difference": [-0.1], "low": [-0.15], "high": [-0.05]})
    >>> h3_verdicts(e)["verdict"].tolist()
    ['supported']
    """
    rows = []
    sel = effects[effects["comparison"] == tool]
    for world, part in sel.groupby("world", sort=False):
        part = part.set_index("measure")
        premise = (
            bool(part.loc["imbalance_index", "mean_a"] > 1)
            if ("imbalance_index" in part.index)
            else None
        )
        for claim, measure, direction in H3_CLAIMS:
            if measure not in part.index:
                continue
            r = part.loc[measure]
            d = (1 if r["mean_a"] < 1 else -1) if direction == "towards 1" else direction
            if (d > 0 and r["low"] > 0) or (d < 0 and r["high"] < 0):
                verdict = "supported"
            elif (d > 0 and r["high"] < 0) or (d < 0 and r["low"] > 0):
                verdict = "contradicted"
            else:
                verdict = "not shown"
            rows.append({"world": world, "claim": claim, "measure": measure,
                         "without tool": r["mean_a"], "with tool": r["mean_b"],
                         "difference": r["difference"], "low": r["low"], "high": r["high"],
                         "verdict": verdict, "premise holds": premise})  # fmt: skip
    return pd.DataFrame(rows)


MODEL_OUTPUT_FILES = {
    "lost patients re-enter (authors' code)": "triage_effects_paper_summary.csv",
    "lost patients dropped": "triage_effects_paper_noreadmit_summary.csv",
}
"""Paper-scale effect tables of the earlier comparison (default and useless tool, Yang et al.'s
world, 500 days, 10 seeds, one layout) in ``datasets/model_output/`` (MODEL OUTPUT, synthetic),
made by ``python -m medkit.referral.triage effects --scale paper --seeds 10 [--no-readmit]
--out datasets/model_output``."""


def _model_output_dir(folder=None) -> Path:
    from medkit.data._paths import datasets_dir

    return Path(folder) if folder is not None else datasets_dir() / "model_output"


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
    folder = _model_output_dir(folder)
    parts = [pd.read_csv(folder / name).assign(variant=variant)
             for variant, name in MODEL_OUTPUT_FILES.items()]  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def load_lever_effects(scale: str = "small", folder=None) -> pd.DataFrame:
    """Shipped effects of every tool and lever in both worlds (MODEL OUTPUT, synthetic region).

    ``scale="small"``: 50 hospitals, 200 days, 5 layouts x 2 seeds; ``"paper"``: 200 hospitals,
    41,000 patients a day, 300 days, 3 layouts x 2 seeds. Made by
    ``python -m medkit.referral.triage levers --world yang|fulu --scale ... --layouts ...
    --seeds 2 [--days 300] --out datasets/model_output`` (see the folder's README).

    Examples
    --------
    >>> e = load_lever_effects("small")
    >>> sorted(e["world"].unique())
    ['fulu', 'yang']
    """
    if scale not in SCALES:
        raise DataError(f"scale must be one of {SCALES}, got {scale!r}")
    folder = _model_output_dir(folder)
    parts = [pd.read_csv(folder / f"triage_levers_{scale}{suffix}_summary.csv")
             for suffix in ("", "_fulu")]  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def load_lever_runs(scale: str = "small", world: str = "fulu", folder=None) -> pd.DataFrame:
    """The shipped per-run table behind :func:`load_lever_effects` for one world (model output).

    Examples
    --------
    >>> r = load_lever_runs("small", "fulu")
    >>> "no tool" in set(r["tool"]) and {"layout", "run"} <= set(r.columns)
    True
    """
    if scale not in SCALES:
        raise DataError(f"scale must be one of {SCALES}, got {scale!r}")
    suffix = "_fulu" if _check_world(world) == "fulu" else ""
    return pd.read_csv(_model_output_dir(folder) / f"triage_levers_{scale}{suffix}_runs.csv")


def dose_effects(runs: pd.DataFrame, x: str = "triage_adoption", measures=KEY_MEASURES):
    """Paired change from the lowest ``x`` at every level of ``x`` (a summary-shaped table).

    Comparing each level with the first on the same layout and seed removes the variation
    between layouts, which otherwise hides small effects in wide bands. Returns columns ``x``,
    measure, mean (the paired difference), low, high, n; at the first level the change is 0.

    Examples
    --------
    >>> df = pd.DataFrame({"triage_adoption": [0.0, 0.0, 1.0, 1.0], "layout": [1, 2, 1, 2],
    ...                    "run": 0, "lost_g3": [1.0, 5.0, 2.0, 7.0]})
    >>> dose_effects(df, measures=["lost_g3"])["mean"].tolist()
    [0.0, 1.5]
    """
    levels = sorted(runs[x].unique())
    base = runs[runs[x] == levels[0]]
    parts = []
    for v in levels:
        e = effect(base, runs[runs[x] == v], measures).reset_index()
        e = e.rename(columns={"difference": "mean"})[["measure", "mean", "low", "high", "n"]]
        if v == levels[0]:
            e[["mean", "low", "high"]] = 0.0
        e.insert(0, x, v)
        parts.append(e)
    return pd.concat(parts, ignore_index=True)


def load_sweep_runs(kind: str, scale: str = "small", world: str = "fulu", folder=None):
    """A shipped dose-response or heat-map per-run table (``kind`` "dose_response"/"heatmap").

    Examples
    --------
    >>> r = load_sweep_runs("dose_response", "small", "fulu")
    >>> {"layout", "run", "imbalance_index"} <= set(r.columns)
    True
    """
    if kind not in ("dose_response", "heatmap"):
        raise DataError(f"kind must be 'dose_response' or 'heatmap', got {kind!r}", column="kind")
    suffix = "_fulu" if _check_world(world) == "fulu" else ""
    return pd.read_csv(_model_output_dir(folder) / f"triage_{kind}_{scale}{suffix}_runs.csv")


def load_sweep_summary(kind: str, scale: str = "small", world: str = "fulu", folder=None):
    """A shipped dose-response or heat-map summary (``kind`` "dose_response" or "heatmap").

    Examples
    --------
    >>> s = load_sweep_summary("dose_response", "small", "fulu")
    >>> sorted(s["triage_adoption"].unique().tolist())
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    if kind not in ("dose_response", "heatmap"):
        raise DataError(f"kind must be 'dose_response' or 'heatmap', got {kind!r}", column="kind")
    _check_world(world)
    suffix = "_fulu" if world == "fulu" else ""
    return pd.read_csv(_model_output_dir(folder) / f"triage_{kind}_{scale}{suffix}_summary.csv")


# --- command line --------------------------------------------------------------------------------
def _main(argv=None) -> int:
    """Full-scale experiments from the command line, writing tidy CSVs (see ``--help``)."""
    from medkit.cli import Parser, nonnegative_int, positive_int, share
    from medkit.validation import output_folder

    ap = Parser(
        prog="python -m medkit.referral.triage",
        description="Digital-triage experiments on the referral model (H3). Writes tidy CSVs.",
    )
    ap.add_argument("experiment",
                    choices=["dose-response", "accuracy", "heatmap", "effects", "levers"])  # fmt: skip
    ap.add_argument("--scale", choices=SCALES, default="small")
    ap.add_argument("--world", choices=WORLDS, default="yang",
                    help="yang: Yang et al.'s saturated world (default); fulu: the Fu & Lu world")  # fmt: skip
    ap.add_argument("--layouts", type=positive_int, default=1, help="hospital layouts (default 1)")
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
    base = scenario(a.scale, a.world)
    if a.no_readmit:
        base = base.replace(readmit_lost_phase_a=False)
    out = output_folder(a.out, "--out")  # checked before a cluster starts or any simulation
    with executor_from_options(a.executor, a.scheduler, a.n_jobs) as executor:
        kw = dict(runs=a.seeds, days=a.days, n_jobs=a.n_jobs, progress=not a.no_progress,
                  seed=a.seed, layouts=a.layouts, executor=executor)  # fmt: skip
        return _run_cli(a, base, kw, out)


def _run_cli(a, base, kw, out) -> int:
    stem = (f"triage_{a.experiment.replace('-', '_')}_{a.scale}" + ("_fulu" * (a.world == "fulu"))
            + ("_noreadmit" * a.no_readmit))  # fmt: skip
    if a.experiment == "levers":
        runs = sweep(base, [{"tool": t} for t in TOOLS], **kw).assign(world=a.world)
        eff = lever_effects(runs)
        runs.to_csv(out / f"{stem}_runs.csv", index=False)
        eff.to_csv(out / f"{stem}_summary.csv", index=False)
        show = eff[eff["measure"].isin(["imbalance_index", "utilisation_g1", "lost_rate"])]
        print(show[["comparison", "measure", "mean_a", "mean_b", "difference", "low",
                    "high"]].to_string(index=False))  # fmt: skip
        return 0
    tool = tool_changes("default tool", a.world)
    tool.pop("triage_adoption")
    base = base.replace(**tool)  # the default tool's settings; adoption comes from the grid
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
