"""Lesson 07's pictures and widget: which of the paper's conclusions survive which model.

The numbers come from the plain, tested functions of :mod:`medkit.threshold`; the widget wires a
threshold slider to :func:`medkit.threshold.conclusions_at_threshold` and redraws.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from medkit.plots.palette import DARK, NEUTRAL, OKABE_ITO
from medkit.threshold import CONCLUSIONS, conclusions_at_threshold, paper_claims

HOLDS, FAILS = OKABE_ITO["blue"], OKABE_ITO["orange"]  # safe for red-green colour blindness
Z_CRIT = 1.96


def plot_comparison_z(table: pd.DataFrame, level: str, *, ax=None, title=None):
    """z value of each conclusion's covariate under each model, with the +-1.96 band.

    Filled markers: the conclusion holds under that model; open markers: it fails. The x axis
    is symmetric-log so that the valued model's large z values and the binary ones both read.

    Examples
    --------
    >>> t = pd.DataFrame({"level": "zhejiang", "model": ["binary >= 5"] * 4,
    ...                   "covariate": ["HTH", "PCF", "GeoProx", "CulProx"],
    ...                   "estimate": [1.0, 0.1, 1.0, -1.0], "p": [0.001, 0.5, 0.001, 0.01],
    ...                   "z": [5.0, 0.5, 4.0, -2.5]})
    >>> ax = plot_comparison_z(t, "zhejiang")
    >>> len(ax.get_yticklabels())
    4
    """
    from medkit.threshold import verdicts

    sub = table[table["level"] == level]
    models = list(dict.fromkeys(sub["model"]))
    v = verdicts(sub, level)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 0.55 * len(CONCLUSIONS) * max(2, len(models) / 2) + 1))
    fixed = {
        "binary >= 1": "o",
        "binary >= 5": "s",
        "binary >= 10": "D",
        "binary >= 20": "^",
        "valued ERGM": "v",
        "valued ERGM + mutual": "<",
        "gravity (origin-constrained)": "h",
    }
    spare = iter([">", "p", "8", "d", "H", "*"] * 4)
    markers = [fixed.get(m) or next(spare) for m in models]
    n_models = len(models)
    offsets = np.linspace(-0.32, 0.32, n_models) if n_models > 1 else [0.0]
    for k, model in enumerate(models):
        for row, (cov, label) in enumerate(CONCLUSIONS.items()):
            hit = sub[(sub["model"] == model) & (sub["covariate"] == cov)]
            if hit.empty:
                continue
            z = float(hit["z"].iloc[0])
            ok = v.loc[label, model] == "holds"
            colour = HOLDS if ok else FAILS
            ax.plot(
                [z], [row + offsets[k]], marker=markers[k], ls="none", ms=7,
                markeredgecolor=colour, markerfacecolor=colour if ok else "white",
                markeredgewidth=1.6, label=model if row == 0 else None,
            )  # fmt: skip
    ax.axvspan(-Z_CRIT, Z_CRIT, color=NEUTRAL, alpha=0.25, lw=0, zorder=0)
    ax.axvline(0, color=DARK, lw=0.8, zorder=0)
    ax.set_xscale("symlog", linthresh=2.0)
    zmax = float(np.nanmax(np.abs(sub["z"]))) if len(sub) else 3.0
    lim = max(5.0, 1.6 * zmax)
    ax.set_xlim(-lim, lim)
    ticks = [t for t in (2, 10, 50, 200, 1000) if t < lim]
    ticks = [-t for t in reversed(ticks)] + [0] + ticks
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{t:g}" for t in ticks])
    ax.minorticks_off()
    ax.set_yticks(range(len(CONCLUSIONS)))
    claims = paper_claims(level)
    ax.set_yticklabels(
        [f"{label}\n(paper: {claims.loc[cov, 'claim']})" for cov, label in CONCLUSIONS.items()]
    )
    ax.invert_yaxis()
    ax.set_xlabel("z value (estimate / standard error), symmetric-log scale; grey: |z| < 1.96")
    legend = ax.legend(
        title="model (filled: conclusion holds)", fontsize=8, title_fontsize=8,
        loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
    )  # fmt: skip
    for handle in legend.legend_handles:
        handle.set_markeredgecolor(DARK)
        handle.set_markerfacecolor(DARK)
    ax.set_title(title or f"{level.capitalize()} (SYNTHETIC twin): Model 3 covariates by model")
    return ax


def plot_conclusions_at_threshold(frame: pd.DataFrame, threshold: int, *, ax=None, level=""):
    """Bars of each conclusion's z value at one threshold, coloured by whether it holds.

    ``frame`` is :func:`medkit.threshold.conclusions_at_threshold`.

    Examples
    --------
    >>> f = pd.DataFrame({"z": [5.0, 0.4], "verdict": ["holds", "fails"]},
    ...                  index=["HTH pull", "PCF null"])
    >>> ax = plot_conclusions_at_threshold(f, 5)
    >>> [round(float(bar.get_width()), 1) for bar in ax.containers[0]]
    [5.0, 0.4]
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 2.8))
    colours = [HOLDS if v == "holds" else FAILS for v in frame["verdict"]]
    hatches = ["" if v == "holds" else "//" for v in frame["verdict"]]
    bars = ax.barh(range(len(frame)), frame["z"], color=colours, edgecolor=DARK)
    for bar, hatch in zip(bars, hatches, strict=True):
        bar.set_hatch(hatch)
    ax.set_yticks(range(len(frame)))
    ax.set_yticklabels([f"{c}: {v}" for c, v in zip(frame.index, frame["verdict"], strict=True)])
    ax.invert_yaxis()
    ax.axvspan(-Z_CRIT, Z_CRIT, color=NEUTRAL, alpha=0.25, lw=0, zorder=0)
    ax.axvline(0, color=DARK, lw=0.8, zorder=0)
    lim = max(3.0, float(np.abs(frame["z"]).max()) * 1.1)
    ax.set_xlim(-lim, lim)
    ax.set_xlabel("z value in the binary Model 3 (grey band: not significant)")
    where = f"{level.capitalize()}, " if level else ""
    ax.set_title(f"{where}threshold {threshold}: ties need at least {threshold} movers (SYNTHETIC)")
    return ax


def show_conclusions_at_threshold(level: str, threshold: int) -> None:
    """Refit the binary Model 3 at ``threshold`` and draw which conclusions hold (the widget's view).

    Examples
    --------
    >>> show_conclusions_at_threshold("zhejiang", 5)  # doctest: +SKIP
    """
    t = int(threshold)
    frame = conclusions_at_threshold(level, t)
    fig, ax = plt.subplots(figsize=(6.5, 2.8))
    plot_conclusions_at_threshold(frame, t, ax=ax, level=level)
    fig.tight_layout()
    plt.show()
    print(f"{frame.attrs['ties']} ties at threshold {t}.")


def threshold_conclusions_widget(
    level: str = "zhejiang", thresholds=range(1, 31), start=5, *, preview: bool = True
):
    """A slider over the threshold that refits the binary Model 3 and redraws the verdicts.

    The default view (``start``) is drawn first as a static figure (a reader of the saved
    notebook sees it); ``preview=False`` draws it only inside the widget.

    Examples
    --------
    In a notebook (tests build it without a browser)::

        threshold_conclusions_widget("zhejiang", start=10)
    """
    import ipywidgets as widgets

    from medkit.widgets._preview import PreviewInteractive, readable

    thresholds = list(thresholds)
    slider = readable(
        widgets.SelectionSlider(
            options=thresholds,
            value=start if start in thresholds else thresholds[0],
            description="threshold (movers needed for a tie)",
            continuous_update=False,
        )
    )

    def show(threshold):
        show_conclusions_at_threshold(level, threshold)

    return PreviewInteractive(
        show,
        summary="Widget: a slider over the threshold that refits the binary Model 3 and shows "
        "which of the paper's conclusions hold (its default view is the figure above).",
        preview=preview,
        threshold=slider,
    )
