"""Tiny classic networks for ERGM lessons and tests (Padgett's Florentine families).

The CSVs live in ``datasets/classic/`` at the repository root (see its README for the source).
"""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx

from medkit.errors import DataError

CLASSIC = Path(__file__).resolve().parents[2] / "datasets" / "classic"


def _read(name: str) -> list[dict]:
    path = CLASSIC / name
    if not path.exists():
        raise DataError("classic dataset missing; run from a medkit checkout", file=str(path))
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _florentine(edges_file: str) -> nx.Graph:
    graph = nx.Graph()
    names = {}
    for row in _read("florentine_nodes.csv"):
        names[row["id"]] = row["name"]
        graph.add_node(
            row["name"],
            wealth=int(row["wealth"]),
            priorates=int(row["priorates"]),
            totalties=int(row["totalties"]),
        )
    for row in _read(edges_file):
        graph.add_edge(names[row["from"]], names[row["to"]])
    return graph


def florentine_marriage() -> nx.Graph:
    """Padgett's Florentine marriage network: 16 families (Pucci isolated), 20 ties.

    Node attributes ``wealth``, ``priorates``, ``totalties``, as statnet's ``flomarriage``.

    Examples
    --------
    >>> g = florentine_marriage()
    >>> g.number_of_nodes(), g.number_of_edges(), g.nodes["Medici"]["wealth"]
    (16, 20, 103)
    """
    return _florentine("florentine_marriage_edges.csv")


def florentine_business() -> nx.Graph:
    """Padgett's Florentine business network: 16 families, 15 ties (statnet's ``flobusiness``).

    Examples
    --------
    >>> florentine_business().number_of_edges()
    15
    """
    return _florentine("florentine_business_edges.csv")
