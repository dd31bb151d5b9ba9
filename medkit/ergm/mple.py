"""Maximum pseudo-likelihood and the exact MLEs that need no MCMC.

- :func:`logit_fit`: logistic regression of tie/no-tie on the change statistics of every dyad
  (identical rows compressed into binomial counts), by Newton-Raphson. For a dyad-independent
  model the dyads are independent given the parameters, so the pseudo-likelihood *is* the
  likelihood and this is the exact MLE.
- :func:`dyad_mle`: when ``mutual`` is the only dependence, the two ties of each pair depend on
  each other but pairs are independent: a multinomial logit over the four states of each pair
  (none, i->j, j->i, both) is the exact MLE.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from medkit.errors import ConvergenceWarning, EstimationError


@dataclass
class LinearFit:
    params: np.ndarray
    cov: np.ndarray
    loglik: float
    converged: bool
    iterations: int


def compress_rows(X: np.ndarray, y: np.ndarray):
    """Collapse identical rows of ``X`` into (unique rows, successes, trials).

    Examples
    --------
    >>> Xu, s, t = compress_rows(np.array([[1.0], [1.0], [2.0]]), np.array([1.0, 0.0, 1.0]))
    >>> Xu.ravel().tolist(), s.tolist(), t.tolist()
    ([1.0, 2.0], [1.0, 1.0], [2.0, 1.0])
    """
    if X.shape[0] == 0:
        return X, y, y
    ones = np.ones_like(y, dtype=float)
    # continuous covariates make nearly every row unique: skip the (costly) sort then
    if any(np.unique(X[: min(2000, X.shape[0]), c]).size > 1000 for c in range(X.shape[1])):
        return X, y.astype(float), ones
    uniq, inverse = np.unique(X, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    trials = np.bincount(inverse).astype(float)
    succ = np.bincount(inverse, weights=y)
    return uniq, succ, trials


def _binomial_loglik(eta, succ, trials):
    return float(np.sum(succ * eta - trials * np.logaddexp(0.0, eta)))


def _scaled_rank(M: np.ndarray) -> int:
    norms = np.sqrt((M**2).sum(axis=0))
    norms[norms == 0] = 1.0
    return int(np.linalg.matrix_rank(M / norms))


def _collinear_column(X: np.ndarray) -> int | None:
    """Index of the first column that is zero or a combination of the columns before it."""
    rank = 0
    for k in range(X.shape[1]):
        r = _scaled_rank(X[:, : k + 1])
        if r == rank:
            return k
        rank = r
    return None


def _singular_check(H, names, X=None, theta=None, typical=None):
    """Raise EstimationError when the information matrix is singular, naming the cause.

    With the design ``X`` at hand the cause is told apart: collinear statistics (``X`` itself is
    rank deficient: a statistic is constant or a combination of others) or separation (``X`` has
    full rank but the fitted probabilities are 0 or 1, so a coefficient runs to infinity, e.g.
    ``mutual`` when every tie is reciprocated).
    """
    # judge the rank on the correlation-scaled matrix, so that the units of a covariate
    # (GDP in 100 million RMB, distance in decametres) cannot make a full-rank model look singular
    scale = np.sqrt(np.abs(np.diag(H)))
    singular = np.any(scale == 0)
    if not singular:
        singular = np.linalg.matrix_rank(H / np.outer(scale, scale)) < H.shape[0]
    if not singular:
        return
    names = list(names) if names is not None else [f"x{k}" for k in range(H.shape[0])]
    if X is not None:
        k = _collinear_column(np.asarray(X, dtype=float))
        if k is None:
            culprit = ""
            if theta is not None:
                size = np.abs(theta) * (typical if typical is not None else 1.0)
                culprit = f" (largest: {names[int(np.argmax(size))]!r})"
            raise EstimationError(
                "perfect separation: some statistic separates the observed states perfectly"
                f"{culprit}, so its maximum-likelihood estimate is infinite (e.g. mutual when "
                "every tie is reciprocated, or a covariate above which every dyad is a tie); "
                "the statistics themselves are not collinear: drop or recode that term"
            )
        earlier = names[:k]
        raise EstimationError(
            f"the change statistics are collinear: {names[k]!r} is constant or a combination "
            f"of the statistics before it {earlier}"[:400]
            + "; drop a term"
        )
    raise EstimationError(
        "the change statistics are collinear (a statistic is constant or a combination "
        f"of others) among {names}"[:400]
        + "; drop a term"
    )


def logit_fit(
    X: np.ndarray,
    succ: np.ndarray,
    trials: np.ndarray,
    *,
    start: np.ndarray | None = None,
    maxiter: int = 100,
    tol: float = 1e-10,
    names=None,
) -> LinearFit:
    """Binomial logistic regression by Newton-Raphson with step halving.

    Examples
    --------
    >>> fit = logit_fit(np.ones((1, 1)), np.array([20.0]), np.array([120.0]))
    >>> round(float(fit.params[0]), 4)
    -1.6094
    """
    p = X.shape[1]
    beta = np.zeros(p) if start is None else np.asarray(start, float).copy()
    eta = X @ beta
    ll = _binomial_loglik(eta, succ, trials)
    converged = False
    it = 0
    H = np.eye(p)
    for it in range(1, maxiter + 1):  # noqa: B007
        mu = 1.0 / (1.0 + np.exp(-eta))
        grad = X.T @ (succ - trials * mu)
        w = trials * mu * (1.0 - mu)
        H = X.T @ (X * w[:, None])
        try:
            step = np.linalg.solve(H, grad)
        except np.linalg.LinAlgError:
            _singular_check(H, names, X, beta)
            raise
        t = 1.0
        while True:
            new = beta + t * step
            eta_new = X @ new
            ll_new = _binomial_loglik(eta_new, succ, trials)
            if ll_new >= ll - 1e-12 or t < 1e-8:
                break
            t /= 2
        beta, eta, ll_old, ll = new, eta_new, ll, ll_new
        if np.max(np.abs(t * step)) < tol * (1 + np.max(np.abs(beta))) or abs(ll - ll_old) < 1e-13:
            converged = True
            break
    mu = 1.0 / (1.0 + np.exp(-eta))
    w = trials * mu * (1.0 - mu)
    H = X.T @ (X * w[:, None])
    _singular_check(H, names, X, beta)
    cov = np.linalg.inv(H)
    # a coefficient is "infinite" when one typical unit of its statistic moves the log-odds by
    # more than 25: measure the statistic's typical size as its root mean square over dyads
    typical = np.sqrt((trials @ X**2) / max(trials.sum(), 1.0))
    if not converged or np.max(np.abs(beta) * np.where(typical > 0, typical, 1.0)) > 25:
        warnings.warn(
            "the logistic regression did not converge: some statistic separates ties from "
            "non-ties perfectly, so its coefficient is infinite",
            ConvergenceWarning,
            stacklevel=3,
        )
        converged = False
    return LinearFit(beta, cov, ll, converged, it)


def pair_features(model):
    """Statistics of the four states of each unordered pair ``i < j`` of a directed model
    whose only dependence is ``mutual``: ``rows``, ``cols`` and ``F`` (pairs, 4, p), state
    ``s`` (none, ``i -> j``, ``j -> i``, both) having statistics 0, ``x_ij``, ``x_ji``,
    ``x_ij + x_ji + e_mutual``."""
    rows, cols = np.triu_indices(model.n, 1)
    indep = model.indep_array
    F = np.zeros((rows.size, 4, model.p))
    xij = indep[rows, cols]
    xji = indep[cols, rows]
    ic = model.indep_cols
    F[:, 1, ic] = xij
    F[:, 2, ic] = xji
    F[:, 3, ic] = xij + xji
    F[:, 3, model.dep_cols[0]] = 1.0
    return rows, cols, F


def dyad_logits(model, theta):
    """``rows``, ``cols`` and the log-odds ``theta . x_ij`` of each dyad of a dyad-independent
    model (undirected: ``i < j``)."""
    rows, cols = model.dyads()
    theta = np.asarray(theta, dtype=float)[model.indep_cols]
    eta = model.indep_array[rows, cols] @ theta if theta.size else np.zeros(rows.size)
    return rows, cols, eta


def _dyad_states(model):
    """The four states of each unordered pair of a directed mutual-only model, compressed.

    Returns ``F`` (pairs, 4, p), the observed ``state`` of each pair and its ``weight`` (how
    many pairs share that row); see :func:`pair_features`.
    """
    rows, cols, F = pair_features(model)
    adj = model.adjacency
    state = adj[rows, cols].astype(np.int64) + 2 * adj[cols, rows].astype(np.int64)
    # compress identical (F, state) rows
    key = np.concatenate([F.reshape(rows.size, -1), state[:, None].astype(float)], axis=1)
    uniq, inverse = np.unique(key, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    weight = np.bincount(inverse).astype(float)
    F = uniq[:, :-1].reshape(-1, 4, model.p)
    state = uniq[:, -1].astype(np.int64)
    return F, state, weight


def _dyad_loglik(F, state, weight, theta) -> float:
    eta = F @ theta
    m = eta.max(axis=1, keepdims=True)
    lse = (m + np.log(np.exp(eta - m).sum(axis=1, keepdims=True))).ravel()
    return float(weight @ (eta[np.arange(eta.shape[0]), state] - lse))


def exact_loglik(model, theta) -> float | None:
    """The exact log-likelihood at ``theta`` when the model factorises over dyads, else None.

    Dyad-independent models are a logistic regression over dyads; directed models whose only
    dependence is ``mutual`` are a multinomial logit over the four states of each pair. Either
    way the normalising constant is a sum over dyads and needs no simulation, so an MCMC fit of
    such a model (``method='MCMC'``) reports this value instead of a bridge-sampled one.

    Examples
    --------
    >>> import networkx as nx
    >>> from medkit.ergm import Model
    >>> g = nx.gnp_random_graph(20, 0.2, seed=1, directed=True)
    >>> model = Model(g, "edges + mutual")
    >>> round(exact_loglik(model, [0.0, 0.0]), 3)  # all graphs equally likely: 380 log(1/2)
    -263.396
    >>> exact_loglik(Model(g, "edges + gwesp(0.5, fixed=True)"), [0.0, 0.0]) is None
    True
    """
    theta = np.asarray(theta, dtype=float)
    if not model.factorises_over_dyads:
        return None
    if model.dyad_independent:
        rows, cols, eta = dyad_logits(model, theta)
        y = model.adjacency[rows, cols].astype(float)
        return float(y @ eta - np.logaddexp(0.0, eta).sum())
    F, state, weight = _dyad_states(model)
    return _dyad_loglik(F, state, weight, theta)


def dyad_mle(model, *, maxiter: int = 100, tol: float = 1e-10) -> LinearFit:
    """Exact MLE of a directed model whose only dependence is ``mutual``.

    Each unordered pair ``{i, j}`` is one observation with four states; state ``s`` has
    statistics ``f_s`` (0, ``x_ij``, ``x_ji``, ``x_ij + x_ji + e_mutual``) and probability
    ``exp(theta . f_s) / sum_t exp(theta . f_t)``.
    """
    p = model.p
    F, state, weight = _dyad_states(model)
    Fobs = F[np.arange(F.shape[0]), state]
    gobs = weight @ Fobs

    def evaluate(theta):
        eta = F @ theta
        m = eta.max(axis=1, keepdims=True)
        lse = (m + np.log(np.exp(eta - m).sum(axis=1, keepdims=True))).ravel()
        P = np.exp(eta - lse[:, None])
        ll = float(weight @ (eta[np.arange(eta.shape[0]), state] - lse))
        E = np.einsum("ds,dsp->dp", P, F)
        grad = gobs - weight @ E
        H = np.einsum("d,ds,dsp,dsq->pq", weight, P, F, F) - (E * weight[:, None]).T @ E
        return ll, grad, H

    theta = np.zeros(p)
    ll, grad, H = evaluate(theta)
    converged = False
    it = 0
    design = F.reshape(-1, p)
    for it in range(1, maxiter + 1):  # noqa: B007
        _singular_check(H, model.coef_names, design, theta)
        step = np.linalg.solve(H, grad)
        t = 1.0
        while True:
            new = theta + t * step
            ll_new, grad_new, H_new = evaluate(new)
            if ll_new >= ll - 1e-12 or t < 1e-8:
                break
            t /= 2
        theta, ll_old = new, ll
        ll, grad, H = ll_new, grad_new, H_new
        if np.max(np.abs(t * step)) < tol * (1 + np.max(np.abs(theta))) or abs(ll - ll_old) < 1e-13:
            converged = True
            break
    typical = np.sqrt(np.einsum("d,dsp->p", weight, F**2) / max(F.shape[1] * weight.sum(), 1.0))
    if not converged or np.max(np.abs(theta) * np.where(typical > 0, typical, 1.0)) > 25:
        warnings.warn(
            "the dyad multinomial logit did not converge (a coefficient may be infinite)",
            ConvergenceWarning,
            stacklevel=3,
        )
        converged = False
    _singular_check(H, model.coef_names, design, theta)
    return LinearFit(theta, np.linalg.inv(H), ll, converged, it)


def mple(model, *, columns=None) -> LinearFit:
    """Maximum pseudo-likelihood estimate (the exact MLE for dyad-independent models)."""
    X, y = model.change_matrix()
    names = model.coef_names
    if columns is not None:
        X = X[:, columns]
        names = [names[c] for c in columns]
    Xu, succ, trials = compress_rows(X, y)
    return logit_fit(Xu, succ, trials, names=names)
