"""Goodness of fit: observed degree, shared-partner and geodesic distributions against simulated."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path


def degree_distribution(adj: np.ndarray, kind: str = "degree", max_k: int | None = None):
    """Counts of nodes with degree 0, 1, ... (``kind``: degree, indegree, outdegree)."""
    deg = adj.sum(axis=0) if kind == "indegree" else adj.sum(axis=1)
    max_k = adj.shape[0] - 1 if max_k is None else max_k
    return np.bincount(deg.astype(int), minlength=max_k + 1)[: max_k + 1]


def esp_distribution(adj: np.ndarray, directed: bool, max_k: int | None = None):
    """Counts of ties with 0, 1, ... edgewise shared partners (directed: outgoing two-paths)."""
    a = adj.astype(np.int64)
    tp = a @ a
    mask = adj.astype(bool)
    if not directed:
        mask = np.triu(mask, 1)
    max_k = adj.shape[0] - 2 if max_k is None else max_k
    return np.bincount(tp[mask], minlength=max_k + 1)[: max_k + 1]


def geodesic_distribution(adj: np.ndarray, directed: bool):
    """Counts of dyads at distance 1, 2, ..., n-1, and unreachable (last entry)."""
    n = adj.shape[0]
    dist = shortest_path(csr_matrix(adj), directed=directed, unweighted=True)
    off = ~np.eye(n, dtype=bool)
    if not directed:
        off = np.triu(off, 1)
    d = dist[off]
    finite = d[np.isfinite(d)].astype(int)
    counts = np.bincount(finite, minlength=n)[1:n]
    return np.append(counts, np.sum(~np.isfinite(d)))


@dataclass
class GofResult:
    """Observed and simulated distributions; ``tables[name]`` has obs, min, mean, max, p-value."""

    tables: dict
    simulated: dict
    observed: dict

    def __repr__(self) -> str:
        parts = []
        for name, table in self.tables.items():
            shown = table[(table["obs"] > 0) | (table["max"] > 0)]
            parts.append(f"Goodness of fit: {name}\n{shown.round(3).to_string()}")
        return "\n\n".join(parts)

    def plot(self, axes=None, **kwargs):
        """Draw the distributions and model statistics (see :func:`medkit.plots.gof.plot_gof`).

        Long distributions are binned and shown as quantile bands of the simulated networks,
        short ones as box plots, the model statistics as standardised differences; keyword
        arguments go to :func:`~medkit.plots.gof.plot_gof`. Returns the axes.
        """
        from medkit.plots.gof import plot_gof

        return plot_gof(self, axes=axes, **kwargs)


def gof(fit, nsim: int = 100, *, interval: int | None = None, progress: bool = True, seed=None):
    """Compare a fit's simulated networks with the observed one.

    Distributions: degree (in- and out-degree if directed), edgewise shared partners (OTP if
    directed), geodesic distances (``inf`` = unreachable), and the model's own statistics.
    p-values are Monte Carlo two-sided: twice the smaller tail share, at most 1.

    Examples
    --------
    >>> from medkit.ergm import fit
    >>> from medkit.ergm.datasets import florentine_marriage
    >>> res = fit(florentine_marriage(), "edges")
    >>> g = gof(res, nsim=20, progress=False, seed=1)
    >>> sorted(g.tables)
    ['degree', 'esp', 'geodesic', 'model']
    """
    from medkit.ergm.simulation import simulate

    model = fit.model
    nets = simulate(fit, nsim, output="adjacency", interval=interval, progress=progress, seed=seed)
    n = model.n
    directed = model.directed
    funcs = {}
    if directed:
        funcs["indegree"] = lambda a: degree_distribution(a, "indegree")
        funcs["outdegree"] = lambda a: degree_distribution(a, "outdegree")
    else:
        funcs["degree"] = lambda a: degree_distribution(a, "degree")
    funcs["esp"] = lambda a: esp_distribution(a, directed)
    funcs["geodesic"] = lambda a: geodesic_distribution(a, directed)
    funcs["model"] = model.summary_stats
    index = {
        "indegree": list(range(n)),
        "outdegree": list(range(n)),
        "degree": list(range(n)),
        "esp": list(range(n - 1)),
        "geodesic": [*range(1, n), "inf"],
        "model": model.coef_names,
    }
    tables, sims, obs_all = {}, {}, {}
    for name, f in funcs.items():
        obs = np.asarray(f(model.adjacency), float)
        sim = np.array([f(a) for a in nets], float)
        lower = (sim <= obs).mean(axis=0)
        upper = (sim >= obs).mean(axis=0)
        table = pd.DataFrame(
            {
                "obs": obs,
                "min": sim.min(axis=0),
                "mean": sim.mean(axis=0),
                "max": sim.max(axis=0),
                "p-value": np.minimum(1.0, 2 * np.minimum(lower, upper)),
            },
            index=index[name],
        )
        tables[name], sims[name], obs_all[name] = table, sim, obs
    return GofResult(tables, sims, obs_all)
