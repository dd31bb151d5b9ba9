"""The Fu & Lu world (issue 10): calibrated premise, new options, levers, clear errors."""

import numpy as np
import pandas as pd
import pytest

from medkit.errors import DataError
from medkit.referral import ReferralParams, make_layout, run_evolution
from medkit.referral.model import make_engine
from medkit.referral.triage import (
    TOOLS,
    lever_effects,
    lever_sweep,
    main,
    scenario,
    tool_changes,
    triage_measures,
)
from medkit.referral.world import (
    OCCUPANCY_LAYOUT_TOLERANCE,
    OCCUPANCY_TOLERANCE,
    baseline_utilisation,
    calibrate_capacities,
)

UTIL = ["utilisation_g1", "utilisation_g2", "utilisation_g3"]


# --- options off: the authors' model, bit for bit -------------------------------------------------
def test_options_off_reproduce_the_model_before_issue_10():
    """Counters of two runs recorded with the code before the Fu & Lu options existed."""
    for p, referrals, lost in [
        (ReferralParams.small(days=20), 130913, 15323),
        (scenario("small", triage_adoption=0.5, days=20), 121469, 64030),
    ]:
        r = run_evolution(make_layout(p, seed=3), p, seed=11)
        assert (r.counters["referrals"], r.counters["lost"]) == (referrals, lost)


def test_options_off_draw_nothing_from_the_world_stream():
    p = scenario("small", triage_adoption=0.5)
    eng, _ = make_engine(make_layout(p, seed=1), p, seed=2)
    w0 = eng.state_w.copy()
    eng.start_day()
    eng.run_day(2000)
    np.testing.assert_array_equal(eng.state_w, w0)


def test_nearest_rule_and_bypass_are_the_limit_of_the_choice_rule():
    """With a huge cost per km the logit always picks the nearest hospital: the results equal the
    nearest rule exactly, with today's bypass_share applied on top in both."""
    p = scenario("small", days=15)  # bypass_share 0.3, severity cure
    lay = make_layout(p, seed=2)
    a = run_evolution(lay, p, seed=4)
    q = p.replace(first_contact="choice", choice_km_cost=1e9, choice_trust_weight=0.0)
    b = run_evolution(lay, q, seed=4)
    np.testing.assert_array_equal(a.weights, b.weights)
    pd.testing.assert_frame_equal(a.hospitals, b.hospitals)
    assert a.counters["bypassed"] == b.counters["bypassed"] > 0


# --- the calibrated premise ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_baseline():
    return baseline_utilisation(ReferralParams.fulu_world("small"), layout_seeds=(1, 2, 3))


def test_small_baseline_hits_occupancy_targets(small_baseline):
    targets = np.array(ReferralParams.fulu_world("small").occupancy_targets)
    mean = small_baseline[UTIL].mean().to_numpy()
    assert np.all(np.abs(mean - targets) <= OCCUPANCY_TOLERANCE), mean
    assert np.all(np.abs(small_baseline[UTIL].to_numpy() - targets) <= OCCUPANCY_LAYOUT_TOLERANCE)


def test_small_baseline_holds_the_premise(small_baseline):
    assert (small_baseline["imbalance_index"] > 1.3).all()
    # about two in five patients near a primary hospital go higher first (CHARLS: ~40 %)
    assert small_baseline["bypass_share"].between(0.3, 0.5).all()


def test_paper_baseline_hits_occupancy_targets():
    p = ReferralParams.fulu_world("paper")
    u = baseline_utilisation(p, layout_seeds=(1,), days=60)
    assert np.all(np.abs(u[UTIL].to_numpy() - np.array(p.occupancy_targets)) <= 0.05)
    assert float(u["imbalance_index"].iloc[0]) > 1.3


def test_yang_world_is_the_opposite_of_the_premise():
    u = baseline_utilisation(scenario("small"), layout_seeds=(1,), days=60)
    assert u["utilisation_g1"].iloc[0] == 1.0 and u["imbalance_index"].iloc[0] < 1.0


def test_calibration_moves_utilisation_towards_its_targets():
    p = ReferralParams.fulu_world("small", days=30)
    ref = ReferralParams.small()
    from medkit.referral.world import scaled_params

    before = baseline_utilisation(scaled_params(p, (1, 1, 1), ref), layout_seeds=(1,))
    k = calibrate_capacities(p, layout_seeds=(1,), days=30, iterations=3)
    after = baseline_utilisation(scaled_params(p, k, ref), layout_seeds=(1,))
    t = np.array(p.occupancy_targets)
    gap_before = np.abs(before[UTIL].to_numpy()[0] - t).max()
    gap_after = np.abs(after[UTIL].to_numpy()[0] - t).max()
    assert gap_after < gap_before / 3
    assert k[0] > 2  # primary care needs far more capacity than Yang et al.'s to sit half idle


# --- levers --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fulu_levers():
    tools = ("no tool", "default tool", "useless tool", "trust lever only",
             "default tool + remote review")  # fmt: skip
    return lever_sweep("small", "fulu", tools, runs=1, layouts=3, days=60, n_jobs=1,
                       progress=False, seed=3)  # fmt: skip


def test_useless_tool_loses_trust(fulu_levers):
    p = ReferralParams.fulu_world("small")
    start = p.trust_initial[0] + tool_changes("useless tool", "fulu")["triage_trust_boost"]
    t = fulu_levers.groupby("tool")["trust_adopters"].mean()
    assert t["useless tool"] < start - 0.1
    assert t["useless tool"] < t["default tool"] - 0.05
    assert np.isnan(t["no tool"])


def test_remote_review_cuts_needless_referrals(fulu_levers):
    e = lever_effects(fulu_levers).set_index(["comparison", "measure"])
    assert e.loc[("default tool + remote review", "reviewed_per_new_patient"), "mean_b"] > 0
    assert e.loc[("default tool", "reviewed_per_new_patient"), "mean_b"] == 0
    d = e.loc[("default tool", "referrals_per_new_patient"), "mean_b"]
    r = e.loc[("default tool + remote review", "referrals_per_new_patient"), "mean_b"]
    assert r < d


def test_trust_lever_alone_does_not_route(fulu_levers):
    e = lever_effects(fulu_levers).set_index(["comparison", "measure"])
    assert e.loc[("trust lever only", "serious_reached_grade2_share"), "difference"] == (
        pytest.approx(0, abs=0.01)
    )
    assert len(e.loc["default tool"]) == len(e.loc["useless tool"])


def test_effects_pair_by_layout_and_seed(fulu_levers):
    e = lever_effects(fulu_levers)
    assert (e["n"].max()) == 3  # 3 layouts x 1 seed


def test_every_tool_has_changes_in_both_worlds():
    for world in ("yang", "fulu"):
        for tool in TOOLS:
            p = scenario("small", world, **tool_changes(tool, world))
            assert (p.triage_adoption > 0) == (tool != "no tool")


# --- clear errors ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "changes, name",
    [
        (dict(occupancy_targets=(0.5, 0.8, 1.5)), "occupancy_targets"),
        (dict(occupancy_targets=(0.0, 0.8, 0.9)), "occupancy_targets"),
        (dict(trust_learning_rate=-0.1), "trust_learning_rate"),
        (dict(trust_learning_rate=float("nan")), "trust_learning_rate"),
        (dict(population_mix=(0.0, 0.0)), "population_mix"),
        (dict(population_mix=(-1.0, 2.0)), "population_mix"),
        (dict(population_mix=(float("nan"), 1.0)), "population_mix"),
        (dict(population="mars"), "population"),
        (dict(first_contact="random"), "first_contact"),
        (dict(city_sd_km=0.0), "city_sd_km"),
        (dict(choice_km_cost=-1.0), "choice_km_cost"),
        (dict(trust_initial=(0.5, 1.5, 0.9)), "trust_initial"),
        (dict(triage_trust_boost=2.0), "triage_trust_boost"),
    ],
)
def test_bad_world_parameters_name_the_parameter_and_range(changes, name):
    with pytest.raises(DataError, match=name) as err:
        ReferralParams(**changes)
    assert "must" in str(err.value)


def test_unknown_world_and_scale():
    with pytest.raises(DataError, match="world"):
        ReferralParams.world("mars")
    with pytest.raises(DataError, match="scale"):
        ReferralParams.fulu_world("huge")
    with pytest.raises(DataError, match="world"):
        scenario("small", "mars")
    with pytest.raises(DataError, match=r"\(0, 1.2\]"):
        calibrate_capacities(ReferralParams.fulu_world("small"), targets=(0.5, 0.8, 1.3))


def test_command_line_world_option(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["levers", "--world", "mars"])
    assert "invalid choice: 'mars'" in capsys.readouterr().err
    assert main(["levers", "--world", "fulu", "--days", "3", "--seeds", "1", "--n-jobs", "1",
                 "--out", str(tmp_path), "--no-progress"]) == 0  # fmt: skip
    runs = pd.read_csv(tmp_path / "triage_levers_small_fulu_runs.csv")
    summary = pd.read_csv(tmp_path / "triage_levers_small_fulu_summary.csv")
    assert set(runs["tool"]) == set(TOOLS)
    assert {"comparison", "measure", "difference", "low", "high"} <= set(summary.columns)


def test_measures_of_the_fulu_world():
    p = ReferralParams.fulu_world("small", days=20, triage_adoption=0.5)
    m = triage_measures(run_evolution(make_layout(p, seed=1), p, seed=1))
    assert 0 < m["bypass_share_observed"] < 1
    assert 0 <= m["trust_adopters"] <= 1 and 0 <= m["trust_g1"] <= 1
    assert m["routine_visits_g3_per_new_patient"] > 0
    assert m["turned_away_g3_per_day"] >= 0
