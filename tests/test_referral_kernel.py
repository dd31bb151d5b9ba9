"""The compiled day kernel equals the plain-Python reference on small cases."""

import numpy as np
import pytest

from medkit.referral import ReferralParams, layout_from_arrays, make_layout
from medkit.referral.model import make_engine
from medkit.referral.reference import reference_day, reference_start_day


def _pair(layout, params, *, phase_b=False, weights=None, seed=0):
    a, _ = make_engine(layout, params, phase_b=phase_b, weights=weights, seed=seed)
    b, _ = make_engine(layout, params, phase_b=phase_b, weights=weights, seed=seed)
    return a, b


def _same(a, b):
    np.testing.assert_array_equal(a.F, b.F)
    np.testing.assert_array_equal(a.W, b.W)
    np.testing.assert_array_equal(a.refc, b.refc)
    np.testing.assert_array_equal(a.hcount, b.hcount)
    np.testing.assert_array_equal(a.glob, b.glob)
    np.testing.assert_allclose(a.hdist, b.hdist, rtol=1e-12)
    np.testing.assert_allclose(a.gfloat, b.gfloat, rtol=1e-12)
    np.testing.assert_array_equal(a.state_s, b.state_s)
    np.testing.assert_array_equal(a.state_t, b.state_t)


def _run(a, b, days, patients):
    for _ in range(days):
        a.start_day()
        reference_start_day(b)
        la = a.run_day(patients)
        lb = reference_day(b, patients)
        assert la == lb
        _same(a, b)


SMALL = ReferralParams(
    n_hospitals=12, side_km=30.0, capacity_ranges=((3, 6), (6, 15), (15, 30)), days=3
)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_phase_a_kernel_equals_reference(seed):
    lay = make_layout(SMALL, seed=seed)
    a, b = _pair(lay, SMALL, seed=seed)
    _run(a, b, days=3, patients=180)  # overloaded: exercises full hospitals and losses
    assert a.glob[2] > 0 and a.glob[3] > 0


@pytest.mark.parametrize(
    "changes",
    [
        dict(severity_cure=True),
        dict(bypass_share=0.4, severity_cure=True),
        dict(triage_adoption=1.0, bypass_share=0.3, severity_cure=True),
        dict(triage_adoption=0.5, triage_referral_min_grade=3, triage_specificity=0.5),
        # issue 10: the Fu & Lu world's options, alone and together
        dict(
            first_contact="choice",
            choice_grade_utility=(0.0, 0.5, 1.0),
            choice_km_cost=0.2,
            choice_trust_weight=2.0,
            trust_learning_rate=0.05,
        ),
        dict(population="cities", population_mix=(2.0, 1.0), city_sd_km=4.0),
        dict(
            first_contact="choice",
            population="cities",
            bypass_share=0.3,
            severity_cure=True,
            trust_learning_rate=0.02,
            choice_trust_weight=3.0,
            triage_adoption=0.5,
            triage_trust_boost=0.3,
        ),
        dict(
            first_contact="choice",
            severity_cure=True,
            triage_adoption=1.0,
            triage_review=True,
            triage_specificity=0.6,
            trust_learning_rate=0.1,
            choice_trust_weight=1.0,
        ),
        dict(
            triage_adoption=1.0,
            triage_routing=False,
            bypass_share=0.3,
            severity_cure=True,
            trust_learning_rate=0.1,
        ),
        ReferralParams.fulu_world("small")
        .replace(
            n_hospitals=12,
            side_km=30.0,
            city_sd_km=3.0,
            triage_adoption=0.5,
            capacity_ranges=((3, 6), (6, 15), (15, 30)),
            trust_learning_rate=0.01,
        )
        .__dict__,
    ],
)
def test_extensions_kernel_equals_reference(changes):
    p = SMALL.replace(**changes)
    lay = make_layout(p, seed=5)
    a, b = _pair(lay, p, seed=7)
    _run(a, b, days=3, patients=150)
    np.testing.assert_array_equal(a.trust, b.trust)  # issue 10: learnt trust
    np.testing.assert_array_equal(a.state_w, b.state_w)


@pytest.mark.parametrize("fallback", [True, False])
def test_phase_b_kernel_equals_reference(fallback):
    p = SMALL.replace(phase_b_fallback=fallback)
    lay = make_layout(p, seed=3)
    rng = np.random.default_rng(0)
    w = np.where(rng.random((12, 12)) < 0.25, rng.integers(1, 50, (12, 12)), 0).astype(float)
    np.fill_diagonal(w, 0)
    a, b = _pair(lay, p, phase_b=True, weights=w, seed=9)
    _run(a, b, days=3, patients=150)
    assert (a.W == w).all()  # frozen


def test_tiny_hand_layout_equals_reference():
    lay = layout_from_arrays([1, 1, 2, 3], [1, 9, 5, 5], [1, 1, 5, 9], [2, 2, 3, 4], side_km=10)
    p = ReferralParams(n_hospitals=4)
    a, b = _pair(lay, p, seed=11)
    _run(a, b, days=2, patients=12)
