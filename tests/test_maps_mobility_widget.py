"""Maps of cities and flows, Lesson 01's threshold widget and its exercise checks."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from medkit.data import load_cities, load_flows
from medkit.errors import DataError
from medkit.mobility import (
    aggregate_flows,
    in_degree_table,
    od_matrix,
    strongest_flows,
    threshold_summary,
)
from medkit.plots.maps import (
    city_xy,
    flow_segments,
    plot_cities,
    plot_flows,
    plot_od_heatmap,
    symbol_sizes,
)
from medkit.solutions import edge_list_aggregation as sol
from medkit.widgets.mobility import (
    plot_threshold_effect,
    plot_threshold_view,
    threshold_widget,
    ties_at,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def toy():
    cities = pd.DataFrame(
        {
            "lon": [120.0, 121.0, 122.0, 120.5],
            "lat": [30.0, 29.0, 30.0, 28.0],
            "name_pinyin": ["A", "B", "C", "D"],
        },
        index=[11, 12, 13, 14],
    )
    flows = pd.DataFrame(
        {
            "origin": [11, 12, 13, 11, 14],
            "destination": [12, 11, 11, 13, 11],
            "count": [9, 3, 9, 1, 6],
        }
    )
    return cities, flows


@pytest.fixture(scope="module")
def zhejiang():
    return load_flows("zhejiang"), load_cities("zhejiang")


# ---------------------------------------------------------------- maps: plain functions
def test_city_xy_and_unknown_ids(toy):
    cities, _ = toy
    assert city_xy(cities, [13, 11])["lon"].tolist() == [122.0, 120.0]
    with pytest.raises(DataError, match="unknown city id 99"):
        city_xy(cities, [11, 99])
    with pytest.raises(DataError, match="lon"):
        city_xy(cities.drop(columns="lon"))


def test_flow_segments_are_the_strongest_flows_with_their_ends(toy):
    cities, flows = toy
    seg = flow_segments(cities, flows, top=3)
    # 9, 9 (tie broken by origin), then 6
    assert list(zip(seg["origin"], seg["destination"], strict=True)) == [
        (11, 12),
        (13, 11),
        (14, 11),
    ]
    expected = strongest_flows(flows, 3)
    assert seg["count"].tolist() == expected["count"].tolist()
    assert seg.loc[1, ["lon0", "lat0", "lon1", "lat1"]].tolist() == [122.0, 30.0, 120.0, 30.0]
    assert len(flow_segments(cities, flows, top=None)) == len(flows)
    with pytest.raises(DataError, match="unknown city id"):
        flow_segments(cities.drop(index=14), flows, top=None)


def test_symbol_area_is_proportional_to_value():
    sizes = symbol_sizes([0, 10, 20, 40], size_range=(2, 400))
    assert sizes.tolist() == [2.0, 100.0, 200.0, 400.0]
    assert symbol_sizes([0, 0], size_range=(3, 50)).tolist() == [3.0, 3.0]
    with pytest.raises(ValueError, match="non-negative"):
        symbol_sizes([1, -1])


# ---------------------------------------------------------------- maps: drawings
def test_plot_cities_sizes_colours_and_labels(toy):
    cities, _ = toy
    values = pd.Series({11: 40, 12: 10, 13: 20})  # 14 missing -> 0
    ax = plot_cities(cities, values, size_range=(2, 400), label_top=2)
    points = ax.collections[0]
    # drawn largest first: 11 (40), 13 (20), 12 (10), 14 (0)
    assert points.get_sizes().tolist() == [400.0, 200.0, 100.0, 2.0]
    assert points.get_offsets()[0].tolist() == [120.0, 30.0]
    assert [t.get_text() for t in ax.texts] == ["A", "C"]
    assert ax.get_legend() is not None
    ax = plot_cities(cities, "lon", kind="color")
    assert sorted(ax.collections[0].get_array().tolist()) == [120.0, 120.5, 121.0, 122.0]
    assert len(ax.figure.axes) == 2  # the colour bar
    ax = plot_cities(cities)
    assert len(ax.collections[0].get_offsets()) == 4
    with pytest.raises(ValueError, match="one value per city"):
        plot_cities(cities, [1, 2])
    with pytest.raises(ValueError, match="kind"):
        plot_cities(cities, values, kind="bars")


def test_plot_flows_draws_one_arrow_per_flow_on_given_axes(toy):
    cities, flows = toy
    _, ax = plt.subplots()
    out = plot_flows(cities, flows, top=2, ax=ax)
    assert out is ax
    assert len(ax.patches) == 2
    widths = sorted(p.get_linewidth() for p in ax.patches)
    assert widths[0] == pytest.approx(widths[1])  # both flows carry 9 movers
    ax = plot_flows(cities, flows, top=None, arrows=False, draw_cities=False)
    lines = ax.collections[0]
    assert len(lines.get_segments()) == len(flows)
    assert max(lines.get_linewidths()) == pytest.approx(3.5)
    assert min(lines.get_linewidths()) == pytest.approx(0.4)


def test_od_heatmap_orders_by_group_and_masks_zeros(toy):
    cities, flows = toy
    od = od_matrix(flows, nodes=cities.index)
    groups = pd.Series({11: "north", 12: "south", 13: "north", 14: "south"})
    ax = plot_od_heatmap(od, groups=groups, colorbar=False)
    image = ax.images[0].get_array()
    # order 11, 13 (north), 12, 14 (south)
    assert image[0, 2] == 9 and image[1, 0] == 9 and image[3, 0] == 6
    assert np.ma.is_masked(image[0, 0])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["north", "south"]
    with pytest.raises(ValueError, match="square"):
        plot_od_heatmap(od.iloc[:2])


# ---------------------------------------------------------------- widget over plain functions
def test_ties_at_matches_threshold_summary(zhejiang):
    flows, cities = zhejiang
    summary = threshold_summary(flows, [1, 5, 10], len(cities)).set_index("threshold")
    for t in (1, 5, 10):
        assert len(ties_at(flows, t)) == summary.loc[t, "ties"]
    with pytest.raises(ValueError, match="at least 1"):
        ties_at(flows, 0)


def test_threshold_effect_plot_shows_the_summary(toy):
    _, flows = toy
    summary = threshold_summary(flows, [1, 3, 6, 9, 10], n_nodes=4)
    ax = plot_threshold_effect(summary, current=6)
    assert ax.lines[0].get_ydata().tolist() == summary["density"].tolist()
    assert ax.right_ax.lines[0].get_ydata().tolist() == summary["max_in_degree"].tolist()


def test_threshold_view_draws_degrees_and_strongest_ties(zhejiang):
    flows, cities = zhejiang
    axes = plot_threshold_view(flows, cities, 10, top=30, thresholds=range(1, 21))
    density_ax, hist_ax, map_ax = axes
    summary = threshold_summary(flows, [10], len(cities)).iloc[0]
    assert f"{int(summary['ties']):,} ties" in density_ax.get_title()
    assert len(map_ax.patches) == 30
    degrees = in_degree_table(flows, 10, cities)["in_degree"]
    assert sum(p.get_height() for p in hist_ax.patches) == len(cities)
    sizes = map_ax.collections[0].get_sizes()
    assert len(sizes) == len(cities)
    assert sizes[0] == pytest.approx(300.0)  # the top in-degree city gets the largest symbol
    assert degrees.max() > 0


def test_widget_builds_without_a_browser(zhejiang):
    flows, cities = zhejiang
    widget = threshold_widget(flows, cities, threshold=7, top=40)
    assert widget.children[0].value == 7 and widget.children[1].value == 40
    assert widget.children[0].max == 50


# ---------------------------------------------------------------- exercise checks
def test_exercise_1_counts_moves_from_a_to_b():
    movers = sol.exercise_movers()
    by_hand = int(((movers["origin"] == "A") & (movers["destination"] == "B")).sum())
    assert sol._answer_moves_a_to_b() == by_hand == 4
    assert aggregate_flows(movers)["count"].sum() == len(movers)
    assert sol.check(1, 4).correct is True
    assert sol.check(1, 2).correct is False  # B -> A
    assert "Hint" in repr(sol.check(1, 3))
    assert sol.check(1, ...).correct is None


def test_exercise_2_density(zhejiang):
    flows, cities = zhejiang
    expected = (flows["count"] >= sol.DENSITY_THRESHOLD).sum() / (88 * 87)
    assert sol._answer_density_at_threshold() == pytest.approx(expected)
    assert sol.check(2, round(expected, 4)).correct is True
    assert sol.check(2, expected * 1.1).correct is False
    assert sol.check(2, "dense").correct is False


def test_exercises_3_4_in_degree_table_and_top_attractor(zhejiang):
    flows, cities = zhejiang
    table = in_degree_table(flows, 5, cities)
    assert sol.check(3, table).correct is True
    assert table["in_degree"].iloc[0] > table["in_degree"].iloc[1]  # a unique answer
    code = table.index[0]
    assert sol.check(4, cities.loc[code, "name_pinyin"].lower()).correct is True
    assert sol.check(4, cities.loc[code, "name_zh"]).correct is True
    assert sol.check(4, code).correct is True  # a numpy int64 adcode
    assert sol.check(4, int(table.index[1])).correct is False
    assert sol.check(4, ...).correct is None


def test_exercise_5_first_sparse_threshold(zhejiang):
    flows, cities = zhejiang
    answer = sol._answer_first_sparse_threshold()
    density = threshold_summary(flows, [answer - 1, answer], len(cities))["density"]
    assert density.iloc[0] >= 0.05 > density.iloc[1]
    assert sol.check(5, answer).correct is True
    assert sol.check(5, answer - 1).correct is False
