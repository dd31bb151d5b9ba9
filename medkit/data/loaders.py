"""Loaders for the shipped datasets (or a user's own CSV in the same schema)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from medkit.data import schema
from medkit.data._paths import datasets_dir
from medkit.data.synth import LEVELS, THRESHOLD, edge_covariate_arrays
from medkit.errors import DataError


def _level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"level must be 'national' or 'zhejiang', got {level!r}")
    return level


def _read_csv(path: Path) -> pd.DataFrame:
    if not Path(path).exists():
        raise DataError("file not found", file=str(path))
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def load_cities(level: str, path=None) -> pd.DataFrame:
    """Cities of a level, indexed by adcode (int), real geography plus synthetic covariates.

    Column metadata (meaning, unit, real or synthetic, source) is in ``df.attrs["columns"]``.

    Examples
    --------
    >>> cities = load_cities("zhejiang")
    >>> len(cities), cities.attrs["columns"]["HTH"]["synthetic"]
    (88, True)
    """
    level = _level(level)
    file = Path(path) if path is not None else datasets_dir() / f"cities_{level}.csv"
    name = file.name
    frame = _read_csv(file)
    columns = schema.COLUMNS[level]
    schema.require_columns(frame, list(columns), name)
    required_numeric = [c for c in schema.NUMERIC_CITY if c in columns] + ["adcode"]
    schema.check_no_missing(frame, [c for c in columns if c != "wu_subgroup_1987"], name)
    schema.check_numeric(
        frame,
        required_numeric,
        name,
        integer=schema.INTEGER_CITY,
        nonnegative=("pop_2020", "PCF", "HTH", "GDP", "INT", "ENV", "EDU"),
    )
    schema.check_unique(frame, "adcode", name)
    if "wu_subgroup_1987" in frame:
        frame["wu_subgroup_1987"] = frame["wu_subgroup_1987"].fillna("")
    for col in ("province_adcode", "prefecture_adcode", "pop_derived"):
        if col in frame:
            schema.check_numeric(frame, [col], name, integer=(col,))
    out = frame[list(columns)].set_index("adcode")
    out.attrs["columns"] = schema.attrs_for(columns)
    out.attrs["level"] = level
    return out


def data_dictionary(level: str) -> pd.DataFrame:
    """Data dictionary of a level's cities table: meaning, unit, real/synthetic, source, licence.

    Examples
    --------
    >>> dd = data_dictionary("national")
    >>> dd.set_index("column").loc["EDU", "kind"]
    'synthetic'
    """
    return schema.dictionary_frame(schema.COLUMNS[_level(level)])


def _od_table(level, path, kind, columns, integer, nonnegative):
    level = _level(level)
    default = datasets_dir() / f"{kind}_{level}.csv.gz"
    file = Path(path) if path is not None else default
    name = file.name
    frame = _read_csv(file)
    schema.require_columns(frame, list(columns), name)
    schema.check_no_missing(frame, list(columns), name)
    schema.check_numeric(frame, integer, name, integer=integer, nonnegative=nonnegative)
    known = load_cities(level).index
    schema.check_known(frame, "origin", known, name)
    schema.check_known(frame, "destination", known, name)
    schema.check_no_self_moves(frame, name)
    out = frame[list(columns)].copy()
    out.attrs["columns"] = schema.attrs_for(columns)
    out.attrs["level"] = level
    return out, name


def load_movers(level: str, path=None) -> pd.DataFrame:
    """Individual movers (synthetic, CMDS-like): one row per person.

    Columns person_id, origin, destination, year, age_band, sex, reason. A user's CSV in the same
    schema can be given as ``path``; bad rows raise :class:`~medkit.errors.DataError`.

    Examples
    --------
    >>> movers = load_movers("zhejiang")
    >>> list(movers.columns)[:3]
    ['person_id', 'origin', 'destination']
    """
    out, name = _od_table(
        level,
        path,
        "movers",
        schema.MOVERS_COLUMNS,
        integer=("person_id", "origin", "destination", "year"),
        nonnegative=("person_id", "year"),
    )
    schema.check_unique(out, "person_id", name)
    return out


def load_flows(level: str, path=None) -> pd.DataFrame:
    """Origin-destination counts (synthetic): columns origin, destination, count.

    Examples
    --------
    >>> flows = load_flows("zhejiang")
    >>> int(flows["count"].min()) >= 1
    True
    """
    out, name = _od_table(
        level,
        path,
        "flows",
        schema.FLOWS_COLUMNS,
        integer=("origin", "destination", "count"),
        nonnegative=("count",),
    )
    pair = out[["origin", "destination"]].duplicated()
    if pair.any():
        row = int(np.flatnonzero(pair.to_numpy())[0]) + 1
        raise DataError("duplicate origin-destination pair", file=name, row=row, column="origin")
    return out


def edge_covariates(level: str) -> dict[str, pd.DataFrame]:
    """GeoProx and CulProx as n x n DataFrames indexed by adcode, in node order.

    Examples
    --------
    >>> cov = edge_covariates("zhejiang")
    >>> cov["CulProx"].shape
    (88, 88)
    """
    cities = load_cities(level)
    arrays = edge_covariate_arrays(cities, level)
    idx = cities.index
    return {k: pd.DataFrame(v, index=idx, columns=idx) for k, v in arrays.items()}


def mobility_network(level: str, threshold: int | None = None) -> nx.DiGraph:
    """Binary mobility network: a tie i -> j when at least ``threshold`` movers went i -> j.

    Nodes are adcodes (in the order of :func:`load_cities`) with every city column as node
    attributes. ``G.graph`` holds ``level``, ``threshold``, ``synthetic=True`` and
    ``edge_covariates`` (the dict of :func:`edge_covariates`). Edges carry ``count``.

    Examples
    --------
    >>> G = mobility_network("zhejiang")
    >>> G.number_of_nodes(), G.graph["threshold"]
    (88, 5)
    """
    from medkit.mobility import network_from_flows

    level = _level(level)
    threshold = THRESHOLD[level] if threshold is None else threshold
    cities = load_cities(level)
    graph = network_from_flows(load_flows(level), threshold, nodes=cities)
    graph.graph.update(
        {"level": level, "synthetic": True, "edge_covariates": edge_covariates(level)}
    )
    return graph
