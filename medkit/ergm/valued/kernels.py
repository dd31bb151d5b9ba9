"""Compiled kernels of the valued ERGM: change statistics and a Metropolis-Hastings count sampler.

Two proposals, both picking an ordered pair ``(i, j)`` uniformly:

- ``RANDOM_WALK``: ergm.count's Poisson random walk, ``y' ~ Poisson(y_ij + 1/2)`` conditioned on
  ``y' != y_ij``;
- ``INDEPENDENCE`` (default of the fits): ``y'`` drawn from the pair's distribution under the
  ``sum``/``nonzero`` part of the model at the current parameters (a hurdle Poisson with log mean
  ``eta_ij`` and log odds shift ``zeta_ij``). For a dyad-independent model this is an exact Gibbs
  update; with dependent terms only their change enters the acceptance ratio. Large counts then
  mix in one sweep instead of the many a random walk of step ``sqrt(y)`` needs.

The acceptance ratio carries the Poisson reference measure ``h(y) = 1 / prod y_ij!`` and the
proposal's asymmetry, so both target the same distribution.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from medkit.ergm.valued.terms import (
    ATLEAST,
    LIN_NZ,
    LIN_SUM,
    MUT_GEOM,
    MUT_MIN,
    MUT_NABSDIFF,
    MUT_PRODUCT,
    TRANSW,
)


@njit(cache=True)
def _tp(a, b, geo):
    if geo:
        return math.sqrt(a * b)
    return a if a < b else b


@njit(cache=True)
def _combined_paths(y, a, b, skip, flags):
    """combine over k not in {a, b, skip} of twopath(y[a, k], y[k, b])."""
    n = y.shape[0]
    geo = (flags & 4) != 0
    use_sum = (flags & 2) != 0
    acc = 0.0
    for k in range(n):
        if k == a or k == b or k == skip:
            continue
        v = _tp(float(y[a, k]), float(y[k, b]), geo)
        if use_sum:
            acc += v
        elif v > acc:
            acc = v
    return acc


@njit(cache=True)
def _combine(acc, v, flags):
    if (flags & 2) != 0:
        return acc + v
    return v if v > acc else acc


@njit(cache=True)
def _transw_change(y, i, j, old, new, flags):
    n = y.shape[0]
    tp_geo = (flags & 4) != 0
    aff_geo = (flags & 1) != 0
    # the pair (i, j) itself: its two-paths do not use y_ij
    tp_ij = _combined_paths(y, i, j, -1, flags)
    delta = _tp(float(new), tp_ij, aff_geo) - _tp(float(old), tp_ij, aff_geo)
    # pairs (i, b): the two-path i -> j -> b
    for b in range(n):
        if b == i or b == j:
            continue
        rest = _combined_paths(y, i, b, j, flags)
        before = _combine(rest, _tp(float(old), float(y[j, b]), tp_geo), flags)
        after = _combine(rest, _tp(float(new), float(y[j, b]), tp_geo), flags)
        if before != after:
            yib = float(y[i, b])
            delta += _tp(yib, after, aff_geo) - _tp(yib, before, aff_geo)
    # pairs (a, j): the two-path a -> i -> j
    for a in range(n):
        if a == i or a == j:
            continue
        rest = _combined_paths(y, a, j, i, flags)
        before = _combine(rest, _tp(float(y[a, i]), float(old), tp_geo), flags)
        after = _combine(rest, _tp(float(y[a, i]), float(new), tp_geo), flags)
        if before != after:
            yaj = float(y[a, j])
            delta += _tp(yaj, after, aff_geo) - _tp(yaj, before, aff_geo)
    return delta


@njit(cache=True)
def change_stats(y, i, j, new, X, codes, params, out):
    """Fill ``out`` with the change of every statistic when ``y[i, j]`` becomes ``new``."""
    old = y[i, j]
    back = y[j, i]
    d = float(new - old)
    for c in range(codes.size):
        code = codes[c]
        if code == LIN_SUM:
            out[c] = d * X[i, j, c]
        elif code == LIN_NZ:
            out[c] = ((1.0 if new > 0 else 0.0) - (1.0 if old > 0 else 0.0)) * X[i, j, c]
        elif code == ATLEAST:
            t = params[c]
            out[c] = (1.0 if new >= t else 0.0) - (1.0 if old >= t else 0.0)
        elif code == MUT_MIN:
            out[c] = float(min(new, back) - min(old, back))
        elif code == MUT_NABSDIFF:
            out[c] = -float(abs(new - back) - abs(old - back))
        elif code == MUT_PRODUCT:
            out[c] = d * back
        elif code == MUT_GEOM:
            out[c] = math.sqrt(float(new) * back) - math.sqrt(float(old) * back)
        elif code == TRANSW:
            out[c] = _transw_change(y, i, j, old, new, int(params[c]))
        else:
            out[c] = 0.0


@njit(cache=True)
def summary_stats(y, X, codes, params):
    """Every statistic of a count matrix (built by adding the pairs one by one)."""
    n = y.shape[0]
    p = codes.size
    work = np.zeros_like(y)
    stats = np.zeros(p)
    delta = np.zeros(p)
    for i in range(n):
        for j in range(n):
            if i == j or y[i, j] == 0:
                continue
            change_stats(work, i, j, y[i, j], X, codes, params, delta)
            stats += delta
            work[i, j] = y[i, j]
    return stats


@njit(cache=True)
def _log_pois(k, lam):
    return k * math.log(lam) - lam - math.lgamma(k + 1.0)


@njit(cache=True)
def _log_q(new, old):
    """log probability that the proposal from ``old`` draws ``new`` (``new != old``)."""
    lam = old + 0.5
    return _log_pois(new, lam) - math.log1p(-math.exp(_log_pois(old, lam)))


RANDOM_WALK, INDEPENDENCE = 0, 1


@njit(cache=True)
def _draw_hurdle(eta, zeta):
    """A draw from ``P(y) ~ exp(eta y + zeta 1[y > 0]) / y!``."""
    lam = math.exp(eta)
    one_minus = -math.expm1(-lam)
    logit_q = zeta + lam + math.log(one_minus) if one_minus > 0 else -1e300
    q = 1.0 / (1.0 + math.exp(-logit_q)) if logit_q > -700 else 0.0
    if np.random.random() >= q:
        return 0
    if lam >= 1.0:
        k = 0
        while k == 0:
            k = np.random.poisson(lam)
        return k
    # zero-truncated Poisson by inversion (few steps for small lambda)
    u = np.random.random() * one_minus
    k = 1
    pk = lam * math.exp(-lam)
    acc = pk
    while acc < u and k < 1000:
        k += 1
        pk *= lam / k
        acc += pk
    return k


@njit(cache=True)
def sample_counts(
    y, theta, X, codes, params, stats, burnin, interval, samplesize, seed, proposal, eta, zeta
):
    """Run the chain from ``y`` (modified in place); return sampled statistics and acceptance.

    ``stats`` are the statistics of ``y`` on entry; the returned array holds the statistics
    after every ``interval`` proposals following ``burnin`` proposals. ``eta`` and ``zeta``
    (``n x n``) parametrise the independence proposal.
    """
    np.random.seed(seed)
    n = y.shape[0]
    p = codes.size
    out = np.empty((samplesize, p))
    delta = np.zeros(p)
    accepted = 0
    total = burnin + interval * samplesize
    row = 0
    for step in range(total):
        i = np.random.randint(n)
        j = np.random.randint(n - 1)
        if j >= i:
            j += 1
        old = y[i, j]
        new = old
        if proposal == RANDOM_WALK:
            while new == old:
                new = np.random.poisson(old + 0.5)
        else:
            new = _draw_hurdle(eta[i, j], zeta[i, j])
            if new == old:
                if step >= burnin and (step - burnin + 1) % interval == 0:
                    for c in range(p):
                        out[row, c] = stats[c]
                    row += 1
                continue
        change_stats(y, i, j, new, X, codes, params, delta)
        log_ratio = 0.0
        for c in range(p):
            log_ratio += theta[c] * delta[c]
        log_ratio += math.lgamma(old + 1.0) - math.lgamma(new + 1.0)
        if proposal == RANDOM_WALK:
            log_ratio += _log_q(old, new) - _log_q(new, old)
        else:
            e, z = eta[i, j], zeta[i, j]
            log_ratio += (e * old + (z if old > 0 else 0.0) - math.lgamma(old + 1.0)) - (
                e * new + (z if new > 0 else 0.0) - math.lgamma(new + 1.0)
            )
        if log_ratio >= 0.0 or math.log(np.random.random()) < log_ratio:
            y[i, j] = new
            for c in range(p):
                stats[c] += delta[c]
            accepted += 1
        if step >= burnin and (step - burnin + 1) % interval == 0:
            for c in range(p):
                out[row, c] = stats[c]
            row += 1
    return out, accepted / max(total, 1)
