"""Model runs: Phase A (network evolution) and Phase B (strategy evaluation) around the kernel."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from medkit.errors import DataError
from medkit.referral import kernel as K
from medkit.referral.layout import GRADE_NAMES, Layout, nearest_grid
from medkit.referral.params import ReferralParams
from medkit.validation import whole_number


def seed_sequence(seed) -> np.random.SeedSequence:
    """A ``SeedSequence`` from an int, a ``Generator``, a ``SeedSequence`` or ``None``.

    A ``SeedSequence`` is copied fresh (no children spawned yet): spawning mutates it, so
    reusing one object for several runs would otherwise give each run different streams, and
    a run in a worker process (which gets a pickled copy) different streams from a serial run.

    Examples
    --------
    >>> ss = np.random.SeedSequence(5)
    >>> _ = ss.spawn(3)
    >>> seed_sequence(ss).spawn(1)[0].generate_state(1) == (
    ...     np.random.SeedSequence(5).spawn(1)[0].generate_state(1))
    array([ True])
    """
    if isinstance(seed, np.random.SeedSequence):
        return np.random.SeedSequence(
            entropy=seed.entropy, spawn_key=seed.spawn_key, pool_size=seed.pool_size
        )
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(int(seed.integers(0, 2**63 - 1)))
    if seed is None:
        return np.random.SeedSequence()
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise TypeError(f"seed must be a non-negative int, a numpy Generator or None, not {seed!r}")
    return np.random.SeedSequence(int(seed))


def _streams(seed):
    """Four independent children: arrivals, model stream s, triage stream t, triage adopters."""
    ss = seed_sequence(seed)
    arrivals, model, triage, adopters = ss.spawn(4)
    return ss, arrivals, model, triage, adopters


def daily_arrivals(params: ReferralParams, days: int, seed_seq) -> np.ndarray:
    """E8: floor(N(mean, sd)) new patients a day, at least 0."""
    rng = np.random.default_rng(seed_seq)
    draws = rng.normal(params.mean_daily_patients, params.sd_daily_patients, days)
    return np.maximum(0, np.floor(draws)).astype(np.int64)


def choose_adopters(layout: Layout, share: float, seed_seq) -> np.ndarray:
    """Boolean mask of triage-adopting primary hospitals; nested in ``share`` for a given seed."""
    primary = np.flatnonzero(layout.grade == 1)
    order = np.random.default_rng(seed_seq).permutation(primary)
    k = int(round(share * primary.size))
    adopt = np.zeros(layout.n_hospitals, dtype=np.bool_)
    adopt[order[:k]] = True
    return adopt


def _csr(mask: np.ndarray):
    out_ptr = np.zeros(mask.shape[0] + 1, dtype=np.int64)
    out_ptr[1:] = np.cumsum(mask.sum(axis=1))
    out_idx = np.nonzero(mask)[1].astype(np.int64)
    in_ptr = np.zeros(mask.shape[0] + 1, dtype=np.int64)
    in_ptr[1:] = np.cumsum(mask.sum(axis=0))
    in_idx = np.nonzero(mask.T)[1].astype(np.int64)
    return out_ptr, out_idx, in_ptr, in_idx


@dataclass
class Engine:
    """All arrays of one run (layout, network, state, counters), ready for the kernel.

    The reference implementation and the tests use it too, so both see exactly the same input.
    """

    layout: Layout
    params: ReferralParams
    phase_b: bool
    W: np.ndarray
    mask: np.ndarray
    adopt: np.ndarray
    state_s: np.ndarray
    state_t: np.ndarray
    fpar: np.ndarray = field(init=False)
    ipar: np.ndarray = field(init=False)

    def __post_init__(self):
        lay, p = self.layout, self.params
        n = lay.n_hospitals
        g = lay.grade
        self.fpar = np.array(
            [
                lay.side_km,
                p.weight_history,
                p.weight_distance,
                max(0.0, p.weight_grade),
                p.serious_share,
                p.bypass_share,
                p.triage_sensitivity,
                p.triage_specificity,
                p.ai_cure_routine,
                p.trust_bypass_reduction,
            ],
            dtype=np.float64,
        )
        self.ipar = np.array(
            [
                p.referral_limit,
                int(self.phase_b),
                int(p.phase_b_fallback),
                int(p.severity_cure),
                int(self.adopt.any()),
                p.triage_referral_min_grade,
            ],
            dtype=np.int64,
        )
        self.cure = np.asarray(p.cure_probability, dtype=np.float64)[g - 1]
        self.cure_routine = np.asarray(p.cure_routine, dtype=np.float64)[g - 1]
        self.cure_serious = np.asarray(p.cure_serious, dtype=np.float64)[g - 1]
        self.invd = lay.inverse_distance
        mask = self.mask.copy()
        np.fill_diagonal(mask, False)
        self.mask = mask
        self.invd_m = np.where(mask, self.invd, 0.0)
        self.pref_m = np.where(mask, lay.preference, 0.0)
        self.out_ptr, self.out_idx, self.in_ptr, self.in_idx = _csr(mask)
        self.gk, self.gstart, self.gitems = nearest_grid(lay.x, lay.y, lay.side_km)
        self.hk, self.hstart, self.hitems = nearest_grid(
            lay.x, lay.y, lay.side_km, np.flatnonzero(g >= 2)
        )
        self.refc = np.zeros((n, n), dtype=np.int64)
        self.F = np.zeros(n, dtype=np.int64)
        self.Sw = np.zeros(n)
        self.Sd = np.zeros(n)
        self.Sp = np.zeros(n)
        self.cnt = np.zeros(n, dtype=np.int64)
        self.nfree = np.zeros(1, dtype=np.int64)
        self.hcount = np.zeros((n, K.N_HCOUNT), dtype=np.int64)
        self.hdist = np.zeros((n, K.N_HDIST), dtype=np.float64)
        self.glob = np.zeros(K.N_GLOBAL, dtype=np.int64)
        self.gfloat = np.zeros(1, dtype=np.float64)
        self.capacity = lay.capacity.astype(np.int64)

    def start_day(self):
        K.start_day(
            self.capacity, self.F, self.W, self.invd_m, self.pref_m, self.out_ptr, self.out_idx,
            self.Sw, self.Sd, self.Sp, self.cnt, self.nfree,
        )  # fmt: skip

    def run_day(self, n_patients: int) -> int:
        lay = self.layout
        return K.run_day(
            int(n_patients), self.fpar, self.ipar, lay.x, lay.y, lay.grade, self.cure,
            self.cure_routine, self.cure_serious, self.adopt, self.W, self.invd_m, self.pref_m,
            lay.distance, self.refc, self.out_ptr, self.out_idx, self.in_ptr, self.in_idx,
            self.gk, self.gstart, self.gitems, self.hk, self.hstart, self.hitems,
            self.F, self.Sw, self.Sd, self.Sp, self.cnt, self.nfree,
            self.hcount, self.hdist, self.glob, self.gfloat, self.state_s, self.state_t,
        )  # fmt: skip


def make_engine(layout, params, *, phase_b=False, weights=None, seed=None) -> tuple[Engine, dict]:
    """Build the :class:`Engine` of one run and its seed material (used by runs and tests)."""
    n = layout.n_hospitals
    ss, s_arr, s_model, s_triage, s_adopt = _streams(seed)
    if weights is None:
        W = np.full((n, n), float(params.initial_weight))
        np.fill_diagonal(W, 0.0)
        mask = ~np.eye(n, dtype=bool)
    else:
        W = np.asarray(weights, dtype=np.float64).copy()
        if W.shape != (n, n):
            raise DataError(f"network weights must be {n} x {n}, got {W.shape}")
        mask = W > 0
        W = np.where(mask, W, 0.0)
    adopt = choose_adopters(layout, params.triage_adoption, s_adopt)
    eng = Engine(
        layout, params, phase_b, W, mask, adopt, K.new_state(s_model), K.new_state(s_triage)
    )
    return eng, {"seed_sequence": ss, "arrivals": s_arr}


@dataclass
class RunResult:
    """One Phase-A or Phase-B run.

    Attributes
    ----------
    phase : "A" (network evolution) or "B" (strategy evaluation).
    strategy : the Phase-B strategy name, or None.
    params, layout : what was run (``layout.capacity`` includes a strategy's extra slots).
    weights : (N, N) float array. Phase A: the evolved weights w_ij (initial 1 + referrals, 0 on
        the diagonal). Phase B: the fixed network used.
    referrals : (N, N) int array, referrals i -> j made in this run (the code's ``new_weight`` in
        Phase B; weights - 1 in Phase A).
    hospitals : DataFrame, one row per hospital (see :func:`hospital_table`).
    daily : DataFrame, one row per day.
    counters : dict of run totals (see ``kernel.GLOBAL_NAMES``) plus ``travel_km`` and ``days``.
    snapshots : {T: weights at the end of day T} when asked for.
    adopters : boolean mask of triage-adopting hospitals.
    entropy : the seed entropy (rerun with ``seed=numpy.random.SeedSequence(entropy)``).
    """

    phase: str
    strategy: str | None
    params: ReferralParams
    layout: Layout
    weights: np.ndarray
    referrals: np.ndarray
    hospitals: pd.DataFrame
    daily: pd.DataFrame
    counters: dict
    snapshots: dict
    adopters: np.ndarray
    entropy: object = None

    def measures(self) -> pd.Series:
        """Per-run outcome and imbalance measures (see :func:`run_measures`)."""
        return run_measures(self)

    def summary(self) -> pd.DataFrame:
        """Per-grade means of the hospital table plus run totals, as a small table."""
        cols = ["visits", "utilisation", "lost_patients", "referrals_out", "referrals_in",
                "initial_area", "days_at_capacity"]  # fmt: skip
        return self.hospitals.groupby("grade")[cols].mean()

    def __repr__(self) -> str:
        c = self.counters
        what = f"phase {self.phase}" + (f", strategy {self.strategy}" if self.strategy else "")
        return (
            f"<RunResult {what}: {self.layout.n_hospitals} hospitals, {c['days']} days, "
            f"{c['patients']:,} patients, {c['referrals']:,} referrals, {c['lost']:,} lost>"
        )


def hospital_table(eng: Engine, days: int) -> pd.DataFrame:
    """Per-hospital table of a finished run.

    Columns: grade, grade_name, x, y, capacity, triage_adopter, visits (slots used), utilisation
    (visits / (capacity x days)), lost_patients (LP), cured_first (VP_init), cured_referred
    (VP_ref), turned_away (arrivals at a full hospital), days_at_capacity, referrals_out,
    referrals_in, initial_distance, referral_distance (the code's quirk: d0 + last leg),
    referral_distance_path (d0 + whole path), initial_area (= initial_distance / VP_init, divisor 1
    when 0), referral_area (quirk, the code's RA) and referral_area_path.
    """
    lay = eng.layout
    hc, hd = eng.hcount, eng.hdist
    cap = lay.capacity.astype(float)
    vp_init = hc[:, K.H_CURED_FIRST]
    vp_ref = hc[:, K.H_CURED_REFERRED]
    df = pd.DataFrame(
        {
            "grade": lay.grade,
            "grade_name": [GRADE_NAMES[int(g)] for g in lay.grade],
            "x": lay.x,
            "y": lay.y,
            "capacity": lay.capacity,
            "triage_adopter": eng.adopt.astype(bool),
            "visits": hc[:, K.H_VISITS],
            "utilisation": np.divide(
                hc[:, K.H_VISITS], cap * days, out=np.zeros(cap.size), where=cap > 0
            ),
            "lost_patients": hc[:, K.H_LOST],
            "cured_first": vp_init,
            "cured_referred": vp_ref,
            "turned_away": hc[:, K.H_TURNED_AWAY],
            "days_at_capacity": hc[:, K.H_DAYS_FULL],
            "referrals_out": hc[:, K.H_REF_OUT],
            "referrals_in": hc[:, K.H_REF_IN],
            "initial_distance": hd[:, K.D_INITIAL],
            "referral_distance": hd[:, K.D_REFERRAL_LAST_LEG],
            "referral_distance_path": hd[:, K.D_REFERRAL_PATH],
        },
        index=pd.RangeIndex(lay.n_hospitals, name="hospital"),
    )
    df["initial_area"] = df["initial_distance"] / np.maximum(vp_init, 1)
    df["referral_area"] = df["referral_distance"] / np.maximum(vp_ref, 1)
    df["referral_area_path"] = df["referral_distance_path"] / np.maximum(vp_ref, 1)
    return df


def _progress(iterable, progress, desc, total=None):
    if not progress:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, desc=desc, total=total, leave=False)


def _simulate(layout, params, *, phase_b, weights, days, seed, readmit, snapshots, progress, desc):
    eng, seeds = make_engine(layout, params, phase_b=phase_b, weights=weights, seed=seed)
    arrivals = daily_arrivals(params, days, seeds["arrivals"])
    snaps = set(int(t) for t in (snapshots or ()))
    snapshot_weights = {}
    n = layout.n_hospitals
    grade = layout.grade
    rows = np.zeros((days, 11), dtype=np.int64)
    carry = 0
    prev = eng.glob.copy()
    prev_visits = np.zeros(n, dtype=np.int64)
    for d in _progress(range(days), progress, desc):
        eng.start_day()
        n_today = int(arrivals[d]) + carry
        lost = eng.run_day(n_today)
        carry = lost if readmit else 0
        g = eng.glob
        vis = eng.hcount[:, K.H_VISITS]
        dv = vis - prev_visits
        full = eng.F == 0
        rows[d] = (
            n_today,
            arrivals[d],
            g[K.G_CURED] - prev[K.G_CURED],
            g[K.G_LOST] - prev[K.G_LOST],
            g[K.G_REFERRALS] - prev[K.G_REFERRALS],
            dv[grade == 1].sum(),
            dv[grade == 2].sum(),
            dv[grade == 3].sum(),
            full[grade == 1].sum(),
            full[grade == 2].sum(),
            full[grade == 3].sum(),
        )
        prev = g.copy()
        prev_visits = vis.copy()
        if d + 1 in snaps:
            snapshot_weights[d + 1] = eng.W.copy()
    daily = pd.DataFrame(
        rows,
        columns=["patients", "new_patients", "cured", "lost", "referrals", "visits_grade1",
                 "visits_grade2", "visits_grade3", "full_grade1", "full_grade2", "full_grade3"],
        index=pd.RangeIndex(1, days + 1, name="day"),
    )  # fmt: skip
    counters = {name: int(eng.glob[k]) for k, name in enumerate(K.GLOBAL_NAMES)}
    counters["travel_km"] = float(eng.gfloat[0])
    counters["days"] = int(days)
    return eng, daily, counters, snapshot_weights, seeds["seed_sequence"].entropy


def run_evolution(
    layout: Layout,
    params: ReferralParams | None = None,
    *,
    days: int | None = None,
    snapshots=None,
    progress: bool = False,
    seed,
) -> RunResult:
    """Phase A: grow the referral network from weights 1 for ``days`` days (spec sections 2-3).

    Parameters
    ----------
    layout : Layout
    params : ReferralParams, optional (paper defaults).
    days : int, optional, default ``params.days`` (500).
    snapshots : iterable of int, optional. Days T at which to keep a copy of the weights (for the
        stability check across T, e.g. ``range(500, 1001, 100)`` with ``days=1000``).
    progress : show a tqdm progress bar over days.
    seed : int, Generator or SeedSequence. Same seed, identical results.

    Examples
    --------
    >>> from medkit.referral import ReferralParams, make_layout, run_evolution
    >>> p = ReferralParams.small(days=5)
    >>> res = run_evolution(make_layout(p, seed=1), p, seed=2)
    >>> res.counters["patients"] > 50000, res.weights.shape
    (True, (50, 50))
    """
    params = ReferralParams() if params is None else params
    days = params.days if days is None else whole_number("days", days, minimum=1, maximum=10**6)
    eng, daily, counters, snaps, entropy = _simulate(
        layout, params, phase_b=False, weights=None, days=days, seed=seed,
        readmit=params.readmit_lost_phase_a, snapshots=snapshots, progress=progress,
        desc="phase A",
    )  # fmt: skip
    return RunResult(
        "A", None, params, layout, eng.W, eng.refc, hospital_table(eng, days), daily, counters,
        snaps, eng.adopt.copy(), entropy,
    )  # fmt: skip


def network_weights(stable, n: int) -> np.ndarray:
    """(N, N) weight matrix of a stable network (networkx DiGraph or array)."""
    if isinstance(stable, nx.DiGraph):
        W = np.zeros((n, n))
        for i, j, w in stable.edges(data="weight", default=1.0):
            W[int(i), int(j)] = float(w)
        return W
    W = np.asarray(stable, dtype=np.float64)
    if W.shape != (n, n):
        raise DataError(f"stable network must be {n} x {n}, got {W.shape}")
    return W


def run_strategy(
    layout: Layout,
    stable,
    strategy: str = "baseline",
    params: ReferralParams | None = None,
    *,
    days: int | None = None,
    lost_patients=None,
    progress: bool = False,
    seed,
) -> RunResult:
    """Phase B: evaluate a capacity strategy on the fixed stable network (spec section 5).

    Parameters
    ----------
    layout : Layout (its capacities are the baseline).
    stable : networkx.DiGraph from :func:`~medkit.referral.stable_network` (edge ``weight``) or an
        (N, N) weight array; referrals only follow its edges (plus the V5 fallback).
    strategy : "baseline", "uniform", "core", "bottleneck" or "lost_patients"
        (see :func:`~medkit.referral.strategy_capacity`), or an explicit capacity array.
    days : default ``params.strategy_days`` (500).
    lost_patients : per-hospital Phase-A LP used to rank "lost_patients"; default: the node
        attribute ``lost_patients`` of ``stable``.
    seed : int, Generator or SeedSequence.

    Examples
    --------
    >>> from medkit.referral import (ReferralParams, make_layout, run_evolution,
    ...     stable_network, run_strategy)
    >>> p = ReferralParams.small(days=20, strategy_days=5)
    >>> lay = make_layout(p, seed=1)
    >>> net = stable_network([run_evolution(lay, p, seed=2)])
    >>> res = run_strategy(lay, net, "bottleneck", p, seed=3)
    >>> res.phase, res.strategy, int(res.layout.capacity.sum() - lay.capacity.sum()) > 0
    ('B', 'bottleneck', True)
    """
    from medkit.referral.strategies import strategy_capacity

    params = ReferralParams() if params is None else params
    days = (
        params.strategy_days
        if days is None
        else whole_number("days", days, minimum=1, maximum=10**6)
    )
    n = layout.n_hospitals
    if isinstance(strategy, str):
        cap = strategy_capacity(layout, stable, strategy, params, lost_patients=lost_patients)
        name = strategy
    else:
        cap = np.asarray(strategy, dtype=np.int64)
        name = "custom"
    lay = layout.with_capacity(cap)
    W = network_weights(stable, n)
    eng, daily, counters, _, entropy = _simulate(
        lay, params, phase_b=True, weights=W, days=days, seed=seed,
        readmit=params.readmit_lost_phase_b, snapshots=None, progress=progress,
        desc=f"phase B {name}",
    )  # fmt: skip
    return RunResult(
        "B", name, params, lay, eng.W, eng.refc, hospital_table(eng, days), daily, counters, {},
        eng.adopt.copy(), entropy,
    )  # fmt: skip


def run_measures(result: RunResult) -> pd.Series:
    """Outcome and structural-imbalance measures of one run, as a flat Series.

    * ``visit_share_g{1,2,3}``: share of all visits (slots used) by grade;
    * ``utilisation_g{1,2,3}``: visits / (capacity x days), by grade;
    * ``utilisation_ratio_3_1``: grade-3 over grade-1 utilisation (a simple imbalance index);
    * ``days_at_capacity_g3``: mean over tertiary hospitals of days they filled up;
    * ``lost_g{1,2,3}`` and ``lost_total``: lost patients (LP) by grade of the last hospital;
    * ``referrals_per_patient``, ``mean_travel_km`` (first trip + every referral leg), ``lost_rate``;
    * ``serious_reached_grade2_share``: serious patients treated at grade >= 2 at some point,
      ``serious_steps_to_grade2``: mean referrals before that, ``serious_visits_to_grade2``: mean
      treated visits before that; ``serious_cured_share``;
    * triage: ``triaged``, ``true_positive``, ... as counts; ``direct_referrals``; ``bypassed``.
    """
    h = result.hospitals
    c = result.counters
    days = c["days"]
    out = {}
    total_visits = max(1, int(h["visits"].sum()))
    for g in (1, 2, 3):
        sel = h[h["grade"] == g]
        capg = float(sel["capacity"].sum()) * days
        out[f"visit_share_g{g}"] = sel["visits"].sum() / total_visits
        out[f"utilisation_g{g}"] = sel["visits"].sum() / capg if capg > 0 else np.nan
        out[f"lost_g{g}"] = float(sel["lost_patients"].sum())
        out[f"lost_per_hospital_g{g}"] = float(sel["lost_patients"].mean()) if len(sel) else np.nan
    out["utilisation_ratio_3_1"] = out["utilisation_g3"] / out["utilisation_g1"]
    g3 = h[h["grade"] == 3]
    out["days_at_capacity_g3"] = float(g3["days_at_capacity"].mean()) if len(g3) else np.nan
    patients = max(1, c["patients"])
    out["patients"] = c["patients"]
    out["referrals"] = c["referrals"]
    out["lost_total"] = c["lost"]
    out["lost_rate"] = c["lost"] / patients
    out["referrals_per_patient"] = c["referrals"] / patients
    out["mean_travel_km"] = c["travel_km"] / patients
    serious = max(1, c["serious"])
    reached = max(1, c["serious_reached_grade2"])
    out["serious_reached_grade2_share"] = c["serious_reached_grade2"] / serious
    out["serious_steps_to_grade2"] = c["serious_steps_to_grade2"] / reached
    out["serious_visits_to_grade2"] = c["serious_visits_to_grade2"] / reached
    out["serious_cured_share"] = c["serious_cured"] / serious
    for k in ("fallback_referrals", "direct_referrals", "bypassed", "triaged", "true_positive",
              "false_positive", "false_negative", "true_negative", "cleared_cured_locally"):  # fmt: skip
        out[k] = c[k]
    return pd.Series(out, name=result.strategy or f"phase {result.phase}")
