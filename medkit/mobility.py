"""From individual movers to origin-destination flows to a binary mobility network.

This is the paper's Figure 2: an edge list of moves is counted per ordered pair of cities, and a
pair becomes a tie of the network when its count reaches a threshold.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from medkit.errors import DataError


def aggregate_flows(movers: pd.DataFrame) -> pd.DataFrame:
    """Count movers per (origin, destination): columns origin, destination, count.

    Examples
    --------
    >>> movers = pd.DataFrame({"origin": [1, 1, 2], "destination": [2, 2, 1]})
    >>> aggregate_flows(movers).to_dict("list")
    {'origin': [1, 2], 'destination': [2, 1], 'count': [2, 1]}
    """
    for col in ("origin", "destination"):
        if col not in movers.columns:
            raise DataError(f"missing required column {col!r}", column=col)
    counts = movers.groupby(["origin", "destination"]).size().rename("count").reset_index()
    counts["count"] = counts["count"].astype("int64")
    return counts.sort_values(["origin", "destination"]).reset_index(drop=True)


def od_matrix(flows: pd.DataFrame, nodes=None) -> pd.DataFrame:
    """Square origin x destination matrix of counts (zeros where no movers).

    Examples
    --------
    >>> f = pd.DataFrame({"origin": [1], "destination": [2], "count": [7]})
    >>> int(od_matrix(f, nodes=[1, 2, 3]).loc[1, 2])
    7
    """
    if nodes is None:
        nodes = sorted(set(flows["origin"]) | set(flows["destination"]))
    nodes = list(nodes)
    table = flows.pivot_table(
        index="origin", columns="destination", values="count", aggfunc="sum", fill_value=0
    )
    table = table.reindex(index=nodes, columns=nodes, fill_value=0).astype("int64")
    table.index.name, table.columns.name = "origin", "destination"
    return table


def network_from_flows(flows: pd.DataFrame, threshold: int, nodes=None) -> nx.DiGraph:
    """Directed graph with a tie for every pair whose count is at least ``threshold``.

    ``nodes`` is a list of node ids or a DataFrame indexed by them (its columns become node
    attributes). Edges carry their ``count``.

    Examples
    --------
    >>> f = pd.DataFrame({"origin": [1, 2], "destination": [2, 1], "count": [7, 2]})
    >>> sorted(network_from_flows(f, 5, nodes=[1, 2]).edges())
    [(1, 2)]
    """
    if threshold < 1:
        raise ValueError(f"threshold must be at least 1, got {threshold}")
    graph = nx.DiGraph(threshold=int(threshold))
    if isinstance(nodes, pd.DataFrame):
        for code, row in nodes.iterrows():
            graph.add_node(code, **row.to_dict())
    elif nodes is not None:
        graph.add_nodes_from(nodes)
    kept = flows[flows["count"] >= threshold]
    for o, d, c in zip(kept["origin"], kept["destination"], kept["count"], strict=True):
        graph.add_edge(o, d, count=int(c))
    return graph


def threshold_summary(flows: pd.DataFrame, thresholds, n_nodes: int) -> pd.DataFrame:
    """Ties, density, mean and max in-degree of the network at each threshold.

    Examples
    --------
    >>> f = pd.DataFrame({"origin": [1, 2, 1], "destination": [2, 1, 3], "count": [7, 2, 5]})
    >>> threshold_summary(f, [1, 5], n_nodes=3)["ties"].tolist()
    [3, 2]
    """
    rows = []
    dyads = n_nodes * (n_nodes - 1)
    for t in thresholds:
        kept = flows[flows["count"] >= t]
        indeg = kept.groupby("destination").size()
        rows.append(
            {
                "threshold": int(t),
                "ties": len(kept),
                "density": len(kept) / dyads,
                "mean_in_degree": len(kept) / n_nodes,
                "max_in_degree": int(indeg.max()) if len(indeg) else 0,
            }
        )
    return pd.DataFrame(rows)


def in_degree_table(flows: pd.DataFrame, threshold: int, cities: pd.DataFrame) -> pd.DataFrame:
    """In-degree and movers received per city at a threshold, most attractive first."""
    kept = flows[flows["count"] >= threshold]
    out = pd.DataFrame(index=cities.index)
    out["in_degree"] = kept.groupby("destination").size().reindex(cities.index, fill_value=0)
    out["movers_in"] = (
        flows.groupby("destination")["count"].sum().reindex(cities.index, fill_value=0)
    )
    for col in ("name_pinyin", "HTH", "PCF"):
        if col in cities:
            out[col] = cities[col]
    return out.sort_values(["in_degree", "movers_in"], ascending=False)


def strongest_flows(flows: pd.DataFrame, k: int) -> pd.DataFrame:
    """The ``k`` largest flows (ties broken by origin, destination)."""
    order = np.lexsort((flows["destination"], flows["origin"], -flows["count"].to_numpy()))
    return flows.iloc[order[:k]].reset_index(drop=True)
