"""Re-fitting the paper's Models 1-3 on the synthetic twins, and checking them against the paper.

All terms of Tables 3 and 4 are dyad-independent, so the ERGM likelihood factorises over ordered
pairs and the maximum-likelihood estimate is a logistic regression of the tie indicator on the
pair's covariates (``statsmodels`` ``Logit``). This module does not depend on :mod:`medkit.ergm`.

Criteria (issue 3), checked by :func:`calibration_checks`:

1. every coefficient within 2 standard errors of the published value, where a printed value
   stands for the interval it rounds from (``0.0000`` means [-0.00005, 0.00005]);
2. the same significance stars (0.05 / 0.01 / 0.001);
3. each model's AIC within 3 % of the published AIC;
4. the same ordering of the three models by AIC, and by BIC, as published.

Exception (documented in datasets/README.md): national ``UR`` keeps the published sign and stars
but not the value -0.0001, which cannot be significant with UR in percent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm

from medkit.data.published import (
    MODEL_TERMS,
    PAPER_LABELS,
    PUBLISHED_TABLES,
    ROUNDING,
    published_fit,
)

VALUE_EXEMPT = {("national", "UR")}
"""(level, term) whose published value cannot hold under the stated units: sign and stars only."""


def stars(p_value: float) -> str:
    """Significance stars of a p-value: ``***`` < 0.001, ``**`` < 0.01, ``*`` < 0.05.

    Examples
    --------
    >>> stars(0.004), stars(0.2)
    ('**', '')
    """
    if p_value < 0.001:
        return "***"
    if p_value < 0.01:
        return "**"
    if p_value < 0.05:
        return "*"
    return ""


def dyad_design(
    cities: pd.DataFrame, edge_covariates: dict[str, np.ndarray], terms: list[str]
) -> pd.DataFrame:
    """Design matrix over ordered pairs (i, j), i != j, row-major, for the given model terms.

    ``edges`` is the constant; node covariates enter as receiver (``nodeicov``) effects, i.e.
    the value of the destination j; edge covariates as the (i, j) entry of their matrix.
    """
    n = len(cities)
    off = ~np.eye(n, dtype=bool)
    cols = {}
    for term in terms:
        if term == "edges":
            cols[term] = np.ones(n * (n - 1))
        elif term in edge_covariates:
            cols[term] = np.asarray(edge_covariates[term], dtype=float)[off]
        else:
            values = cities[term].to_numpy(float)
            cols[term] = np.broadcast_to(values[None, :], (n, n))[off]
    return pd.DataFrame(cols)


@dataclass
class LogitFit:
    """A fitted dyad-independent model: coefficients, standard errors, p-values, AIC, BIC."""

    params: pd.Series
    bse: pd.Series
    pvalues: pd.Series
    aic: float
    bic: float
    nobs: int

    def to_frame(self) -> pd.DataFrame:
        """One row per term: coef, se, p, stars."""
        return pd.DataFrame(
            {
                "coef": self.params,
                "se": self.bse,
                "p": self.pvalues,
                "stars": [stars(p) for p in self.pvalues],
            }
        )


def fit_logit(y: np.ndarray, design: pd.DataFrame) -> LogitFit:
    """Maximum-likelihood logistic regression (Newton) of ties ``y`` on ``design``."""
    model = sm.Logit(np.asarray(y, dtype=float), design)
    # scale columns for a well-conditioned Newton solve, then scale back
    scale = design.abs().max().replace(0.0, 1.0)
    scaled = sm.Logit(np.asarray(y, dtype=float), design / scale)
    result = scaled.fit(method="newton", maxiter=100, tol=1e-12, disp=0)
    params = result.params / scale
    bse = result.bse / scale
    k = design.shape[1]
    llf = float(model.loglike(params.to_numpy()))
    nobs = len(y)
    return LogitFit(
        params=params,
        bse=bse,
        pvalues=result.pvalues,
        aic=-2 * llf + 2 * k,
        bic=-2 * llf + k * np.log(nobs),
        nobs=nobs,
    )


def fit_models(
    cities: pd.DataFrame, edge_covariates: dict[str, np.ndarray], adjacency: np.ndarray, level: str
) -> dict[int, LogitFit]:
    """Fit the paper's Models 1, 2 and 3 of ``level`` to a binary adjacency matrix."""
    n = len(cities)
    y = np.asarray(adjacency)[~np.eye(n, dtype=bool)]
    return {
        m: fit_logit(y, dyad_design(cities, edge_covariates, terms))
        for m, terms in MODEL_TERMS[level].items()
    }


def comparison_table(fits: dict[int, LogitFit], level: str) -> pd.DataFrame:
    """Re-fitted vs published, one row per (model, term) plus one AIC row per model.

    Columns: model, term, paper_label, published, published_stars, refit, se, refit_stars,
    gap_in_se (distance from the published rounding interval, in standard errors),
    within_2se, stars_match.
    """
    pub = PUBLISHED_TABLES[level]
    rows = []
    for m, fit in fits.items():
        part = pub[pub["model"] == m].set_index("term")
        for term in part.index:
            published = float(part.loc[term, "coef"])
            refit = float(fit.params[term])
            se = float(fit.bse[term])
            gap = max(0.0, abs(refit - published) - ROUNDING) / se
            refit_stars = stars(float(fit.pvalues[term]))
            rows.append(
                {
                    "model": m,
                    "term": term,
                    "paper_label": PAPER_LABELS[term],
                    "published": published,
                    "published_stars": part.loc[term, "stars"],
                    "refit": refit,
                    "se": se,
                    "refit_stars": refit_stars,
                    "gap_in_se": gap,
                    "within_2se": bool(gap <= 2.0) or (level, term) in VALUE_EXEMPT,
                    "stars_match": refit_stars == part.loc[term, "stars"],
                    "same_sign": bool(np.sign(refit) == np.sign(published)) or published == 0.0,
                }
            )
    return pd.DataFrame(rows)


def fit_statistics(fits: dict[int, LogitFit], level: str) -> pd.DataFrame:
    """AIC and BIC of the re-fits next to the published ones, with the relative AIC gap."""
    pub = published_fit(level)
    out = pd.DataFrame(
        {
            "published_AIC": pub["AIC"],
            "refit_AIC": pd.Series({m: f.aic for m, f in fits.items()}),
            "published_BIC": pub["BIC"],
            "refit_BIC": pd.Series({m: f.bic for m, f in fits.items()}),
        }
    )
    out["AIC_rel_gap"] = (out["refit_AIC"] - out["published_AIC"]).abs() / out["published_AIC"]
    out.index.name = "model"
    return out


def calibration_checks(fits: dict[int, LogitFit], level: str) -> dict[str, bool]:
    """Every criterion of the calibration as a named boolean (all True when calibrated)."""
    table = comparison_table(fits, level)
    stats = fit_statistics(fits, level)

    def order(col):
        return list(stats[col].sort_values().index)

    return {
        "coefficients within 2 SE": bool(table["within_2se"].all()),
        "same stars": bool(table["stars_match"].all()),
        "same signs": bool(table["same_sign"].all()),
        "AIC within 3%": bool((stats["AIC_rel_gap"] <= 0.03).all()),
        "same AIC ordering": order("refit_AIC") == order("published_AIC"),
        "same BIC ordering": order("refit_BIC") == order("published_BIC"),
    }


def search_network_seed(cities: pd.DataFrame, level: str, *, start: int = 0, stop: int = 500):
    """First network seed in ``range(start, stop)`` whose draw meets every criterion.

    This is how ``NETWORK_SEED`` in :mod:`medkit.data.synth` was chosen. Choosing among draws
    is a form of selection: the shipped network is a typical draw of Model 3 *conditioned on*
    reproducing the paper's fits (see datasets/README.md).
    """
    from medkit.data.synth import draw_network, edge_covariate_arrays

    edges = edge_covariate_arrays(cities, level)
    for seed in range(start, stop):
        adjacency = draw_network(cities, level, seed=seed)
        fits = fit_models(cities, edges, adjacency, level)
        if all(calibration_checks(fits, level).values()):
            return seed
    return None
