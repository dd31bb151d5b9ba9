"""Several independent simulation chains of an ERGM, on any executor.

``simulate(..., chains=k)`` and ``gof(..., chains=k)`` split their draws over ``k`` independent
chains, each started from the same network with its own seed (the children of ``seed`` by
``SeedSequence.spawn``), and run them on ``executor`` (any ``concurrent.futures.Executor``, e.g.
``distributed.Client(...).get_executor()``) or ``n_jobs`` local processes. The same seed and the
same ``chains`` give the same draws whatever runs them; ``chains=1`` without an executor is the
single chain of :func:`medkit.ergm.simulation.simulate`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from medkit._executors import map_jobs


def _seed_sequence(seed) -> np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(int(seed.integers(0, 2**63)))
    if seed is None:
        return np.random.SeedSequence()
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise TypeError(f"seed must be a non-negative int, a numpy Generator or None, not {seed!r}")
    return np.random.SeedSequence(int(seed))


def split_draws(n: int, chains: int) -> list[int]:
    """Draws per chain: ``n`` split as evenly as possible, the first chains taking the extra.

    Examples
    --------
    >>> split_draws(10, 3)
    [4, 3, 3]
    """
    if isinstance(chains, bool) or int(chains) != chains or chains < 1:
        raise ValueError(f"chains must be a positive integer, got {chains!r}")
    if isinstance(n, bool) or int(n) != n or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    chains = min(int(chains), int(n))
    base, extra = divmod(int(n), chains)
    return [base + (k < extra) for k in range(chains)]


def _chain(job):
    """One chain in a worker: ``(stats frame or list of adjacency arrays, warning messages)``."""
    from medkit.ergm.simulation import simulate

    model, theta, n, output, burnin, interval, start, seed = job
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = simulate(model, n, coef=theta, output=output, burnin=burnin, interval=interval,
                       start=start, seed=np.random.default_rng(seed))  # fmt: skip
    return out, [(type(w.message), str(w.message)) for w in caught]


def _reissue(messages) -> None:
    for category, text in dict.fromkeys(messages):
        warnings.warn(text, category, stacklevel=4)


def _jobs(model, theta, n, output, burnin, interval, start, chains, seed):
    children = _seed_sequence(seed).spawn(len(split_draws(n, chains)))
    return [(model, theta, k, output, burnin, interval, start, child)
            for k, child in zip(split_draws(n, chains), children, strict=True)]  # fmt: skip


def simulate_chains(
    fit_or_model,
    n: int = 1,
    *,
    chains: int = 2,
    executor=None,
    n_jobs: int | None = None,
    coef=None,
    output: str = "network",
    burnin: int | None = None,
    interval: int | None = None,
    start=None,
    progress: bool = False,
    seed=None,
):
    """:func:`medkit.ergm.simulation.simulate` over ``chains`` independent chains.

    Parameters are those of ``simulate``, plus ``chains`` (independent chains, each with its
    own burn-in), ``executor`` (any ``concurrent.futures.Executor``) and ``n_jobs`` (local
    processes when ``executor`` is None; default one per chain, capped by the cores). The
    draws of chain 0 come first, then chain 1's, and so on.

    Examples
    --------
    >>> import networkx as nx
    >>> from medkit.ergm import Model
    >>> m = Model(nx.empty_graph(10), "edges")
    >>> a = simulate_chains(m, 40, chains=2, coef=[0.0], output="stats", n_jobs=1, seed=1)
    >>> b = simulate_chains(m, 40, chains=2, coef=[0.0], output="stats", n_jobs=1, seed=1)
    >>> len(a), bool(a.equals(b))
    (40, True)
    """
    from medkit.ergm.simulation import _model_and_coef, adjacency_to_graph

    model, theta = _model_and_coef(fit_or_model, coef)
    if output not in ("network", "stats", "adjacency"):
        raise ValueError(f"output must be 'network', 'stats' or 'adjacency', not {output!r}")
    kind = "stats" if output == "stats" else "adjacency"
    jobs = _jobs(model, theta, n, kind, burnin, interval, start, chains, seed)
    results = map_jobs(_chain, jobs, executor=executor, n_jobs=n_jobs or len(jobs),
                       progress=progress, desc="chains")  # fmt: skip
    _reissue([m for _, messages in results for m in messages])
    if output == "stats":
        return pd.concat([r for r, _ in results], ignore_index=True)
    adjs = [a for r, _ in results for a in r]
    return adjs if output == "adjacency" else [adjacency_to_graph(model, a) for a in adjs]


def _gof_chain(job):
    """One chain of a goodness-of-fit run: the distributions of its networks (small arrays)."""
    from medkit.ergm.goodness import distributions

    nets, messages = _chain(job)
    model = job[0]
    per_net = [distributions(model, a) for a in nets]
    return {name: np.array([d[name] for d in per_net], float) for name in per_net[0]}, messages


def gof_chains(model, theta, nsim, *, interval, chains, executor, n_jobs, progress, seed):
    """Simulated goodness-of-fit distributions from ``chains`` chains: {name: nsim x k array}."""
    jobs = _jobs(model, theta, nsim, "adjacency", None, interval, None, chains, seed)
    results = map_jobs(_gof_chain, jobs, executor=executor, n_jobs=n_jobs or len(jobs),
                       progress=progress, desc="gof chains")  # fmt: skip
    _reissue([m for _, messages in results for m in messages])
    return {name: np.vstack([r[name] for r, _ in results]) for name in results[0][0]}
