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
    with np.errstate(over="ignore"):
        odds = np.exp(params)  # inf for a coefficient per tiny unit (e.g. inverse distances)
    table = pd.DataFrame(
        {
            "coef": params,
            "std_err": bse,
            "p_value": pvalues,
            "stars": [significance_stars(p) for p in pvalues],
            "odds_ratio": odds,
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


# --------------------------------------------------------------------------- paper-style tables
def _paper_term(coef_name: str) -> str:
    """``nodeicov.HTH`` -> ``HTH``; ``edges`` and dependence terms unchanged."""
    match = _TERM.match(coef_name)
    return match.group(2) if match else coef_name


def _paper_label(coef_name: str) -> str:
    from medkit.data.published import PAPER_LABELS

    return PAPER_LABELS.get(_paper_term(coef_name), coef_name)


def paper_table(fits, level: str, *, names=None) -> pd.DataFrame:
    """Reproduced fits in the layout of Tables 3-4: ``coef***`` cells, AIC, BIC and N rows.

    Parameters
    ----------
    fits : list of fitted models (``params``, ``pvalues``, ``aic``, ``bic``, ``model.n``)
    level : {"national", "zhejiang"}
        Orders the rows as the published table of that level; extra terms come last.
    names : list of str, optional
        Column names, default ``Model 1``, ``Model 2``, ...

    Returns
    -------
    pandas.DataFrame
        Rows labelled as in the paper (``Nodeicov.HTH``), ``–`` where a model lacks a term.

    Examples
    --------
    >>> class Fit:
    ...     params = pd.Series({"edges": -3.6741, "nodeicov.HTH": 0.0513})
    ...     pvalues = pd.Series({"edges": 0.0, "nodeicov.HTH": 1e-5})
    ...     aic, bic = 4304.29, 4352.9
    ...     class model:
    ...         n = 88
    >>> paper_table([Fit()], "zhejiang").loc["Nodeicov.HTH", "Model 1"]
    '0.0513***'
    """
    from medkit.data.published import PUBLISHED_TABLES

    fits = list(fits)
    names = names or [f"Model {k + 1}" for k in range(len(fits))]
    order = list(dict.fromkeys(PUBLISHED_TABLES[level]["term"]))
    rows: list[str] = []
    for f in fits:
        for c in f.params.index:
            if c not in rows:
                rows.append(c)
    rank = {t: i for i, t in enumerate(order)}
    rows.sort(key=lambda c: rank.get(_paper_term(c), len(order)))
    out = pd.DataFrame(index=[_paper_label(c) for c in rows] + ["AIC", "BIC", "N (sample size)"])
    for name, f in zip(names, fits, strict=True):
        col = [
            f"{f.params[c]:.4f}{significance_stars(f.pvalues[c])}" if c in f.params.index else "–"
            for c in rows
        ]
        col += [f"{f.aic:.4f}", f"{f.bic:.4f}", str(f.model.n)]
        out[name] = col
    return out


def side_by_side(fits, level: str) -> pd.DataFrame:
    """Published and reproduced tables interleaved: columns (Model m, published/reproduced).

    ``fits`` are Models 1, 2, 3 of the level in order.

    Examples
    --------
    >>> class Fit:
    ...     params = pd.Series({"edges": -3.6, "nodeicov.PCF": 0.004})
    ...     pvalues = pd.Series({"edges": 0.0, "nodeicov.PCF": 0.3})
    ...     aic, bic = 4400.0, 4430.0
    ...     class model:
    ...         n = 88
    >>> table = side_by_side([Fit(), Fit(), Fit()], "zhejiang")
    >>> table.loc["Nodeicov.PCF", ("Model 1", "published")]
    '0.0006'
    """
    from medkit.data.published import published_table

    published = published_table(level)
    reproduced = paper_table(fits, level)
    index = list(dict.fromkeys(list(published.index[:-3]) + list(reproduced.index)))
    index = [i for i in index if i not in ("AIC", "BIC", "N (sample size)")]
    index += ["AIC", "BIC", "N (sample size)"]
    cols = {}
    for m in published.columns:
        cols[(m, "published")] = published[m].reindex(index).fillna("–")
        cols[(m, "reproduced")] = reproduced[m].reindex(index).fillna("–")
    table = pd.DataFrame(cols, index=index)
    table.columns = pd.MultiIndex.from_tuples(table.columns)
    return table


def reproduction_check(fits, level: str) -> pd.DataFrame:
    """Each published coefficient against the reproduced one, in standard errors.

    ``gap_se`` is the distance from the published *rounding interval* (a printed 0.0000 means
    anything in [-0.00005, 0.00005]) to the reproduced value, in reproduced standard errors.

    Examples
    --------
    >>> class Fit:
    ...     params = pd.Series({"edges": -3.7, "nodeicov.PCF": 0.004})
    ...     bse = pd.Series({"edges": 0.1, "nodeicov.PCF": 0.0035})
    ...     pvalues = pd.Series({"edges": 0.0, "nodeicov.PCF": 0.25})
    >>> reproduction_check([Fit()], "zhejiang").loc[0, "gap_se"].round(2)
    np.float64(1.3)
    """
    from medkit.data.published import PUBLISHED_TABLES, ROUNDING

    pub = PUBLISHED_TABLES[level]
    records = []
    for m, f in enumerate(fits, start=1):
        part = pub[pub["model"] == m]
        for _, row in part.iterrows():
            coef = next((c for c in f.params.index if _paper_term(c) == row["term"]), None)
            if coef is None:
                continue
            value, se = float(f.params[coef]), float(f.bse[coef])
            stars = significance_stars(float(f.pvalues[coef]))
            records.append(
                {
                    "model": m,
                    "term": row["paper_label"],
                    "published": row["coef"],
                    "published_stars": row["stars"],
                    "reproduced": value,
                    "std_err": se,
                    "reproduced_stars": stars,
                    "gap_se": max(0.0, abs(value - row["coef"]) - ROUNDING) / se,
                    "same_stars": stars == row["stars"],
                }
            )
    return pd.DataFrame.from_records(records)


def hypothesis_h1(fit, *, alpha: float = 0.05) -> pd.DataFrame:
    """Tests of H1a (primary care facilities do not attract) and H1b (high-tier hospitals do).

    H1a is supported when ``nodeicov.PCF`` is not significantly positive; H1b when
    ``nodeicov.HTH`` is positive with p < ``alpha``.

    Examples
    --------
    >>> class Fit:
    ...     params = pd.Series({"nodeicov.PCF": 0.0001, "nodeicov.HTH": 0.0122})
    ...     pvalues = pd.Series({"nodeicov.PCF": 0.7, "nodeicov.HTH": 1e-9})
    >>> hypothesis_h1(Fit())["supported"].tolist()
    [True, True]
    """
    rows = []
    for hyp, term, claim in (
        ("H1a", "nodeicov.PCF", "more primary care facilities do not attract movers"),
        ("H1b", "nodeicov.HTH", "more high-tier hospitals attract movers"),
    ):
        coef, p = float(fit.params[term]), float(fit.pvalues[term])
        significant_positive = coef > 0 and p < alpha
        rows.append(
            {
                "hypothesis": hyp,
                "claim": claim,
                "term": term,
                "coef": coef,
                "p_value": p,
                "stars": significance_stars(p),
                "supported": (not significant_positive) if hyp == "H1a" else significant_positive,
            }
        )
    return pd.DataFrame.from_records(rows).set_index("hypothesis")


def survival_table(base, dependent, *, alpha: float = 0.05) -> pd.DataFrame:
    """Which conclusions of a dyad-independent fit survive adding dependence terms.

    A conclusion *survives* when the coefficient keeps its sign and stays significant (or
    stays non-significant) at ``alpha`` in the fit with dependence terms.

    Examples
    --------
    >>> class A:
    ...     params = pd.Series({"edges": -5.0, "nodeicov.HTH": 0.013})
    ...     pvalues = pd.Series({"edges": 0.0, "nodeicov.HTH": 1e-9})
    >>> class B:
    ...     params = pd.Series({"edges": -5.1, "nodeicov.HTH": 0.012, "mutual": 0.1})
    ...     pvalues = pd.Series({"edges": 0.0, "nodeicov.HTH": 1e-8, "mutual": 0.4})
    >>> survival_table(A(), B())["survives"].tolist()
    [True, True, None]
    """
    rows = []
    for c in dict.fromkeys([*base.params.index, *dependent.params.index]):
        in_base, in_dep = c in base.params.index, c in dependent.params.index
        b = float(base.params[c]) if in_base else math.nan
        d = float(dependent.params[c]) if in_dep else math.nan
        pb = float(base.pvalues[c]) if in_base else math.nan
        pd_ = float(dependent.pvalues[c]) if in_dep else math.nan
        survives = None
        if in_base and in_dep:
            sig_b, sig_d = pb < alpha, pd_ < alpha
            survives = bool(sig_b == sig_d and (not sig_b or np.sign(b) == np.sign(d)))
        rows.append(
            {
                "term": c,
                "coef_without": b,
                "stars_without": significance_stars(pb) if in_base else "",
                "coef_with": d,
                "stars_with": significance_stars(pd_) if in_dep else "",
                "survives": survives,
            }
        )
    return pd.DataFrame.from_records(rows).set_index("term")


def printed_coefficient_check(fit, term: str, printed: float) -> pd.Series:
    """What a printed coefficient would mean given the standard error the data support.

    Returns the fitted value and SE, the z and p the *printed* value would have with that SE,
    the stars it could carry, and the smallest absolute coefficient that earns two stars.

    Examples
    --------
    >>> class Fit:
    ...     params = pd.Series({"nodeicov.UR": -0.0026})
    ...     bse = pd.Series({"nodeicov.UR": 0.00107})
    >>> printed_coefficient_check(Fit(), "nodeicov.UR", -0.0001)["stars_possible"]
    ''
    """
    from scipy.stats import norm

    se = float(pd.Series(fit.bse)[term])
    z = printed / se
    p = float(2 * norm.sf(abs(z)))
    return pd.Series(
        {
            "printed": printed,
            "fitted": float(pd.Series(fit.params)[term]),
            "std_err": se,
            "z_of_printed": z,
            "p_of_printed": p,
            "stars_possible": significance_stars(p),
            "smallest_for_two_stars": float(norm.isf(0.005) * se),
        }
    )


def formula_from_terms(terms, *, edge_covariates=("GeoProx", "CulProx"), gwesp_decay=0.5) -> str:
    """A statnet formula from short term names, as the paper names them.

    ``edges`` and ``mutual`` stay; ``gwesp`` becomes ``gwesp(decay, fixed=True)``; names in
    ``edge_covariates`` become ``edgecov('X')``; every other name ``nodeicov('X')``. ``edges``
    is always included first.

    Examples
    --------
    >>> formula_from_terms(["HTH", "GeoProx", "mutual"])
    "edges + nodeicov('HTH') + edgecov('GeoProx') + mutual"
    """
    parts = ["edges"]
    for t in terms:
        if t == "edges":
            continue
        if t == "mutual":
            parts.append("mutual")
        elif t == "gwesp":
            parts.append(f"gwesp({gwesp_decay}, fixed=True)")
        elif t in edge_covariates:
            parts.append(f"edgecov('{t}')")
        else:
            parts.append(f"nodeicov('{t}')")
    return " + ".join(parts)


def refit_summary(graph, terms, *, edge_covariates=None, node_covariates=None):
    """Fit a model of the chosen terms quickly and summarise it (the plain function of the widget).

    Dyad-independent models are fitted by exact MLE (logistic regression), dependent ones by
    MPLE (fast, standard errors too small; the table says so).

    Returns
    -------
    fit : ERGMResults
    table : pandas.DataFrame
        :func:`effect_sizes` columns ``coef``, ``stars``, ``odds_ratio``, ``odds_ratio_per_sd``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.gnp_random_graph(20, 0.2, seed=2, directed=True)
    >>> for v in g:
    ...     g.nodes[v]["HTH"] = float(v)
    >>> fit, table = refit_summary(g, ["HTH"])
    >>> table.index.tolist(), fit.method
    (['edges', 'nodeicov.HTH'], 'MLE')
    """
    formula = formula_from_terms(terms)
    from medkit import ergm

    fit = ergm.fit(graph, formula, edge_covariates=edge_covariates, method="MPLE")
    table = effect_sizes(fit, node_covariates, edge_covariates)
    return fit, table[["coef", "stars", "odds_ratio", "odds_ratio_per_sd"]]
