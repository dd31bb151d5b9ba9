"""The day step in plain Python, written to be read (and to check the compiled kernel).

It follows spec V1-V6 literally: candidate sets and their sums are rebuilt for every referral,
nearest hospitals are found by ``argmin`` over all hospitals. It draws the same random numbers in
the same order as :func:`medkit.referral.kernel.run_day` (it calls the same ``next_double``), so on
the same :class:`~medkit.referral.model.Engine` both give identical results. Far too slow beyond a
few hundred patients; use it on small cases only.
"""

from __future__ import annotations

import math

import numpy as np

from medkit.referral.kernel import next_double


def _pick(cands, u, h, eng):
    """V4: P(h->j) = A w/sum w + B (1/d)/sum(1/d) + C p/sum p over the candidates."""
    a, b, c = eng.fpar[1], eng.fpar[2], eng.fpar[3]
    sw = sum(eng.W[h, j] for j in cands)
    sd = sum(eng.invd_m[h, j] for j in cands)
    sp = sum(eng.pref_m[h, j] for j in cands)
    total = (a if sw > 0 else 0) + (b if sd > 0 else 0) + (c if sp > 0 else 0)
    if total <= 0:
        return cands[0] if cands else -1
    cum = 0.0
    for j in cands:
        cum += (
            (a / sw if sw > 0 else 0) * eng.W[h, j]
            + (b / sd if sd > 0 else 0) * eng.invd_m[h, j]
            + (c / sp if sp > 0 else 0) * eng.pref_m[h, j]
        )
        if cum > u * total:
            return j
    return cands[-1]


def _nearest(px, py, lay, allowed):
    d = [
        (px - lay.x[i]) ** 2 + (py - lay.y[i]) ** 2 if allowed[i] else math.inf
        for i in range(lay.n_hospitals)
    ]
    return int(np.argmin(d))


def _place_city(px, py, eng):
    """Issue 10: rural patients keep (px, py); urban ones live near a city centre (stream w)."""
    p, lay, w = eng.params, eng.layout, eng.state_w
    urban = p.population_mix[0] / float(sum(p.population_mix))
    if next_double(w) >= urban or eng.cx.size == 0:
        return px, py
    k = min(int(next_double(w) * eng.cx.size), eng.cx.size - 1)
    u1, u2 = next_double(w), next_double(w)
    r = p.city_sd_km * math.sqrt(-2.0 * math.log(1.0 - u1))
    x = eng.cx[k] + r * math.cos(2.0 * math.pi * u2)
    y = eng.cy[k] + r * math.sin(2.0 * math.pi * u2)
    side = lay.side_km
    for _ in range(2):  # reflect into the square
        x = -x if x < 0 else x
        x = 2 * side - x if x > side else x
        y = -y if y < 0 else y
        y = 2 * side - y if y > side else y
    return min(max(x, 0.0), side), min(max(y, 0.0), side)


def _choose_first(px, py, eng):
    """Issue 10: logit over the nearest hospital of each grade (grade, km, trust)."""
    p, lay = eng.params, eng.layout
    cands = [_nearest(px, py, lay, lay.grade == g) for g in (1, 2, 3) if (lay.grade == g).any()]
    v = [
        p.choice_grade_utility[lay.grade[h] - 1]
        - p.choice_km_cost * math.sqrt((px - lay.x[h]) ** 2 + (py - lay.y[h]) ** 2)
        + p.choice_trust_weight * eng.trust[h]
        for h in cands
    ]
    e = [math.exp(x - max(v)) for x in v]
    u = next_double(eng.state_w) * sum(e)
    cum = 0.0
    for h, x in zip(cands, e, strict=True):
        cum += x
        if cum > u:
            return h
    return cands[-1]


def _learn(eng, h, outcome):
    """Issue 10: trust moves a share eta of the way to the outcome (1 good, 0 bad)."""
    eta = eng.params.trust_learning_rate
    if eta > 0:
        eng.trust[h] += eta * (outcome - eng.trust[h])


def reference_day(eng, n_patients: int, trace: list | None = None) -> int:
    """Run one day on an :class:`Engine` whose capacities were refilled; return patients lost.

    Updates ``eng.F``, ``eng.W`` (Phase A), ``eng.refc``, ``eng.hcount``, ``eng.glob`` and the random
    states exactly as the kernel does (the per-hospital distance sums too).

    ``trace``, if a list, receives one dict per event (for step-through widgets): ``patient``,
    ``event`` ("arrive", "full", "cured", "not cured", "flagged", "refer", "lost"), ``hospital``,
    ``to`` (for "refer"), ``x``, ``y`` (for "arrive"), ``referrals`` so far.
    """

    def note(event, hospital, **more):
        if trace is not None:
            trace.append({"patient": k, "event": event, "hospital": int(hospital), "referrals": r,
                          **more})  # fmt: skip

    lay, p = eng.layout, eng.params
    s, t = eng.state_s, eng.state_t
    n = lay.n_hospitals
    F = eng.F
    phase_b = bool(eng.ipar[1])
    triage_on = bool(eng.ipar[4])
    is_higher = lay.grade >= 2
    lost_today = 0
    for k in range(n_patients):
        r = 0
        px = lay.side_km * next_double(s)
        py = lay.side_km * next_double(s)
        if p.population == "cities":
            px, py = _place_city(px, py, eng)
        h = _nearest(px, py, lay, np.ones(n, bool))
        eng.glob[22] += lay.grade[h] == 1  # nearest hospital is primary
        if p.first_contact == "choice":
            h0 = h
            h = _choose_first(px, py, eng)
            eng.glob[6] += lay.grade[h0] == 1 and lay.grade[h] >= 2  # bypassed primary care
        serious = next_double(t) < p.serious_share
        ub = next_double(t)
        if lay.grade[h] == 1 and p.bypass_share > 0:
            pb = p.bypass_share * ((1 - p.trust_bypass_reduction) if eng.adopt[h] else 1.0)
            if ub < pb and is_higher.any():
                h = _nearest(px, py, lay, is_higher)
                eng.glob[6] += 1
        d0 = math.hypot(px - lay.x[h], py - lay.y[h])
        eng.glob[0] += 1
        eng.glob[7] += serious
        eng.gfloat[0] += d0
        r, served, reached, last_leg, path = 0, 0, False, 0.0, 0.0
        note("arrive", h, x=px, y=py, serious=bool(serious))
        while True:
            direct = -1
            if F[h] > 0:  # V1: treated here (uses a slot even if not cured)
                F[h] -= 1
                eng.hcount[h, 0] += 1
                eng.glob[20] += 1
                if F[h] == 0:
                    eng.hcount[h, 5] += 1
                eng.glob[23] += (not serious) and lay.grade[h] == 3
                if serious and not reached and lay.grade[h] >= 2:
                    reached = True
                    eng.glob[10] += 1
                    eng.glob[11] += r
                    eng.glob[21] += served
                served += 1
                if p.severity_cure:
                    pc = eng.cure_serious[h] if serious else eng.cure_routine[h]
                else:
                    pc = eng.cure[h]
                triaging = triage_on and p.triage_routing and r == 0 and eng.adopt[h]
                if triaging:
                    eng.glob[12] += 1
                    ut = next_double(t)
                    flagged = ut < p.triage_sensitivity if serious else ut >= p.triage_specificity
                    eng.glob[(13 if flagged else 15) if serious else (14 if flagged else 16)] += 1
                    if flagged and p.triage_review and F[h] > 0:
                        # remote review before referral: one more slot at this hospital,
                        # not counted as a visit (it is not a consultation)
                        F[h] -= 1
                        if F[h] == 0:
                            eng.hcount[h, 5] += 1
                        eng.glob[24] += 1
                        ur = next_double(eng.state_w)
                        if (ur >= p.review_sensitivity) if serious else (ur < p.review_specificity):
                            flagged = False
                            eng.glob[25] += 1
                    if flagged:  # direct referral to a higher grade with capacity
                        uc = next_double(t)
                        for g_min in (p.triage_referral_min_grade, 2):
                            cands = [
                                j for j in range(n)
                                if eng.mask[h, j] and F[j] > 0 and lay.grade[j] >= g_min
                            ]  # fmt: skip
                            if cands:
                                direct = _pick(cands, uc, h, eng)
                                break
                        if direct >= 0:
                            eng.glob[26] += not serious
                            _learn(eng, h, 1.0 if serious else 0.0)
                    elif serious:
                        pc = eng.cure_serious[h]
                    else:
                        pc = p.ai_cure_routine
                if direct >= 0:
                    note("flagged", h)
                elif next_double(s) < pc:  # cured
                    _learn(eng, h, 1.0)
                    note("cured", h)
                    if r == 0:
                        eng.hcount[h, 2] += 1
                        eng.hdist[h, 0] += d0
                    else:
                        eng.hcount[h, 3] += 1
                        eng.hdist[h, 1] += d0 + last_leg
                        eng.hdist[h, 2] += d0 + path
                    eng.glob[1] += 1
                    eng.glob[8] += serious
                    if triaging and not serious:
                        eng.glob[17] += 1
                    break
                else:
                    _learn(eng, h, 0.0)
                    note("not cured", h)
            else:
                eng.hcount[h, 4] += 1
                _learn(eng, h, 0.0)
                note("full", h)
            r += 1  # V2
            if r > p.referral_limit:
                note("lost", h)
                eng.hcount[h, 1] += 1
                eng.glob[[2, 19]] += 1
                eng.glob[9] += serious
                lost_today += 1
                break
            cands = [j for j in range(n) if eng.mask[h, j] and F[j] > 0]  # V3
            if direct >= 0:
                j = direct
                eng.glob[5] += 1
            elif cands:
                j = _pick(cands, next_double(s), h, eng)
            elif phase_b and p.phase_b_fallback:  # V5, Phase B: any hospital with capacity
                free = [k for k in range(n) if k != h and F[k] > 0]
                u = next_double(s)
                j = free[min(int(u * len(free)), len(free) - 1)] if free else -1
                eng.glob[4] += j >= 0
            else:
                j = -1
            if j < 0:
                note("lost", h)
                eng.hcount[h, 1] += 1
                eng.glob[[2, 18]] += 1
                eng.glob[9] += serious
                lost_today += 1
                break
            note("refer", h, to=int(j))
            eng.refc[h, j] += 1  # V6
            eng.hcount[h, 6] += 1
            eng.hcount[j, 7] += 1
            eng.glob[3] += 1
            if not phase_b:
                eng.W[h, j] += 1.0
            last_leg = lay.distance[h, j]
            path += last_leg
            eng.gfloat[0] += last_leg
            h = j
    return lost_today


def reference_start_day(eng) -> None:
    """Refill every hospital to its daily limit (V7)."""
    eng.F[:] = eng.capacity


def trace_patients(layout, params=None, n_patients: int = 5, *, weights=None, seed=None):
    """Follow the first ``n_patients`` of a day step by step (for a step-through widget).

    Runs the reference day on a fresh Phase-A engine (or Phase B on ``weights``) and returns a
    DataFrame of events: patient, event, hospital, to, x, y, serious, referrals. The results equal
    the first ``n_patients`` of the compiled model for the same seed.

    Examples
    --------
    >>> from medkit.referral import ReferralParams, make_layout
    >>> p = ReferralParams.small()
    >>> ev = trace_patients(make_layout(p, seed=1), p, 3, seed=1)
    >>> ev["event"].iloc[0], int(ev["patient"].max())
    ('arrive', 2)
    """
    import pandas as pd

    from medkit.referral.model import make_engine
    from medkit.referral.params import ReferralParams

    params = params or ReferralParams()
    eng, _ = make_engine(layout, params, phase_b=weights is not None, weights=weights, seed=seed)
    eng.start_day()
    events: list = []
    reference_day(eng, n_patients, events)
    return pd.DataFrame(events)
