"""Trace plots of an MCMC-MLE fit (medkit.plots.fits.plot_mcmc_traces)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from medkit import ergm  # noqa: E402
from medkit.ergm.datasets import florentine_marriage  # noqa: E402
from medkit.plots.fits import plot_mcmc_traces  # noqa: E402


@pytest.fixture(scope="module")
def triangle_fit():
    return ergm.fit(florentine_marriage(), "edges + triangle", seed=3, progress=False)


def test_traces_draw_standardised_sample_minus_observed(triangle_fit):
    axes = plot_mcmc_traces(triangle_fit, ncols=2)
    assert axes.shape == (1, 2)
    line = axes[0, 0].get_lines()[0].get_ydata()
    values = triangle_fit.sample["edges"].to_numpy(float)
    expected = (values - triangle_fit.model.observed_stats[0]) / values.std(ddof=1)
    np.testing.assert_allclose(line, expected)
    assert abs(np.mean(line)) < 0.5  # a converged fit centres on the observed statistics
    plt.close("all")


def test_traces_hide_spare_panels_and_refuse_unknown_terms(triangle_fit):
    axes = plot_mcmc_traces(triangle_fit, ["triangle"], ncols=3)
    assert [ax.get_visible() for ax in axes.ravel()] == [True, False, False]
    with pytest.raises(ValueError, match="no statistic 'kstar2'"):
        plot_mcmc_traces(triangle_fit, ["kstar2"])
    plt.close("all")


def test_traces_need_an_mcmc_fit():
    with pytest.raises(ValueError, match="no MCMC sample"):
        plot_mcmc_traces(ergm.fit(florentine_marriage(), "edges"))
