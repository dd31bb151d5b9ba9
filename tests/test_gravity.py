"""Gravity models: statsmodels and the fixed-effect Newton solver agree; margins; measures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from medkit.errors import DataError
from medkit.gravity import (
    gravity_model,
    poisson_deviance,
    sorensen_similarity,
    srmse,
)


def _toy(n=7, seed=3):
    rng = np.random.default_rng(seed)
    codes = np.arange(101, 101 + n)
    cities = pd.DataFrame(
        {
            "pop_2020": rng.uniform(1e5, 1e6, n),
            "HTH": rng.integers(1, 30, n).astype(float),
            "lon": rng.uniform(118, 122, n),
            "lat": rng.uniform(28, 31, n),
        },
        index=pd.Index(codes, name="adcode"),
    )
    lam = np.exp(rng.normal(1.0, 1.0, (n, n)))
    counts = rng.poisson(lam)
    np.fill_diagonal(counts, 0)
    counts[0, 1] = counts[0, 1] + 3  # no empty margins
    o, d = np.nonzero(counts)
    flows = pd.DataFrame({"origin": codes[o], "destination": codes[d], "count": counts[o, d]})
    same = rng.integers(0, 2, (n, n)).astype(float)
    cul = pd.DataFrame(np.maximum(same, same.T), index=codes, columns=codes)
    return flows, cities, counts, cul


@pytest.mark.parametrize("constraint", ["unconstrained", "origin", "destination", "doubly"])
def test_newton_equals_statsmodels_glm(constraint):
    flows, cities, _, cul = _toy()
    kw = {"destination_covariates": ["HTH"]} if constraint in ("unconstrained", "origin") else {}
    a = gravity_model(
        flows,
        cities,
        constraint=constraint,
        engine="statsmodels",
        pair_covariates={"CulProx": cul},
        **kw,
    )
    b = gravity_model(
        flows,
        cities,
        constraint=constraint,
        engine="newton",
        pair_covariates={"CulProx": cul},
        **kw,
    )
    np.testing.assert_allclose(a.params, b.params, atol=1e-6)
    np.testing.assert_allclose(a.bse, b.bse, rtol=1e-6)
    assert a.llf == pytest.approx(b.llf, abs=1e-6)
    assert a.aic == pytest.approx(b.aic, abs=1e-6)


def test_quasi_poisson_matches_statsmodels_scale_x2():
    import statsmodels.api as sm

    flows, cities, counts, _ = _toy()
    res = gravity_model(flows, cities, destination_covariates=["HTH"], engine="newton")
    n = len(cities)
    rows, cols = np.nonzero(~np.eye(n, dtype=bool))
    from medkit.data.geography import great_circle_km

    dist = great_circle_km(cities["lon"].to_numpy(), cities["lat"].to_numpy())
    pop = np.log(cities["pop_2020"].to_numpy())
    X = np.column_stack(
        [
            np.ones(rows.size),
            pop[rows],
            pop[cols],
            cities["HTH"].to_numpy()[cols],
            np.log(dist[rows, cols]),
        ]
    )
    ref = sm.GLM(counts[rows, cols], X, family=sm.families.Poisson()).fit(scale="X2")
    np.testing.assert_allclose(res.params.to_numpy(), ref.params, atol=1e-6)
    np.testing.assert_allclose(res.bse.to_numpy(), ref.bse, rtol=1e-6)
    assert res.deviance == pytest.approx(ref.deviance, rel=1e-8)


@pytest.mark.parametrize("constraint", ["origin", "destination", "doubly"])
def test_constrained_models_reproduce_their_margins(constraint):
    flows, cities, counts, _ = _toy()
    res = gravity_model(flows, cities, constraint=constraint)
    pred = res.flows.pivot(index="origin", columns="destination", values="predicted").fillna(0)
    pred = pred.reindex(index=cities.index, columns=cities.index, fill_value=0).to_numpy()
    if constraint in ("origin", "doubly"):
        np.testing.assert_allclose(pred.sum(axis=1), counts.sum(axis=1), rtol=1e-8)
    if constraint in ("destination", "doubly"):
        np.testing.assert_allclose(pred.sum(axis=0), counts.sum(axis=0), rtol=1e-8)
    # the total is reproduced by every Poisson model with a constant or fixed effects
    assert pred.sum() == pytest.approx(counts.sum(), rel=1e-8)


def test_unconstrained_model_without_covariates_predicts_the_mean_flow():
    flows, cities, counts, _ = _toy()
    res = gravity_model(flows, cities, origin_mass=None, destination_mass=None, distance=None)
    n = len(cities)
    mean = counts.sum() / (n * (n - 1))
    assert np.exp(res.params["const"]) == pytest.approx(mean, rel=1e-8)
    assert res.deviance == pytest.approx(res.null_deviance, rel=1e-8)


def test_fit_measures_by_hand():
    y, mu = np.array([0.0, 2.0, 4.0]), np.array([1.0, 2.0, 2.0])
    assert srmse(y, mu) == pytest.approx(np.sqrt((1 + 0 + 4) / 3) / 2)
    assert sorensen_similarity(y, mu) == pytest.approx((0 + 1 + 2 * 2 / 6) / 3)
    assert poisson_deviance(y, mu) == pytest.approx(2 * ((0 - (0 - 1)) + 0 + (4 * np.log(2) - 2)))


def test_bad_input_is_named():
    flows, cities, _, _ = _toy()
    bad = flows.copy()
    bad.loc[2, "count"] = -1
    with pytest.raises(DataError, match="negative count"):
        gravity_model(bad, cities)
    bad = flows.astype({"count": float})
    bad.loc[1, "count"] = 2.5
    with pytest.raises(DataError, match="fractional count"):
        gravity_model(bad, cities)
    bad.loc[1, "count"] = np.nan
    with pytest.raises(DataError, match="missing or not a number"):
        gravity_model(bad, cities)
    bad = flows.copy()
    bad.loc[0, "origin"] = 999
    with pytest.raises(DataError, match="unknown city code 999"):
        gravity_model(bad, cities)
    with pytest.raises(ValueError, match="absorbed by the destination fixed effects"):
        gravity_model(flows, cities, constraint="doubly", destination_covariates=["HTH"])
    with pytest.raises(ValueError, match="constraint must be one of"):
        gravity_model(flows, cities, constraint="sideways")
    with pytest.raises(DataError, match="no column 'GDP'"):
        gravity_model(flows, cities, destination_covariates=["GDP"])
    silent = flows[flows["origin"] != 101]
    with pytest.raises(DataError, match="101.*sends no flow"):
        gravity_model(silent, cities, constraint="origin")


def test_summary_prints_measures():
    flows, cities, _, _ = _toy()
    text = str(gravity_model(flows, cities, constraint="doubly").summary())
    assert "log_distance" in text and "SRMSE" in text and "Sorensen" in text
