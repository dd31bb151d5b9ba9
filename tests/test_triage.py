"""Digital triage (issue 7): the Done-when claims, checked at a reduced scale with 10 seeds.

Scale: ``ReferralParams.small()`` (50 hospitals, 10,250 patients a day) with 100 days of Phase A,
one layout, 10 paired seeds. Baseline = siphoning scenario without triage; default tool =
``ReferralParams.triage()`` settings (50 % adoption, sensitivity 0.9, specificity 0.85).

Claims that the engine does *not* reproduce are strict expected failures (``xfail(strict=True)``)
with the reason: if a model change makes them hold, the suite says so.
"""

import numpy as np
import pandas as pd
import pytest

from medkit.referral import ReferralParams, make_layout, run_evolution
from medkit.referral.triage import (
    KEY_MEASURES,
    default_tool,
    effect,
    monotone_within_noise,
    scenario,
    summarise_sweep,
    sweep,
    triage_assumptions,
    triage_measures,
)

DAYS = 100
RUNS = 10


@pytest.fixture(scope="module")
def runs():
    grid = [
        {"triage_adoption": 0.0},
        {"triage_adoption": 0.5},
        {"triage_adoption": 1.0},
        {"triage_adoption": 0.5, "accuracy": 0.5},
    ]
    return sweep("small", grid, runs=RUNS, days=DAYS, n_jobs=2, progress=False, seed=7)


def _pick(runs, adoption, accuracy=None):
    sel = runs["triage_adoption"] == adoption
    if accuracy is None:
        sel &= runs["triage_sensitivity"] == 0.9
    else:
        sel &= runs["triage_sensitivity"] == accuracy
    out = runs[sel]
    assert len(out) == RUNS
    return out


@pytest.fixture(scope="module")
def default_effect(runs):
    return effect(_pick(runs, 0.0), _pick(runs, 0.5))


@pytest.fixture(scope="module")
def useless_effect(runs):
    return effect(_pick(runs, 0.0), _pick(runs, 0.5, accuracy=0.5))


# --- triage off == baseline ----------------------------------------------------------------------
@pytest.mark.parametrize("base", [ReferralParams.small(days=30), scenario("small", days=30)])
def test_triage_off_equals_baseline_exactly(base):
    """Adoption 0: the tool's other settings change nothing, bit for bit, for the same seed."""
    lay = make_layout(base, seed=3)
    off = base.replace(triage_sensitivity=0.55, triage_specificity=0.6, ai_cure_routine=1.0,
                       trust_bypass_reduction=1.0, triage_referral_min_grade=3)  # fmt: skip
    a = run_evolution(lay, base, seed=11)
    b = run_evolution(lay, off, seed=11)
    np.testing.assert_array_equal(a.weights, b.weights)
    np.testing.assert_array_equal(a.referrals, b.referrals)
    pd.testing.assert_frame_equal(a.hospitals, b.hospitals)
    pd.testing.assert_frame_equal(a.daily, b.daily)
    assert a.counters == b.counters
    assert b.counters["triaged"] == 0 and not b.adopters.any()


def test_plain_model_unchanged_by_triage_defaults():
    """The siphoning options off and adoption 0 give the authors' model (the baseline issue)."""
    p = ReferralParams.small(days=30)
    lay = make_layout(p, seed=3)
    a = run_evolution(lay, p, seed=5)
    b = run_evolution(lay, p.replace(triage_adoption=0.0, bypass_share=0.0), seed=5)
    assert triage_measures(a).equals(triage_measures(b))


# --- the default tool ------------------------------------------------------------------------------
@pytest.mark.xfail(
    strict=True,
    reason="engine finding: with the default tool LP at tertiary hospitals does not fall beyond "
    "the 10-seed interval (flagged and trust-returned patients add upstream load)",
)
def test_default_tool_reduces_tertiary_lost_patients(default_effect):
    e = default_effect.loc["lost_g3"]
    assert e["high"] < 0


@pytest.mark.xfail(
    strict=True,
    reason="engine finding: referrals per patient RISE with the default tool (direct referrals "
    "of flagged patients, and patients no longer bypassing are turned away by full primaries)",
)
def test_default_tool_reduces_referrals_per_patient(default_effect):
    assert default_effect.loc["referrals_per_patient", "high"] < 0


@pytest.mark.xfail(
    strict=True,
    reason="engine finding: primary hospitals are full every day (utilisation 1) in Yang et "
    "al.'s set-up, so primary utilisation cannot rise",
)
def test_default_tool_raises_primary_utilisation(default_effect):
    assert default_effect.loc["utilisation_g1", "low"] > 0


def test_default_tool_effects_as_measured(default_effect):
    """What the default tool does do, each beyond the 10-seed uncertainty."""
    e = default_effect
    assert (e.loc["utilisation_g1", ["mean_a", "mean_b"]] == 1.0).all()  # primaries always full
    assert e.loc["referrals_per_patient", "low"] > 0  # more referrals
    assert e.loc["imbalance_index", "low"] > 0  # tertiary fuller relative to primary
    assert e.loc["serious_reached_grade2_share", "low"] > 0  # but more serious patients get up
    assert e.loc["lost_g3", "beyond_noise"] == False  # noqa: E712  (no change in LP at grade 3)
    assert 0.02 < e.loc["referrals_per_patient", "relative"] < 0.12


# --- a useless tool ------------------------------------------------------------------------------
def test_useless_tool_gives_no_benefit(useless_effect, default_effect):
    """Sensitivity = specificity = 0.5: no measure of imbalance improves beyond noise."""
    e = useless_effect
    for m, better in [("lost_g3", -1), ("referrals_per_patient", -1), ("imbalance_index", -1),
                      ("utilisation_g1", 1), ("days_at_capacity_g3", -1), ("mean_travel_km", -1)]:  # fmt: skip
        if better < 0:
            assert not e.loc[m, "high"] < 0, m
        else:
            assert not e.loc[m, "low"] > 0, m
    # and it is worse than the default tool on load at the top
    assert e.loc["referrals_per_patient", "mean_b"] > default_effect.loc["referrals_per_patient", "mean_b"]  # fmt: skip
    assert e.loc["imbalance_index", "mean_b"] > default_effect.loc["imbalance_index", "mean_b"]


# --- dose-response ---------------------------------------------------------------------------------
def test_dose_response_monotone_within_noise(runs):
    tool = runs[runs["triage_sensitivity"] == 0.9]
    s = summarise_sweep(tool, by=["triage_adoption"])
    assert sorted(s["triage_adoption"].unique()) == [0.0, 0.5, 1.0]
    expected = {
        "imbalance_index": "increasing",
        "referrals_per_patient": "increasing",
        "serious_reached_grade2_share": "increasing",
        "days_at_capacity_g3": "increasing",
        "visit_share_g1": "decreasing",
    }
    for m, direction in expected.items():
        assert monotone_within_noise(s, "triage_adoption", m) == direction, m
    # and the means themselves are strictly ordered for the index
    means = s[s["measure"] == "imbalance_index"].sort_values("triage_adoption")["mean"]
    assert means.is_monotonic_increasing


def test_monotone_within_noise_rejects_a_real_reversal():
    s = pd.DataFrame({"a": [0, 1, 2], "measure": "m", "mean": [1.0, 2.0, 1.0],
                      "low": [0.9, 1.9, 0.9], "high": [1.1, 2.1, 1.1]})  # fmt: skip
    assert monotone_within_noise(s, "a", "m") is None


# --- tables and assumptions --------------------------------------------------------------------------
def test_sweep_is_tidy_and_reproducible():
    kw = dict(runs=2, days=5, n_jobs=1, progress=False, seed=3)
    a = sweep("small", {"triage_adoption": [0.0, 1.0]}, **kw)
    b = sweep("small", {"triage_adoption": [0.0, 1.0]}, **kw)
    pd.testing.assert_frame_equal(a, b)
    assert list(a.columns[:5]) == ["triage_adoption", "triage_sensitivity",
                                   "triage_specificity", "layout", "run"]  # fmt: skip
    assert set(KEY_MEASURES) <= set(a.columns) and len(a) == 4
    s = summarise_sweep(a)
    assert {"mean", "sd", "n", "low", "high"} <= set(s.columns)
    assert (s[~s["measure"].str.startswith("trust")]["n"] == 2).all()
    assert (s[s["measure"].str.startswith("trust")]["n"] == 0).all()  # no learning in this world


def test_sweep_parallel_equals_serial():
    kw = dict(runs=2, days=5, progress=False, seed=3)
    a = sweep("small", {"triage_adoption": [0.5]}, n_jobs=1, **kw)
    b = sweep("small", {"triage_adoption": [0.5]}, n_jobs=2, **kw)
    pd.testing.assert_frame_equal(a, b)


def test_imbalance_index_is_the_utilisation_ratio():
    p = default_tool("small", days=10)
    m = triage_measures(run_evolution(make_layout(p, seed=1), p, seed=2))
    assert m["imbalance_index"] == pytest.approx(m["utilisation_g3"] / m["utilisation_g1"])
    assert 0 <= m["tertiary_full_share"] <= 1


def test_every_assumption_is_documented_with_a_verbatim_quote(shared_dir):
    seeds = shared_dir / "seeds"
    text = " ".join(p.read_text(encoding="utf-8") for p in seeds.glob("*.txt"))
    t = triage_assumptions()
    params = set(ReferralParams.__dataclass_fields__)
    triage_fields = {"serious_share", "cure_routine", "cure_serious", "bypass_share",
                     "triage_adoption", "triage_sensitivity", "triage_specificity",
                     "ai_cure_routine", "triage_referral_min_grade", "trust_bypass_reduction"}  # fmt: skip
    named = {p.strip() for row in t["parameter"] for p in row.split(",")}
    assert triage_fields <= named
    assert triage_fields <= params
    for quote in t["quote"]:
        assert quote in text, quote
    assert set(t["source"]) == {"Fu & Lu (2025)", "Yang et al. (2025)"}


def test_per_new_patient_rates_use_first_arrivals():
    p = default_tool("small", days=10)
    res = run_evolution(make_layout(p, seed=1), p, seed=2)
    m = triage_measures(res)
    new = res.daily["new_patients"].sum()
    assert m["referrals_per_new_patient"] == pytest.approx(res.counters["referrals"] / new)
    # re-entering lost patients are counted again by the engine's ``patients`` counter
    assert res.counters["patients"] == res.daily["patients"].sum() >= new
    assert m["referrals_per_new_patient"] >= m["referrals_per_patient"]


@pytest.mark.parametrize("experiment", ["effects", "dose-response", "heatmap"])
def test_command_line_writes_tidy_csvs(experiment, tmp_path, capsys):
    from medkit.referral.triage import main

    args = [experiment, "--scale", "small", "--seeds", "2", "--days", "5", "--n-jobs", "1",
            "--adoption", "0", "1", "--accuracy", "0.9", "--out", str(tmp_path), "--no-progress"]  # fmt: skip
    assert main(args) == 0
    stem = f"triage_{experiment.replace('-', '_')}_small"
    runs = pd.read_csv(tmp_path / f"{stem}_runs.csv")
    summary = pd.read_csv(tmp_path / f"{stem}_summary.csv")
    assert {"run", "imbalance_index", "triage_adoption"} <= set(runs.columns)
    assert len(summary) > 0 and "measure" in summary.columns
    assert capsys.readouterr().out


def test_sweep_same_seeds_serial_or_parallel_and_at_every_grid_point():
    """Runs reuse the same seed objects: results must not depend on n_jobs or on order."""
    grid = [{"triage_adoption": 0.0}, {"triage_adoption": 0.0, "bypass_share": 0.3}]
    serial = sweep("small", grid, runs=2, days=4, n_jobs=1, progress=False, seed=1)
    parallel = sweep("small", grid, runs=2, days=4, n_jobs=2, progress=False, seed=1)
    measures = list(KEY_MEASURES)
    assert np.allclose(serial[measures], parallel[measures], equal_nan=True)
    # the two grid points are the same settings, so paired runs must agree exactly
    first, second = serial.iloc[:2][measures], serial.iloc[2:][measures]
    assert np.allclose(first.to_numpy(), second.to_numpy(), equal_nan=True)
