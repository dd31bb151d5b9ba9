"""An ERGM specification bound to a network: terms, statistics, design matrices, sampler state."""

from __future__ import annotations

import numpy as np

from medkit.ergm.formula import parse_formula
from medkit.ergm.terms import NEEDS_TWOPATHS, NetworkContext, bind_term
from medkit.errors import DataError, FormulaError, ParameterError


def check_graph(graph) -> None:
    """Refuse anything that is not a networkx graph, naming what was given."""
    import networkx as nx

    if not isinstance(graph, nx.Graph):
        raise ParameterError(
            "graph",
            graph if graph is None or isinstance(graph, str | int | float) else type(graph),
            f"a networkx Graph or DiGraph, not {type(graph).__name__}",
            "build one with networkx (e.g. medkit.data.mobility_network('zhejiang'))",
        )


def adjacency_matrix(graph) -> np.ndarray:
    """Dense ``uint8`` adjacency matrix of a networkx graph in its node order."""
    if graph.is_multigraph():
        raise DataError("ERGMs need a simple graph, not a multigraph")
    index = {v: i for i, v in enumerate(graph.nodes())}
    n = len(index)
    adj = np.zeros((n, n), dtype=np.uint8)
    if graph.number_of_edges():
        e = np.array([(index[u], index[v]) for u, v in graph.edges()], dtype=np.int64)
        keep = e[:, 0] != e[:, 1]
        if not keep.all():
            raise DataError("the graph has self-loops; ERGMs here (as in statnet) exclude them")
        adj[e[:, 0], e[:, 1]] = 1
        if not graph.is_directed():
            adj[e[:, 1], e[:, 0]] = 1
    return adj


class Model:
    """An ERGM: a formula bound to a network.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        The observed network; node attributes feed ``nodecov`` and friends.
    formula : str or list of Term
        A statnet-style formula, e.g. ``"edges + mutual + nodeicov('HTH')"``.
    edge_covariates : dict, optional
        ``name -> matrix`` (ndarray in node order, or DataFrame indexed by node labels) for
        ``edgecov(name)``; otherwise the edge attribute ``name`` is used.

    Examples
    --------
    >>> import networkx as nx
    >>> m = Model(nx.path_graph(4), "edges + kstar(2)")
    >>> m.coef_names, m.observed_stats.tolist()
    (['edges', 'kstar2'], [3.0, 2.0])
    """

    def __init__(self, graph, formula, edge_covariates=None):
        check_graph(graph)
        if edge_covariates is not None and not isinstance(edge_covariates, dict):
            raise ParameterError(
                "edge_covariates",
                edge_covariates,
                "a dict {name: matrix}",
                "e.g. edge_covariates={'GeoProx': geo}",
            )
        self._init_args = (graph, formula, edge_covariates)
        specs = parse_formula(formula)
        self.graph = graph
        self.formula = formula if isinstance(formula, str) else " + ".join(t.name for t in specs)
        ctx = NetworkContext(graph, edge_covariates, formula)
        self.nodes = ctx.nodes
        self.n = ctx.n
        self.directed = ctx.directed
        if self.n < 3:
            raise DataError(f"the network has {self.n} nodes; an ERGM needs at least 3")
        n_dyads = self.n * (self.n - 1) if self.directed else self.n * (self.n - 1) // 2
        if len(specs) > n_dyads:
            raise FormulaError(
                f"the formula has {len(specs)} terms but the network has only {n_dyads} dyads: "
                "a model needs fewer statistics than dyads; drop terms",
                formula=ctx.formula_text,
                position=specs[n_dyads].position,
            )
        self.terms = [bind_term(t, ctx) for t in specs]
        n_stats = sum(t.size for t in self.terms)
        if n_stats > n_dyads:
            raise FormulaError(
                f"the model has {n_stats} statistics but the network has only {n_dyads} dyads: "
                "its estimates are not identified; drop terms",
                formula=ctx.formula_text,
            )
        names: list[str] = []
        for term in self.terms:
            for name in term.coef_names:
                if name in names:
                    raise FormulaError(
                        f"statistic {name!r} appears twice",
                        formula=ctx.formula_text,
                        position=term.spec.position,
                    )
                names.append(name)
        self.coef_names = names
        self.p = len(names)
        self.adjacency = adjacency_matrix(graph)
        indep_cols, dep_cols, codes, params = [], [], [], []
        col = 0
        for term in self.terms:
            if term.independent:
                indep_cols.extend(range(col, col + term.size))
            else:
                for code, param in term.kernel:
                    dep_cols.append(col)
                    codes.append(code)
                    params.append(param)
                    col += 1
                continue
            col += term.size
        self.indep_cols = np.array(indep_cols, dtype=np.int64)
        self.dep_cols = np.array(dep_cols, dtype=np.int64)
        self.codes = np.array(codes, dtype=np.int64)
        self.params = np.array(params, dtype=np.float64)
        self.use_twopath = any(c in NEEDS_TWOPATHS for c in codes)
        self._indep = None
        self._observed = None

    def __reduce__(self):
        """Pickle as the arguments that built it (bound terms hold closures), for workers."""
        return (type(self), self._init_args)

    # ------------------------------------------------------------------ properties
    @property
    def dyad_independent(self) -> bool:
        """True when every term is dyad-independent (MPLE is then the exact MLE)."""
        return all(t.independent for t in self.terms)

    @property
    def mutual_only(self) -> bool:
        """True when ``mutual`` is the only source of dyad dependence."""
        dep = [t for t in self.terms if not t.independent]
        return bool(dep) and all(t.is_mutual for t in dep)

    @property
    def factorises_over_dyads(self) -> bool:
        """True when the likelihood is a product over dyads (dyad-independent) or over pairs
        (directed, ``mutual`` the only dependence): exact MLE, log-likelihood and sampling."""
        return self.dyad_independent or (self.directed and self.mutual_only)

    @property
    def n_dyads(self) -> int:
        return self.n * (self.n - 1) if self.directed else self.n * (self.n - 1) // 2

    @property
    def indep_array(self) -> np.ndarray:
        """Change statistics of the dyad-independent terms, shape ``(n, n, q)``."""
        if self._indep is None:
            mats = [t.dyad_matrices() for t in self.terms if t.independent]
            if mats:
                stack = np.concatenate(mats, axis=0)
                self._indep = np.ascontiguousarray(np.moveaxis(stack, 0, -1), dtype=np.float64)
            else:
                self._indep = np.zeros((self.n, self.n, 0))
        return self._indep

    @property
    def observed_stats(self) -> np.ndarray:
        if self._observed is None:
            self._observed = self.summary_stats(self.adjacency)
        return self._observed.copy()

    def dyads(self) -> tuple[np.ndarray, np.ndarray]:
        """Row and column indices of every dyad (ordered pairs, or ``i < j`` if undirected)."""
        if self.directed:
            rows, cols = np.nonzero(~np.eye(self.n, dtype=bool))
        else:
            rows, cols = np.triu_indices(self.n, 1)
        return rows.astype(np.int64), cols.astype(np.int64)

    # ------------------------------------------------------------------ statistics
    def summary_stats(self, adjacency: np.ndarray | None = None) -> np.ndarray:
        """The model's statistics of a network given by its adjacency matrix."""
        adj = self.adjacency if adjacency is None else np.asarray(adjacency)
        out = np.empty(self.p)
        if self.indep_cols.size:
            mask = adj.astype(bool)
            if not self.directed:
                mask = np.triu(mask, 1)
            out[self.indep_cols] = self.indep_array[mask].sum(axis=0)
        col = 0
        for term in self.terms:
            if not term.independent:
                out[col : col + term.size] = term.summary_fn(adj)
            col += term.size
        return out

    def change_matrix(self) -> tuple[np.ndarray, np.ndarray]:
        """MPLE design: change statistics of every dyad and whether it is a tie.

        Returns
        -------
        X : ndarray, shape (n_dyads, p)
        y : ndarray of 0/1, shape (n_dyads,)
        """
        rows, cols = self.dyads()
        y = self.adjacency[rows, cols].astype(np.float64)
        if self.dyad_independent:
            return self.indep_array[rows, cols], y
        state = ChainState(self)
        from medkit.ergm import kernels

        X = kernels.dyad_change_matrix(
            rows,
            cols,
            state.adj,
            state.outdeg,
            state.indeg,
            state.twopath,
            self.directed,
            self.indep_array,
            self.indep_cols,
            self.codes,
            self.params,
            self.dep_cols,
        )
        return X, y


class ChainState:
    """Mutable network state for the compiled sampler (a copy of a start network)."""

    def __init__(self, model: Model, adjacency: np.ndarray | None = None):
        adj = model.adjacency if adjacency is None else adjacency
        self.adj = np.ascontiguousarray(adj, dtype=np.uint8).copy()
        self.directed = model.directed
        n = model.n
        self.outdeg = self.adj.sum(axis=1).astype(np.int64)
        self.indeg = self.adj.sum(axis=0).astype(np.int64)
        if model.use_twopath:
            a = self.adj.astype(np.int64)
            self.twopath = a @ a
        else:
            self.twopath = np.zeros((1, 1), dtype=np.int64)
        cap = model.n_dyads
        self.etail = np.zeros(cap, dtype=np.int32)
        self.ehead = np.zeros(cap, dtype=np.int32)
        self.epos = -np.ones((n, n), dtype=np.int32)
        if self.directed:
            rows, cols = np.nonzero(self.adj)
        else:
            rows, cols = np.nonzero(np.triu(self.adj, 1))
        m = rows.size
        self.etail[:m] = rows
        self.ehead[:m] = cols
        self.epos[rows, cols] = np.arange(m)
        self.nedges = np.array([m], dtype=np.int64)
        from medkit.ergm.kernels import adjacency_bits

        self.bits = adjacency_bits(self.adj, self.directed)
        self.stats = model.summary_stats(self.adj)
