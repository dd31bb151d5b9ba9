"""Valued (count) ERGM terms with the statistics and coefficient names of statnet's ``ergm.count``.

``y`` is the matrix of counts (directed, no self-loops); sums run over ordered pairs ``i != j``
and, for the mutual forms, over unordered pairs ``i < j``:

==================================  ============================================  =====================
term                                statistic                                     coefficient name
==================================  ============================================  =====================
sum                                 sum of ``y_ij``                               ``sum``
nonzero (alias: edges)              pairs with ``y_ij > 0``                       ``nonzero``
atleast(t)                          pairs with ``y_ij >= t``                      ``atleast.t``
nodeicov(a, form="sum")             sum of ``y_ij a_j`` (receiver)                ``nodeicov.sum.a``
nodeocov(a, form="sum")             sum of ``y_ij a_i`` (sender)                  ``nodeocov.sum.a``
nodecov(a, form="sum")              sum of ``y_ij (a_i + a_j)``                   ``nodecov.sum.a``
edgecov(w, form="sum")              sum of ``y_ij w_ij``                          ``edgecov.sum.w``
  ... form="nonzero"                the same with ``1[y_ij > 0]`` for ``y_ij``    ``....nonzero.a``
mutual(form="min")                  sum over pairs of ``min(y_ij, y_ji)``         ``mutual.min``
mutual(form="nabsdiff")             minus sum over pairs of ``|y_ij - y_ji|``     ``mutual.nabsdiff``
mutual(form="product")              sum over pairs of ``y_ij y_ji``               ``mutual.product``
mutual(form="geometric")            sum over pairs of ``sqrt(y_ij y_ji)``         ``mutual.geom.mean``
transitiveweights(twopath="min",    ``sum_ij affect(y_ij, combine_k twopath(      ``transitiveweights.
  combine="max", affect="min")      y_ik, y_kj))``, ``k != i, j``                 min.max.min``
==================================  ============================================  =====================

``twopath`` and ``affect`` take ``"min"`` or ``"geomean"`` (square root of the product),
``combine`` takes ``"max"`` or ``"sum"``, as in statnet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from medkit.ergm.formula import Term
from medkit.ergm.terms import NetworkContext
from medkit.errors import FormulaError

# kernel codes (see kernels.py)
LIN_SUM, LIN_NZ, ATLEAST, MUT_MIN, MUT_NABSDIFF, MUT_PRODUCT, MUT_GEOM, TRANSW = range(8)
DEPENDENT = {MUT_MIN, MUT_NABSDIFF, MUT_PRODUCT, MUT_GEOM, TRANSW}

VALUED_TERMS = (
    "sum",
    "nonzero",
    "edges",
    "atleast",
    "nodeicov",
    "nodeocov",
    "nodecov",
    "edgecov",
    "mutual",
    "transitiveweights",
)
"""Term names a valued (count) fit understands."""

VALUED_ONLY = (
    "sum",
    "nonzero",
    "atleast",
    "transitiveweights",
    "greaterthan",
    "equalto",
    "ininterval",
    "mutualweights",
    "cyclicalweights",
    "nodesqrtcovar",
)
"""Term names that exist only for valued networks in statnet (refused by a binary fit)."""


@dataclass
class ValuedTerm:
    """A valued term bound to a network: its names, kernel codes and dyad covariates."""

    spec: Term
    coef_names: list[str]
    codes: list[int]
    params: list[float]
    matrices: list[np.ndarray | None]  # per statistic: (n, n) covariate for LIN_* codes

    @property
    def size(self) -> int:
        return len(self.coef_names)

    @property
    def independent(self) -> bool:
        return not any(c in DEPENDENT for c in self.codes)


def _check_args(ctx, term, nargs_max, allowed=()):
    if len(term.args) > nargs_max:
        ctx.error(f"{term.name}() takes at most {nargs_max} positional argument(s)", term)
    for key in term.kwargs:
        if key not in allowed:
            ctx.error(f"{term.name}() has no argument {key!r} in a valued model", term)


def _arg(term, position, name, default=None):
    if len(term.args) > position:
        return term.args[position]
    return term.kwargs.get(name, default)


def _form(ctx, term, position, allowed, default):
    form = _arg(term, position, "form", default)
    if form not in allowed:
        ctx.error(
            f"{term.name}(form={form!r}): form must be one of {', '.join(map(repr, allowed))}",
            term,
        )
    return form


def bind_valued_term(spec: Term, ctx: NetworkContext) -> ValuedTerm:
    """Bind one parsed term of a valued formula to a network (directed)."""
    n = ctx.n
    name = spec.name
    ones = np.ones((n, n))
    np.fill_diagonal(ones, 0.0)
    if name == "sum":
        _check_args(ctx, spec, 0, ("pow",))
        if _arg(spec, 0, "pow", 1) != 1:
            ctx.error("sum(pow=...) other than 1 is not implemented", spec)
        return ValuedTerm(spec, ["sum"], [LIN_SUM], [0.0], [ones])
    if name in ("nonzero", "edges"):
        _check_args(ctx, spec, 0)
        return ValuedTerm(spec, ["nonzero"], [LIN_NZ], [0.0], [ones])
    if name == "atleast":
        _check_args(ctx, spec, 1, ("threshold",))
        t = _arg(spec, 0, "threshold", 0)
        if isinstance(t, bool) or not isinstance(t, int | float) or t != int(t) or t < 1:
            ctx.error(f"atleast(threshold={t!r}): the threshold must be a whole number >= 1", spec)
        return ValuedTerm(spec, [f"atleast.{int(t)}"], [ATLEAST], [float(int(t))], [None])
    if name in ("nodeicov", "nodeocov", "nodecov"):
        _check_args(ctx, spec, 2, ("attr", "attrname", "form"))
        attr = _arg(spec, 0, "attr", spec.kwargs.get("attrname"))
        form = _form(ctx, spec, 1, ("sum", "nonzero"), "sum")
        a = ctx.node_attribute(attr, spec, numeric=True)
        if name == "nodeicov":
            mat = np.broadcast_to(a[None, :], (n, n)).copy()
        elif name == "nodeocov":
            mat = np.broadcast_to(a[:, None], (n, n)).copy()
        else:
            mat = a[:, None] + a[None, :]
        np.fill_diagonal(mat, 0.0)
        code = LIN_SUM if form == "sum" else LIN_NZ
        return ValuedTerm(spec, [f"{name}.{form}.{attr}"], [code], [0.0], [mat])
    if name == "edgecov":
        _check_args(ctx, spec, 2, ("x", "attr", "form"))
        attr = _arg(spec, 0, "x", spec.kwargs.get("attr"))
        form = _form(ctx, spec, 1, ("sum", "nonzero"), "sum")
        mat = ctx.edge_covariate(attr, spec)
        code = LIN_SUM if form == "sum" else LIN_NZ
        return ValuedTerm(spec, [f"edgecov.{form}.{attr}"], [code], [0.0], [mat])
    if name == "mutual":
        _check_args(ctx, spec, 1, ("form",))
        form = _form(ctx, spec, 0, ("min", "nabsdiff", "product", "geometric"), "min")
        code = {
            "min": MUT_MIN,
            "nabsdiff": MUT_NABSDIFF,
            "product": MUT_PRODUCT,
            "geometric": MUT_GEOM,
        }[form]
        label = "geom.mean" if form == "geometric" else form
        return ValuedTerm(spec, [f"mutual.{label}"], [code], [0.0], [None])
    if name == "transitiveweights":
        _check_args(ctx, spec, 3, ("twopath", "combine", "affect"))
        twopath = _arg(spec, 0, "twopath", "min")
        combine = _arg(spec, 1, "combine", "max")
        affect = _arg(spec, 2, "affect", "min")
        for label, value, allowed in (
            ("twopath", twopath, ("min", "geomean")),
            ("combine", combine, ("max", "sum")),
            ("affect", affect, ("min", "geomean")),
        ):
            if value not in allowed:
                ctx.error(
                    f"transitiveweights({label}={value!r}): must be one of "
                    f"{', '.join(map(repr, allowed))}",
                    spec,
                )
        flags = 4 * (twopath == "geomean") + 2 * (combine == "sum") + (affect == "geomean")
        return ValuedTerm(
            spec,
            [f"transitiveweights.{twopath}.{combine}.{affect}"],
            [TRANSW],
            [float(flags)],
            [None],
        )
    raise FormulaError(
        f"term {name!r} has no valued (count) form here; valued terms are "
        f"{', '.join(VALUED_TERMS)}",
        formula=ctx.formula_text,
        position=spec.position,
    )


# ----------------------------------------------------------------------------- reference stats
def _twopath(a, b, geo):
    return np.sqrt(a * b) if geo else np.minimum(a, b)


def transitiveweights_stat(y: np.ndarray, flags: int) -> float:
    """``sum_ij affect(y_ij, combine_k twopath(y_ik, y_kj))`` with numpy (a reference)."""
    y = np.asarray(y, dtype=float)
    n = y.shape[0]
    tp_geo, comb_sum, aff_geo = bool(flags & 4), bool(flags & 2), bool(flags & 1)
    total = 0.0
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            ks = [k for k in range(n) if k != i and k != j]
            paths = _twopath(y[i, ks], y[ks, j], tp_geo)
            comb = paths.sum() if comb_sum else (paths.max() if len(ks) else 0.0)
            total += float(_twopath(y[i, j], comb, aff_geo))
    return total


def summary_statistic(code: int, param: float, mat, y: np.ndarray) -> float:
    """One valued statistic of a count matrix, computed directly (numpy)."""
    y = np.asarray(y, dtype=float)
    off = ~np.eye(y.shape[0], dtype=bool)
    upper = np.triu(off, 1)
    if code == LIN_SUM:
        return float(np.sum((y * mat)[off]))
    if code == LIN_NZ:
        return float(np.sum(((y > 0) * mat)[off]))
    if code == ATLEAST:
        return float(np.sum((y >= param)[off]))
    if code == MUT_MIN:
        return float(np.minimum(y, y.T)[upper].sum())
    if code == MUT_NABSDIFF:
        return float(-np.abs(y - y.T)[upper].sum())
    if code == MUT_PRODUCT:
        return float((y * y.T)[upper].sum())
    if code == MUT_GEOM:
        return float(np.sqrt(y * y.T)[upper].sum())
    if code == TRANSW:
        return transitiveweights_stat(y, int(param))
    raise ValueError(f"unknown valued statistic code {code}")
