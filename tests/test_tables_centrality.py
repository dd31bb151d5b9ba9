"""Presentation helpers: stars, effect sizes, centrality normalisations."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from medkit.centrality import degree_table, in_degree_centrality, top_nodes
from medkit.tables import (
    covariate_spread,
    effect_sizes,
    format_coefficient,
    odds_ratio_for_change,
    significance_stars,
)


class FakeFit:
    params = pd.Series({"edges": -5.0613, "nodeicov.HTH": 0.0122, "edgecov.GeoProx": 2.0})
    bse = pd.Series({"edges": 0.05, "nodeicov.HTH": 0.001, "edgecov.GeoProx": 0.5})
    pvalues = pd.Series({"edges": 1e-20, "nodeicov.HTH": 1e-10, "edgecov.GeoProx": 0.02})


def test_stars_boundaries_follow_the_paper():
    assert significance_stars(0.000999) == "***"
    assert significance_stars(0.001) == "**"
    assert significance_stars(0.0099) == "**"
    assert significance_stars(0.01) == "*"
    assert significance_stars(0.05) == ""
    assert significance_stars(float("nan")) == ""
    assert format_coefficient(0.01221, 1e-5) == "0.0122***"


def test_effect_sizes_scale_by_the_covariate_sd():
    nodes = pd.DataFrame({"HTH": [0.0, 10.0, 20.0, 30.0]})
    matrix = np.array([[0, 1, 2, 3], [1, 0, 1, 2], [2, 1, 0, 1], [3, 2, 1, 0]], dtype=float)
    table = effect_sizes(FakeFit(), nodes, {"GeoProx": matrix})
    sd_hth = np.std([0, 10, 20, 30], ddof=1)
    assert table.loc["nodeicov.HTH", "covariate_sd"] == pytest.approx(sd_hth)
    assert table.loc["nodeicov.HTH", "odds_ratio_per_sd"] == pytest.approx(
        math.exp(0.0122 * sd_hth)
    )
    off = matrix[~np.eye(4, dtype=bool)]
    assert table.loc["edgecov.GeoProx", "covariate_sd"] == pytest.approx(np.std(off, ddof=1))
    assert math.isnan(table.loc["edges", "covariate_sd"])
    low, high = table.loc["nodeicov.HTH", ["or_per_sd_low", "or_per_sd_high"]]
    assert low < table.loc["nodeicov.HTH", "odds_ratio_per_sd"] < high
    assert table.loc["edgecov.GeoProx", "stars"] == "*"


def test_covariate_spread_unknown_terms_are_nan():
    assert math.isnan(covariate_spread("mutual"))
    assert math.isnan(covariate_spread("nodeicov.XYZ", pd.DataFrame({"HTH": [1, 2]})))


def test_odds_ratio_for_ten_more_hospitals():
    assert odds_ratio_for_change(FakeFit(), "nodeicov.HTH", 10) == pytest.approx(math.exp(0.122))
    with pytest.raises(KeyError, match="nodeicov.PCF"):
        odds_ratio_for_change(FakeFit(), "nodeicov.PCF", 1)


def test_in_degree_normalisations():
    g = nx.DiGraph()
    g.add_nodes_from("abcd")
    g.add_edges_from([("a", "b"), ("c", "b"), ("d", "b"), ("b", "a")])
    raw = in_degree_centrality(g, normalization="none")
    assert raw.to_dict() == {"a": 1.0, "b": 3.0, "c": 0.0, "d": 0.0}
    assert in_degree_centrality(g)["b"] == pytest.approx(1.0)  # 3 / (4 - 1)
    assert in_degree_centrality(g).to_dict() == pytest.approx(nx.in_degree_centrality(g))
    share = in_degree_centrality(g, normalization="share")
    assert share.sum() == pytest.approx(1.0) and share["b"] == pytest.approx(0.75)
    table = degree_table(g)
    assert table.loc["b", "degree"] == 4.0


def test_in_degree_refuses_bad_graphs():
    with pytest.raises(ValueError, match="directed"):
        in_degree_centrality(nx.Graph([(1, 2)]))
    with pytest.raises(ValueError, match="self-loops"):
        in_degree_centrality(nx.DiGraph([(1, 1), (1, 2)]))
    with pytest.raises(ValueError, match="normalization"):
        in_degree_centrality(nx.DiGraph([(1, 2)]), normalization="max")


def test_top_nodes_breaks_ties_by_label():
    values = pd.Series({"z": 2.0, "a": 2.0, "m": 5.0})
    assert top_nodes(values, k=2).index.tolist() == ["m", "a"]
