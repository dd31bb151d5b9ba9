"""Maps of cities and flows on real coordinates, and heatmaps of origin-destination matrices.

No basemap is downloaded: cities are drawn at their seats' longitude and latitude (columns
``lon``, ``lat`` of :func:`medkit.data.load_cities`) on an equirectangular projection whose
aspect is corrected for latitude, so the outline of China (or Zhejiang) emerges from the points
themselves. Every function takes ``ax=None`` (a new figure) and returns the axes.

Public API::

    city_xy(cities, ids=None)                      -> DataFrame lon, lat
    flow_segments(cities, flows, top=50)           -> DataFrame of the strongest flows with ends
    symbol_sizes(values, size_range=(4, 300))      -> marker areas proportional to values
    plot_cities(cities, values=None, ax=None, ...)  -> proportional symbols or colours
    plot_flows(cities, flows, top=50, ax=None, ...) -> strongest flows as arrows or lines
    plot_od_heatmap(od, groups=None, ax=None, ...)  -> origin x destination heatmap
    place_labels(ax, x, y, labels)                  -> text labels moved apart (no overlap)

City labels are placed by adjustText (a small, well-kept library that moves text until no
two labels overlap and draws a thin leader line back to the point).
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import colors as mcolors
from matplotlib.collections import LineCollection
from matplotlib.patches import FancyArrowPatch

from medkit.errors import DataError
from medkit.plots.palette import DARK, MAIN, NEUTRAL, SECOND

__all__ = [
    "city_xy",
    "flow_segments",
    "plot_cities",
    "plot_flows",
    "plot_od_heatmap",
    "place_labels",
    "set_geo_aspect",
    "symbol_sizes",
]

_CONTEXT_COLOUR = NEUTRAL


def city_xy(cities: pd.DataFrame, ids=None) -> pd.DataFrame:
    """Longitude and latitude of cities (indexed by id), optionally for given ``ids`` in order.

    Raises :class:`~medkit.errors.DataError` if ``lon``/``lat`` are missing or an id is unknown.

    Examples
    --------
    >>> cities = pd.DataFrame({"lon": [120.2, 121.5], "lat": [30.3, 29.9]}, index=[1, 2])
    >>> city_xy(cities, [2]).to_dict("list")
    {'lon': [121.5], 'lat': [29.9]}
    """
    for col in ("lon", "lat"):
        if col not in cities.columns:
            raise DataError(f"cities need a {col!r} column (degrees)", column=col)
    xy = cities[["lon", "lat"]].astype(float)
    if ids is None:
        return xy
    ids = pd.Index(ids)
    unknown = ids.difference(xy.index)
    if len(unknown):
        raise DataError(f"unknown city id {unknown.tolist()[0]!r} (not in the cities table)")
    return xy.loc[ids]


def flow_segments(
    cities: pd.DataFrame, flows: pd.DataFrame, top: int | None = 50, *, weight: str = "count"
) -> pd.DataFrame:
    """The ``top`` strongest flows (all if ``None``) with the coordinates of both ends.

    Columns origin, destination, ``weight``, lon0, lat0, lon1, lat1; strongest first, ties
    broken by origin then destination, so the result is deterministic.

    Examples
    --------
    >>> cities = pd.DataFrame({"lon": [0.0, 1.0, 2.0], "lat": [0.0, 1.0, 0.0]}, index=[1, 2, 3])
    >>> flows = pd.DataFrame({"origin": [1, 2, 3], "destination": [2, 3, 1], "count": [5, 9, 5]})
    >>> flow_segments(cities, flows, top=2)[["origin", "destination", "lon1"]].to_dict("list")
    {'origin': [2, 1], 'destination': [3, 2], 'lon1': [2.0, 1.0]}
    """
    for col in ("origin", "destination", weight):
        if col not in flows.columns:
            raise DataError(f"flows need a {col!r} column", column=col)
    if top is not None and top < 0:
        raise ValueError(f"top must be non-negative or None, got {top}")
    order = np.lexsort(
        (
            flows["destination"].to_numpy(),
            flows["origin"].to_numpy(),
            -flows[weight].to_numpy(dtype=float),
        )
    )
    if top is not None:
        order = order[:top]
    out = flows.iloc[order][["origin", "destination", weight]].reset_index(drop=True)
    start = city_xy(cities, out["origin"]).to_numpy()
    end = city_xy(cities, out["destination"]).to_numpy()
    out["lon0"], out["lat0"] = start[:, 0], start[:, 1]
    out["lon1"], out["lat1"] = end[:, 0], end[:, 1]
    return out


def symbol_sizes(values, size_range=(4.0, 300.0), vmax=None) -> np.ndarray:
    """Marker areas (points^2) proportional to ``values``: ``vmax`` gets the largest size.

    Zero gets the smallest size, so every city stays visible; negative or NaN values raise.

    Examples
    --------
    >>> symbol_sizes([0, 5, 10], size_range=(0, 100)).tolist()
    [0.0, 50.0, 100.0]
    """
    v = np.asarray(values, dtype=float)
    if np.isnan(v).any() or (v < 0).any():
        raise ValueError("proportional symbols need non-negative values without NaN")
    lo, hi = size_range
    top = float(v.max()) if vmax is None and v.size else float(vmax or 0.0)
    if top <= 0:
        return np.full(v.shape, float(lo))
    return np.maximum(float(lo), hi * v / top)


def set_geo_aspect(ax, lat) -> None:
    """Equirectangular aspect: one degree of longitude is cos(mean latitude) degrees of latitude."""
    mean_lat = float(np.nanmean(np.asarray(lat, dtype=float)))
    ax.set_aspect(1.0 / math.cos(math.radians(mean_lat)))
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")


def _new_axes(ax, figsize=(7.0, 5.5)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def _nice_values(vmax: float, n: int = 3) -> list[float]:
    if vmax <= 0:
        return []
    exponent = 10 ** math.floor(math.log10(vmax))
    top = math.floor(vmax / exponent) * exponent
    values = [top / 4, top / 2, top] if n == 3 else list(np.linspace(top / n, top, n))
    return [v for v in values if v > 0]


def plot_cities(
    cities: pd.DataFrame,
    values=None,
    *,
    ax=None,
    kind: str = "size",
    color: str = MAIN,
    cmap: str = "viridis",
    size_range=(4.0, 300.0),
    value_label: str | None = None,
    label_top: int = 0,
    label_column: str = "name_pinyin",
    legend: bool = True,
    alpha: float = 0.75,
    title: str | None = None,
    zorder: int = 3,
):
    """Cities on their real coordinates, with ``values`` as proportional symbols or colours.

    Parameters
    ----------
    cities : DataFrame
        Indexed by city id with ``lon`` and ``lat`` (for example :func:`medkit.data.load_cities`).
    values : Series, array, column name or None
        One value per city (a Series is aligned on the index; missing cities get 0). ``None``
        draws every city with the same small marker.
    kind : {"size", "color"}
        Proportional symbols (area proportional to the value, with a size legend) or a colour
        scale (with a colour bar).
    label_top : int
        Label the ``label_top`` cities with the largest values (text from ``label_column``).
    value_label : str
        Name of the values for the legend or colour bar.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> cities = pd.DataFrame(
    ...     {"lon": [120.2, 121.5], "lat": [30.3, 29.9], "name_pinyin": ["A", "B"]}, index=[1, 2]
    ... )
    >>> ax = plot_cities(cities, pd.Series({1: 10, 2: 5}), label_top=1)
    >>> ax.collections[0].get_sizes().tolist(), [t.get_text() for t in ax.texts]
    ([300.0, 150.0], ['A'])
    """
    if kind not in ("size", "color"):
        raise ValueError(f"kind must be 'size' or 'color', got {kind!r}")
    xy = city_xy(cities)
    ax = _new_axes(ax)
    if values is None:
        ax.scatter(xy["lon"], xy["lat"], s=size_range[0] * 2, color=color, alpha=alpha, lw=0)
        set_geo_aspect(ax, xy["lat"])
        if title:
            ax.set_title(title)
        return ax
    if isinstance(values, str):
        value_label = value_label or values
        values = cities[values]
    if isinstance(values, pd.Series):
        values = values.reindex(cities.index).fillna(0)
    v = np.asarray(values, dtype=float)
    if v.shape != (len(cities),):
        raise ValueError(f"need one value per city ({len(cities)}), got shape {v.shape}")
    order = np.argsort(-v, kind="stable")  # big symbols first, small ones drawn on top
    if kind == "size":
        sizes = symbol_sizes(v, size_range)
        ax.scatter(
            xy["lon"].to_numpy()[order],
            xy["lat"].to_numpy()[order],
            s=sizes[order],
            color=color,
            alpha=alpha,
            edgecolor="white",
            linewidth=0.5,
            zorder=zorder,
        )
        if legend and v.max() > 0:
            handles = [
                ax.scatter(
                    [],
                    [],
                    s=float(symbol_sizes([r], size_range, vmax=v.max())[0]),
                    color=color,
                    alpha=alpha,
                    edgecolor="white",
                )
                for r in _nice_values(float(v.max()))
            ]
            labels = [f"{r:,.0f}" for r in _nice_values(float(v.max()))]
            ax.legend(
                handles,
                labels,
                title=value_label,
                loc="lower right",
                frameon=True,
                fontsize="small",
                labelspacing=1.2,
                borderpad=0.9,
            )
    else:
        sc = ax.scatter(
            xy["lon"].to_numpy()[order[::-1]],
            xy["lat"].to_numpy()[order[::-1]],
            c=v[order[::-1]],
            cmap=cmap,
            s=size_range[1] / 6,
            edgecolor="white",
            linewidth=0.4,
            zorder=zorder,
        )
        if legend:
            ax.figure.colorbar(sc, ax=ax, shrink=0.7, label=value_label)
    if label_top and label_column in cities.columns:
        chosen = order[:label_top]
        place_labels(
            ax,
            xy["lon"].to_numpy()[chosen],
            xy["lat"].to_numpy()[chosen],
            [str(cities[label_column].iloc[i]) for i in chosen],
            zorder=zorder + 2,
        )
    set_geo_aspect(ax, xy["lat"])
    if title:
        ax.set_title(title)
    return ax


def place_labels(
    ax, x, y, labels, *, fontsize: float = 8, zorder: int = 5, adjust: bool = True, avoid=None
):
    """Write ``labels`` next to the points (x, y), moved apart so that no two overlap.

    Each label starts at its point; adjustText then moves the labels (deterministically) away
    from each other and from the points, and a thin grey leader line joins a label that had to
    move away to its point. A label that still overlaps a stronger one (labels are given
    strongest first) is left out, so the figure shows the strongest labels that fit. The axes limits are fixed first, so labels stay inside.
    ``avoid``: artists to keep clear of as well (by default the axes' legend, if any). With
    ``adjust=False`` labels stay at their starting place. Returns the list of Text objects
    drawn.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> _, ax = plt.subplots()
    >>> _ = ax.scatter([0, 0.01, 1], [0, 0.01, 1])
    >>> texts = place_labels(ax, [0, 0.01, 1], [0, 0.01, 1], ["Hangzhou", "Shaoxing", "Ningbo"])
    >>> [t.get_text() for t in texts]
    ['Hangzhou', 'Shaoxing', 'Ningbo']
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if not (len(x) == len(y) == len(labels)):
        raise ValueError("need one x, one y and one label per point")
    texts = [
        ax.text(xi, yi, str(label), fontsize=fontsize, zorder=zorder,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
        for xi, yi, label in zip(x, y, labels, strict=True)
    ]  # fmt: skip
    if adjust and len(texts) > 1:
        from adjustText import adjust_text

        ax.autoscale_view()
        ax.set_xlim(ax.get_xlim())
        ax.set_ylim(ax.get_ylim())
        if avoid is None:
            avoid = [ax.get_legend()] if ax.get_legend() is not None else []
        static = []
        if avoid:
            ax.figure.draw_without_rendering()  # places the legend, so its box is known
            renderer = ax.figure.canvas.get_renderer()
            to_data = ax.transData.inverted()  # adjustText takes Bboxes in data units
            static = [a.get_window_extent(renderer).transformed(to_data) for a in avoid]
        adjust_text(texts, x=x, y=y, objects=static or None, ax=ax, expand=(1.15, 1.35),
                    iter_lim=500)  # fmt: skip
        # a label adjustText could not free (a crowded corner) is dropped, weakest first:
        # labels come strongest first, so the strongest N that fit are kept
        ax.figure.draw_without_rendering()
        kept, boxes = [], []
        for t, xi, yi in zip(texts, x, y, strict=True):
            box = t.get_window_extent()
            if any(box.overlaps(b) for b in boxes):
                t.remove()
                continue
            kept.append((t, xi, yi))
            boxes.append(box)
        texts = [t for t, _, _ in kept]
        # leader lines (one collection, not one patch per label) where a label moved away
        leaders = []
        for t, xi, yi in kept:
            tx, ty = t.get_position()
            box = t.get_window_extent()
            px, py = ax.transData.transform((xi, yi))
            if not box.expanded(1.1, 1.3).contains(px, py):
                leaders.append([(xi, yi), (tx, ty)])
        if leaders:
            ax.add_collection(
                LineCollection(leaders, colors=DARK, linewidths=0.5, alpha=0.8, zorder=zorder - 1)
            )
    return texts


def plot_flows(
    cities: pd.DataFrame,
    flows: pd.DataFrame,
    top: int | None = 50,
    *,
    ax=None,
    weight: str = "count",
    color: str = SECOND,
    width_range=(0.4, 3.5),
    alpha: float = 0.55,
    arrows: bool = True,
    curvature: float = 0.15,
    draw_cities: bool = True,
    title: str | None = None,
):
    """The ``top`` strongest flows as arrows (or straight lines) between real city seats.

    Line width grows linearly with the flow's ``weight`` (the weakest drawn flow gets the
    thinnest line). Arrows are slightly curved so that A -> B and B -> A stay apart. With
    ``draw_cities`` every city is drawn as a small grey dot for context.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> cities = pd.DataFrame({"lon": [0.0, 1.0, 2.0], "lat": [0.0, 1.0, 0.0]}, index=[1, 2, 3])
    >>> flows = pd.DataFrame({"origin": [1, 2, 3], "destination": [2, 3, 1], "count": [5, 9, 5]})
    >>> ax = plot_flows(cities, flows, top=2)
    >>> len(ax.patches)
    2
    """
    seg = flow_segments(cities, flows, top, weight=weight)
    ax = _new_axes(ax)
    if draw_cities:
        xy = city_xy(cities)
        ax.scatter(xy["lon"], xy["lat"], s=6, color=_CONTEXT_COLOUR, lw=0, zorder=2)
    if len(seg):
        w = seg[weight].to_numpy(dtype=float)
        lo, hi = width_range
        span = w.max() - w.min()
        widths = (
            np.full(w.shape, (lo + hi) / 2) if span == 0 else lo + (hi - lo) * (w - w.min()) / span
        )
        # weakest first, so the strongest flows are drawn on top
        draw = np.argsort(w, kind="stable")
        if arrows:
            for i in draw:
                ax.add_patch(
                    FancyArrowPatch(
                        (seg["lon0"].iloc[i], seg["lat0"].iloc[i]),
                        (seg["lon1"].iloc[i], seg["lat1"].iloc[i]),
                        arrowstyle="-|>",
                        connectionstyle=f"arc3,rad={curvature}",
                        mutation_scale=6 + 2 * float(widths[i]),
                        linewidth=float(widths[i]),
                        color=color,
                        alpha=alpha,
                        shrinkA=1,
                        shrinkB=2,
                        zorder=4,
                    )
                )
        else:
            lines = np.stack(
                [seg[["lon0", "lat0"]].to_numpy(), seg[["lon1", "lat1"]].to_numpy()], axis=1
            )
            ax.add_collection(
                LineCollection(lines[draw], linewidths=widths[draw], colors=color, alpha=alpha)
            )
        ax.update_datalim(seg[["lon0", "lat0"]].to_numpy())
        ax.update_datalim(seg[["lon1", "lat1"]].to_numpy())
        ax.autoscale_view()
    set_geo_aspect(ax, cities["lat"])
    if title:
        ax.set_title(title)
    return ax


def plot_od_heatmap(
    od: pd.DataFrame,
    groups=None,
    *,
    ax=None,
    log: bool = True,
    cmap: str = "magma_r",
    title: str | None = None,
    colorbar: bool = True,
):
    """Heatmap of an origin x destination matrix (rows: origins, columns: destinations).

    Parameters
    ----------
    od : DataFrame
        Square matrix, for example :func:`medkit.mobility.od_matrix`.
    groups : Series, optional
        A group label per id (for example a prefecture's name). Rows and columns are ordered
        group (groups in order of first appearance, cities in their order within a group),
        group boundaries are drawn and groups labelled on the axes.
    log : bool
        Colour on a log scale; empty cells (no movers) are white.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> od = pd.DataFrame([[0, 3], [1, 0]], index=[1, 2], columns=[1, 2])
    >>> ax = plot_od_heatmap(od, groups=pd.Series({1: "b", 2: "a"}), colorbar=False)
    >>> float(ax.images[0].get_array()[0, 1]), [t.get_text() for t in ax.get_xticklabels()]
    (3.0, ['b', 'a'])
    """
    if od.shape[0] != od.shape[1] or not od.index.equals(od.columns):
        raise ValueError("the OD matrix must be square with the same ids on both axes")
    if groups is not None:
        groups = pd.Series(groups).reindex(od.index)
        if groups.isna().any():
            raise ValueError(f"no group for id {groups.index[groups.isna()][0]!r}")
        first = {g: i for i, g in reversed(list(enumerate(groups)))}
        order = sorted(range(len(groups)), key=lambda i: (first[groups.iloc[i]], i))
        od = od.iloc[order, order]
        groups = groups.iloc[order]
    values = od.to_numpy(dtype=float)
    ax = _new_axes(ax, figsize=(6.5, 5.5))
    # the colour scale starts a little way in, so that one mover is a visible pale orange
    # rather than the near-white end of the map, distinct from the white of no movers
    base = plt.get_cmap(cmap)
    cm = mcolors.ListedColormap(base(np.linspace(0.18, 1.0, 256)), name=f"{base.name}_from_18")
    cm = cm.with_extremes(bad="white", under="white")
    if log:
        masked = np.ma.masked_less_equal(values, 0)
        vmax = max(float(values.max()), 1.0)
        norm = mcolors.LogNorm(vmin=1, vmax=vmax)
        image = ax.imshow(masked, cmap=cm, norm=norm, interpolation="nearest")
    else:
        image = ax.imshow(values, cmap=cm, interpolation="nearest")
    ax.grid(False)
    ax.set_xlabel("destination")
    ax.set_ylabel("origin")
    if groups is not None:
        codes = groups.to_numpy()
        change = np.flatnonzero(codes[1:] != codes[:-1]) + 1
        for b in change:
            ax.axhline(b - 0.5, color=DARK, lw=0.5)
            ax.axvline(b - 0.5, color=DARK, lw=0.5)
        starts = np.concatenate([[0], change])
        ends = np.concatenate([change, [len(codes)]])
        centres = (starts + ends - 1) / 2
        names = [str(codes[s]) for s in starts]
        ax.set_xticks(centres, names, rotation=90, fontsize=7)
        ax.set_yticks(centres, names, fontsize=7)
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    if colorbar:
        ax.figure.colorbar(
            image, ax=ax, shrink=0.75, label="movers" + (" (log scale)" if log else "")
        )
    if title:
        ax.set_title(title)
    return ax
