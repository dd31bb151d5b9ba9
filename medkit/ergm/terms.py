"""ERGM terms with statnet's statistics and coefficient names.

Each term of a formula is bound to a network (a :class:`NetworkContext`) and becomes a
:class:`BoundTerm` with

- ``coef_names``: statnet's names (``nodeicov.HTH``, ``gwesp.OTP.fixed.0.5``, ...);
- for *dyad-independent* terms, ``dyad_matrices()``: the change statistic of every ordered dyad
  (it does not depend on the rest of the network), from which both the summary statistic and the
  MPLE design matrix follow;
- for *dyad-dependent* terms, a kernel code and parameter for the compiled sampler
  (:mod:`medkit.ergm.kernels`) and a ``summary(adjacency)`` computed with numpy.

Statistics (``y`` the adjacency matrix, sums over ties ``i -> j``; undirected ties once):

=========================  ==============================================================
edges                      number of ties
mutual (directed)          number of reciprocated pairs
nodecov(a)                 sum over ties of ``a_i + a_j``
nodeicov / nodeocov(a)     sum over ties of ``a_j`` (receiver) / ``a_i`` (sender)
nodefactor(a)              per level ``l`` (first level dropped): ties' ends with ``a == l``
nodeifactor / nodeofactor  the same counting receivers / senders only
nodematch(a, diff=)        ties with ``a_i == a_j`` (per level if ``diff=True``)
absdiff(a)                 sum over ties of ``|a_i - a_j|``
edgecov(w)                 sum over ties of ``w_ij``
triangle                   triangles (directed: transitive plus cyclic triples)
kstar(k) / istar / ostar   k-stars (undirected) / in-k-stars / out-k-stars
gwesp(d, fixed=True)       ``e^d * sum_k (1 - (1 - e^-d)^k) EP_k``, EP_k ties with k shared
                           partners (directed: outgoing two-paths, statnet's OTP)
gwdsp(d, fixed=True)       the same over dyads (pairs), tied or not
gwdegree / gwidegree /     ``e^d * sum_k (1 - (1 - e^-d)^k) D_k``, D_k nodes of degree k
gwodegree (d, fixed=True)
=========================  ==============================================================
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from math import comb, exp

import numpy as np

from medkit.ergm.formula import Term
from medkit.errors import FormulaError

# kernel codes of dyad-dependent statistics (see kernels.py)
MUTUAL, TRIANGLE, KSTAR, ISTAR, OSTAR, GWESP, GWDSP, GWDEG, GWIDEG, GWODEG = range(1, 11)
NEEDS_TWOPATHS = {TRIANGLE, GWESP, GWDSP}


class NetworkContext:
    """What terms need to know about the network: nodes, direction, attributes, covariates."""

    def __init__(self, graph, edge_covariates=None, formula_text=None):
        self.graph = graph
        self.nodes = list(graph.nodes())
        self.n = len(self.nodes)
        self.directed = bool(graph.is_directed())
        self.edge_covariates = dict(edge_covariates or {})
        self.formula_text = formula_text if isinstance(formula_text, str) else None
        self.index = {v: i for i, v in enumerate(self.nodes)}

    def error(self, message: str, term: Term):
        raise FormulaError(message, formula=self.formula_text, position=term.position)

    def node_attribute(self, name: str, term: Term, numeric: bool) -> np.ndarray:
        if not isinstance(name, str):
            self.error(f"{term.name}() needs an attribute name in quotes", term)
        values = []
        for v in self.nodes:
            data = self.graph.nodes[v]
            if name not in data:
                self.error(f"{term.name}(): node {v!r} has no attribute {name!r}", term)
            values.append(data[name])
        if not numeric:
            return np.asarray(values, dtype=object)
        try:
            arr = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            self.error(f"{term.name}(): attribute {name!r} must be numeric", term)
        if not np.all(np.isfinite(arr)):
            self.error(f"{term.name}(): attribute {name!r} has missing or infinite values", term)
        return arr

    def edge_covariate(self, name: str, term: Term) -> np.ndarray:
        if not isinstance(name, str):
            self.error("edgecov() needs the covariate's name in quotes", term)
        n = self.n
        if name in self.edge_covariates:
            source = self.edge_covariates[name]
            if hasattr(source, "loc") and hasattr(source, "index"):  # pandas DataFrame
                try:
                    mat = source.loc[self.nodes, self.nodes].to_numpy(dtype=float)
                except KeyError:
                    self.error(
                        f"edgecov({name!r}): the DataFrame's index and columns must hold the "
                        "graph's node labels",
                        term,
                    )
            else:
                mat = np.asarray(source, dtype=float)
            if mat.shape != (n, n):
                self.error(
                    f"edgecov({name!r}): matrix has shape {mat.shape}, expected ({n}, {n}) "
                    "in the graph's node order",
                    term,
                )
        else:
            mat = np.zeros((n, n))
            found = False
            for u, v, data in self.graph.edges(data=True):
                if name in data:
                    found = True
                    i, j = self.index[u], self.index[v]
                    mat[i, j] = float(data[name])
                    if not self.directed:
                        mat[j, i] = mat[i, j]
            if not found:
                self.error(
                    f"edgecov({name!r}): no matrix given in edge_covariates and no edge "
                    f"attribute {name!r}",
                    term,
                )
        if not np.all(np.isfinite(mat)):
            self.error(f"edgecov({name!r}): matrix has missing or infinite values", term)
        mat = mat.copy()
        np.fill_diagonal(mat, 0.0)
        return mat


@dataclass
class BoundTerm:
    """A formula term bound to a network."""

    spec: Term
    coef_names: list[str]
    independent: bool
    dyad_matrices: Callable[[], np.ndarray] | None = None  # (k, n, n)
    kernel: list[tuple[int, float]] = field(default_factory=list)
    summary_fn: Callable[[np.ndarray], np.ndarray] | None = None
    is_mutual: bool = False

    @property
    def size(self) -> int:
        return len(self.coef_names)


def _fmt(x: float) -> str:
    return f"{x:g}"


def _levels(values: np.ndarray) -> list:
    uniq = set(values.tolist())
    try:
        return sorted(uniq)
    except TypeError:
        return sorted(uniq, key=str)


def _check_args(ctx, term, nargs_max, allowed=()):
    if len(term.args) > nargs_max:
        ctx.error(f"{term.name}() takes at most {nargs_max} positional argument(s)", term)
    for key in term.kwargs:
        if key not in allowed:
            ctx.error(f"{term.name}() has no argument {key!r}", term)


def _arg(ctx, term, position, name, default=None, required=False):
    if len(term.args) > position:
        return term.args[position]
    if name in term.kwargs:
        return term.kwargs[name]
    if required:
        ctx.error(f"{term.name}() needs the argument {name!r}", term)
    return default


def _need_directed(ctx, term, directed=True):
    if ctx.directed != directed:
        kind = "directed" if directed else "undirected"
        ctx.error(f"{term.name} is defined for {kind} networks only (as in statnet)", term)


# ----------------------------------------------------------------------------- builders
def _edges(ctx, term):
    _check_args(ctx, term, 0)
    n = ctx.n
    return BoundTerm(term, ["edges"], True, lambda: np.ones((1, n, n)))


def _mutual(ctx, term):
    _check_args(ctx, term, 0)
    _need_directed(ctx, term)
    return BoundTerm(
        term,
        ["mutual"],
        False,
        kernel=[(MUTUAL, 0.0)],
        summary_fn=lambda a: np.array([float((a * a.T).sum() / 2)]),
        is_mutual=True,
    )


def _nodecov_family(which):
    def build(ctx, term):
        _check_args(ctx, term, 1, ("attr", "attrname"))
        attr = _arg(ctx, term, 0, "attr", term.kwargs.get("attrname"), required=True)
        if which != "nodecov":
            _need_directed(ctx, term)
        x = ctx.node_attribute(attr, term, numeric=True)

        def mats():
            if which == "nodecov":
                m = x[:, None] + x[None, :]
            elif which == "nodeicov":
                m = np.broadcast_to(x[None, :], (ctx.n, ctx.n))
            else:
                m = np.broadcast_to(x[:, None], (ctx.n, ctx.n))
            return np.array(m, dtype=float)[None]

        return BoundTerm(term, [f"{which}.{attr}"], True, mats)

    return build


def _select_levels(ctx, term, levels_all, levels_arg, default_drop_first):
    if levels_arg is None:
        return levels_all[1:] if default_drop_first else levels_all
    if levels_arg is True:
        return levels_all
    if isinstance(levels_arg, int | float) and not isinstance(levels_arg, bool):
        k = int(levels_arg)
        if k < 0 and -k <= len(levels_all):
            return [lv for i, lv in enumerate(levels_all) if i != -k - 1]
        if 0 < k <= len(levels_all):
            return [levels_all[k - 1]]
        ctx.error(f"{term.name}(): levels={levels_arg} is out of range", term)
    wanted = levels_arg if isinstance(levels_arg, list) else [levels_arg]
    chosen = []
    for w in wanted:
        match = [lv for lv in levels_all if lv == w or str(lv) == str(w)]
        if not match:
            ctx.error(f"{term.name}(): level {w!r} not found among {levels_all}", term)
        chosen.append(match[0])
    return chosen


def _nodefactor_family(which):
    def build(ctx, term):
        _check_args(ctx, term, 2, ("attr", "levels", "base"))
        attr = _arg(ctx, term, 0, "attr", required=True)
        if which != "nodefactor":
            _need_directed(ctx, term)
        x = ctx.node_attribute(attr, term, numeric=False)
        levels_all = _levels(x)
        levels_arg = _arg(ctx, term, 1, "levels")
        if "base" in term.kwargs:
            base = int(term.kwargs["base"])
            levels = [lv for i, lv in enumerate(levels_all) if i != base - 1]
        else:
            levels = _select_levels(ctx, term, levels_all, levels_arg, True)
        if not levels:
            ctx.error(f"{term.name}(): attribute {attr!r} has a single level", term)

        def mats():
            out = np.empty((len(levels), ctx.n, ctx.n))
            for k, lv in enumerate(levels):
                ind = np.array([v == lv for v in x], dtype=float)
                if which == "nodefactor":
                    out[k] = ind[:, None] + ind[None, :]
                elif which == "nodeifactor":
                    out[k] = ind[None, :]
                else:
                    out[k] = ind[:, None]
            return out

        names = [f"{which}.{attr}.{lv}" for lv in levels]
        return BoundTerm(term, names, True, mats)

    return build


def _nodematch(ctx, term):
    _check_args(ctx, term, 3, ("attr", "diff", "levels", "keep"))
    attr = _arg(ctx, term, 0, "attr", required=True)
    diff = bool(_arg(ctx, term, 1, "diff", False))
    x = ctx.node_attribute(attr, term, numeric=False)
    levels_all = _levels(x)
    levels_arg = _arg(ctx, term, 2, "levels", term.kwargs.get("keep"))
    levels = _select_levels(ctx, term, levels_all, levels_arg, False)
    same = np.array([[a == b for b in x] for a in x], dtype=float)

    def mats():
        if not diff:
            if levels_arg is None:
                return same[None].copy()
            ind = np.array([v in levels for v in x], dtype=float)
            return (same * ind[:, None])[None]
        out = np.empty((len(levels), ctx.n, ctx.n))
        for k, lv in enumerate(levels):
            ind = np.array([v == lv for v in x], dtype=float)
            out[k] = same * ind[:, None]
        return out

    names = [f"nodematch.{attr}.{lv}" for lv in levels] if diff else [f"nodematch.{attr}"]
    return BoundTerm(term, names, True, mats)


def _absdiff(ctx, term):
    _check_args(ctx, term, 2, ("attr", "pow"))
    attr = _arg(ctx, term, 0, "attr", required=True)
    power = float(_arg(ctx, term, 1, "pow", 1.0))
    x = ctx.node_attribute(attr, term, numeric=True)
    name = f"absdiff.{attr}" if power == 1 else f"absdiff{_fmt(power)}.{attr}"
    return BoundTerm(term, [name], True, lambda: (np.abs(x[:, None] - x[None, :]) ** power)[None])


def _edgecov(ctx, term):
    _check_args(ctx, term, 1, ("x", "attr", "attrname"))
    name = _arg(ctx, term, 0, "x", term.kwargs.get("attr", term.kwargs.get("attrname")), True)
    mat = ctx.edge_covariate(name, term)
    if not ctx.directed:
        upper = np.triu(mat, 1)
        mat = upper + upper.T
    return BoundTerm(term, [f"edgecov.{name}"], True, lambda: mat[None].copy())


def _triangle(ctx, term):
    _check_args(ctx, term, 0)

    def summ(a):
        a = a.astype(float)
        a2 = a @ a
        if ctx.directed:
            return np.array([float((a2 * a).sum() + np.trace(a2 @ a) / 3)])
        return np.array([float(np.trace(a2 @ a) / 6)])

    return BoundTerm(term, ["triangle"], False, kernel=[(TRIANGLE, 0.0)], summary_fn=summ)


def _star_family(which):
    code = {"kstar": KSTAR, "istar": ISTAR, "ostar": OSTAR}[which]

    def build(ctx, term):
        _check_args(ctx, term, 1, ("k",))
        ks = _arg(ctx, term, 0, "k", required=True)
        ks = ks if isinstance(ks, list) else [ks]
        if not ks or not all(isinstance(k, int) and not isinstance(k, bool) and k >= 1 for k in ks):
            ctx.error(f"{which}() needs positive integer k", term)
        _need_directed(ctx, term, which != "kstar")

        def summ(a):
            deg = a.sum(axis=0) if which == "istar" else a.sum(axis=1)
            return np.array([float(sum(comb(int(d), k) for d in deg)) for k in ks])

        return BoundTerm(
            term,
            [f"{which}{k}" for k in ks],
            False,
            kernel=[(code, float(k)) for k in ks],
            summary_fn=summ,
        )

    return build


def _gw_args(ctx, term):
    _check_args(ctx, term, 2, ("decay", "fixed", "alpha", "type", "cutoff"))
    decay = _arg(ctx, term, 0, "decay", term.kwargs.get("alpha"), required=True)
    fixed = _arg(ctx, term, 1, "fixed", True)
    if not isinstance(decay, int | float) or isinstance(decay, bool) or decay < 0:
        ctx.error(f"{term.name}(): decay must be a non-negative number", term)
    if fixed is not True:
        ctx.error(
            f"{term.name}(): only fixed=True (a fixed decay) is supported; curved "
            "(fixed=False) terms are not implemented",
            term,
        )
    typ = term.kwargs.get("type", "OTP")
    if ctx.directed and typ != "OTP":
        ctx.error(f"{term.name}(): only type='OTP' (statnet's default) is supported", term)
    return float(decay)


def _gw_weight(counts: np.ndarray, decay: float) -> float:
    r = 1.0 - exp(-decay)
    return float(exp(decay) * (1.0 - r ** counts.astype(float)).sum())


def _gwesp(ctx, term):
    decay = _gw_args(ctx, term)
    otp = ".OTP" if ctx.directed else ""

    def summ(a):
        af = a.astype(float)
        tp = af @ af
        mask = a.astype(bool)
        if not ctx.directed:
            mask = np.triu(mask, 1)
        return np.array([_gw_weight(tp[mask], decay)])

    return BoundTerm(
        term,
        [f"gwesp{otp}.fixed.{_fmt(decay)}"],
        False,
        kernel=[(GWESP, decay)],
        summary_fn=summ,
    )


def _gwdsp(ctx, term):
    decay = _gw_args(ctx, term)
    otp = ".OTP" if ctx.directed else ""

    def summ(a):
        af = a.astype(float)
        tp = af @ af
        n = a.shape[0]
        mask = ~np.eye(n, dtype=bool)
        if not ctx.directed:
            mask = np.triu(mask, 1)
        return np.array([_gw_weight(tp[mask], decay)])

    return BoundTerm(
        term,
        [f"gwdsp{otp}.fixed.{_fmt(decay)}"],
        False,
        kernel=[(GWDSP, decay)],
        summary_fn=summ,
    )


def _gwdegree_family(which):
    code = {"gwdegree": GWDEG, "gwidegree": GWIDEG, "gwodegree": GWODEG}[which]
    short = {"gwdegree": "gwdeg", "gwidegree": "gwideg", "gwodegree": "gwodeg"}[which]

    def build(ctx, term):
        decay = _gw_args(ctx, term)
        _need_directed(ctx, term, which != "gwdegree")

        def summ(a):
            deg = a.sum(axis=0) if which == "gwidegree" else a.sum(axis=1)
            return np.array([_gw_weight(deg, decay)])

        return BoundTerm(
            term,
            [f"{short}.fixed.{_fmt(decay)}"],
            False,
            kernel=[(code, decay)],
            summary_fn=summ,
        )

    return build


TERMS: dict[str, Callable] = {
    "edges": _edges,
    "mutual": _mutual,
    "nodecov": _nodecov_family("nodecov"),
    "nodeicov": _nodecov_family("nodeicov"),
    "nodeocov": _nodecov_family("nodeocov"),
    "nodefactor": _nodefactor_family("nodefactor"),
    "nodeifactor": _nodefactor_family("nodeifactor"),
    "nodeofactor": _nodefactor_family("nodeofactor"),
    "nodematch": _nodematch,
    "absdiff": _absdiff,
    "edgecov": _edgecov,
    "triangle": _triangle,
    "triangles": _triangle,
    "kstar": _star_family("kstar"),
    "istar": _star_family("istar"),
    "ostar": _star_family("ostar"),
    "gwesp": _gwesp,
    "gwdsp": _gwdsp,
    "gwdegree": _gwdegree_family("gwdegree"),
    "gwidegree": _gwdegree_family("gwidegree"),
    "gwodegree": _gwdegree_family("gwodegree"),
}


def bind_term(term: Term, ctx: NetworkContext) -> BoundTerm:
    """Bind one parsed term to a network, checking its arguments."""
    builder = TERMS.get(term.name)
    if builder is None:
        known = ", ".join(sorted(TERMS))
        ctx.error(f"unknown term {term.name!r}; known terms: {known}", term)
    return builder(ctx, term)
