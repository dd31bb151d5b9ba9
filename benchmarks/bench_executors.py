"""A paper-scale triage sweep on local processes vs a 2-worker Dask LocalCluster (issue 14).

Prints the machine's load, then the wall time of the same sweep (``--points`` adoption levels x
``--runs`` seeds, each run 200 hospitals, ~41,000 patients a day, 500 days) on ``--workers``
local processes (``executor=None``, a fresh process pool per call, as every medkit call makes)
and on a ``distributed.LocalCluster`` of as many single-threaded worker processes: the
cluster's start-up, its first sweep (workers import medkit and load the compiled kernels) and a
second sweep on the warm workers. The overhead is the difference against local processes. It
also checks that both give identical tables.

    python benchmarks/bench_executors.py [--runs 2] [--points 2] [--workers 2] [--days 500]

Needs ``medkit[dask]``. On a shared machine run it with ``nice -n 10`` and read the load.
"""

from __future__ import annotations

import argparse
import os
import time

from medkit.referral.triage import sweep


def _sweep(args, **kw):
    adoption = [round(k / max(1, args.points - 1), 3) for k in range(args.points)]
    start = time.perf_counter()
    frame = sweep("paper", {"triage_adoption": adoption}, runs=args.runs, days=args.days,
                  progress=False, seed=0, **kw)  # fmt: skip
    return frame, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=2, help="seeds per grid point")
    ap.add_argument("--points", type=int, default=2, help="adoption levels (0 to 1)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--days", type=int, default=None, help="Phase-A days (default 500)")
    args = ap.parse_args()
    try:
        import distributed
    except ImportError:
        print("needs Dask's distributed scheduler: pip install 'medkit[dask]'")
        return
    n = args.runs * args.points
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          f"on {os.cpu_count()} cores")  # fmt: skip
    print(f"sweep: {args.points} adoption levels x {args.runs} seeds = {n} paper-scale runs")

    local, t_local = _sweep(args, n_jobs=args.workers)
    print(f"local processes ({args.workers}):        {t_local:7.1f} s   "
          f"{t_local / n:6.1f} s per run")  # fmt: skip

    start = time.perf_counter()
    cluster = distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                       processes=True, dashboard_address=None)  # fmt: skip
    client = distributed.Client(cluster)
    t_start = time.perf_counter() - start
    try:
        executor = client.get_executor()
        cold, t_cold = _sweep(args, executor=executor)
        warm, t_warm = _sweep(args, executor=executor)
    finally:
        client.close()
        cluster.close()
    print(f"LocalCluster start-up ({args.workers} workers): {t_start:7.1f} s")
    print(f"LocalCluster, first sweep:      {t_cold:7.1f} s   {t_cold / n:6.1f} s per run   "
          f"overhead vs local {t_cold - t_local:+.1f} s")  # fmt: skip
    print(f"LocalCluster, warm workers:     {t_warm:7.1f} s   {t_warm / n:6.1f} s per run   "
          f"overhead vs local {t_warm - t_local:+.1f} s")  # fmt: skip
    same = local.equals(cold) and local.equals(warm)
    print(f"identical tables on both executors: {same}")
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
