"""Plots of the digital-triage experiments and the mobility counterfactual (Lesson 06).

Every function takes ``ax=None`` (a new figure) and returns the axes.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from medkit.plots.palette import DARK, MAIN, NEUTRAL, OKABE_ITO, SECOND, category_colours
from medkit.referral.triage import MEASURE_LABELS, TOOLS, WORLD_LABELS

WORLD_COLOURS = {"yang": OKABE_ITO["orange"], "fulu": OKABE_ITO["blue"], "real": NEUTRAL}
_CYCLE = category_colours(8)


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
    ylabel: str | None = None,
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
    for (key, g), colour in zip(groups, _CYCLE * 4, strict=False):
        g = g.sort_values(x)
        label = None if key is None else f"{hue.replace('triage_', '')} = {key:g}"
        (line,) = ax.plot(g[x], g["mean"], marker="o", label=label, color=colour)
        ax.fill_between(g[x], g["low"], g["high"], color=line.get_color(), alpha=0.25, lw=0)
    xlabels = {"triage_adoption": "triage adoption (share of primary hospitals)",
               "triage_sensitivity": "tool accuracy (sensitivity = specificity)"}  # fmt: skip
    ax.set_xlabel(xlabels.get(x, x))
    ax.set_ylabel(ylabel or MEASURE_LABELS.get(measure, measure))
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
    cmap: str = "cividis",
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
    ax.grid(False)
    for i in range(vals.shape[0]):
        for j in range(vals.shape[1]):
            rgb = np.asarray(im.cmap(im.norm(vals[i, j]))[:3])
            # WCAG relative luminance (linearised sRGB): white text only where it contrasts
            # more than black does (luminance below 0.179)
            lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
            dark = float(lin @ [0.2126, 0.7152, 0.0722]) < 0.179
            ax.text(j, i, f"{vals[i, j]:.3f}", ha="center", va="center", fontsize=8,
                    color="white" if dark else "black")  # fmt: skip
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
    # near-zero shifts are near-white: a thin grey rim keeps every unit visible on the map
    ax.collections[0].set_edgecolor(NEUTRAL)
    ax.collections[0].set_linewidth(0.4)
    order = g[column].abs().sort_values(ascending=False).index[:label_top]
    place_labels(ax, g.loc[order, "lon"], g.loc[order, "lat"],
                 [str(v) for v in g.loc[order, "name"]], avoid=[])  # fmt: skip
    level = str(shift["level"].iloc[0]).capitalize() if "level" in shift.columns else "Cities"
    ax.set_title(title or f"{level} (SYNTHETIC data): in-degree shift, lambda = {lam:g}")
    return ax


def plot_premise(table: pd.DataFrame, real=None, ax=None, title: str | None = None):
    """Grouped bars of baseline utilisation by grade: Yang et al.'s world, the Fu & Lu world and
    the real figures (or targets).

    ``table`` is :func:`medkit.referral.world.premise_table` output (columns grade, yang, fulu,
    target); ``real`` optionally replaces the target bars with other real figures (3 values).

    Examples
    --------
    >>> t = pd.DataFrame({"grade": ["primary", "secondary", "tertiary"], "yang": [1.0, 0.9, 0.8],
    ...                   "fulu": [0.52, 0.8, 0.85], "target": [0.521, 0.8, 0.853]})
    >>> ax = plot_premise(t)
    >>> len(ax.patches), ax.get_ylabel()
    (9, 'utilisation (visits / daily capacity)')
    """
    ax = _ax(ax, (7, 3.8))
    xs = np.arange(len(table))
    ref = table["target"] if real is None else pd.Series(list(real))
    bars = [("yang", "Yang et al.'s world (model)", table["yang"]),
            ("fulu", "Fu & Lu world (model)", table["fulu"]),
            ("real", "target: real figure, 2021 (secondary assumed)" if real is None
             else "real figure", ref)]  # fmt: skip
    for k, (key, label, values) in enumerate(bars):
        hatch = "//" if key == "real" else None
        ax.bar(xs + (k - 1) * 0.27, values, 0.27, label=label, color=WORLD_COLOURS[key],
               hatch=hatch, edgecolor="white" if hatch is None else DARK)  # fmt: skip
        for x, v in zip(xs + (k - 1) * 0.27, values, strict=True):
            ax.text(x, v + 0.02, f"{v:.2f}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(xs, [f"{g}" for g in table["grade"]])
    ax.set_ylim(0, 1.25)
    ax.set_ylabel("utilisation (visits / daily capacity)")
    ax.legend(fontsize="small", loc="upper left", ncol=3, frameon=False)
    ax.set_title(title or "Baseline utilisation by grade, no tool (synthetic model output)")
    return ax


def plot_lever_effects(
    effects: pd.DataFrame,
    measure: str = "imbalance_index",
    *,
    tools=None,
    ax=None,
    title: str | None = None,
):
    """Forest plot: each tool's paired mean difference and 95 % interval, in both worlds.

    ``effects`` is :func:`medkit.referral.triage.lever_effects` output with a ``world`` column.
    A dashed line marks no change.

    Examples
    --------
    >>> e = pd.DataFrame({"world": ["yang", "fulu"], "comparison": ["default tool"] * 2,
    ...     "measure": "imbalance_index", "difference": [0.01, 0.03], "low": [0.0, 0.02],
    ...     "high": [0.02, 0.04]})
    >>> ax = plot_lever_effects(e)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['default tool']
    """
    ax = _ax(ax, (6.5, 3.8))
    e = effects[effects["measure"] == measure]
    tools = [t for t in (tools or TOOLS) if t in set(e["comparison"])]
    ys = np.arange(len(tools))[::-1]
    worlds = [w for w in ("yang", "fulu") if w in set(e["world"])]
    for k, world in enumerate(worlds):
        part = e[e["world"] == world].set_index("comparison")
        off = (k - (len(worlds) - 1) / 2) * 0.28
        for y, tool in zip(ys, tools, strict=True):
            if tool not in part.index:
                continue
            r = part.loc[tool]
            ax.errorbar(r["difference"], y + off, xerr=[[r["difference"] - r["low"]],
                        [r["high"] - r["difference"]]], fmt="o", color=WORLD_COLOURS[world],
                        capsize=3, label=WORLD_LABELS[world] if y == ys[0] else None)  # fmt: skip
    ax.axvline(0, color=DARK, ls="--", lw=1)
    ax.set_yticks(ys, tools)
    ax.set_xlabel(f"change in {MEASURE_LABELS.get(measure, measure)}\n(paired mean, 95 % interval)")
    # an empty band above the first row holds the legend, so it never covers an interval
    ax.set_ylim(-0.6, len(tools) - 1 + 1.1)
    ax.legend(fontsize="small", loc="upper center", ncol=max(1, len(worlds)))
    ax.set_title(title or "Effect of each tool and lever (synthetic model output)")
    return ax


def plot_trust_by_tool(runs: pd.DataFrame, start: dict | None = None, ax=None, title=None):
    """Mean end-of-run trust in adopting primary hospitals, per tool, with its starting level.

    ``runs`` is :func:`medkit.referral.triage.lever_sweep` output of the Fu & Lu world;
    ``start`` maps a tool to the trust adopters started with (drawn as a hollow marker).

    Examples
    --------
    >>> r = pd.DataFrame({"tool": ["no tool", "useless tool"], "trust_adopters": [np.nan, 0.5]})
    >>> ax = plot_trust_by_tool(r, {"useless tool": 0.85})
    >>> len(ax.patches)
    1
    """
    ax = _ax(ax, (6.5, 3.3))
    t = runs.dropna(subset=["trust_adopters"]).groupby("tool", sort=False)["trust_adopters"]
    mean = t.mean()
    tools = [x for x in TOOLS if x in mean.index] or list(mean.index)
    ys = np.arange(len(tools))[::-1]
    ax.barh(ys, [mean[x] for x in tools], color=MAIN, height=0.6, label="end of run (mean)")
    for y, x in zip(ys, tools, strict=True):
        ax.text(mean[x] - 0.015, y, f"{mean[x]:.2f}", va="center", ha="right", fontsize=8,
                color="white")  # fmt: skip
    if start:
        pts = [(start[x], y) for y, x in zip(ys, tools, strict=True) if x in start]
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], "D", mfc="none", mec=SECOND,
                    ms=7, label="at the start")  # fmt: skip
    ax.set_yticks(ys, tools)
    ax.set_xlim(0, 1.05)
    ax.set_xlabel("trust in adopting primary hospitals (0-1)")
    ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2,
              frameon=False)  # fmt: skip
    ax.set_title(title or "Trust learnt from experience, Fu & Lu world (synthetic model output)")
    return ax
