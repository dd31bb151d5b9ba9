"""Gravity (spatial-interaction) models of origin-destination flows, as Poisson regressions.

Wilson's family of spatial-interaction models, fitted by maximum likelihood as Poisson
regressions of the flow ``T_ij`` on every ordered pair ``i != j`` (zeros included)::

    unconstrained         log mu_ij = k + a log O_i + b log D_j + g log d_ij + x_ij beta
    origin-constrained    log mu_ij = alpha_i   + b log D_j + g log d_ij + x_ij beta
    destination-constr.   log mu_ij = delta_j   + a log O_i + g log d_ij + x_ij beta
    doubly constrained    log mu_ij = alpha_i + delta_j     + g log d_ij + x_ij beta

``O_i`` / ``D_j`` are masses (e.g. population), ``d_ij`` the distance, ``x_ij`` destination
attributes (``HTH``, ``PCF``...) and pair covariates (``GeoProx``, ``CulProx``). The fixed
effects ``alpha_i`` make the model reproduce each origin's total outflow exactly, ``delta_j``
each destination's inflow (the Poisson score equations), which is what "constrained" means.

Why not PySAL's ``spint``: it adds libpysal and a sparse-matrix stack to the kit for four models
that are a few lines over statsmodels (already a dependency), and its releases have lagged
behind current numpy/scipy. With ``engine="statsmodels"`` the fit is a
:class:`statsmodels.genmod.generalized_linear_model.GLM` on an explicit design (fixed effects as
dummy columns); ``engine="newton"`` solves the same likelihood with the fixed-effect blocks kept
in closed form (memory ``O(n^2 k)`` instead of ``O(n^3)``), which is what the 288-city national
flows need. ``engine="auto"`` picks statsmodels when the dense design is small. Both agree to
1e-6 (tests).

Standard errors default to quasi-Poisson (``dispersion="pearson"``: Pearson chi-square over the
residual degrees of freedom, statsmodels' ``scale="X2"``), because mover counts are
over-dispersed and plain Poisson standard errors would be far too small.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats as _st

from medkit.errors import DataError

CONSTRAINTS = ("unconstrained", "origin", "destination", "doubly")
_ALIASES = {
    "unconstrained": "unconstrained",
    "none": "unconstrained",
    "origin": "origin",
    "production": "origin",
    "origin-constrained": "origin",
    "destination": "destination",
    "attraction": "destination",
    "destination-constrained": "destination",
    "doubly": "doubly",
    "double": "doubly",
    "doubly-constrained": "doubly",
}
_DENSE_LIMIT = 500_000  # cells of the dense design below which engine="auto" uses statsmodels


# --------------------------------------------------------------------------- fit measures
def srmse(observed, predicted) -> float:
    """Standardised root mean square error: RMSE divided by the mean observed flow.

    Examples
    --------
    >>> srmse([1, 3], [1, 3])
    0.0
    >>> round(srmse([2, 2], [1, 3]), 3)
    0.5
    """
    y = np.asarray(observed, dtype=float).ravel()
    mu = np.asarray(predicted, dtype=float).ravel()
    return float(np.sqrt(np.mean((y - mu) ** 2)) / np.mean(y))


def sorensen_similarity(observed, predicted) -> float:
    """Sorensen similarity index: mean over pairs of ``2 min(T, T') / (T + T')`` (1 = perfect).

    Pairs where both the observed and the predicted flow are zero count as perfect matches.

    Examples
    --------
    >>> sorensen_similarity([1, 3], [1, 3])
    1.0
    >>> sorensen_similarity([2, 0], [2, 2])
    0.5
    """
    y = np.asarray(observed, dtype=float).ravel()
    mu = np.asarray(predicted, dtype=float).ravel()
    total = y + mu
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(total > 0, 2 * np.minimum(y, mu) / total, 1.0)
    return float(np.mean(ratio))


def poisson_deviance(observed, predicted) -> float:
    """Poisson deviance ``2 sum [y log(y / mu) - (y - mu)]`` (``0 log 0 = 0``).

    Examples
    --------
    >>> poisson_deviance([1, 2], [1, 2])
    0.0
    """
    y = np.asarray(observed, dtype=float).ravel()
    mu = np.asarray(predicted, dtype=float).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        term = np.where(y > 0, y * np.log(y / mu), 0.0)
    return float(2 * np.sum(term - (y - mu)))


# --------------------------------------------------------------------------- results
@dataclass
class GravityResults:
    """A fitted gravity model.

    Attributes
    ----------
    params, bse, tvalues, pvalues : pandas.Series
        Coefficients other than the fixed effects, their standard errors (quasi-Poisson by
        default), z values and p-values.
    fixed_effects : pandas.DataFrame
        ``origin`` and ``destination`` fixed effects (NaN where the model has none).
    flows : pandas.DataFrame
        Every ordered pair: ``origin``, ``destination``, observed ``count``, ``predicted``.
    deviance, null_deviance, llf, aic, bic, srmse, sorensen, dispersion : float
    """

    constraint: str
    params: pd.Series
    cov: pd.DataFrame
    fixed_effects: pd.DataFrame
    flows: pd.DataFrame
    llf: float
    dispersion: float
    dispersion_method: str
    n_params_total: int
    engine: str
    iterations: int
    converged: bool
    notes: list[str] = field(default_factory=list)

    @property
    def nobs(self) -> int:
        return int(len(self.flows))

    @property
    def bse(self) -> pd.Series:
        return pd.Series(np.sqrt(np.clip(np.diag(self.cov.to_numpy()), 0, None)), self.params.index)

    @property
    def tvalues(self) -> pd.Series:
        return self.params / self.bse

    @property
    def pvalues(self) -> pd.Series:
        return pd.Series(2 * _st.norm.sf(np.abs(self.tvalues.to_numpy())), self.params.index)

    @property
    def predicted(self) -> pd.Series:
        return self.flows.set_index(["origin", "destination"])["predicted"]

    @property
    def deviance(self) -> float:
        return poisson_deviance(self.flows["count"], self.flows["predicted"])

    @property
    def null_deviance(self) -> float:
        y = self.flows["count"].to_numpy(float)
        return poisson_deviance(y, np.full_like(y, y.mean()))

    @property
    def pseudo_r2(self) -> float:
        """Share of the null deviance explained (``1 - deviance / null deviance``)."""
        return float(1 - self.deviance / self.null_deviance)

    @property
    def aic(self) -> float:
        return float(-2 * self.llf + 2 * self.n_params_total)

    @property
    def bic(self) -> float:
        return float(-2 * self.llf + np.log(self.nobs) * self.n_params_total)

    @property
    def srmse(self) -> float:
        return srmse(self.flows["count"], self.flows["predicted"])

    @property
    def sorensen(self) -> float:
        return sorensen_similarity(self.flows["count"], self.flows["predicted"])

    def fit_measures(self) -> pd.Series:
        """Deviance, pseudo R-squared, SRMSE, Sorensen similarity, AIC, BIC, dispersion."""
        return pd.Series(
            {
                "deviance": self.deviance,
                "null deviance": self.null_deviance,
                "pseudo R2": self.pseudo_r2,
                "SRMSE": self.srmse,
                "Sorensen": self.sorensen,
                "AIC": self.aic,
                "BIC": self.bic,
                "dispersion": self.dispersion,
            },
            name=self.constraint,
        )

    def to_frame(self) -> pd.DataFrame:
        from medkit.ergm.results import stars

        return pd.DataFrame(
            {
                "Estimate": self.params,
                "Std. Error": self.bse,
                "z value": self.tvalues,
                "Pr(>|z|)": self.pvalues,
                "": [stars(p) for p in self.pvalues],
            }
        )

    def summary(self) -> GravitySummary:
        """A statsmodels-like summary (text, and HTML in notebooks)."""
        return GravitySummary(self)

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()

    def __repr__(self) -> str:
        return f"<GravityResults {self.constraint}: {', '.join(self.params.index)}>"


class GravitySummary:
    """Printable summary of a :class:`GravityResults`."""

    def __init__(self, results: GravityResults):
        self.results = results

    def _lines(self) -> tuple[list[str], list[str]]:
        r = self.results
        fe = {
            "unconstrained": "none",
            "origin": "origin",
            "destination": "destination",
            "doubly": "origin and destination",
        }[r.constraint]
        se = (
            f"quasi-Poisson (dispersion {r.dispersion:.3g}, Pearson)"
            if r.dispersion_method == "pearson"
            else "Poisson (dispersion 1)"
        )
        head = [
            f"Gravity model ({r.constraint}), Poisson regression of flows",
            f"Pairs: {r.nobs}; fixed effects: {fe}; standard errors: {se}",
        ]
        m = r.fit_measures()
        foot = [
            f"Deviance: {m['deviance']:.1f} (null {m['null deviance']:.1f}); "
            f"pseudo R2 {m['pseudo R2']:.3f}",
            f"SRMSE: {m['SRMSE']:.3f}  Sorensen: {m['Sorensen']:.3f}  "
            f"AIC: {m['AIC']:.1f}  BIC: {m['BIC']:.1f}",
        ]
        foot += [f"Note: {n}" for n in r.notes]
        return head, foot

    def __str__(self) -> str:
        head, foot = self._lines()
        f = self.results.to_frame()
        table = pd.DataFrame(
            {
                "Estimate": f["Estimate"].map(lambda v: f"{v:.4g}"),
                "Std. Error": f["Std. Error"].map(lambda v: f"{v:.4g}"),
                "z value": f["z value"].map(lambda v: f"{v:.3f}"),
                "Pr(>|z|)": f["Pr(>|z|)"].map(lambda v: "<1e-04" if v < 1e-4 else f"{v:.4f}"),
                "": f[""],
            }
        )
        return "\n".join(head + ["", table.to_string(), ""] + foot)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        import html

        head, foot = self._lines()
        table = self.results.to_frame().to_html(float_format=lambda v: f"{v:.4g}")
        return (
            f"<div><p>{'<br>'.join(html.escape(x) for x in head)}</p>{table}"
            f"<p>{'<br>'.join(html.escape(x) for x in foot)}</p></div>"
        )


# --------------------------------------------------------------------------- inputs
def flow_matrix(flows: pd.DataFrame, nodes) -> np.ndarray:
    """Counts as an ``n x n`` float matrix in ``nodes`` order, checked (zeros where absent).

    Raises
    ------
    DataError
        Missing columns, unknown codes, negative, fractional or missing counts, self-flows.

    Examples
    --------
    >>> f = pd.DataFrame({"origin": [1], "destination": [2], "count": [4]})
    >>> flow_matrix(f, [1, 2]).tolist()
    [[0.0, 4.0], [0.0, 0.0]]
    """
    for col in ("origin", "destination", "count"):
        if col not in flows.columns:
            raise DataError(f"missing required column {col!r}", file="flows", column=col)
    nodes = list(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    # whole columns at once (a row loop over pandas is slow: every access copies the attrs)
    raw_counts = flows["count"].tolist()  # Python values, for messages that read naturally
    origins = flows["origin"].tolist()
    destinations = flows["destination"].tolist()
    counts = pd.to_numeric(flows["count"], errors="coerce").to_numpy(float)

    def where(k):
        return f"flow {origins[k]!r} -> {destinations[k]!r}"

    checks = [
        (~np.isfinite(counts), "count {raw!r} is missing or not a number", None),
        (counts < 0, "negative count {raw!r}", "count"),
        (counts != np.floor(counts), "fractional count {raw!r}", "count"),
    ]
    for bad, message, column in checks:
        with np.errstate(invalid="ignore"):
            hits = np.flatnonzero(bad & np.isfinite(counts) if column else bad)
        if hits.size:
            k = int(hits[0])
            text = f"{where(k)}: " + message.format(raw=raw_counts[k])
            raise DataError(text, row=k + 1, **({"column": column} if column else {}))
    o_idx = np.array([index.get(o, -1) for o in origins], dtype=np.int64)
    d_idx = np.array([index.get(d, -1) for d in destinations], dtype=np.int64)
    unknown = np.flatnonzero((o_idx < 0) | (d_idx < 0))
    if unknown.size:
        k = int(unknown[0])
        bad = origins[k] if o_idx[k] < 0 else destinations[k]
        raise DataError(f"unknown city code {bad!r} (not among the nodes)", row=k + 1)
    loops = np.flatnonzero(o_idx == d_idx)
    if loops.size:
        k = int(loops[0])
        raise DataError(
            f"self-flow {origins[k]!r} -> {destinations[k]!r}: gravity models use i != j",
            row=k + 1,
        )
    mat = np.zeros((len(nodes), len(nodes)))
    np.add.at(mat, (o_idx, d_idx), counts)
    return mat


def _node_column(cities: pd.DataFrame, name: str, log: bool) -> np.ndarray:
    if name not in cities.columns:
        raise DataError(f"cities table has no column {name!r}", column=name)
    values = pd.to_numeric(cities[name], errors="coerce").to_numpy(float)
    bad = ~np.isfinite(values)
    if bad.any():
        raise DataError(
            f"column {name!r} is missing or not numeric for city {cities.index[bad][0]!r}",
            column=name,
        )
    if log:
        if (values <= 0).any():
            raise DataError(
                f"column {name!r} must be positive to take its log (city "
                f"{cities.index[values <= 0][0]!r})",
                column=name,
            )
        values = np.log(values)
    return values


def _pair_matrix(source, nodes, name: str) -> np.ndarray:
    n = len(nodes)
    if hasattr(source, "loc") and hasattr(source, "index"):
        try:
            mat = source.loc[nodes, nodes].to_numpy(dtype=float)
        except KeyError as exc:
            raise DataError(
                f"pair covariate {name!r}: its index and columns must hold the city codes"
            ) from exc
    else:
        mat = np.asarray(source, dtype=float)
    if mat.shape != (n, n):
        raise DataError(f"pair covariate {name!r} has shape {mat.shape}, expected ({n}, {n})")
    off = ~np.eye(n, dtype=bool)
    if not np.all(np.isfinite(mat[off])):
        raise DataError(f"pair covariate {name!r} has missing or infinite values")
    return mat


# --------------------------------------------------------------------------- fitting
def gravity_model(
    flows: pd.DataFrame,
    cities: pd.DataFrame,
    *,
    constraint: str = "unconstrained",
    origin_mass: str | None = "pop_2020",
    destination_mass: str | None = "pop_2020",
    destination_covariates=(),
    pair_covariates: dict | None = None,
    distance="great_circle",
    dispersion: str = "pearson",
    engine: str = "auto",
    tol: float = 1e-10,
    maxiter: int = 100,
) -> GravityResults:
    """Fit a gravity model of flows by Poisson maximum likelihood.

    Parameters
    ----------
    flows : pandas.DataFrame
        Columns ``origin``, ``destination``, ``count`` (pairs with no row have count 0).
    cities : pandas.DataFrame
        Indexed by city code (the nodes, in this order), with the mass and covariate columns
        and ``lon``/``lat`` for great-circle distances.
    constraint : {"unconstrained", "origin", "destination", "doubly"}
        Which margins the model reproduces through fixed effects.
    origin_mass, destination_mass : str or None
        Columns whose log enters as mass (ignored where a fixed effect absorbs it).
    destination_covariates : sequence of str
        Destination attributes entering linearly (as ``nodeicov`` does in an ERGM), named
        ``dest.<column>``; not allowed with destination fixed effects, which absorb them.
    pair_covariates : dict, optional
        ``name -> n x n matrix`` (DataFrame indexed by codes, or ndarray in node order).
    distance : "great_circle", None or n x n matrix
        Enters as ``log_distance``.
    dispersion : {"pearson", "poisson"}
        Quasi-Poisson standard errors (default) or plain Poisson ones.
    engine : {"auto", "statsmodels", "newton"}

    Returns
    -------
    GravityResults

    Examples
    --------
    >>> from medkit import data
    >>> res = gravity_model(data.load_flows("zhejiang"), data.load_cities("zhejiang"),
    ...                     constraint="doubly")
    >>> round(float(res.params["log_distance"]), 3) < 0
    True
    """
    key = str(constraint).strip().lower()
    if key not in _ALIASES:
        raise ValueError(f"constraint must be one of {CONSTRAINTS}, not {constraint!r}")
    constraint = _ALIASES[key]
    if dispersion not in ("pearson", "poisson"):
        raise ValueError(f"dispersion must be 'pearson' or 'poisson', not {dispersion!r}")
    if engine not in ("auto", "statsmodels", "newton"):
        raise ValueError(f"engine must be 'auto', 'statsmodels' or 'newton', not {engine!r}")
    nodes = list(cities.index)
    n = len(nodes)
    if n < 3:
        raise DataError(f"{n} cities: a gravity model needs at least 3")
    y = flow_matrix(flows, nodes)
    row_fe = constraint in ("origin", "doubly")
    col_fe = constraint in ("destination", "doubly")
    dest_covs = list(destination_covariates or ())
    if col_fe and dest_covs:
        raise ValueError(
            f"destination covariates {dest_covs} are absorbed by the destination fixed effects "
            f"of a {constraint}-constrained model; use constraint='origin' or 'unconstrained'"
        )
    names: list[str] = []
    columns: list[np.ndarray] = []
    ones = np.ones((n, n))
    if not row_fe and not col_fe:
        names.append("const")
        columns.append(ones)
    if origin_mass is not None and not row_fe:
        names.append(f"log_{origin_mass}_origin")
        columns.append(_node_column(cities, origin_mass, True)[:, None] * ones)
    if destination_mass is not None and not col_fe:
        names.append(f"log_{destination_mass}_destination")
        columns.append(_node_column(cities, destination_mass, True)[None, :] * ones)
    for col in dest_covs:
        names.append(f"dest.{col}")
        columns.append(_node_column(cities, col, False)[None, :] * ones)
    if distance is not None:
        if isinstance(distance, str):
            if distance != "great_circle":
                raise ValueError(
                    f"distance must be 'great_circle', None or a matrix, not {distance!r}"
                )
            from medkit.data.geography import great_circle_km

            dist = great_circle_km(
                _node_column(cities, "lon", False), _node_column(cities, "lat", False)
            )
        else:
            dist = _pair_matrix(distance, nodes, "distance")
        off = ~np.eye(n, dtype=bool)
        if (dist[off] <= 0).any():
            raise DataError("distances between different cities must be positive")
        with np.errstate(divide="ignore"):
            names.append("log_distance")
            columns.append(np.where(off, np.log(np.where(off, dist, 1.0)), 0.0))
    for name, source in (pair_covariates or {}).items():
        names.append(str(name))
        columns.append(_pair_matrix(source, nodes, str(name)))
    X = np.stack(columns, axis=-1) if columns else np.zeros((n, n, 0))
    rows, cols = np.nonzero(~np.eye(n, dtype=bool))
    if row_fe:
        empty = y.sum(axis=1) == 0
        if empty.any():
            raise DataError(
                f"city {nodes[int(np.flatnonzero(empty)[0])]!r} sends no flow: its origin fixed "
                "effect is minus infinity; drop it or use an unconstrained model"
            )
    if col_fe:
        empty = y.sum(axis=0) == 0
        if empty.any():
            raise DataError(
                f"city {nodes[int(np.flatnonzero(empty)[0])]!r} receives no flow: its destination "
                "fixed effect is minus infinity; drop it or use an unconstrained model"
            )
    n_fe = (n if row_fe else 0) + (n if col_fe else 0) - (1 if row_fe and col_fe else 0)
    k = len(names)
    if engine == "auto":
        engine = "statsmodels" if rows.size * (k + n_fe) <= _DENSE_LIMIT else "newton"
    if engine == "statsmodels":
        theta, cov_all, mu, iters, converged = _fit_statsmodels(y, X, rows, cols, row_fe, col_fe)
    else:
        theta, cov_all, mu, iters, converged = _fit_newton(y, X, row_fe, col_fe, tol, maxiter)
    yv = y[rows, cols]
    muv = mu[rows, cols]
    p_total = k + n_fe
    if dispersion == "pearson":
        scale = float(np.sum((yv - muv) ** 2 / muv) / (yv.size - p_total))
    else:
        scale = 1.0
    beta = theta[:k]
    cov = cov_all[:k, :k] * scale
    llf = float(np.sum(_st.poisson.logpmf(yv, muv)))
    fe = pd.DataFrame(
        np.nan, index=pd.Index(nodes, name=cities.index.name), columns=["origin", "destination"]
    )
    pos = k
    if row_fe:
        fe["origin"] = theta[pos : pos + n]
        pos += n
    if col_fe:
        fe["destination"] = np.concatenate([[0.0], theta[pos:]]) if row_fe else theta[pos : pos + n]
    table = pd.DataFrame(
        {
            "origin": np.asarray(nodes)[rows],
            "destination": np.asarray(nodes)[cols],
            "count": yv.astype(np.int64),
            "predicted": muv,
        }
    )
    notes = []
    if not converged:
        notes.append(f"the fit did NOT converge in {maxiter} iterations")
    return GravityResults(
        constraint=constraint,
        params=pd.Series(beta, names),
        cov=pd.DataFrame(cov, names, names),
        fixed_effects=fe,
        flows=table,
        llf=llf,
        dispersion=scale,
        dispersion_method=dispersion,
        n_params_total=p_total,
        engine=engine,
        iterations=iters,
        converged=converged,
        notes=notes,
    )


def _dense_design(X, rows, cols, n, row_fe, col_fe) -> np.ndarray:
    parts = [X[rows, cols]]
    if row_fe:
        parts.append(np.eye(n)[rows])
    if col_fe:
        d = np.eye(n)[cols]
        parts.append(d[:, 1:] if row_fe else d)
    return np.concatenate(parts, axis=1)


def _fit_statsmodels(y, X, rows, cols, row_fe, col_fe):
    import statsmodels.api as sm

    n = y.shape[0]
    design = _dense_design(X, rows, cols, n, row_fe, col_fe)
    model = sm.GLM(y[rows, cols], design, family=sm.families.Poisson())
    res = model.fit(tol=1e-12, maxiter=200)
    mu = np.zeros_like(y)
    mu[rows, cols] = res.fittedvalues
    return (
        np.asarray(res.params),
        np.asarray(res.cov_params()),
        mu,
        int(getattr(res, "fit_history", {}).get("iteration", 0)),
        bool(getattr(res, "converged", True)),
    )


def _fit_newton(y, X, row_fe, col_fe, tol, maxiter):
    """Poisson MLE by Newton-Raphson with the fixed-effect blocks of the Hessian in closed form."""
    n = y.shape[0]
    k = X.shape[-1]
    off = ~np.eye(n, dtype=bool)
    n_row = n if row_fe else 0
    n_col = (n - 1 if row_fe else n) if col_fe else 0
    col_start = 1 if (row_fe and col_fe) else 0
    p = k + n_row + n_col
    theta = np.zeros(p)
    # start: fixed effects at log margins, intercept at the log mean flow
    mean_flow = max(y[off].mean(), 1e-12)
    if row_fe:
        theta[k : k + n] = np.log(np.maximum(y.sum(axis=1), 1e-12) / (n - 1))
    if col_fe:
        share = np.maximum(y.sum(axis=0), 1e-12) / max(y.sum(), 1e-12)
        logs = np.log(share * n)
        theta[k + n_row :] = (logs - logs[0])[col_start:] if row_fe else logs
    if not row_fe and not col_fe and k:
        # first column is the constant
        theta[0] = np.log(mean_flow)

    def eta_of(t):
        eta = X @ t[:k] if k else np.zeros((n, n))
        if row_fe:
            eta = eta + t[k : k + n][:, None]
        if col_fe:
            b = t[k + n_row :]
            if row_fe:
                b = np.concatenate([[0.0], b])
            eta = eta + b[None, :]
        return eta

    def loglik(t):
        eta = eta_of(t)
        mu = np.where(off, np.exp(np.clip(eta, -700, 700)), 0.0)
        return float(np.sum(np.where(off, y * eta, 0.0)) - mu.sum()), mu

    ll, mu = loglik(theta)
    converged = False
    it = 0
    while it < maxiter:
        it += 1
        resid = y - mu
        grad, H = _score_info(resid, mu, X, row_fe, col_fe, col_start)
        try:
            step = np.linalg.solve(H, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(H, grad, rcond=None)[0]
        t = 1.0
        while True:
            new = theta + t * step
            ll_new, mu_new = loglik(new)
            if ll_new >= ll - 1e-12 * abs(ll) or t < 1e-8:
                break
            t /= 2
        theta, gain = new, ll_new - ll
        ll, mu = ll_new, mu_new
        if abs(gain) <= tol * (1 + abs(ll)) and np.max(np.abs(t * step)) < 1e-7:
            converged = True
            break
    _, H = _score_info(y - mu, mu, X, row_fe, col_fe, col_start)
    cov = np.linalg.inv(H)
    return theta, cov, mu, it, converged


def _score_info(resid, mu, X, row_fe, col_fe, col_start):
    n = mu.shape[0]
    k = X.shape[-1]
    blocks_g = [np.einsum("ij,ijk->k", resid, X)]
    Xmu = X * mu[..., None]
    parts = {"b": np.einsum("ijk,ijl->kl", Xmu, X)}
    names = ["b"]
    if row_fe:
        blocks_g.append(resid.sum(axis=1))
        parts["r"] = np.diag(mu.sum(axis=1))
        parts["b,r"] = Xmu.sum(axis=1).T  # k x n
        names.append("r")
    if col_fe:
        blocks_g.append(resid.sum(axis=0)[col_start:])
        parts["c"] = np.diag(mu.sum(axis=0))[col_start:, col_start:]
        parts["b,c"] = Xmu.sum(axis=0).T[:, col_start:]
        if row_fe:
            parts["r,c"] = mu[:, col_start:]
        names.append("c")
    sizes = {"b": k, "r": n, "c": n - col_start}
    p = sum(sizes[s] for s in names)
    H = np.zeros((p, p))
    offs = {}
    pos = 0
    for s in names:
        offs[s] = pos
        pos += sizes[s]
    for s in names:
        H[offs[s] : offs[s] + sizes[s], offs[s] : offs[s] + sizes[s]] = parts[s]
    for a, b in (("b", "r"), ("b", "c"), ("r", "c")):
        key = f"{a},{b}"
        if key in parts:
            blk = parts[key]
            H[offs[a] : offs[a] + sizes[a], offs[b] : offs[b] + sizes[b]] = blk
            H[offs[b] : offs[b] + sizes[b], offs[a] : offs[a] + sizes[a]] = blk.T
    return np.concatenate(blocks_g), H
