"""The inter-hospital referral agent-based model of Yang et al. (2025), with digital triage.

Hospitals of three grades sit on a square plane. Every day about 41,000 patients appear at random
places, visit their nearest hospital and, when not cured or when the hospital is full, are referred
on: to hospital j with probability A w_hj/sum w + B (1/d_hj)/sum(1/d) + C p_hj/sum p over
hospitals with free capacity (history, distance, grade preference; A, B, C = 0.3, 0.3, 0.4), at
most 4 times. Referrals grow the weights w, and a referral network emerges (Phase A). The stable
top-5 % network is then held fixed to compare ways of adding 1 % capacity (Phase B). The full
specification is ``spec/referral-abm.md``; every parameter is in :class:`ReferralParams`.

Quick start
-----------
>>> from medkit.referral import ReferralParams, make_layout, run_evolution, stable_network
>>> from medkit.referral import run_strategy, grade_metrics, grade_pair_shares
>>> p = ReferralParams.small(days=20, strategy_days=10)   # 50 hospitals; .paper() = full scale
>>> lay = make_layout(p, seed=1)
>>> runs = [run_evolution(lay, p, seed=s) for s in (1, 2)]   # Phase A
>>> net = stable_network(runs)                                # networkx DiGraph, top 5 % edges
>>> res = run_strategy(lay, net, "bottleneck", p, seed=3)     # Phase B
>>> sorted(grade_metrics(net).index)
[1, 2, 3]

Public API
----------
Parameters and layout
    ``ReferralParams`` (frozen dataclass, defaults = paper; presets ``.paper()``, ``.small()``,
    ``.siphoning()``, ``.triage()``; ``.replace(**changes)``); ``STRATEGIES``;
    ``make_layout(params=None, *, seed)`` -> ``Layout`` (grade, x, y, capacity, distance,
    preference arrays; ``.to_frame()``, ``.with_capacity()``); ``layout_from_arrays(...)``;
    ``paper_like_layout(params, *, seed)`` (a random layout whose total capacity is within 0.5 %
    of the authors' 47,244 slots: lost patients depend sharply on capacity against demand).
Runs (one seed -> identical results; ``progress=True`` shows a tqdm bar)
    ``run_evolution(layout, params, *, days=None, snapshots=None, progress=False, seed)``
    -> ``RunResult`` (Phase A);
    ``run_strategy(layout, stable, strategy, params, *, days=None, progress=False, seed)``
    -> ``RunResult`` (Phase B; strategy in "baseline", "uniform", "core", "bottleneck",
    "lost_patients" or a capacity array); ``strategy_capacity(layout, stable, strategy, params)``.
    ``RunResult`` fields: ``weights`` (N x N), ``referrals`` (N x N counts of this run),
    ``hospitals`` (DataFrame per hospital: grade, capacity, visits, utilisation, lost_patients,
    cured_first, cured_referred, turned_away, days_at_capacity, referrals_out/in, initial_area,
    referral_area, ...), ``daily`` (DataFrame per day: patients, cured, lost, referrals, visits and
    full hospitals by grade), ``counters`` (dict of totals: patients, cured, lost, referrals,
    fallback_referrals, direct_referrals, bypassed, serious..., triaged, true_positive, ...,
    travel_km), ``snapshots`` ({T: weights}), ``adopters``; methods ``measures()`` (flat Series of
    outcome and imbalance measures: visit shares, utilisation by grade, utilisation_ratio_3_1,
    days_at_capacity_g3, lost by grade, referrals_per_patient, mean_travel_km, serious patients
    reaching grade >= 2 and in how many steps) and ``summary()``.
Analysis (pandas DataFrames, networkx DiGraphs)
    ``top_edges(weights, top_share=0.05, method="nlargest"|"quantile")``, ``to_digraph``,
    ``stable_network(results, top_share=0.05)``, ``topological_distance``, ``weight_distance``,
    ``stability_table(snapshots)``, ``stability_matrix(table)``, ``node_metrics(g)``,
    ``grade_metrics(g)``, ``key_nodes(g)``, ``communities(g, min_size=5, seed=123)``,
    ``grade_pair_shares(referrals, grade)``, ``grade_summary(hospitals)``.
Ensembles (parallel over processes or any ``executor=``, tqdm.auto progress, mean and 95 %
interval over runs)
    ``run_experiment(params=None, *, runs=10, strategies=STRATEGIES, n_jobs=2, progress=True,
    seed, executor=None)`` -> ``Experiment`` (``.layout``, ``.phase_a``, ``.stable``, ``.phase_b``;
    ``.grade_table()``, ``.strategy_table()``, ``.pair_share_table()``, ``.measures()``);
    ``run_many(...)``, ``run_stability(...)``, ``summarise(frame, by)``,
    ``medkit.referral.reproduce.reproduce(runs=10, n_jobs=2, seed=2025)`` and
    ``reproduction_table(experiment, stability=None)`` (paper vs medkit, spec section 7).
Step-through (lessons)
    ``medkit.referral.reference.trace_patients(layout, params, n_patients, *, seed)`` -> event
    DataFrame (arrive, full, cured, not cured, flagged, refer, lost) of the first patients of a
    day, identical to the compiled model; ``reference_day`` is the readable day step.
Command line
    ``python -m medkit.referral run --runs 10 --out results/`` (see ``--help``).

Reproducibility: every draw comes from a ``numpy.random.SeedSequence`` built from ``seed``; the
kernel uses two xoshiro256+ streams, one for the authors' model and one for the triage extension,
so with the extension's options at their defaults results are bit-identical to the plain model.

Fidelity to the authors' code (spec section 8): followed by default are the referral distance
(d0 + last leg only, column ``referral_area``; the whole path is ``referral_area_path``), lost
patients re-entering the next day in Phase A but dropped in Phase B (switches
``readmit_lost_phase_a`` / ``readmit_lost_phase_b``), the Phase-B fallback to any hospital with
capacity counted as a referral (switch ``phase_b_fallback``), a full hospital referring without
treatment (counted toward the limit), uncured patients using capacity, and strictly sequential
patients. Departures: runs are seeded; when no hospital anywhere has capacity in Phase B the patient
is lost and the loop ends (the code does not exit its loop, unreachable in practice); each day's
arrivals are drawn i.i.d. (the code draws all T values and shuffles them: the same distribution);
the stable network keeps exactly 5 % of edges (``nlargest``) and T comparisons use the quantile
threshold, as in the code; the stability check takes snapshots of one long run instead of one run
per T (``run_stability(..., separate_runs=True)`` does the latter).

Triage extension (issue 7; assumptions, all off by default): severity (``serious_share``,
``severity_cure``, ``cure_routine``, ``cure_serious``), bypass of primary care (``bypass_share``),
digital triage at a share of primary hospitals (``triage_adoption``, ``triage_sensitivity``,
``triage_specificity``, ``ai_cure_routine``, ``triage_referral_min_grade``,
``trust_bypass_reduction``). At an adopting primary hospital with capacity, on the patient's first
consultation, the tool flags or clears the patient (one slot is used either way). Flagged patients
are referred directly (a referral, counted in ``direct_referrals``) by the usual choice rule among
hospitals of grade >= ``triage_referral_min_grade`` with capacity; if none has capacity the patient
is treated locally as usual. Cleared routine patients are cured with ``ai_cure_routine``; cleared
serious patients (false negatives) with the primary serious rate, and when not cured follow the
usual referral path (late referral). See :class:`ReferralParams` for every default.
"""

from medkit.referral.analysis import (
    KEY_NODE_METRICS,
    communities,
    grade_metrics,
    grade_pair_shares,
    grade_summary,
    key_nodes,
    mean_weights,
    node_metrics,
    stability_matrix,
    stability_table,
    stable_network,
    to_digraph,
    top_edges,
    topological_distance,
    weight_distance,
)
from medkit.referral.experiment import (
    Experiment,
    run_experiment,
    run_many,
    run_stability,
    summarise,
)
from medkit.referral.layout import (
    Layout,
    grade_counts,
    layout_from_arrays,
    make_layout,
    paper_like_layout,
)
from medkit.referral.model import RunResult, run_evolution, run_measures, run_strategy
from medkit.referral.params import STRATEGIES, ReferralParams
from medkit.referral.reference import trace_patients
from medkit.referral.strategies import STRATEGY_LABELS, extra_budget, strategy_capacity

__all__ = [
    "KEY_NODE_METRICS",
    "STRATEGIES",
    "STRATEGY_LABELS",
    "Experiment",
    "Layout",
    "ReferralParams",
    "RunResult",
    "communities",
    "extra_budget",
    "grade_counts",
    "grade_metrics",
    "grade_pair_shares",
    "grade_summary",
    "key_nodes",
    "layout_from_arrays",
    "make_layout",
    "mean_weights",
    "node_metrics",
    "paper_like_layout",
    "run_experiment",
    "run_many",
    "run_stability",
    "summarise",
    "trace_patients",
    "run_evolution",
    "run_measures",
    "run_strategy",
    "stability_matrix",
    "stability_table",
    "stable_network",
    "strategy_capacity",
    "to_digraph",
    "top_edges",
    "topological_distance",
    "weight_distance",
]
