"""Plots of the digital-triage experiments and the mobility counterfactual (Lesson 06).

Every function takes ``ax=None`` (a new figure) and returns the axes.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from medkit.plots.palette import MAIN, NEUTRAL, category_colours
from medkit.referral.triage import MEASURE_LABELS


def _ax(ax, figsize=(5.5, 3.5)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_dose_response(
    summary: pd.DataFrame,
    measure: str = "imbalance_index",
    x: str = "triage_adoption",
    *,
    hue: str | None = None,
    ax=None,
    title: str | None = None,
):
    """Mean over seeds with its 95 % interval as a band, against ``x``.

    ``summary`` is :func:`medkit.referral.triage.summarise_sweep` output; ``hue`` draws one line
    per value of another grid column.

    Examples
    --------
    >>> s = pd.DataFrame({"triage_adoption": [0.0, 1.0], "measure": "lost_g3",
    ...                   "mean": [2.0, 1.0], "low": [1.5, 0.5], "high": [2.5, 1.5]})
    >>> ax = plot_dose_response(s, "lost_g3")
    >>> ax.get_xlabel(), len(ax.collections)
    ('triage adoption (share of primary hospitals)', 1)
    """
    ax = _ax(ax)
    s = summary[summary["measure"] == measure]
    groups = [(None, s)] if hue is None else list(s.groupby(hue))
    for (key, g), colour in zip(groups, category_colours(len(groups)), strict=True):
        g = g.sort_values(x)
        label = None if key is None else f"{hue.replace('triage_', '')} = {key:g}"
        (line,) = ax.plot(g[x], g["mean"], marker="o", label=label, color=colour)
        ax.fill_between(g[x], g["low"], g["high"], color=line.get_color(), alpha=0.25, lw=0)
    xlabels = {"triage_adoption": "triage adoption (share of primary hospitals)",
               "triage_sensitivity": "tool accuracy (sensitivity = specificity)"}  # fmt: skip
    ax.set_xlabel(xlabels.get(x, x))
    ax.set_ylabel(MEASURE_LABELS.get(measure, measure))
    if hue is not None:
        ax.legend(fontsize="small")
    ax.set_title(title or f"{MEASURE_LABELS.get(measure, measure)}: mean and 95 % interval")
    return ax


def plot_imbalance_heatmap(
    summary: pd.DataFrame,
    measure: str = "imbalance_index",
    *,
    x: str = "triage_adoption",
    y: str = "triage_sensitivity",
    ax=None,
    cmap: str = "magma_r",
    title: str | None = None,
):
    """Heat map of a measure's mean over adoption (columns) x accuracy (rows), values printed.

    Examples
    --------
    >>> s = pd.DataFrame({"triage_adoption": [0.0, 1.0, 0.0, 1.0], "measure": "imbalance_index",
    ...     "triage_sensitivity": [0.5, 0.5, 0.9, 0.9], "mean": [1.0, 1.2, 1.0, 1.1]})
    >>> ax = plot_imbalance_heatmap(s)
    >>> [t.get_text() for t in ax.texts]
    ['1.000', '1.200', '1.000', '1.100']
    """
    ax = _ax(ax, (6, 4))
    s = summary[summary["measure"] == measure]
    table = s.pivot_table(index=y, columns=x, values="mean")
    im = ax.imshow(table.to_numpy(), cmap=cmap, aspect="auto", origin="lower")
    ax.set_xticks(range(table.shape[1]), [f"{v:g}" for v in table.columns])
    ax.set_yticks(range(table.shape[0]), [f"{v:g}" for v in table.index])
    ax.set_xlabel("triage adoption (share of primary hospitals)")
    ax.set_ylabel("tool accuracy (sensitivity = specificity)")
    vals = table.to_numpy()
    mid = np.nanmean(vals)
    for i in range(vals.shape[0]):
        for j in range(vals.shape[1]):
            ax.text(j, i, f"{vals[i, j]:.3f}", ha="center", va="center", fontsize=8,
                    color="white" if vals[i, j] > mid else "black")  # fmt: skip
    ax.figure.colorbar(im, ax=ax, label=MEASURE_LABELS.get(measure, measure))
    ax.set_title(title or f"{MEASURE_LABELS.get(measure, measure)} (mean over seeds)")
    return ax


def plot_triage_run(measures: pd.Series, baseline: pd.Series | None = None, ax=None):
    """Bars of a run's key shares and rates, next to a baseline run when given.

    Examples
    --------
    >>> m = pd.Series({"utilisation_g1": 1.0, "utilisation_g3": 0.8, "tertiary_full_share": 0.4,
    ...                "referrals_per_patient": 0.55, "serious_reached_grade2_share": 0.95})
    >>> ax = plot_triage_run(m, m)
    >>> len(ax.patches)
    10
    """
    keys = ["utilisation_g1", "utilisation_g3", "tertiary_full_share", "referrals_per_patient",
            "serious_reached_grade2_share"]  # fmt: skip
    labels = ["primary\nutilisation", "tertiary\nutilisation", "tertiary days\nfull",
              "referrals\nper patient", "serious reach\ngrade >= 2"]  # fmt: skip
    ax = _ax(ax, (7, 3.5))
    xs = np.arange(len(keys))
    if baseline is None:
        ax.bar(xs, [measures[k] for k in keys], color=MAIN)
    else:
        ax.bar(xs - 0.2, [baseline[k] for k in keys], 0.4, color=NEUTRAL, label="no triage")
        ax.bar(xs + 0.2, [measures[k] for k in keys], 0.4, color=MAIN, label="with triage")
        ax.legend(fontsize="small", loc="upper right")
    ax.set_xticks(xs, labels, fontsize=8)
    ax.set_ylim(0, 1.15)
    ax.set_title("one reduced-scale run (synthetic model output)")
    return ax


def plot_in_degree_shift(
    shift: pd.DataFrame,
    lam: float = 1.0,
    *,
    column: str = "expected_shift",
    label_top: int = 5,
    ax=None,
    title: str | None = None,
):
    """Map of each city's change in in-degree at step ``lam`` of the PCF counterfactual.

    Uses :func:`medkit.plots.maps.plot_cities` (colour scale, symmetric around 0, red = gains).

    Examples
    --------
    >>> df = pd.DataFrame({"lambda": [1.0, 1.0], "node": [1, 2], "lon": [120.0, 121.0],
    ...     "lat": [30.0, 29.0], "name": ["A", "B"], "expected_shift": [2.0, -1.0]})
    >>> ax = plot_in_degree_shift(df, label_top=1)
    >>> ax.collections[0].get_clim(), [t.get_text() for t in ax.texts]
    ((-2.0, 2.0), ['A'])
    """
    from medkit.plots.maps import place_labels, plot_cities

    g = shift[np.isclose(shift["lambda"], lam)].set_index("node")
    ax = _ax(ax, (7, 5.5))
    cities = g[["lon", "lat", "name"]]
    ax = plot_cities(cities, g[column], ax=ax, kind="color", cmap="RdBu_r",
                     value_label="change in in-degree (ties)", label_top=0, legend=True)  # fmt: skip
    lim = float(np.nanmax(np.abs(g[column]))) or 1.0
    ax.collections[0].set_clim(-lim, lim)
    order = g[column].abs().sort_values(ascending=False).index[:label_top]
    place_labels(ax, g.loc[order, "lon"], g.loc[order, "lat"],
                 [str(v) for v in g.loc[order, "name"]], avoid=[])  # fmt: skip
    level = shift["level"].iloc[0] if "level" in shift.columns else ""
    ax.set_title(title or f"{level} (SYNTHETIC data): in-degree shift, lambda = {lam:g}")
    return ax
