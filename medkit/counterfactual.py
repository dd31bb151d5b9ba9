"""Bridge from triage to mobility: what if primary care pulled people like high-tier hospitals?

Fu & Lu's Model 3 finds that a city's high-tier hospitals (HTH) attract population inflow while
its primary care facilities (PCF) do not. Their H3 says digital triage would make primary care
trusted and useful. This module asks what the fitted mobility model implies *if* that happened:
the PCF coefficient is moved, step by step, from its fitted value to the value that makes one
standard deviation of PCF as attractive as one standard deviation of HTH,

    beta_PCF(lambda) = (1 - lambda) * beta_PCF + lambda * beta_HTH * sd(HTH) / sd(PCF),

for lambda = 0, ..., 1, and mobility networks are simulated from each model
(:func:`medkit.ergm.simulate`) to see how in-degree (inflow ties) shifts among cities.

What this counterfactual assumes (plainly)
------------------------------------------
1. **Triage acts only through the PCF coefficient.** Triage is assumed to change how much a city's
   primary care attracts movers, nothing else; every other coefficient, every covariate and the
   numbers of PCF and HTH stay as they are. The referral ABM does not supply lambda: it is a
   what-if dial, not an estimate.
2. **"As attractive per standard deviation"** is the target: a one-SD difference in PCF between
   cities pulls as much as a one-SD difference in HTH (the per-SD scale makes counts of different
   kinds comparable).
3. **Total mobility is held fixed** (``hold_density=True``, the default): the ``edges``
   coefficient is re-solved so that the expected number of ties equals the observed one, so the
   counterfactual *redistributes* inflow rather than creating new moves. ``hold_density=False``
   keeps the fitted ``edges`` coefficient (more PCF pull then also means more ties overall).
4. **The fitted model is the causal mechanism.** Model 3 is an association between city
   covariates and ties, fitted to one cross-section; reading a coefficient change as an
   intervention assumes no confounding and that the other coefficients would not move.
5. **The data are SYNTHETIC twins** of the paper's data (``medkit.data``); shifts are illustrations
   of the mechanism, not forecasts for real cities.

Fitting detail: node covariates are divided by their standard deviation before fitting (maximum
likelihood is equivariant, so raw-unit coefficients are the per-SD ones divided by the SD; this
also keeps the national model's Hessian well scaled). Model 3's terms are dyad-independent, so the
expected in-degree of city j is exactly sum_i logistic(eta_ij); simulated networks (MCMC) scatter
around it.

Examples
--------
>>> from medkit.counterfactual import fit_model3, pcf_path
>>> cf = fit_model3("zhejiang")
>>> path = pcf_path(cf, steps=3)
>>> path["lambda"].tolist()
[0.0, 0.5, 1.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
from scipy import optimize
from scipy.special import expit

from medkit import ergm
from medkit.centrality import in_degree_centrality
from medkit.data import edge_covariates, load_cities, mobility_network, model_formula

NODE_COVARIATES = ("PCF", "HTH", "GDP", "INT", "ENV", "UR", "EDU")

COUNTERFACTUAL_ASSUMPTIONS = (
    "Triage acts only through the PCF coefficient; other coefficients, covariates and hospital "
    "counts are unchanged.",
    "Target: one SD of PCF attracts as much as one SD of HTH (beta_PCF -> beta_HTH sd(HTH)/sd(PCF)).",
    "Total mobility fixed: the edges coefficient is re-solved to keep the expected number of ties.",
    "The fitted association is read as a causal mechanism (no confounding, other terms stable).",
    "The data are synthetic twins; results illustrate the mechanism, not real cities.",
)


@dataclass
class CounterfactualFit:
    """A Model-3 fit on SD-scaled node covariates, with what the counterfactual needs.

    Attributes
    ----------
    level : "national" or "zhejiang".
    fit : ERGMResults on the scaled network (coefficients per SD for node covariates).
    graph : the observed mobility network (scaled node attributes).
    cities : DataFrame of cities (raw covariates, lon/lat), in node order.
    sd : Series, standard deviation of each node covariate used.
    """

    level: str
    fit: object
    graph: nx.DiGraph
    cities: pd.DataFrame
    sd: pd.Series

    @property
    def params_per_sd(self) -> pd.Series:
        return self.fit.params

    @property
    def params_raw(self) -> pd.Series:
        """Coefficients in the paper's units (per facility, per yuan, ...)."""
        p = self.fit.params.copy()
        for v, s in self.sd.items():
            p[f"nodeicov.{v}"] = p[f"nodeicov.{v}"] / s
        return p

    def target_pcf_per_sd(self) -> float:
        """The per-SD PCF coefficient equal to the per-SD HTH one."""
        return float(self.fit.params["nodeicov.HTH"])

    def target_pcf_raw(self) -> float:
        """beta_HTH x sd(HTH) / sd(PCF), in raw units (per facility)."""
        raw = self.params_raw
        return float(raw["nodeicov.HTH"] * self.sd["HTH"] / self.sd["PCF"])


def _node_covariates(formula: str) -> list[str]:
    return [v for v in NODE_COVARIATES if f"nodeicov('{v}')" in formula]


def fit_model3(level: str, *, seed=1) -> CounterfactualFit:
    """Fit Fu & Lu's Model 3 to the (synthetic) mobility network of ``level``.

    Node covariates are scaled to unit standard deviation first (see the module docstring).

    Examples
    --------
    >>> cf = fit_model3("zhejiang")
    >>> bool(round(cf.target_pcf_raw(), 4) == round(
    ...     cf.params_raw["nodeicov.HTH"] * cf.sd["HTH"] / cf.sd["PCF"], 4))
    True
    """
    formula = model_formula(level, 3)
    covs = _node_covariates(formula)
    cities = load_cities(level)
    graph = mobility_network(level)
    sd = cities[covs].astype(float).std(ddof=1)
    scaled = graph.copy()
    for _node, data in scaled.nodes(data=True):
        for v in covs:
            data[v] = float(data[v]) / sd[v]
    ec = edge_covariates(level)
    fit = ergm.fit(scaled, formula, edge_covariates=ec, seed=seed)
    return CounterfactualFit(level, fit, scaled, cities.loc[list(graph.nodes)], sd)


def linear_predictor(cf: CounterfactualFit, coef: pd.Series) -> np.ndarray:
    """eta_ij = edges + sum_v theta_v x_v[j] + sum_e theta_e E[i, j] (NaN on the diagonal)."""
    nodes = list(cf.graph.nodes)
    n = len(nodes)
    eta = np.full((n, n), float(coef.get("edges", 0.0)))
    for name, value in coef.items():
        if name.startswith("nodeicov."):
            v = name.split(".", 1)[1]
            x = np.array([cf.graph.nodes[k][v] for k in nodes], dtype=float)
            eta += value * x[None, :]
        elif name.startswith("edgecov."):
            e = name.split(".", 1)[1]
            E = cf.graph.graph["edge_covariates"][e].loc[nodes, nodes].to_numpy(float)
            eta += value * E
    np.fill_diagonal(eta, np.nan)
    return eta


def expected_in_degree(cf: CounterfactualFit, coef: pd.Series) -> pd.Series:
    """Exact expected in-degree of every city under ``coef`` (dyad-independent model).

    Examples
    --------
    >>> cf = fit_model3("zhejiang")
    >>> e = expected_in_degree(cf, cf.fit.params)
    >>> bool(abs(e.sum() - cf.graph.number_of_edges()) < 1.0)   # MLE matches the edge count
    True
    """
    p = expit(linear_predictor(cf, coef))
    return pd.Series(np.nansum(p, axis=0), index=list(cf.graph.nodes), name="expected_in_degree")


def _solve_edges(cf, coef, target_ties):
    def gap(b0):
        c = coef.copy()
        c["edges"] = b0
        return float(np.nansum(expit(linear_predictor(cf, c)))) - target_ties

    b = float(coef["edges"])
    return optimize.brentq(gap, b - 20, b + 20, xtol=1e-10)


def pcf_path(cf: CounterfactualFit, steps: int = 5, *, hold_density: bool = True) -> pd.DataFrame:
    """Coefficients along the counterfactual path, one row per step (lambda from 0 to 1).

    Columns: lambda, pcf_per_sd, pcf_raw, edges and every other coefficient (per SD).

    Examples
    --------
    >>> cf = fit_model3("zhejiang")
    >>> path = pcf_path(cf, steps=2)
    >>> bool(abs(path["pcf_per_sd"].iloc[-1] - cf.target_pcf_per_sd()) < 1e-12)
    True
    """
    base = cf.fit.params.copy()
    start, target = float(base["nodeicov.PCF"]), cf.target_pcf_per_sd()
    ties = float(cf.graph.number_of_edges())
    rows = []
    for lam in np.linspace(0.0, 1.0, steps):
        c = base.copy()
        c["nodeicov.PCF"] = (1 - lam) * start + lam * target
        if hold_density and lam > 0:
            c["edges"] = _solve_edges(cf, c, ties)
        row = {"lambda": float(lam), "pcf_per_sd": c["nodeicov.PCF"],
               "pcf_raw": c["nodeicov.PCF"] / cf.sd["PCF"]}  # fmt: skip
        row.update(c.to_dict())
        rows.append(row)
    return pd.DataFrame(rows)


def in_degree_shift(
    cf: CounterfactualFit,
    steps: int = 5,
    *,
    n_sim: int = 2,
    hold_density: bool = True,
    burnin_sweeps: int = 10,
    seed=1,
) -> pd.DataFrame:
    """In-degree of every city at every step: exact expectation and simulated networks.

    Returns a tidy DataFrame: lambda, node, name, lon, lat, PCF, HTH (raw counts),
    expected_in_degree, simulated_in_degree (mean over ``n_sim`` networks from
    :func:`medkit.ergm.simulate`), in_degree_centrality (UCINET's n-1 normalisation, of the mean
    simulated network degree), and shift columns relative to lambda = 0 (``expected_shift``,
    ``simulated_shift``). The sampler starts from the observed network and runs
    ``burnin_sweeps`` sweeps of all dyads before the first draw and two sweeps between draws, so
    the draws reflect the counterfactual model and not the starting network.

    Examples
    --------
    >>> cf = fit_model3("zhejiang")
    >>> df = in_degree_shift(cf, steps=2, n_sim=1, seed=1)
    >>> sorted(df["lambda"].unique().tolist()), len(df) == 2 * 88
    ([0.0, 1.0], True)
    """
    path = pcf_path(cf, steps, hold_density=hold_density)
    names = list(cf.fit.params.index)
    nodes = list(cf.graph.nodes)
    n_dyads = len(nodes) * (len(nodes) - 1)
    rng = np.random.default_rng(seed)
    frames = []
    for _, row in path.iterrows():
        coef = row[names].astype(float)
        expected = expected_in_degree(cf, coef)
        sims = ergm.simulate(cf.fit, n_sim, coef=coef, burnin=burnin_sweeps * n_dyads,
                             interval=2 * n_dyads, seed=rng)  # fmt: skip
        deg = np.mean([in_degree_centrality(g, normalization="none").reindex(nodes).to_numpy()
                       for g in sims], axis=0)  # fmt: skip
        frames.append(
            pd.DataFrame(
                {
                    "lambda": row["lambda"],
                    "node": nodes,
                    "expected_in_degree": expected.to_numpy(),
                    "simulated_in_degree": deg,
                    "in_degree_centrality": deg / (len(nodes) - 1),
                }
            )
        )
    df = pd.concat(frames, ignore_index=True)
    info = cf.cities[["name_pinyin", "lon", "lat", "PCF", "HTH"]].rename(
        columns={"name_pinyin": "name"}
    )
    df = df.join(info, on="node")
    first = df[df["lambda"] == 0.0].set_index("node")
    df["expected_shift"] = df["expected_in_degree"] - df["node"].map(first["expected_in_degree"])
    df["simulated_shift"] = df["simulated_in_degree"] - df["node"].map(first["simulated_in_degree"])
    df.insert(0, "level", cf.level)
    return df


def shift_summary(shift: pd.DataFrame) -> pd.DataFrame:
    """Per step: how concentrated inflow is, and who gains.

    Columns: lambda, gini (of expected in-degree), top_hth_share (share of expected in-ties going
    to the top tenth of cities by HTH), corr_shift_pcf and corr_shift_hth (correlation of the
    expected shift with the city's PCF and HTH counts; NaN at lambda = 0).

    Examples
    --------
    >>> s = pd.DataFrame({"lambda": [0.0, 0.0], "expected_in_degree": [1.0, 3.0],
    ...     "expected_shift": [0.0, 0.0], "PCF": [1, 2], "HTH": [2, 1]})
    >>> float(shift_summary(s)["gini"].iloc[0])
    0.25
    """
    rows = []
    for lam, g in shift.groupby("lambda"):
        x = np.sort(g["expected_in_degree"].to_numpy(float))
        n = x.size
        gini = float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * x.sum()))
        top = g["HTH"] >= g["HTH"].quantile(0.9)
        s = g["expected_shift"]
        rows.append(
            {
                "lambda": lam,
                "gini": gini,
                "top_hth_share": float(g.loc[top, "expected_in_degree"].sum() / x.sum()),
                "corr_shift_pcf": float(s.corr(g["PCF"])) if s.std() > 0 else np.nan,
                "corr_shift_hth": float(s.corr(g["HTH"])) if s.std() > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows)
