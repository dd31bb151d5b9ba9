"""Every ERGM term against hand-computed values; kernels vs reference vs summary differences."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from medkit.ergm import Model, parse_formula, summary_stats
from medkit.ergm.model import ChainState
from medkit.ergm.reference import change_statistics
from medkit.errors import FormulaError


def small_undirected():
    # triangle 0-1-2 plus tail 2-3 and isolate 4
    g = nx.Graph()
    g.add_nodes_from(range(5))
    g.add_edges_from([(0, 1), (1, 2), (0, 2), (2, 3)])
    for v, (x, c) in enumerate([(1.0, "a"), (2.0, "b"), (4.0, "a"), (0.5, "b"), (3.0, "c")]):
        g.nodes[v]["x"] = x
        g.nodes[v]["c"] = c
    return g


def small_directed():
    g = nx.DiGraph()
    g.add_nodes_from(range(4))
    g.add_edges_from([(0, 1), (1, 0), (1, 2), (0, 2), (2, 3)])
    for v, (x, c) in enumerate([(1.0, "a"), (2.0, "b"), (4.0, "a"), (0.5, "b")]):
        g.nodes[v]["x"] = x
        g.nodes[v]["c"] = c
    return g


R = 1 - np.exp(-0.5)
E = np.exp(0.5)


def w(k):  # gw weight of one tie/dyad/node with count k, decay 0.5
    return E * (1 - R**k)


UNDIRECTED = {
    "edges": [4],
    "nodecov('x')": [(1 + 2) + (2 + 4) + (1 + 4) + (4 + 0.5)],
    "nodefactor('c')": [2 + 0, 2 + 1],  # levels a (dropped), b: ends 1,1,3 -> b=2? see below
    "nodematch('c')": [1],  # only 0-2 (a,a)
    "nodematch('c', diff=True)": [1, 0, 0],
    "absdiff('x')": [1 + 2 + 3 + 3.5],
    "triangle": [1],
    "kstar(2)": [1 + 1 + 3],  # degrees 2,2,3,1,0 -> C(2,2)+C(2,2)+C(3,2)
    "kstar([1, 3])": [8, 1],
    "gwesp(0.5, fixed=True)": [3 * w(1)],  # three triangle ties with 1 shared partner
    "gwdsp(0.5, fixed=True)": [3 * w(1) + 2 * w(1)],  # pairs 01,02,12 (1 sp) + 03,13 (via 2)
    "gwdegree(0.5, fixed=True)": [2 * w(2) + w(3) + w(1)],
}
# nodefactor: ends with c=b: node 1 in ties 0-1,1-2 (2 ends), node 3 in 2-3 (1 end) -> b = 3;
# c level 'c' (node 4) has no ties -> 0
UNDIRECTED["nodefactor('c')"] = [3, 0]

DIRECTED = {
    "edges": [5],
    "mutual": [1],
    "nodecov('x')": [3 + 3 + 6 + 5 + 4.5],
    "nodeicov('x')": [2 + 1 + 4 + 4 + 0.5],
    "nodeocov('x')": [1 + 2 + 2 + 1 + 4],
    "nodeifactor('c')": [2],  # receivers with c=b: 1 (from 0), 3 (from 2)
    "nodeofactor('c')": [2],  # senders with c=b: 1->0, 1->2
    "nodematch('c')": [1],  # 0->2
    "absdiff('x')": [1 + 1 + 2 + 3 + 3.5],
    "triangle": [3],  # ttriples 0->1->2 & 0->2, 1->0->2 & 1->2; plus (0,1,2) counted per config
    "istar(2)": [1],  # node 2 has in-degree 2
    "ostar(2)": [2],  # nodes 0 and 1 have out-degree 2
    "gwesp(0.5, fixed=True)": [2 * w(1)],  # 0->2 via 1, 1->2 via 0
    "gwdsp(0.5, fixed=True)": [4 * w(1)],  # (0,0)x; pairs 0->2,1->2,0->3? see test
    "gwidegree(0.5, fixed=True)": [3 * w(1) + w(2)],
    "gwodegree(0.5, fixed=True)": [2 * w(2) + w(1)],
}


def _brute_directed_triangle(a):
    n = a.shape[0]
    tt = sum(a[i, j] * a[j, k] * a[i, k] for i in range(n) for j in range(n) for k in range(n))
    ct = sum(a[i, j] * a[j, k] * a[k, i] for i in range(n) for j in range(n) for k in range(n)) / 3
    return tt + ct


def _brute_otp_dsp(a, decay):
    n = a.shape[0]
    r = 1 - np.exp(-decay)
    total = 0.0
    for i in range(n):
        for j in range(n):
            if i != j:
                k = sum(a[i, c] * a[c, j] for c in range(n) if c not in (i, j))
                total += np.exp(decay) * (1 - r**k)
    return total


@pytest.mark.parametrize("term,expected", list(UNDIRECTED.items()))
def test_undirected_terms_by_hand(term, expected):
    got = summary_stats(small_undirected(), term).to_numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-12)


@pytest.mark.parametrize("term,expected", list(DIRECTED.items()))
def test_directed_terms_by_hand(term, expected):
    g = small_directed()
    a = nx.to_numpy_array(g, nodelist=range(4))
    if term == "triangle":
        expected = [_brute_directed_triangle(a)]
    if term.startswith("gwdsp"):
        expected = [_brute_otp_dsp(a, 0.5)]
    got = summary_stats(g, term).to_numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_edgecov_matrix_dataframe_and_attribute():
    import pandas as pd

    g = small_directed()
    m = np.arange(16, dtype=float).reshape(4, 4)
    ties = [(0, 1), (1, 0), (1, 2), (0, 2), (2, 3)]
    want = sum(m[i, j] for i, j in ties)
    assert summary_stats(g, "edgecov('W')", edge_covariates={"W": m}).iloc[0] == want
    df = pd.DataFrame(m, index=range(4), columns=range(4)).iloc[::-1, ::-1]
    assert summary_stats(g, "edgecov('W')", edge_covariates={"W": df}).iloc[0] == want
    for i, j in ties:
        g.edges[i, j]["W"] = m[i, j]
    assert summary_stats(g, "edgecov('W')").iloc[0] == want


def test_coefficient_names_as_statnet():
    g = small_directed()
    names = Model(
        g,
        "edges + mutual + nodeicov('x') + nodeifactor('c') + gwesp(0.5, fixed=TRUE) "
        "+ gwidegree(0.5, fixed=TRUE) + nodematch('c', diff=TRUE) + istar(2)",
    ).coef_names
    assert names == [
        "edges",
        "mutual",
        "nodeicov.x",
        "nodeifactor.c.b",
        "gwesp.OTP.fixed.0.5",
        "gwideg.fixed.0.5",
        "nodematch.c.a",
        "nodematch.c.b",
        "istar2",
    ]
    un = Model(small_undirected(), "gwesp(0.25, fixed=TRUE) + gwdegree(1, fixed=TRUE)")
    assert un.coef_names == ["gwesp.fixed.0.25", "gwdeg.fixed.1"]


@pytest.mark.parametrize(
    "text,pos",
    [
        ("edges + edgez", 8),
        ("edges + + mutual", 8),
        ("edges + nodecov(wealth)", 8),  # bare names are read as statnet's: no such attribute
        ("edges mutual", 6),
        ("edges + nodecov('x'", 19),
        ("edges + kstar(2) $", 17),
    ],
)
def test_formula_errors_point_at_the_problem(text, pos):
    with pytest.raises(FormulaError) as err:
        Model(small_undirected(), text)
    assert err.value.position == pos


def test_parser_values():
    t = parse_formula("y ~ kstar(c(2, 3)) + istar(2:4) + gwesp(decay=0.5, fixed=T) + f('a', \"b\")")
    assert t[0].args == ([2, 3],)
    assert t[1].args == ([2, 3, 4],)
    assert t[2].kwargs == {"decay": 0.5, "fixed": True}
    assert t[3].args == ("a", "b")


def test_wrong_direction_and_missing_attribute():
    with pytest.raises(FormulaError, match="directed"):
        Model(small_undirected(), "mutual")
    with pytest.raises(FormulaError, match="undirected"):
        Model(small_directed(), "kstar(2)")
    with pytest.raises(FormulaError, match="no attribute"):
        Model(small_directed(), "nodeicov('nope')")
    with pytest.raises(FormulaError, match="fixed=True"):
        Model(small_directed(), "gwesp(0.5, fixed=FALSE)")


ALL_UNDIRECTED = (
    "edges + nodecov('x') + triangle + kstar(2) + kstar(3) + gwesp(0.5, fixed=TRUE) "
    "+ gwdsp(0.7, fixed=TRUE) + gwdegree(0.3, fixed=TRUE) + absdiff('x')"
)
ALL_DIRECTED = (
    "edges + mutual + nodeicov('x') + triangle + istar(2) + ostar(3) + gwesp(0.5, fixed=TRUE) "
    "+ gwdsp(0.7, fixed=TRUE) + gwidegree(0.3, fixed=TRUE) + gwodegree(0.8, fixed=TRUE)"
)


def _kernel_change_and_summary_difference(model, state, i, j, directed):
    """The kernel's change statistics for adding ``i -> j`` and the same change as a
    difference of summary statistics (network with the tie minus network without it)."""
    from medkit.ergm import kernels

    delta = np.empty(model.p)
    kernels.change_vector(
        i, j, state.adj, state.outdeg, state.indeg, state.twopath, directed,
        model.indep_array, model.indep_cols, model.codes, model.params, model.dep_cols, delta,
    )  # fmt: skip
    with_tie, without = state.adj.copy(), state.adj.copy()
    with_tie[i, j], without[i, j] = 1, 0
    if not directed:
        with_tie[j, i], without[j, i] = 1, 0
    return delta, model.summary_stats(with_tie) - model.summary_stats(without)


@pytest.mark.parametrize("directed", [False, True])
def test_change_stats_kernel_reference_and_summary_agree(directed):
    from medkit.ergm import kernels

    rng = np.random.default_rng(11)
    n = 9
    g = nx.gnp_random_graph(n, 0.35, seed=3, directed=directed)
    for v in g:
        g.nodes[v]["x"] = float(rng.normal())
    model = Model(g, ALL_DIRECTED if directed else ALL_UNDIRECTED)
    state = ChainState(model)
    for _ in range(150):
        i, j = rng.choice(n, 2, replace=False)
        if not directed and i > j:
            i, j = j, i
        delta, diff = _kernel_change_and_summary_difference(model, state, i, j, directed)
        ref = change_statistics(model, state.adj, i, j)
        np.testing.assert_allclose(delta, diff, atol=1e-9)
        np.testing.assert_allclose(ref, diff, atol=1e-9)
        kernels.toggle(
            i, j, state.adj, state.outdeg, state.indeg, state.twopath, model.use_twopath,
            directed, state.etail, state.ehead, state.epos, state.nedges,
        )  # fmt: skip
    # the incrementally kept state equals a fresh one
    fresh = ChainState(model, state.adj)
    off = ~np.eye(n, dtype=bool)
    np.testing.assert_array_equal(fresh.twopath[off], state.twopath[off])
    np.testing.assert_array_equal(fresh.outdeg, state.outdeg)
    assert state.nedges[0] == fresh.nedges[0]


def test_sampler_stats_track_the_network():
    from medkit.ergm.sampler import run_chain

    g = nx.gnp_random_graph(12, 0.3, seed=1, directed=True)
    model = Model(g, "edges + mutual + gwesp(0.5, fixed=TRUE) + triangle + istar(2)")
    state = ChainState(model)
    run_chain(model, state, np.array([-1, 0.5, 0.2, 0.1, -0.1]), 20, interval=50, burnin=0,
              rng=np.random.default_rng(0))  # fmt: skip
    np.testing.assert_allclose(state.stats, model.summary_stats(state.adj), atol=1e-9)


@pytest.mark.parametrize("directed", [False, True])
def test_bit_set_state_stays_exact_across_words(directed):
    """Networks wider than one 64-bit word: the chain's bit sets, two-paths and statistics
    stay equal to those recomputed from its adjacency matrix, and the kernel's change
    statistics equal differences of summary statistics for nodes in every word."""
    from medkit.ergm import kernels
    from medkit.ergm.sampler import run_chain

    n = 150  # three words per row
    g = nx.gnp_random_graph(n, 0.08, seed=7, directed=directed)
    formula = "edges + triangle + gwesp(0.4, fixed=TRUE) + gwdsp(0.7, fixed=TRUE)"
    if directed:
        formula += " + mutual"
    model = Model(g, formula)
    state = ChainState(model)
    theta = np.array([-2.4, 0.05, 0.1, -0.02] + ([0.5] if directed else []))
    run_chain(model, state, theta, 30, interval=400, burnin=0, rng=np.random.default_rng(2))
    np.testing.assert_array_equal(state.bits, kernels.adjacency_bits(state.adj, directed))
    fresh = ChainState(model, state.adj)
    off = ~np.eye(n, dtype=bool)
    np.testing.assert_array_equal(fresh.twopath[off], state.twopath[off])
    np.testing.assert_allclose(state.stats, model.summary_stats(state.adj), atol=1e-8)
    rng = np.random.default_rng(5)
    for i, j in [(0, 149), (149, 0), (63, 64), (64, 63), (127, 128), *rng.integers(0, n, (20, 2))]:
        if i == j:
            continue
        if not directed and i > j:
            i, j = j, i
        delta, diff = _kernel_change_and_summary_difference(model, state, i, j, directed)
        np.testing.assert_allclose(delta, diff, atol=1e-9)
