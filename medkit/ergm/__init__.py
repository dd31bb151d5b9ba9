"""Exponential random graph models (ERGMs) that agree with R's statnet ``ergm``.

Formula -> terms -> estimation -> results, simulate, gof::

    from medkit import ergm
    res = ergm.fit(graph, "edges + mutual + nodeicov('HTH') + edgecov('GeoProx')",
                   edge_covariates={"GeoProx": geo}, seed=1)
    res.summary()
    ergm.compare([res0, res], ["Model 1", "Model 2"])

``method="auto"`` picks the exact MLE (logistic regression over dyads) for dyad-independent
models, the exact dyad MLE (multinomial logit over the four states of each pair) when ``mutual``
is the only dependence, and MCMC-MLE (compiled Metropolis-Hastings sampler, Hummel-stepped
Geyer-Thompson iterations from the MPLE) otherwise.
"""

from __future__ import annotations

import pandas as pd

from medkit.ergm.formula import Term, parse_formula
from medkit.ergm.model import Model
from medkit.ergm.results import ERGMResults, compare

__all__ = [
    "ERGMResults",
    "Model",
    "Term",
    "compare",
    "fit",
    "gof",
    "mcmc_diagnostics",
    "parse_formula",
    "simulate",
    "summary_stats",
]

_METHODS = {
    "auto": "auto",
    "mle": "MLE",
    "mple": "MPLE",
    "dyad": "dyad MLE",
    "dyad mle": "dyad MLE",
    "dyad-mle": "dyad MLE",
    "mcmc": "MCMC-MLE",
    "mcmle": "MCMC-MLE",
    "mcmc-mle": "MCMC-MLE",
    "mcmcmle": "MCMC-MLE",
}


def _model(graph, formula, edge_covariates) -> Model:
    if isinstance(graph, Model):
        return graph
    return Model(graph, formula, edge_covariates)


def summary_stats(
    graph, formula, *, edge_covariates=None, response=None, reference=None
) -> pd.Series:
    """The model statistics of a network, as statnet's ``summary(net ~ ...)``.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
    formula : str
        E.g. ``"edges + triangle + nodecov('wealth')"``.
    edge_covariates : dict, optional
        Matrices for ``edgecov`` terms (see :func:`fit`).

    Returns
    -------
    pandas.Series indexed by statnet's coefficient names.

    Examples
    --------
    >>> import networkx as nx
    >>> summary_stats(nx.complete_graph(4), "edges + triangle + kstar(2)").tolist()
    [6.0, 4.0, 12.0]
    """
    if response is not None or reference is not None:
        from medkit.ergm.valued import summary_stats_valued

        return summary_stats_valued(
            graph, formula, response="count" if response is None else response,
            reference="Poisson" if reference is None else reference,
            edge_covariates=edge_covariates,
        )  # fmt: skip
    if not isinstance(graph, Model):
        from medkit.ergm.valued import check_binary_formula

        check_binary_formula(formula)
    model = _model(graph, formula, edge_covariates)
    return pd.Series(model.observed_stats, index=model.coef_names, name="observed")


def fit(
    graph,
    formula: str | None = None,
    *,
    edge_covariates=None,
    method: str = "auto",
    seed=None,
    rescale: bool = True,
    response=None,
    reference=None,
    **control,
) -> ERGMResults:
    """Fit an ERGM.

    Parameters
    ----------
    graph : networkx.Graph, networkx.DiGraph or Model
        The observed network.
    formula : str or list of Term
        A statnet-style formula, e.g. ``"edges + nodeicov('HTH') + edgecov('GeoProx')"``.
    edge_covariates : dict, optional
        ``name -> matrix`` for ``edgecov(name)``: a DataFrame indexed (rows and columns) by node
        labels. A plain array (no labels) is accepted only when the graph's nodes are
        ``0, 1, ..., n-1`` in that order; otherwise it is refused, since its rows could be matched
        to the wrong nodes. Without it the edge attribute ``name`` is used (0 where there is no
        edge). Bare names are read as statnet users write them: ``edgecov(bus)`` is
        ``edgecov('bus')`` and ``nodecov(wealth)`` is ``nodecov('wealth')``.
    method : {"auto", "MLE", "MPLE", "dyad", "MCMC"}
        ``"auto"``: exact MLE for dyad-independent models, the exact dyad MLE when ``mutual`` is
        the only dependence, MCMC-MLE otherwise. ``"MPLE"`` gives the pseudo-likelihood fit.
    seed : int or numpy.random.Generator, optional
        Seeds every random draw (MCMC only); the same seed gives the same answer.
    rescale : bool, default True
        Estimate with every node and edge covariate divided by its standard deviation and
        report the results in the original units (an exact reparametrisation that keeps the
        linear algebra well conditioned whatever the units; see :mod:`medkit.ergm.scaling`).
    **control
        MCMC options, statnet's defaults (see :func:`medkit.ergm.mcmle.mcmle`), checked before
        any sampling (a misspelt or impossible one raises :class:`~medkit.errors.ParameterError`;
        minimums: ``interval`` >= 1, ``burnin`` >= 0, sample sizes >= max(10, 2 x statistics),
        ``maxit`` and ``bridge_steps`` >= 1): ``chains``
        (2 parallel chains), ``samplesize`` (max(256, 32 per statistic)), ``interval``
        (adaptive from the effective size; a number fixes it), ``effective_size`` (64),
        ``burnin`` (16 * interval), ``maxit`` (60), ``termination`` ("confidence", or
        "hotelling" with ``conv_pvalue``), ``final_effective_size`` (400 on networks of at
        most 5,000 dyads), ``final_rounds`` (3 sample-and-step rounds at the estimate; 0 for
        none), ``bridge_steps`` (16), ``bridge_samplesize`` (256), ``loglik`` (True; exact,
        without bridge sampling, when the model factorises over dyads), ``progress`` (True),
        ``init``.
    response : str or matrix, optional
        A valued (count) ERGM: the edge attribute holding the counts (absent edges are 0), or
        the count matrix. Dispatches to :func:`medkit.ergm.valued.fit_valued` (statnet's
        ``ergm.count`` terms: ``sum``, ``nonzero``, ``mutual(form='min')``, ...).
    reference : {"Poisson"}, optional
        Reference measure of a valued ERGM (only Poisson is implemented).

    Returns
    -------
    ERGMResults

    Examples
    --------
    >>> from medkit.ergm.datasets import florentine_marriage
    >>> res = fit(florentine_marriage(), "edges + nodecov('wealth')")
    >>> res.params.round(4).tolist(), round(res.aic, 2)
    ([-2.5949, 0.0105], 107.11)
    """
    if response is not None or reference is not None:
        from medkit.ergm.valued import fit_valued

        return fit_valued(
            graph, formula, response="count" if response is None else response,
            reference="Poisson" if reference is None else reference,
            edge_covariates=edge_covariates, method=method, seed=seed, **control,
        )  # fmt: skip
    if not isinstance(graph, Model):
        from medkit.ergm.valued import check_binary_formula

        check_binary_formula(formula)
    from medkit.ergm.controls import check_fit_args, check_fit_controls

    check_fit_args(method, seed, rescale)
    model = _model(graph, formula, edge_covariates)
    control = check_fit_controls(control, model.p)
    if rescale and not isinstance(graph, Model):
        from medkit.ergm.scaling import covariate_scales, rescaled_inputs, to_original_units

        scales = covariate_scales(model.coef_names, graph, edge_covariates)
        if scales.needed:
            scaled_graph, scaled_edges = rescaled_inputs(graph, edge_covariates, scales)
            scaled_model = Model(scaled_graph, formula, scaled_edges)
            result = _fit_model(scaled_model, method, seed, control)
            return to_original_units(result, model, scales)
    return _fit_model(model, method, seed, control)


def _fit_model(model: Model, method: str, seed, control: dict) -> ERGMResults:
    key = str(method).strip().lower()
    if key not in _METHODS:
        from medkit.errors import ParameterError

        raise ParameterError(
            "method", method, "one of 'auto', 'MLE', 'MPLE', 'dyad', 'MCMC'", "'auto' picks one"
        )
    chosen = _METHODS[key]
    if chosen == "auto":
        if model.dyad_independent:
            chosen = "MLE"
        elif model.mutual_only:
            chosen = "dyad MLE"
        else:
            chosen = "MCMC-MLE"
    if chosen == "MLE" and not model.dyad_independent:
        raise ValueError(
            "method='MLE' needs a dyad-independent model; use method='MCMC' (or 'dyad' when "
            "mutual is the only dependence, or 'MPLE' for the pseudo-likelihood)"
        )
    if chosen == "dyad MLE" and not (model.mutual_only and model.directed):
        if model.dyad_independent:
            chosen = "MLE"
        else:
            raise ValueError("method='dyad' needs a directed model whose only dependence is mutual")
    if chosen in ("MLE", "MPLE"):
        from medkit.ergm.mple import mple

        res = mple(model)
        label = "MLE" if model.dyad_independent else "MPLE"
        notes = []
        if label == "MPLE":
            notes.append(
                "MPLE of a dyad-dependent model: the log-likelihood shown is the "
                "pseudo-log-likelihood and the standard errors are too small."
            )
        return ERGMResults(
            model=model,
            params=pd.Series(res.params, model.coef_names),
            cov=pd.DataFrame(res.cov, model.coef_names, model.coef_names),
            method=label,
            loglik=res.loglik,
            converged=res.converged,
            iterations=res.iterations,
            notes=notes,
        )
    if chosen == "dyad MLE":
        from medkit.ergm.mple import dyad_mle

        res = dyad_mle(model)
        return ERGMResults(
            model=model,
            params=pd.Series(res.params, model.coef_names),
            cov=pd.DataFrame(res.cov, model.coef_names, model.coef_names),
            method="dyad MLE",
            loglik=res.loglik,
            converged=res.converged,
            iterations=res.iterations,
        )
    from medkit.ergm.mcmle import mcmle

    return mcmle(model, seed=seed, **control)


def _bound(function, args, kwargs):
    import inspect

    from medkit.errors import ParameterError

    try:
        bound = inspect.signature(function).bind(*args, **kwargs)
    except TypeError as exc:
        raise ParameterError(
            function.__name__ + "()", f"{len(args)} positional, {sorted(kwargs)} named",
            "arguments of its signature " + str(inspect.signature(function)), str(exc),
        ) from None  # fmt: skip
    bound.apply_defaults()
    return bound.arguments


def _fit_or_model(name, value, allowed):
    from medkit.errors import ParameterError

    if not isinstance(value, allowed):
        kinds = " or ".join(k.__name__ for k in allowed)
        raise ParameterError(
            f"{name}()'s first argument", type(value).__name__, f"a {kinds}",
            "pass the result of medkit.ergm.fit(...)",
        )  # fmt: skip


def simulate(*args, chains: int = 1, executor=None, n_jobs=None, **kwargs):
    """Simulate networks or their statistics from a fit or a model.

    See :func:`medkit.ergm.simulation.simulate` for the parameters. With ``chains`` > 1 (or an
    ``executor``) the ``n`` draws come from that many independent chains, run on ``executor``
    (any ``concurrent.futures.Executor``, e.g. Dask's ``distributed.Client(...).get_executor()``)
    or ``n_jobs`` local processes (:func:`medkit.ergm.ensemble.simulate_chains`); the same seed
    and ``chains`` give the same draws on any executor.
    """
    from medkit.ergm import controls
    from medkit.ergm.simulation import simulate as _simulate
    from medkit.validation import whole_number

    a = _bound(_simulate, args, kwargs)
    _fit_or_model("simulate", a["fit_or_model"], (ERGMResults, Model))
    controls.check_simulate_args(
        a["n"], a["output"], a["burnin"], a["interval"], a["seed"], a["progress"]
    )
    model = a["fit_or_model"] if isinstance(a["fit_or_model"], Model) else a["fit_or_model"].model
    if isinstance(a["fit_or_model"], Model) or a["coef"] is not None:
        controls.check_coef("coef", a["coef"], model.p, names=model.coef_names)
    controls.check_start(a["start"], model.n)
    whole_number("chains", chains, minimum=1, maximum=1024)
    whole_number("n_jobs", n_jobs, minimum=1, maximum=1024, allow_none=True)
    if chains == 1 and executor is None:
        return _simulate(*args, **kwargs)
    from medkit.ergm.ensemble import simulate_chains

    return simulate_chains(*args, chains=chains, executor=executor, n_jobs=n_jobs, **kwargs)


def gof(*args, **kwargs):
    """Goodness of fit (see :func:`medkit.ergm.goodness.gof`)."""
    from medkit.ergm import controls
    from medkit.ergm.goodness import gof as _gof

    a = _bound(_gof, args, kwargs)
    _fit_or_model("gof", a["fit"], (ERGMResults,))
    controls.check_gof_args(a["nsim"], a["interval"], a["seed"], a["progress"])
    return _gof(*args, **kwargs)


def mcmc_diagnostics(*args, **kwargs):
    """MCMC diagnostics of a fit (see :func:`medkit.ergm.diagnostics.mcmc_diagnostics`)."""
    from medkit.ergm.diagnostics import mcmc_diagnostics as _diag

    return _diag(*args, **kwargs)
