"""Monte Carlo maximum likelihood for dyad-dependent ERGMs, and bridge-sampled log-likelihood.

The algorithm follows statnet's ``ergm`` 4 defaults (Hunter & Handcock 2006; Hummel, Hunter &
Handcock 2012; ``control.ergm(MCMLE.termination = "confidence", MCMLE.effectiveSize = 64)``):

1. start from the MPLE;
2. at the current ``theta`` draw a sample of statistics ``Z`` from ``chains`` independent
   Metropolis-Hastings chains (run at once, in threads), pooled. The sample is *adaptive*: the
   chains run on until the sample's effective size reaches a target (64 at first), and the
   interval between records is then set so that the next iteration's sample just reaches it;
3. *Hummel step*: find the largest ``gamma`` in (0, 1] such that the point
   ``xi = mean(Z) + gamma * (g_obs - mean(Z))`` (with a 5 % margin) lies in the convex hull of
   ``Z``, so the sample can say something about the likelihood there;
4. *log-normal Geyer-Thompson update*: maximise the log-normal approximation of the likelihood
   ratio with target ``xi``: ``theta += Cov(Z)^-1 (xi - mean(Z))``;
5. *confidence termination*: with ``gamma = 1`` and the observed statistics close to the
   sample mean, reweight the sample to the updated ``theta`` (importance sampling) and test, at
   99 % confidence, that the expected statistics there lie within a tolerance ellipsoid around
   the observed ones (``d' (0.1 Cov(Z))^-1 d < 1``). Stop when the test passes; when it is
   inconclusive, or the distance stops shrinking, the sample size and effective-size target
   are raised (up to doubled) for the next iteration. Standard errors are ``Cov(Z)^-1`` (the
   inverse Fisher information) plus the Monte Carlo variance ``Cov(Z)^-1 Var(mean Z) Cov(Z)^-1``,
   ``Var(mean Z)`` from the effective sizes;
6. *final phase* (``final_rounds``, 3): a sample at the estimate (effective size 400 on
   networks of at most 5,000 dyads, else the iterations' own) and one more step from it,
   repeated while that sample's mean differs from the observed statistics. The reported
   estimate is always one step from a sample drawn at nearly the same point, so the Monte
   Carlo error that sample gives is the estimate's own.

``termination="hotelling"`` (or passing ``conv_pvalue=``) gives the older rule: stop at the
first ``gamma = 1`` iteration whose Hotelling test p-value exceeds ``conv_pvalue``, then draw
a final sample (``final_samplesize``) and take one last step.

The log-likelihood (for AIC/BIC) is bridged, as statnet does, from the dyad-independent
submodel (its MLE, dependence coefficients zero, exact log-likelihood) to the estimate by path
sampling over ``bridge_steps`` points. A model that factorises over dyads (dyad-independent, or
directed with ``mutual`` its only dependence) fitted by MCMC gets its exact log-likelihood
instead (:func:`medkit.ergm.mple.exact_loglik`).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from medkit._random import as_generator
from medkit.ergm.model import Model
from medkit.ergm.mple import compress_rows, exact_loglik, logit_fit, mple
from medkit.ergm.results import ERGMResults
from medkit.ergm.sampler import (
    batch_means_cov,
    chain_effective_sizes,
    mean_covariance,
    new_chains,
    sample_chains,
)
from medkit.errors import ConvergenceWarning, DegeneracyWarning


def default_interval(model: Model) -> int:
    """Steps between samples: statnet's 1024, or two sweeps of the dyads if fewer."""
    return int(min(1024, max(64, 2 * model.n_dyads)))


def in_hull(point: np.ndarray, Z: np.ndarray) -> bool:
    """Is ``point`` inside the convex hull of the rows of ``Z``? (a small linear program)"""
    from scipy.optimize import linprog

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
    from scipy import stats as _st

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
    chains=None,
) -> tuple[float, float]:
    """Log-likelihood at ``theta`` by bridge (path) sampling from the dyad-independent submodel.

    ``l(theta) = l(theta0) + (theta - theta0) . g_obs - int_0^1 (theta - theta0) . E_u[g] du``,
    the integral by the midpoint rule over ``nsteps`` bridges. ``chains`` (a list of
    :class:`medkit.ergm.sampler.Chain`, default one new chain) share the ``samplesize`` draws of
    each bridge. Returns the estimate and its Monte Carlo standard error.
    """
    from tqdm.auto import tqdm

    theta = np.asarray(theta, float)
    theta0, ll0 = dind_submodel_loglik(model)
    diff = theta - theta0
    g_obs = model.observed_stats
    burnin = 16 * interval if burnin is None else burnin
    chains = new_chains(model, 1, rng) if chains is None else chains
    per_chain = int(np.ceil(samplesize / len(chains)))
    means, variances = [], []
    for k in tqdm(range(nsteps), disable=not progress, desc="bridge", leave=False):
        u = (k + 0.5) / nsteps
        Zk, _ = sample_chains(
            model, chains, theta0 + u * diff, per_chain, interval=interval, burnin=burnin
        )
        proj = Zk @ diff  # (chains, records)
        means.append(proj.mean())
        var = mean_covariance(proj[:, :, None])
        variances.append(float(var[0, 0]))
    llr = float(diff @ g_obs - np.mean(means))
    mcse = float(np.sqrt(np.sum(variances)) / nsteps)
    return ll0 + llr, mcse


def default_chains() -> int:
    """Chains per iteration by default: 2, whatever the machine, so a seed means one answer.

    Two chains use both cores of a Binder or CI machine; pass ``chains=`` for more.
    """
    return 2


def default_samplesize(model: Model) -> int:
    """Records per iteration: statnet's ``max(256, 32 * p)`` (all chains together)."""
    return int(max(256, 32 * model.p))


def start_interval(model: Model) -> int:
    """First interval of the adaptive sampler: a sixteenth of a sweep of the dyads (>= 16)."""
    return int(max(16, model.n_dyads // 16))


def ellipsoid_distance(center: np.ndarray, cov: np.ndarray, inner: np.ndarray) -> float:
    """Mahalanobis distance (metric ``cov^-1``) from ``center`` to the ellipsoid boundary
    ``{x : x' inner x = 1}`` (squared), ``center`` lying inside it.

    The nearest boundary point solves ``cov^-1 (x - c) = lambda inner x``; in coordinates where
    the ellipsoid is the unit sphere this is a one-dimensional root search.
    """
    try:
        R = np.linalg.cholesky(inner).T  # inner = R' R
    except np.linalg.LinAlgError:
        return 0.0
    Rinv = np.linalg.inv(R)
    f = R @ center
    C = Rinv.T @ _inv(cov) @ Rinv
    C = (C + C.T) / 2
    c, Q = np.linalg.eigh(C)
    if c[0] <= 0 or float(f @ f) >= 1.0:
        return 0.0
    g = Q.T @ f

    def radius(lam):
        u = c * g / (c - lam)
        return float(u @ u)

    lo, hi = 0.0, c[0]
    if radius(hi * (1 - 1e-12)) < 1.0:  # centre on a flat direction: bound from below
        return float(c[0] * (1.0 - np.sqrt(float(f @ f))) ** 2)
    for _ in range(200):
        mid = (lo + hi) / 2
        if radius(mid) < 1.0:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-12 * c[0]:
            break
    u = c * g / (c - lo)
    return float(np.sum(c * (u - g) ** 2))


def hotelling_sf(t2: float, p: int, df: float) -> float:
    """Upper tail of Hotelling's ``T^2(p, df)``: ``T^2 (df - p + 1) / (p df) ~ F(p, df - p + 1)``."""
    from scipy import stats as _st

    df = max(float(df), p + 1.0)
    return float(_st.f.sf(t2 * (df - p + 1) / (p * df), p, df - p + 1))


def hotelling_isf(alpha: float, p: int, df: float) -> float:
    from scipy import stats as _st

    df = max(float(df), p + 1.0)
    return float(_st.f.isf(alpha, p, df - p + 1) * p * df / (df - p + 1))


class _Sampler:
    """The MCMLE's sampling plan: k chains, sample size, interval and effective-size target."""

    def __init__(self, model, rng, *, chains, samplesize, interval, burnin, effective_size):
        self.model = model
        self.chains = new_chains(model, chains, rng)
        self.k = len(self.chains)
        self.samplesize = int(samplesize)
        self.adaptive = effective_size is not None
        self.target = float(effective_size) if self.adaptive else None
        self.interval = int(interval)
        self.burnin = burnin
        self.maxruns = 8

    @property
    def proposals(self) -> int:
        return int(sum(c.proposals for c in self.chains))

    def _burnin(self) -> int:
        if self.burnin is not None:
            return int(self.burnin)
        return 16 * self.interval

    def boost(self, factor: float) -> None:
        factor = float(min(max(factor, 1.0), 2.0))
        self.samplesize = int(np.ceil(self.samplesize * factor))
        if self.adaptive:
            self.target *= factor

    def draw(self, theta, *, progress=False, desc=None):
        """A pooled sample ``(k, m, p)`` at ``theta``, long enough for the effective-size target."""
        model = self.model
        m = int(np.ceil(self.samplesize / self.k))
        Zk, Ek = sample_chains(
            model,
            self.chains,
            theta,
            m,
            interval=self.interval,
            burnin=self._burnin(),
            progress=progress,
            desc=desc,
        )
        ess = chain_effective_sizes(Zk)
        if not self.adaptive:
            return Zk, Ek, ess
        varying = np.ptp(Zk.reshape(-1, model.p), axis=0) > 0
        runs = 1
        while varying.any() and ess[varying].min() < self.target and runs < self.maxruns:
            have = Zk.shape[1]
            need = have * (self.target / max(ess[varying].min(), 1.0) - 1.0)
            extra = int(np.clip(np.ceil(need * 1.1), have // 2, 4 * have))
            Zx, Ex = sample_chains(
                model, self.chains, theta, extra, interval=self.interval, burnin=0
            )
            Zk = np.concatenate([Zk, Zx], axis=1)
            Ek = np.concatenate([Ek, Ex], axis=1)
            ess = chain_effective_sizes(Zk)
            runs += 1
        total = Zk.shape[1]
        # next interval: the one at which m records would just reach the target
        if varying.any():
            needed = total * self.target / max(ess[varying].min(), 1.0)
            factor = float(np.clip(needed / m, 0.25, 64.0))
            self.interval = int(max(1, round(self.interval * factor)))
        thin = total // m
        if thin >= 2:
            Zk = Zk[:, thin - 1 :: thin]
            Ek = Ek[:, thin - 1 :: thin]
            ess = chain_effective_sizes(Zk)
        return Zk, Ek, ess


def mcmle(
    model: Model,
    *,
    seed=None,
    init=None,
    samplesize: int | None = None,
    interval: int | None = None,
    burnin: int | None = None,
    maxit: int = 60,
    chains: int | None = None,
    effective_size: float | None | str = "auto",
    termination: str | None = None,
    precision: float = 0.1,
    confidence: float = 0.99,
    final_samplesize: int | None = None,
    final_effective_size: float | None = None,
    final_rounds: int = 3,
    conv_pvalue: float | None = None,
    loglik: bool = True,
    bridge_steps: int = 16,
    bridge_samplesize: int = 256,
    progress: bool = True,
) -> ERGMResults:
    """Monte Carlo MLE of a dyad-dependent ERGM (see the module documentation).

    Parameters are the ``**control`` options of :func:`medkit.ergm.fit`:

    - ``samplesize``: records per iteration, all chains together (``max(256, 32 p)``);
    - ``interval``: proposals between records. Not given: adaptive, starting at a sixteenth of
      the dyads and set each iteration from the effective size. Given: fixed (no adaptation
      unless ``effective_size`` is given too);
    - ``burnin``: proposals before each iteration's records (``16 * interval``);
    - ``chains``: independent chains per iteration, run in parallel threads and pooled (2);
    - ``effective_size``: effective-size target of each iteration's sample (64, statnet's
      ``MCMLE.effectiveSize``); ``None`` samples exactly ``samplesize`` records;
    - ``termination``: ``"confidence"`` (statnet's default) or ``"hotelling"`` (the older rule,
      also chosen by passing ``conv_pvalue``); ``precision`` (0.1) and ``confidence`` (0.99)
      set the tolerance region and the confidence of the test;
    - ``final_effective_size``: effective size of the final sample at the estimate (400 on
      networks of at most 5,000 dyads, else that of the iterations); ``final_rounds`` (3)
      bounds the final sample-and-step rounds (0: none, the converging iteration's estimate
      is the answer, as in statnet); ``final_samplesize`` sets the final sample's records;
    - ``maxit`` (60), ``init``, ``loglik``, ``bridge_steps``, ``bridge_samplesize``,
      ``progress``.
    """
    from tqdm.auto import tqdm

    rng = as_generator(seed)
    if termination is None:
        termination = "hotelling" if conv_pvalue is not None else "confidence"
    termination = str(termination).lower()
    if termination not in ("confidence", "hotelling"):
        raise ValueError(f"termination must be 'confidence' or 'hotelling', not {termination!r}")
    if conv_pvalue is None:
        conv_pvalue = 0.5
    if isinstance(effective_size, str):
        if effective_size != "auto":
            raise ValueError(f"effective_size must be a number or None, not {effective_size!r}")
        # a fixed interval asked for, or the older rule: sample as asked, no adaptation
        fixed = interval is not None or termination == "hotelling"
        effective_size = None if fixed else 64.0
    elif effective_size is not None and not float(effective_size) > 0:
        raise ValueError(f"effective_size must be positive or None, not {effective_size!r}")
    k = default_chains() if chains is None else int(chains)
    if k < 1:
        raise ValueError(f"chains must be a positive integer, not {chains!r}")
    samplesize = default_samplesize(model) if samplesize is None else int(samplesize)
    if interval is None:
        interval = start_interval(model) if effective_size is not None else default_interval(model)
    if termination == "hotelling" and final_samplesize is None:
        final_samplesize = 4 * samplesize
    if final_effective_size is None and effective_size is not None and termination == "confidence":
        final_effective_size = default_final_effective_size(model)
    names = model.coef_names
    g_obs = model.observed_stats
    p = model.p
    notes: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = mple(model)
    mple_params = pd.Series(start.params, names)
    theta = np.asarray(init, float).copy() if init is not None else start.params.copy()
    if theta.shape != (p,):
        raise ValueError(f"init has {theta.size} values but the model has {p} statistics")
    sampler = _Sampler(
        model,
        rng,
        chains=k,
        samplesize=samplesize,
        interval=int(interval),
        burnin=burnin,
        effective_size=effective_size,
    )
    history = []
    converged = False
    interrupted = False
    degenerate = None
    Zk = edges = ess = None
    sample_theta = theta.copy()
    strikes = 0
    it = 0
    check = {}
    d2_prev = None
    not_improved: list[bool] = []
    bar = tqdm(range(1, maxit + 1), disable=not progress, desc="MCMC-MLE", leave=False)
    try:
        for it in bar:
            interval_used = sampler.interval
            Zk, edges, ess = sampler.draw(theta)
            sample_theta = theta.copy()
            Z = Zk.reshape(-1, p)
            flat_edges = edges.reshape(-1)
            problem = degeneracy_problem(model, Z, flat_edges)
            gamma = hummel_gamma(Z, g_obs)
            mu = Z.mean(axis=0)
            S = np.atleast_2d(np.cov(Z, rowvar=False))
            diff = g_obs - mu
            step = _solve(S, diff)
            new_theta = theta + gamma * step
            pval = np.nan
            d2 = np.nan
            stop = False
            if problem is not None or gamma < 1e-3:
                strikes += 1
                if strikes >= 3:
                    degenerate = problem or (
                        "the observed statistics lie outside the simulated ones for several "
                        "iterations (the sampler cannot reach networks like the observed one)"
                    )
            else:
                strikes = 0
            if degenerate is None and termination == "hotelling":
                pval = hotelling_pvalue(Z, g_obs) if gamma == 1.0 else 0.0
                if gamma == 1.0 and pval > conv_pvalue:
                    stop = True
                    new_theta = theta  # the estimate is the point the test accepted
            elif degenerate is None:
                stop, pval, d2, check, boost = _confidence_test(
                    Zk, ess, theta, new_theta, gamma, g_obs, S, precision, confidence
                )
                if boost > 1.0:
                    sampler.boost(boost)
                if not stop and check.get("outside", True):
                    if d2_prev is not None:
                        not_improved = [*not_improved[-3:], bool(d2 >= d2_prev)]
                        if sum(not_improved) > 1:
                            sampler.boost(2.0)
                            not_improved = []
                d2_prev = d2
            history.append(
                [
                    it,
                    *theta,
                    gamma,
                    pval,
                    d2,
                    interval_used,
                    Z.shape[0],
                    float(np.min(ess)),
                    sampler.proposals,
                ]
            )
            if progress:
                bar.set_postfix(gamma=f"{gamma:.2f}", p=f"{pval:.2f}", interval=interval_used)
            if degenerate is not None:
                break
            theta = new_theta
            if stop:
                converged = True
                break
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
    try:
        if not interrupted and degenerate is None and termination == "hotelling":
            if final_samplesize:  # the older rule: one final sample, one last step
                sampler.samplesize = int(final_samplesize)
                Zk, edges, ess = sampler.draw(theta, progress=progress, desc="final sample")
                sample_theta = theta.copy()
                Z = Zk.reshape(-1, p)
                gamma = hummel_gamma(Z, g_obs)
                S = np.atleast_2d(np.cov(Z, rowvar=False))
                theta = theta + gamma * _solve(S, g_obs - Z.mean(axis=0))
                _log(history, it + 1, sample_theta, gamma, np.nan, sampler, Z, ess)
                if gamma < 1.0:
                    notes.append(
                        f"Final sample: observed statistics outside the sample's hull "
                        f"(step {gamma:.2f})."
                    )
        elif not interrupted and degenerate is None and final_rounds > 0:
            # final phase: a sample at the estimate itself (larger on small networks) and one
            # more full step from it, repeated while the sample's mean differs from the
            # observed statistics. The estimate is then one step from a sample drawn at
            # (nearly) that point, so its Monte Carlo error is the one the sample reports; the
            # converging iteration's step, taken from an older point, leaves an error up to
            # two or three times larger in the directions where the statistics are tied up
            # with each other (measured against the exact MLE of a 288-node mutual model).
            if final_samplesize:
                sampler.samplesize = int(final_samplesize)
            if final_effective_size:
                sampler.target = max(sampler.target, float(final_effective_size))
                sampler.samplesize = int(max(sampler.samplesize, 2 * final_effective_size))
            for rnd in range(final_rounds):
                Zk, edges, ess = sampler.draw(theta, progress=progress, desc="final sample")
                sample_theta = theta.copy()
                Z = Zk.reshape(-1, p)
                test = _mean_test(Zk, ess, g_obs)
                _log(history, it + 1 + rnd, theta, 1.0, test["mean_p_value"], sampler, Z, ess)
                gamma = hummel_gamma(Z, g_obs)
                S = np.atleast_2d(np.cov(Z, rowvar=False))
                theta = theta + gamma * _solve(S, g_obs - Z.mean(axis=0))
                if test["mean_p_value"] >= 0.05 and gamma == 1.0:
                    break
            if test["mean_p_value"] < 0.05:
                msg = (
                    "at the estimate the simulated statistics still differ from the observed "
                    f"ones (Hotelling T2 = {test['mean_T2']:.1f}, p = {test['mean_p_value']:.3f}); "
                    "try a larger samplesize= or effective_size="
                )
                warnings.warn(msg, ConvergenceWarning, stacklevel=3)
                notes.append(msg)
        if Zk is None:
            raise KeyboardInterrupt
        cov, mc_cov, Z = _covariances(Zk, ess, theta, sample_theta)
        if sample_theta is not None and not np.array_equal(sample_theta, theta):
            w = _importance_weights(Z, theta - sample_theta)
            check.update(_mean_test(Zk, ess, g_obs, w), mean_at="estimate (importance-weighted)")
        else:
            check.update(_mean_test(Zk, ess, g_obs), mean_at="estimate")
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
            exact = exact_loglik(model, theta)
            if exact is not None:
                ll = exact
                notes.append(
                    "Log-likelihood exact: the model factorises over dyads, so no bridge sampling."
                )
            else:
                ll, ll_mcse = bridge_loglik(
                    model,
                    theta,
                    rng=rng,
                    nsteps=bridge_steps,
                    samplesize=bridge_samplesize,
                    interval=max(1, sampler.interval // 4),
                    burnin=2 * sampler.interval,
                    progress=progress,
                    chains=sampler.chains,
                )
    except KeyboardInterrupt:
        if Zk is None:
            raise
        interrupted = True
        if not any(n.startswith("Interrupted") for n in notes):
            notes.append("Interrupted by the user: log-likelihood not computed.")
        cov, mc_cov, Z = _covariances(Zk, ess, theta, sample_theta)

    hist = pd.DataFrame(
        history,
        columns=[
            "iteration",
            *names,
            "gamma",
            "p_value",
            "distance",
            "interval",
            "samplesize",
            "effective_size",
            "proposals",
        ],
    )
    sample = pd.DataFrame(Z, columns=names)
    sample["_edges"] = edges.reshape(-1)
    check = dict(check)
    check.update(
        termination=termination,
        chains=sampler.k,
        interval=sampler.interval,
        proposals=sampler.proposals,
    )
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
        convergence=check,
    )


def default_final_effective_size(model: Model) -> float | None:
    """Effective size of the last sample for small networks (at most 5,000 dyads): 400.

    On small networks a sample is cheap, and a final sample of effective size 400 brings the
    Monte Carlo error of the estimates to about 5 % of their standard errors, as tight as
    statnet's default-control spread on the Florentine families. Larger networks stop with
    statnet's rule (the converging sample is the last one).
    """
    return 400.0 if model.n_dyads <= 5000 else None


def _mean_test(Zk, ess, g_obs, weights=None) -> dict:
    """Hotelling test that the last sample's mean equals the observed statistics.

    ``T2 = d' Var(mean)^-1 d`` with the effective-size covariance of the mean; ``df`` the
    smallest effective size. Large p-values: the simulated statistics match the observed.
    With importance ``weights`` (the sample reweighted to a nearby estimate) the mean is the
    weighted one and its variance is inflated by ``n sum w^2``.
    """
    k, m, p = Zk.shape
    Z = Zk.reshape(k * m, p)
    V = mean_covariance(Zk, ess)
    if weights is None:
        d = Z.mean(axis=0) - g_obs
    else:
        d = weights @ Z - g_obs
        V = V * (weights.size * float(weights @ weights))
    keep = np.diag(V) > 0
    if np.any(np.abs(d[~keep]) > 1e-9):
        return {"mean_T2": np.inf, "mean_df": np.nan, "mean_p_value": 0.0}
    d, V = d[keep], V[np.ix_(keep, keep)]
    if d.size == 0:
        return {"mean_T2": 0.0, "mean_df": np.nan, "mean_p_value": 1.0}
    t2 = float(d @ _inv(V) @ d)
    df = float(np.min(ess[keep]))
    return {"mean_T2": t2, "mean_df": df, "mean_p_value": hotelling_sf(t2, d.size, df)}


def _log(history, it, theta, gamma, pval, sampler, Z, ess):
    history.append(
        [
            it,
            *theta,
            gamma,
            pval,
            np.nan,
            sampler.interval,
            Z.shape[0],
            float(np.min(ess)),
            sampler.proposals,
        ]
    )


def _importance_weights(Z: np.ndarray, eta_diff: np.ndarray) -> np.ndarray:
    lw = Z @ eta_diff
    w = np.exp(lw - lw.max())
    return w / w.sum()


def _confidence_test(Zk, ess, theta, new_theta, gamma, g_obs, S, precision, confidence):
    """statnet's ``MCMLE.termination = "confidence"`` rule.

    The tolerance region is the ellipsoid ``d' (precision * Cov(Z))^-1 d < 1`` around the
    observed statistics (``d`` = observed minus expected). The fit has converged when, with
    ``confidence``, the expected statistics at the updated estimate (the sample reweighted by
    importance sampling) lie inside it: a Hotelling test of the distance from the estimated
    difference to the region's boundary, with the Monte Carlo covariance of that difference.

    Returns (converged, p value, distance d2 at the sampled point, details, sample-size boost).
    """
    k, m, p = Zk.shape
    Z = Zk.reshape(k * m, p)
    diff = g_obs - Z.mean(axis=0)
    varying = np.diag(S) > 0
    if np.any(np.abs(diff[~varying]) > 1e-9):
        return False, np.nan, np.inf, {"outside": True}, 1.0
    Sv = S[np.ix_(varying, varying)]
    iVm = _inv(precision * Sv)
    d2 = float(diff[varying] @ iVm @ diff[varying])
    details = {"outside": True, "distance": d2}
    if gamma < 1.0 or d2 >= 2.0:
        return False, np.nan, d2, details, 1.0
    w = _importance_weights(Z, new_theta - theta)
    est = g_obs - w @ Z
    V = mean_covariance(Zk, ess) * (w.size * float(w @ w))
    est = est[varying]
    V = V[np.ix_(varying, varying)]
    d2e = float(est @ iVm @ est)
    details["distance_updated"] = d2e
    if d2e >= 1.0:
        return False, np.nan, d2, details, 1.0
    details["outside"] = False
    t2 = ellipsoid_distance(est, V, iVm)
    pv = int(varying.sum())
    df = float(np.min(ess[varying]))
    pval = hotelling_sf(t2, pv, df)
    details.update(T2=t2, df=df, p_value=pval)
    if pval < 1.0 - confidence:
        return True, pval, d2, details, 1.0
    crit = hotelling_isf(1.0 - confidence, pv, df)
    boost = min(crit / t2, 2.0) if t2 > 0 else 2.0
    return False, pval, d2, details, boost


def _covariances(Zk, ess, theta, sample_theta):
    """Covariance of the estimate: inverse information plus Monte Carlo error (statnet's
    ``MCMC.addto.se``), from the last sample (drawn at ``sample_theta``)."""
    k, m, p = Zk.shape
    Z = Zk.reshape(k * m, p)
    S = np.atleast_2d(np.cov(Z, rowvar=False))
    info_inv = _inv(S)
    Vbar = mean_covariance(Zk, ess)
    mc_cov = info_inv @ Vbar @ info_inv
    return info_inv + mc_cov, mc_cov, Z
