"""Estimation: exact MLEs against statsmodels and statnet; MCMC-MLE against statnet's Florentine fits.

Reference values (statnet ``ergm`` 4.6, Padgett's Florentine marriage network, 16 families):

- ``edges``: -1.6094 (0.2449), AIC 110.13
- ``edges + nodecov('wealth')``: -2.5949 (0.5361), 0.01055 (0.004674), AIC 107.11, BIC 112.68
- ``edges + triangle``: MPLE -1.7009, 0.2208; MCMC-MLE -1.674 (0.351), 0.154 (0.585)
- ``edges + kstar(2)``: MCMC-MLE -1.655 (0.840), 0.0098 (0.171)

Monte Carlo tolerance. On networks this small our MCMC-MLE ends with a sample of effective size
400; its Monte Carlo standard error (``fit.mcse``) is about 0.02 for the edges coefficient and
0.03 for triangle (MCMC % of 5 in the summary); statnet's long-run values carry a comparable error. The
difference of two such estimates has MC sd about 0.015-0.03, so we test ``|ours - statnet|`` below
0.06 for edges and 0.08 for the dependence terms (roughly 3-4 combined MC standard errors, a
test that fails on a wrong algorithm, not on bad luck), and standard errors within 10 %.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from medkit.ergm import Model, compare, fit, simulate
from medkit.ergm.datasets import florentine_marriage
from medkit.errors import DegeneracyWarning

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "classic"


def shared_florentine():
    """The Florentine marriage network read from /work/shared (the issue's source files)."""
    nodes = pd.read_csv(SHARED / "florentine_nodes.csv")
    edges = pd.read_csv(SHARED / "florentine_marriage_edges.csv")
    g = nx.Graph()
    for row in nodes.itertuples():
        g.add_node(row.name, wealth=row.wealth)
    names = dict(zip(nodes["id"], nodes["name"], strict=True))
    g.add_edges_from((names[a], names[b]) for a, b in zip(edges["from"], edges["to"], strict=True))
    return g


@pytest.fixture(scope="module")
def flo():
    if SHARED.exists():
        g = shared_florentine()
        shipped = florentine_marriage()
        assert set(g.nodes) == set(shipped.nodes)
        assert {frozenset(e) for e in g.edges} == {frozenset(e) for e in shipped.edges}
        return g
    return florentine_marriage()


def test_florentine_has_pucci_and_wealth(flo):
    assert flo.number_of_nodes() == 16 and flo.number_of_edges() == 20
    assert flo.degree("Pucci") == 0 and flo.nodes["Strozzi"]["wealth"] == 146


def test_edges_only_matches_statnet(flo):
    res = fit(flo, "edges")
    assert res.method == "MLE"
    assert res.params["edges"] == pytest.approx(-1.6094, abs=1e-4)
    assert res.bse["edges"] == pytest.approx(0.2449, abs=1e-4)
    assert res.aic == pytest.approx(110.13, abs=0.01)
    assert res.nobs == 120


def test_nodecov_matches_statnet(flo):
    res = fit(flo, "edges + nodecov('wealth')")
    assert res.params.to_numpy() == pytest.approx([-2.5949, 0.01055], abs=1e-4)
    assert res.params["nodecov.wealth"] == pytest.approx(0.01055, abs=1e-5)
    assert res.bse.to_numpy() == pytest.approx([0.5361, 0.004674], abs=1e-4)
    assert res.bse["nodecov.wealth"] == pytest.approx(0.004674, abs=1e-6)
    assert res.aic == pytest.approx(107.11, abs=0.01)
    assert res.bic == pytest.approx(112.68, abs=0.01)
    lo, hi = res.conf_int().loc["edges"]
    assert lo < -2.5949 < hi


def test_mple_is_the_statsmodels_logit(flo):
    import statsmodels.api as sm

    model = Model(flo, "edges + nodecov('wealth') + triangle")
    X, y = model.change_matrix()
    glm = sm.GLM(y, X, family=sm.families.Binomial()).fit()
    res = fit(flo, "edges + nodecov('wealth') + triangle", method="MPLE")
    np.testing.assert_allclose(res.params, glm.params, rtol=1e-7)
    np.testing.assert_allclose(res.bse, glm.bse, rtol=1e-4)
    assert res.loglik == pytest.approx(glm.llf, rel=1e-9)
    tri = fit(flo, "edges + triangle", method="MPLE")
    np.testing.assert_allclose(tri.params, [-1.7009, 0.2208], atol=1e-4)


def test_dyad_independent_directed_mle_equals_statsmodels():
    import statsmodels.api as sm

    rng = np.random.default_rng(5)
    g = nx.gnp_random_graph(30, 0.15, seed=2, directed=True)
    for v in g:
        g.nodes[v]["x"] = float(rng.normal())
        g.nodes[v]["c"] = str(rng.choice(["u", "v", "w"]))
    w = rng.normal(size=(30, 30))
    f = "edges + nodeicov('x') + nodeocov('x') + nodeifactor('c') + nodematch('c') + edgecov('w')"
    res = fit(g, f, edge_covariates={"w": w})
    X, y = Model(g, f, edge_covariates={"w": w}).change_matrix()
    glm = sm.GLM(y, X, family=sm.families.Binomial()).fit()
    np.testing.assert_allclose(res.params, glm.params, rtol=1e-6)
    np.testing.assert_allclose(res.bse, glm.bse, rtol=1e-5)
    assert res.loglik == pytest.approx(glm.llf, rel=1e-9)
    assert res.aic == pytest.approx(glm.aic, rel=1e-9)


def test_mutual_dyad_mle_solves_the_score_equations():
    # exact expected statistics under the 4-state dyad model equal the observed ones
    rng = np.random.default_rng(3)
    g = nx.gnp_random_graph(25, 0.2, seed=4, directed=True)
    extra = [(v, u) for u, v in list(g.edges()) if rng.random() < 0.4]
    g.add_edges_from(extra)
    for v in g:
        g.nodes[v]["x"] = float(rng.normal())
    res = fit(g, "edges + mutual + nodeicov('x')")
    assert res.method == "dyad MLE"
    model = res.model
    th = res.params.to_numpy()
    ind = model.indep_array
    expected = np.zeros(3)
    for i in range(25):
        for j in range(i + 1, 25):
            f = np.zeros((4, 3))
            f[1, model.indep_cols] = ind[i, j]
            f[2, model.indep_cols] = ind[j, i]
            f[3, model.indep_cols] = ind[i, j] + ind[j, i]
            f[3, model.dep_cols[0]] = 1
            pr = np.exp(f @ th)
            pr /= pr.sum()
            expected += pr @ f
    np.testing.assert_allclose(expected, model.observed_stats, rtol=1e-7)


def test_mutual_dyad_mle_agrees_with_mcmc_mle():
    g = nx.gnp_random_graph(20, 0.2, seed=8, directed=True)
    g.add_edges_from([(v, u) for u, v in list(g.edges())[::3]])
    exact = fit(g, "edges + mutual")
    mc = fit(g, "edges + mutual", method="MCMC", seed=2, progress=False, loglik=False)
    assert np.all(np.abs(exact.params - mc.params) < 4 * mc.mcse + 0.05)


@pytest.fixture(scope="module")
def triangle_fit(flo):
    return fit(flo, "edges + triangle", seed=42, progress=False)


def test_triangle_mcmle_matches_statnet(triangle_fit):
    res = triangle_fit
    assert res.method == "MCMC-MLE" and res.converged
    assert abs(res.params["edges"] - -1.674) < 0.06
    assert abs(res.params["triangle"] - 0.154) < 0.08
    np.testing.assert_allclose(res.bse, [0.351, 0.585], rtol=0.10)
    assert res.mcse.max() < 0.05
    # bridge-sampled log-likelihood close to the dyad-independent one (triangle adds little)
    assert abs(res.loglik - fit(res.model.graph, "edges").loglik) < 1.5


def test_kstar_mcmle_matches_statnet(flo):
    res = fit(flo, "edges + kstar(2)", seed=7, progress=False, loglik=False)
    assert abs(res.params["edges"] - -1.655) < 0.06 + 0.05  # edges and kstar2 are collinear
    assert abs(res.params["kstar2"] - 0.0098) < 0.03
    np.testing.assert_allclose(res.bse, [0.840, 0.171], rtol=0.10)


def test_same_seed_same_answer(flo):
    a = fit(flo, "edges + triangle", seed=3, progress=False, loglik=False)
    b = fit(flo, "edges + triangle", seed=3, progress=False, loglik=False)
    pd.testing.assert_series_equal(a.params, b.params)


def test_results_api(triangle_fit):
    res = triangle_fit
    text = str(res.summary())
    assert "triangle" in text and "AIC" in text and "converged" in text
    assert "<table" in res._repr_html_()
    frame = res.to_frame()
    assert list(frame.columns)[:3] == ["Estimate", "Std. Error", "MCMC %"]
    table = compare([fit(res.model.graph, "edges"), res], ["Bernoulli", "Triangle"])
    assert table.loc["edges", "Bernoulli"].startswith("-1.609***")
    assert table.loc["N", "Triangle"] == "120"
    numeric = compare([res], style="numeric")
    assert numeric.loc["AIC", ("Model 1", "estimate")] == pytest.approx(res.aic)


def test_simulate_reproducible_and_shapes(triangle_fit):
    a = simulate(triangle_fit, 50, output="stats", seed=1)
    b = simulate(triangle_fit, 50, output="stats", seed=1)
    pd.testing.assert_frame_equal(a, b)
    nets = simulate(triangle_fit, 3, seed=1)
    assert len(nets) == 3 and set(nets[0].nodes) == set(triangle_fit.model.nodes)
    # the fitted model reproduces the observed statistics on average
    many = simulate(triangle_fit, 2000, output="stats", seed=2)
    assert abs(many["edges"].mean() - 20) < 1.0


def test_degeneracy_is_detected(flo):
    model = Model(flo, "edges + triangle")
    with pytest.warns(DegeneracyWarning):
        simulate(model, 20, coef=[0.0, 2.0], output="stats", seed=1)
    with pytest.warns(DegeneracyWarning):
        res = fit(flo, "edges + triangle", init=[0.0, 2.0], seed=1, progress=False, maxit=4,
                  loglik=False)  # fmt: skip
    assert not res.converged


def test_gof(triangle_fit):
    from medkit.ergm import gof

    g = gof(triangle_fit, nsim=30, seed=1, progress=False)
    assert g.tables["degree"].loc[0, "obs"] == 1  # Pucci
    assert g.tables["geodesic"].loc["inf", "obs"] == 15  # Pucci unreachable from 15 families
    assert g.tables["model"].loc["edges", "obs"] == 20


def test_gof_can_be_called_twice():
    """``ergm.gof`` stays the function after its implementation module has been imported."""
    from medkit import ergm
    from medkit.ergm.datasets import florentine_marriage

    res = ergm.fit(florentine_marriage(), "edges")
    ergm.gof(res, nsim=5, seed=1, progress=False)
    assert callable(ergm.gof)
    ergm.gof(res, nsim=5, seed=1, progress=False)


def test_fit_is_unit_free():
    """Covariates in any units give the same fit, scaled: the engine rescales internally."""
    import networkx as nx
    import numpy as np

    from medkit import ergm

    g = nx.gnp_random_graph(40, 0.15, seed=3, directed=True)
    rng = np.random.default_rng(0)
    for v in g:
        g.nodes[v]["x"] = float(rng.normal())
    big = g.copy()
    for v in big:
        big.nodes[v]["x"] = g.nodes[v]["x"] * 1e9
    geo = rng.random((40, 40))
    small, huge = (
        ergm.fit(g, "edges + nodeicov('x') + edgecov('d')", edge_covariates={"d": geo}),
        (ergm.fit(big, "edges + nodeicov('x') + edgecov('d')", edge_covariates={"d": geo * 1e-7})),
    )
    assert huge.params["nodeicov.x"] * 1e9 == pytest.approx(small.params["nodeicov.x"], rel=1e-8)
    assert huge.params["edgecov.d"] * 1e-7 == pytest.approx(small.params["edgecov.d"], rel=1e-8)
    assert huge.aic == pytest.approx(small.aic, rel=1e-10)
    assert huge.pvalues.to_numpy() == pytest.approx(small.pvalues.to_numpy(), rel=1e-6)
    raw = ergm.fit(big, "edges + nodeicov('x')", rescale=False)  # still full rank, no warning
    assert raw.params["nodeicov.x"] * 1e9 == pytest.approx(small.params["nodeicov.x"], rel=2e-2)
