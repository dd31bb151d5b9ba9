"""The mobility counterfactual: PCF made as attractive per SD as HTH (issue 7, point 4)."""

import warnings

import numpy as np
import pytest

from medkit import ergm
from medkit.counterfactual import (
    expected_in_degree,
    fit_model3,
    in_degree_shift,
    pcf_path,
    shift_summary,
)
from medkit.data import edge_covariates, mobility_network, model_formula
from medkit.errors import ConvergenceWarning


@pytest.fixture(scope="module")
def zj():
    return fit_model3("zhejiang")


@pytest.fixture(scope="module")
def national():
    with warnings.catch_warnings():
        # the synthetic national GeoProx nearly separates ties (reported to the data side)
        warnings.simplefilter("ignore", ConvergenceWarning)
        return fit_model3("national")


def test_scaled_fit_gives_the_raw_unit_coefficients(zj):
    raw = ergm.fit(mobility_network("zhejiang"), model_formula("zhejiang", 3),
                   edge_covariates=edge_covariates("zhejiang"))  # fmt: skip
    np.testing.assert_allclose(zj.params_raw.to_numpy(), raw.params.to_numpy(), rtol=1e-5)
    for v in ("PCF", "HTH"):
        assert zj.params_per_sd[f"nodeicov.{v}"] == pytest.approx(
            raw.params[f"nodeicov.{v}"] * zj.sd[v]
        )


@pytest.mark.parametrize("which", ["zj", "national"])
def test_path_moves_pcf_to_hth_per_sd_and_holds_density(which, request):
    cf = request.getfixturevalue(which)
    path = pcf_path(cf, steps=4)
    assert path["lambda"].tolist() == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert path["pcf_per_sd"].iloc[0] == pytest.approx(cf.fit.params["nodeicov.PCF"])
    target_raw = cf.params_raw["nodeicov.HTH"] * cf.sd["HTH"] / cf.sd["PCF"]
    assert path["pcf_raw"].iloc[-1] == pytest.approx(target_raw)
    assert path["pcf_per_sd"].iloc[-1] == pytest.approx(cf.fit.params["nodeicov.HTH"])
    assert path["pcf_per_sd"].is_monotonic_increasing
    # total mobility held fixed: expected ties equal the observed number at every step
    names = list(cf.fit.params.index)
    ties = cf.graph.number_of_edges()
    for _, row in path.iterrows():
        e = expected_in_degree(cf, row[names].astype(float))
        assert e.sum() == pytest.approx(ties, rel=1e-6)
    # the edges coefficient has to fall as PCF pulls harder
    assert path["edges"].iloc[-1] < path["edges"].iloc[0]
    # without holding density, more pull means more ties
    free = pcf_path(cf, steps=2, hold_density=False)
    assert free["edges"].nunique() == 1


def test_simulated_networks_agree_with_the_exact_expectation(zj):
    df = in_degree_shift(zj, steps=2, n_sim=3, seed=2)
    assert len(df) == 2 * 88
    assert np.corrcoef(df["expected_in_degree"], df["simulated_in_degree"])[0, 1] > 0.97
    last = df[df["lambda"] == 1.0]
    assert np.corrcoef(last["expected_shift"], last["simulated_shift"])[0, 1] > 0.6
    gainers = last["expected_shift"] > 5
    assert last.loc[gainers, "simulated_shift"].mean() > 5
    # held density: the shifts redistribute, they sum to about zero
    assert abs(last["expected_shift"].sum()) < 1e-6
    assert (df["in_degree_centrality"] <= 1).all()
    assert df.equals(in_degree_shift(zj, steps=2, n_sim=3, seed=2))


@pytest.mark.parametrize("which", ["zj", "national"])
def test_pcf_rich_cities_gain_inflow(which, request):
    cf = request.getfixturevalue(which)
    names = list(cf.fit.params.index)
    path = pcf_path(cf, steps=2)
    e0 = expected_in_degree(cf, path.iloc[0][names].astype(float))
    e1 = expected_in_degree(cf, path.iloc[1][names].astype(float))
    shift = e1 - e0
    pcf = cf.cities["PCF"].to_numpy(float)
    assert np.corrcoef(shift, pcf)[0, 1] > 0.6
    top = pcf >= np.quantile(pcf, 0.9)
    assert shift[top].mean() > 0 > shift[~top].mean()


def test_shift_summary_reports_concentration(zj):
    df = in_degree_shift(zj, steps=3, n_sim=1, seed=1)
    s = shift_summary(df)
    assert s["lambda"].tolist() == [0.0, 0.5, 1.0]
    assert np.isnan(s["corr_shift_pcf"].iloc[0]) and s["corr_shift_pcf"].iloc[-1] > 0.6
    # on the synthetic twins PCF sits in big cities: inflow becomes MORE concentrated
    assert s["gini"].is_monotonic_increasing
    assert ((s["gini"] > 0) & (s["gini"] < 1)).all()
