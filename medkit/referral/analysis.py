"""Analysis of referral networks (spec section 6): thresholding, distances, metrics, communities."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd

from medkit.errors import DataError
from medkit.referral.layout import GRADE_NAMES, Layout
from medkit.referral.strategies import key_node_count, top_nodes

KEY_NODE_METRICS = (
    "degree",
    "in_degree",
    "weighted_degree",
    "weighted_in_degree",
    "pagerank",
    "lost_patients",
    "out_degree",
    "weighted_out_degree",
)


def _offdiag(n):
    return ~np.eye(n, dtype=bool)


def top_edges(weights, top_share: float = 0.05, *, method: str = "nlargest") -> np.ndarray:
    """Boolean (N, N) mask of the top ``top_share`` edges by weight (weight thresholding).

    ``method="nlargest"`` keeps exactly round(share * N(N-1)) edges (1,990 of 39,800; ties broken by
    the lower flat index), as the authors' merged network; ``method="quantile"`` keeps every edge
    with w >= the (1 - share) quantile of all off-diagonal weights, as their T comparison (ties may
    keep a few more).

    Examples
    --------
    >>> import numpy as np
    >>> w = np.arange(16.0).reshape(4, 4)
    >>> int(top_edges(w, 0.25).sum())
    3
    """
    w = np.asarray(weights, dtype=float)
    n = w.shape[0]
    off = _offdiag(n)
    vals = w[off]
    mask = np.zeros_like(off)
    if method == "quantile":
        thr = np.quantile(vals, 1.0 - top_share)
        mask[off] = vals >= thr
    elif method == "nlargest":
        k = int(round(top_share * vals.size))
        order = np.lexsort((np.arange(vals.size), -vals))[:k]
        flat = np.zeros(vals.size, dtype=bool)
        flat[order] = True
        mask[off] = flat
    else:
        raise DataError(f"method must be 'nlargest' or 'quantile', not {method!r}")
    return mask


def to_digraph(weights, mask=None, layout: Layout | None = None, hospitals=None) -> nx.DiGraph:
    """A networkx DiGraph of the masked weights (all N nodes kept, with layout attributes).

    Node attributes: grade, x, y, capacity (from ``layout``) and every column of ``hospitals``;
    edge attributes: weight, distance, preference.
    """
    w = np.asarray(weights, dtype=float)
    n = w.shape[0]
    mask = (w > 0) & _offdiag(n) if mask is None else mask
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    if layout is not None:
        for i in range(n):
            g.nodes[i].update(
                grade=int(layout.grade[i]), x=float(layout.x[i]), y=float(layout.y[i]),
                capacity=int(layout.capacity[i]),
            )  # fmt: skip
    if hospitals is not None:
        for col in hospitals.columns:
            if col in ("grade_name",):
                continue
            vals = hospitals[col].to_numpy()
            for i in range(n):
                v = vals[i]
                g.nodes[i][col] = v.item() if hasattr(v, "item") else v
    ii, jj = np.nonzero(mask)
    for i, j in zip(ii.tolist(), jj.tolist(), strict=True):
        attrs = {"weight": float(w[i, j])}
        if layout is not None:
            attrs["distance"] = float(layout.distance[i, j])
            attrs["preference"] = float(layout.preference[i, j])
        g.add_edge(i, j, **attrs)
    return g


def mean_weights(results) -> np.ndarray:
    """Mean (N, N) weight matrix over Phase-A runs."""
    return np.mean([r.weights for r in results], axis=0)


def stable_network(results, top_share: float = 0.05, *, method: str = "nlargest") -> nx.DiGraph:
    """The stable referral network: mean weights over Phase-A runs, top ``top_share`` edges kept.

    Node attributes are the layout plus the per-run mean of every numeric column of the runs'
    hospital tables (``lost_patients``, ``initial_area``, ...). Edge ``weight`` is the mean raw
    weight (initial 1 + referrals); ``normalized_weight`` divides by the maximum as the authors'
    shipped file. Graph attributes: runs, days, top_share.

    Examples
    --------
    >>> from medkit.referral import ReferralParams, make_layout, run_evolution
    >>> p = ReferralParams.small(days=10)
    >>> lay = make_layout(p, seed=1)
    >>> g = stable_network([run_evolution(lay, p, seed=s) for s in (1, 2)])
    >>> g.number_of_nodes(), g.number_of_edges()
    (50, 122)
    """
    results = list(results)
    if not results:
        raise DataError("stable_network needs at least one Phase-A run")
    w = mean_weights(results)
    mask = top_edges(w, top_share, method=method)
    hosp = pd.concat([r.hospitals for r in results]).select_dtypes("number").groupby(level=0).mean()
    hosp = hosp.drop(columns=[c for c in ("grade", "x", "y", "capacity") if c in hosp.columns])
    g = to_digraph(w, mask, results[0].layout, hosp)
    wmax = max((d for _, _, d in g.edges(data="weight")), default=1.0)
    for _, _, d in g.edges(data=True):
        d["normalized_weight"] = d["weight"] / wmax
    g.graph.update(runs=len(results), days=results[0].counters["days"], top_share=top_share)
    return g


# --- distances between networks -------------------------------------------------------------
def _normalised_top(weights, top_share):
    w = np.asarray(weights, dtype=float)
    mask = top_edges(w, top_share, method="quantile")
    wn = np.where(mask, w, 0.0)
    return mask, wn / wn.sum()


def topological_distance(weights_a, weights_b, top_share: float = 0.05) -> float:
    """|E_a sym-diff E_b| / ((|E_a| + |E_b|) / 2) of the quantile-thresholded networks.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.random.default_rng(0).random((20, 20))
    >>> topological_distance(w, w)
    0.0
    """
    ma, _ = _normalised_top(weights_a, top_share)
    mb, _ = _normalised_top(weights_b, top_share)
    return float((ma ^ mb).sum() / ((ma.sum() + mb.sum()) / 2))


def weight_distance(weights_a, weights_b, top_share: float = 0.05, tol: float = 0.1) -> float:
    """Share of edges whose normalised weight differs by a relative error >= ``tol``, symmetrised.

    D(a->b) = mean over E_a of 1[|w_a - w_b| / w_a >= tol] (w_b = 0 off E_b); the result is
    (D(a->b) + D(b->a)) / 2.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.random.default_rng(0).random((20, 20))
    >>> weight_distance(w, w)
    0.0
    """
    ma, wa = _normalised_top(weights_a, top_share)
    mb, wb = _normalised_top(weights_b, top_share)

    def one(m, x, y):
        return float((np.abs(x[m] - y[m]) / x[m] >= tol).mean())

    return 0.5 * (one(ma, wa, wb) + one(mb, wb, wa))


def stability_table(snapshots: dict, top_share: float = 0.05, tol: float = 0.1) -> pd.DataFrame:
    """Topological and weight distances for every pair of networks {T: weights}.

    Returns a tidy DataFrame with columns T_a, T_b, topological, weight, stable (both < 0.1).
    """
    rows = []
    for ta, tb in itertools.combinations(sorted(snapshots), 2):
        topo = topological_distance(snapshots[ta], snapshots[tb], top_share)
        wd = weight_distance(snapshots[ta], snapshots[tb], top_share, tol)
        rows.append({"T_a": ta, "T_b": tb, "topological": topo, "weight": wd,
                     "stable": topo < tol and wd < tol})  # fmt: skip
    return pd.DataFrame(rows)


def stability_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """Square T x T matrix as in Figure 2: topological distance above, weight distance below."""
    ts = sorted(set(table["T_a"]) | set(table["T_b"]))
    m = pd.DataFrame(np.nan, index=ts, columns=ts)
    for row in table.itertuples():
        m.loc[row.T_a, row.T_b] = row.topological
        m.loc[row.T_b, row.T_a] = row.weight
    return m


# --- node metrics -----------------------------------------------------------------------------
def node_metrics(g: nx.DiGraph, days: int | None = None) -> pd.DataFrame:
    """Per-hospital metrics of a (thresholded) network.

    Columns: grade, in_degree, out_degree, degree, weighted_in_degree, weighted_out_degree,
    weighted_degree, received_volume and referred_volume (weighted in/out-degree / days, per day),
    pagerank (networkx defaults), in_edge_distance (mean distance of in-edges, 0 without: the
    paper's "referral service range"), initial_area and lost_patients (node attributes, if there).
    """
    n = g.number_of_nodes()
    days = days or g.graph.get("days", 1)
    nodes = sorted(g.nodes)
    pr = nx.pagerank(g, weight="weight") if g.number_of_edges() else {i: 1 / n for i in nodes}
    rows = []
    for i in nodes:
        ins = list(g.in_edges(i, data=True))
        ard = float(np.mean([d.get("distance", np.nan) for _, _, d in ins])) if ins else 0.0
        wi = sum(d.get("weight", 1.0) for _, _, d in ins)
        wo = sum(d.get("weight", 1.0) for _, _, d in g.out_edges(i, data=True))
        a = g.nodes[i]
        rows.append(
            {
                "hospital": i,
                "grade": a.get("grade", np.nan),
                "in_degree": g.in_degree(i),
                "out_degree": g.out_degree(i),
                "degree": g.degree(i),
                "weighted_in_degree": wi,
                "weighted_out_degree": wo,
                "weighted_degree": wi + wo,
                "received_volume": wi / days,
                "referred_volume": wo / days,
                "pagerank": pr[i],
                "in_edge_distance": ard,
                "initial_area": a.get("initial_area", np.nan),
                "lost_patients": a.get("lost_patients", np.nan),
            }
        )
    return pd.DataFrame(rows).set_index("hospital")


def grade_metrics(g: nx.DiGraph, days: int | None = None) -> pd.DataFrame:
    """Figure-3 metrics: mean per grade of :func:`node_metrics` (rows grades 1, 2, 3).

    Examples
    --------
    >>> from medkit.referral import ReferralParams, make_layout, run_evolution
    >>> p = ReferralParams.small(days=10)
    >>> lay = make_layout(p, seed=1)
    >>> g = stable_network([run_evolution(lay, p, seed=1)])
    >>> list(grade_metrics(g).index)
    [1, 2, 3]
    """
    m = node_metrics(g, days)
    out = m.groupby("grade").mean()
    out.index = out.index.astype(int)
    out.index.name = "grade"
    return out


def key_nodes(g: nx.DiGraph, share: float = 0.05, metrics=KEY_NODE_METRICS) -> pd.DataFrame:
    """Top ``share`` hospitals (10 of 200) under each metric (Figure 5).

    Returns a DataFrame with one row per (metric, rank): metric, rank, hospital, grade, value.
    """
    m = node_metrics(g)
    k = key_node_count(g.number_of_nodes(), share)
    rows = []
    for metric in metrics:
        top = top_nodes(m[metric].to_numpy(), k)
        for rank, i in enumerate(top, start=1):
            node = m.index[i]
            rows.append({"metric": metric, "rank": rank, "hospital": int(node),
                         "grade": m.loc[node, "grade"], "value": m.loc[node, metric]})  # fmt: skip
    return pd.DataFrame(rows)


def communities(
    g: nx.DiGraph, *, min_size: int = 5, resolution: float = 1.0, seed=123
) -> pd.Series:
    """Louvain communities (Figure 4) with the authors' small-community merge rule.

    ``louvain_communities(g.to_undirected(), weight="weight", resolution=1, seed=123)``; each node
    of a community with fewer than ``min_size`` nodes joins the large community whose spatial
    centroid (mean x, y) is nearest. Returns a Series hospital -> community id (0 = largest).

    Examples
    --------
    >>> from medkit.referral import ReferralParams, make_layout, run_evolution
    >>> p = ReferralParams.small(days=10)
    >>> lay = make_layout(p, seed=1)
    >>> c = communities(stable_network([run_evolution(lay, p, seed=1)]))
    >>> int(c.value_counts().min()) >= 5
    True
    """
    comms = nx.community.louvain_communities(
        g.to_undirected(), weight="weight", resolution=resolution, seed=seed
    )
    big = [sorted(c) for c in comms if len(c) >= min_size]
    small = [n for c in comms if len(c) < min_size for n in c]
    if not big:
        big = [sorted(g.nodes)]
        small = []
    xy = {n: (g.nodes[n].get("x", 0.0), g.nodes[n].get("y", 0.0)) for n in g.nodes}
    cents = np.array([np.mean([xy[n] for n in c], axis=0) for c in big])
    for n in small:
        k = int(np.argmin(np.hypot(*(cents - np.array(xy[n])).T)))
        big[k].append(n)
    big.sort(key=lambda c: (-len(c), min(c)))
    label = {n: k for k, c in enumerate(big) for n in c}
    return pd.Series(label, name="community").sort_index().rename_axis("hospital")


def grade_pair_shares(referrals, grade) -> pd.DataFrame:
    """Share of referrals between each pair of grades (from -> to), in percent.

    Examples
    --------
    >>> import numpy as np
    >>> r = np.array([[0, 3, 1], [0, 0, 0], [0, 0, 0]])
    >>> grade_pair_shares(r, [1, 2, 3])["share"].tolist()[:2]
    [75.0, 25.0]
    """
    r = np.asarray(referrals, dtype=float)
    grade = np.asarray(grade)
    total = r.sum()
    rows = []
    for a in (1, 2, 3):
        for b in (1, 2, 3):
            v = r[np.ix_(grade == a, grade == b)].sum()
            rows.append({"from_grade": a, "to_grade": b, "pair": f"{a}->{b}",
                         "referrals": v, "share": 100 * v / total if total else np.nan})  # fmt: skip
    return (
        pd.DataFrame(rows)
        .sort_values("share", ascending=False, kind="stable")
        .reset_index(drop=True)
    )


def grade_summary(hospitals: pd.DataFrame) -> pd.DataFrame:
    """Mean per grade of a hospital table (from a run): LP, initial area, visits, utilisation."""
    cols = [c for c in ("lost_patients", "initial_area", "visits", "utilisation",
                        "days_at_capacity", "referral_area") if c in hospitals]  # fmt: skip
    out = hospitals.groupby("grade")[cols].mean()
    out.insert(0, "grade_name", [GRADE_NAMES[int(g)] for g in out.index])
    return out
