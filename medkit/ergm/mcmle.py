"""Monte Carlo maximum likelihood for dyad-dependent ERGMs, and bridge-sampled log-likelihood.

The algorithm follows statnet's ``ergm`` (Hunter & Handcock 2006; Hummel, Hunter & Handcock 2012):

1. start from the MPLE;
2. at the current ``theta`` draw a sample of statistics ``Z`` with the Metropolis-Hastings sampler;
3. *Hummel step*: find the largest ``gamma`` in (0, 1] such that the point
   ``xi = mean(Z) + gamma * (g_obs - mean(Z))`` (with a 5 % margin) lies in the convex hull of
   ``Z``, so the sample can say something about the likelihood there;
4. *log-normal Geyer-Thompson update*: maximise the log-normal approximation of the likelihood
   ratio with target ``xi``: ``theta += Cov(Z)^-1 (xi - mean(Z))``;
5. stop when ``gamma = 1`` and a Hotelling test (with batch-means covariance for the chain's
   autocorrelation) cannot tell ``mean(Z)`` from ``g_obs``; then draw a larger final sample, take
   one last update and compute standard errors: ``Cov(Z)^-1`` (the inverse Fisher information)
   plus the Monte Carlo variance ``Cov(Z)^-1 Var(mean Z) Cov(Z)^-1``.

The log-likelihood (for AIC/BIC) is bridged, as statnet does, from the dyad-independent
submodel (its MLE, dependence coefficients zero, exact log-likelihood) to the estimate by path
sampling over ``bridge_steps`` points.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats as _st
from scipy.optimize import linprog
from tqdm.auto import tqdm

from medkit._random import as_generator
from medkit.ergm.model import ChainState, Model
from medkit.ergm.mple import compress_rows, logit_fit, mple
from medkit.ergm.results import ERGMResults
from medkit.ergm.sampler import batch_means_cov, run_chain
from medkit.errors import ConvergenceWarning, DegeneracyWarning


def default_interval(model: Model) -> int:
    """Steps between samples: statnet's 1024, or two sweeps of the dyads if fewer."""
    return int(min(1024, max(64, 2 * model.n_dyads)))


def in_hull(point: np.ndarray, Z: np.ndarray) -> bool:
    """Is ``point`` inside the convex hull of the rows of ``Z``? (a small linear program)"""
    uniq = np.unique(Z, axis=0)
    keep = uniq.std(axis=0) > 0
    if not np.allclose(point[~keep], uniq[0, ~keep]):
        return False
    uniq = uniq[:, keep]
    point = point[keep]
    if uniq.shape[1] == 0:
        return True
    m = uniq.shape[0]
    a_eq = np.vstack([uniq.T, np.ones(m)])
    b_eq = np.append(point, 1.0)
    res = linprog(np.zeros(m), A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    return res.status == 0


def hummel_gamma(Z: np.ndarray, target: np.ndarray, margin: float = 0.05, steps: int = 12) -> float:
    """Largest step length in (0, 1] keeping the shrunken target inside the sample's hull."""
    mu = Z.mean(axis=0)
    d = target - mu
    if in_hull(mu + (1 + margin) * d, Z):
        return 1.0
    lo, hi = 0.0, 1.0
    for _ in range(steps):
        mid = (lo + hi) / 2
        if in_hull(mu + (1 + margin) * mid * d, Z):
            lo = mid
        else:
            hi = mid
    return lo


def _solve(S: np.ndarray, v: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.solve(S, v)
    except np.linalg.LinAlgError:
        return np.linalg.pinv(S) @ v


def _inv(S: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.inv(S)
    except np.linalg.LinAlgError:
        return np.linalg.pinv(S)


def hotelling_pvalue(Z: np.ndarray, target: np.ndarray) -> float:
    """p-value of the test that the chain's mean equals ``target`` (batch-means Hotelling T2)."""
    V, b = batch_means_cov(Z)
    d = Z.mean(axis=0) - target
    keep = np.diag(V) > 0
    if not keep.all():
        if np.any(np.abs(d[~keep]) > 1e-9):
            return 0.0
        V = V[np.ix_(keep, keep)]
        d = d[keep]
    p = d.size
    if p == 0:
        return 1.0
    t2 = float(d @ np.linalg.pinv(V) @ d)
    if b <= p:
        return float(_st.chi2.sf(t2, p))
    f = (b - p) / (p * (b - 1)) * t2
    return float(_st.f.sf(f, p, b - p))


def degeneracy_problem(model: Model, Z: np.ndarray, edges: np.ndarray) -> str | None:
    """A message when a sample shows a degenerate model, else None."""
    obs_density = model.adjacency.sum() / (model.n * (model.n - 1))
    density = edges / model.n_dyads
    if np.median(density) > 0.95 and obs_density < 0.8:
        return (
            f"the chain runs to (near) complete graphs (median density {np.median(density):.2f}, "
            f"observed {obs_density:.2f})"
        )
    if np.mean(edges == 0) > 0.5 and obs_density > 0:
        return "the chain runs to the empty graph"
    if np.median(density) < 0.05 * obs_density:
        return (
            f"the chain runs to (near) empty graphs (median density {np.median(density):.3f}, "
            f"observed {obs_density:.3f})"
        )
    return None


def dind_submodel_loglik(model: Model) -> tuple[np.ndarray, float]:
    """MLE of the dyad-independent terms alone (others 0) and its exact log-likelihood."""
    theta0 = np.zeros(model.p)
    rows, cols = model.dyads()
    y = model.adjacency[rows, cols].astype(float)
    if model.indep_cols.size:
        X = model.indep_array[rows, cols]
        Xu, succ, trials = compress_rows(X, y)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            res = logit_fit(Xu, succ, trials)
        theta0[model.indep_cols] = res.params
        return theta0, res.loglik
    return theta0, -model.n_dyads * np.log(2.0)


def bridge_loglik(
    model: Model,
    theta: np.ndarray,
    *,
    rng: np.random.Generator,
    nsteps: int = 16,
    samplesize: int = 256,
    interval: int = 1024,
    burnin: int | None = None,
    progress: bool = False,
) -> tuple[float, float]:
    """Log-likelihood at ``theta`` by bridge (path) sampling from the dyad-independent submodel.

    ``l(theta) = l(theta0) + (theta - theta0) . g_obs - int_0^1 (theta - theta0) . E_u[g] du``,
    the integral by the midpoint rule over ``nsteps`` bridges. Returns the estimate and its
    Monte Carlo standard error.
    """
    theta = np.asarray(theta, float)
    theta0, ll0 = dind_submodel_loglik(model)
    diff = theta - theta0
    g_obs = model.observed_stats
    burnin = 16 * interval if burnin is None else burnin
    state = ChainState(model)
    means, variances = [], []
    for k in tqdm(range(nsteps), disable=not progress, desc="bridge", leave=False):
        u = (k + 0.5) / nsteps
        Z, _ = run_chain(
            model, state, theta0 + u * diff, samplesize, interval=interval, burnin=burnin, rng=rng
        )
        proj = Z @ diff
        means.append(proj.mean())
        V, _ = batch_means_cov(proj[:, None])
        variances.append(float(V[0, 0]))
    llr = float(diff @ g_obs - np.mean(means))
    mcse = float(np.sqrt(np.sum(variances)) / nsteps)
    return ll0 + llr, mcse


def mcmle(
    model: Model,
    *,
    seed=None,
    init=None,
    samplesize: int = 1024,
    interval: int | None = None,
    burnin: int | None = None,
    maxit: int = 60,
    final_samplesize: int | None = None,
    conv_pvalue: float = 0.5,
    loglik: bool = True,
    bridge_steps: int = 16,
    bridge_samplesize: int = 256,
    progress: bool = True,
) -> ERGMResults:
    """Monte Carlo MLE of a dyad-dependent ERGM (see the module documentation).

    Parameters are the ``**control`` options of :func:`medkit.ergm.fit`.
    """
    rng = as_generator(seed)
    interval = default_interval(model) if interval is None else int(interval)
    burnin = 16 * interval if burnin is None else int(burnin)
    final_samplesize = 4 * samplesize if final_samplesize is None else int(final_samplesize)
    names = model.coef_names
    g_obs = model.observed_stats
    notes: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = mple(model)
    mple_params = pd.Series(start.params, names)
    theta = np.asarray(init, float).copy() if init is not None else start.params.copy()
    if theta.shape != (model.p,):
        raise ValueError(f"init has {theta.size} values but the model has {model.p} statistics")
    state = ChainState(model)
    history = []
    converged = False
    interrupted = False
    degenerate = None
    Z = edges = None
    strikes = 0
    it = 0
    bar = tqdm(range(1, maxit + 1), disable=not progress, desc="MCMC-MLE", leave=False)
    try:
        for it in bar:
            Z, edges = run_chain(
                model, state, theta, samplesize, interval=interval, burnin=burnin, rng=rng
            )
            problem = degeneracy_problem(model, Z, edges)
            gamma = hummel_gamma(Z, g_obs)
            pval = hotelling_pvalue(Z, g_obs) if gamma == 1.0 else 0.0
            history.append([it, *theta, gamma, pval])
            if progress:
                bar.set_postfix(gamma=f"{gamma:.2f}", p=f"{pval:.2f}")
            if problem is not None or gamma < 1e-3:
                strikes += 1
                if strikes >= 3:
                    degenerate = problem or (
                        "the observed statistics lie outside the simulated ones for several "
                        "iterations (the sampler cannot reach networks like the observed one)"
                    )
                    break
            else:
                strikes = 0
            if gamma == 1.0 and pval > conv_pvalue:
                converged = True
                break
            mu = Z.mean(axis=0)
            S = np.atleast_2d(np.cov(Z, rowvar=False))
            theta = theta + gamma * _solve(S, g_obs - mu)
    except KeyboardInterrupt:
        interrupted = True
        notes.append("Interrupted by the user: estimates are from the last completed iteration.")
    finally:
        bar.close()

    if degenerate is not None:
        msg = f"model degeneracy: {degenerate}. Estimates are not trustworthy."
        warnings.warn(msg, DegeneracyWarning, stacklevel=3)
        notes.append(msg)
    elif not converged and not interrupted:
        msg = f"MCMC-MLE did not converge in {maxit} iterations; try maxit= or a larger samplesize="
        warnings.warn(msg, ConvergenceWarning, stacklevel=3)
        notes.append(msg)

    ll = np.nan
    ll_mcse = None
    final_edges = edges
    try:
        if not interrupted and degenerate is None:
            Z, final_edges = run_chain(
                model,
                state,
                theta,
                final_samplesize,
                interval=interval,
                burnin=burnin,
                rng=rng,
                progress=progress,
                desc="final sample",
            )
            gamma = hummel_gamma(Z, g_obs)
            mu = Z.mean(axis=0)
            S = np.atleast_2d(np.cov(Z, rowvar=False))
            theta = theta + gamma * _solve(S, g_obs - mu)
            if gamma < 1.0:
                notes.append(
                    f"Final sample: observed statistics outside the sample's hull (step {gamma:.2f})."
                )
        if Z is None:
            raise KeyboardInterrupt
        S = np.atleast_2d(np.cov(Z, rowvar=False))
        info_inv = _inv(S)
        Vbar, _ = batch_means_cov(Z)
        mc_cov = info_inv @ Vbar @ info_inv
        cov = info_inv + mc_cov
        sd = Z.std(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            far = np.abs(Z.mean(axis=0) - g_obs) / np.where(sd > 0, sd, np.inf)
        if degenerate is None and np.any(far > 3):
            bad = ", ".join(n for n, f in zip(names, far, strict=True) if f > 3)
            msg = f"simulated statistics far from the observed ones ({bad}): possible degeneracy"
            warnings.warn(msg, DegeneracyWarning, stacklevel=3)
            notes.append(msg)
        if np.any(sd == 0):
            bad = ", ".join(n for n, s in zip(names, sd, strict=True) if s == 0)
            notes.append(
                f"statistics constant in the MCMC sample ({bad}): standard errors unreliable"
            )
        if loglik and not interrupted and degenerate is None:
            ll, ll_mcse = bridge_loglik(
                model,
                theta,
                rng=rng,
                nsteps=bridge_steps,
                samplesize=bridge_samplesize,
                interval=interval,
                burnin=4 * interval,
                progress=progress,
            )
    except KeyboardInterrupt:
        if Z is None:
            raise
        interrupted = True
        if not any(n.startswith("Interrupted") for n in notes):
            notes.append("Interrupted by the user: log-likelihood not computed.")
        S = np.atleast_2d(np.cov(Z, rowvar=False))
        info_inv = _inv(S)
        Vbar, _ = batch_means_cov(Z)
        mc_cov = info_inv @ Vbar @ info_inv
        cov = info_inv + mc_cov

    hist = pd.DataFrame(history, columns=["iteration", *names, "gamma", "p_value"])
    sample = pd.DataFrame(Z, columns=names)
    sample["_edges"] = final_edges
    return ERGMResults(
        model=model,
        params=pd.Series(theta, names),
        cov=pd.DataFrame(cov, names, names),
        method="MCMC-MLE",
        loglik=float(ll),
        converged=converged and not interrupted and degenerate is None,
        iterations=it,
        mcse=pd.Series(np.sqrt(np.clip(np.diag(mc_cov), 0, None)), names),
        loglik_mcse=ll_mcse,
        notes=notes,
        sample=sample,
        mple_params=mple_params,
        history=hist,
        seed=seed,
    )
