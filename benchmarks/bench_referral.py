"""Speed and memory of the referral ABM at the paper's scale (issue 6, point 5).

Prints: one Phase-A run (200 hospitals, ~41,000 patients a day, T = 500) on one core, next to
one run of the Fu & Lu world at the same scale (``ReferralParams.fulu_world("paper")``); the whole
10-run experiment (Phase A + baseline + four strategies in Phase B, 60 runs of 500 days) on
``--jobs`` cores; peak resident memory of the main process and of the largest worker. With
``--authors`` and the authors' files present in ``../shared/data/referral`` (never copied into
the kit), also one Phase-A run on the authors' own layout against their shipped totals.

    python benchmarks/bench_referral.py [--runs 10] [--jobs 2] [--skip-experiment] [--authors]
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

import numpy as np
import pandas as pd

from medkit.referral import ReferralParams, layout_from_arrays, make_layout, run_evolution
from medkit.referral.experiment import run_experiment

AUTHORS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "referral"


def _mb(kb: int) -> float:
    return kb / 1024.0


def authors_layout(folder: Path = AUTHORS):
    df = pd.read_csv(folder / "nodes_cure.csv")
    xy = df["location"].str.strip("()").str.split(",", expand=True).astype(float)
    return layout_from_arrays(df["grade"], xy[0], xy[1], df["visit_limit"], side_km=200)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--skip-experiment", action="store_true")
    ap.add_argument("--authors", action="store_true")
    args = ap.parse_args()
    params = ReferralParams()
    layout = make_layout(params, seed=1)
    small = ReferralParams.small(days=2)
    run_evolution(make_layout(small, seed=0), small, seed=0)  # compile / load the numba cache
    warm = ReferralParams.fulu_world("small", days=2)
    run_evolution(make_layout(warm, seed=0), warm, seed=0)

    t0 = time.perf_counter()
    c0 = time.process_time()
    res = run_evolution(layout, params, seed=2)
    t_a = time.perf_counter() - t0
    cpu_a = time.process_time() - c0
    c = res.counters
    print(
        f"Phase A, paper scale (N=200, T={params.days}), one core: {t_a:.1f} s wall, "
        f"{cpu_a:.1f} s CPU  (goal < 15 s)"
    )
    print(f"  {c['patients']:,} patients, {c['referrals']:,} referrals, {c['lost']:,} lost; "
          f"{c['patients'] / t_a / 1e6:.2f} M patients/s")  # fmt: skip
    fulu = ReferralParams.fulu_world("paper")
    t0 = time.perf_counter()
    c0 = time.process_time()
    res_f = run_evolution(make_layout(fulu, seed=1), fulu, seed=2)
    t_f = time.perf_counter() - t0
    cpu_f = time.process_time() - c0
    cf = res_f.counters
    print(
        f"Phase A, Fu & Lu world at paper scale (N=200, T={fulu.days}), one core: {t_f:.1f} s "
        f"wall, {cpu_f:.1f} s CPU  (Yang run above: {t_a:.1f} s wall, {cpu_a:.1f} s CPU)"
    )
    print(f"  {cf['patients']:,} patients, {cf['referrals']:,} referrals, {cf['lost']:,} lost; "
          f"{cf['patients'] / t_f / 1e6:.2f} M patients/s")  # fmt: skip
    t0 = time.perf_counter()
    small = ReferralParams.small()
    run_evolution(make_layout(small, seed=1), small, seed=2)
    print(f"Phase A, small preset (N=50, T={small.days}): {time.perf_counter() - t0:.2f} s")
    t0 = time.perf_counter()
    small_f = ReferralParams.fulu_world("small")
    run_evolution(make_layout(small_f, seed=1), small_f, seed=2)
    print(
        f"Phase A, Fu & Lu world small (N=50, T={small_f.days}): {time.perf_counter() - t0:.2f} s"
    )

    if not args.skip_experiment:
        t0 = time.perf_counter()
        ch0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        ex = run_experiment(params, runs=args.runs, layout=layout, n_jobs=args.jobs,
                            progress=False, seed=3)  # fmt: skip
        t_ex = time.perf_counter() - t0
        ch1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_ex = (ch1.ru_utime + ch1.ru_stime) - (ch0.ru_utime + ch0.ru_stime)
        n_runs = len(ex.phase_a) + sum(len(v) for v in ex.phase_b.values())
        print(f"Full experiment ({args.runs} x Phase A + {args.runs} x 5 Phase-B strategies = "
              f"{n_runs} runs of 500 days) on {args.jobs} cores: {t_ex:.0f} s "
              f"({t_ex / 60:.1f} min; goal < 5 min); worker CPU {cpu_ex:.0f} s "
              f"(= {cpu_ex / args.jobs:.0f} s on {args.jobs} otherwise idle cores)")  # fmt: skip
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"Peak memory: main process {_mb(self_kb):.0f} MB, largest worker {_mb(child_kb):.0f} MB "
          f"(cores available: {os.cpu_count()})")  # fmt: skip

    if args.authors:
        if not (AUTHORS / "nodes_cure.csv").exists():
            print("authors' files not found; skipped")
            return
        lay = authors_layout()
        r = run_evolution(lay, params, seed=4)
        g = r.hospitals.groupby("grade")[["lost_patients", "initial_area"]].mean()
        raw = pd.read_csv(AUTHORS / "edges_top5_normalized.csv")
        authors_refs = int(raw["weight"].sum() - len(raw))
        w = r.weights[~np.eye(200, dtype=bool)]
        print(f"Authors' layout (total capacity {lay.capacity.sum():,}): referrals "
              f"{r.counters['referrals'] / 1e6:.2f} M (authors' run {authors_refs / 1e6:.2f} M); "
              f"95th-percentile weight {np.quantile(w, 0.95):.0f} (authors' 1572)")  # fmt: skip
        print("  LP per hospital g1/g2/g3: " + " / ".join(f"{v:.0f}" for v in g["lost_patients"])
              + "  (re-run in spec: 176/193/232 and 235/254/307)")  # fmt: skip
        print("  initial area g1/g2/g3 (km): " + " / ".join(f"{v:.2f}" for v in g["initial_area"]))


if __name__ == "__main__":
    main()
