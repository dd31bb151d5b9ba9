"""Goodness-of-fit figures that stay readable for large networks (288 or 88 nodes).

:func:`plot_gof` draws a :class:`medkit.ergm.goodness.GofResult` (what ``ergm.gof`` returns and
``GofResult.plot()`` calls):

- degree and shared-partner distributions are **binned** into at most ``max_bins`` classes of
  a round width (1, 2, 5, 10, ...), the simulated networks shown as quantile **bands** (the
  middle 50 % dark, 90 % light, median dashed) and the observed network as a black line;
  short distributions (at most ``max_boxes`` classes, e.g. geodesics) as box plots;
- geodesic distances only over the distances that occur, unreachable pairs as a separate
  "unreachable" class at the right;
- the model's own statistics as **standardised differences** (observed minus the simulated
  mean, in simulated SDs) with readable names, one row each: a fit whose simulations
  reproduce the data puts every black diamond inside the grey +/-2 band.
"""

from __future__ import annotations

import math
import re

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from medkit.plots.palette import MAIN, NEUTRAL

__all__ = ["bin_width", "binned_counts", "plot_gof", "readable_term", "standardised_differences"]

PANEL_TITLES = {
    "degree": ("degree", "share of nodes"),
    "indegree": ("in-degree", "share of nodes"),
    "outdegree": ("out-degree", "share of nodes"),
    "esp": ("edgewise shared partners", "share of ties"),
    "geodesic": ("geodesic distance", "share of pairs"),
}

_BOX_STYLE = {
    "patch_artist": True,
    "boxprops": {"facecolor": MAIN, "alpha": 0.35, "edgecolor": MAIN},
    "medianprops": {"color": MAIN},
    "whiskerprops": {"color": MAIN},
    "capprops": {"color": MAIN},
}
"""Boxes of simulated values, in the palette's main colour (every GOF panel)."""

_HORIZONTAL = (
    {"orientation": "horizontal"}
    if tuple(int(p) for p in matplotlib.__version__.split(".")[:2]) >= (3, 10)
    else {"vert": False}
)

_TERM_PATTERNS = [
    (r"^edges$", "edges (number of ties)"),
    (r"^mutual$", "mutual (reciprocated pairs)"),
    (r"^triangle$", "triangles"),
    (r"^nodeicov\.(.+)$", r"\1: receiver effect"),
    (r"^nodeocov\.(.+)$", r"\1: sender effect"),
    (r"^nodecov\.(.+)$", r"\1: node covariate"),
    (r"^edgecov\.(.+)$", r"\1: tie covariate"),
    (r"^nodeifactor\.(.+?)\.(.+)$", r"\1 = \2: receiver"),
    (r"^nodeofactor\.(.+?)\.(.+)$", r"\1 = \2: sender"),
    (r"^nodefactor\.(.+?)\.(.+)$", r"\1 = \2"),
    (r"^nodematch\.(.+?)\.(.+)$", r"same \1 (\2)"),
    (r"^nodematch\.(.+)$", r"same \1"),
    (r"^absdiff\.(.+)$", r"|difference| in \1"),
    (r"^gwesp(\.OTP)?\.fixed\.(.+)$", r"GWESP (decay \2)"),
    (r"^gwdsp(\.OTP)?\.fixed\.(.+)$", r"GWDSP (decay \2)"),
    (r"^gwidegree\.fixed\.(.+)$", r"GW in-degree (decay \1)"),
    (r"^gwodegree\.fixed\.(.+)$", r"GW out-degree (decay \1)"),
    (r"^gwdegree\.fixed\.(.+)$", r"GW degree (decay \1)"),
]


def readable_term(name: str) -> str:
    """A plain-language label for an ERGM statistic's name.

    Examples
    --------
    >>> readable_term("nodeicov.HTH"), readable_term("edgecov.GeoProx")
    ('HTH: receiver effect', 'GeoProx: tie covariate')
    >>> readable_term("gwesp.fixed.0.5"), readable_term("something.else")
    ('GWESP (decay 0.5)', 'something.else')
    """
    for pattern, label in _TERM_PATTERNS:
        if re.match(pattern, name):
            return re.sub(pattern, label, name)
    return name


def bin_width(n_values: int, max_bins: int = 30) -> int:
    """The smallest round width (1, 2, 5, 10, 20, 50, ...) giving at most ``max_bins`` bins.

    Examples
    --------
    >>> bin_width(20), bin_width(70), bin_width(288)
    (1, 5, 10)
    """
    if max_bins < 1:
        raise ValueError(f"max_bins must be at least 1, got {max_bins}")
    if n_values <= max_bins:
        return 1
    exponent = 0
    while True:
        for step in (1, 2, 5):
            width = step * 10**exponent
            if math.ceil(n_values / width) <= max_bins:
                return width
        exponent += 1


def binned_counts(counts: np.ndarray, width: int) -> np.ndarray:
    """Sum consecutive classes of ``counts`` (last axis) in groups of ``width``.

    Examples
    --------
    >>> binned_counts(np.array([1, 2, 3, 4, 5]), 2).tolist()
    [3, 7, 5]
    """
    counts = np.asarray(counts)
    n = counts.shape[-1]
    n_bins = math.ceil(n / width) if n else 0
    pad = n_bins * width - n
    if pad:
        counts = np.concatenate([counts, np.zeros((*counts.shape[:-1], pad), counts.dtype)], -1)
    return counts.reshape(*counts.shape[:-1], n_bins, width).sum(axis=-1)


def standardised_differences(observed, simulated, names) -> pd.DataFrame:
    """Observed statistics against simulated ones, in simulated standard deviations.

    Returns a DataFrame indexed by ``names`` with observed, simulated mean and sd, and
    ``std_difference`` = (observed - mean) / sd (0 when the statistic never varies and equals
    the observation; NaN when it never varies and differs).

    Examples
    --------
    >>> sim = np.array([[10.0, 1.0], [12.0, 1.0], [14.0, 1.0]])
    >>> standardised_differences([14.0, 1.0], sim, ["edges", "x"])["std_difference"].tolist()
    [1.0, 0.0]
    """
    observed = np.asarray(observed, float)
    simulated = np.asarray(simulated, float)
    mean = simulated.mean(axis=0)
    sd = simulated.std(axis=0, ddof=1) if simulated.shape[0] > 1 else np.zeros_like(mean)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sd > 0, (observed - mean) / sd, np.where(observed == mean, 0.0, np.nan))
    return pd.DataFrame(
        {"observed": observed, "mean": mean, "sd": sd, "std_difference": z}, index=list(names)
    )


def _panel_distribution(ax, name, sim, obs, labels, *, max_bins, max_boxes):
    title, ylabel = PANEL_TITLES.get(name, (name, "share"))
    geodesic = name == "geodesic"
    if geodesic:  # finite distances 1..n-1, then "inf"
        finite_sim, finite_obs = sim[:, :-1], obs[:-1]
        used = np.nonzero((finite_obs > 0) | (finite_sim.max(axis=0) > 0))[0]
        last = int(used.max()) + 1 if used.size else 1
        has_inf = bool(obs[-1] > 0 or sim[:, -1].max() > 0)
        parts_sim = [finite_sim[:, :last]] + ([sim[:, -1:]] if has_inf else [])
        parts_obs = [finite_obs[:last]] + ([obs[-1:]] if has_inf else [])
        sim_c, obs_c = np.hstack(parts_sim), np.concatenate(parts_obs)
        tick_labels = [str(d) for d in range(1, last + 1)] + (["∞"] if has_inf else [])
        width = 1
    else:
        used = np.nonzero((obs > 0) | (sim.max(axis=0) > 0))[0]
        last = int(used.max()) + 1 if used.size else 1
        width = bin_width(last, max_bins)
        sim_c = binned_counts(sim[:, :last], width)
        obs_c = binned_counts(obs[:last], width)
        tick_labels = None
    total_sim = np.maximum(sim.sum(axis=1, keepdims=True), 1)
    sim_share = sim_c / total_sim
    obs_share = obs_c / max(obs.sum(), 1)
    k = sim_share.shape[1]
    if geodesic or k <= max_boxes:
        positions = np.arange(k)
        ax.boxplot(
            sim_share,
            positions=positions,
            widths=0.55,
            whis=(5, 95),
            showfliers=False,
            **_BOX_STYLE,
        )
        ax.plot(positions, obs_share, "k-", marker="o", ms=4, lw=1.8, zorder=4)
        if tick_labels is None:
            tick_labels = [str(i) if width == 1 else f"{i}-{i + width - 1}" for i in
                           range(0, k * width, width)]  # fmt: skip
        ax.set_xticks(positions, tick_labels)
        xlabel = f"{title} (∞: unreachable)" if geodesic and "∞" in tick_labels else title
    else:
        # bin centres on the real scale, so ticks are plain counts (0, 50, 100, ...)
        x = np.arange(k) * width + (width - 1) / 2
        q05, q25, q50, q75, q95 = np.percentile(sim_share, [5, 25, 50, 75, 95], axis=0)
        ax.fill_between(x, q05, q95, color=MAIN, alpha=0.18, lw=0, step="mid")
        ax.fill_between(x, q25, q75, color=MAIN, alpha=0.4, lw=0, step="mid")
        ax.plot(x, q50, color=MAIN, ls="--", lw=1, drawstyle="steps-mid")
        ax.plot(x, obs_share, color="k", lw=1.8, marker="o", ms=2.5, zorder=4)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        ax.set_xlim(-0.5, k * width - 0.5)
        xlabel = title if width == 1 else f"{title} (bins of {width})"
    ax.set_ylim(bottom=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)


def _panel_model(ax, table: pd.DataFrame, sim: np.ndarray):
    names = list(table.index)
    z = standardised_differences(table["obs"].to_numpy(), sim, names)
    sd = z["sd"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        sim_z = np.where(sd > 0, (sim - z["mean"].to_numpy()) / sd, 0.0)
    y = np.arange(len(names))
    ax.axvspan(-2, 2, color=NEUTRAL, alpha=0.18, lw=0)
    ax.axvline(0, color=NEUTRAL, lw=1)
    ax.boxplot(
        sim_z,
        positions=y,
        **_HORIZONTAL,
        widths=0.5,
        whis=(5, 95),
        showfliers=False,
        **_BOX_STYLE,
    )
    obs_z = z["std_difference"].to_numpy()
    ax.scatter(np.nan_to_num(obs_z), y, marker="D", s=36, color="k", zorder=4)
    ax.set_yticks(y, [readable_term(n) for n in names], fontsize=8)
    ax.invert_yaxis()
    lim = max(3.0, float(np.nanmax(np.abs(np.concatenate([obs_z, sim_z.ravel()])))) * 1.1)
    ax.set_xlim(-lim, lim)
    ax.set_xlabel("standardised difference: (observed - simulated mean) / simulated SD")
    ax.set_title("model statistics (grey band: within 2 SD)", fontsize=10)
    ax.grid(axis="y", visible=False)


def plot_gof(gof, axes=None, *, max_bins: int = 30, max_boxes: int = 12, title: str | None = None):
    """Draw a goodness-of-fit result; returns the axes, one per table of ``gof``.

    Parameters
    ----------
    gof : medkit.ergm.goodness.GofResult
        What :func:`medkit.ergm.gof` returns.
    axes : sequence of Axes, optional
        One per table (``gof.tables`` order); by default a grid of three columns, the model
        statistics panel spanning the free width of the last row.
    max_bins : int
        Long distributions are binned into at most this many classes of a round width.
    max_boxes : int
        A distribution with at most this many classes is drawn as box plots, a longer one as
        quantile bands.
    title : str, optional
        Figure title (default says how many simulated networks are compared).

    Returns
    -------
    numpy array of matplotlib Axes

    Examples
    --------
    >>> from medkit.ergm import fit, gof as ergm_gof
    >>> from medkit.ergm.datasets import florentine_marriage
    >>> g = ergm_gof(fit(florentine_marriage(), "edges"), nsim=10, progress=False, seed=1)
    >>> axes = plot_gof(g)
    >>> [ax.get_title() for ax in axes][:2]
    ['degree', 'edgewise shared partners']
    """
    names = list(gof.tables)
    if axes is None:
        dist = [n for n in names if n != "model"]
        ncols = 3 if len(dist) >= 3 else 2
        nrows = math.ceil(len(dist) / ncols) + (0 if len(dist) % ncols else 1)
        fig = plt.figure(figsize=(4.4 * ncols, 3.5 * nrows + 0.6))
        grid = fig.add_gridspec(nrows, ncols, hspace=0.55, wspace=0.3, top=0.86)
        made = {}
        for i, name in enumerate(dist):
            made[name] = fig.add_subplot(grid[i // ncols, i % ncols])
        if "model" in names:
            used = len(dist) % ncols
            # leave room on the left for the statistics' names
            cell = grid[nrows - 1, used:].subgridspec(1, 2, width_ratios=[0.3, 1], wspace=0)
            made["model"] = fig.add_subplot(cell[0, 1])
        axes = [made[n] for n in names]
    axes = np.atleast_1d(np.asarray(axes, dtype=object))
    for ax, name in zip(axes, names, strict=False):
        sim, obs = gof.simulated[name], gof.observed[name]
        if name == "model":
            _panel_model(ax, gof.tables[name], sim)
        else:
            labels = list(gof.tables[name].index)
            _panel_distribution(ax, name, sim, obs, labels, max_bins=max_bins,
                                max_boxes=max_boxes)  # fmt: skip
    nsim = next(iter(gof.simulated.values())).shape[0]
    fig = axes[0].figure
    handles = [
        plt.Line2D([], [], color="k", marker="o", ms=4, lw=1.8, label="observed network"),
        Patch(color=MAIN, alpha=0.4, label=f"middle 50 % of {nsim} simulated networks"),
        Patch(color=MAIN, alpha=0.18, label="middle 90 % (box whiskers: 5-95 %)"),
    ]
    fig.legend(handles=handles, loc="upper center", ncols=3, fontsize=9, frameon=False,
               bbox_to_anchor=(0.5, 0.955))  # fmt: skip
    fig.suptitle(
        title or "Goodness of fit: does the model reproduce the observed network?",
        y=0.99,
        fontsize=12,
    )
    return axes
