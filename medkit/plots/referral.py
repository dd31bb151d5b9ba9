"""Plots for the referral model (Lesson 05): the plane, Figures 2-6 of Yang et al. (2025).

Every function takes plain data (layouts, DataFrames from :mod:`medkit.referral`), draws on
``ax`` (a new figure when ``ax`` is None) and returns the axes (an array of axes for the
multi-panel figures).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from medkit.plots.palette import (
    GRADE_COLOURS,
    HIGHLIGHT,
    MAIN,
    NEUTRAL,
    OKABE_ITO,
    STRATEGY_COLOURS,
    category_colours,
)

GRADE_LABELS = {1: "primary", 2: "secondary", 3: "tertiary"}
GRADE_SIZES = {1: 25, 2: 55, 3: 130}
MEASURE_LABELS = {
    "in_degree": "in-degree",
    "out_degree": "out-degree",
    "degree": "total degree",
    "received_volume": "received patients per day",
    "referred_volume": "referred patients per day",
    "initial_area": "initial consultation area (km)",
    "in_edge_distance": "referral service range (km)",
    "lost_patients": "lost patients per hospital",
    "weighted_in_degree": "weighted in-degree",
    "weighted_out_degree": "weighted out-degree",
    "weighted_degree": "weighted degree",
    "pagerank": "PageRank",
}


def _axes(ax, figsize=(6, 6)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def _grade_legend(ax, grades, **kwargs):
    for g in sorted({int(v) for v in grades}):
        ax.scatter([], [], s=GRADE_SIZES[g], c=GRADE_COLOURS[g], label=GRADE_LABELS[g])
    ax.legend(**kwargs)


def plot_plane(layout, *, colour=None, edges=None, title=None, ax=None):
    """Hospitals on the square plane, sized by grade, coloured by grade or by ``colour``.

    Parameters
    ----------
    layout : medkit.referral.Layout
    colour : array-like of ints (one per hospital), optional, e.g. community labels.
    edges : networkx DiGraph, optional; its edges are drawn as thin grey lines.

    Examples
    --------
    >>> from medkit.referral import ReferralParams, make_layout
    >>> ax = plot_plane(make_layout(ReferralParams.small(), seed=1))
    >>> len(ax.collections) >= 3
    True
    """
    ax = _axes(ax)
    if edges is not None:
        for i, j in edges.edges():
            ax.plot(
                [layout.x[i], layout.x[j]],
                [layout.y[i], layout.y[j]],
                color="0.6",
                lw=0.5,
                alpha=0.5,
                zorder=1,
            )
    sizes = np.array([GRADE_SIZES[int(g)] for g in layout.grade])
    if colour is None:
        for g in (1, 2, 3):
            sel = layout.grade == g
            ax.scatter(
                layout.x[sel],
                layout.y[sel],
                s=sizes[sel],
                c=GRADE_COLOURS[g],
                edgecolors="k",
                linewidths=0.4,
                label=GRADE_LABELS[g],
                zorder=2,
            )
    else:
        colour = np.asarray(colour)
        groups = np.unique(colour)
        palette = dict(zip(groups, category_colours(len(groups)), strict=True))
        for k in groups:
            sel = colour == k
            ax.scatter(
                layout.x[sel],
                layout.y[sel],
                s=sizes[sel],
                color=palette[k],
                edgecolors="k",
                linewidths=np.where(layout.grade[sel] == 3, 1.5, 0.4),
                label=f"community {int(k) + 1}",
                zorder=2,
            )
    # the legend outside the square (it hides no hospital), and a margin so that hospitals
    # on the edge of the square are drawn whole
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, framealpha=0.9)
    pad = 0.03 * layout.side_km
    ax.set_xlim(-pad, layout.side_km + pad)
    ax.set_ylim(-pad, layout.side_km + pad)
    ax.set_aspect("equal")
    ax.set_xlabel("km")
    ax.set_ylabel("km")
    if title:
        ax.set_title(title)
    return ax


def plot_trace_step(layout, trace: pd.DataFrame, step: int, *, ax=None):
    """One step of a patient trace (see :func:`medkit.widgets.referral.trace_patients`).

    Shows the hospitals with their free capacity, the patient, the path so far, the referral
    probabilities (arrow width) and the chosen hospital.

    Examples
    --------
    >>> from medkit.widgets.referral import toy_layout, trace_patients
    >>> lay = toy_layout()
    >>> ax = plot_trace_step(lay, trace_patients(lay, n_patients=2, seed=1), 0)
    >>> ax.get_title().startswith("patient 1")
    True
    """
    ax = _axes(ax, (6.2, 6.2))
    row = trace.iloc[step]
    free = np.asarray(row["free_before"])
    for g in (1, 2, 3):
        sel = layout.grade == g
        ax.scatter(
            layout.x[sel],
            layout.y[sel],
            s=GRADE_SIZES[g] * 2,
            c=GRADE_COLOURS[g],
            alpha=np.where(free[sel] > 0, 0.9, 0.25),
            edgecolors="k",
            linewidths=0.5,
            label=GRADE_LABELS[g],
            zorder=2,
        )
    same = trace[(trace["patient"] == row["patient"]) & (trace.index <= trace.index[step])]
    px, py = row["px"], row["py"]
    ax.scatter([px], [py], marker="*", s=220, c=OKABE_ITO["yellow"], edgecolors="k", zorder=4,
               label="patient")  # fmt: skip
    path_x = [px] + [layout.x[h] for h in same["hospital"]]
    path_y = [py] + [layout.y[h] for h in same["hospital"]]
    ax.plot(path_x, path_y, color="k", lw=1.5, ls="--", zorder=3)
    h = int(row["hospital"])
    ax.scatter(
        [layout.x[h]], [layout.y[h]], s=420, facecolors="none", edgecolors="k", lw=2, zorder=3
    )
    probs = row["probabilities"]
    if probs is not None:
        probs = np.asarray(probs)
        for j in np.flatnonzero(probs > 0):
            chosen = j == row["next_hospital"]
            ax.annotate(
                "",
                xy=(layout.x[j], layout.y[j]),
                xytext=(layout.x[h], layout.y[h]),
                arrowprops=dict(
                    arrowstyle="-|>",
                    lw=0.5 + 12 * probs[j],
                    color=HIGHLIGHT if chosen else "0.55",
                    alpha=0.9 if chosen else 0.5,
                ),
                zorder=1,
            )
    pad = 0.04 * layout.side_km  # hospitals on the edge of the square stay whole
    ax.set_xlim(-pad, layout.side_km + pad)
    ax.set_ylim(-pad, layout.side_km + pad)
    ax.set_aspect("equal")
    ax.set_xlabel("km")
    ax.set_ylabel("km")
    # the legend outside the square, so it hides no hospital; the labels moved apart
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, framealpha=0.9)
    # one label per hospital: its free places and, for a referral, its probability (the
    # arrows carry no text, so nothing piles up where they fan out); labels start up and to
    # the right of their hospital and adjustText moves them clear of each other and the dots
    share = {}
    if probs is not None:
        share = {int(j): float(probs[j]) for j in np.flatnonzero(probs > 0)}
    delta = 0.012 * layout.side_km
    texts = []
    for i in range(layout.n_hospitals):
        label = f"{i}: {free[i]} free" + (f", {share[i]:.0%}" if i in share else "")
        chosen = probs is not None and i == row["next_hospital"]
        colour = HIGHLIGHT if chosen else ("k" if free[i] > 0 else "0.45")
        texts.append(ax.text(layout.x[i] + delta, layout.y[i] + delta, label, fontsize=7,
                             color=colour, zorder=5, fontweight="bold" if chosen else None,
                             bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none",
                                   "alpha": 0.7}))  # fmt: skip
    from adjustText import adjust_text

    adjust_text(texts, x=np.append(layout.x, px), y=np.append(layout.y, py), ax=ax,
                expand=(1.1, 1.3), iter_lim=300)  # fmt: skip
    ax.set_title(
        f"patient {int(row['patient']) + 1}, visit {int(row['visit']) + 1}: {row['action']}",
        fontsize=10,
    )
    return ax


def plot_stability_heatmap(matrix: pd.DataFrame, *, threshold: float = 0.1, ax=None):
    """Figure 2: distances between networks at different T (upper: topological, lower: weight).

    ``matrix`` is :func:`medkit.referral.stability_matrix`. Cells are annotated; the colour scale
    ends at ``threshold`` (0.1, the paper's stability criterion).

    Examples
    --------
    >>> m = pd.DataFrame([[np.nan, 0.05], [0.04, np.nan]], index=[1, 2], columns=[1, 2])
    >>> ax = plot_stability_heatmap(m)
    >>> ax.texts[0].get_text()
    '0.050'
    """
    ax = _axes(ax, (5.5, 4.6))
    values = matrix.to_numpy(dtype=float)
    im = ax.imshow(values, cmap="viridis", vmin=0, vmax=threshold)
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            ax.text(j, i, f"{v:.3f}", ha="center", va="center", fontsize=8,
                    color="w" if v < 0.6 * threshold else "k")  # fmt: skip
    labels = [str(t) for t in matrix.index]
    ax.set_xticks(range(len(labels)), labels)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("T (days)")
    ax.set_ylabel("T (days)")
    ax.grid(False)
    ax.set_title("simulated networks: topological (upper) and weight (lower) distance", fontsize=9)
    ax.figure.colorbar(im, ax=ax, shrink=0.8, label=f"distance (scale ends at {threshold})")
    return ax


def plot_grade_measure(table: pd.DataFrame, measure: str, *, paper=None, ax=None):
    """One panel of Figure 3: mean of ``measure`` by grade with its 95 % interval over runs.

    ``table`` is ``Experiment.grade_table()`` (columns grade, measure, mean, low, high).
    ``paper``: optional three values drawn as black ticks.

    Examples
    --------
    >>> t = pd.DataFrame({"grade": [1, 2, 3], "measure": "in_degree", "mean": [0.0, 2.0, 9.0],
    ...                   "low": [0.0, 1.5, 8.0], "high": [0.0, 2.5, 10.0]})
    >>> ax = plot_grade_measure(t, "in_degree")
    >>> [round(float(p.get_height()), 1) for p in ax.patches]
    [0.0, 2.0, 9.0]
    """
    ax = _axes(ax, (3.2, 3))
    sel = table[table["measure"] == measure].sort_values("grade")
    grades = sel["grade"].astype(int).to_numpy()
    mean = sel["mean"].to_numpy(dtype=float)
    err = np.vstack([mean - sel["low"].to_numpy(float), sel["high"].to_numpy(float) - mean])
    err = np.nan_to_num(np.abs(err))
    ax.bar(
        [GRADE_LABELS[g] for g in grades],
        mean,
        yerr=err,
        capsize=3,
        color=[GRADE_COLOURS[g] for g in grades],
    )
    if paper is not None:
        ax.scatter(range(len(grades)), paper, marker="_", s=400, c="k", zorder=3, label="paper")
        ax.legend(fontsize=7)
    ax.set_title(MEASURE_LABELS.get(measure, measure), fontsize=9)
    ax.tick_params(axis="x", labelsize=8)
    return ax


def plot_grade_panels(table: pd.DataFrame, measures, *, ncols: int = 4, axes=None):
    """Figure 3: one :func:`plot_grade_measure` panel per measure; returns the array of axes."""
    measures = list(measures)
    if axes is None:
        nrows = int(np.ceil(len(measures) / ncols))
        _, axes = plt.subplots(nrows, ncols, figsize=(3.0 * ncols, 2.7 * nrows), squeeze=False)
    flat = np.ravel(axes)
    for ax, measure in zip(flat, measures, strict=False):
        plot_grade_measure(table, measure, ax=ax)
    for ax in flat[len(measures) :]:
        ax.set_visible(False)
    flat[0].figure.tight_layout()
    return axes


def plot_key_nodes(key: pd.DataFrame, *, ax=None):
    """Figure 5: the top hospitals under each metric, one row per metric, coloured by grade.

    The same hospital in consecutive rows is linked by a line. ``key`` is
    :func:`medkit.referral.key_nodes`.

    Examples
    --------
    >>> k = pd.DataFrame({"metric": ["a", "a", "b", "b"], "rank": [1, 2, 1, 2],
    ...                   "hospital": [3, 4, 4, 5], "grade": [3, 3, 3, 1], "value": [1, 1, 1, 1]})
    >>> ax = plot_key_nodes(k)
    >>> len(ax.lines)
    1
    """
    metrics = list(dict.fromkeys(key["metric"]))
    ax = _axes(ax, (8, 0.55 * len(metrics) + 1.2))
    pos = {}
    for r, metric in enumerate(metrics):
        sel = key[key["metric"] == metric].sort_values("rank")
        for rank, h, g in zip(sel["rank"], sel["hospital"], sel["grade"], strict=True):
            pos[(metric, int(h))] = (rank, r)
            ax.scatter(rank, r, s=260, c=GRADE_COLOURS[int(g)], edgecolors="k", zorder=3)
            ax.text(rank, r, str(int(h)), ha="center", va="center", fontsize=7,
                    color="k" if int(g) == 1 else "w", zorder=4)  # fmt: skip
    for r in range(len(metrics) - 1):
        for (m, h), (x0, y0) in pos.items():
            if m == metrics[r] and (metrics[r + 1], h) in pos:
                x1, y1 = pos[(metrics[r + 1], h)]
                ax.plot([x0, x1], [y0, y1], color="0.5", lw=1, zorder=1)
    ax.set_yticks(range(len(metrics)), [MEASURE_LABELS.get(m, m) for m in metrics])
    max_rank = int(key["rank"].max())
    ax.set_xticks(range(1, max_rank + 1))
    ax.set_xlim(0.5, max_rank + 0.5)
    ax.invert_yaxis()
    ax.set_xlabel("rank")
    ax.grid(False)
    _grade_legend(ax, key["grade"], loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return ax


def plot_strategy_measure(table: pd.DataFrame, measure: str, *, ax=None, kind: str = "points"):
    """Figure 6, one panel: ``measure`` per strategy, mean and 95 % interval over runs.

    ``table`` is ``Experiment.strategy_table()`` (strategy, measure, mean, low, high).
    The strategies differ by about 1 %, too little to see on bars that start at zero, so by
    default (``kind="points"``) each mean is a point with its interval on an axis that zooms
    in on the values (the axis label says so), the baseline drawn as a dashed line across.
    ``kind="bars"`` draws bars from zero.

    Examples
    --------
    >>> t = pd.DataFrame({"strategy": ["baseline", "core"], "measure": "referrals",
    ...                   "mean": [5.0, 4.0], "low": [4.5, 3.5], "high": [5.5, 4.5]})
    >>> ax = plot_strategy_measure(t, "referrals")
    >>> [t.get_text() for t in ax.get_xticklabels()], len(ax.patches)
    (['baseline', 'core'], 0)
    >>> ax = plot_strategy_measure(t, "referrals", kind="bars")
    >>> len(ax.patches), float(ax.get_ylim()[0])
    (2, 0.0)
    """
    if kind not in ("points", "bars"):
        raise ValueError(f"kind must be 'points' or 'bars', got {kind!r}")
    ax = _axes(ax, (5, 3))
    sel = table[table["measure"] == measure]
    mean = sel["mean"].to_numpy(float)
    err = np.nan_to_num(np.abs(np.vstack([mean - sel["low"].to_numpy(float),
                                          sel["high"].to_numpy(float) - mean])))  # fmt: skip
    names = list(sel["strategy"])
    colours = [STRATEGY_COLOURS.get(s, NEUTRAL) for s in names]
    x = np.arange(len(names))
    if kind == "bars":
        ax.bar(x, mean, yerr=err, capsize=3, color=colours)
        ax.set_ylim(bottom=0)
    else:
        if "baseline" in names:
            ax.axhline(mean[names.index("baseline")], color=NEUTRAL, ls="--", lw=1, zorder=1)
        for xi, m, e0, e1, c in zip(x, mean, err[0], err[1], colours, strict=True):
            ax.errorbar([xi], [m], yerr=[[e0], [e1]], fmt="o", ms=7, capsize=4, color=c,
                        mec="k", mew=0.5, zorder=3)  # fmt: skip
        ax.set_xlim(-0.6, len(names) - 0.4)
        ax.set_ylabel("mean, 95 % interval\n(points: axis does not start at 0)", fontsize=8)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.10g}"))
    ax.set_xticks(x, names)
    ax.set_title(MEASURE_LABELS.get(measure, measure.replace("_", " ")), fontsize=9)
    ax.tick_params(axis="x", labelsize=8, rotation=20)
    ax.grid(axis="x", visible=False)
    return ax


def plot_strategy_lost_by_grade(table: pd.DataFrame, *, ax=None):
    """Figure 6: lost patients per hospital by grade (groups) and strategy (bars), with intervals.

    Examples
    --------
    >>> rows = [{"strategy": s, "measure": f"lost_per_hospital_g{g}", "mean": 1.0, "low": 0.5,
    ...          "high": 1.5} for s in ("baseline", "core") for g in (1, 2, 3)]
    >>> ax = plot_strategy_lost_by_grade(pd.DataFrame(rows))
    >>> len(ax.patches)
    6
    """
    ax = _axes(ax, (6, 3.2))
    strategies = list(dict.fromkeys(table["strategy"]))
    width = 0.8 / max(1, len(strategies))
    t = table.set_index(["strategy", "measure"])
    for k, s in enumerate(strategies):
        mean, low, high = (
            np.array([t.loc[(s, f"lost_per_hospital_g{g}"), c] for g in (1, 2, 3)], dtype=float)
            for c in ("mean", "low", "high")
        )
        err = np.nan_to_num(np.abs(np.vstack([mean - low, high - mean])))
        ax.bar(np.arange(3) + (k - (len(strategies) - 1) / 2) * width, mean, width, yerr=err,
               capsize=2, label=s, color=STRATEGY_COLOURS.get(s, NEUTRAL),
               edgecolor="k", linewidth=0.4)  # fmt: skip
    ax.set_xticks(range(3), [GRADE_LABELS[g] for g in (1, 2, 3)])
    ax.set_ylabel("lost patients per hospital")
    # headroom above the tallest interval holds the legend, so it covers no whisker
    plotted = [f"lost_per_hospital_g{g}" for g in (1, 2, 3)]
    highs = t.loc[t.index.get_level_values("measure").isin(plotted), ["mean", "high"]]
    top = float(np.nanmax(highs.to_numpy(dtype=float))) if len(highs) else 1.0
    ax.set_ylim(0, top * 1.35 if top > 0 else 1.0)
    ax.legend(fontsize=7, ncols=len(strategies), loc="upper center")
    ax.set_title("lost patients in Phase B (simulated)", fontsize=9)
    return ax


def plot_scenario(grades: pd.DataFrame, pairs: pd.DataFrame, *, axes=None):
    """Two panels for the slider widget: in-degree and LP by grade, and grade-pair shares.

    ``grades`` has columns in_degree and lost_patients indexed by grade; ``pairs`` is
    :func:`medkit.referral.grade_pair_shares`. Returns the two axes.
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10.5, 3.4), gridspec_kw={"wspace": 0.6})
    ax0, ax1 = axes
    x = np.arange(len(grades))
    colours = [GRADE_COLOURS[int(g)] for g in grades.index]
    ax0.bar(x - 0.2, grades["in_degree"], 0.4, color=colours, label="in-degree")
    ax0.set_xticks(x, [GRADE_LABELS[int(g)] for g in grades.index])
    ax0.set_ylabel("mean in-degree (bars)")
    twin = ax0.twinx()
    twin.bar(x + 0.2, grades["lost_patients"], 0.4, color=colours, alpha=0.4, hatch="//")
    twin.set_ylabel("lost patients per hospital (hatched)")
    twin.grid(False)
    top = pairs.head(6)
    ax1.barh(top["pair"][::-1], top["share"][::-1], color=MAIN)
    ax1.set_xlabel("share of referrals (%)")
    ax1.set_title("grade pairs (from->to), simulated", fontsize=9)
    ax0.figure.tight_layout()
    return axes
