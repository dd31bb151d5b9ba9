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


def distributions(model, adj: np.ndarray) -> dict[str, np.ndarray]:
    """The goodness-of-fit distributions of one network (adjacency in the model's node order).

    Degree (in- and out-degree if directed), edgewise shared partners, geodesic distances and
    the model's own statistics.
    """
    directed = model.directed
    out = {}
    if directed:
        out["indegree"] = degree_distribution(adj, "indegree")
        out["outdegree"] = degree_distribution(adj, "outdegree")
    else:
        out["degree"] = degree_distribution(adj, "degree")
    out["esp"] = esp_distribution(adj, directed)
    out["geodesic"] = geodesic_distribution(adj, directed)
    out["model"] = model.summary_stats(adj)
    return {name: np.asarray(v, float) for name, v in out.items()}


def gof_interval(fit) -> int:
    """Proposals between the networks ``gof`` simulates by MCMC.

    The fit's own final interval when it has one (set from the effective size, so records
    that far apart are close to independent), else two sweeps of the dyads: statnet's fixed
    1024 leaves neighbouring networks of a few thousand dyads strongly correlated, and a
    goodness-of-fit plot from 40 such networks can show a misfit that is only the chain.
    """
    conv = getattr(fit, "convergence", None) or {}
    if conv.get("interval"):
        return int(conv["interval"])
    return int(max(1024, 2 * fit.model.n_dyads))


def gof(
    fit,
    nsim: int = 100,
    *,
    interval: int | None = None,
    progress: bool = True,
    seed=None,
    chains: int = 1,
    executor=None,
    n_jobs: int | None = None,
):
    """Compare a fit's simulated networks with the observed one.

    Distributions: degree (in- and out-degree if directed), edgewise shared partners (OTP if
    directed), geodesic distances (``inf`` = unreachable), and the model's own statistics.
    A model that factorises over dyads (dyad-independent, or mutual its only dependence) is
    sampled exactly, ``nsim`` independent networks (unless ``interval`` asks for a chain);
    other models by MCMC with :func:`gof_interval` proposals between networks.
    p-values are Monte Carlo two-sided: twice the smaller tail share, at most 1.

    With ``chains`` > 1 (or an ``executor``) the ``nsim`` networks come from that many
    independent chains (seeds: ``SeedSequence(seed).spawn``), each summarised where it runs:
    on ``executor`` (any ``concurrent.futures.Executor``, e.g. Dask's
    ``distributed.Client(...).get_executor()``) or ``n_jobs`` local processes. Same seed and
    same ``chains`` give the same tables on any executor.

    Examples
    --------
    >>> from medkit.ergm import fit
    >>> from medkit.ergm.datasets import florentine_marriage
    >>> res = fit(florentine_marriage(), "edges")
    >>> g = gof(res, nsim=20, progress=False, seed=1)
    >>> sorted(g.tables)
    ['degree', 'esp', 'geodesic', 'model']
    """
    from medkit.ergm.simulation import exact_networks, simulate

    model = fit.model
    exact = interval is None and model.factorises_over_dyads
    if interval is None:
        interval = gof_interval(fit)
    if exact or (chains == 1 and executor is None):
        # exact, independent networks where the model factorises; else one chain
        nets = (
            exact_networks(model, fit.params.to_numpy(), nsim, seed=seed)
            if exact
            else simulate(
                fit, nsim, output="adjacency", interval=interval, progress=progress, seed=seed
            )
        )
        per_net = [distributions(model, a) for a in nets]
        simulated = {name: np.array([d[name] for d in per_net], float) for name in per_net[0]}
    else:
        from medkit.ergm.ensemble import gof_chains

        theta = fit.params.to_numpy()
        simulated = gof_chains(model, theta, nsim, interval=interval, chains=chains,
                               executor=executor, n_jobs=n_jobs, progress=progress,
                               seed=seed)  # fmt: skip
    n = model.n
    observed = distributions(model, model.adjacency)
    index = {
        "indegree": list(range(n)),
        "outdegree": list(range(n)),
        "degree": list(range(n)),
        "esp": list(range(n - 1)),
        "geodesic": [*range(1, n), "inf"],
        "model": model.coef_names,
    }
    tables, sims, obs_all = {}, {}, {}
    for name, obs in observed.items():
        sim = simulated[name]
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
