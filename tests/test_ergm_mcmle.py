"""MCMC-MLE machinery: statnet's curved-free Florentine fits, parallel chains, chunked kernel,
interrupts, and the pieces of the confidence termination rule.

Florentine references (R ``ergm`` 4.6, long runs, quoted in issue 16):

- ``edges + gwesp(0.25, fixed=TRUE)``: edges -1.72, gwesp 0.116
- ``edges + gwdegree(0.5, fixed=TRUE)``: edges -1.56, gwdegree -0.108

Tolerances. Across seeds our estimates spread (sd) by about 0.02 (edges) and 0.011 (gwesp) for
the first model, 0.02 (edges) and 0.04 (gwdegree) for the second, and each fit reports a Monte
Carlo SE of the same size (``fit.mcse``); the R values are rounded to 0.005 / 0.0005 and carry
their own small MC error. We allow about 3.5 combined MC SDs plus the rounding: 0.07 / 0.04 and
0.08 / 0.15, which is 0.1-0.2 of a standard error (0.37 / 0.28 and 0.51 / 0.98): a wrong change
statistic or a sampler bias moves the estimates by more. Each test also requires the fit's own
MC SE to be well inside its tolerance, so a noisy fit cannot pass by luck.
"""

from __future__ import annotations

import _thread
import threading
import time

import networkx as nx
import numpy as np
import pytest

from medkit.ergm import Model, fit
from medkit.ergm.datasets import florentine_marriage
from medkit.ergm.mcmle import ellipsoid_distance, hotelling_isf, hotelling_sf
from medkit.ergm.sampler import (
    chain_effective_sizes,
    mean_covariance,
    new_chains,
    sample_chains,
)


@pytest.fixture(scope="module")
def flo():
    return florentine_marriage()


def _check_fit(res, reference, tolerance):
    assert res.method == "MCMC-MLE" and res.converged
    for name, value in reference.items():
        assert abs(res.params[name] - value) < tolerance[name], name
        assert res.mcse[name] < tolerance[name] / 2.5, name
    # at the estimate the simulated statistics match the observed ones
    assert res.convergence["mean_p_value"] >= 0.05


def test_gwesp_fixed_matches_statnet(flo):
    res = fit(flo, "edges + gwesp(0.25, fixed=True)", seed=11, progress=False, loglik=False)
    _check_fit(
        res,
        {"edges": -1.72, "gwesp.fixed.0.25": 0.116},
        {"edges": 0.07, "gwesp.fixed.0.25": 0.04},
    )


def test_gwdegree_fixed_matches_statnet(flo):
    res = fit(flo, "edges + gwdegree(0.5, fixed=True)", seed=12, progress=False, loglik=False)
    _check_fit(
        res,
        {"edges": -1.56, "gwdeg.fixed.0.5": -0.108},
        {"edges": 0.08, "gwdeg.fixed.0.5": 0.15},
    )


def test_few_iterations_and_reported_check(flo):
    res = fit(flo, "edges + triangle", seed=5, progress=False, loglik=False)
    assert res.iterations <= 6  # statnet needs 2-4 here; the old fixed-size loop up to 20
    conv = res.convergence
    assert conv["termination"] == "confidence" and conv["chains"] == 2
    assert conv["proposals"] > 0 and conv["interval"] >= 1
    assert {"T2", "p_value", "mean_T2", "mean_p_value"} <= set(conv)
    assert list(res.history.columns[-5:]) == [
        "distance",
        "interval",
        "samplesize",
        "effective_size",
        "proposals",
    ]


def test_same_seed_same_chains_same_answer(flo):
    kw = dict(seed=3, progress=False, loglik=False)
    a = fit(flo, "edges + triangle", chains=3, **kw)
    b = fit(flo, "edges + triangle", chains=3, **kw)
    assert a.params.equals(b.params) and a.convergence["chains"] == 3
    one = fit(flo, "edges + triangle", chains=1, **kw)
    # different chain counts are different draws of the same estimator
    assert np.all(np.abs(one.params - a.params) < 5 * (one.mcse + a.mcse) + 0.02)


def test_hotelling_rule_still_available(flo):
    res = fit(flo, "edges + triangle", seed=2, progress=False, loglik=False, conv_pvalue=0.2)
    assert res.convergence["termination"] == "hotelling" and res.converged
    assert abs(res.params["edges"] - -1.674) < 0.1


def test_bad_controls_are_refused(flo):
    with pytest.raises(ValueError, match="chains"):
        fit(flo, "edges + triangle", chains=0, progress=False)
    with pytest.raises(ValueError, match="termination"):
        fit(flo, "edges + triangle", termination="sometimes", progress=False)


def _directed_model():
    g = nx.gnp_random_graph(15, 0.25, seed=4, directed=True)
    return Model(g, "edges + mutual + gwesp(0.5, fixed=True) + istar(2)")


def test_chunked_kernel_is_the_same_chain():
    from medkit.ergm import kernels

    model = _directed_model()
    theta = np.array([-1.0, 0.5, 0.2, -0.05])
    runs = []
    for max_steps in (10**9, 37):
        chain = new_chains(model, 1, np.random.default_rng(9))[0]
        st = chain.state
        out = np.empty((40, model.p))
        edges = np.empty(40, dtype=np.int64)
        chain.countdown[0] = 100
        filled = 0
        while filled < 40:
            filled += kernels.mh_chain(
                st.adj, st.outdeg, st.indeg, st.twopath, model.use_twopath, model.directed,
                st.etail, st.ehead, st.epos, st.nedges, model.indep_array, model.indep_cols,
                model.codes, model.params, model.dep_cols, theta, st.stats, chain.countdown,
                25, max_steps, out[filled:], edges[filled:], chain.rng_state, chain.adjt,
            )  # fmt: skip
        np.testing.assert_allclose(st.stats, model.summary_stats(st.adj), atol=1e-9)
        runs.append(out)
    np.testing.assert_array_equal(runs[0], runs[1])


def test_parallel_chains_are_reproducible_and_independent():
    model = _directed_model()
    theta = np.array([-1.0, 0.5, 0.2, -0.05])
    draws = []
    for _ in range(2):
        chains = new_chains(model, 2, np.random.default_rng(1))
        Zk, Ek = sample_chains(model, chains, theta, 50, interval=20, burnin=100)
        draws.append(Zk)
        for c in chains:
            np.testing.assert_allclose(c.state.stats, model.summary_stats(c.state.adj), atol=1e-9)
    np.testing.assert_array_equal(draws[0], draws[1])
    assert not np.array_equal(draws[0][0], draws[0][1])
    assert chains[0].proposals == 100 + 50 * 20


def test_ctrl_c_stops_a_long_chain_quickly():
    model = _directed_model()
    chains = new_chains(model, 2, np.random.default_rng(2))
    timer = threading.Timer(0.3, _thread.interrupt_main)
    start = time.perf_counter()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        # about 10^10 proposals: hours, unless the interrupt stops it between chunks
        sample_chains(model, chains, np.zeros(model.p), 10**5, interval=10**5, burnin=0)
    assert time.perf_counter() - start < 30
    for c in chains:  # every chain is left a valid network
        np.testing.assert_allclose(c.state.stats, model.summary_stats(c.state.adj), atol=1e-9)


def test_effective_size_of_known_series():
    rng = np.random.default_rng(0)
    white = rng.normal(size=(1, 4000, 1))
    assert 3000 < chain_effective_sizes(white)[0] < 5500
    phi = 0.8  # AR(1): integrated autocorrelation time (1 + phi) / (1 - phi) = 9
    x = np.empty(20000)
    x[0] = 0
    e = rng.normal(size=x.size)
    for t in range(1, x.size):
        x[t] = phi * x[t - 1] + e[t]
    ess = chain_effective_sizes(x[None, :, None])[0]
    assert 20000 / 13 < ess < 20000 / 6
    V = mean_covariance(x[None, :, None])
    assert V[0, 0] == pytest.approx(x.var() / ess, rel=0.01)


def test_ellipsoid_distance_against_brute_force():
    rng = np.random.default_rng(3)
    A = rng.normal(size=(2, 2))
    cov = A @ A.T + 0.1 * np.eye(2)
    inner = np.array([[2.0, 0.3], [0.3, 0.5]])
    center = np.array([0.2, -0.3])
    angles = np.linspace(0, 2 * np.pi, 200001)
    # boundary points x with x' inner x = 1
    dirs = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    scale = 1 / np.sqrt(np.einsum("ij,jk,ik->i", dirs, inner, dirs))
    pts = dirs * scale[:, None] - center
    brute = np.einsum("ij,jk,ik->i", pts, np.linalg.inv(cov), pts).min()
    assert ellipsoid_distance(center, cov, inner) == pytest.approx(brute, rel=1e-4)
    assert ellipsoid_distance(np.array([5.0, 5.0]), cov, inner) == 0.0  # outside: no margin


def test_hotelling_tail_functions_invert():
    t2 = hotelling_isf(0.01, 3, 150.0)
    assert hotelling_sf(t2, 3, 150.0) == pytest.approx(0.01, rel=1e-8)
    assert hotelling_sf(0.0, 3, 150.0) == pytest.approx(1.0)


def test_exact_loglik_of_dyad_factorising_models_and_the_bridge_agree():
    """A mutual model factorises over pairs: its exact log-likelihood equals the dyad MLE's at
    the dyad MLE, an MCMC fit reports the exact value at its own estimate (no bridge), and the
    bridge sampler (used for every other dyad-dependent model) finds the same number within
    its Monte Carlo error, which checks the bridge against an exact answer."""
    from medkit.ergm.mcmle import bridge_loglik
    from medkit.ergm.mple import exact_loglik

    g = nx.gnp_random_graph(30, 0.12, seed=8, directed=True)
    g.add_edges_from([(v, u) for u, v in list(g.edges)[:25]])  # some reciprocity
    exact_fit = fit(g, "edges + mutual")
    assert exact_fit.method == "dyad MLE"
    model = exact_fit.model
    theta = exact_fit.params.to_numpy()
    assert exact_loglik(model, theta) == pytest.approx(exact_fit.loglik, abs=1e-9)
    # away from the MLE the log-likelihood is lower
    assert exact_loglik(model, theta + [0.2, -0.3]) < exact_fit.loglik - 0.5

    mcmc = fit(g, "edges + mutual", method="mcmc", seed=4, progress=False)
    assert mcmc.method == "MCMC-MLE" and mcmc.loglik_mcse is None
    assert mcmc.loglik == pytest.approx(exact_loglik(model, mcmc.params.to_numpy()), abs=1e-9)
    assert any("Log-likelihood exact" in note for note in mcmc.notes)

    bridged, se = bridge_loglik(model, theta, rng=np.random.default_rng(3), samplesize=512)
    assert 0 < se < 0.5
    assert abs(bridged - exact_fit.loglik) < 4 * se + 0.02

    # dyad-independent: the logistic log-likelihood of the MLE
    indep = fit(g, "edges")
    assert exact_loglik(indep.model, indep.params.to_numpy()) == pytest.approx(indep.loglik)


def test_final_rounds_zero_keeps_the_converging_estimate(flo):
    """``final_rounds=0`` stops at the converging iteration (statnet's rule); the default
    adds a sample at the estimate and a step from it (logged as extra history rows)."""
    bare = fit(flo, "edges + triangle", seed=2, progress=False, loglik=False, final_rounds=0)
    full = fit(flo, "edges + triangle", seed=2, progress=False, loglik=False)
    assert bare.converged and full.converged
    assert len(full.history) > len(bare.history) == bare.iterations
    assert not np.allclose(bare.params, full.params)
    # both within a few MC SEs of each other
    gap = np.abs(bare.params - full.params) / np.hypot(bare.mcse, full.mcse)
    assert (gap < 4).all()
    with pytest.raises(ValueError, match="final_rounds"):
        fit(flo, "edges + triangle", seed=2, progress=False, final_rounds=-1)


def test_exact_networks_match_the_exact_expectation_and_centre_gof():
    """Exact draws from a mutual model have the model's exact expected statistics; a gof of
    its MLE therefore centres the simulated statistics on the observed ones (at the MLE the
    expectation equals the observation), which an autocorrelated chain need not do."""
    from medkit.ergm import gof
    from medkit.ergm.mple import _dyad_states
    from medkit.ergm.simulation import exact_networks

    rng = np.random.default_rng(3)
    g = nx.gnp_random_graph(40, 0.1, seed=5, directed=True)
    g.add_edges_from([(v, u) for u, v in list(g.edges)[:40]])
    for v in g:
        g.nodes[v]["x"] = float(rng.normal())
    res = fit(g, "edges + mutual + nodeicov('x')")
    model, theta = res.model, res.params.to_numpy()
    F, state, weight = _dyad_states(model)
    eta = F @ theta
    P = np.exp(eta - eta.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    expected = weight @ np.einsum("ds,dsp->dp", P, F)
    np.testing.assert_allclose(expected, model.observed_stats, atol=1e-6)  # the MLE condition
    nets = exact_networks(model, theta, 400, seed=2)
    stats = np.array([model.summary_stats(a) for a in nets])
    z = (stats.mean(axis=0) - expected) / (stats.std(axis=0) / np.sqrt(len(nets)))
    assert np.all(np.abs(z) < 4), z
    # the same seed gives the same networks; a dyad-dependent model is refused
    again = exact_networks(model, theta, 3, seed=2)
    assert all(np.array_equal(a, b) for a, b in zip(again, nets[:3], strict=True))
    with pytest.raises(ValueError, match="exact sampling"):
        exact_networks(Model(g, "edges + gwesp(0.5, fixed=True)"), [0.0, 0.0], 1)
    result = gof(res, nsim=200, progress=False, seed=1)
    check, spread = result.tables["model"], result.simulated["model"].std(axis=0)
    assert np.all(np.abs(check["mean"] - check["obs"]) < 4 * spread / np.sqrt(200))
