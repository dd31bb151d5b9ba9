"""Lesson 06 pieces: the widget over its plain function, exercise checks, plots."""

import pytest

from medkit.plots.triage import plot_dose_response, plot_imbalance_heatmap
from medkit.referral.triage import compare_run, summarise_sweep, sweep
from medkit.solutions import digital_triage as sol
from medkit.widgets.triage import show_triage_run, triage_widget


def test_new_plots_draw():
    from medkit.plots.triage import plot_lever_effects, plot_premise, plot_trust_by_tool
    from medkit.referral.triage import load_lever_effects, load_lever_runs

    e = load_lever_effects("small")
    ax = plot_lever_effects(e, "imbalance_index")
    assert len(ax.get_yticklabels()) == 6 and ax.get_legend() is not None
    ax = plot_trust_by_tool(load_lever_runs("small", "fulu"), {"useless tool": 0.85})
    assert len(ax.patches) == 6
    import pandas as pd

    t = pd.DataFrame({"grade": ["primary", "secondary", "tertiary"], "yang": [1.0, 0.9, 0.8],
                      "fulu": [0.52, 0.8, 0.85], "target": [0.521, 0.8, 0.853]})  # fmt: skip
    assert len(plot_premise(t).patches) == 9


def test_compare_run_in_the_fulu_world():
    t = compare_run(0.5, 0.9, 0.85, 1.0, days=10, world="fulu")
    assert t.loc["trust_adopters", "no triage"] != t.loc["trust_adopters", "no triage"]  # NaN
    assert 0 < t.loc["trust_adopters", "with triage"] <= 1
    assert t.loc["utilisation_g1", "no triage"] < 0.8


def test_compare_run_pairs_the_same_seed():
    t = compare_run(1.0, 0.9, 0.85, 0.5, days=20)
    assert list(t.columns) == ["no triage", "with triage", "change"]
    assert t.loc["utilisation_g1", "no triage"] == 1.0
    assert t.loc["referrals_per_patient", "change"] > 0
    assert compare_run(1.0, 0.9, 0.85, 0.5, days=20).equals(t)
    assert (compare_run(0.0, 0.5, 0.5, 1.0, days=20)["change"].dropna() == 0).all()


def test_widget_builds_and_draws():
    w = triage_widget(adoption=0.3, days=5)
    names = [c.description for c in w.children[:4]]
    assert names == ["triage adoption (share of primary hospitals)", "tool sensitivity",
                     "tool specificity", "trust: cut in bypassing primary care"]  # fmt: skip
    assert w.children[0].value == pytest.approx(0.3)
    ax = show_triage_run(0.5, 0.6, 0.6, 0.0, days=5)
    assert len(ax.patches) == 10 and "sensitivity 0.60" in ax.get_title()


def test_exercise_answers_and_checks():
    assert sol._answer_primary_mixed_cure() == pytest.approx(0.75)
    assert sol.check_primary_mixed_cure(0.75).correct
    assert sol.check_primary_mixed_cure(0.85).correct is False
    assert sol.check_primary_mixed_cure(...).correct is None
    assert sol._answer_false_positive_share_of_flagged() == pytest.approx(0.4)
    assert sol.check_false_positive_share_of_flagged(0.4).correct
    assert not sol.check_false_positive_share_of_flagged(0.15).correct


def test_exercise_book_right_forms_pass_and_wrong_answers_explain():
    for ex in sol.book.exercises:
        for form in ex.all_right_forms():
            assert sol.check(ex.number, form).correct, (ex.number, form)
        for wrong, fragment in ex.all_wrong_answers():
            r = sol.check(ex.number, wrong)
            assert r.correct is False and fragment in r.message, (ex.number, wrong, r.message)
    assert "1.81" in sol.CODE_INDEX and sol._answer_real_imbalance_index() == pytest.approx(
        1.029 / 0.567, abs=0.001
    )
    assert "only below 1" in sol.check(5, "b").message  # each option explains itself
    assert sol.check(5, "the imbalance grew: high-tier care, already the fuller side, got "
                     "relatively fuller").correct  # fmt: skip
    assert not sol.check(5, "a move towards equal load").correct


def test_show_hides_answers_in_the_student_edition(capsys, monkeypatch):
    monkeypatch.setenv("MEDKIT_HIDE_ANSWERS", "1")
    sol.show(2)
    assert "0.40" not in capsys.readouterr().out
    monkeypatch.delenv("MEDKIT_HIDE_ANSWERS")
    sol.show(2)
    assert "0.40" in capsys.readouterr().out


def test_direction_check_and_plots_on_a_real_sweep():
    runs = sweep("small", {"triage_adoption": [0.0, 1.0], "accuracy": [0.5, 0.9]}, runs=3,
                 days=30, n_jobs=1, progress=False, seed=2)  # fmt: skip
    s = summarise_sweep(runs, by=["triage_adoption", "triage_sensitivity"])
    dose = s[s["triage_sensitivity"] == 0.9]
    assert sol._answer_imbalance_direction(dose) == "rises"
    assert sol.check_imbalance_direction("rises", dose).correct
    assert not sol.check_imbalance_direction("falls", dose).correct
    ax = plot_dose_response(s, "imbalance_index", hue="triage_sensitivity")
    assert len(ax.lines) == 2 and len(ax.collections) == 2
    ax = plot_imbalance_heatmap(s)
    assert len(ax.texts) == 4
    assert isinstance(ax.get_title(), str)


def test_counterfactual_check():
    from medkit.counterfactual import fit_model3

    cf = fit_model3("zhejiang")
    assert sol.check_target_pcf_raw(cf.target_pcf_raw(), cf).correct
    assert not sol.check_target_pcf_raw(cf.params_raw["nodeicov.PCF"], cf).correct


def test_shipped_paper_scale_model_output():
    """The paper-scale effects shipped for the lesson: same verdict as the reduced scale."""
    from medkit.referral.triage import load_paper_effects

    e = load_paper_effects().set_index(["variant", "comparison", "measure"]).sort_index()
    assert set(e.index.get_level_values("variant")) == {
        "lost patients dropped", "lost patients re-enter (authors' code)"}  # fmt: skip
    d = e.loc[("lost patients dropped", "default tool")]
    assert (d["n"] == 10).all()
    assert d.loc["lost_g3", "low"] > 0  # LP at tertiary hospitals rise, beyond noise
    assert d.loc["referrals_per_patient", "low"] > 0
    assert d.loc["serious_reached_grade2_share", "low"] > 0
    u = e.loc[("lost patients dropped", "useless tool")]
    assert u.loc["lost_g3", "mean_b"] > d.loc["lost_g3", "mean_b"]
    r = e.loc[("lost patients re-enter (authors' code)", "default tool")]
    assert r.loc["lost_rate", "mean_b"] > 0.3  # the backlog tips the system over
