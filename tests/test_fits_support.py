"""Helpers of Lessons 03-04: rescaled fits, paper tables, hypothesis and survival tables,
centrality by place, plots, the refit widget, and the exercise answers."""

from __future__ import annotations

import math

import matplotlib
import networkx as nx
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from medkit import data, ergm  # noqa: E402
from medkit.centrality import centrality_by_place, rank_correlation  # noqa: E402
from medkit.data.published import published_table  # noqa: E402
from medkit.tables import (  # noqa: E402
    formula_from_terms,
    hypothesis_h1,
    paper_table,
    printed_coefficient_check,
    refit_summary,
    reproduction_check,
    side_by_side,
    survival_table,
)


def _toy_graph(seed=0, n=25):
    rng = np.random.default_rng(seed)
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    x = rng.normal(size=n)
    for v in g:
        g.nodes[v]["HTH"] = float(50 + 10 * x[v])
        g.nodes[v]["GDP"] = float(1e6 * (3 + x[v] ** 2))
    for i in range(n):
        for j in range(n):
            if i != j and rng.random() < 1 / (
                1 + math.exp(-(-2 + 0.05 * (g.nodes[j]["HTH"] - 50)))
            ):
                g.add_edge(i, j)
    dist = np.abs(np.subtract.outer(np.arange(n), np.arange(n))) + 1.0
    return g, {"GeoProx": pd.DataFrame(1.0 / dist, index=range(n), columns=range(n))}


@pytest.fixture(scope="module")
def zhejiang_fits():
    g = data.mobility_network("zhejiang")
    ec = data.edge_covariates("zhejiang")
    return [ergm.fit(g, data.model_formula("zhejiang", m), edge_covariates=ec) for m in (1, 2, 3)]


def test_internal_rescaling_is_an_exact_reparametrisation():
    g, ec = _toy_graph()
    formula = "edges + nodeicov('HTH') + edgecov('GeoProx')"
    plain = ergm.fit(g, formula, edge_covariates=ec, rescale=False)
    rescaled = ergm.fit(g, formula, edge_covariates=ec)
    assert np.allclose(plain.params, rescaled.params, rtol=1e-6)
    assert np.allclose(plain.bse, rescaled.bse, rtol=1e-6)
    assert rescaled.aic == pytest.approx(plain.aic, rel=1e-10)
    # the result is bound to the original network, so it simulates in original units
    assert rescaled.model.graph is g


def test_fit_handles_huge_covariates():
    g, ec = _toy_graph()
    res = ergm.fit(g, "edges + nodeicov('GDP') + nodeicov('HTH')")
    assert np.isfinite(res.bse).all()
    assert res.params["nodeicov.HTH"] > 0


def test_rescaled_mcmc_is_reproducible_and_in_original_units():
    g, ec = _toy_graph(n=15)
    kw = dict(seed=7, progress=False, samplesize=128, maxit=2, bridge_steps=2, loglik=True)
    formula = "edges + nodeicov('HTH') + mutual + gwesp(0.5, fixed=True)"
    with pytest.warns(Warning):
        a = ergm.fit(g, formula, **kw)
    with pytest.warns(Warning):
        b = ergm.fit(g, formula, **kw)
    assert a.params.equals(b.params)
    assert a.aic == b.aic
    # sample statistics are in original units: the HTH statistic is a sum of HTH values
    assert a.sample["nodeicov.HTH"].mean() > 10 * a.sample["edges"].mean()


def test_zhejiang_tables_meet_the_calibration(zhejiang_fits):
    check = reproduction_check(zhejiang_fits, "zhejiang")
    assert (check["gap_se"] <= 2).all()
    assert check["same_stars"].all()
    table = paper_table(zhejiang_fits, "zhejiang")
    assert list(table.index) == list(published_table("zhejiang").index)
    assert table.loc["Edgecov.CulProx", "Model 1"] == "–"
    assert table.loc["N (sample size)", "Model 3"] == "88"
    both = side_by_side(zhejiang_fits, "zhejiang")
    assert both.loc["Edgecov.CulProx", ("Model 3", "published")] == "-0.2533*"
    assert both.loc["Edgecov.CulProx", ("Model 3", "reproduced")].endswith("*")


def test_hypotheses_and_survival(zhejiang_fits):
    h1 = hypothesis_h1(zhejiang_fits[2])
    assert h1["supported"].all()
    surv = survival_table(zhejiang_fits[1], zhejiang_fits[2])
    assert surv.loc["nodeicov.HTH", "survives"]
    assert surv.loc["edgecov.CulProx", "survives"] is None


def test_printed_ur_cannot_carry_two_stars():
    fit = ergm.fit(
        data.mobility_network("national"),
        data.model_formula("national", 3),
        edge_covariates=data.edge_covariates("national"),
    )
    ur = printed_coefficient_check(fit, "nodeicov.UR", -0.0001)
    assert ur["stars_possible"] == ""
    assert abs(ur["z_of_printed"]) < 1
    assert ur["smallest_for_two_stars"] > 0.0001


def test_formula_and_refit_summary():
    assert formula_from_terms(["gwesp"]) == "edges + gwesp(0.5, fixed=True)"
    g, ec = _toy_graph()
    fit, table = refit_summary(g, ["HTH", "GeoProx", "mutual"], edge_covariates=ec)
    assert fit.method == "MPLE"
    assert list(table.columns) == ["coef", "stars", "odds_ratio", "odds_ratio_per_sd"]


def test_centrality_by_place_and_rank_correlation():
    g = data.mobility_network("zhejiang")
    counties = data.load_cities("zhejiang")
    table = centrality_by_place(g, counties)
    assert table["centrality"].max() <= 1
    assert np.allclose(table["centrality"], table["in_degree"] / 87)
    share = centrality_by_place(g, counties, normalization="share")["centrality"]
    assert share.sum() == pytest.approx(1.0)
    assert rank_correlation(table["centrality"], share) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        rank_correlation(pd.Series([1.0]), pd.Series([2.0]))


def test_plots_return_axes():
    from medkit.plots.fits import plot_effects_per_sd, plot_published_figures, plot_value_map

    counties = data.load_cities("zhejiang")
    ax = plot_value_map(counties, counties["HTH"], label_top=3)
    assert len(ax.texts) == 3
    ax = plot_published_figures({"a": 34.86, "b": 3.978}, reference=("avg", 10.0))
    assert [t.get_text() for t in ax.texts][:2] == ["34.86", "3.978"]
    t = pd.DataFrame(
        {"odds_ratio_per_sd": [2.0, np.nan], "or_per_sd_low": [1.5, 1], "or_per_sd_high": [3, 1]},
        index=["nodeicov.HTH", "edges"],
    )
    ax = plot_effects_per_sd({"a": t, "b": t})
    assert [x.get_text() for x in ax.get_yticklabels()] == ["nodeicov.HTH"]


def test_widget_builds():
    from medkit.widgets.fits import describe_refit, term_refit_widget

    g, ec = _toy_graph()
    w = term_refit_widget(g, ["HTH", "GeoProx"], edge_covariates=ec)
    assert w.children[0].value == ("HTH", "GeoProx")
    fit, _ = refit_summary(g, ["HTH"])
    assert describe_refit(fit).startswith("MLE with 2 terms")


def test_national_solutions():
    from medkit.solutions import national_fit as s

    assert s.check(1, s._answer_odds_ratio_ten_more_hth()).correct
    assert s.check(1, 2.0).correct is False
    assert s.check(1, ...).correct is None
    assert s._answer_aic_preferred_model() == 3
    assert s.check(2, 1).correct is False
    assert s.check(2, "Model 3").correct
    assert s._answer_ur_change_for_odds_ratio_half() > 0
    assert s.check(3, s._answer_odds_ratio_ten_more_ur()).correct


def test_provincial_solutions():
    from medkit.solutions import provincial_fit as s

    assert s.check(1, s._answer_odds_ratio_ten_more_hth()).correct
    assert s._answer_bic_preferred_model() in (1, 2, 3)
    assert s.check(3, s._answer_bic_preferred_model()).correct
    pull = s.hth_pull_per_sd()
    assert pull["national"] > pull["zhejiang"]  # the title question's answer on the twin
