"""Results of an ERGM fit (statsmodels style) and a paper-style comparison table."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np
import pandas as pd


def stars(p: float) -> str:
    """Significance stars as in R: *** < 0.001 <= ** < 0.01 <= * < 0.05 <= . < 0.1.

    Examples
    --------
    >>> stars(0.0004), stars(0.03), stars(0.5)
    ('***', '*', '')
    """
    if not np.isfinite(p):
        return ""
    if p < 0.001:
        return "***"
    if p < 0.01:
        return "**"
    if p < 0.05:
        return "*"
    if p < 0.1:
        return "."
    return ""


@dataclass
class ERGMResults:
    """A fitted ERGM.

    Attributes
    ----------
    params, bse, pvalues, tvalues : pandas.Series
        Estimates, standard errors (MCMC fits: including Monte Carlo error), p-values, z values.
    cov : pandas.DataFrame
        Covariance matrix of the estimates.
    loglik, aic, bic : float
        Log-likelihood (bridge sampling for MCMC fits) and information criteria, with
        ``nobs`` = number of dyads, as statnet.
    method : str
        ``"MLE"`` (logistic regression, exact), ``"dyad MLE"`` (mutual-only, exact),
        ``"MPLE"`` or ``"MCMC-MLE"``.
    convergence : dict or None
        MCMC fits: the convergence test at the last iteration (``T2``, its ``df`` and
        ``p_value``, the tolerance-scale ``distance``), the number of ``chains``, the final
        ``interval`` and the total number of ``proposals``.
    """

    model: object
    params: pd.Series
    cov: pd.DataFrame
    method: str
    loglik: float
    converged: bool = True
    iterations: int = 0
    mcse: pd.Series | None = None
    loglik_mcse: float | None = None
    notes: list[str] = field(default_factory=list)
    sample: pd.DataFrame | None = None
    mple_params: pd.Series | None = None
    history: pd.DataFrame | None = None
    seed: object = None
    convergence: dict | None = None

    # ----------------------------------------------------------------- numbers
    @property
    def coef_names(self) -> list[str]:
        return list(self.params.index)

    @property
    def nobs(self) -> int:
        """Number of dyads (statnet's nobs for AIC/BIC)."""
        return int(self.model.n_dyads)

    @property
    def df_model(self) -> int:
        return int(self.params.size)

    @property
    def bse(self) -> pd.Series:
        return pd.Series(np.sqrt(np.clip(np.diag(self.cov.to_numpy()), 0, None)), self.params.index)

    @property
    def tvalues(self) -> pd.Series:
        return self.params / self.bse

    zvalues = tvalues

    @property
    def pvalues(self) -> pd.Series:
        z = np.abs(self.tvalues.to_numpy(dtype=float))
        p = [math.erfc(v / math.sqrt(2.0)) if not np.isnan(v) else np.nan for v in z]
        return pd.Series(p, self.params.index, dtype=float)

    @property
    def aic(self) -> float:
        return float(-2 * self.loglik + 2 * self.df_model)

    @property
    def bic(self) -> float:
        return float(-2 * self.loglik + np.log(self.nobs) * self.df_model)

    @property
    def null_deviance(self) -> float:
        return float(2 * self.nobs * np.log(2))

    @property
    def deviance(self) -> float:
        return float(-2 * self.loglik)

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Wald confidence intervals (columns ``lower``, ``upper``)."""
        z = NormalDist().inv_cdf(1 - alpha / 2)
        return pd.DataFrame(
            {"lower": self.params - z * self.bse, "upper": self.params + z * self.bse}
        )

    def mcmc_percent(self) -> pd.Series:
        """Share (percent) of each standard error's variance that is Monte Carlo error."""
        if self.mcse is None:
            return pd.Series(0.0, self.params.index)
        total = self.bse.to_numpy() ** 2
        mc = self.mcse.to_numpy() ** 2
        with np.errstate(invalid="ignore", divide="ignore"):
            pct = np.where(total > 0, 100 * np.sqrt(mc / total), 0.0)
        return pd.Series(np.round(pct), self.params.index)

    def to_frame(self) -> pd.DataFrame:
        """Coefficient table like statnet's summary."""
        return pd.DataFrame(
            {
                "Estimate": self.params,
                "Std. Error": self.bse,
                "MCMC %": self.mcmc_percent(),
                "z value": self.tvalues,
                "Pr(>|z|)": self.pvalues,
                "": [stars(p) for p in self.pvalues],
            }
        )

    # ----------------------------------------------------------------- text
    def _footer(self) -> list[str]:
        lines = [
            f"Null Deviance: {self.null_deviance:.1f} on {self.nobs} degrees of freedom",
            f"Residual Deviance: {self.deviance:.1f} on {self.nobs - self.df_model} degrees of "
            "freedom",
        ]
        mc = f" MC Std. Err. = {self.loglik_mcse:.3g}" if self.loglik_mcse is not None else ""
        lines.append(f"AIC: {self.aic:.2f}  BIC: {self.bic:.2f}  (Smaller is better.{mc})")
        return lines

    def _header(self) -> list[str]:
        kind = {
            "MLE": "Maximum likelihood (logistic regression over dyads; exact for this "
            "dyad-independent model)",
            "dyad MLE": "Maximum likelihood (multinomial logit over the four states of each "
            "pair; exact)",
            "MPLE": "Maximum pseudo-likelihood (standard errors not reliable for dyad-"
            "dependent models)",
            "MCMC-MLE": "Monte Carlo MLE (Markov chain Monte Carlo)",
        }[self.method]
        directed = "directed" if self.model.directed else "undirected"
        return [
            f"ERGM: {self.model.formula}",
            f"Network: {self.model.n} nodes, {directed}, {self.nobs} dyads",
            f"Estimation: {kind}",
        ]

    def _notes(self) -> list[str]:
        notes = list(self.notes)
        if self.method == "MCMC-MLE":
            state = "converged" if self.converged else "did NOT converge"
            notes.insert(0, f"MCMC-MLE {state} after {self.iterations} iterations.")
        return notes

    def summary(self) -> Summary:
        """Statnet-like summary (prints as text, shows as HTML in notebooks)."""
        return Summary(self)

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()

    def __repr__(self) -> str:
        return f"<ERGMResults {self.method}: {self.model.formula}>"


class Summary:
    """Printable summary of an :class:`ERGMResults`."""

    def __init__(self, results: ERGMResults):
        self.results = results

    def __str__(self) -> str:
        r = self.results
        frame = r.to_frame()
        table = pd.DataFrame(
            {
                "Estimate": frame["Estimate"].map(lambda v: f"{v:.4f}"),
                "Std. Error": frame["Std. Error"].map(lambda v: f"{v:.4f}"),
                "MCMC %": frame["MCMC %"].map(lambda v: f"{v:.0f}"),
                "z value": frame["z value"].map(lambda v: f"{v:.3f}"),
                "Pr(>|z|)": frame["Pr(>|z|)"].map(lambda v: "<1e-04" if v < 1e-4 else f"{v:.4f}"),
                "": frame[""],
            }
        )
        lines = r._header() + ["", "Coefficients:", table.to_string()]
        lines.append("---")
        lines.append("Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1")
        lines.append("")
        lines += r._footer()
        notes = r._notes()
        if notes:
            lines.append("")
            lines += [f"Note: {n}" for n in notes]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        r = self.results
        frame = r.to_frame()
        head = "<br>".join(html.escape(x) for x in r._header())
        foot = "<br>".join(html.escape(x) for x in r._footer() + r._notes())
        table = frame.to_html(float_format=lambda v: f"{v:.4f}")
        return f"<div><p>{head}</p>{table}<p>{foot}</p></div>"


def compare(fits, names=None, *, style: str = "paper", digits: int = 3) -> pd.DataFrame:
    """Side-by-side table of several fits, as in a paper.

    Parameters
    ----------
    fits : list of ERGMResults
    names : list of str, optional
        Column names (default ``Model 1``, ``Model 2``, ...).
    style : {"paper", "numeric"}
        ``"paper"``: one text cell per coefficient, ``"-1.609*** (0.245)"``, then rows AIC,
        BIC and N (dyads). ``"numeric"``: columns (model, estimate/se) with floats.
    digits : int
        Decimals in the paper style.

    Examples
    --------
    >>> import networkx as nx
    >>> from medkit.ergm import fit
    >>> g = nx.karate_club_graph()
    >>> table = compare([fit(g, "edges"), fit(g, "edges + kstar(2)", method="MPLE")])
    >>> table.index.tolist()
    ['edges', 'kstar2', 'AIC', 'BIC', 'N']
    """
    fits = list(fits)
    if names is None:
        names = [f"Model {k + 1}" for k in range(len(fits))]
    if len(names) != len(fits):
        raise ValueError(f"{len(fits)} fits but {len(names)} names")
    rows: list[str] = []
    for f in fits:
        for c in f.coef_names:
            if c not in rows:
                rows.append(c)
    if style == "numeric":
        data = {}
        for name, f in zip(names, fits, strict=True):
            data[(name, "estimate")] = f.params.reindex(rows)
            data[(name, "se")] = f.bse.reindex(rows)
        table = pd.DataFrame(data, index=rows)
        for label, attr in (("AIC", "aic"), ("BIC", "bic"), ("N", "nobs")):
            table.loc[label] = [
                getattr(fits[names.index(m)], attr) if k == "estimate" else np.nan for m, k in data
            ]
        table.columns = pd.MultiIndex.from_tuples(table.columns)
        return table
    if style != "paper":
        raise ValueError(f"style must be 'paper' or 'numeric', not {style!r}")
    cols = {}
    for name, f in zip(names, fits, strict=True):
        cells = []
        for c in rows:
            if c in f.params.index:
                est, se, p = f.params[c], f.bse[c], f.pvalues[c]
                cells.append(f"{est:.{digits}f}{stars(p)} ({se:.{digits}f})")
            else:
                cells.append("")
        cells += [f"{f.aic:.{max(digits - 1, 0)}f}", f"{f.bic:.{max(digits - 1, 0)}f}", f"{f.nobs}"]
        cols[name] = cells
    return pd.DataFrame(cols, index=rows + ["AIC", "BIC", "N"])
