"""A valued ERGM bound to a count network: response checks, terms, statistics, design."""

from __future__ import annotations

import numpy as np

from medkit.ergm.formula import parse_formula
from medkit.ergm.terms import NetworkContext
from medkit.ergm.valued.terms import (
    LIN_NZ,
    LIN_SUM,
    VALUED_ONLY,
    bind_valued_term,
)
from medkit.errors import DataError, FormulaError

REFERENCES = ("Poisson",)


def check_reference(reference) -> str:
    """The reference measure's canonical name; only ``"Poisson"`` is implemented."""
    if isinstance(reference, str) and reference.strip().lower() == "poisson":
        return "Poisson"
    raise ValueError(
        f"reference={reference!r} is not implemented: only reference='Poisson' (statnet's "
        "ergm.count Poisson reference measure, for counts) is available; Geometric, Binomial "
        "and continuous references are not"
    )


def check_binary_formula(formula) -> None:
    """Refuse valued-only terms (and valued forms of ``mutual``) in a binary ERGM formula.

    Examples
    --------
    >>> check_binary_formula("edges + mutual")
    >>> try:
    ...     check_binary_formula("sum + nodeicov('HTH')")
    ... except FormulaError as err:
    ...     print(str(err).splitlines()[0])
    'sum' is a term of valued (count) ERGMs: fit the counts with response='count' (reference='Poisson')
    """
    text = formula if isinstance(formula, str) else None
    for term in parse_formula(formula):
        if (
            term.name in VALUED_ONLY
            or (term.name == "mutual" and (term.args or "form" in term.kwargs))
            or (
                "form" in term.kwargs
                and term.name in ("nodeicov", "nodeocov", "nodecov", "edgecov")
            )
        ):
            shown = term.name if term.name in VALUED_ONLY else f"{term.name}(form=...)"
            raise FormulaError(
                f"{shown!r} is a term of valued (count) ERGMs: fit the counts with "
                "response='count' (reference='Poisson')",
                formula=text,
                position=term.position,
            )


def response_matrix(graph, response, nodes) -> np.ndarray:
    """The counts as an ``int64`` matrix in node order, checked edge by edge.

    ``response`` is an edge attribute name (absent edges count 0; every edge must carry it),
    or a matrix (ndarray in node order, or DataFrame indexed by node labels).
    """
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    if isinstance(response, str):
        mat = np.zeros((n, n))
        for u, v, data in graph.edges(data=True):
            where = f"edge {u!r} -> {v!r}"
            if response not in data:
                raise DataError(
                    f"{where} has no {response!r} attribute: every edge of a valued network "
                    "needs its count (remove the edge for a zero)"
                )
            value = data[response]
            mat[index[u], index[v]] = _check_count(value, where, response)
            if u == v and value:
                raise DataError(f"{where} is a self-loop; valued ERGMs here exclude them")
        return mat.astype(np.int64)
    if hasattr(response, "loc") and hasattr(response, "index"):
        try:
            raw = response.loc[nodes, nodes].to_numpy()
        except KeyError as exc:
            raise DataError(
                "response: the DataFrame's index and columns must hold the graph's node labels"
            ) from exc
    else:
        raw = np.asarray(response)
    if raw.shape != (n, n):
        raise DataError(f"response matrix has shape {raw.shape}, expected ({n}, {n})")
    try:
        values = raw.astype(float)
    except (TypeError, ValueError) as exc:
        raise DataError("response matrix must hold numbers (counts)") from exc
    bad = ~np.isfinite(values) | (values < 0) | (values != np.floor(values))
    np.fill_diagonal(bad, False)
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        _check_count(raw[i, j], f"edge {nodes[i]!r} -> {nodes[j]!r}", "response")
    if np.any(np.diag(values)[np.isfinite(np.diag(values))] != 0):
        k = int(np.flatnonzero(np.diag(values) != 0)[0])
        raise DataError(f"self-loop {nodes[k]!r} -> {nodes[k]!r}: the diagonal must be zero")
    return values.astype(np.int64)


def _check_count(value, where: str, name: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise DataError(f"{where}: {name} {value!r} is not a number") from None
    if not np.isfinite(x):
        raise DataError(f"{where}: {name} is {value!r} (missing or infinite); counts must be known")
    if x < 0:
        raise DataError(f"{where}: negative {name} {value!r}; counts are >= 0")
    if x != np.floor(x):
        raise DataError(
            f"{where}: fractional {name} {value!r}; the Poisson reference needs whole counts"
        )
    if x > 2**31:
        raise DataError(f"{where}: {name} {value!r} is too large for a count model")
    return x


class ValuedModel:
    """A valued ERGM: a formula bound to a count network.

    Parameters
    ----------
    graph : networkx.DiGraph
        Nodes carry the attributes of ``nodeicov`` and friends.
    formula : str
        E.g. ``"sum + nonzero + mutual(form='min') + nodeicov('HTH')"``.
    response : str or matrix
        Edge attribute holding the counts, or the count matrix itself.
    edge_covariates : dict, optional
        Matrices for ``edgecov`` (as in :func:`medkit.ergm.fit`).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_weighted_edges_from([(0, 1, 3), (1, 0, 1), (1, 2, 2)], weight="count")
    >>> m = ValuedModel(g, "sum + nonzero + mutual(form='min')", "count")
    >>> m.coef_names, m.observed_stats.tolist()
    (['sum', 'nonzero', 'mutual.min'], [6.0, 3.0, 1.0])
    """

    def __init__(self, graph, formula, response="count", edge_covariates=None):
        if not graph.is_directed():
            raise DataError("valued ERGMs here are for directed networks (flows); got undirected")
        if graph.is_multigraph():
            raise DataError("a valued ERGM needs a simple DiGraph with a count per edge")
        self.graph = graph
        self.formula = formula if isinstance(formula, str) else " + ".join(t.name for t in formula)
        specs = parse_formula(formula)
        ctx = NetworkContext(graph, edge_covariates, formula)
        self.nodes = ctx.nodes
        self.n = ctx.n
        self.directed = True
        if self.n < 3:
            raise DataError(f"the network has {self.n} nodes; an ERGM needs at least 3")
        self.response_name = response if isinstance(response, str) else "response"
        self.y = response_matrix(graph, response, self.nodes)
        self.terms = [bind_valued_term(t, ctx) for t in specs]
        names, codes, params, mats = [], [], [], []
        for term in self.terms:
            for k, name in enumerate(term.coef_names):
                if name in names:
                    raise FormulaError(
                        f"statistic {name!r} appears twice",
                        formula=ctx.formula_text,
                        position=term.spec.position,
                    )
                names.append(name)
                codes.append(term.codes[k])
                params.append(term.params[k])
                mats.append(term.matrices[k])
        self.coef_names = names
        self.p = len(names)
        self.codes = np.array(codes, dtype=np.int64)
        self.params = np.array(params, dtype=np.float64)
        X = np.zeros((self.n, self.n, self.p))
        for c, mat in enumerate(mats):
            if mat is not None:
                X[:, :, c] = mat
        self.X = X
        self._observed = None

    @property
    def n_dyads(self) -> int:
        return self.n * (self.n - 1)

    @property
    def dyad_independent(self) -> bool:
        return all(t.independent for t in self.terms)

    @property
    def glm_exact(self) -> bool:
        """True when the exact (no MCMC) fit applies: only ``sum``- and ``nonzero``-type terms."""
        return bool(np.all(np.isin(self.codes, (LIN_SUM, LIN_NZ))))

    @property
    def independent_mask(self) -> np.ndarray:
        return np.isin(self.codes, (LIN_SUM, LIN_NZ))

    def summary_stats(self, y=None) -> np.ndarray:
        from medkit.ergm.valued import kernels

        y = self.y if y is None else np.ascontiguousarray(y, dtype=np.int64)
        return kernels.summary_stats(y, self.X, self.codes, self.params)

    @property
    def observed_stats(self) -> np.ndarray:
        if self._observed is None:
            self._observed = self.summary_stats()
        return self._observed.copy()

    @property
    def log_reference(self) -> float:
        """``log h(y_obs) = -sum log y_ij!`` of the Poisson reference measure."""
        from scipy.special import gammaln

        off = ~np.eye(self.n, dtype=bool)
        return float(-gammaln(self.y[off] + 1.0).sum())

    def dyad_design(self):
        """Per-pair design of the exact fit: ``(y, X_sum, X_nonzero)`` over ordered pairs."""
        rows, cols = np.nonzero(~np.eye(self.n, dtype=bool))
        return self.y[rows, cols].astype(float), self.X[rows, cols]
