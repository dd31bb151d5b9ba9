"""Centrality of places in mobility and referral networks, with the normalisation stated.

Fu & Lu (2025, Figure 7) map the "standardized in-degree centrality" of Zhejiang's counties,
computed with UCINET. UCINET's normalised degree divides the count by its maximum possible
value, ``n - 1`` (UCINET prints it as a percentage; networkx's ``in_degree_centrality`` gives
the same number as a fraction). A second common standardisation is each node's *share of all
ties*, which sums to 1 and so compares networks of different density. Both are offered; the
default is UCINET's, the one the paper names.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

NORMALISATIONS = ("n-1", "share", "none")


def in_degree_centrality(
    graph: nx.DiGraph, *, normalization: str = "n-1", weight: str | None = None
) -> pd.Series:
    """In-degree of every node, raw or standardised.

    Parameters
    ----------
    graph : networkx.DiGraph
        A directed network (self-loops are refused: they are not moves between places).
    normalization : {"n-1", "share", "none"}, default "n-1"
        ``"n-1"``: in-degree / (n - 1), UCINET's normalised in-degree as a fraction and
        networkx's ``in_degree_centrality``; ``"share"``: in-degree / number of ties, so the
        values sum to 1; ``"none"``: the count.
    weight : str, optional
        Edge attribute to sum instead of counting ties (weighted in-degree, "strength").

    Returns
    -------
    pandas.Series
        Indexed by node, in graph order, named after the measure.

    Examples
    --------
    >>> g = nx.DiGraph([(1, 2), (3, 2), (2, 1)])
    >>> in_degree_centrality(g).tolist()
    [0.5, 1.0, 0.0]
    >>> in_degree_centrality(g, normalization="share").round(3).tolist()
    [0.333, 0.667, 0.0]
    """
    if not graph.is_directed():
        raise ValueError("in-degree centrality needs a directed graph (networkx.DiGraph)")
    if normalization not in NORMALISATIONS:
        raise ValueError(f"normalization must be one of {NORMALISATIONS}, got {normalization!r}")
    loops = list(nx.selfloop_edges(graph))
    if loops:
        raise ValueError(f"the graph has self-loops, e.g. {loops[0]}: remove them first")
    n = graph.number_of_nodes()
    counts = pd.Series(dict(graph.in_degree(weight=weight)), dtype=float)
    counts = counts.reindex(list(graph.nodes))
    if normalization == "n-1":
        values = counts / (n - 1) if n > 1 else counts * 0.0
        name = "in_degree_n-1"
    elif normalization == "share":
        total = counts.sum()
        values = counts / total if total > 0 else counts * 0.0
        name = "in_degree_share"
    else:
        values = counts
        name = "in_degree"
    return values.rename(name)


def degree_table(graph: nx.DiGraph, *, weight: str | None = None) -> pd.DataFrame:
    """In-, out- and total degree of every node with both standardisations of in-degree.

    Examples
    --------
    >>> g = nx.DiGraph([(1, 2), (3, 2), (2, 1)])
    >>> degree_table(g).loc[2, ["in_degree", "out_degree", "degree"]].tolist()
    [2.0, 1.0, 3.0]
    """
    table = pd.DataFrame(
        {
            "in_degree": in_degree_centrality(graph, normalization="none", weight=weight),
            "out_degree": pd.Series(dict(graph.out_degree(weight=weight)), dtype=float),
        }
    )
    table["degree"] = table["in_degree"] + table["out_degree"]
    table["in_degree_n-1"] = in_degree_centrality(graph, normalization="n-1", weight=weight)
    table["in_degree_share"] = in_degree_centrality(graph, normalization="share", weight=weight)
    table.index.name = "node"
    return table


def top_nodes(values: pd.Series, k: int = 10) -> pd.Series:
    """The ``k`` largest values, ties broken by node label so the order is reproducible.

    Examples
    --------
    >>> top_nodes(pd.Series({"a": 1.0, "b": 3.0, "c": 3.0}), k=2).index.tolist()
    ['b', 'c']
    """
    frame = values.rename("value").to_frame()
    frame["label"] = frame.index.astype(str)
    frame = frame.sort_values(["value", "label"], ascending=[False, True])
    return values.loc[frame.index[:k]]


def rank_correlation(a: pd.Series, b: pd.Series) -> float:
    """Spearman rank correlation of two node measures, matched on their index.

    Used to say in numbers whether two maps "look alike" (Fu & Lu compare Figure 7's
    in-degree map with Figure 6's high-tier-hospital map by eye).

    Examples
    --------
    >>> rank_correlation(pd.Series({"a": 1, "b": 2, "c": 3}), pd.Series({"c": 30, "b": 5, "a": 1}))
    1.0
    """
    from scipy.stats import spearmanr

    joined = pd.concat([a.rename("a"), b.rename("b")], axis=1, join="inner").dropna()
    if len(joined) < 3:
        raise ValueError("rank correlation needs at least 3 nodes present in both series")
    return float(spearmanr(joined["a"], joined["b"]).statistic)


def centrality_by_place(
    graph: nx.DiGraph, places: pd.DataFrame, *, normalization: str = "n-1"
) -> pd.DataFrame:
    """In-degree centrality joined to a table of places (names, coordinates, covariates).

    Returns ``places`` restricted to the graph's nodes with two extra columns: ``in_degree``
    (count) and ``centrality`` (standardised as ``normalization``, see
    :func:`in_degree_centrality`).

    Examples
    --------
    >>> g = nx.DiGraph([(1, 2), (3, 2), (2, 1)])
    >>> places = pd.DataFrame({"name": ["a", "b", "c"]}, index=[1, 2, 3])
    >>> centrality_by_place(g, places).loc[2, "centrality"]
    np.float64(1.0)
    """
    out = places.loc[list(graph.nodes)].copy()
    out["in_degree"] = in_degree_centrality(graph, normalization="none")
    out["centrality"] = in_degree_centrality(graph, normalization=normalization)
    return out
