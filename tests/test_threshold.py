"""Lesson 07 support: the comparison across models, its verdicts, the widget and the checks."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from medkit import threshold as th


def _row(model, cov, est, p, level="zhejiang"):
    return {"level": level, "model": model, "covariate": cov, "coefficient": cov,
            "estimate": est, "se": 1.0, "z": est, "p": p}  # fmt: skip


def test_paper_claims_follow_the_published_tables():
    z = th.paper_claims("zhejiang")
    nat = th.paper_claims("national")
    assert z.loc["HTH", "claim"] == nat.loc["HTH", "claim"] == "positive and significant"
    assert z.loc["PCF", "claim"] == nat.loc["PCF", "claim"] == "not significant"
    assert z.loc["CulProx", "sign"] == -1 and nat.loc["CulProx", "sign"] == 1


def test_verdict_rules():
    table = pd.DataFrame(
        [
            _row("A", "HTH", 2.0, 0.001),
            _row("A", "PCF", 0.1, 0.6),
            _row("A", "GeoProx", 1.0, 0.01),
            _row("A", "CulProx", -1.0, 0.01),
            _row("B", "HTH", -2.0, 0.001),  # wrong sign
            _row("B", "PCF", 3.0, 0.001),  # a null that turns significant
            _row("B", "GeoProx", 1.0, 0.2),  # not significant
            _row("B", "CulProx", 1.0, 0.01),  # Zhejiang's CulProx is negative in the paper
        ]
    )
    v = th.verdicts(table, "zhejiang")
    assert v["A"].tolist() == ["holds"] * 4
    assert v["B"].tolist() == ["fails"] * 4
    lines = th.verdict_statements(v)
    assert lines[0] == "HTH pull (paper: positive and significant) holds under A; fails under B."


def test_coefficient_names_map_to_covariates():
    assert th.covariate_of("edgecov.sum.CulProx") == "CulProx"
    assert th.covariate_of("nodeicov.PCF") == "PCF"
    assert th.covariate_of("dest.INT") == "INT"


def test_shipped_model_output_is_what_the_command_makes():
    shipped = th.load_comparison("zhejiang")
    assert set(th.THRESHOLDS) <= {
        int(m.split(">= ")[1]) for m in shipped["model"] if m.startswith("binary")
    }
    assert {"valued ERGM", "valued ERGM + mutual", "gravity (origin-constrained)"} <= set(
        shipped["model"]
    )
    fresh = th.comparison("zhejiang")  # everything but the MCMC fit, which is seeded
    merged = fresh.merge(shipped, on=["model", "covariate"], suffixes=("", "_shipped"))
    assert len(merged) == len(fresh)
    np.testing.assert_allclose(merged["estimate"], merged["estimate_shipped"], rtol=1e-4)
    np.testing.assert_allclose(merged["se"], merged["se_shipped"], rtol=1e-4)


def test_conclusions_at_threshold_refits_the_binary_model():
    at5 = th.conclusions_at_threshold("zhejiang", 5)
    at20 = th.conclusions_at_threshold("zhejiang", 20)
    assert at5.index.tolist() == ["HTH pull", "PCF null", "GeoProx", "CulProx"]
    assert at5.attrs["ties"] > at20.attrs["ties"]
    hth = th.binary_fit("zhejiang", 5)
    assert at5.loc["HTH pull", "estimate"] == pytest.approx(hth.params["nodeicov.HTH"])
    assert set(at5["verdict"]) <= {"holds", "fails"}


def test_widget_and_plots_build():
    from medkit.widgets.threshold import (
        plot_comparison_z,
        plot_conclusions_at_threshold,
        threshold_conclusions_widget,
    )

    ax = plot_comparison_z(th.load_comparison("zhejiang"), "zhejiang")
    assert len(ax.get_yticklabels()) == 4
    frame = th.conclusions_at_threshold("zhejiang", 10)
    ax = plot_conclusions_at_threshold(frame, 10)
    assert [round(b.get_width(), 6) for b in ax.containers[0]] == [round(z, 6) for z in frame["z"]]
    box = threshold_conclusions_widget("zhejiang", thresholds=[5, 10], start=5)
    slider = box.children[0]
    slider.value = 10  # redraws through conclusions_at_threshold
    assert slider.value == 10


def test_lesson_checks():
    from medkit.solutions import threshold as solutions

    for ex in solutions.book.exercises:
        for form in ex.all_right_forms():
            assert solutions.check(ex.number, form).correct, (ex.number, form)
        for wrong, fragment in ex.all_wrong_answers():
            res = solutions.check(ex.number, wrong)
            assert res.correct is False and fragment in res.message, (ex.number, wrong)
    origin = th.gravity_fit("zhejiang")
    assert "origin model" in solutions.check(2, origin).message
    assert solutions.check(1, ...).correct is None
