"""Plots for the ERGM fit lessons: maps of values by city, published figures, effect sizes.

Every function takes ``ax=None`` (a new figure) and returns the axes. Maps reuse
:func:`medkit.plots.maps.plot_cities` (real seat coordinates, no downloaded basemap).
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from medkit.plots.axes import set_plain_log_axis
from medkit.plots.maps import place_labels, plot_cities, symbol_sizes
from medkit.plots.palette import CATEGORY_COLOURS, MAIN, NEUTRAL, SECOND, category_colours

PUBLISHED_COLOUR = NEUTRAL


def _legend_values(vmax: float) -> list[float]:
    """Three round reference values up to ``vmax`` (one or two significant digits)."""
    if vmax <= 0:
        return []
    exponent = 10 ** math.floor(math.log10(vmax))
    top = math.floor(vmax / exponent * 2) / 2 * exponent
    return [top / 4, top / 2, top]


def plot_value_map(
    places: pd.DataFrame,
    values: pd.Series,
    *,
    ax=None,
    title: str | None = None,
    value_label: str = "",
    color: str = MAIN,
    label_top: int = 5,
    label_column: str = "name_pinyin",
    size_range=(6.0, 320.0),
    fmt: str = "{:g}",
):
    """Proportional-symbol map: one circle per place at its real seat, area proportional to value.

    Parameters
    ----------
    places : DataFrame
        Indexed like ``values`` with ``lon`` and ``lat`` columns (e.g. ``load_cities``).
    values : Series
        Non-negative values by place.
    label_top : int
        Name the places with the largest values.
    fmt : str
        Format of the legend's reference values.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> places = pd.DataFrame(
    ...     {"lon": [120.2, 121.5], "lat": [30.3, 29.9], "name_pinyin": ["A", "B"]}, index=[1, 2]
    ... )
    >>> ax = plot_value_map(places, pd.Series({1: 0.07, 2: 0.02}), fmt="{:.3f}", label_top=1)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['0.018', '0.035', '0.070']
    """
    ax = plot_cities(
        places,
        values,
        ax=ax,
        color=color,
        size_range=size_range,
        legend=False,
        label_top=0,
        title=title,
    )
    vmax = float(values.max())
    refs = _legend_values(vmax)
    if refs:
        handles = [
            ax.scatter(
                [],
                [],
                s=float(symbol_sizes([r], size_range, vmax=vmax)[0]),
                color=color,
                alpha=0.75,
                edgecolor="white",
            )
            for r in refs
        ]
        ax.legend(
            handles,
            [fmt.format(r) for r in refs],
            title=value_label,
            loc="lower right",
            fontsize="small",
            labelspacing=1.3,
            borderpad=0.9,
        )
    if label_top and label_column in places.columns:  # after the legend, so labels avoid it
        top = values.reindex(places.index).fillna(0).sort_values(ascending=False, kind="stable")
        chosen = top.index[:label_top]
        place_labels(ax, places.loc[chosen, "lon"], places.loc[chosen, "lat"],
                     places.loc[chosen, label_column].astype(str).tolist())  # fmt: skip
    return ax


def plot_published_figures(
    values,
    *,
    ax=None,
    title: str = "",
    unit: str = "",
    source: str = "Fu & Lu (2025)",
    colors=None,
    fmt: str = "{:g}",
    reference: tuple[str, float] | None = None,
):
    """Labelled bar chart of numbers quoted in a paper (published values, not computed here).

    Parameters
    ----------
    values : mapping or Series
        Label -> published number.
    unit : str
        Axis label (e.g. ``"million patients"``).
    source : str
        Printed under the chart: where the numbers come from.
    reference : (label, value), optional
        A horizontal reference line, e.g. ``("provincial average", 76.3)``.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_published_figures({"high-tier": 78.2, "primary": 52.1}, unit="%", fmt="{:.1f}%")
    >>> [t.get_text() for t in ax.texts][:2]
    ['78.2%', '52.1%']
    """
    series = pd.Series(values, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.6, 3.4), layout="constrained")
    if colors is None:
        colors = category_colours(len(series))
    x = np.arange(len(series))
    ax.bar(x, series.to_numpy(), color=colors, width=0.6)
    ax.set_xticks(x, list(series.index))
    top = float(series.max())
    for xi, v in zip(x, series.to_numpy(), strict=True):
        ax.text(xi, v + 0.02 * top, fmt.format(v), ha="center", va="bottom")
    if reference is not None:
        label, value = reference
        ax.axhline(value, color=PUBLISHED_COLOUR, ls="--", lw=1.2)
        ax.text(
            0.98,
            value,
            f"{label}: {fmt.format(value)}",
            ha="right",
            va="bottom",
            transform=ax.get_yaxis_transform(),  # x in axes fraction: inside the frame
        )
        top = max(top, value)
    ax.set_ylim(0, top * 1.18)
    ax.set_ylabel(unit)
    ax.set_title(title)
    ax.grid(axis="x", visible=False)
    # the source as the x-axis label: matplotlib places it below the tick labels, however many
    # lines they take, so the note never sits on a two-line label
    ax.set_xlabel(f"published figures, {source}", fontsize=8, color=PUBLISHED_COLOUR)
    return ax


def plot_effects_per_sd(tables, *, ax=None, title: str = "Odds ratio per SD of the covariate"):
    """Forest plot of odds ratios per standard deviation, with 95% intervals, for several fits.

    Parameters
    ----------
    tables : DataFrame or mapping name -> DataFrame
        Outputs of :func:`medkit.tables.effect_sizes`; terms without a covariate SD (edges,
        mutual, gwesp) are left out.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> t = pd.DataFrame(
    ...     {"odds_ratio_per_sd": [2.0], "or_per_sd_low": [1.5], "or_per_sd_high": [2.5]},
    ...     index=["nodeicov.HTH"],
    ... )
    >>> ax = plot_effects_per_sd(t)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['nodeicov.HTH']
    >>> [t.get_text() for t in ax.get_xticklabels()]  # plain numbers on the log axis
    ['1', '1.1', '1.25', '1.5', '2', '2.5']
    """
    if isinstance(tables, pd.DataFrame):
        tables = {"": tables}
    tables = {k: v.dropna(subset=["odds_ratio_per_sd"]) for k, v in tables.items()}
    terms = list(dict.fromkeys(t for table in tables.values() for t in table.index))
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 0.45 * len(terms) + 1.4))
    k = len(tables)
    offsets = np.linspace(-0.18, 0.18, k) if k > 1 else [0.0]
    for (name, table), off, colour in zip(tables.items(), offsets, CATEGORY_COLOURS, strict=False):
        y = np.array([terms.index(t) for t in table.index]) + off
        mid = table["odds_ratio_per_sd"].to_numpy()
        lo, hi = table["or_per_sd_low"].to_numpy(), table["or_per_sd_high"].to_numpy()
        ax.errorbar(
            mid, y, xerr=[mid - lo, hi - mid], fmt="o", color=colour, capsize=3, label=name or None
        )
    ax.axvline(1.0, color=PUBLISHED_COLOUR, lw=1)
    lows = [v["or_per_sd_low"].min() for v in tables.values() if len(v)]
    highs = [v["or_per_sd_high"].max() for v in tables.values() if len(v)]
    lo, hi = (min(lows), max(highs)) if lows else (0.9, 1.1)
    lo, hi = min(lo, 1.0), max(hi, 1.0)  # the line of no effect is always on the axis
    if hi / lo < 1.1:
        lo, hi = lo / 1.05, hi * 1.05
    set_plain_log_axis(ax, lo, hi)
    ax.set_yticks(range(len(terms)), terms)
    ax.invert_yaxis()
    ax.set_xlabel("odds ratio of a tie per SD (log scale; 1 = no effect)")
    ax.set_title(title)
    if k > 1:
        ax.legend(fontsize="small")
    return ax


def plot_mcmc_traces(fit, terms=None, *, ncols: int = 3, axes=None):
    """Trace plots of an MCMC-MLE fit's final sample, one small panel per statistic.

    Each panel shows the simulated minus the observed statistic, divided by the sample's
    standard deviation, draw after draw. A converged fit's traces wander around zero without
    drift; traces that sit away from zero mean the simulated networks do not yet look like the
    observed one. (``medkit.ergm.diagnostics.plot_mcmc_diagnostics`` adds autocorrelations,
    one row per statistic, for small models.)

    Parameters
    ----------
    fit : medkit.ergm.ERGMResults
        An MCMC-MLE fit (it carries ``sample``).
    terms : list of str, optional
        Statistics to show (default: all).
    ncols : int
        Panels per row.
    axes : array of matplotlib Axes, optional
        At least as many axes as terms.

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes

    Examples
    --------
    >>> from medkit import ergm
    >>> from medkit.ergm.datasets import florentine_marriage
    >>> res = ergm.fit(florentine_marriage(), "edges + triangle", seed=1, progress=False)
    >>> axes = plot_mcmc_traces(res)
    >>> [ax.get_title() for ax in axes.flat[:2]]
    ['edges', 'triangle']
    """
    if getattr(fit, "sample", None) is None:
        raise ValueError("this fit has no MCMC sample; only MCMC-MLE fits have trace plots")
    names = list(fit.coef_names if terms is None else terms)
    unknown = [t for t in names if t not in fit.sample.columns]
    if unknown:
        raise ValueError(f"no statistic {unknown[0]!r} in this fit; it has {fit.coef_names}")
    observed = pd.Series(np.asarray(fit.model.observed_stats, float), index=fit.coef_names)
    nrows = math.ceil(len(names) / ncols)
    if axes is None:
        _, axes = plt.subplots(
            nrows, ncols, figsize=(3.2 * ncols, 1.9 * nrows), sharex=True, squeeze=False
        )
    flat = np.asarray(axes).ravel()
    for ax, name in zip(flat, names, strict=False):
        values = fit.sample[name].to_numpy(float)
        sd = values.std(ddof=1)
        scaled = (values - observed[name]) / (sd if sd > 0 else 1.0)
        ax.plot(scaled, lw=0.6, color=MAIN)
        ax.axhline(0, color="k", lw=0.8)
        ax.axhline(scaled.mean(), color=SECOND, lw=1, ls="--")
        ax.set_title(name, fontsize=9)
        ax.tick_params(labelsize=8)
    for ax in flat[len(names) :]:
        ax.set_visible(False)
    for ax in np.asarray(axes).reshape(nrows, ncols)[:, 0]:
        ax.set_ylabel("(sim - obs) / sd", fontsize=8)
    for ax in np.asarray(axes).reshape(nrows, ncols)[-1, :]:
        ax.set_xlabel("draw", fontsize=8)
    flat[0].figure.tight_layout()
    return np.asarray(axes)
