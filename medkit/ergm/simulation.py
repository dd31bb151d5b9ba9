"""Simulate networks, or their statistics, from an ERGM."""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pandas as pd

from medkit._random import as_generator
from medkit.ergm.model import ChainState, Model
from medkit.ergm.sampler import run_chain
from medkit.errors import DegeneracyWarning


def _model_and_coef(fit_or_model, coef):
    from medkit.ergm.results import ERGMResults

    if isinstance(fit_or_model, ERGMResults):
        model = fit_or_model.model
        theta = fit_or_model.params.to_numpy() if coef is None else coef
    elif isinstance(fit_or_model, Model):
        model = fit_or_model
        if coef is None:
            raise ValueError("simulating from a Model needs coef= (one value per statistic)")
        theta = coef
    else:
        raise TypeError("simulate() takes an ERGMResults (a fit) or a Model")
    if isinstance(theta, dict):
        theta = [theta[name] for name in model.coef_names]
    if isinstance(theta, pd.Series):
        theta = theta.reindex(model.coef_names).to_numpy()
    theta = np.asarray(theta, dtype=float)
    if theta.shape != (model.p,):
        raise ValueError(f"coef has {theta.size} values but the model has {model.p} statistics")
    return model, theta


def adjacency_to_graph(model: Model, adj: np.ndarray):
    """A networkx graph with the model's nodes (and their attributes) and the ties of ``adj``."""
    graph = nx.DiGraph() if model.directed else nx.Graph()
    graph.add_nodes_from((v, dict(model.graph.nodes[v])) for v in model.nodes)
    rows, cols = np.nonzero(adj if model.directed else np.triu(adj, 1))
    nodes = model.nodes
    graph.add_edges_from((nodes[i], nodes[j]) for i, j in zip(rows, cols, strict=True))
    return graph


def exact_networks(model: Model, theta, n: int, *, seed=None) -> list[np.ndarray]:
    """``n`` independent adjacency matrices drawn exactly from a model that factorises.

    Dyad-independent models: each dyad is a tie with probability ``logistic(theta . x_ij)``.
    Directed models whose only dependence is ``mutual``: each pair takes one of its four
    states (none, ``i -> j``, ``j -> i``, both) with probabilities ``exp(theta . f_s)``
    normalised. Every network is a fresh draw, so there is no autocorrelation to burn off.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.gnp_random_graph(30, 0.2, seed=2, directed=True)
    >>> nets = exact_networks(Model(g, "edges + mutual"), [-1.5, 1.0], 200, seed=1)
    >>> density = np.mean([a.sum() / (30 * 29) for a in nets])
    >>> bool(0.2 < density < 0.3)
    True
    """
    if not model.factorises_over_dyads:
        raise ValueError("exact sampling needs a dyad-independent or mutual-only directed model")
    from medkit.ergm.mple import dyad_logits, pair_features

    rng = as_generator(seed)
    n_nodes = model.n
    out = []
    if model.dyad_independent:
        rows, cols, eta = dyad_logits(model, theta)
        prob = 1.0 / (1.0 + np.exp(-eta))
        for _ in range(int(n)):
            adj = np.zeros((n_nodes, n_nodes), dtype=np.uint8)
            ties = rng.random(rows.size) < prob
            adj[rows[ties], cols[ties]] = 1
            if not model.directed:
                adj[cols[ties], rows[ties]] = 1
            out.append(adj)
        return out
    rows, cols, F = pair_features(model)
    eta = F @ np.asarray(theta, dtype=float)
    eta -= eta.max(axis=1, keepdims=True)
    cum = np.cumsum(np.exp(eta), axis=1)
    cum /= cum[:, -1:]
    for _ in range(int(n)):
        state = (rng.random(rows.size)[:, None] >= cum[:, :3]).sum(axis=1)
        adj = np.zeros((n_nodes, n_nodes), dtype=np.uint8)
        fwd = (state == 1) | (state == 3)
        back = (state == 2) | (state == 3)
        adj[rows[fwd], cols[fwd]] = 1
        adj[cols[back], rows[back]] = 1
        out.append(adj)
    return out


def simulate(
    fit_or_model,
    n: int = 1,
    *,
    coef=None,
    output: str = "network",
    burnin: int | None = None,
    interval: int | None = None,
    start=None,
    progress: bool = False,
    seed=None,
):
    """Simulate from an ERGM with the tie/no-tie Metropolis-Hastings sampler.

    Parameters
    ----------
    fit_or_model : ERGMResults or Model
        A fit (its estimates are used unless ``coef`` is given) or a model with ``coef``.
    n : int
        Number of networks (or statistics vectors).
    coef : array-like, Series or dict, optional
        Parameters, one per statistic.
    output : {"network", "stats", "adjacency"}
        ``"network"``: list of networkx graphs; ``"stats"``: DataFrame of the statistics, one row
        per network; ``"adjacency"``: list of 0/1 arrays.
    burnin, interval : int, optional
        Steps before the first draw (default ``16 * interval``) and between draws (default
        1024, or twice the number of dyads if smaller).
    start : networkx graph or ndarray, optional
        Start network (default: the observed one).
    progress : bool
        Show a progress bar.
    seed : int or numpy.random.Generator, optional

    Examples
    --------
    >>> import networkx as nx
    >>> from medkit.ergm import Model
    >>> m = Model(nx.empty_graph(10), "edges")
    >>> stats = simulate(m, 200, coef=[0.0], output="stats", seed=1)
    >>> bool(18 < stats["edges"].mean() < 27)
    True
    """
    from medkit.ergm.mcmle import default_interval

    model, theta = _model_and_coef(fit_or_model, coef)
    rng = as_generator(seed)
    interval = default_interval(model) if interval is None else int(interval)
    burnin = 16 * interval if burnin is None else int(burnin)
    if start is None:
        state = ChainState(model)
    else:
        adj = start if isinstance(start, np.ndarray) else nx.to_numpy_array(start, model.nodes)
        state = ChainState(model, (np.asarray(adj) != 0).astype(np.uint8))
    if output == "stats":
        Z, edges = run_chain(
            model, state, theta, n, interval=interval, burnin=burnin, rng=rng, progress=progress
        )
        _warn_if_degenerate(model, edges)
        return pd.DataFrame(Z, columns=model.coef_names)
    if output not in ("network", "adjacency"):
        raise ValueError(f"output must be 'network', 'stats' or 'adjacency', not {output!r}")
    from tqdm.auto import tqdm

    nets, all_edges = [], []
    for k in tqdm(range(n), disable=not progress, desc="simulate", leave=False):
        _, edges = run_chain(
            model, state, theta, 1, interval=interval, burnin=burnin if k == 0 else 0, rng=rng
        )
        all_edges.append(edges[0])
        adj = state.adj.copy()
        nets.append(adj if output == "adjacency" else adjacency_to_graph(model, adj))
    _warn_if_degenerate(model, np.array(all_edges))
    return nets


def _warn_if_degenerate(model: Model, edges: np.ndarray) -> None:
    if edges.size == 0:
        return
    density = np.median(edges) / model.n_dyads
    if density > 0.95 or (density == 0 and model.adjacency.any()):
        kind = "complete" if density > 0.95 else "empty"
        warnings.warn(
            f"the simulated networks are (near) {kind} (median density {density:.2f}): the "
            "parameters put almost all probability on degenerate graphs",
            DegeneracyWarning,
            stacklevel=3,
        )
