"""Fit in well-conditioned units, report in the user's units.

Covariates in published units can span many orders of magnitude (GDP in 100 million RMB next
to an inverse distance in 1/decametre), which makes the Newton steps, the collinearity check and
the MCMC-MLE's linear algebra ill-conditioned. Dividing a covariate by its standard deviation is
an exact reparametrisation of the model: the likelihood, AIC, BIC, z and p values are unchanged,
and each coefficient in the original unit is the rescaled one divided by the SD. :func:`fit`
estimates on rescaled covariates and converts the results back, so users never need to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

_COVARIATE_TERM = re.compile(r"^(nodeicov|nodeocov|nodecov|edgecov|absdiff)\.(.+)$")


@dataclass(frozen=True)
class CovariateScales:
    """SD of the covariate behind each coefficient (1 where there is none)."""

    per_coef: pd.Series
    node: dict
    edge: dict

    @property
    def needed(self) -> bool:
        return bool(self.node or self.edge)


def _spread(values: np.ndarray) -> float:
    sd = float(np.std(values))
    return sd if np.isfinite(sd) and sd > 0 else 1.0


def covariate_scales(coef_names, graph, edge_covariates=None) -> CovariateScales:
    """Standard deviations of the node and edge covariates a model uses.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph([(0, 1), (1, 2)])
    >>> for v in g:
    ...     g.nodes[v]["GDP"] = 1e4 * v
    >>> s = covariate_scales(["edges", "nodeicov.GDP"], g)
    >>> round(float(s.per_coef["nodeicov.GDP"]), 1), float(s.per_coef["edges"])
    (8165.0, 1.0)
    """
    node: dict[str, float] = {}
    edge: dict[str, float] = {}
    per_coef = pd.Series(1.0, index=list(coef_names), dtype=float)
    for name in coef_names:
        match = _COVARIATE_TERM.match(name)
        if not match:
            continue
        kind, attr = match.groups()
        if kind == "absdiff" and "." in attr:  # absdiff.x with pow= keeps its own scale
            continue
        if kind == "edgecov":
            if not edge_covariates or attr not in edge_covariates:
                continue  # taken from an edge attribute: left as it is
            if attr not in edge:
                matrix = np.asarray(edge_covariates[attr], dtype=float)
                edge[attr] = _spread(matrix[~np.eye(matrix.shape[0], dtype=bool)])
            per_coef[name] = edge[attr]
        else:
            if attr not in node:
                values = np.array([d.get(attr, np.nan) for _, d in graph.nodes(data=True)], float)
                if not np.all(np.isfinite(values)):
                    continue  # the model reports missing values itself
                node[attr] = _spread(values)
            per_coef[name] = node[attr]
    return CovariateScales(per_coef, node, edge)


def rescaled_inputs(graph, edge_covariates, scales: CovariateScales):
    """Copies of the graph and edge covariates with each used covariate divided by its SD."""
    scaled_graph = graph.copy()
    for attr, sd in scales.node.items():
        for _, data in scaled_graph.nodes(data=True):
            data[attr] = float(data[attr]) / sd
    scaled_edges = dict(edge_covariates) if edge_covariates else None
    for attr, sd in scales.edge.items():
        scaled_edges[attr] = edge_covariates[attr] / sd
    return scaled_graph, scaled_edges


def to_original_units(result, model, scales: CovariateScales):
    """Results fitted on rescaled covariates, expressed in the original units of ``model``."""
    factor = scales.per_coef.reindex(result.params.index).fillna(1.0)
    inv = 1.0 / factor.to_numpy()
    names = list(result.params.index)
    changes = {
        "model": model,
        "params": result.params / factor,
        "cov": pd.DataFrame(result.cov.to_numpy() * np.outer(inv, inv), names, names),
    }
    if result.mcse is not None:
        changes["mcse"] = result.mcse / factor
    if result.mple_params is not None:
        changes["mple_params"] = result.mple_params / factor
    if result.sample is not None:  # statistics scale the other way
        sample = result.sample.copy()
        for name in names:
            if name in sample:
                sample[name] = sample[name] * factor[name]
        changes["sample"] = sample
    if result.history is not None:
        history = result.history.copy()
        for name in names:
            if name in history:
                history[name] = history[name] / factor[name]
        changes["history"] = history
    return replace(result, **changes)
