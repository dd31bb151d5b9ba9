"""Phase-B capacity strategies (spec section 5): where to put about 1 % extra daily slots."""

from __future__ import annotations

import networkx as nx
import numpy as np

from medkit.errors import DataError
from medkit.referral.layout import Layout
from medkit.referral.params import STRATEGIES, ReferralParams

STRATEGY_LABELS = {
    "baseline": "no extra capacity",
    "uniform": "uniform +1 %",
    "core": "core hospital enhancement (top degree)",
    "bottleneck": "referral bottleneck mitigation (top out-degree)",
    "lost_patients": "lost-patient targeted (top LP)",
}


def extra_budget(capacity, share: float = 0.01) -> int:
    """B = sum_i max(1, round(share * C_i)) (491 on the authors' layout).

    Examples
    --------
    >>> extra_budget([100, 250, 1000])
    13
    """
    capacity = np.asarray(capacity)
    return int(np.maximum(1, np.round(share * capacity)).sum())


def top_nodes(values, k: int) -> np.ndarray:
    """Indices of the ``k`` largest values; ties broken by the lower index.

    Examples
    --------
    >>> top_nodes([3, 9, 9, 1], 2).tolist()
    [1, 2]
    """
    values = np.asarray(values, dtype=float)
    order = np.lexsort((np.arange(values.size), -values))
    return order[:k]


def key_node_count(n_hospitals: int, share: float = 0.05) -> int:
    """Number of key hospitals: top 5 % of N, at least 1 (10 for 200)."""
    return max(1, int(round(share * n_hospitals)))


def strategy_capacity(
    layout: Layout,
    stable,
    strategy: str,
    params: ReferralParams | None = None,
    *,
    lost_patients=None,
) -> np.ndarray:
    """Daily visit limits under a Phase-B strategy.

    * ``baseline``: unchanged (no extra capacity);
    * ``uniform``: C_i + max(1, round(0.01 C_i)) everywhere (reproduces the authors' file exactly);
    * ``core``: the top-5 % hospitals by total degree of the stable network each get
      ``key_node_extra`` (default budget // count, 49 on the authors' layout);
    * ``bottleneck``: the same for the top-5 % by out-degree;
    * ``lost_patients``: the same for the top-5 % by Phase-A lost patients (node attribute
      ``lost_patients`` of ``stable`` unless ``lost_patients`` is given).

    Examples
    --------
    >>> import networkx as nx
    >>> from medkit.referral import ReferralParams, layout_from_arrays
    >>> lay = layout_from_arrays([1, 1, 3], [0, 5, 9], [0, 0, 0], [50, 60, 700])
    >>> g = nx.DiGraph([(0, 2), (1, 2)])
    >>> strategy_capacity(lay, g, "core", ReferralParams(n_hospitals=3)).tolist()
    [50, 60, 709]
    """
    params = params or ReferralParams()
    cap = layout.capacity.astype(np.int64).copy()
    n = cap.size
    if strategy not in STRATEGIES:
        raise DataError(f"unknown strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}")
    if strategy == "baseline":
        return cap
    budget = extra_budget(cap, params.extra_capacity_share)
    if strategy == "uniform":
        return cap + np.maximum(1, np.round(params.extra_capacity_share * cap)).astype(np.int64)
    k = key_node_count(n, params.top_share)
    per_node = params.key_node_extra if params.key_node_extra is not None else budget // k
    if strategy == "lost_patients":
        if lost_patients is None:
            if not isinstance(stable, nx.DiGraph):
                raise DataError("lost_patients strategy needs Phase-A lost patients per hospital")
            lost_patients = [stable.nodes[i].get("lost_patients", 0.0) for i in range(n)]
        score = np.asarray(lost_patients, dtype=float)
    else:
        g = (
            stable
            if isinstance(stable, nx.DiGraph)
            else nx.from_numpy_array(np.asarray(stable) > 0, create_using=nx.DiGraph)
        )
        deg = g.degree if strategy == "core" else g.out_degree
        score = np.array([deg[i] if i in g else 0 for i in range(n)], dtype=float)
    cap[top_nodes(score, k)] += per_node
    return cap
