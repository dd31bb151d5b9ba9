"""Estimation of valued ERGMs with the Poisson reference measure.

Exact fit (no MCMC)
    When every term is of ``sum`` type (``sum``, ``nodeicov``, ``edgecov``... with
    ``form="sum"``), the model says ``y_ij ~ Poisson(exp(theta . x_ij))`` independently: the
    Poisson reference ``h(y) = 1 / prod y_ij!`` is exactly the Poisson's own base measure, so the
    likelihood *is* a Poisson GLM with log link and offset 0 on the per-pair design, fitted with
    statsmodels. With ``nonzero``-type terms it is a hurdle model,
    ``P(y) ~ exp(eta y + zeta 1[y > 0]) / y!``, whose normaliser
    ``log(1 + e^zeta (e^lambda - 1))`` is closed-form: fitted by Newton-Raphson, exact too.

MCMC-MLE
    Dyad-dependent terms (``mutual``, ``transitiveweights``) and ``atleast``: from the exact fit
    of the ``sum``/``nonzero`` part (dependent coefficients 0), iterations sample the statistics
    with the compiled Poisson-proposal sampler and move by the log-normal approximation's
    Newton step, damped until the importance weights keep an effective sample size of at least
    a quarter of the sample (the stepping of Hummel et al. 2012 in its simplest form). Converged
    when a chi-square test of observed minus mean simulated statistics has p > ``conv_pvalue``.
    The covariance is the inverse of the simulated statistics' covariance plus the Monte Carlo
    part (batch means), as statnet reports it.

Log-likelihood
    ``theta . s(y) + log h(y) - log Z(theta)``, with ``log Z`` bridged (``bridge_steps`` geometric
    bridges) from the dyad-independent model that keeps the ``sum``/``nonzero`` coefficients,
    whose normaliser is exact. For exact fits it equals the Poisson GLM's log-likelihood, so AIC
    and BIC compare with gravity models on the same counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as _st
from scipy.special import expit, logsumexp

from medkit._random import as_generator, int_seed
from medkit.ergm.valued.terms import LIN_NZ, LIN_SUM


# --------------------------------------------------------------------------- exact part
def _hurdle_moments(eta, zeta):
    """Per-pair log Z, E[y], Var[y], P(y>0), Cov(y, 1[y>0]) of the hurdle Poisson."""
    eta = np.clip(eta, -700, 50)
    lam = np.exp(eta)
    one_minus = -np.expm1(-lam)  # 1 - e^-lambda
    logit_q = zeta + lam + np.log(one_minus)
    log_z = np.logaddexp(0.0, logit_q)
    q = expit(logit_q)
    m1 = lam / one_minus
    m2 = (lam * lam + lam) / one_minus
    ey = q * m1
    vy = q * m2 - ey * ey
    return log_z, ey, vy, q, ey * (1 - q)


def log_normaliser_independent(model, theta) -> float:
    """Exact ``log Z`` of a model whose only non-zero coefficients are ``sum``/``nonzero`` type."""
    y, X = model.dyad_design()
    s_cols = model.codes == LIN_SUM
    z_cols = model.codes == LIN_NZ
    theta = np.asarray(theta, float)
    eta = X[:, s_cols] @ theta[s_cols]
    if z_cols.any():
        zeta = X[:, z_cols] @ theta[z_cols]
        return float(_hurdle_moments(eta, zeta)[0].sum())
    return float(np.exp(np.clip(eta, -700, 700)).sum())


def exact_fit(model, *, tol=1e-10, maxiter=200):
    """Exact MLE of a ``sum``/``nonzero``-type valued model.

    Returns
    -------
    (params, cov, loglik, iterations, converged)
    """
    y, X = model.dyad_design()
    s_cols = np.flatnonzero(model.codes == LIN_SUM)
    z_cols = np.flatnonzero(model.codes == LIN_NZ)
    p = model.p
    if z_cols.size == 0:
        import statsmodels.api as sm

        res = sm.GLM(y, X[:, s_cols], family=sm.families.Poisson()).fit(tol=1e-12, maxiter=200)
        params = np.zeros(p)
        params[s_cols] = res.params
        cov = np.zeros((p, p))
        cov[np.ix_(s_cols, s_cols)] = res.cov_params()
        iters = int(res.fit_history.get("iteration", 0))
        return params, cov, float(res.llf), iters, bool(res.converged)
    Xs, Xz = X[:, s_cols], X[:, z_cols]
    nz = (y > 0).astype(float)
    from scipy.special import gammaln

    log_h = -gammaln(y + 1.0)

    def loglik(theta):
        eta = Xs @ theta[: s_cols.size]
        zeta = Xz @ theta[s_cols.size :]
        log_z = _hurdle_moments(eta, zeta)[0]
        return float(np.sum(y * eta + nz * zeta + log_h - log_z))

    theta = np.zeros(s_cols.size + z_cols.size)
    ll = loglik(theta)
    converged = False
    it = 0
    while it < maxiter:
        it += 1
        eta = Xs @ theta[: s_cols.size]
        zeta = Xz @ theta[s_cols.size :]
        _, ey, vy, q, cyq = _hurdle_moments(eta, zeta)
        grad = np.concatenate([Xs.T @ (y - ey), Xz.T @ (nz - q)])
        info = np.block(
            [
                [(Xs * vy[:, None]).T @ Xs, (Xs * cyq[:, None]).T @ Xz],
                [(Xz * cyq[:, None]).T @ Xs, (Xz * (q * (1 - q))[:, None]).T @ Xz],
            ]
        )
        step = np.linalg.lstsq(info, grad, rcond=None)[0]
        t = 1.0
        while True:
            new = theta + t * step
            ll_new = loglik(new)
            if ll_new >= ll - 1e-12 * abs(ll) or t < 1e-10:
                break
            t /= 2
        gain = ll_new - ll
        theta, ll = new, ll_new
        if abs(gain) <= tol * (1 + abs(ll)) and np.max(np.abs(t * step)) < 1e-8:
            converged = True
            break
    eta = Xs @ theta[: s_cols.size]
    zeta = Xz @ theta[s_cols.size :]
    _, ey, vy, q, cyq = _hurdle_moments(eta, zeta)
    info = np.block(
        [
            [(Xs * vy[:, None]).T @ Xs, (Xs * cyq[:, None]).T @ Xz],
            [(Xz * cyq[:, None]).T @ Xs, (Xz * (q * (1 - q))[:, None]).T @ Xz],
        ]
    )
    order = np.concatenate([s_cols, z_cols])
    params = np.zeros(p)
    params[order] = theta
    cov = np.zeros((p, p))
    cov[np.ix_(order, order)] = np.linalg.inv(info)
    return params, cov, ll, it, converged


def independent_start(model) -> np.ndarray:
    """Exact fit of the ``sum``/``nonzero`` part of a model; other coefficients 0."""
    keep = model.independent_mask
    theta = np.zeros(model.p)
    if not keep.any():
        return theta
    sub = _Submodel(model, keep)
    params, *_ = exact_fit(sub)
    theta[keep] = params
    return theta


class _Submodel:
    """The ``sum``/``nonzero`` columns of a model, viewed as a model of their own."""

    def __init__(self, model, keep):
        self._model = model
        self._keep = keep
        self.codes = model.codes[keep]
        self.p = int(keep.sum())

    def dyad_design(self):
        y, X = self._model.dyad_design()
        return y, X[:, self._keep]


# --------------------------------------------------------------------------- MCMC-MLE
def default_interval(model) -> int:
    """Proposals between sampled networks: 1024, or half the pairs if more."""
    return max(1024, model.n_dyads // 2)


PROPOSALS = {"independence": 1, "random-walk": 0, "poisson": 0}


def run_chain(model, y, theta, stats, burnin, interval, samplesize, seed, proposal="independence"):
    """Sample statistics with the compiled sampler (``y`` and ``stats`` advance in place)."""
    from medkit.ergm.valued import kernels

    if proposal not in PROPOSALS:
        raise ValueError(f"proposal must be 'independence' or 'random-walk', not {proposal!r}")
    theta = np.asarray(theta, dtype=float)
    s_cols = model.codes == LIN_SUM
    z_cols = model.codes == LIN_NZ
    eta = np.ascontiguousarray(model.X[:, :, s_cols] @ theta[s_cols])
    zeta = np.ascontiguousarray(model.X[:, :, z_cols] @ theta[z_cols])
    return kernels.sample_counts(
        y, theta, model.X, model.codes, model.params, stats,
        int(burnin), int(interval), int(samplesize), int(seed), PROPOSALS[proposal], eta, zeta,
    )  # fmt: skip


def _batch_cov_of_mean(S, batches=64, with_batches=False):
    m = S.shape[0]
    b = max(2, min(batches, m // 8))
    size = m // b
    means = S[: b * size].reshape(b, size, -1).mean(axis=1)
    cov = np.atleast_2d(np.cov(means, rowvar=False)) / b
    return (cov, b) if with_batches else cov


def mcmle(
    model,
    *,
    seed=None,
    init=None,
    samplesize: int = 1024,
    interval: int | None = None,
    burnin: int | None = None,
    maxit: int = 40,
    final_samplesize: int | None = None,
    conv_pvalue: float = 0.5,
    loglik: bool = True,
    bridge_steps: int = 16,
    bridge_samplesize: int = 256,
    progress: bool = False,
    proposal: str = "independence",
):
    """Monte Carlo MLE of a valued ERGM (see the module documentation).

    Returns
    -------
    dict with params, cov, mcse, loglik, loglik_mcse, converged, iterations, history,
    acceptance, start, sample (final sampled statistics).
    """
    rng = as_generator(seed)
    interval = default_interval(model) if interval is None else int(interval)
    burnin = 16 * interval if burnin is None else int(burnin)  # a quarter of it between iterations
    final_samplesize = 4 * samplesize if final_samplesize is None else int(final_samplesize)
    obs = model.observed_stats
    p = model.p
    start = independent_start(model)
    theta = start.copy() if init is None else np.asarray(init, float).copy()
    if theta.shape != (p,):
        raise ValueError(f"init has {theta.size} values but the model has {p} statistics")
    y = model.y.copy()
    stats = obs.copy()
    history = []
    converged = False
    it = 0
    first = True
    while it < maxit:
        it += 1
        S, acc = run_chain(
            model, y, theta, stats, burnin if first else max(burnin // 4, interval), interval, samplesize,
            int_seed(rng), proposal,
        )  # fmt: skip
        first = False
        m = S.mean(axis=0)
        V = np.atleast_2d(np.cov(S, rowvar=False))
        d = obs - m
        vm, b = _batch_cov_of_mean(S, with_batches=True)
        t2 = float(d @ np.linalg.lstsq(vm, d, rcond=None)[0])
        # Hotelling's T^2 from b batch means, as an F test
        pval = (
            float(_st.f.sf(t2 * (b - p) / (p * (b - 1)), p, b - p))
            if b > p
            else float(_st.chi2.sf(t2, p))
        )
        history.append({"iteration": it, **dict(zip(model.coef_names, theta, strict=True)),
                        "p_value": pval, "acceptance": acc})  # fmt: skip
        if progress:
            print(f"iteration {it}: p = {pval:.3f}")
        if pval > conv_pvalue:
            converged = True
            break
        step = np.linalg.lstsq(V, d, rcond=None)[0]
        # Newton step on the log-likelihood (gradient d, Hessian -V), its length in the
        # metric of V capped so that a far start does not overshoot
        length = float(np.sqrt(max(step @ V @ step, 0.0)))
        cap = 4.0 * np.sqrt(p)
        gamma = min(1.0, cap / length) if length > 0 else 1.0
        theta = theta + gamma * step
    # final sample at the estimate
    S, acc = run_chain(
        model, y, theta, stats, 4 * interval, interval, final_samplesize, int_seed(rng), proposal
    )
    m = S.mean(axis=0)
    V = np.atleast_2d(np.cov(S, rowvar=False))
    d = obs - m
    step = np.linalg.lstsq(V, d, rcond=None)[0]
    logw = (S - m) @ step
    w = np.exp(logw - logw.max())
    if w.sum() ** 2 / np.sum(w * w) >= final_samplesize / 4:
        theta = theta + step
    info_inv = np.linalg.pinv(V)
    vm = _batch_cov_of_mean(S)
    cov_mc = info_inv @ vm @ info_inv
    cov = info_inv + cov_mc
    out = {
        "params": theta,
        "cov": cov,
        "mcse": np.sqrt(np.clip(np.diag(cov_mc), 0, None)),
        "converged": converged,
        "iterations": it,
        "history": pd.DataFrame(history),
        "acceptance": acc,
        "start": start,
        "sample": pd.DataFrame(S, columns=model.coef_names),
        "loglik": np.nan,
        "loglik_mcse": None,
    }
    if loglik:
        ll, ll_se = bridge_loglik(
            model, theta, y, stats, rng, interval, bridge_steps, bridge_samplesize, proposal
        )
        out["loglik"], out["loglik_mcse"] = ll, ll_se
    return out


def bridge_loglik(
    model, theta, y, stats, rng, interval, steps, samplesize, proposal="independence"
):
    """Log-likelihood at ``theta`` by bridge sampling from the exact dyad-independent part."""
    obs = model.observed_stats
    ref = np.where(model.independent_mask, theta, 0.0)
    log_z = log_normaliser_independent(model, ref)
    var = 0.0
    if not np.allclose(ref, theta):
        grid = [ref + (theta - ref) * k / steps for k in range(steps + 1)]
        for k in range(steps):
            mid = (grid[k] + grid[k + 1]) / 2
            S, _ = run_chain(
                model, y, mid, stats, 4 * interval, interval, samplesize, int_seed(rng), proposal
            )
            up = S @ (grid[k + 1] - mid)
            down = S @ (grid[k] - mid)
            log_z += logsumexp(up) - logsumexp(down)
            for a in (up, down):
                w = np.exp(a - a.max())
                var += np.var(w) / (samplesize * w.mean() ** 2)
    ll = float(theta @ obs + model.log_reference - log_z)
    return ll, float(np.sqrt(var))
