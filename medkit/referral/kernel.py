"""Compiled day kernel of the referral model (numba ``@njit(cache=True)`` over plain arrays).

Read :mod:`medkit.referral.reference` first: it is the same day step in plain Python, written
for reading; tests check that both give identical results on small cases.

Speed comes from two things only:

* the referral choice (spec V4) is **one pass** over the current hospital's candidates: the three
  row sums over hospitals with free capacity (history weight, inverse distance, grade
  preference) are kept up to date incrementally: +1 on a weight when a referral is made, minus the
  column of a hospital when it fills up, recomputed from scratch when capacities refill;
* the nearest hospital of an arriving patient is found through a grid of cells listing the few
  hospitals that can be nearest there.

Random numbers come from two xoshiro256+ streams seeded from one ``numpy.random.SeedSequence``:
stream ``s`` makes every draw of the authors' model (place, cure, choice, fallback); stream ``t``
makes every draw of the triage extension (severity, bypass, tool result, direct referral). So with
the extension's options at their defaults the ``s`` stream, and hence every result, is
bit-identical to the baseline model.

Draw order per patient on stream ``s``: x, y; then at each served visit one cure draw; at each
referral one choice draw (or one fallback draw). On stream ``t``: severity, bypass; at a triaging
hospital one tool draw and, if flagged, one choice draw.

The Fu & Lu world's options (issue 10) draw from a third stream ``w``, so they never shift the
other two: with ``population="cities"`` one draw picks urban or rural and an urban patient takes
three more (which city, then two for a Box-Muller normal); with ``first_contact="choice"`` one
draw picks the first hospital; with ``triage_review`` one draw per review.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# --- column indices of the counter arrays (shared with model.py and reference.py) -------------
H_VISITS, H_LOST, H_CURED_FIRST, H_CURED_REFERRED, H_TURNED_AWAY, H_DAYS_FULL = 0, 1, 2, 3, 4, 5
H_REF_OUT, H_REF_IN = 6, 7
N_HCOUNT = 8
D_INITIAL, D_REFERRAL_LAST_LEG, D_REFERRAL_PATH = 0, 1, 2
N_HDIST = 3
GLOBAL_NAMES = (
    "patients",
    "cured",
    "lost",
    "referrals",
    "fallback_referrals",
    "direct_referrals",
    "bypassed",
    "serious",
    "serious_cured",
    "serious_lost",
    "serious_reached_grade2",
    "serious_steps_to_grade2",
    "triaged",
    "true_positive",
    "false_positive",
    "false_negative",
    "true_negative",
    "cleared_cured_locally",
    "lost_no_candidate",
    "lost_referral_limit",
    "visits",
    "serious_visits_to_grade2",
    # issue 10 (appended, so earlier indices never move)
    "nearest_primary",
    "routine_visits_g3",
    "reviewed",
    "review_cleared",
    "routine_referred_by_tool",
)
G = {name: k for k, name in enumerate(GLOBAL_NAMES)}
N_GLOBAL = len(GLOBAL_NAMES)
(
    G_PATIENTS,
    G_CURED,
    G_LOST,
    G_REFERRALS,
    G_FALLBACK,
    G_DIRECT,
    G_BYPASSED,
    G_SERIOUS,
    G_SERIOUS_CURED,
    G_SERIOUS_LOST,
    G_SERIOUS_REACHED,
    G_SERIOUS_STEPS,
    G_TRIAGED,
    G_TP,
    G_FP,
    G_FN,
    G_TN,
    G_CLEARED_CURED,
    G_LOST_NO_CANDIDATE,
    G_LOST_LIMIT,
    G_VISITS,
    G_SERIOUS_VISITS,
    G_NEAREST_PRIMARY,
    G_ROUTINE_VISITS_G3,
    G_REVIEWED,
    G_REVIEW_CLEARED,
    G_ROUTINE_REFERRED_BY_TOOL,
) = range(N_GLOBAL)

# float parameters
P_SIDE, P_A, P_B, P_C, P_SERIOUS, P_BYPASS, P_SENS, P_SPEC, P_AI_CURE, P_TRUST = range(10)
# issue 10: the Fu & Lu world
P_KM_COST, P_TRUST_WEIGHT, P_URBAN, P_CITY_SD, P_ETA, P_REVIEW_SENS, P_REVIEW_SPEC = range(10, 17)
N_FPAR = 17
# int parameters
I_LIMIT, I_PHASE_B, I_FALLBACK, I_SEVERITY_CURE, I_TRIAGE, I_TRIAGE_MIN_GRADE = range(6)
I_CHOICE, I_CITIES, I_ROUTING, I_REVIEW = range(6, 10)
N_IPAR = 10

_U64 = np.uint64
_TWO53 = 1.0 / 9007199254740992.0


# --- random numbers ------------------------------------------------------------------------
@njit(cache=True)
def _rotl(x, k):
    return (x << _U64(k)) | (x >> _U64(64 - k))


@njit(cache=True)
def next_double(s):
    """Next uniform double in [0, 1) of the xoshiro256+ state ``s`` (uint64[4], updated in place)."""
    result = s[0] + s[3]
    t = s[1] << _U64(17)
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = _rotl(s[3], 45)
    return np.float64(result >> _U64(11)) * _TWO53


def new_state(seed_sequence: np.random.SeedSequence) -> np.ndarray:
    """A xoshiro256+ state from a numpy ``SeedSequence`` (never all zero)."""
    st = seed_sequence.generate_state(4, np.uint64)
    if not st.any():
        st[0] = 1
    return st


# --- helpers ---------------------------------------------------------------------------------
@njit(cache=True)
def nearest(px, py, hx, hy, k, start, items, side):
    """Index of the nearest hospital among a grid's members (first one on ties)."""
    cx = int(px / side * k)
    cy = int(py / side * k)
    if cx >= k:
        cx = k - 1
    if cy >= k:
        cy = k - 1
    if cx < 0:
        cx = 0
    if cy < 0:
        cy = 0
    c = cy * k + cx
    best = -1
    bestd = np.inf
    for q in range(start[c], start[c + 1]):
        i = items[q]
        dx = px - hx[i]
        dy = py - hy[i]
        d = dx * dx + dy * dy
        if d < bestd:
            bestd = d
            best = i
    return best


@njit(cache=True)
def start_day(cap, F, W, invd, pref, out_ptr, out_idx, Sw, Sd, Sp, cnt, nfree):
    """Refill every hospital to its daily limit and recompute the row sums over free hospitals."""
    n = cap.size
    nf = 0
    for i in range(n):
        F[i] = cap[i]
        if cap[i] > 0:
            nf += 1
    nfree[0] = nf
    for h in range(n):
        sw = 0.0
        sd = 0.0
        sp = 0.0
        c = 0
        for q in range(out_ptr[h], out_ptr[h + 1]):
            j = out_idx[q]
            if F[j] > 0:
                sw += W[h, j]
                sd += invd[h, j]
                sp += pref[h, j]
                c += 1
        Sw[h] = sw
        Sd[h] = sd
        Sp[h] = sp
        cnt[h] = c


@njit(cache=True)
def _on_full(j, W, invd, pref, in_ptr, in_idx, Sw, Sd, Sp, cnt, nfree, hcount):
    # hospital j just used its last slot: drop it from every row sum that contains it
    for q in range(in_ptr[j], in_ptr[j + 1]):
        h = in_idx[q]
        Sw[h] -= W[h, j]
        Sd[h] -= invd[h, j]
        Sp[h] -= pref[h, j]
        cnt[h] -= 1
        if cnt[h] == 0:
            Sw[h] = 0.0
            Sd[h] = 0.0
            Sp[h] = 0.0
    nfree[0] -= 1
    hcount[j, 5] += 1  # H_DAYS_FULL


@njit(cache=True)
def choose(h, u, fpar, F, W, invd, pref, out_ptr, out_idx, Sw, Sd, Sp):
    """Spec V4 in one pass: pick j among h's free candidates with the mixture probability."""
    a = fpar[1]
    b = fpar[2]
    c = fpar[3]
    ca = a / Sw[h] if Sw[h] > 0 else 0.0
    cb = b / Sd[h] if Sd[h] > 0 else 0.0
    cc = c / Sp[h] if Sp[h] > 0 else 0.0
    total = (a if Sw[h] > 0 else 0.0) + (b if Sd[h] > 0 else 0.0) + (c if Sp[h] > 0 else 0.0)
    last = -1
    if total <= 0.0:
        for q in range(out_ptr[h], out_ptr[h + 1]):
            j = out_idx[q]
            if F[j] > 0:
                return j
        return -1
    target = u * total
    cum = 0.0
    for q in range(out_ptr[h], out_ptr[h + 1]):
        j = out_idx[q]
        if F[j] > 0:
            cum += ca * W[h, j] + cb * invd[h, j] + cc * pref[h, j]
            last = j
            if cum > target:
                return j
    return last


@njit(cache=True)
def choose_higher(h, u, min_grade, fpar, F, grade, W, invd, pref, out_ptr, out_idx):
    """The V4 rule restricted to free candidates of grade >= min_grade (two passes; triage only)."""
    sw = 0.0
    sd = 0.0
    sp = 0.0
    for q in range(out_ptr[h], out_ptr[h + 1]):
        j = out_idx[q]
        if F[j] > 0 and grade[j] >= min_grade:
            sw += W[h, j]
            sd += invd[h, j]
            sp += pref[h, j]
    a = fpar[1]
    b = fpar[2]
    c = fpar[3]
    total = (a if sw > 0 else 0.0) + (b if sd > 0 else 0.0) + (c if sp > 0 else 0.0)
    if total <= 0.0:
        return -1
    ca = a / sw if sw > 0 else 0.0
    cb = b / sd if sd > 0 else 0.0
    cc = c / sp if sp > 0 else 0.0
    target = u * total
    cum = 0.0
    last = -1
    for q in range(out_ptr[h], out_ptr[h + 1]):
        j = out_idx[q]
        if F[j] > 0 and grade[j] >= min_grade:
            cum += ca * W[h, j] + cb * invd[h, j] + cc * pref[h, j]
            last = j
            if cum > target:
                return j
    return last


@njit(cache=True)
def _random_free(h, u, F, nfree):
    # Phase-B fallback: a uniformly random hospital j != h with free capacity
    m = nfree[0] - (1 if F[h] > 0 else 0)
    if m <= 0:
        return -1
    k = int(u * m)
    if k >= m:
        k = m - 1
    for j in range(F.size):
        if j != h and F[j] > 0:
            if k == 0:
                return j
            k -= 1
    return -1


@njit(cache=True)
def _learn(trust, h, outcome, eta):
    # trust moves a share eta of the way to the outcome (1 good experience, 0 bad)
    if eta > 0.0:
        trust[h] += eta * (outcome - trust[h])


@njit(cache=True)
def place_city(px, py, cx, cy, urban, sd, side, w):
    """Issue 10: where a patient lives. Rural (share 1 - urban): the uniform (px, py) drawn on
    stream s. Urban: a normal of sd ``sd`` km around a uniformly chosen city centre, reflected
    into the square (draws on stream w: urban or rural, the city, two for Box-Muller)."""
    if next_double(w) >= urban or cx.size == 0:
        return px, py
    k = int(next_double(w) * cx.size)
    if k >= cx.size:
        k = cx.size - 1
    u1 = next_double(w)
    u2 = next_double(w)
    r = sd * np.sqrt(-2.0 * np.log(1.0 - u1))
    x = cx[k] + r * np.cos(2.0 * np.pi * u2)
    y = cy[k] + r * np.sin(2.0 * np.pi * u2)
    # reflect into [0, side] (twice covers any point within 2 sides), then clamp
    for _ in range(2):
        if x < 0.0:
            x = -x
        if x > side:
            x = 2.0 * side - x
        if y < 0.0:
            y = -y
        if y > side:
            y = 2.0 * side - y
    x = min(max(x, 0.0), side)
    y = min(max(y, 0.0), side)
    return x, y


@njit(cache=True)
def first_contact_choice(px, py, hx, hy, cand, alpha, km_cost, trust_w, trust, grade, u):
    """Issue 10: multinomial logit over the candidates (the nearest hospital of each grade).

    Utility ``alpha[g - 1] - km_cost * km + trust_w * trust[h]``; ``cand`` holds -1 where a grade
    has no hospital. Returns the chosen hospital (inverse-CDF with the uniform ``u``)."""
    v = np.empty(3)
    vmax = -np.inf
    for q in range(3):
        h = cand[q]
        if h >= 0:
            d = np.sqrt((px - hx[h]) ** 2 + (py - hy[h]) ** 2)
            v[q] = alpha[grade[h] - 1] - km_cost * d + trust_w * trust[h]
            if v[q] > vmax:
                vmax = v[q]
    total = 0.0
    for q in range(3):
        if cand[q] >= 0:
            v[q] = np.exp(v[q] - vmax)
            total += v[q]
    target = u * total
    cum = 0.0
    last = -1
    for q in range(3):
        if cand[q] >= 0:
            cum += v[q]
            last = cand[q]
            if cum > target:
                return cand[q]
    return last


# --- the day ---------------------------------------------------------------------------------
@njit(cache=True)
def run_day(
    n_patients,
    fpar,
    ipar,
    hx,
    hy,
    grade,
    cure,
    cure_routine,
    cure_serious,
    adopt,
    W,
    invd,
    pref,
    dist,
    refc,
    out_ptr,
    out_idx,
    in_ptr,
    in_idx,
    gk,
    gstart,
    gitems,
    hk,
    hstart,
    hitems,
    F,
    Sw,
    Sd,
    Sp,
    cnt,
    nfree,
    hcount,
    hdist,
    glob,
    gfloat,
    s,
    t,
    alpha,
    trust,
    cx,
    cy,
    g1k,
    g1start,
    g1items,
    g2k,
    g2start,
    g2items,
    g3k,
    g3start,
    g3items,
    w,
):
    """Process ``n_patients`` arriving patients one after another (spec V1-V6).

    Issue 10 arguments: ``alpha`` (grade utilities), ``trust`` (per hospital, updated in place),
    ``cx, cy`` (city centres), one nearest-hospital grid per grade and the stream ``w``.

    Capacities ``F`` must have been refilled by :func:`start_day`. Updates ``W`` (Phase A),
    ``refc`` (referral counts, both phases), the counters and both random states in place.
    Returns the number of patients lost today.
    """
    side = fpar[0]
    limit = ipar[0]
    phase_b = ipar[1] != 0
    fallback = ipar[2] != 0
    severity_cure = ipar[3] != 0
    triage_on = ipar[4] != 0
    min_grade = ipar[5]
    serious_share = fpar[4]
    bypass_share = fpar[5]
    sens = fpar[6]
    spec = fpar[7]
    ai_cure = fpar[8]
    trust_red = fpar[9]
    km_cost = fpar[10]
    trust_w = fpar[11]
    urban = fpar[12]
    city_sd = fpar[13]
    eta = fpar[14]
    rev_sens = fpar[15]
    rev_spec = fpar[16]
    choice_on = ipar[6] != 0
    cities_on = ipar[7] != 0
    routing = ipar[8] != 0
    review_on = ipar[9] != 0
    cand = np.empty(3, dtype=np.int64)
    lost_today = 0
    for _ in range(n_patients):
        # E10: place and nearest hospital (stream s); severity and bypass (stream t)
        px = side * next_double(s)
        py = side * next_double(s)
        if cities_on:
            px, py = place_city(px, py, cx, cy, urban, city_sd, side, w)
        h = nearest(px, py, hx, hy, gk, gstart, gitems, side)
        if grade[h] == 1:
            glob[22] += 1  # G_NEAREST_PRIMARY
        if choice_on:
            # issue 10: first contact by a logit over the nearest hospital of each grade
            nearest_is_primary = grade[h] == 1
            cand[0] = nearest(px, py, hx, hy, g1k, g1start, g1items, side)
            cand[1] = nearest(px, py, hx, hy, g2k, g2start, g2items, side)
            cand[2] = nearest(px, py, hx, hy, g3k, g3start, g3items, side)
            h = first_contact_choice(
                px, py, hx, hy, cand, alpha, km_cost, trust_w, trust, grade, next_double(w)
            )
            if nearest_is_primary and grade[h] >= 2:
                glob[6] += 1  # G_BYPASSED: nearest is primary, first contact is not
        serious = next_double(t) < serious_share
        ub = next_double(t)
        if grade[h] == 1 and bypass_share > 0.0:
            pb = bypass_share * (1.0 - trust_red) if adopt[h] else bypass_share
            if ub < pb:
                h2 = nearest(px, py, hx, hy, hk, hstart, hitems, side)
                if h2 >= 0:
                    h = h2
                    glob[6] += 1  # G_BYPASSED
        dx = px - hx[h]
        dy = py - hy[h]
        d0 = np.sqrt(dx * dx + dy * dy)
        glob[0] += 1  # G_PATIENTS
        if serious:
            glob[7] += 1
        gfloat[0] += d0
        r = 0
        served = 0
        last_leg = 0.0
        path = 0.0
        reached = False
        while True:
            direct = -1
            if F[h] > 0:
                # V1: treated here, uses one slot
                F[h] -= 1
                hcount[h, 0] += 1
                glob[20] += 1
                if F[h] == 0:
                    _on_full(h, W, invd, pref, in_ptr, in_idx, Sw, Sd, Sp, cnt, nfree, hcount)
                if not serious and grade[h] == 3:
                    glob[23] += 1  # G_ROUTINE_VISITS_G3
                if serious and not reached and grade[h] >= 2:
                    reached = True
                    glob[10] += 1
                    glob[11] += r
                    glob[21] += served
                served += 1
                if severity_cure:
                    pc = cure_serious[h] if serious else cure_routine[h]
                else:
                    pc = cure[h]
                if triage_on and routing and r == 0 and adopt[h]:
                    # digital triage at an adopting primary hospital, first consultation
                    glob[12] += 1
                    ut = next_double(t)
                    if serious:
                        flagged = ut < sens
                        glob[13 if flagged else 15] += 1
                    else:
                        flagged = ut >= spec
                        glob[14 if flagged else 16] += 1
                    if flagged and review_on and F[h] > 0:
                        # issue 10: remote review of a flagged patient. It uses one more slot
                        # here (capacity cost) but is not a consultation: not counted in visits,
                        # so it cannot show up as primary utilisation
                        F[h] -= 1
                        if F[h] == 0:
                            _on_full(
                                h, W, invd, pref, in_ptr, in_idx, Sw, Sd, Sp, cnt, nfree, hcount
                            )
                        glob[24] += 1  # G_REVIEWED
                        ur = next_double(w)
                        if (ur >= rev_sens) if serious else (ur < rev_spec):
                            flagged = False
                            glob[25] += 1  # G_REVIEW_CLEARED
                    if flagged:
                        uc = next_double(t)
                        direct = choose_higher(
                            h, uc, min_grade, fpar, F, grade, W, invd, pref, out_ptr, out_idx
                        )
                        if direct < 0 and min_grade > 2:
                            direct = choose_higher(
                                h, uc, 2, fpar, F, grade, W, invd, pref, out_ptr, out_idx
                            )
                        if direct >= 0:
                            if serious:
                                _learn(trust, h, 1.0, eta)  # sent straight up: a good experience
                            else:
                                glob[26] += 1  # G_ROUTINE_REFERRED_BY_TOOL
                                _learn(trust, h, 0.0, eta)  # sent up needlessly
                    elif serious:
                        pc = cure_serious[h]  # false negative: primary-level serious cure
                    else:
                        pc = ai_cure  # cleared routine: AI-assisted local treatment
                if direct < 0:
                    if next_double(s) < pc:
                        _learn(trust, h, 1.0, eta)
                        if r == 0:
                            hcount[h, 2] += 1
                            hdist[h, 0] += d0
                        else:
                            hcount[h, 3] += 1
                            hdist[h, 1] += d0 + last_leg
                            hdist[h, 2] += d0 + path
                        glob[1] += 1
                        if serious:
                            glob[8] += 1
                        if triage_on and routing and r == 0 and adopt[h] and not serious:
                            glob[17] += 1
                        break
                    _learn(trust, h, 0.0, eta)  # treated, not cured
            else:
                hcount[h, 4] += 1  # turned away by a full hospital
                _learn(trust, h, 0.0, eta)
            # V2: not cured (or full): one more referral
            r += 1
            if r > limit:
                hcount[h, 1] += 1
                glob[2] += 1
                glob[19] += 1
                if serious:
                    glob[9] += 1
                lost_today += 1
                break
            if direct >= 0:
                j = direct
                glob[5] += 1
            elif cnt[h] > 0:
                j = choose(h, next_double(s), fpar, F, W, invd, pref, out_ptr, out_idx, Sw, Sd, Sp)
            elif phase_b and fallback:
                j = _random_free(h, next_double(s), F, nfree)
                if j >= 0:
                    glob[4] += 1
            else:
                j = -1
            if j < 0:
                # V5: nowhere to go
                hcount[h, 1] += 1
                glob[2] += 1
                glob[18] += 1
                if serious:
                    glob[9] += 1
                lost_today += 1
                break
            # V6: the referral
            refc[h, j] += 1
            hcount[h, 6] += 1
            hcount[j, 7] += 1
            glob[3] += 1
            if not phase_b:
                W[h, j] += 1.0
                Sw[h] += 1.0  # j is free, so it is in h's row sum
            last_leg = dist[h, j]
            path += last_leg
            gfloat[0] += last_leg
            h = j
    return lost_today
