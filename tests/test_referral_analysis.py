"""Analysis, strategies, ensembles, CLI and the optional check on the authors' layout."""

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from medkit.referral import (
    ReferralParams,
    communities,
    extra_budget,
    grade_metrics,
    grade_pair_shares,
    key_nodes,
    layout_from_arrays,
    make_layout,
    run_evolution,
    run_strategy,
    stable_network,
    strategy_capacity,
    top_edges,
    topological_distance,
    weight_distance,
)
from medkit.referral.experiment import run_experiment, summarise

P = ReferralParams.small(days=30, strategy_days=10)


@pytest.fixture(scope="module")
def runs():
    lay = make_layout(P, seed=1)
    return lay, [run_evolution(lay, P, seed=s) for s in (1, 2)]


def test_top_edges_counts_and_quantile():
    w = np.random.default_rng(0).random((200, 200))
    assert top_edges(w).sum() == 1990
    assert top_edges(w, method="quantile").sum() >= 1990
    assert not top_edges(w).diagonal().any()


def test_distances_hand_case():
    n = 21  # 420 off-diagonal pairs, 5 % = 21 edges
    a = np.zeros((n, n))
    idx = [(i, (i + 1) % n) for i in range(n)]
    for k, (i, j) in enumerate(idx):
        a[i, j] = 10 + k
    b = a.copy()
    assert topological_distance(a, b) == 0.0 and weight_distance(a, b) == 0.0
    b[idx[0]] *= 2  # one weight doubled: relative error >= 0.1 on that edge (and others shift)
    assert weight_distance(a, b) > 0
    assert topological_distance(a, b) == 0.0


def test_stable_network_and_metrics(runs):
    lay, rs = runs
    g = stable_network(rs)
    assert isinstance(g, nx.DiGraph) and g.number_of_nodes() == 50
    assert g.number_of_edges() == round(0.05 * 50 * 49)
    gm = grade_metrics(g)
    assert gm.loc[3, "in_degree"] > gm.loc[2, "in_degree"] > gm.loc[1, "in_degree"]
    assert gm.loc[1, "out_degree"] > gm.loc[3, "out_degree"]
    assert gm.loc[3, "in_edge_distance"] > gm.loc[2, "in_edge_distance"]
    kn = key_nodes(g)
    assert set(kn["metric"]) == {
        "degree",
        "in_degree",
        "weighted_degree",
        "weighted_in_degree",
        "pagerank",
        "lost_patients",
        "out_degree",
        "weighted_out_degree",
    }
    assert (kn[kn.metric == "in_degree"]["grade"] == 3).all()
    c = communities(g)
    assert c.value_counts().min() >= 5
    assert c.equals(communities(g))  # seeded


def test_strategies(runs):
    lay, rs = runs
    g = stable_network(rs)
    base = lay.capacity
    budget = extra_budget(base)
    uni = strategy_capacity(lay, g, "uniform", P)
    assert (uni - base).sum() == budget
    for s in ("core", "bottleneck", "lost_patients"):
        cap = strategy_capacity(lay, g, s, P)
        extra = cap - base
        assert (extra > 0).sum() == 2 and extra.max() == budget // 2  # top 5 % of 50 = 2 (rounded)
    core = strategy_capacity(lay, g, "core", P)
    assert (lay.grade[core > base] == 3).any()
    with pytest.raises(ValueError):
        strategy_capacity(lay, g, "nonsense", P)


def test_phase_b_follows_network_or_fallback(runs):
    lay, rs = runs
    g = stable_network(rs)
    mask = nx.to_numpy_array(g, nodelist=range(50), weight=None) > 0
    r = run_strategy(lay, g, "baseline", P, seed=1)
    off_net = r.referrals[~mask].sum()
    assert off_net <= r.counters["fallback_referrals"]
    r2 = run_strategy(lay, g, "baseline", P.replace(phase_b_fallback=False), seed=1)
    assert r2.referrals[~mask].sum() == 0 and r2.counters["fallback_referrals"] == 0
    r3 = run_strategy(lay, g, "baseline", P, seed=1)
    np.testing.assert_array_equal(r.referrals, r3.referrals)


def test_grade_pair_shares_sum_to_100(runs):
    lay, rs = runs
    s = grade_pair_shares(rs[0].referrals, lay.grade)
    assert s["share"].sum() == pytest.approx(100.0)


def test_experiment_parallel_equals_serial():
    p = ReferralParams.small(days=8, strategy_days=4)
    a = run_experiment(
        p, runs=2, strategies=("baseline", "bottleneck"), n_jobs=1, progress=False, seed=4
    )
    b = run_experiment(
        p, runs=2, strategies=("baseline", "bottleneck"), n_jobs=2, progress=False, seed=4
    )
    for ra, rb in zip(a.phase_a, b.phase_a, strict=True):
        np.testing.assert_array_equal(ra.weights, rb.weights)
    np.testing.assert_array_equal(
        a.phase_b["bottleneck"][1].referrals, b.phase_b["bottleneck"][1].referrals
    )
    st = a.strategy_table()
    assert {"mean", "low", "high", "sd", "n"} <= set(st.columns)
    assert set(a.grade_table()["grade"]) == {1, 2, 3}


def test_summarise_interval():
    df = pd.DataFrame({"run": range(4), "g": 1, "v": [1.0, 2.0, 3.0, 4.0]})
    s = summarise(df, "g", ["v"]).iloc[0]
    assert s["low"] < 2.5 < s["high"]


def test_cli_small(tmp_path):
    from medkit.referral.__main__ import main

    out = tmp_path / "res"
    rc = main(["run", "--small", "--runs", "2", "--jobs", "1", "--days", "5", "--strategy-days",
               "3", "--strategies", "baseline,uniform", "--out", str(out), "--no-progress"])  # fmt: skip
    assert rc == 0
    for f in ("measures.csv", "grade_metrics.csv", "stable_network.csv", "pair_shares.csv",
              "strategy_summary.csv", "daily.csv", "phase_a_hospitals.csv"):  # fmt: skip
        assert (out / f).exists(), f
    m = pd.read_csv(out / "measures.csv")
    assert set(m["strategy"]) == {"evolution", "baseline", "uniform"}


def test_reproduction_table_shape():
    from medkit.referral.reproduce import reproduction_table

    p = ReferralParams.small(days=8, strategy_days=4)
    ex = run_experiment(p, runs=2, n_jobs=1, progress=False, seed=1)
    t = reproduction_table(ex)
    assert {"quantity", "paper", "medkit", "ok"} <= set(t.columns)
    assert t["quantity"].str.contains("in_degree grade 3").any()


AUTHORS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "referral"


@pytest.mark.slow
@pytest.mark.skipif(not (AUTHORS / "nodes_cure.csv").exists(), reason="authors' files absent")
def test_authors_layout_reproduces_their_totals():
    """On the authors' own layout, T = 500 gives their ~13.5 M referrals and grade structure."""
    df = pd.read_csv(AUTHORS / "nodes_cure.csv")
    xy = df["location"].str.strip("()").str.split(",", expand=True).astype(float)
    lay = layout_from_arrays(df["grade"], xy[0], xy[1], df["visit_limit"], side_km=200)
    r = run_evolution(lay, ReferralParams(), seed=1)
    assert abs(r.counters["referrals"] - 13_507_751) < 0.01 * 13_507_751
    gm = grade_metrics(stable_network([r]))
    np.testing.assert_allclose(gm["in_degree"], [0.03, 5.8, 76.2], atol=1.0)
    np.testing.assert_allclose(gm["out_degree"], [12.4, 8.8, 2.5], atol=1.0)
    lp = r.hospitals.groupby("grade")["lost_patients"].mean()
    assert lp.is_monotonic_increasing


def test_reproduction_table_with_layout_ensemble():
    from medkit.referral.reproduce import layout_ensemble, reproduction_table

    p = ReferralParams.small(days=6, strategy_days=3)
    ex = run_experiment(p, runs=2, strategies=("baseline", "bottleneck"), n_jobs=1,
                        progress=False, seed=1)  # fmt: skip
    lays = layout_ensemble(p, layouts=2, n_jobs=1, progress=False, seed=3)
    t = reproduction_table(ex, None, lays)
    assert "one_layout" in t.columns and t["quantity"].str.startswith("in_degree").sum() == 3
