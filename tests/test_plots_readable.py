"""Figures that can be read: GOF for large networks, plain log ticks, labels that do not
overlap, bars from zero, one colour-blind-safe palette used everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from medkit.ergm.goodness import (
    GofResult,
    degree_distribution,
    esp_distribution,
    geodesic_distribution,
)
from medkit.plots import palette
from medkit.plots.axes import plain_log_ticks, set_plain_log_axis
from medkit.plots.fits import plot_effects_per_sd, plot_published_figures, plot_value_map
from medkit.plots.gof import (
    bin_width,
    binned_counts,
    readable_term,
    standardised_differences,
)
from medkit.plots.maps import place_labels, plot_cities

ROOT = Path(__file__).resolve().parents[1]
PLAIN_NUMBER = re.compile(r"^\d+(\.\d+)?$")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _overlaps(artists) -> list[tuple[str, str]]:
    fig = artists[0].figure
    fig.canvas.draw()
    boxes = [(a.get_text(), a.get_window_extent()) for a in artists if a.get_text()]
    return [
        (ta, tb) for i, (ta, a) in enumerate(boxes) for tb, b in boxes[i + 1 :] if a.overlaps(b)
    ]


# --- goodness of fit ----------------------------------------------------------------------------
def _fake_gof(n: int = 288, nsim: int = 12, seed: int = 0) -> GofResult:
    """A GofResult of a directed n-node network against nsim random ones (no fit needed)."""
    rng = np.random.default_rng(seed)

    def graph(p):
        a = (rng.random((n, n)) < p).astype(np.uint8)
        np.fill_diagonal(a, 0)
        return a

    obs_adj = graph(0.12)
    sims = [graph(0.12) for _ in range(nsim)]
    funcs = {
        "indegree": lambda a: degree_distribution(a, "indegree"),
        "outdegree": lambda a: degree_distribution(a, "outdegree"),
        "esp": lambda a: esp_distribution(a, True),
        "geodesic": lambda a: geodesic_distribution(a, True),
        "model": lambda a: np.array([a.sum(), a.sum(axis=0).std(), (a * a.T).sum() / 2]),
    }
    index = {
        "indegree": list(range(n)),
        "outdegree": list(range(n)),
        "esp": list(range(n - 1)),
        "geodesic": [*range(1, n), "inf"],
        "model": ["edges", "nodeicov.HTH", "edgecov.GeoProx"],
    }
    tables, simulated, observed = {}, {}, {}
    for name, f in funcs.items():
        obs = np.asarray(f(obs_adj), float)
        sim = np.array([f(a) for a in sims], float)
        tables[name] = pd.DataFrame(
            {"obs": obs, "min": sim.min(0), "mean": sim.mean(0), "max": sim.max(0),
             "p-value": 1.0}, index=index[name])  # fmt: skip
        simulated[name], observed[name] = sim, obs
    return GofResult(tables, simulated, observed)


@pytest.fixture(scope="module")
def big_gof():
    return _fake_gof()


def test_gof_of_a_288_node_network_is_binned_with_readable_ticks(big_gof):
    axes = big_gof.plot()
    assert len(axes) == 5
    titles = [ax.get_title() for ax in axes]
    assert titles[:4] == ["in-degree", "out-degree", "edgewise shared partners",
                          "geodesic distance"]  # fmt: skip
    for ax in axes[:3]:
        # at most 30 classes drawn (not one box per degree), a handful of plain ticks
        for line in ax.lines:
            assert len(line.get_xdata()) <= 30
        labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        assert 2 <= len(labels) <= 10
        assert all(PLAIN_NUMBER.match(s.replace("−", "")) for s in labels), labels
        assert ax.get_ylim()[0] == 0
        assert not _overlaps(ax.get_xticklabels())


def test_gof_geodesic_axis_shows_only_the_distances_that_occur(big_gof):
    ax = big_gof.plot()[3]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    finite = big_gof.observed["geodesic"][:-1]
    assert len(labels) <= int(np.nonzero(finite)[0].max()) + 3  # not 288 positions
    assert labels[0] == "1"
    assert not _overlaps(ax.get_xticklabels())


def test_gof_model_statistics_are_standardised_differences_with_readable_names(big_gof):
    ax = big_gof.plot()[4]
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names == ["edges (number of ties)", "HTH: receiver effect", "GeoProx: tie covariate"]
    assert "standardised difference" in ax.get_xlabel()
    assert not _overlaps(ax.get_yticklabels())
    # the observed markers sit at the standardised differences
    z = standardised_differences(big_gof.observed["model"], big_gof.simulated["model"], names)
    marks = ax.collections[-1].get_offsets()[:, 0]
    np.testing.assert_allclose(marks, z["std_difference"].to_numpy())


def test_gof_panels_do_not_overlap_each_other(big_gof):
    axes = big_gof.plot()
    fig = axes[0].figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [ax.get_tightbbox(renderer) for ax in axes]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)


def test_gof_helpers():
    assert [bin_width(k) for k in (1, 30, 31, 61, 150, 288)] == [1, 1, 2, 5, 5, 10]
    assert binned_counts(np.arange(7), 3).tolist() == [3, 12, 6]
    z = standardised_differences([3.0, 5.0], np.array([[1.0, 5.0], [3.0, 5.0]]), ["a", "b"])
    assert z["std_difference"].round(3).tolist() == [0.707, 0.0]
    assert readable_term("nodeocov.GDP") == "GDP: sender effect"
    assert readable_term("mutual") == "mutual (reciprocated pairs)"


def test_small_gof_still_draws_boxes():
    from medkit.ergm import fit, gof
    from medkit.ergm.datasets import florentine_marriage

    g = gof(fit(florentine_marriage(), "edges"), nsim=10, progress=False, seed=1)
    axes = g.plot()
    assert len(axes) == 4 and axes[0].get_title() == "degree"
    assert len(axes[0].patches) > 0  # box plots (patch_artist) for a 16-node network


# --- plain-number log ticks ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "lo, hi", [(0.85, 1.3), (0.5, 8), (0.78, 1.75), (0.95, 1.05), (0.3, 3.5), (0.001, 0.02)]
)
def test_log_ticks_are_plain_round_numbers_inside_the_range(lo, hi):
    ticks = plain_log_ticks(lo, hi)
    assert len(ticks) >= 3
    assert all(lo <= t <= hi for t in ticks)
    assert all(len(f"{t:g}".replace("0.", "").lstrip("0").replace(".", "")) <= 3 for t in ticks)
    if lo <= 1 <= hi:
        assert 1.0 in ticks


def test_forest_plot_ticks_read_as_plain_numbers():
    t = pd.DataFrame(
        {"odds_ratio_per_sd": [0.9, 1.2, 1.6], "or_per_sd_low": [0.85, 1.1, 1.5],
         "or_per_sd_high": [0.95, 1.3, 1.7]}, index=["nodeicov.ENV", "nodeicov.GDP", "x"])  # fmt: skip
    ax = plot_effects_per_sd({"national": t, "zhejiang": t * 1.05})
    ax.figure.canvas.draw()
    labels = [lab.get_text() for lab in ax.get_xticklabels()]
    assert labels and all(PLAIN_NUMBER.match(s) for s in labels), labels
    assert "1" in labels
    assert not [lab.get_text() for lab in ax.xaxis.get_minorticklabels() if lab.get_text()]
    assert not any("10^" in s or "times" in s for s in labels)
    lo, hi = ax.get_xlim()
    assert lo < 0.85 and hi > 1.7 * 1.05


def test_set_plain_log_axis_on_y():
    _, ax = plt.subplots()
    set_plain_log_axis(ax, 0.5, 4, axis="y")
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0.5", "1", "2", "3"]


# --- labels without overlap ---------------------------------------------------------------------
def test_place_labels_moves_crowded_labels_apart_and_is_deterministic():
    rng = np.random.default_rng(3)
    x, y = rng.normal(0, 0.05, 12), rng.normal(0, 0.05, 12)
    names = [f"City number {i}" for i in range(12)]

    def draw():
        _, ax = plt.subplots(figsize=(6, 5))
        ax.scatter(x, y)
        ax.set_xlim(-1, 1)
        ax.set_ylim(-1, 1)
        return ax, place_labels(ax, x, y, names)

    ax, texts = draw()
    assert [t.get_text() for t in texts] == names
    assert not _overlaps(texts)
    _, again = draw()
    assert [t.get_position() for t in texts] == [t.get_position() for t in again]


def test_map_labels_of_the_national_map_do_not_overlap_each_other_or_the_legend():
    from medkit.data import load_cities

    cities = load_cities("national")
    east = cities["lon"] - cities["lon"].min()  # the largest values crowd the east coast
    ax = plot_value_map(cities, east, label_top=12)
    labels = [t for t in ax.texts if t.get_text()]
    assert 6 <= len(labels) <= 12  # the strongest labels that fit
    assert labels[0].get_text() == cities.loc[east.idxmax(), "name_pinyin"]
    assert not _overlaps(labels)
    legend = ax.get_legend().get_window_extent()
    assert not any(t.get_window_extent().overlaps(legend) for t in labels)
    ax2 = plot_cities(cities, east, label_top=12)
    assert not _overlaps([t for t in ax2.texts if t.get_text()])


# --- bars start at zero -------------------------------------------------------------------------
def _bar_axes_start_at_zero(axes):
    for ax in np.ravel(axes):
        if any(type(p).__name__ == "Rectangle" for p in ax.patches):
            assert ax.get_ylim()[0] <= 0 <= ax.get_ylim()[1], ax.get_title()


def test_every_bar_chart_starts_at_zero():
    from medkit.plots.referral import (
        plot_grade_measure,
        plot_scenario,
        plot_strategy_lost_by_grade,
        plot_strategy_measure,
    )
    from medkit.plots.triage import plot_triage_run
    from medkit.widgets.story import plot_choice_shares

    grade = pd.DataFrame({"grade": [1, 2, 3], "measure": "in_degree", "mean": [567e3, 568e3,
                          569e3], "low": [566e3, 567e3, 568e3], "high": [568e3, 569e3, 570e3]})  # fmt: skip
    _bar_axes_start_at_zero(plot_grade_measure(grade, "in_degree"))
    strat = pd.DataFrame({"strategy": ["baseline", "core", "uniform"], "measure": "referrals",
                          "mean": [567e3, 566e3, 568e3], "low": [566e3, 565e3, 567e3],
                          "high": [568e3, 567e3, 569e3]})  # fmt: skip
    _bar_axes_start_at_zero(plot_strategy_measure(strat, "referrals", kind="bars"))
    rows = [{"strategy": s, "measure": f"lost_per_hospital_g{g}", "mean": 5.0 + g, "low": 4.0,
             "high": 9.0} for s in ("baseline", "core") for g in (1, 2, 3)]  # fmt: skip
    _bar_axes_start_at_zero(plot_strategy_lost_by_grade(pd.DataFrame(rows)))
    m = pd.Series({"utilisation_g1": 0.9, "utilisation_g3": 0.8, "tertiary_full_share": 0.4,
                   "referrals_per_patient": 0.55, "serious_reached_grade2_share": 0.95})  # fmt: skip
    _bar_axes_start_at_zero(plot_triage_run(m, m))
    _bar_axes_start_at_zero(plot_choice_shares(0.0, 20.0))
    _bar_axes_start_at_zero(plot_published_figures({"a": 78.2, "b": 76.0}))
    grades = pd.DataFrame({"in_degree": [1.0, 2.0, 9.0], "lost_patients": [0.5, 0.2, 3.0]},
                          index=[1, 2, 3])  # fmt: skip
    pairs = pd.DataFrame({"pair": ["1->3", "2->3"], "share": [60.0, 40.0]})
    _bar_axes_start_at_zero(plot_scenario(grades, pairs))


def test_strategy_points_say_that_the_axis_is_zoomed():
    from medkit.plots.referral import plot_strategy_measure

    strat = pd.DataFrame({"strategy": ["baseline", "core"], "measure": "referrals",
                          "mean": [567e3, 566e3], "low": [566e3, 565e3],
                          "high": [568e3, 567e3]})  # fmt: skip
    ax = plot_strategy_measure(strat, "referrals")
    assert not ax.patches  # points, not bars
    assert "does not start at 0" in ax.get_ylabel()
    with pytest.raises(ValueError, match="kind"):
        plot_strategy_measure(strat, "referrals", kind="pie")


# --- one colour-blind-safe palette --------------------------------------------------------------
HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


def test_no_hard_coded_colours_outside_the_palette_module():
    offenders = []
    for folder in ("plots", "widgets"):
        for path in sorted((ROOT / "medkit" / folder).glob("*.py")):
            if path.name == "palette.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if HEX.search(line) or re.search(r"tab10|\"(red|green|gold)\"", line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_grades_tiers_and_strategies_use_okabe_ito():
    okabe = set(palette.OKABE_ITO.values())
    assert set(palette.GRADE_COLOURS.values()) <= okabe
    assert len(set(palette.GRADE_COLOURS.values())) == 3
    assert palette.TIER_COLOURS["primary"] == palette.GRADE_COLOURS[1]
    assert palette.TIER_COLOURS["high-tier"] == palette.GRADE_COLOURS[3]
    others = {k: v for k, v in palette.STRATEGY_COLOURS.items() if k != "baseline"}
    assert set(others.values()) <= okabe and len(set(others.values())) == len(others)
    assert palette.category_colours(8) == palette.CATEGORY_COLOURS


def test_figures_draw_categories_in_palette_colours():
    from medkit.plots.referral import GRADE_COLOURS, plot_plane, plot_strategy_lost_by_grade
    from medkit.referral import ReferralParams, make_layout
    from medkit.widgets.story import plot_choice_shares

    assert GRADE_COLOURS is palette.GRADE_COLOURS
    allowed = {c.lower() for c in palette.PALETTE_COLOURS}
    ax = plot_plane(make_layout(ReferralParams.small(), seed=1))
    used = {to_hex(c).lower() for coll in ax.collections for c in coll.get_facecolors()}
    assert used <= allowed and len(used) == 3
    ax = plot_plane(make_layout(ReferralParams.small(), seed=1), colour=np.arange(50) % 5)
    used = {to_hex(c).lower() for coll in ax.collections for c in coll.get_facecolors()}
    assert used <= allowed and len(used) == 5
    rows = [{"strategy": s, "measure": f"lost_per_hospital_g{g}", "mean": 1.0, "low": 0.5,
             "high": 1.5} for s in palette.STRATEGY_COLOURS for g in (1, 2, 3)]  # fmt: skip
    ax = plot_strategy_lost_by_grade(pd.DataFrame(rows))
    used = {to_hex(p.get_facecolor()).lower() for p in ax.patches}
    assert used == {c.lower() for c in palette.STRATEGY_COLOURS.values()}
    ax = plot_choice_shares(0.0, 20.0)
    bars = [to_hex(p.get_facecolor()).upper() for p in ax.patches]
    assert bars == [palette.TIER_COLOURS["primary"], palette.TIER_COLOURS["high-tier"]]


def test_setup_lesson_makes_the_palette_the_default_cycle():
    import matplotlib as mpl

    from medkit.lesson import setup_lesson

    setup_lesson()
    cycle = [to_hex(c["color"]).upper() for c in mpl.rcParams["axes.prop_cycle"]]
    assert cycle == palette.CATEGORY_COLOURS
