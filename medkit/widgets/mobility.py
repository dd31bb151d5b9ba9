"""Widget for Lesson 01: how the threshold turns origin-destination counts into a network.

The numbers come from plain, tested functions of :mod:`medkit.mobility`
(:func:`~medkit.mobility.threshold_summary`, :func:`~medkit.mobility.in_degree_table`) and the
map from :mod:`medkit.plots.maps`; the widget only wires a slider to them.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from medkit.mobility import in_degree_table, threshold_summary
from medkit.plots.maps import plot_cities, plot_flows
from medkit.plots.palette import DARK, MAIN, SECOND

DEFAULT_THRESHOLDS = tuple(range(1, 51))


def ties_at(flows: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The flows that are ties of the network at ``threshold`` (count >= threshold).

    Examples
    --------
    >>> f = pd.DataFrame({"origin": [1, 2], "destination": [2, 1], "count": [7, 2]})
    >>> ties_at(f, 5)["count"].tolist()
    [7]
    """
    if threshold < 1:
        raise ValueError(f"threshold must be at least 1, got {threshold}")
    return flows[flows["count"] >= threshold].reset_index(drop=True)


def plot_threshold_effect(summary: pd.DataFrame, current: int | None = None, ax=None):
    """Density (left axis) and the largest in-degree (right axis) against the threshold.

    The mean in-degree is density x (n - 1), so it would repeat the density curve; the
    largest in-degree shows instead how the most attractive city's reach shrinks.

    ``summary`` is :func:`medkit.mobility.threshold_summary`; ``current`` marks a threshold.
    Returns the left axes (the right one is ``ax.right_ax``).

    Examples
    --------
    >>> f = pd.DataFrame({"origin": [1, 2, 1], "destination": [2, 1, 3], "count": [7, 2, 5]})
    >>> ax = plot_threshold_effect(threshold_summary(f, [1, 5, 8], n_nodes=3), current=5)
    >>> ax.lines[0].get_ydata().round(3).tolist()
    [0.5, 0.333, 0.0]
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.6))
    ax.plot(summary["threshold"], summary["density"], color=MAIN, marker=".", ms=4)
    ax.set_xlabel("threshold: minimum movers for a tie")
    ax.set_ylabel("density", color=MAIN)
    ax.set_ylim(bottom=0)
    right = ax.twinx()
    right.plot(summary["threshold"], summary["max_in_degree"], color=SECOND, ls="--", lw=1.2)
    right.set_ylabel("largest in-degree (dashed)", color=SECOND)
    right.set_ylim(bottom=0)
    right.grid(False)
    ax.right_ax = right
    if current is not None:
        ax.axvline(current, color=DARK, lw=0.8, ls=":")
        row = summary[summary["threshold"] == current]
        if len(row):
            ax.plot([current], row["density"], "o", color=MAIN)
    return ax


def plot_threshold_view(
    flows: pd.DataFrame,
    cities: pd.DataFrame,
    threshold: int,
    *,
    top: int = 100,
    thresholds=DEFAULT_THRESHOLDS,
    label_top: int = 5,
    title: str = "synthetic",
):
    """Three panels at one threshold: density curve, in-degree distribution, map of ties.

    The map sizes each city by its in-degree at ``threshold`` and draws the ``top`` strongest
    ties as arrows on real coordinates. Returns the array of three axes.

    Examples
    --------
    >>> from medkit.data import load_cities, load_flows
    >>> axes = plot_threshold_view(load_flows("zhejiang"), load_cities("zhejiang"), 5, top=10)
    >>> len(axes), len(axes[2].patches)
    (3, 10)
    """
    summary = threshold_summary(flows, sorted(set(thresholds) | {threshold}), len(cities))
    degrees = in_degree_table(flows, threshold, cities)["in_degree"]
    ties = ties_at(flows, threshold)
    fig = plt.figure(figsize=(12.5, 4.6))
    grid = fig.add_gridspec(2, 2, width_ratios=[1.0, 1.25], hspace=0.6, wspace=0.25)
    ax_density = fig.add_subplot(grid[0, 0])
    ax_hist = fig.add_subplot(grid[1, 0])
    ax_map = fig.add_subplot(grid[:, 1])
    plot_threshold_effect(summary, current=threshold, ax=ax_density)
    row = summary[summary["threshold"] == threshold].iloc[0]
    ax_density.set_title(
        f"threshold {threshold}: {int(row['ties']):,} ties, density {row['density']:.3f}",
        fontsize=10,
    )
    bins = np.arange(0, len(cities) + 2, max(1, len(cities) // 30))
    ax_hist.hist(degrees, bins=bins, color=MAIN, alpha=0.8)
    ax_hist.set_xlabel("in-degree (cities sending at least threshold movers)")
    ax_hist.set_ylabel("cities")
    plot_cities(cities, degrees, ax=ax_map, value_label="in-degree", label_top=label_top, alpha=0.6)
    plot_flows(cities, ties, top=top, ax=ax_map, draw_cities=False)
    shown = min(top, len(ties))
    ax_map.set_title(
        f"{title}: {shown:,} strongest of {len(ties):,} ties; size = in-degree", fontsize=10
    )
    return np.array([ax_density, ax_hist, ax_map])


def threshold_widget(
    flows: pd.DataFrame | None = None,
    cities: pd.DataFrame | None = None,
    *,
    level: str = "zhejiang",
    threshold: int = 5,
    top: int = 100,
    max_threshold: int = 50,
    preview: bool = True,
):
    """Sliders for the threshold and the number of flows drawn, redrawing :func:`plot_threshold_view`.

    Without ``flows``/``cities`` the shipped (synthetic) data of ``level`` are loaded once.
    The default view is drawn first as a static figure (a reader of the saved notebook sees
    it); ``preview=False`` draws it only inside the widget.

    Examples
    --------
    In a notebook (tests/test_maps_mobility_widget.py builds it without a browser)::

        threshold_widget(level="zhejiang", threshold=10)
    """
    from medkit.widgets._preview import PreviewInteractive, int_slider

    if flows is None or cities is None:
        from medkit.data import load_cities, load_flows

        flows = load_flows(level) if flows is None else flows
        cities = load_cities(level) if cities is None else cities
    thresholds = tuple(range(1, max_threshold + 1))

    def show(threshold: int, top: int) -> None:
        plot_threshold_view(flows, cities, threshold, top=top, thresholds=thresholds)
        plt.show()

    return PreviewInteractive(
        show,
        summary="Widget: sliders for the threshold (minimum movers for a tie) and the number "
        "of flows drawn, redrawing the three panels (its default view is the figure above).",
        preview=preview,
        threshold=int_slider(threshold, 1, max_threshold, 1, "threshold: minimum movers for a tie"),
        top=int_slider(top, 10, 300, 10, "strongest flows drawn on the map"),
    )
