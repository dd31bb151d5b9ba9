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

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from math import comb, exp

import numpy as np

from medkit.ergm.formula import Term
from medkit.errors import FormulaError, ParameterError

MAX_DECAY = 100.0
"""Largest decay of the geometrically weighted terms (``exp(decay)`` must stay finite)."""


def _is_number(x) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _missing(value) -> bool:
    if value is None or type(value).__name__ == "NAType":  # None, pandas.NA
        return True
    try:
        return bool(value != value)  # NaN
    except (TypeError, ValueError):
        return False


def _nodes_text(nodes: list) -> str:
    shown = ", ".join(repr(v) for v in nodes[:5])
    more = f" and {len(nodes) - 5} more" if len(nodes) > 5 else ""
    return f"{shown}{more}"


def _plain_order(nodes: list) -> bool:
    """True when the graph's nodes are 0, 1, ..., n-1 in this order (an array is unambiguous)."""
    return all(isinstance(v, int | np.integer) and int(v) == k for k, v in enumerate(nodes))


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
            self.error(
                f"{term.name}() needs an attribute name, e.g. {term.name}('wealth'), got {name!r}",
                term,
            )
        values = []
        lacking = []
        for v in self.nodes:
            data = self.graph.nodes[v]
            if name not in data:
                lacking.append(v)
            else:
                values.append(data[name])
        if lacking:
            known = sorted({k for _, d in self.graph.nodes(data=True) for k in d}, key=str)
            close = difflib.get_close_matches(name, [str(k) for k in known], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; node attributes: {known}"[:300]
            self.error(
                f"{term.name}(): node(s) {_nodes_text(lacking)} have no attribute {name!r}{hint}",
                term,
            )
        missing = [v for v, x in zip(self.nodes, values, strict=True) if _missing(x)]
        if missing:
            self.error(
                f"{term.name}(): attribute {name!r} has missing values (None/NaN) on node(s) "
                f"{_nodes_text(missing)}; fill them or drop those nodes",
                term,
            )
        if not numeric:
            return np.asarray(values, dtype=object)
        bad = [v for v, x in zip(self.nodes, values, strict=True)
               if not isinstance(x, int | float | np.number | np.bool_)]  # fmt: skip
        if bad:
            example = self.graph.nodes[bad[0]][name]
            self.error(
                f"{term.name}(): attribute {name!r} must be numeric, but node {bad[0]!r} has "
                f"{example!r}; use nodefactor/nodematch for categories",
                term,
            )
        arr = np.asarray(values, dtype=float)
        if not np.all(np.isfinite(arr)):
            inf = [v for v, x in zip(self.nodes, arr, strict=True) if not np.isfinite(x)]
            self.error(
                f"{term.name}(): attribute {name!r} is infinite on node(s) {_nodes_text(inf)}",
                term,
            )
        return arr

    def edge_covariate(self, name: str, term: Term) -> np.ndarray:
        if not isinstance(name, str):
            self.error(
                f"edgecov() needs the covariate's name, e.g. edgecov('GeoProx'), got {name!r}",
                term,
            )
        n = self.n
        if name in self.edge_covariates:
            source = self.edge_covariates[name]
            if hasattr(source, "loc") and hasattr(source, "index"):  # pandas DataFrame
                try:
                    frame = source.loc[self.nodes, self.nodes]
                except KeyError:
                    absent = [v for v in self.nodes if v not in source.index]
                    self.error(
                        f"edgecov({name!r}): the DataFrame's index and columns must hold the "
                        f"graph's node labels; missing label(s) {_nodes_text(absent)}",
                        term,
                    )
                try:
                    mat = frame.to_numpy(dtype=float)
                except (TypeError, ValueError):
                    self.error(f"edgecov({name!r}): every entry must be a number", term)
            else:
                if not _plain_order(self.nodes):
                    raise ParameterError(
                        f"edge_covariates[{name!r}]",
                        f"an unlabelled {type(source).__name__}",
                        "a pandas DataFrame indexed (rows and columns) by node labels, because "
                        "the graph's nodes are not 0..n-1 in order and an array's rows could "
                        "be matched to the wrong nodes",
                        "label it: pd.DataFrame(matrix, index=order, columns=order) with "
                        "order the node list of its rows (graph order: list(graph))",
                    )
                try:
                    mat = np.asarray(source, dtype=float)
                except (TypeError, ValueError):
                    self.error(
                        f"edgecov({name!r}): the matrix must be an n x n array of numbers", term
                    )
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
            i, j = (int(k) for k in np.argwhere(~np.isfinite(mat))[0])
            self.error(
                f"edgecov({name!r}): matrix has missing or infinite values, first at "
                f"({i}, {j}) = nodes ({self.nodes[i]!r}, {self.nodes[j]!r})",
                term,
            )
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
        ctx.error(
            f"{term.name}() takes at most {nargs_max} positional argument(s), got {len(term.args)}",
            term,
        )
    for key in term.kwargs:
        if key not in allowed:
            hint = f"; its arguments are {', '.join(allowed)}" if allowed else ""
            ctx.error(f"{term.name}() has no argument {key!r}{hint}", term)


def _arg(ctx, term, position, name, default=None, required=False):
    if len(term.args) > position:
        if name in term.kwargs:
            ctx.error(f"{term.name}(): argument {name!r} given twice (by position and name)", term)
        return term.args[position]
    if name in term.kwargs:
        return term.kwargs[name]
    if required:
        ctx.error(f"{term.name}() needs the argument {name!r}", term)
    return default


def _bool_arg(ctx, term, position, name, default):
    value = _arg(ctx, term, position, name, default)
    if not isinstance(value, bool):
        ctx.error(f"{term.name}(): {name}= must be TRUE or FALSE, got {value!r}", term)
    return value


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
        ctx.error(
            f"{term.name}(): levels={levels_arg} is out of range: there are {len(levels_all)} "
            "levels",
            term,
        )
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
            base = term.kwargs["base"]
            if not (isinstance(base, int) and not isinstance(base, bool)) or not (
                0 <= base <= len(levels_all)
            ):
                ctx.error(
                    f"{term.name}(): base={base!r} must be a whole number from 0 (keep every "
                    f"level) to {len(levels_all)} (the number of levels of {attr!r})",
                    term,
                )
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
    diff = _bool_arg(ctx, term, 1, "diff", False)
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
    power = _arg(ctx, term, 1, "pow", 1.0)
    if not _is_number(power) or not math.isfinite(power) or power <= 0:
        ctx.error(f"{term.name}(): pow= must be a finite number > 0, got {power!r}", term)
    power = float(power)
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
        top = max(ctx.n - 1, 1)
        for k in ks:
            if not (isinstance(k, int) and not isinstance(k, bool)) or not 1 <= k <= top:
                ctx.error(
                    f"{which}(): k={k!r} must be a whole number from 1 to {top} (the number of "
                    f"nodes minus one; a {k!r}-star cannot exist in {ctx.n} nodes)"
                    if isinstance(k, int) and not isinstance(k, bool) and k > top
                    else f"{which}(): k={k!r} must be a whole number from 1 to {top}",
                    term,
                )
        if len(set(ks)) != len(ks):
            ctx.error(f"{which}(): an order appears twice in k={ks}", term)
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
    if "alpha" in term.kwargs and ("decay" in term.kwargs or term.args):
        ctx.error(f"{term.name}(): give the decay once (decay= or alpha=, not both)", term)
    decay = _arg(ctx, term, 0, "decay", term.kwargs.get("alpha"), required=True)
    if len(term.args) > 1 or "fixed" in term.kwargs:
        fixed = _arg(ctx, term, 1, "fixed")
    else:
        ctx.error(
            f"{term.name}({decay!r}) without fixed= is statnet's curved term (fixed=FALSE is "
            "statnet's default), which medkit does not implement; write "
            f"{term.name}({decay!r}, fixed=TRUE) for the fixed-decay term",
            term,
        )
    if not _is_number(decay) or not math.isfinite(decay) or not 0 <= decay <= MAX_DECAY:
        ctx.error(
            f"{term.name}(): decay={decay!r} must be a finite number from 0 to {MAX_DECAY:g}",
            term,
        )
    if fixed is not True:
        ctx.error(
            f"{term.name}(): fixed={fixed!r}: only fixed=TRUE / fixed=True (a fixed decay) is "
            "supported; "
            "curved (fixed=FALSE) terms are not implemented",
            term,
        )
    if "cutoff" in term.kwargs:
        ctx.error(
            f"{term.name}(): cutoff= only applies to statnet's curved (fixed=FALSE) terms, "
            "which medkit does not implement; with fixed=TRUE every count is used: remove cutoff=",
            term,
        )
    typ = term.kwargs.get("type", "OTP")
    if ctx.directed and typ != "OTP":
        ctx.error(
            f"{term.name}(): type={typ!r}: only type='OTP' (statnet's default) is supported", term
        )
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
        close = difflib.get_close_matches(term.name, list(TERMS), n=1, cutoff=0.6)
        if close:
            hint = f"did you mean {close[0]!r}?"
        else:
            hint = "see medkit.ergm.terms for the terms medkit knows"
        ctx.error(f"unknown term {term.name!r}; {hint}", term)
    return builder(ctx, term)
