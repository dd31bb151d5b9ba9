"""Valued (count) ERGMs with the Poisson reference measure, as statnet's ``ergm.count``.

::

    from medkit import ergm
    net = medkit.data.mobility_network("zhejiang", threshold=1)   # every flow, with its count
    res = ergm.fit(net, "sum + nonzero + mutual(form='min') + nodeicov('HTH')",
                   response="count", reference="Poisson", seed=1)
    res.summary()

Terms and statistics: :mod:`medkit.ergm.valued.terms`; estimation (exact Poisson GLM / hurdle
fit for dyad-independent models, MCMC-MLE with a compiled count sampler otherwise):
:mod:`medkit.ergm.valued.estimate`.
"""

from __future__ import annotations

import pandas as pd

from medkit.ergm.valued.model import (
    ValuedModel,
    check_binary_formula,
    check_reference,
)
from medkit.ergm.valued.results import ValuedERGMResults

__all__ = [
    "ValuedERGMResults",
    "ValuedModel",
    "check_binary_formula",
    "check_reference",
    "fit_valued",
    "simulate_valued",
    "summary_stats_valued",
]

_METHODS = {"auto": "auto", "mle": "MLE", "exact": "MLE", "mcmc": "MCMC-MLE",
            "mcmle": "MCMC-MLE", "mcmc-mle": "MCMC-MLE"}  # fmt: skip


def summary_stats_valued(
    graph, formula, *, response="count", reference="Poisson", edge_covariates=None
) -> pd.Series:
    """Statistics of a count network, as ``summary(net ~ ..., response="count")`` in R.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_weighted_edges_from([(0, 1, 3), (1, 0, 1), (1, 2, 2)], weight="count")
    >>> summary_stats_valued(g, "sum + mutual(form='nabsdiff')").tolist()
    [6.0, -4.0]
    """
    check_reference(reference)
    model = ValuedModel(graph, formula, response, edge_covariates)
    return pd.Series(model.observed_stats, index=model.coef_names, name="observed")


def fit_valued(
    graph,
    formula,
    *,
    response="count",
    reference="Poisson",
    edge_covariates=None,
    method: str = "auto",
    seed=None,
    **control,
) -> ValuedERGMResults:
    """Fit a valued (count) ERGM with the Poisson reference measure.

    Parameters
    ----------
    graph : networkx.DiGraph or ValuedModel
    formula : str
        Valued terms (see :mod:`medkit.ergm.valued.terms`).
    response : str or matrix, default "count"
        Edge attribute with the counts (absent edges are 0), or the count matrix.
    reference : {"Poisson"}
    edge_covariates : dict, optional
    method : {"auto", "MLE", "MCMC"}
        ``"auto"``: exact fit when every term is of ``sum``/``nonzero`` type, else MCMC-MLE.
    seed : int or numpy.random.Generator, optional
        Seeds the MCMC; the same seed gives the same answer.
    **control
        ``samplesize`` (1024), ``interval``, ``burnin``, ``maxit`` (30), ``final_samplesize``,
        ``conv_pvalue`` (0.5), ``loglik`` (True), ``bridge_steps`` (16),
        ``bridge_samplesize`` (256), ``progress`` (False), ``init``, ``proposal``
        (``"independence"``, or ergm.count's ``"random-walk"``).

    Returns
    -------
    ValuedERGMResults

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_weighted_edges_from([(0, 1, 3), (1, 2, 1), (2, 0, 2), (0, 2, 2)], weight="count")
    >>> res = fit_valued(g, "sum")
    >>> round(float(res.params["sum"]), 4)  # log of the mean count, 8 / 6
    0.2877
    """
    reference = check_reference(reference)
    model = (
        graph
        if isinstance(graph, ValuedModel)
        else ValuedModel(graph, formula, response, edge_covariates)
    )
    key = str(method).strip().lower()
    if key not in _METHODS:
        raise ValueError(
            f"method must be 'auto', 'MLE' or 'MCMC' for a valued ERGM, not {method!r}"
        )
    chosen = _METHODS[key]
    if chosen == "auto":
        chosen = "MLE" if model.glm_exact else "MCMC-MLE"
    if chosen == "MLE" and not model.glm_exact:
        raise ValueError(
            "method='MLE' (exact, no MCMC) needs every term of sum or nonzero type; "
            f"{[n for n, c in zip(model.coef_names, model.independent_mask, strict=True) if not c]} "
            "need method='MCMC'"
        )
    names = model.coef_names
    if chosen == "MLE":
        from medkit.ergm.valued.estimate import exact_fit

        params, cov, ll, iters, conv = exact_fit(model)
        return ValuedERGMResults(
            model=model,
            params=pd.Series(params, names),
            cov=pd.DataFrame(cov, names, names),
            method="MLE",
            loglik=ll,
            converged=conv,
            iterations=iters,
            seed=seed,
        )
    unknown = set(control) - {
        "samplesize", "interval", "burnin", "maxit", "final_samplesize", "conv_pvalue",
        "loglik", "bridge_steps", "bridge_samplesize", "progress", "init", "proposal",
    }  # fmt: skip
    if unknown:
        raise TypeError(f"unknown MCMC option(s) for a valued fit: {sorted(unknown)}")
    from medkit.ergm.valued.estimate import mcmle

    out = mcmle(model, seed=seed, **control)
    notes = []
    if not out["converged"]:
        notes.append("the MCMC-MLE did not pass its convergence test; raise maxit or samplesize")
    return ValuedERGMResults(
        model=model,
        params=pd.Series(out["params"], names),
        cov=pd.DataFrame(out["cov"], names, names),
        method="MCMC-MLE",
        loglik=out["loglik"],
        converged=out["converged"],
        iterations=out["iterations"],
        mcse=pd.Series(out["mcse"], names),
        loglik_mcse=out["loglik_mcse"],
        notes=notes,
        sample=out["sample"],
        mple_params=pd.Series(out["start"], names),
        history=out["history"],
        seed=seed,
    )


def simulate_valued(
    model: ValuedModel, theta, *, nsim=1, interval=None, burnin=None, seed=None,
    proposal="independence",
):  # fmt: skip
    """Count matrices drawn from a valued ERGM at ``theta`` (a list of ``n x n`` arrays)."""
    import numpy as np

    from medkit._random import as_generator, int_seed
    from medkit.ergm.valued.estimate import default_interval, run_chain

    rng = as_generator(seed)
    interval = default_interval(model) if interval is None else int(interval)
    burnin = 16 * interval if burnin is None else int(burnin)
    y = model.y.copy()
    stats = model.observed_stats
    theta = np.asarray(theta, float)
    out = []
    for k in range(nsim):
        run_chain(
            model, y, theta, stats, burnin if k == 0 else interval, interval, 1, int_seed(rng),
            proposal,
        )  # fmt: skip
        out.append(y.copy())
    return out
