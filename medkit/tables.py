"""Presentation tables shared by the lessons: stars, odds ratios, standardised effects.

ERGM coefficients are log-odds of a tie. A coefficient printed ``0.0000***`` (GDP in 100
million RMB) says nothing about size: what matters is the change in log-odds for a typical
difference in the covariate. :func:`effect_sizes` reports both the odds ratio per unit and
per standard deviation of the covariate.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

_TERM = re.compile(r"^(nodeicov|nodeocov|nodecov|edgecov|absdiff)\.(.+)$")


def significance_stars(p_value: float) -> str:
    """Stars as in the paper's tables: *** p < 0.001, ** p < 0.01, * p < 0.05.

    Examples
    --------
    >>> [significance_stars(p) for p in (0.0001, 0.004, 0.03, 0.2)]
    ['***', '**', '*', '']
    """
    if p_value is None or not np.isfinite(p_value):
        return ""
    if p_value < 0.001:
        return "***"
    if p_value < 0.01:
        return "**"
    if p_value < 0.05:
        return "*"
    return ""


def format_coefficient(coefficient: float, p_value: float, *, digits: int = 4) -> str:
    """A coefficient with its stars, as printed in Tables 3 and 4 (minus sign as U+2212).

    Examples
    --------
    >>> format_coefficient(-5.06131, 1e-9)
    '−5.0613***'
    """
    text = f"{coefficient:.{digits}f}".replace("-", "\u2212")
    return text + significance_stars(p_value)


def covariate_spread(
    term: str,
    node_covariates: pd.DataFrame | None = None,
    edge_covariates: dict | None = None,
) -> float:
    """Standard deviation of the covariate behind an ERGM term, or NaN if there is none.

    ``nodeicov.X``/``nodeocov.X``/``nodecov.X`` use the SD of node column ``X``;
    ``edgecov.X`` the SD of the off-diagonal entries of matrix ``X``; ``absdiff.X`` the SD of
    ``|x_i - x_j|`` over ordered pairs.

    Examples
    --------
    >>> nodes = pd.DataFrame({"HTH": [1.0, 3.0]})
    >>> covariate_spread("nodeicov.HTH", nodes)
    1.4142135623730951
    """
    match = _TERM.match(term)
    if not match:
        return math.nan
    kind, name = match.groups()
    if kind == "edgecov":
        if not edge_covariates or name not in edge_covariates:
            return math.nan
        matrix = np.asarray(edge_covariates[name], dtype=float)
        off_diagonal = matrix[~np.eye(matrix.shape[0], dtype=bool)]
        return float(np.std(off_diagonal, ddof=1))
    if node_covariates is None or name not in node_covariates:
        return math.nan
    values = node_covariates[name].to_numpy(dtype=float)
    if kind == "absdiff":
        diffs = np.abs(values[:, None] - values[None, :])
        return float(np.std(diffs[~np.eye(len(values), dtype=bool)], ddof=1))
    return float(np.std(values, ddof=1))


def effect_sizes(
    fit,
    node_covariates: pd.DataFrame | None = None,
    edge_covariates: dict | None = None,
    *,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Coefficients as odds ratios, per unit and per standard deviation of the covariate.

    Parameters
    ----------
    fit : object with ``params``, ``bse`` and ``pvalues`` (pandas Series)
        A fitted model, e.g. from :func:`medkit.ergm.fit`.
    node_covariates : pandas.DataFrame, optional
        One row per node, columns named as in the terms (``nodeicov.HTH`` -> ``HTH``).
    edge_covariates : dict of name -> matrix, optional
        Matrices for ``edgecov`` terms.
    alpha : float, default 0.05
        For the confidence interval of the odds ratio per SD.

    Returns
    -------
    pandas.DataFrame
        Columns ``coef``, ``std_err``, ``p_value``, ``stars``, ``odds_ratio`` (per unit),
        ``covariate_sd``, ``coef_per_sd``, ``odds_ratio_per_sd``, ``or_per_sd_low``,
        ``or_per_sd_high``.

    Examples
    --------
    >>> class Fit:
    ...     params = pd.Series({"edges": -2.0, "nodeicov.HTH": 0.01})
    ...     bse = pd.Series({"edges": 0.1, "nodeicov.HTH": 0.002})
    ...     pvalues = pd.Series({"edges": 0.0, "nodeicov.HTH": 1e-6})
    >>> table = effect_sizes(Fit(), pd.DataFrame({"HTH": [0.0, 100.0]}))
    >>> round(float(table.loc["nodeicov.HTH", "odds_ratio_per_sd"]), 3)
    2.028
    """
    from scipy.stats import norm

    params = pd.Series(fit.params, dtype=float)
    bse = pd.Series(fit.bse, dtype=float).reindex(params.index)
    pvalues = pd.Series(fit.pvalues, dtype=float).reindex(params.index)
    z = norm.ppf(1 - alpha / 2)
    spreads = pd.Series(
        {t: covariate_spread(t, node_covariates, edge_covariates) for t in params.index},
        dtype=float,
    )
    table = pd.DataFrame(
        {
            "coef": params,
            "std_err": bse,
            "p_value": pvalues,
            "stars": [significance_stars(p) for p in pvalues],
            "odds_ratio": np.exp(params),
            "covariate_sd": spreads,
        }
    )
    table["coef_per_sd"] = table["coef"] * table["covariate_sd"]
    table["odds_ratio_per_sd"] = np.exp(table["coef_per_sd"])
    table["or_per_sd_low"] = np.exp((table["coef"] - z * table["std_err"]) * table["covariate_sd"])
    table["or_per_sd_high"] = np.exp((table["coef"] + z * table["std_err"]) * table["covariate_sd"])
    table.index.name = "term"
    return table


def odds_ratio_for_change(fit, term: str, change: float) -> float:
    """Odds ratio of a tie when the covariate of ``term`` rises by ``change`` units.

    Examples
    --------
    >>> class Fit:
    ...     params = pd.Series({"nodeicov.HTH": 0.0122})
    >>> round(odds_ratio_for_change(Fit(), "nodeicov.HTH", 10), 4)
    1.1298
    """
    params = pd.Series(fit.params, dtype=float)
    if term not in params.index:
        raise KeyError(f"term {term!r} not in the model; terms are {list(params.index)}")
    return float(math.exp(params[term] * change))
