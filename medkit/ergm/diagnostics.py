"""MCMC diagnostics of an MCMC-MLE fit: summary table, traces and autocorrelations."""

from __future__ import annotations

import numpy as np
import pandas as pd

from medkit.ergm.sampler import effective_size


def _sample(fit) -> pd.DataFrame:
    if fit.sample is None:
        raise ValueError(f"this fit ({fit.method}) has no MCMC sample; only MCMC-MLE fits do")
    return fit.sample[fit.coef_names]


def autocorrelation(x: np.ndarray, max_lag: int = 30) -> np.ndarray:
    """Autocorrelation of a series at lags 0..max_lag."""
    x = np.asarray(x, float) - np.mean(x)
    var = np.dot(x, x)
    if var == 0:
        return np.ones(max_lag + 1)
    return np.array([np.dot(x[: x.size - k], x[k:]) / var for k in range(max_lag + 1)])


def mcmc_diagnostics(fit) -> pd.DataFrame:
    """Per statistic: observed, sample mean and sd, standardized difference, lag-1
    autocorrelation and effective sample size of the final MCMC sample.

    Examples
    --------
    >>> from medkit.ergm import fit
    >>> from medkit.ergm.datasets import florentine_marriage
    >>> res = fit(florentine_marriage(), "edges + triangle", seed=1, progress=False)
    >>> list(mcmc_diagnostics(res).columns)[:3]
    ['observed', 'sample mean', 'sample sd']
    """
    Z = _sample(fit)
    obs = fit.model.observed_stats
    sd = Z.std(ddof=1).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sd > 0, (Z.mean().to_numpy() - obs) / sd, 0.0)
    return pd.DataFrame(
        {
            "observed": obs,
            "sample mean": Z.mean().to_numpy(),
            "sample sd": sd,
            "std. difference": z,
            "lag-1 autocorr.": [autocorrelation(Z[c].to_numpy(), 1)[1] for c in Z],
            "effective size": effective_size(Z.to_numpy()),
        },
        index=fit.coef_names,
    )


def plot_mcmc_diagnostics(fit, axes=None, max_lag: int = 30):
    """Trace (sample minus observed) and autocorrelation of each statistic."""
    import matplotlib.pyplot as plt

    Z = _sample(fit)
    obs = fit.model.observed_stats
    p = Z.shape[1]
    if axes is None:
        _, axes = plt.subplots(p, 2, figsize=(9, 2.2 * p), squeeze=False)
    axes = np.asarray(axes).reshape(p, 2)
    for k, name in enumerate(Z.columns):
        axes[k, 0].plot(Z[name].to_numpy() - obs[k], lw=0.6)
        axes[k, 0].axhline(0, color="k", lw=1)
        axes[k, 0].set_title(f"{name}: sample - observed")
        acf = autocorrelation(Z[name].to_numpy(), max_lag)
        axes[k, 1].bar(range(acf.size), acf, width=0.8)
        axes[k, 1].set_title(f"{name}: autocorrelation")
    return axes
