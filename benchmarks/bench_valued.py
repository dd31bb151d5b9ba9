"""Valued (count) ERGM benchmark: exact and MCMC-MLE fits on the twins' flow counts.

For each level (Zhejiang, 88 units, 7,656 pairs; national, 288 cities, 82,656 pairs) it times

- the exact dyad-independent fit of Model 3's covariates (``sum + nonzero + nodeicov(...) +
  edgecov(...)``: a hurdle Poisson regression over the pairs, no MCMC);
- the MCMC-MLE of the same model plus ``mutual(form='min')`` (compiled count sampler,
  independence proposal, bridge-sampled log-likelihood), seed 1;
- the sampler alone: proposals per second at the MCMC estimate.

Each fit runs once after a warm-up fit on a small network, so the timings exclude numba's
compilation (cached on disk after the first run). The machine's load is printed first:
timings on a shared machine are only comparable at similar load.

Run: ``python benchmarks/bench_valued.py [--levels zhejiang national]`` (or ``./kit bench``).
"""

from __future__ import annotations

import argparse
import os
import time


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", nargs="+", default=["zhejiang", "national"])
    parser.add_argument("--samplesize", type=int, default=1024)
    args = parser.parse_args(argv)

    from medkit import data, ergm
    from medkit.ergm.valued import ValuedModel
    from medkit.ergm.valued.estimate import default_interval, run_chain
    from medkit.threshold import valued_formula

    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(f"load average (1, 5, 15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"cpus: {os.cpu_count()}")  # fmt: skip

    # warm-up: compile the kernels on a tiny network
    import networkx as nx

    g = nx.DiGraph()
    g.add_weighted_edges_from([(0, 1, 2), (1, 0, 1), (1, 2, 3), (2, 0, 1)], weight="count")
    ergm.fit(g, "sum + mutual(form='min')", response="count", seed=0, samplesize=64,
             interval=64, bridge_steps=2, bridge_samplesize=32)  # fmt: skip

    print(f"{'level':<10}{'pairs':>8}{'exact s':>10}{'MCMC s':>9}{'iters':>7}"
          f"{'Mprop/s':>9}  mutual.min (se)     HTH (se)")  # fmt: skip
    for level in args.levels:
        net = data.mobility_network(level, threshold=1)
        cov = data.edge_covariates(level)
        t0 = time.perf_counter()
        exact = ergm.fit(net, valued_formula(level), response="count", edge_covariates=cov)
        t_exact = time.perf_counter() - t0
        t0 = time.perf_counter()
        mc = ergm.fit(net, valued_formula(level, dependent=True), response="count",
                      edge_covariates=cov, seed=1, samplesize=args.samplesize)  # fmt: skip
        t_mc = time.perf_counter() - t0
        model = ValuedModel(net, valued_formula(level, dependent=True), "count", cov)
        y, stats = model.y.copy(), model.observed_stats
        interval = default_interval(model)
        run_chain(model, y, mc.params.to_numpy(), stats, 0, interval, 4, 6)  # warm
        t0 = time.perf_counter()
        run_chain(model, y, mc.params.to_numpy(), stats, 0, interval, 256, 7)
        rate = 256 * interval / (time.perf_counter() - t0) / 1e6
        mm, hh = "mutual.min", "nodeicov.sum.HTH"
        print(f"{level:<10}{model.n_dyads:>8}{t_exact:>10.2f}{t_mc:>9.1f}{mc.iterations:>7}"
              f"{rate:>9.2f}  {mc.params[mm]:.4f} ({mc.bse[mm]:.4f})  "
              f"{mc.params[hh]:.4f} ({mc.bse[hh]:.4f}) [exact {exact.params[hh]:.4f}]")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
