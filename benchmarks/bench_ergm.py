"""ERGM engine benchmark: time, MCMLE iterations and sampler proposals per second per case,
next to R statnet ``ergm`` 4.6.0 timings on the same machine (issue 16), and the convergence
check at the final estimate.

Cases (the issue's table):

- MPLE / exact MLE of a dyad-independent 288-node model, and the exact dyad MLE with mutual;
- MCMC-MLE: Florentine ``edges + triangle``; Sampson ``edges + mutual + nodematch('group')``
  forced to MCMC; 288 nodes ``edges + mutual + nodeicov + edgecov`` forced to MCMC; 288 nodes
  ``edges + mutual + gwesp(0.5, fixed=True) + nodeicov``;
- ``simulate`` of 1000 networks' statistics;
- first fit in a fresh process with an empty compiled-code cache, then with a warm one, and
  the import time of ``medkit.ergm``.

The 288-node network is drawn reproducibly (seed 2024) from a dyad-independent logit with 5 node
covariates and one edge covariate (about 8,279 ties). Times are in-process medians over the
seeds, after one warm-up fit has loaded the compiled kernels. "proposals/s" is the number of
Metropolis-Hastings proposals the fit made divided by its time (sampler throughput, the figure
that does not depend on how many iterations were needed); "kernel/s" is the raw rate of one
chain at the estimate; "cpu s" is the process CPU time of the fit, all threads together (on a
loaded machine a better guide than wall time to what a quiet one would show). "check" simulates a fresh sample (effective size >= 200) at the final
estimate and gives the Hotelling T^2 (df = the statistics, p-value) of its mean against the
observed statistics: a large p-value means the estimate solves the moment equations. The
second p-value allows for the estimate's own reported Monte Carlo error (variance of the
mean difference ``Var(check mean) + S Cov_MC S``, ``Cov_MC`` from the MC SEs and the
correlations of the estimates): a small p-value there means the estimate is
further from solving them than its MC SE admits. The first p-value ignores that error, so it
falls whenever the check sample (effective size 200) is as precise as the fit's own last sample
(effective size 150-400 here): it measures the check's power more than the estimate. Where the
exact MLE is known (the mutual model) the script also gives the estimate's squared Mahalanobis
distance from it in the estimate's own MC covariance (chi-squared on p df when the reported
MC error is honest).

R's proposals per second are known only for ``simulate``, whose timing fixes the number of
proposals (ergm's default interval and burn-in); the MCMLE cases' R proposal counts were not
recorded.

Wall-clock figures depend on the machine's load, which the script prints first; iterations and
proposals do not. Run on a quiet machine for timings::

    python benchmarks/bench_ergm.py                 # every case, seeds 1 2 3
    python benchmarks/bench_ergm.py --quick         # skip the 288-node gwesp fit (minutes)
    python benchmarks/bench_ergm.py --seeds 1 2 3 4 5
    python benchmarks/bench_ergm.py --reference     # recompute the long-run gwesp reference

The Sampson case reads ``../shared/data/classic`` beside the repository when present (the kit
does not ship Sampson's monks) and is skipped otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPSON = ROOT.parent / "shared" / "data" / "classic"

# R ergm 4.6.0 on the same 2-core machine (quiet), in-process medians (issue 16)
R_SECONDS = {
    "mple288": 9.8,
    "dyad288": 35.0,
    "florentine": 0.68,
    "sampson": 0.87,
    "mutual288": 35.0,
    "gwesp288": 500.0,
    "simulate": 0.76,
}
R_ITERATIONS = {"mutual288": "1-6", "gwesp288": "6"}
# R's sampler throughput where its timing pins the number of proposals: ``simulate`` of 1000
# networks' statistics with ergm's default control (MCMC.interval 1024, MCMC.burnin 16 * 1024)
# makes 1000 * 1024 + 16384 proposals in 0.76 s. The MCMLE cases' R proposal counts depend on
# its adaptive sampling and were not recorded, so only this case has an R figure.
R_PROPOSALS_PER_S = {"simulate": (1000 * 1024 + 16 * 1024) / 0.76}
SIMULATE_PROPOSALS = 1000 * 1024 + 16 * 1024  # medkit's simulate uses the same defaults here
GOALS = {"florentine": 0.68, "sampson": 0.87, "mutual288": 5.0, "gwesp288": 40.0}

# Long-run reference for the 288-node gwesp model (this script's network, original units):
# one long sample (two chains, 1208 records, effective size >= 654 for every statistic, 51.4
# million proposals) at a converged estimate (-2.6033, 0.2382, 0.1161, 0.5783), then one
# Newton step ``theta + Cov(Z)^-1 (g_obs - mean Z)``; MC SE from the effective sizes. At the
# starting estimate the long sample's mean already matched the observed statistics (Hotelling
# T^2 = 6.6 on 4 df, p = 0.16), so the step is short and its linearisation error negligible.
# Recompute with ``python benchmarks/bench_ergm.py --reference`` (about 15-30 min on a quiet
# machine).
GWESP288_REFERENCE = {
    "names": ["edges", "mutual", "gwesp.OTP.fixed.0.5", "nodeicov.HTH0"],
    "params": [-2.60535, 0.23825, 0.11692, 0.57736],
    "mcse": [0.00192, 0.00165, 0.0009, 0.00048],
}

SETUP = textwrap.dedent(
    """
    import json, time, warnings
    import numpy as np, networkx as nx, pandas as pd

    def network288():
        rng = np.random.default_rng(2024)
        n = 288
        X = rng.normal(size=(n, 5))
        geo = rng.normal(size=(n, n))
        geo = (geo + geo.T) / 2
        beta = np.array([0.6, -0.4, 0.3, 0.5, -0.2])
        eta = -2.62 + (X @ beta)[None, :] + 0.8 * geo
        p = 1 / (1 + np.exp(-eta))
        np.fill_diagonal(p, 0)
        A = rng.random((n, n)) < p
        g = nx.DiGraph()
        for i in range(n):
            g.add_node(i, **{f"HTH{k}": float(X[i, k]) for k in range(5)})
        g.add_edges_from(zip(*np.nonzero(A)))
        return g, geo

    def sampson(folder):
        nodes = pd.read_csv(folder + "/sampson_nodes.csv")
        edges = pd.read_csv(folder + "/sampson_samplike_edges.csv")
        g = nx.DiGraph()
        for row in nodes.itertuples():
            g.add_node(row.id, group=row.group)
        g.add_edges_from(zip(edges["from"], edges["to"]))
        return g
    """
)

CASES = {
    "mple288": (
        "dyad-independent 288 nodes (exact MLE)",
        "g, geo = network288()",
        "ergm.fit(g, 'edges + ' + ' + '.join(f\"nodeicov('HTH{k}')\" for k in range(5))"
        " + \" + edgecov('GeoProx')\", edge_covariates={'GeoProx': geo})",
    ),
    "dyad288": (
        "288 nodes edges+mutual+nodeicov+edgecov (exact dyad MLE)",
        "g, geo = network288()",
        "ergm.fit(g, \"edges + mutual + nodeicov('HTH0') + edgecov('GeoProx')\","
        " edge_covariates={'GeoProx': geo})",
    ),
    "florentine": (
        "Florentine edges + triangle (MCMC-MLE)",
        "from medkit.ergm.datasets import florentine_marriage; g = florentine_marriage()",
        "ergm.fit(g, 'edges + triangle', seed=SEED, progress=False)",
    ),
    "sampson": (
        "Sampson edges+mutual+nodematch, forced MCMC",
        "g = sampson(SAMPSON)",
        "ergm.fit(g, \"edges + mutual + nodematch('group')\", method='mcmc', seed=SEED,"
        " progress=False)",
    ),
    "mutual288": (
        "288 nodes edges+mutual+nodeicov+edgecov, forced MCMC",
        "g, geo = network288()",
        "ergm.fit(g, \"edges + mutual + nodeicov('HTH0') + edgecov('GeoProx')\","
        " edge_covariates={'GeoProx': geo}, method='mcmc', seed=SEED, progress=False)",
    ),
    "gwesp288": (
        "288 nodes edges+mutual+gwesp(0.5,fixed)+nodeicov",
        "g, geo = network288()",
        "ergm.fit(g, \"edges + mutual + gwesp(0.5, fixed=True) + nodeicov('HTH0')\", seed=SEED,"
        " progress=False)",
    ),
    "simulate": (
        "simulate 1000 networks' stats, mutual model",
        "g, geo = network288(); fitted = ergm.fit(g, \"edges + mutual + nodeicov('HTH0') +"
        " edgecov('GeoProx')\", edge_covariates={'GeoProx': geo})",
        "ergm.simulate(fitted, 1000, output='stats', seed=SEED)",
    ),
}

CASE_SCRIPT = textwrap.dedent(
    """
    from medkit import ergm
    from medkit.ergm.datasets import florentine_marriage
    from medkit.ergm.mcmle import _Sampler, _mean_test, hotelling_sf
    from medkit.ergm.sampler import mean_covariance, new_chains, sample_chains
    from medkit.ergm.mple import dyad_mle
    from scipy.stats import chi2
    SAMPSON = {sampson!r}
    ergm.fit(florentine_marriage(), 'edges + triangle', seed=0, progress=False, loglik=False)
    {prepare}
    rows = []
    for SEED in {seeds!r}:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            t, c = time.perf_counter(), time.process_time()
            res = {code}
            seconds, cpu = time.perf_counter() - t, time.process_time() - c
        row = {{"seed": SEED, "seconds": seconds, "cpu": cpu,
                "warnings": [str(w.message)[:90] for w in caught]}}
        if hasattr(res, "params"):
            row["params"] = [float(v) for v in res.params]
            row["names"] = list(res.params.index)
            row["mcse"] = [float(v) for v in res.mcse] if res.mcse is not None else None
            row["bse"] = [float(v) for v in res.bse]
            row["iterations"] = int(res.iterations)
            row["converged"] = bool(res.converged)
            conv = res.convergence or {{}}
            row["proposals"] = conv.get("proposals")
            row["interval"] = conv.get("interval")
            # the fit's own test: its final sample's mean against the observed statistics
            # (the last history row; the estimate is one step from that sample)
            last = res.history.iloc[-1]
            row["final_p"] = float(last["p_value"])
            row["final_ess"] = float(last["effective_size"])
            if res.method == "MCMC-MLE" and {check!r}:
                model = res.model
                theta = res.params.to_numpy()
                rng = np.random.default_rng(10_000 + SEED)
                sampler = _Sampler(model, rng, chains=2, samplesize=512,
                                   interval=conv["interval"], burnin=None, effective_size=200)
                Zk, _, ess = sampler.draw(theta)
                test = _mean_test(Zk, ess, model.observed_stats)
                row["check_T2"] = test["mean_T2"]
                row["check_p"] = test["mean_p_value"]
                # the same test allowing for the estimate's own Monte Carlo error: the mean
                # difference then has variance Var(check mean) + S Cov_MC(estimate) S
                Z = Zk.reshape(-1, model.p)
                S = np.cov(Z, rowvar=False)
                # MC covariance of the estimate: its reported MC SEs with the correlations
                # of the estimate's covariance matrix
                cov = res.cov.to_numpy()
                sd = np.sqrt(np.diag(cov))
                mc = res.mcse.to_numpy()
                mc_cov = cov / np.outer(sd, sd) * np.outer(mc, mc)
                V = mean_covariance(Zk, ess) + S @ mc_cov @ S
                d = Z.mean(axis=0) - model.observed_stats
                t2 = float(d @ np.linalg.pinv(V) @ d)
                row["check_T2_mc"] = t2
                row["check_p_mc"] = hotelling_sf(t2, model.p, float(ess.min()))
                # where the exact MLE is known (mutual the only dependence): the estimate's
                # distance from it in its own Monte Carlo covariance (chi-squared on p df if
                # the reported MC error is honest)
                if model.mutual_only and model.directed:
                    exact = dyad_mle(model).params
                    de = theta - exact
                    row["exact_m2"] = float(de @ np.linalg.pinv(mc_cov) @ de)
                    row["exact_p"] = float(chi2.sf(row["exact_m2"], model.p))
                # raw kernel rate of one chain at the estimate
                chain = new_chains(model, 1, rng)
                t = time.perf_counter()
                sample_chains(model, chain, theta, 64, interval=max(1, conv["interval"] // 4),
                              burnin=0)
                row["kernel_rate"] = chain[0].proposals / (time.perf_counter() - t)
        rows.append(row)
    print(json.dumps(rows))
    """
)


def run_case(key: str, seeds, check: bool) -> list[dict]:
    _, prepare, code = CASES[key]
    script = SETUP + CASE_SCRIPT.format(
        sampson=str(SAMPSON), prepare=prepare, seeds=list(seeds), code=code, check=check
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"{key} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


FIRST_FIT = textwrap.dedent(
    """
    import time
    t = time.perf_counter()
    from medkit import ergm
    from medkit.ergm.datasets import florentine_marriage
    t_import = time.perf_counter() - t
    t = time.perf_counter()
    ergm.fit(florentine_marriage(), "edges + triangle", seed=1, progress=False)
    print(t_import, time.perf_counter() - t)
    """
)


def first_contact() -> tuple[float, float, float]:
    """Import time, first fit with an empty compiled-code cache, first fit with a warm one."""
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        out = []
        for _ in range(2):
            proc = subprocess.run(
                [sys.executable, "-c", FIRST_FIT], capture_output=True, text=True, env=env
            )
            if proc.returncode:
                raise SystemExit(f"first fit failed:\n{proc.stderr}")
            out.append([float(x) for x in proc.stdout.split()])
    return out[0][0], out[0][1], out[1][1]


def _median(values):
    values = sorted(values)
    k = len(values)
    return values[k // 2] if k % 2 else (values[k // 2 - 1] + values[k // 2]) / 2


def load_line() -> str:
    try:
        one, five, fifteen = os.getloadavg()
        return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"
    except OSError:
        return "load average unavailable"


def reference(seed: int = 20261202, effective_size: float = 600.0) -> None:
    """Recompute the long-run reference of the 288-node gwesp model.

    A default fit (seed 1) gives the starting estimate; one long sample of the given effective
    size at it and one Newton step give the reference and its Monte Carlo SE.
    """
    script = SETUP + textwrap.dedent(
        f"""
        from medkit import ergm
        from medkit.ergm.mcmle import _Sampler, _mean_test
        from medkit.ergm.sampler import mean_covariance
        g, geo = network288()
        formula = "edges + mutual + gwesp(0.5, fixed=True) + nodeicov('HTH0')"
        start = ergm.fit(g, formula, seed=1, progress=False, loglik=False)
        model, theta0 = start.model, start.params.to_numpy()
        rng = np.random.default_rng({seed})
        sampler = _Sampler(model, rng, chains=2, samplesize=int(2 * {effective_size}),
                           interval=start.convergence["interval"], burnin=None,
                           effective_size={effective_size})
        Zk, _, ess = sampler.draw(theta0)
        Z = Zk.reshape(-1, model.p)
        Sinv = np.linalg.inv(np.cov(Z, rowvar=False))
        ref = theta0 + Sinv @ (model.observed_stats - Z.mean(axis=0))
        mcse = np.sqrt(np.diag(Sinv @ mean_covariance(Zk, ess) @ Sinv))
        print(json.dumps({{"names": list(start.params.index), "start": theta0.round(5).tolist(),
                          "params": ref.round(5).tolist(), "mcse": mcse.round(5).tolist(),
                          "effective_size": ess.round(0).tolist(),
                          "proposals": sampler.proposals,
                          "check_at_start": _mean_test(Zk, ess, model.observed_stats)}}))
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(proc.stderr)
    print(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--quick", action="store_true", help="skip the 288-node gwesp fit")
    parser.add_argument("--no-check", action="store_true", help="skip the check simulation")
    parser.add_argument("--reference", action="store_true", help="recompute the gwesp reference")
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=None)
    args = parser.parse_args()
    if args.reference:
        reference()
        return
    print(load_line())
    cases = args.cases or [k for k in CASES if not (args.quick and k == "gwesp288")]
    head = (
        f"{'case':55s} {'medkit s':>8s} {'cpu s':>6s} {'R s':>6s} {'goal':>5s} {'iters':>7s} "
        f"{'proposals/s':>11s} {'kernel/s':>9s}  check T2 (p)"
    )
    print(head)
    for key in cases:
        if key == "sampson" and not SAMPSON.exists():
            print(f"{CASES[key][0]:55s} skipped: Sampson data not found at {SAMPSON}")
            continue
        rows = run_case(key, args.seeds, not args.no_check)
        secs = _median([r["seconds"] for r in rows])
        cpu = _median([r["cpu"] for r in rows])
        iters = [r.get("iterations") for r in rows]
        it_text = "/".join(str(i) for i in iters) if iters[0] is not None else "-"
        props = [r.get("proposals") for r in rows]
        if key == "simulate":
            props = [SIMULATE_PROPOSALS for _ in rows]
        rate = (
            f"{sum(props) / sum(r['seconds'] for r in rows):11.3g}" if props[0] else f"{'-':>11s}"
        )
        kern = [r.get("kernel_rate") for r in rows if r.get("kernel_rate")]
        kern_text = f"{_median(kern):9.3g}" if kern else f"{'-':>9s}"
        checks = [
            f"{r['check_T2']:.1f} ({r['check_p']:.2f}; with MC error {r['check_p_mc']:.2f})"
            for r in rows
            if r.get("check_T2") is not None
        ]
        goal = GOALS.get(key)
        print(
            f"{CASES[key][0]:55s} {secs:8.2f} {cpu:6.2f} {R_SECONDS.get(key, float('nan')):6.2f} "
            f"{goal if goal else float('nan'):5.1f} {it_text:>7s} {rate} {kern_text}  "
            + ", ".join(checks)
        )
        if key in R_PROPOSALS_PER_S:
            print(f"    R's sampler on this case: {R_PROPOSALS_PER_S[key]:.3g} proposals/s")
        if rows[0].get("params") and rows[0].get("mcse"):
            names = rows[0]["names"]
            for r in rows:
                est = ", ".join(
                    f"{n} {p:.4f} ({m:.4f})"
                    for n, p, m in zip(names, r["params"], r["mcse"], strict=True)
                )
                warn = f"  warnings: {r['warnings']}" if r["warnings"] else ""
                print(f"    seed {r['seed']}: {est} [estimate (MC SE)]{warn}")
                print(
                    f"    seed {r['seed']}: converged {r['converged']}; the fit's own test, "
                    f"final sample (effective size {r['final_ess']:.0f}) against the observed "
                    f"statistics: p = {r['final_p']:.2f}"
                )
                if r.get("exact_m2") is not None:
                    print(
                        f"    seed {r['seed']}: distance to the exact dyad MLE in the estimate's "
                        f"MC covariance: {r['exact_m2']:.1f} on {len(names)} df "
                        f"(p = {r['exact_p']:.2f})"
                    )
            if key == "gwesp288" and GWESP288_REFERENCE["params"]:
                ref, ref_se = GWESP288_REFERENCE["params"], GWESP288_REFERENCE["mcse"]
                for r in rows:
                    z = [
                        (p - q) / (m**2 + s**2) ** 0.5
                        for p, q, m, s in zip(r["params"], ref, r["mcse"], ref_se, strict=True)
                    ]
                    print(
                        f"    seed {r['seed']}: distance to the long-run reference in combined "
                        "MC SE: " + ", ".join(f"{v:+.1f}" for v in z)
                    )
    imp, empty, warm = first_contact()
    print(
        f"import medkit.ergm {imp:.2f} s; first fit in a fresh process: empty compiled-code "
        f"cache {empty:.2f} s (goal 8), warm cache {warm:.2f} s"
    )


if __name__ == "__main__":
    main()
