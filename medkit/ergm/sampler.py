"""Python side of the MCMC sampler: chunked compiled chains, parallel chains, effective sizes.

The compiled chain (:func:`medkit.ergm.kernels.mh_chain`) runs at most ``CHUNK_STEPS``
proposals per call and keeps its random-number and countdown state in small arrays, so a run
cut into calls is exactly the chain it would have been in one call. Between calls Python gets
control back: a progress bar moves and Ctrl-C (KeyboardInterrupt) stops within a fraction of a
second, leaving every chain a valid network.

Several chains run at once in threads (the compiled kernel releases the GIL); each has its own
network state and random stream, seeded from the caller's generator, so the same seed and the
same number of chains give the same sample on any machine.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from medkit.ergm.model import ChainState, Model

CHUNK_STEPS = 1 << 17
"""Proposals per compiled call: about 0.05 s (mutual) to 0.4 s (gwesp) on 288 nodes."""


class Chain:
    """One Markov chain: a network state plus its random stream and countdown to the next record.

    Parameters
    ----------
    model : Model
    seed : int
        Seeds the chain's own generator (splitmix64).
    adjacency : ndarray, optional
        Start network (default: the observed one).
    """

    def __init__(self, model: Model, seed: int, adjacency: np.ndarray | None = None):
        self.state = ChainState(model, adjacency)
        self.adjt = _transposed(model, self.state)
        self.rng_state = np.array([np.uint64(seed)], dtype=np.uint64)
        self.countdown = np.zeros(1, dtype=np.int64)
        self.proposals = 0


def _transposed(model: Model, state: ChainState) -> np.ndarray:
    """The transposed adjacency the kernel keeps in step (the matrix itself if undirected)."""
    return np.ascontiguousarray(state.adj.T) if model.directed else state.adj


def new_chains(model: Model, k: int, rng: np.random.Generator, adjacency=None) -> list[Chain]:
    """``k`` chains starting from the observed network (or ``adjacency``), seeded from ``rng``."""
    seeds = rng.integers(1, 2**63 - 1, size=int(k))
    return [Chain(model, int(s), adjacency) for s in seeds]


_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _pool(k: int) -> ThreadPoolExecutor:
    """A thread pool with at least ``k`` workers, kept for the session (threads are reused)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None or _POOL._max_workers < k:
            old = _POOL
            _POOL = ThreadPoolExecutor(max_workers=k, thread_name_prefix="medkit-chain")
            if old is not None:
                old.shutdown(wait=False)
        return _POOL


def _run_one(model, chain, theta, out, edges, interval, burnin, stop, bar=None):
    from medkit.ergm import kernels

    st = chain.state
    chain.countdown[0] = int(burnin) + int(interval)
    filled = 0
    nrec = out.shape[0]
    while filled < nrec:
        if stop.is_set():
            raise KeyboardInterrupt
        before = chain.countdown[0]
        k = kernels.mh_chain(
            st.adj,
            st.outdeg,
            st.indeg,
            st.twopath,
            model.use_twopath,
            model.directed,
            st.etail,
            st.ehead,
            st.epos,
            st.nedges,
            model.indep_array,
            model.indep_cols,
            model.codes,
            model.params,
            model.dep_cols,
            theta,
            st.stats,
            chain.countdown,
            int(interval),
            CHUNK_STEPS,
            out[filled:],
            edges[filled:],
            chain.rng_state,
            chain.adjt,
            st.bits,
        )
        # proposals made in this call: records * interval adjusted by the countdowns
        chain.proposals += int(before - chain.countdown[0] + k * interval)
        filled += k
        if bar is not None and k:
            bar.update(k)


def sample_chains(
    model: Model,
    chains: list[Chain],
    theta,
    nsamples: int,
    *,
    interval: int,
    burnin: int,
    progress: bool = False,
    desc: str | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``nsamples`` records from each chain at ``theta`` (all chains at once, in threads).

    Returns
    -------
    stats : ndarray (k, nsamples, p), one block per chain
    edges : ndarray (k, nsamples) number of ties of each recorded network
    """
    from tqdm.auto import tqdm

    theta = np.ascontiguousarray(theta, dtype=np.float64)
    if theta.shape != (model.p,):
        raise ValueError(f"theta has {theta.size} values but the model has {model.p} statistics")
    k = len(chains)
    out = np.empty((k, int(nsamples), model.p))
    edges = np.empty((k, int(nsamples)), dtype=np.int64)
    stop = threading.Event()
    bar = tqdm(total=k * int(nsamples), disable=not progress, desc=desc, leave=False)
    try:
        if k == 1:
            _run_one(model, chains[0], theta, out[0], edges[0], interval, burnin, stop, bar)
        else:
            with ThreadPoolExecutor(max_workers=k) as pool:
                futures = [
                    pool.submit(_run_one, model, c, theta, out[i], edges[i], interval, burnin, stop)
                    for i, c in enumerate(chains)
                ]
                try:
                    done = 0
                    while futures:
                        fut = futures[0]
                        try:
                            fut.result(timeout=0.2)
                        except TimeoutError:
                            continue
                        futures.pop(0)
                        done += 1
                        bar.update(int(nsamples))
                except BaseException:
                    stop.set()
                    raise
    finally:
        bar.close()
    return out, edges


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
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``nsamples`` statistics vectors from the ERGM at ``theta``, continuing ``state``.

    One chain, seeded from ``rng``; Ctrl-C stops it between compiled chunks, leaving ``state`` a
    valid network.

    Returns
    -------
    stats : ndarray (nsamples, p)
    edges : ndarray (nsamples,) number of ties of each sampled network
    """
    chain = Chain.__new__(Chain)
    chain.state = state
    chain.adjt = _transposed(model, state)
    chain.rng_state = np.array([np.uint64(rng.integers(1, 2**63 - 1))], dtype=np.uint64)
    chain.countdown = np.zeros(1, dtype=np.int64)
    chain.proposals = 0
    Z, edges = sample_chains(
        model,
        [chain],
        theta,
        nsamples,
        interval=interval,
        burnin=burnin,
        progress=progress,
        desc=desc,
    )
    return Z[0], edges[0]


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


def _autocorr_time(x: np.ndarray) -> float:
    """Integrated autocorrelation time of one series (Geyer's initial monotone sequence)."""
    m = x.size
    x = x - x.mean()
    var = float(x @ x) / m
    if m < 4 or var <= 0:
        return 1.0
    nfft = 1 << int(np.ceil(np.log2(2 * m)))
    f = np.fft.rfft(x, nfft)
    acov = np.fft.irfft(f * np.conj(f), nfft)[:m] / m
    rho = acov / acov[0]
    # sums of adjacent pairs: positive and (made) monotone decreasing
    npair = (m - 1) // 2
    pairs = rho[0 : 2 * npair : 2] + rho[1 : 2 * npair + 1 : 2]
    pos = np.nonzero(pairs <= 0)[0]
    cut = pos[0] if pos.size else npair
    if cut == 0:
        return 1.0
    pairs = np.minimum.accumulate(pairs[:cut])
    tau = -1.0 + 2.0 * float(pairs.sum())
    return float(min(max(tau, 1.0 / m), m))


def chain_effective_sizes(Zk: np.ndarray) -> np.ndarray:
    """Effective sample size of each statistic, summed over chains.

    ``Zk`` has shape ``(k, m, p)`` (``k`` chains of ``m`` records); a constant statistic gets
    the full size ``k * m``.
    """
    k, m, p = Zk.shape
    ess = np.zeros(p)
    for j in range(p):
        for c in range(k):
            x = Zk[c, :, j]
            ess[j] += m / _autocorr_time(x) if np.ptp(x) > 0 else m
    return np.minimum(ess, k * m * 4.0)


def mean_covariance(Zk: np.ndarray, ess: np.ndarray | None = None) -> np.ndarray:
    """Monte Carlo covariance of the pooled mean of ``Zk`` (shape ``(k, m, p)``).

    The sample covariance scaled, statistic by statistic, by the effective sample size
    (``Var(mean_j) = Var_j / ESS_j``) with the pooled correlations between statistics.
    """
    k, m, p = Zk.shape
    Z = Zk.reshape(k * m, p)
    ess = chain_effective_sizes(Zk) if ess is None else ess
    S = np.atleast_2d(np.cov(Z, rowvar=False))
    sd = np.sqrt(np.clip(np.diag(S), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = np.where(np.outer(sd, sd) > 0, S / np.outer(sd, sd), 0.0)
    scale = sd / np.sqrt(np.maximum(ess, 1.0))
    return corr * np.outer(scale, scale)


def effective_size(Z: np.ndarray) -> np.ndarray:
    """Effective sample size of each column of one chain's sample ``(m, p)``."""
    return chain_effective_sizes(Z[None, :, :])
