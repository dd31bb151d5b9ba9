"""Datasets of the kit: real geography with SYNTHETIC covariates and mobility, and loaders.

Public API::

    load_cities(level, path=None)        -> DataFrame indexed by adcode (attrs["columns"])
    data_dictionary(level)               -> DataFrame (meaning, unit, real/synthetic, source)
    load_movers(level, path=None)        -> DataFrame, one row per synthetic mover
    load_flows(level, path=None)         -> DataFrame origin, destination, count
    mobility_network(level, threshold=None) -> networkx.DiGraph
    edge_covariates(level)               -> {"GeoProx": DataFrame, "CulProx": DataFrame}
    published.PUBLISHED_TABLES, published.model_formula(level, model_number)

``level`` is ``"national"`` (288 cities) or ``"zhejiang"`` (88 county-level units).
"""

from medkit.data import published
from medkit.data.loaders import (
    data_dictionary,
    edge_covariates,
    load_cities,
    load_flows,
    load_movers,
    mobility_network,
)
from medkit.data.published import PUBLISHED_TABLES, model_formula
from medkit.data.synth import LEVELS, THRESHOLD

__all__ = [
    "LEVELS",
    "PUBLISHED_TABLES",
    "THRESHOLD",
    "data_dictionary",
    "edge_covariates",
    "load_cities",
    "load_flows",
    "load_movers",
    "mobility_network",
    "model_formula",
    "published",
]
