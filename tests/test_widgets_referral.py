"""Lesson 05: the plain functions behind its widgets, the widgets, plots and exercise checks."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from medkit.errors import DataError  # noqa: E402
from medkit.plots import referral as plots  # noqa: E402
from medkit.referral import (  # noqa: E402
    ReferralParams,
    key_nodes,
    layout_from_arrays,
    stability_matrix,
    stability_table,
)
from medkit.referral import reference as R  # noqa: E402
from medkit.referral.experiment import run_experiment  # noqa: E402
from medkit.referral.model import make_engine  # noqa: E402
from medkit.solutions import referral_abm as sol  # noqa: E402
from medkit.widgets import referral as W  # noqa: E402

LINE = layout_from_arrays([1, 1, 3], [0, 10, 40], [0, 0, 0], [5, 5, 5], side_km=50)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def experiment():
    p = ReferralParams.small(days=30, strategy_days=10)
    return run_experiment(p, runs=2, n_jobs=1, progress=False, seed=3)


# --- choice rule --------------------------------------------------------------------------------
def test_choice_probabilities_by_hand():
    probs = W.choice_probabilities(0, [5, 5, 5], 1.0 - np.eye(3), LINE)
    pref = np.array([0.5, 0.881])
    expected = (
        0.3 * np.array([0.5, 0.5])
        + 0.3 * np.array([1 / 10, 1 / 40]) / (1 / 10 + 1 / 40)
        + 0.4 * pref / pref.sum()
    )
    assert probs[0] == 0
    np.testing.assert_allclose(probs[1:], expected, atol=1e-12)
    assert probs.sum() == pytest.approx(1.0)


def test_choice_probabilities_only_free_candidates_and_pure_terms():
    probs = W.choice_probabilities(0, [5, 0, 5], 1.0 - np.eye(3), LINE)
    assert probs.tolist() == [0.0, 0.0, 1.0]
    assert W.choice_probabilities(0, [5, 0, 0], 1.0 - np.eye(3), LINE).sum() == 0
    only_history = ReferralParams(n_hospitals=3, weight_history=1.0, weight_distance=0.0)
    w = np.array([[0, 3, 1], [1, 0, 1], [1, 1, 0]], float)
    np.testing.assert_allclose(
        W.choice_probabilities(0, [5, 5, 5], w, LINE, only_history), [0, 0.75, 0.25]
    )


def test_choice_probabilities_agree_with_engine_reference():
    lay = layout_from_arrays([1, 1, 2, 3], [1, 19, 10, 10], [10, 10, 2, 18], [5] * 4, side_km=20)
    p = ReferralParams(n_hospitals=4)
    eng, _ = make_engine(lay, p, seed=0)
    eng.W[0, :] = [0, 5, 2, 1]
    probs = W.choice_probabilities(0, [5, 5, 5, 5], eng.W, lay, p)
    cum = np.cumsum(probs)
    for u in np.linspace(0.001, 0.999, 57):
        expected = int(np.searchsorted(cum, u * cum[-1], side="right"))
        assert R._pick([1, 2, 3], u, 0, eng) == expected


# --- trace --------------------------------------------------------------------------------------
def test_trace_follows_the_rules():
    lay = W.toy_layout()
    trace = W.trace_patients(lay, n_patients=8, seed=1)
    assert set(trace["action"]) <= {"cured", "referred", "lost"}
    for _, rows in trace.groupby("patient"):
        assert rows["visit"].tolist() == list(range(len(rows)))
        assert len(rows) <= ReferralParams().referral_limit + 1
        first = rows.iloc[0]
        d = np.hypot(lay.x - first["px"], lay.y - first["py"])
        assert first["hospital"] == int(np.argmin(d))  # nearest hospital first
        assert rows.iloc[-1]["action"] in ("cured", "lost")
        # each referral goes where the next row is, to a hospital that had room
        for a, b in zip(rows.iloc[:-1].itertuples(), rows.iloc[1:].itertuples(), strict=True):
            assert a.action == "referred" and a.next_hospital == b.hospital
            assert a.probabilities[b.hospital] > 0
            assert a.free_before[b.hospital] > 0 or a.hospital == b.hospital
    full = trace[trace["reason"].str.startswith("full")]
    assert len(full) and not full["treated"].any()  # a full hospital does not treat
    again = W.trace_patients(lay, n_patients=8, seed=1)
    assert again["hospital"].tolist() == trace["hospital"].tolist()


def test_trace_full_hospital_and_referral_limit():
    never = ReferralParams(n_hospitals=3, cure_probability=(0.0, 0.0, 0.0), referral_limit=2)
    t = W.trace_patients(LINE.with_capacity([100, 100, 100]), never, n_patients=1, seed=0)
    assert len(t) == 3 and t["treated"].all()
    assert t["action"].tolist() == ["referred", "referred", "lost"]
    assert "referral limit" in t.iloc[-1]["reason"]
    starts = {
        s: W.trace_patients(LINE.with_capacity([0, 0, 1]), n_patients=1, seed=s) for s in range(20)
    }
    full = next(t for t in starts.values() if t.iloc[0]["hospital"] != 2)
    assert not full.iloc[0]["treated"] and full.iloc[0]["action"] == "referred"
    assert full.iloc[0]["next_hospital"] == 2
    nothing = W.trace_patients(LINE.with_capacity([0, 0, 0]), n_patients=1, seed=0)
    assert nothing["action"].tolist() == ["lost"]
    assert "no hospital has room" in nothing.iloc[0]["reason"]


def test_describe_step_and_trace_widget():
    lay = W.toy_layout()
    trace = W.trace_patients(lay, n_patients=8, seed=1)
    k = int((trace["action"] == "referred").to_numpy().argmax())
    text = W.describe_step(trace, k)
    assert "Chosen: hospital" in text
    ax = plots.plot_trace_step(lay, trace, k)
    assert ax.get_title().startswith("patient")
    widget = W.patient_trace_widget(lay, n_patients=8, seed=1)
    assert widget.children[0].max == len(trace) - 1


# --- scenario -----------------------------------------------------------------------------------
def test_run_scenario_is_seeded_and_capacity_matters():
    a = W.run_scenario(days=30, seed=2)
    b = W.run_scenario(days=30, seed=2)
    pd.testing.assert_frame_equal(a.grades, b.grades)
    assert list(a.grades.index) == [1, 2, 3]
    assert a.grades.loc[3, "in_degree"] > a.grades.loc[1, "in_degree"]
    starved = W.run_scenario(capacity_scale=(1, 1, 0.25), days=30, seed=2)
    assert starved.grades.loc[3, "in_degree"] < a.grades.loc[3, "in_degree"]
    assert starved.totals["lost"] > a.totals["lost"]
    assert a.params.weight_grade == pytest.approx(0.4)


def test_run_scenario_refuses_bad_input():
    with pytest.raises(DataError):
        W.run_scenario(0.8, 0.5, days=5)
    with pytest.raises(DataError):
        W.run_scenario(capacity_scale=(1, 1), days=5)


def test_scenario_widget_builds_and_redraws():
    widget = W.scenario_widget(days=5)
    names = [c.description for c in widget.children[:8]]
    assert names[:2] == ["A: weight of referral history", "B: weight of distance"]
    assert len(set(names)) == 8 and all(c.style.description_width == "initial"
                                        for c in widget.children[:8])  # fmt: skip
    assert [n.split(" (")[0] for n in names[5:]] == ["capacity of primary", "capacity of "
                                                     "secondary", "capacity of tertiary"]  # fmt: skip
    widget.children[0].value = 0.9  # A + B > 1: a message, not an error
    widget.update()
    s = W.run_scenario(days=5)
    axes = plots.plot_scenario(s.grades, s.pairs)
    assert len(axes) == 2


# --- analysis plots and comparison -----------------------------------------------------------------
def test_figures_from_an_experiment(experiment):
    lay = experiment.layout
    table = experiment.grade_table()
    axes = plots.plot_grade_panels(table, ["in_degree", "out_degree", "lost_patients"], ncols=2)
    assert np.ravel(axes)[-1].get_visible() is False
    key = key_nodes(experiment.stable)
    ax = plots.plot_key_nodes(key)
    assert len(ax.get_yticklabels()) == key["metric"].nunique()
    st = experiment.strategy_table()
    ax = plots.plot_strategy_lost_by_grade(st)
    assert len(ax.patches) == 3 * len(experiment.phase_b)
    ax = plots.plot_strategy_measure(st, "referrals")  # points on a zoomed axis, said so
    assert len(ax.get_xticklabels()) == len(experiment.phase_b) and len(ax.patches) == 0
    assert "does not start at 0" in ax.get_ylabel()
    ax = plots.plot_strategy_measure(st, "referrals", kind="bars")
    assert len(ax.patches) == len(experiment.phase_b) and ax.get_ylim()[0] == 0
    ax = plots.plot_plane(lay, colour=np.zeros(lay.n_hospitals, int), edges=experiment.stable)
    assert len(ax.lines) == experiment.stable.number_of_edges()


def test_stability_heatmap(experiment):
    from medkit.referral import run_evolution

    p = experiment.params
    r = run_evolution(experiment.layout, p, days=30, snapshots=(10, 20, 30), seed=1)
    m = stability_matrix(stability_table(r.snapshots))
    ax = plots.plot_stability_heatmap(m)
    assert len(ax.texts) == 6


def test_paper_comparison(experiment):
    table = W.paper_comparison(experiment)
    q = table.set_index("quantity")
    assert q.loc["hospitals", "paper"] == 200 and q.loc["hospitals", "medkit"] == 50
    assert q.loc["mean degree of the top-5 % network", "paper"] == pytest.approx(9.95)
    assert q.loc["in-degree rises with grade", "medkit"] in ("yes", "no")
    assert set(map(str, table["kept"])) <= {"True", "False", "n/a"}
    assert "phase B share 1->3 (%)" in q.index


# --- exercises ------------------------------------------------------------------------------------
def test_checks_accept_answers_and_never_raise():
    assert sol.check(1, sol._answer_tertiary_probability()).correct
    assert sol._answer_tertiary_probability() == pytest.approx(0.15 + 0.06 + 0.4 * 0.881 / 1.381)
    assert sol.check(2, 5).correct
    assert sol.check(2, 4).correct is False
    assert sol.check(4, sol._answer_stronger_lever()).correct
    assert sol._answer_stronger_lever() == "capacity"
    for number in (1, 2, 3, 4, 5):
        assert sol.check(number, ...).correct is None
        assert sol.check(number, "nonsense").correct is False
    v = sol.stronger_lever_values()
    assert v["capacity"] < v["paper"]
