"""Tiny classic networks for ERGM lessons and tests (Padgett's Florentine families).

The CSVs live in ``datasets/classic/`` (see its README for the source), shipped with the package.
"""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pandas as pd

from medkit.errors import DataError


def _read(name: str) -> list[dict]:
    from medkit.data._paths import datasets_dir

    path = Path(datasets_dir()) / "classic" / name
    if not path.exists():
        raise DataError("classic dataset missing", file=str(path))
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


STATNET_FLORENTINE = {
    ("edges", "edges"): (-1.6094, 0.2449),
    ("edges + nodecov(wealth)", "edges"): (-2.5949, 0.5361),
    ("edges + nodecov(wealth)", "nodecov.wealth"): (0.01055, 0.004674),
    ("edges + triangle (MPLE)", "edges"): (-1.7009, float("nan")),
    ("edges + triangle (MPLE)", "triangle"): (0.2208, float("nan")),
    ("edges + triangle (MCMC-MLE)", "edges"): (-1.674, 0.351),
    ("edges + triangle (MCMC-MLE)", "triangle"): (0.154, 0.585),
    ("edges + kstar(2) (MCMC-MLE)", "edges"): (-1.655, 0.840),
    ("edges + kstar(2) (MCMC-MLE)", "kstar2"): (0.0098, 0.171),
}
"""Published statnet (R ``ergm``) estimates and standard errors on Padgett's marriage network,
keyed by (model, coefficient)."""


def statnet_comparison(fits: dict) -> pd.DataFrame:
    """Our Florentine estimates next to statnet's published ones.

    Parameters
    ----------
    fits : dict
        Model label (as in :data:`STATNET_FLORENTINE`) -> fitted result; models not given are
        left out.

    Returns
    -------
    pandas.DataFrame
        Columns ``model``, ``term``, ``statnet``, ``medkit``, ``statnet SE``, ``medkit SE``
        (no SE for MPLE fits: statnet's MPLE standard errors are not comparable).

    Examples
    --------
    >>> from medkit import ergm
    >>> table = statnet_comparison({"edges": ergm.fit(florentine_marriage(), "edges")})
    >>> table[["statnet", "medkit"]].round(4).values.tolist()
    [[-1.6094, -1.6094]]
    """
    rows = []
    for (model, term), (estimate, std_err) in STATNET_FLORENTINE.items():
        if model not in fits:
            continue
        fit = fits[model]
        rows.append(
            {
                "model": model,
                "term": term,
                "statnet": estimate,
                "medkit": float(fit.params[term]),
                "statnet SE": std_err,
                "medkit SE": float("nan") if model.endswith("(MPLE)") else float(fit.bse[term]),
            }
        )
    return pd.DataFrame(rows)
