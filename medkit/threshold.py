"""Do the paper's conclusions need the threshold? Model 3 under binary, valued and gravity models.

Fu & Lu turn mover counts into ties by a threshold and fit Model 3 as a binary ERGM. Here the
same covariates are fitted

- as binary ERGMs at several thresholds (1, 5, 10, 20 movers make a tie; exact MLE);
- as a valued ERGM of the counts themselves (Poisson reference: ``sum + nonzero`` plus the
  covariates in their ``form="sum"`` versions; optionally ``mutual(form='min')``, by MCMC-MLE);
- as an origin-constrained gravity model (Poisson regression with origin fixed effects and the
  Model 3 covariates, quasi-Poisson standard errors; :mod:`medkit.gravity`).

Each conclusion of the paper is then checked against each model: it *holds* when the
covariate keeps the paper's sign and significance (p < 0.05) or, for a published null (no
stars), stays non-significant. Everything is computed from the fits; nothing is typed.

The heavy fits (the national MCMC-MLE) are shipped as model output in
``datasets/model_output/threshold_comparison_<level>.csv``, remade by::

    python -m medkit.threshold --out datasets/model_output
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

THRESHOLDS = (1, 5, 10, 20)
ALPHA = 0.05
CONCLUSIONS = {
    "HTH": "HTH pull",
    "PCF": "PCF null",
    "GeoProx": "GeoProx",
    "CulProx": "CulProx",
}
"""The paper's conclusions and the covariate each rests on."""

MODEL_OUTPUT = "threshold_comparison_{level}.csv"


def model3_covariates(level: str) -> list[str]:
    """Model 3's covariates (node then pair), in the paper's order.

    Examples
    --------
    >>> model3_covariates("zhejiang")
    ['PCF', 'HTH', 'GDP', 'INT', 'GeoProx', 'CulProx']
    """
    from medkit.data.published import MODEL_TERMS

    return [t for t in MODEL_TERMS[level][3] if t != "edges"]


def covariate_of(coef_name: str) -> str:
    """The covariate a coefficient name is about (binary, valued or gravity spelling).

    Examples
    --------
    >>> [covariate_of(c) for c in ("nodeicov.HTH", "nodeicov.sum.HTH", "dest.HTH", "GeoProx")]
    ['HTH', 'HTH', 'HTH', 'GeoProx']
    """
    for prefix in ("nodeicov.sum.", "edgecov.sum.", "nodeicov.", "edgecov.", "dest."):
        if coef_name.startswith(prefix):
            return coef_name[len(prefix) :]
    return coef_name


def valued_formula(level: str, *, dependent: bool = False) -> str:
    """Model 3's covariates as a valued (count) ERGM formula.

    Examples
    --------
    >>> valued_formula("zhejiang")
    "sum + nonzero + nodeicov('PCF') + nodeicov('HTH') + nodeicov('GDP') + nodeicov('INT') + edgecov('GeoProx') + edgecov('CulProx')"
    """
    from medkit.data.published import EDGE_COVARIATES

    parts = ["sum", "nonzero"]
    for cov in model3_covariates(level):
        parts.append(f"edgecov('{cov}')" if cov in EDGE_COVARIATES else f"nodeicov('{cov}')")
    if dependent:
        parts.append("mutual(form='min')")
    return " + ".join(parts)


# --------------------------------------------------------------------------- fits
@lru_cache(maxsize=16)
def binary_fit(level: str, threshold: int):
    """Model 3 as a binary ERGM on the network of pairs with at least ``threshold`` movers."""
    from medkit import data, ergm

    return ergm.fit(
        data.mobility_network(level, threshold=int(threshold)),
        data.model_formula(level, 3),
        edge_covariates=data.edge_covariates(level),
    )


def valued_fit(level: str, *, dependent: bool = False, seed: int = 1, **control):
    """Model 3's covariates as a valued ERGM of the counts (every flow, Poisson reference)."""
    from medkit import data, ergm

    return ergm.fit(
        data.mobility_network(level, threshold=1),
        valued_formula(level, dependent=dependent),
        response="count",
        reference="Poisson",
        edge_covariates=data.edge_covariates(level),
        seed=seed,
        **control,
    )


def gravity_fit(level: str, constraint: str = "origin"):
    """Model 3's covariates in a gravity model (origin fixed effects by default)."""
    from medkit import data
    from medkit.data.published import EDGE_COVARIATES
    from medkit.gravity import gravity_model

    covs = model3_covariates(level)
    edge = data.edge_covariates(level)
    return gravity_model(
        data.load_flows(level),
        data.load_cities(level),
        constraint=constraint,
        origin_mass=None,
        destination_mass=None,
        distance=None,
        destination_covariates=[c for c in covs if c not in EDGE_COVARIATES],
        pair_covariates={c: edge[c] for c in covs if c in EDGE_COVARIATES},
    )


def tidy(result, model: str, level: str) -> pd.DataFrame:
    """One row per Model 3 covariate: estimate, se, z, p, and the model's label."""
    covs = model3_covariates(level)
    rows = []
    for name in result.params.index:
        cov = covariate_of(name)
        if cov not in covs:
            continue
        est, se = float(result.params[name]), float(result.bse[name])
        rows.append(
            {
                "level": level,
                "model": model,
                "covariate": cov,
                "coefficient": name,
                "estimate": est,
                "se": se,
                "z": est / se if se > 0 else np.nan,
                "p": float(result.pvalues[name]),
            }
        )
    return pd.DataFrame(rows)


def comparison(
    level: str,
    thresholds=THRESHOLDS,
    *,
    dependent_valued: bool = False,
    seed: int = 1,
    **control,
) -> pd.DataFrame:
    """Tidy table of Model 3's covariates under every model (see the module documentation).

    Returns
    -------
    pandas.DataFrame with columns level, model, covariate, coefficient, estimate, se, z, p.
    Models are named ``binary >= t``, ``valued ERGM``, (``valued ERGM + mutual``) and
    ``gravity (origin-constrained)``.
    """
    parts = [tidy(binary_fit(level, t), f"binary >= {t}", level) for t in thresholds]
    parts.append(tidy(valued_fit(level), "valued ERGM", level))
    if dependent_valued:
        res = valued_fit(level, dependent=True, seed=seed, **control)
        parts.append(tidy(res, "valued ERGM + mutual", level))
    parts.append(tidy(gravity_fit(level), "gravity (origin-constrained)", level))
    return pd.concat(parts, ignore_index=True)


# --------------------------------------------------------------------------- verdicts
def paper_claims(level: str) -> pd.DataFrame:
    """Each conclusion as the paper states it in Model 3: covariate, sign, significant or not.

    Examples
    --------
    >>> paper_claims("zhejiang").loc["CulProx", "claim"]
    'negative and significant'
    """
    from medkit.data.published import PUBLISHED_TABLES

    table = PUBLISHED_TABLES[level]
    m3 = table[table["model"] == 3].set_index("term")
    rows = {}
    for cov, label in CONCLUSIONS.items():
        coef = float(m3.loc[cov, "coef"])
        significant = bool(str(m3.loc[cov, "stars"]).strip())
        sign = 1 if coef > 0 else -1
        claim = (
            f"{'positive' if sign > 0 else 'negative'} and significant"
            if significant
            else "not significant"
        )
        rows[cov] = {"conclusion": label, "sign": sign, "significant": significant, "claim": claim}
    return pd.DataFrame.from_dict(rows, orient="index")


def verdicts(table: pd.DataFrame, level: str, alpha: float = ALPHA) -> pd.DataFrame:
    """Whether each conclusion holds under each model of a :func:`comparison` table.

    Returns
    -------
    pandas.DataFrame indexed by conclusion, one column per model, values ``"holds"`` or
    ``"fails"``, plus a ``paper`` column with the claim.
    """
    claims = paper_claims(level)
    sub = table[table["level"] == level]
    models = list(dict.fromkeys(sub["model"]))
    out = pd.DataFrame(index=[claims.loc[c, "conclusion"] for c in CONCLUSIONS], columns=models)
    for cov in CONCLUSIONS:
        claim = claims.loc[cov]
        for model in models:
            row = sub[(sub["model"] == model) & (sub["covariate"] == cov)]
            if row.empty:
                out.loc[claim["conclusion"], model] = "n/a"
                continue
            est, p = float(row["estimate"].iloc[0]), float(row["p"].iloc[0])
            if claim["significant"]:
                ok = p < alpha and np.sign(est) == claim["sign"]
            else:
                ok = p >= alpha
            out.loc[claim["conclusion"], model] = "holds" if ok else "fails"
    out.insert(0, "paper", [claims.loc[c, "claim"] for c in CONCLUSIONS])
    out.index.name = "conclusion"
    return out


def verdict_statements(verdict_table: pd.DataFrame) -> list[str]:
    """One sentence per conclusion: under which models it holds and under which it fails.

    Examples
    --------
    >>> t = pd.DataFrame({"paper": ["positive and significant"], "A": ["holds"], "B": ["fails"]},
    ...                  index=pd.Index(["HTH pull"], name="conclusion"))
    >>> verdict_statements(t)
    ['HTH pull (paper: positive and significant) holds under A; fails under B.']
    """
    lines = []
    for conclusion, row in verdict_table.iterrows():
        cells = row.drop("paper")
        holds = [m for m, v in cells.items() if v == "holds"]
        fails = [m for m, v in cells.items() if v == "fails"]
        parts = []
        if holds:
            parts.append(f"holds under {', '.join(holds)}")
        if fails:
            parts.append(f"fails under {', '.join(fails)}")
        verdict = "; ".join(parts) if parts else "was not tested"
        if holds and not fails:
            verdict = "holds under every model"
        elif fails and not holds:
            verdict = "fails under every model"
        lines.append(f"{conclusion} (paper: {row['paper']}) {verdict}.")
    return lines


def conclusions_at_threshold(level: str, threshold: int) -> pd.DataFrame:
    """Model 3 refitted at one threshold: each conclusion's estimate, p-value and verdict.

    Examples
    --------
    >>> conclusions_at_threshold("zhejiang", 5).loc["HTH pull", "verdict"]
    'holds'
    """
    t = tidy(binary_fit(level, int(threshold)), f"binary >= {int(threshold)}", level)
    v = verdicts(t, level)
    t = t.set_index("covariate")
    rows = []
    for cov, label in CONCLUSIONS.items():
        rows.append(
            {
                "conclusion": label,
                "paper": v.loc[label, "paper"],
                "estimate": t.loc[cov, "estimate"],
                "z": t.loc[cov, "z"],
                "p": t.loc[cov, "p"],
                "verdict": v.loc[label].iloc[1],
            }
        )
    res = binary_fit(level, int(threshold))
    frame = pd.DataFrame(rows).set_index("conclusion")
    frame.attrs["ties"] = int(res.model.adjacency.sum())
    return frame


# --------------------------------------------------------------------------- model output
def load_comparison(level: str, path=None) -> pd.DataFrame:
    """The shipped comparison table of a level (model output, remade by ``python -m medkit.threshold``)."""
    from medkit.data._paths import datasets_dir

    file = (
        datasets_dir() / "model_output" / MODEL_OUTPUT.format(level=level) if path is None else path
    )
    return pd.read_csv(file)


def main(argv=None) -> int:
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(
        prog="python -m medkit.threshold",
        description="Model 3 under binary ERGMs at thresholds 1/5/10/20, valued ERGMs (with and "
        "without mutual) and a gravity model; writes one tidy CSV per level.",
    )
    parser.add_argument("--out", required=True, help="folder for threshold_comparison_<level>.csv")
    parser.add_argument("--levels", nargs="+", default=["zhejiang", "national"],
                        choices=["zhejiang", "national"])  # fmt: skip
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--samplesize", type=int, default=1024, help="MCMC sample size (1024)")
    parser.add_argument("--bridge-steps", type=int, default=16, help="bridges for the loglik")
    args = parser.parse_args(argv)
    if args.samplesize < 64:
        parser.error(f"--samplesize must be at least 64, got {args.samplesize}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for level in args.levels:
        table = comparison(level, dependent_valued=True, seed=args.seed, samplesize=args.samplesize)
        table.to_csv(out / MODEL_OUTPUT.format(level=level), index=False, float_format="%.6g")
        print(verdicts(table, level).to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
