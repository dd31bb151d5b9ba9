"""Valued (count) ERGMs: statistics by hand, change statistics, exact fit = Poisson GLM, MCMC."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from medkit import ergm
from medkit.ergm.valued import ValuedModel, fit_valued, kernels, summary_stats_valued
from medkit.ergm.valued.terms import summary_statistic, transitiveweights_stat
from medkit.errors import DataError, FormulaError

ALL_TERMS = (
    "sum + nonzero + atleast(2) + nodeicov('a') + nodeocov('a', form='nonzero') + "
    "nodecov('a') + edgecov('w') + edgecov('w', form='nonzero') + mutual + "
    "mutual(form='nabsdiff') + mutual('product') + mutual(form='geometric') + "
    "transitiveweights + transitiveweights('geomean', 'sum', 'geomean') + "
    "transitiveweights('min', 'sum', 'min')"
)


def _graph(y, attr=None, w=None):
    n = y.shape[0]
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for i in range(n):
        g.nodes[i]["a"] = float(i if attr is None else attr[i])
    for i, j in zip(*np.nonzero(y), strict=True):
        g.add_edge(int(i), int(j), count=int(y[i, j]))
    cov = {"w": np.arange(n * n, dtype=float).reshape(n, n) / 10 if w is None else w}
    return g, cov


def _three():
    # 0 -> 1: 3, 1 -> 0: 1, 1 -> 2: 2, 0 -> 2: 4
    y = np.array([[0, 3, 4], [1, 0, 2], [0, 0, 0]])
    return y, *_graph(y, attr=[1.0, 2.0, 5.0])


def test_statistics_by_hand_on_three_nodes():
    y, g, cov = _three()
    s = summary_stats_valued(
        g,
        "sum + nonzero + atleast(3) + nodeicov('a') + nodeocov('a') + nodecov('a') + "
        "mutual + mutual(form='nabsdiff') + mutual('product') + mutual('geometric') + "
        "transitiveweights + nodeicov('a', form='nonzero')",
        edge_covariates={"w": np.array([[0, 1, 0], [2, 0, 0], [0, 0, 0.0]])},
    )
    assert s["sum"] == 10
    assert s["nonzero"] == 4
    assert s["atleast.3"] == 2  # 3 and 4
    assert s["nodeicov.sum.a"] == 3 * 2 + 4 * 5 + 1 * 1 + 2 * 5  # 37
    assert s["nodeocov.sum.a"] == 3 * 1 + 4 * 1 + 1 * 2 + 2 * 2  # 13
    assert s["nodecov.sum.a"] == 37 + 13
    assert s["mutual.min"] == 1  # min(3, 1)
    assert s["mutual.nabsdiff"] == -(2 + 4 + 2)  # |3-1| + |4-0| + |2-0|
    assert s["mutual.product"] == 3
    assert s["mutual.geom.mean"] == pytest.approx(np.sqrt(3))
    # two-paths: 0 -> 1 -> 2 under the tie 0 -> 2: min(4, min(3, 2)) = 2;
    # 1 -> 0 -> 2 under the tie 1 -> 2: min(2, min(1, 4)) = 1
    assert s["transitiveweights.min.max.min"] == 2 + 1
    assert s["nodeicov.nonzero.a"] == 2 + 5 + 1 + 5
    assert s.index.tolist()[:3] == ["sum", "nonzero", "atleast.3"]


def test_edgecov_valued_and_statnet_names():
    y, g, _ = _three()
    w = np.array([[0, 1, 0.5], [2, 0, 0], [0, 0, 0.0]])
    s = summary_stats_valued(g, "edgecov('w') + edgecov('w', form='nonzero')",
                             edge_covariates={"w": w})  # fmt: skip
    assert s["edgecov.sum.w"] == 3 * 1 + 4 * 0.5 + 1 * 2
    assert s["edgecov.nonzero.w"] == 1 + 0.5 + 2
    # through the public entry point too
    s2 = ergm.summary_stats(g, "sum + mutual(form='min')", response="count")
    assert s2.tolist() == [10.0, 1.0]


def test_transitiveweights_forms_by_hand():
    # 0 -> 1 -> 2 and 0 -> 3 -> 2 with the direct tie 0 -> 2
    y = np.zeros((4, 4), dtype=np.int64)
    y[0, 1], y[1, 2], y[0, 3], y[3, 2], y[0, 2] = 4, 9, 1, 1, 5
    # twopaths into (0, 2): min(4, 9) = 4 and min(1, 1) = 1; geomean: 6 and 1
    assert transitiveweights_stat(y, 0) == min(5, max(4, 1))  # min.max.min
    assert transitiveweights_stat(y, 2) == min(5, 4 + 1)  # min.sum.min
    assert transitiveweights_stat(y, 4 + 2 + 1) == pytest.approx(np.sqrt(5 * (6 + 1)))
    g, _ = _graph(y)
    s = summary_stats_valued(g, "transitiveweights + transitiveweights('min', 'sum', 'min')")
    assert s.tolist() == [4.0, 5.0]


@pytest.mark.parametrize("seed", range(4))
def test_compiled_statistics_equal_the_numpy_reference(seed):
    rng = np.random.default_rng(seed)
    n = 7
    y = rng.poisson(rng.uniform(0.2, 3.0), (n, n))
    np.fill_diagonal(y, 0)
    g, cov = _graph(y, attr=rng.normal(size=n), w=rng.normal(size=(n, n)))
    m = ValuedModel(g, ALL_TERMS, "count", cov)
    direct = [
        summary_statistic(c, p, m.X[:, :, k], y)
        for k, (c, p) in enumerate(zip(m.codes, m.params, strict=True))
    ]
    np.testing.assert_allclose(m.observed_stats, direct, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_change_statistics_equal_differences_of_summary_statistics(seed):
    rng = np.random.default_rng(100 + seed)
    n = 6
    y = rng.poisson(1.5, (n, n)).astype(np.int64)
    np.fill_diagonal(y, 0)
    g, cov = _graph(y, attr=rng.normal(size=n), w=rng.normal(size=(n, n)))
    m = ValuedModel(g, ALL_TERMS, "count", cov)
    delta = np.zeros(m.p)
    for _ in range(40):
        i, j = rng.choice(n, 2, replace=False)
        new = int(rng.integers(0, 8))
        before = m.summary_stats(y)
        kernels.change_stats(y, i, j, new, m.X, m.codes, m.params, delta)
        y[i, j] = new
        after = np.array(
            [summary_statistic(c, p, m.X[:, :, k], y)
             for k, (c, p) in enumerate(zip(m.codes, m.params, strict=True))]
        )  # fmt: skip
        np.testing.assert_allclose(delta, after - before, rtol=1e-10, atol=1e-9)


def _flows(n=9, seed=5):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    w = rng.uniform(0, 1, (n, n))
    lam = np.exp(0.3 + 0.5 * a[None, :] - 1.0 * w)
    y = rng.poisson(lam)
    np.fill_diagonal(y, 0)
    g, cov = _graph(y, attr=a, w=w)
    return y, g, cov, a, w


def test_dyad_independent_fit_equals_statsmodels_poisson_glm():
    import statsmodels.api as sm

    y, g, cov, a, w = _flows()
    res = ergm.fit(
        g, "sum + nodeicov('a') + nodeocov('a') + edgecov('w')", response="count",
        reference="Poisson", edge_covariates=cov,
    )  # fmt: skip
    n = y.shape[0]
    rows, cols = np.nonzero(~np.eye(n, dtype=bool))
    X = np.column_stack([np.ones(rows.size), a[cols], a[rows], w[rows, cols]])
    ref = sm.GLM(y[rows, cols], X, family=sm.families.Poisson()).fit()
    assert res.method == "MLE"
    np.testing.assert_allclose(res.params.to_numpy(), ref.params, atol=1e-6)
    np.testing.assert_allclose(res.bse.to_numpy(), ref.bse, atol=1e-6)
    assert res.loglik == pytest.approx(ref.llf, abs=1e-6)
    assert res.aic == pytest.approx(ref.aic, abs=1e-6)
    assert res.coef_names == ["sum", "nodeicov.sum.a", "nodeocov.sum.a", "edgecov.sum.w"]


def test_hurdle_fit_with_nonzero_is_the_exact_mle():
    from scipy.optimize import minimize
    from scipy.special import gammaln

    y, g, cov, a, _ = _flows(seed=8)
    res = fit_valued(g, "sum + nonzero + nodeicov('a')", edge_covariates=cov)
    n = y.shape[0]
    rows, cols = np.nonzero(~np.eye(n, dtype=bool))
    yv, av = y[rows, cols], a[cols]

    def nll(t):
        eta = t[0] + t[2] * av
        lam = np.exp(eta)
        log_z = np.logaddexp(0, t[1] + lam + np.log(-np.expm1(-lam)))
        return -np.sum(yv * eta + (yv > 0) * t[1] - gammaln(yv + 1) - log_z)

    ref = minimize(nll, np.zeros(3), method="BFGS", options={"gtol": 1e-10})
    np.testing.assert_allclose(res.params.to_numpy(), ref.x, atol=1e-5)
    assert res.loglik == pytest.approx(-ref.fun, abs=1e-6)


def test_mcmc_mle_of_a_dyad_independent_model_agrees_with_the_exact_fit():
    y, g, cov, a, _ = _flows(n=12, seed=2)
    formula = "sum + nonzero + nodeicov('a')"
    exact = fit_valued(g, formula, edge_covariates=cov)
    mc = fit_valued(g, formula, edge_covariates=cov, method="MCMC", seed=3, samplesize=512)
    z = (mc.params - exact.params) / exact.bse
    assert np.all(np.abs(z) < 0.5), z
    np.testing.assert_allclose(mc.bse, exact.bse, rtol=0.25)
    # bridge sampling has nothing to bridge here: the log-likelihood is exact
    assert mc.loglik == pytest.approx(exact.loglik, abs=0.5)


def test_mcmc_mle_recovers_negative_reciprocity_and_is_reproducible():
    rng = np.random.default_rng(11)
    n = 14
    y = rng.poisson(2.0, (n, n))
    np.fill_diagonal(y, 0)
    g, _ = _graph(y)
    m = ValuedModel(g, "sum + mutual(form='min')", "count")
    from medkit.ergm.valued import simulate_valued

    truth = np.array([np.log(2.0), -0.4])
    sim = simulate_valued(m, truth, nsim=1, seed=4)[0]
    g2, _ = _graph(sim)
    a = fit_valued(g2, "sum + mutual(form='min')", seed=9, samplesize=512, bridge_steps=4)
    b = fit_valued(g2, "sum + mutual(form='min')", seed=9, samplesize=512, bridge_steps=4)
    pd.testing.assert_series_equal(a.params, b.params)
    assert a.loglik == b.loglik
    assert a.params["mutual.min"] < 0
    assert abs(a.params["mutual.min"] - truth[1]) < 3 * a.bse["mutual.min"]
    assert a.mcse is not None and np.all(a.mcse > 0)
    assert "Monte Carlo MLE" in str(a.summary())


def test_random_walk_proposal_targets_the_same_model():
    y, g, cov, a, _ = _flows(n=10, seed=4)
    formula = "sum + nodeicov('a')"
    exact = fit_valued(g, formula, edge_covariates=cov)
    mc = fit_valued(g, formula, edge_covariates=cov, method="MCMC", seed=1, samplesize=512,
                    interval=4000, proposal="random-walk", loglik=False)  # fmt: skip
    assert np.all(np.abs((mc.params - exact.params) / exact.bse) < 0.6)


# ------------------------------------------------------------------ bad input
def test_bad_counts_name_the_edge():
    g, _ = _graph(np.array([[0, 1, 0], [0, 0, 2], [1, 0, 0]]))
    for value, message in ((-2, "negative count"), (1.5, "fractional count"),
                           (float("nan"), "missing or infinite")):  # fmt: skip
        h = g.copy()
        h.edges[1, 2]["count"] = value
        with pytest.raises(DataError, match=rf"edge 1 -> 2: .*{message}"):
            ergm.fit(h, "sum", response="count")
    h = g.copy()
    del h.edges[2, 0]["count"]
    with pytest.raises(DataError, match="edge 2 -> 0 has no 'count' attribute"):
        ergm.fit(h, "sum", response="count")
    with pytest.raises(DataError, match=r"edge 0 -> 2: negative response"):
        ergm.fit(g, "sum", response=np.array([[0, 1, -1], [0, 0, 2], [1, 0, 0]]))


def test_reference_other_than_poisson_is_refused():
    g, _ = _graph(np.array([[0, 1, 0], [0, 0, 2], [1, 0, 0]]))
    with pytest.raises(ValueError, match="reference='Geometric' is not implemented"):
        ergm.fit(g, "sum", response="count", reference="Geometric")


def test_valued_terms_on_a_binary_fit_name_the_term():
    g, _ = _graph(np.array([[0, 1, 0], [0, 0, 2], [1, 0, 0]]))
    with pytest.raises(FormulaError, match="'sum' is a term of valued"):
        ergm.fit(g, "edges + sum")
    with pytest.raises(FormulaError, match="'transitiveweights' is a term of valued"):
        ergm.summary_stats(g, "edges + transitiveweights")
    with pytest.raises(FormulaError, match=r"mutual\(form=...\)"):
        ergm.fit(g, "edges + mutual(form='min')")
    with pytest.raises(FormulaError, match="'triangle' has no valued"):
        ergm.fit(g, "sum + triangle", response="count")
    with pytest.raises(FormulaError, match="form must be one of"):
        ergm.fit(g, "sum + mutual(form='max')", response="count")
    with pytest.raises(ValueError, match="need method='MCMC'"):
        ergm.fit(g, "sum + mutual", response="count", method="MLE")


def test_response_as_a_matrix_and_refusals_of_undirected_networks():
    y = np.array([[0, 1, 0], [0, 0, 2], [1, 0, 0]])
    g, _ = _graph(np.zeros((3, 3), dtype=int))
    frame = pd.DataFrame(y, index=[0, 1, 2], columns=[0, 1, 2])
    assert ergm.summary_stats(g, "sum + nonzero", response=frame).tolist() == [4.0, 3.0]
    assert ergm.summary_stats(g, "sum", response=y.astype(float)).tolist() == [4.0]
    with pytest.raises(DataError, match="undirected"):
        ergm.fit(nx.Graph(g), "sum", response=y)
    with pytest.raises(DataError, match="shape"):
        ergm.fit(g, "sum", response=np.zeros((2, 2)))
