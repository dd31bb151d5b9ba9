"""ERGM engine benchmark: prints timings against R statnet ergm 4.6.0 on a comparable network.

The network: 288 nodes, directed, drawn reproducibly (seed 2024) from a dyad-independent logit
with 5 node covariates (receiver effects) and one edge covariate, tuned to about 8,279 ties as the
issue's benchmark. Each timing runs in a fresh Python process (``python -c``), so it includes
loading the cached compiled code ("first call in a fresh process"); the column ``warm`` repeats
the call in the same process. The import time of medkit.ergm is printed separately.

Run: ``python benchmarks/bench_ergm.py`` (or ``./kit bench``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

SETUP = textwrap.dedent(
    """
    import time, json
    t_import = time.perf_counter()
    import numpy as np, networkx as nx
    from medkit import ergm
    from medkit.ergm.datasets import florentine_marriage
    t_import = time.perf_counter() - t_import

    def network():
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
    """
)

CASES = {
    "MPLE edges + 5 nodeicov + edgecov": (
        "ergm.fit(g, 'edges + ' + ' + '.join(f\"nodeicov('HTH{k}')\" for k in range(5))"
        " + \" + edgecov('GeoProx')\", edge_covariates={'GeoProx': geo})",
        9.9,
        0.5,
    ),
    "edges + mutual + nodeicov + edgecov (exact dyad MLE)": (
        "ergm.fit(g, \"edges + mutual + nodeicov('HTH0') + edgecov('GeoProx')\","
        " edge_covariates={'GeoProx': geo})",
        34.0,
        2.0,
    ),
    "MCMC-MLE edges + mutual + gwesp(0.5, fixed) + nodeicov": (
        "ergm.fit(g, \"edges + mutual + gwesp(0.5, fixed=True) + nodeicov('HTH0')\","
        " seed=1, progress=False)",
        340.0,
        120.0,
    ),
    "simulate 1000 networks' stats, mutual model": (
        "ergm.simulate(fitted, 1000, output='stats', seed=1)",
        0.5,
        0.5,
        "fitted = ergm.fit(g, \"edges + mutual + nodeicov('HTH0') + edgecov('GeoProx')\","
        " edge_covariates={'GeoProx': geo})",
    ),
    "Florentine edges + triangle (MCMC-MLE)": (
        "ergm.fit(florentine_marriage(), 'edges + triangle', seed=1, progress=False)",
        0.6,
        0.3,
    ),
}


def run(name: str, code: str, prepare: str = "") -> dict:
    """Time ``code`` in a fresh process (first call: loads the compiled-code cache), then again
    in the same process (warm); ``prepare`` runs before, untimed (e.g. the fit to simulate from).
    """
    script = SETUP + textwrap.dedent(
        f"""
        g, geo = network()
        {prepare}
        t = time.perf_counter()
        res = {code}
        elapsed = time.perf_counter() - t
        t = time.perf_counter()
        {code}
        warm = time.perf_counter() - t
        out = {{"seconds": elapsed, "warm": warm, "import": t_import,
                "ties": g.number_of_edges()}}
        if hasattr(res, "params"):
            out["params"] = {{k: round(float(v), 4) for k, v in res.params.items()}}
            out["bse"] = {{k: round(float(v), 4) for k, v in res.bse.items()}}
            out["aic"] = round(float(res.aic), 2)
        print(json.dumps(out))
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"{name} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    print(f"{'task':58s} {'medkit s':>9s} {'warm s':>7s} {'goal s':>7s} {'R s':>7s}")
    for name, (code, r_seconds, goal, *prepare) in CASES.items():
        out = run(name, code, *prepare)
        print(f"{name:58s} {out['seconds']:9.2f} {out['warm']:7.2f} {goal:7.1f} {r_seconds:7.1f}")
        extra = f"    (ties {out['ties']}, import medkit.ergm {out['import']:.2f} s)"
        if "params" in out:
            extra += f"\n    estimates {out['params']}\n    SE {out['bse']}  AIC {out['aic']}"
        print(extra)


if __name__ == "__main__":
    main()
