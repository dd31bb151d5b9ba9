"""Command line: full-scale referral experiments outside notebooks, writing tidy CSV files.

Examples::

    python -m medkit.referral run --runs 10 --out results/
    python -m medkit.referral run --small --runs 3 --strategies baseline,bottleneck --out small/
    python -m medkit.referral run --triage-adoption 0.5 --bypass-share 0.3 --severity-cure --out t/
    python -m medkit.referral reproduce --out repro/
    python -m medkit.referral run --runs 100 --executor dask --scheduler tcp://host:8786 --out r/

Files written by ``run`` (one row per run where it applies, ``run`` = 0..runs-1):
``layout.csv``, ``phase_a_hospitals.csv``, ``phase_b_hospitals.csv``, ``measures.csv`` (every run's
outcome and imbalance measures), ``grade_metrics.csv`` (mean and 95 % interval per grade),
``stable_network.csv`` (edges), ``stable_grade_metrics.csv``, ``communities.csv``, ``key_nodes.csv``,
``strategy_summary.csv``, ``pair_shares.csv``, ``daily.csv``; with ``--stability`` also
``stability.csv``; ``reproduce`` adds ``reproduction.csv`` (paper vs medkit).
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pandas as pd

from medkit._executors import add_executor_arguments, executor_from_options
from medkit.cli import Parser, finite_float, guarded, nonnegative_int, positive_int, share
from medkit.referral.analysis import grade_metrics, key_nodes
from medkit.referral.experiment import Experiment, run_experiment, run_stability
from medkit.referral.layout import make_layout, paper_like_layout
from medkit.referral.params import STRATEGIES, ReferralParams
from medkit.validation import output_folder


def _params(args) -> ReferralParams:
    p = ReferralParams.small() if args.small else ReferralParams()
    changes = {}
    for f in dataclasses.fields(ReferralParams):
        v = getattr(args, f.name, None)
        if v is not None:
            changes[f.name] = v
    return p.replace(**changes)


def write_experiment(ex: Experiment, out: Path) -> None:
    """Write an experiment's tidy CSV files into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    ex.layout.to_frame().to_csv(out / "layout.csv")

    def hosp(results, phase):
        frames = []
        for name, rs in results:
            for k, r in enumerate(rs):
                h = r.hospitals.reset_index()
                h.insert(0, "run", k)
                h.insert(0, "strategy", name)
                h.insert(0, "phase", phase)
                frames.append(h)
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    hosp([("evolution", ex.phase_a)], "A").to_csv(out / "phase_a_hospitals.csv", index=False)
    if ex.phase_b:
        hosp(ex.phase_b.items(), "B").to_csv(out / "phase_b_hospitals.csv", index=False)
        ex.strategy_table().to_csv(out / "strategy_summary.csv", index=False)
        ex.pair_share_table().to_csv(out / "pair_shares.csv", index=False)
    ex.measures().to_csv(out / "measures.csv", index=False)
    ex.grade_table().to_csv(out / "grade_metrics.csv", index=False)
    grade_metrics(ex.stable).to_csv(out / "stable_grade_metrics.csv")
    edges = pd.DataFrame(
        [(i, j, d["weight"], d["normalized_weight"], d["distance"], d["preference"])
         for i, j, d in ex.stable.edges(data=True)],
        columns=["source", "target", "weight", "normalized_weight", "distance", "preference"],
    )  # fmt: skip
    edges.to_csv(out / "stable_network.csv", index=False)
    ex.communities().to_csv(out / "communities.csv")
    key_nodes(ex.stable).to_csv(out / "key_nodes.csv", index=False)
    daily = []
    for name, rs in [("evolution", ex.phase_a), *ex.phase_b.items()]:
        for k, r in enumerate(rs):
            d = r.daily.reset_index()
            d.insert(0, "run", k)
            d.insert(0, "strategy", name)
            daily.append(d)
    pd.concat(daily, ignore_index=True).to_csv(out / "daily.csv", index=False)


@guarded
def main(argv=None) -> int:
    ap = Parser(prog="python -m medkit.referral", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    for name in ("run", "reproduce"):
        sp = sub.add_parser(name, help="run an experiment" if name == "run" else "paper vs medkit")
        sp.add_argument("--out", type=Path, required=True, help="output folder")
        sp.add_argument("--runs", type=positive_int, default=10)
        sp.add_argument("--jobs", type=positive_int, default=2, help="worker processes")
        sp.add_argument("--seed", type=nonnegative_int, default=2025)
        sp.add_argument("--no-progress", action="store_true")
        add_executor_arguments(sp)
        if name == "run":
            sp.add_argument(
                "--small", action="store_true", help="reduced-scale preset (50 hospitals)"
            )
            sp.add_argument("--strategies", default=",".join(STRATEGIES),
                            help="comma-separated Phase-B strategies, or 'none'")  # fmt: skip
            sp.add_argument("--paper-layout", action="store_true",
                            help="draw a layout with the authors' total capacity")  # fmt: skip
            sp.add_argument("--stability", action="store_true", help="also T = 500..1000 check")
            sp.add_argument("--days", type=positive_int)
            sp.add_argument("--strategy-days", dest="strategy_days", type=positive_int)
            sp.add_argument("--hospitals", dest="n_hospitals", type=positive_int)
            sp.add_argument("--patients", dest="mean_daily_patients", type=finite_float)
            sp.add_argument("--referral-limit", dest="referral_limit", type=nonnegative_int)
            for opt in ("serious_share", "bypass_share", "triage_adoption", "triage_sensitivity",
                        "triage_specificity", "ai_cure_routine", "trust_bypass_reduction"):  # fmt: skip
                sp.add_argument("--" + opt.replace("_", "-"), dest=opt, type=share)
            sp.add_argument(
                "--severity-cure", dest="severity_cure", action="store_const", const=True
            )
    args = ap.parse_args(argv)
    if args.scheduler and args.executor != "dask":
        ap.error("--scheduler needs --executor dask")
    output_folder(args.out, "--out")  # before a cluster starts or any simulation
    with executor_from_options(args.executor, args.scheduler, args.jobs) as executor:
        return _run(ap, args, executor)


def _run(ap, args, executor) -> int:
    progress = not args.no_progress
    if args.command == "reproduce":
        from medkit.referral.reproduce import reproduce

        output_folder(args.out, "--out")  # before any simulation

        ex, stab, table, lays = reproduce(
            runs=args.runs, n_jobs=args.jobs, progress=progress, seed=args.seed, executor=executor
        )
        write_experiment(ex, args.out)
        stab.to_csv(args.out / "stability.csv", index=False)
        table.to_csv(args.out / "reproduction.csv", index=False)
        if lays is not None:
            lays.to_csv(args.out / "layout_ensemble.csv", index=False)
        with pd.option_context("display.width", 160, "display.max_columns", 20):
            print(table.to_string(index=False))
        return 0
    params = _params(args)
    strategies = (
        () if args.strategies == "none" else tuple(s for s in args.strategies.split(",") if s)
    )
    bad = [s for s in strategies if s not in STRATEGIES]
    if bad:
        ap.error(f"unknown strategies {bad}; choose from {', '.join(STRATEGIES)}")
    output_folder(args.out, "--out")  # before any simulation
    layout = (paper_like_layout(params, seed=args.seed) if args.paper_layout
              else make_layout(params, seed=args.seed))  # fmt: skip
    ex = run_experiment(params, runs=args.runs, strategies=strategies, layout=layout,
                        n_jobs=args.jobs, progress=progress, seed=args.seed,
                        executor=executor)  # fmt: skip
    write_experiment(ex, args.out)
    if args.stability:
        run_stability(
            layout, params, progress=progress, seed=args.seed + 1, executor=executor
        ).to_csv(args.out / "stability.csv", index=False)
    print(f"wrote {len(list(args.out.glob('*.csv')))} CSV files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
