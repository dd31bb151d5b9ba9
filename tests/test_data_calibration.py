"""Re-fitting Models 1-3 on the shipped networks reproduces Tables 3 and 4 (issue 3 criteria)."""

import pytest

from medkit.data import load_cities, mobility_network
from medkit.data.calibration import (
    calibration_checks,
    comparison_table,
    fit_models,
    fit_statistics,
)
from medkit.data.published import PUBLISHED_TABLES, model_formula, published_table


def refit(level):
    graph = mobility_network(level)
    cities = load_cities(level)
    adjacency = __import__("networkx").to_numpy_array(graph, nodelist=list(cities.index))
    edges = {k: v.to_numpy() for k, v in graph.graph["edge_covariates"].items()}
    return fit_models(cities, edges, adjacency, level)


@pytest.fixture(scope="module")
def fits():
    return {level: refit(level) for level in ("national", "zhejiang")}


def test_published_tables_as_data():
    t3 = PUBLISHED_TABLES["national"]
    assert len(t3) == 7 + 8 + 10
    assert t3.query("model == 3 and term == 'GeoProx'")["coef"].item() == 5826.3604
    assert published_table("zhejiang").loc["AIC", "Model 2"] == "4308.3034"
    assert model_formula("national", 1) == (
        "edges + nodeicov('PCF') + nodeicov('HTH') + nodeicov('GDP') + nodeicov('INT')"
        " + nodeicov('ENV') + edgecov('GeoProx')"
    )


def test_dyad_counts(fits):
    assert fits["national"][1].nobs == 82_656
    assert fits["zhejiang"][1].nobs == 7_656


@pytest.mark.parametrize("level", ["zhejiang", "national"])
def test_aic_within_3_percent_and_orderings(fits, level):
    stats = fit_statistics(fits[level], level)
    assert (stats["AIC_rel_gap"] <= 0.03).all()
    checks = calibration_checks(fits[level], level)
    assert checks["same AIC ordering"] and checks["same BIC ordering"]


@pytest.mark.parametrize("level", ["zhejiang", "national"])
def test_coefficients_within_two_se(fits, level):
    table = comparison_table(fits[level], level)
    assert table["within_2se"].all(), table.loc[~table["within_2se"]]


def test_zhejiang_every_criterion(fits):
    assert all(calibration_checks(fits["zhejiang"], "zhejiang").values())
    table = comparison_table(fits["zhejiang"], "zhejiang").set_index(["model", "term"])
    assert table.loc[(3, "CulProx"), "refit_stars"] == "*"
    assert table.loc[(3, "PCF"), "refit_stars"] == ""


def test_national_stars(fits):
    table = comparison_table(fits["national"], "national")
    assert table["stars_match"].all(), table.loc[~table["stars_match"]]
