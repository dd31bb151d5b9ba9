"""Python side of the MCMC sampler: chunks a compiled chain for progress bars and interrupts."""

from __future__ import annotations

import numpy as np
from tqdm.auto import tqdm

from medkit.ergm.model import ChainState, Model


def run_chain(
    model: Model,
    state: ChainState,
    theta,
    nsamples: int,
    *,
    interval: int,
    burnin: int,
    rng: np.random.Generator,
    progress: bool = False,
    desc: str | None = None,
    chunks: int = 16,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``nsamples`` statistics vectors from the ERGM at ``theta``, continuing ``state``.

    The chain runs in chunks so that a progress bar can move and Ctrl-C (KeyboardInterrupt)
    stops it between chunks, leaving ``state`` a valid network.

    Returns
    -------
    stats : ndarray (nsamples, p)
    edges : ndarray (nsamples,) number of ties of each sampled network
    """
    from medkit.ergm import kernels

    theta = np.ascontiguousarray(theta, dtype=np.float64)
    if theta.shape != (model.p,):
        raise ValueError(f"theta has {theta.size} values but the model has {model.p} statistics")
    out = np.empty((nsamples, model.p))
    edges = np.empty(nsamples, dtype=np.int64)
    n_chunks = max(1, min(nsamples, chunks))
    bounds = np.linspace(0, nsamples, n_chunks + 1).astype(int)
    bar = tqdm(total=nsamples, disable=not progress, desc=desc, leave=False)
    try:
        for c in range(n_chunks):
            a, b = bounds[c], bounds[c + 1]
            if b <= a:
                continue
            kernels.mh_chain(
                state.adj,
                state.outdeg,
                state.indeg,
                state.twopath,
                model.use_twopath,
                model.directed,
                state.etail,
                state.ehead,
                state.epos,
                state.nedges,
                model.indep_array,
                model.indep_cols,
                model.codes,
                model.params,
                model.dep_cols,
                theta,
                state.stats,
                int(burnin) if c == 0 else 0,
                int(interval),
                out[a:b],
                edges[a:b],
                int(rng.integers(0, 2**31 - 1)),
            )
            bar.update(b - a)
    finally:
        bar.close()
    return out, edges


def batch_means_cov(Z: np.ndarray, nbatch: int | None = None) -> tuple[np.ndarray, int]:
    """Covariance of the mean of an autocorrelated sample, by batch means.

    Returns the covariance matrix of ``Z.mean(axis=0)`` and the number of batches used.
    """
    m, p = Z.shape
    b = nbatch or int(min(50, max(10, m // 20)))
    b = max(2, min(b, m))
    size = m // b
    means = Z[: b * size].reshape(b, size, p).mean(axis=1)
    cov = np.atleast_2d(np.cov(means, rowvar=False)) / b
    return cov, b


def effective_size(Z: np.ndarray) -> np.ndarray:
    """Effective sample size of each column (variance ratio of batch means)."""
    m = Z.shape[0]
    var_mean = np.diag(batch_means_cov(Z)[0])
    var = Z.var(axis=0, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ess = np.where(var_mean > 0, var / var_mean, float(m))
    return np.minimum(ess, m)
