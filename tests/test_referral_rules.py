"""The model's rules on tiny hand-checkable cases, and seeding."""

import numpy as np
import pytest

from medkit.referral import ReferralParams, layout_from_arrays, make_layout, run_evolution
from medkit.referral import kernel as K
from medkit.referral.model import make_engine

# two primary hospitals on the left and right, one secondary, one tertiary in the middle
LAY = layout_from_arrays([1, 1, 2, 3], [1, 19, 10, 10], [10, 10, 2, 18], [5, 5, 5, 5], side_km=20)


def _day(layout, params, patients, *, seed=0, phase_b=False, weights=None):
    eng, _ = make_engine(layout, params, phase_b=phase_b, weights=weights, seed=seed)
    eng.start_day()
    eng.run_day(patients)
    return eng


def _glob(eng, name):
    return int(eng.glob[K.G[name]])


def test_full_first_hospital_refers_without_treatment():
    lay = LAY.with_capacity([0, 0, 0, 5])  # only the tertiary hospital has room
    p = ReferralParams(n_hospitals=4, cure_probability=(1.0, 1.0, 1.0))
    eng = _day(lay, p, 10)
    hc = eng.hcount
    assert hc[:3, K.H_VISITS].sum() == 0  # a full hospital uses no slot
    assert hc[:3, K.H_TURNED_AWAY].sum() >= 1
    # first 5 patients reach the tertiary hospital and are cured there; the rest are lost
    assert hc[3, K.H_VISITS] == 5 and _glob(eng, "cured") == 5
    assert _glob(eng, "lost") == 5


def test_referral_limit_and_uncured_patients_use_capacity():
    p = ReferralParams(n_hospitals=4, cure_probability=(0.0, 0.0, 0.0), referral_limit=2)
    eng = _day(LAY.with_capacity([100] * 4), p, 1)
    assert _glob(eng, "referrals") == 2  # m referrals, then lost
    assert _glob(eng, "visits") == 3  # m + 1 hospitals, each uses a slot though not cured
    assert _glob(eng, "lost") == 1 and _glob(eng, "lost_referral_limit") == 1
    assert eng.hcount[:, K.H_LOST].sum() == 1


def test_phase_a_lost_when_no_hospital_has_capacity():
    p = ReferralParams(n_hospitals=4, cure_probability=(0.0, 0.0, 0.0))
    eng = _day(LAY.with_capacity([1, 1, 1, 1]), p, 1)
    assert _glob(eng, "visits") == 4 and _glob(eng, "lost_no_candidate") == 1


def test_choice_probabilities_match_formula():
    p = ReferralParams(n_hospitals=4)
    eng, _ = make_engine(LAY, p, seed=0)
    eng.W[0, :] = [0, 5, 2, 1]
    eng.start_day()
    h = 0
    cands = [1, 2, 3]
    w = eng.W[h, cands]
    inv = 1 / LAY.distance[h, cands]
    pref = LAY.preference[h, cands]
    expected = 0.3 * w / w.sum() + 0.3 * inv / inv.sum() + 0.4 * pref / pref.sum()
    us = (np.arange(100000) + 0.5) / 100000
    picks = np.array([
        K.choose(h, u, eng.fpar, eng.F, eng.W, eng.invd_m, eng.pref_m, eng.out_ptr,
                 eng.out_idx, eng.Sw, eng.Sd, eng.Sp)
        for u in us
    ])  # fmt: skip
    freq = np.array([(picks == j).mean() for j in cands])
    np.testing.assert_allclose(freq, expected, atol=2e-5)
    # a full hospital leaves the candidate set and the row sums
    eng.F[3] = 1
    eng.run_day(0)
    eng.F[3] = 0
    K._on_full(3, eng.W, eng.invd_m, eng.pref_m, eng.in_ptr, eng.in_idx, eng.Sw, eng.Sd, eng.Sp,
               eng.cnt, eng.nfree, eng.hcount)  # fmt: skip
    assert eng.cnt[0] == 2 and eng.Sw[0] == pytest.approx(7.0)
    picks = {K.choose(0, u, eng.fpar, eng.F, eng.W, eng.invd_m, eng.pref_m, eng.out_ptr,
                      eng.out_idx, eng.Sw, eng.Sd, eng.Sp) for u in us[::100]}  # fmt: skip
    assert picks == {1, 2}


def test_phase_a_weights_grow_by_referrals():
    p = ReferralParams(n_hospitals=4, cure_probability=(0.5, 0.5, 0.5))
    eng = _day(LAY.with_capacity([50] * 4), p, 100)
    off = ~np.eye(4, dtype=bool)
    np.testing.assert_array_equal(eng.W[off], 1 + eng.refc[off])
    assert eng.refc.sum() == _glob(eng, "referrals")


def test_bypass_sends_patients_to_nearest_higher_grade():
    p = ReferralParams(n_hospitals=4, cure_probability=(1.0, 1.0, 1.0), bypass_share=1.0)
    eng = _day(LAY.with_capacity([1000] * 4), p, 200)
    assert eng.hcount[:2, K.H_VISITS].sum() == 0
    assert _glob(eng, "bypassed") > 50
    # trust: with every primary hospital adopting and full trust restored, nobody bypasses
    p2 = p.replace(triage_adoption=1.0, trust_bypass_reduction=1.0)
    eng2 = _day(LAY.with_capacity([1000] * 4), p2, 200)
    assert _glob(eng2, "bypassed") == 0


def test_flagged_patient_is_referred_directly():
    p = ReferralParams(n_hospitals=4, cure_probability=(1.0, 1.0, 1.0), triage_adoption=1.0,
                       triage_sensitivity=1.0, triage_specificity=0.0)  # fmt: skip
    eng = _day(LAY.with_capacity([1000] * 4), p, 200)
    triaged = _glob(eng, "triaged")
    assert triaged > 50
    assert _glob(eng, "direct_referrals") == triaged  # everyone flagged, sent straight up
    assert eng.refc[:2, :2].sum() == 0  # never to another primary hospital
    assert eng.hcount[:2, K.H_CURED_FIRST].sum() == 0
    # with min grade 3 they all go to the tertiary hospital
    eng3 = _day(LAY.with_capacity([1000] * 4), p.replace(triage_referral_min_grade=3), 200)
    assert eng3.refc[:2, 2].sum() == 0 and eng3.refc[:2, 3].sum() == _glob(eng3, "triaged")
    # a perfect tool clears routine patients, treated locally with the AI-assisted cure
    p4 = p.replace(triage_specificity=1.0, triage_sensitivity=1.0, serious_share=0.0,
                   ai_cure_routine=1.0)  # fmt: skip
    eng4 = _day(LAY.with_capacity([100] * 4), p4, 200)
    assert _glob(eng4, "direct_referrals") == 0
    assert _glob(eng4, "cleared_cured_locally") == _glob(eng4, "triaged")


SMALL = ReferralParams.small(days=15)


def test_same_seed_same_results_and_different_seed_differs():
    lay = make_layout(SMALL, seed=1)
    a = run_evolution(lay, SMALL, seed=4)
    b = run_evolution(lay, SMALL, seed=4)
    c = run_evolution(lay, SMALL, seed=5)
    np.testing.assert_array_equal(a.weights, b.weights)
    assert a.counters == b.counters
    assert not np.array_equal(a.weights, c.weights)
    l1 = make_layout(SMALL, seed=9)
    l2 = make_layout(SMALL, seed=9)
    np.testing.assert_array_equal(l1.x, l2.x)
    np.testing.assert_array_equal(l1.capacity, l2.capacity)


@pytest.mark.parametrize(
    "changes",
    [
        dict(serious_share=0.6),
        dict(triage_sensitivity=0.5, triage_specificity=0.5, ai_cure_routine=1.0),
        dict(trust_bypass_reduction=1.0, triage_referral_min_grade=3),
        dict(cure_routine=(1.0, 1.0, 1.0), cure_serious=(0.0, 0.0, 0.0)),
        dict(triage_adoption=0.0, bypass_share=0.0),
    ],
)
def test_triage_off_equals_baseline_exactly(changes):
    """Extension options that are inactive change nothing: the baseline stream is untouched."""
    lay = make_layout(SMALL, seed=2)
    base = run_evolution(lay, SMALL, seed=8)
    other = run_evolution(lay, SMALL.replace(**changes), seed=8)
    np.testing.assert_array_equal(base.weights, other.weights)
    np.testing.assert_array_equal(base.referrals, other.referrals)
    base_h = base.hospitals.drop(columns=[])
    assert base_h.equals(other.hospitals)
    assert base.daily.equals(other.daily)
    keys = ("patients", "cured", "lost", "referrals", "visits", "travel_km")
    assert {k: base.counters[k] for k in keys} == {k: other.counters[k] for k in keys}


def test_severity_mix_reproduces_grade_cure_rates():
    p = ReferralParams()
    for g in range(3):
        mix = (1 - p.serious_share) * p.cure_routine[g] + p.serious_share * p.cure_serious[g]
        assert mix == pytest.approx(p.cure_probability[g], abs=1e-9)
