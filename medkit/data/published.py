"""Published ERGM results of Fu & Lu (2025): Table 3 (national) and Table 4 (Zhejiang), as data.

``PUBLISHED_TABLES[level]`` is a tidy DataFrame with one row per (model, term): the printed
coefficient (as a float, rounded as printed), its significance stars, and the model's AIC, BIC and
N. Terms a model does not contain are absent. ``MODEL_TERMS[level][m]`` lists the terms of model
``m`` in the paper's order, and :func:`model_formula` writes a model in statnet style with the
covariate names used as node / edge attributes by :func:`medkit.data.mobility_network`.

Source: Fu H, Lu J. Front Public Health (2025), doi:10.3389/fpubh.2025.1613293, Tables 3 and 4.
Stars: * p < 0.05, ** p < 0.01, *** p < 0.001.
"""

from __future__ import annotations

import pandas as pd

PAPER = "Fu H, Lu J (2025) Front Public Health, doi:10.3389/fpubh.2025.1613293"

DYADS = {"national": 288 * 287, "zhejiang": 88 * 87}
NODES = {"national": 288, "zhejiang": 88}

# (term, [(coef, stars) for models 1..3] , None where the model lacks the term)
_TABLE3 = [
    ("edges", [(-5.1234, "***"), (-5.1204, "***"), (-5.0613, "***")]),
    ("PCF", [(0.0001, ""), (0.0001, ""), (0.0001, "")]),
    ("HTH", [(0.0158, "***"), (0.0158, "***"), (0.0122, "***")]),
    ("GDP", [(0.0000, "***"), (0.0000, "***"), (0.0000, "***")]),
    ("INT", [(0.0076, "***"), (0.0076, "***"), (0.0049, "***")]),
    ("ENV", [(-0.0076, "***"), (-0.0075, "***"), (-0.0132, "***")]),
    ("UR", [None, (-0.0001, "**"), (-0.0001, "**")]),
    ("EDU", [None, None, (0.0503, "***")]),
    ("GeoProx", [(5898.2958, "***"), (5900.3391, "***"), (5826.3604, "***")]),
    ("CulProx", [None, None, (0.6122, "***")]),
]
_TABLE3_FIT = {
    1: (56941.7975, 57007.0546),
    2: (56935.1627, 57009.7422),
    3: (56479.7459, 56572.9703),
}

_TABLE4 = [
    ("edges", [(-3.5704, "***"), (-3.7224, "***"), (-3.6741, "***")]),
    ("PCF", [(0.0006, ""), (0.0006, ""), (0.0004, "")]),
    ("HTH", [(0.0502, "***"), (0.0520, "***"), (0.0513, "***")]),
    ("GDP", [(0.0000, ""), (0.0000, ""), (0.0001, "")]),
    ("INT", [(0.0841, "***"), (0.0833, "***"), (0.0837, "***")]),
    ("GeoProx", [None, (1.1873, "***"), (1.3447, "***")]),
    ("CulProx", [None, None, (-0.2533, "*")]),
]
_TABLE4_FIT = {1: (4403.4285, 4438.1447), 2: (4308.3034, 4349.9629), 3: (4304.2947, 4352.8974)}

PAPER_LABELS = {
    "edges": "Edges",
    "PCF": "Nodeicov.PCF",
    "HTH": "Nodeicov.HTH",
    "GDP": "Nodeicov.GDP",
    "INT": "Nodeicov.INT",
    "ENV": "Nodeicov.ENV",
    "UR": "Nodeicov.UR",
    "EDU": "Nodeicov.EDU",
    "GeoProx": "Edgecov.GeoProx",
    "CulProx": "Edgecov.CulProx",
}
EDGE_COVARIATES = ("GeoProx", "CulProx")


def _tidy(rows, fits, level: str) -> pd.DataFrame:
    records = []
    for model in (1, 2, 3):
        aic, bic = fits[model]
        for term, cells in rows:
            cell = cells[model - 1]
            if cell is None:
                continue
            coef, stars = cell
            records.append(
                {
                    "level": level,
                    "model": model,
                    "term": term,
                    "paper_label": PAPER_LABELS[term],
                    "coef": coef,
                    "stars": stars,
                    "AIC": aic,
                    "BIC": bic,
                    "N": NODES[level],
                    "dyads": DYADS[level],
                }
            )
    return pd.DataFrame.from_records(records)


PUBLISHED_TABLES: dict[str, pd.DataFrame] = {
    "national": _tidy(_TABLE3, _TABLE3_FIT, "national"),
    "zhejiang": _tidy(_TABLE4, _TABLE4_FIT, "zhejiang"),
}
"""Tidy published tables: columns level, model, term, paper_label, coef, stars, AIC, BIC, N, dyads."""

MODEL_TERMS: dict[str, dict[int, list[str]]] = {
    level: {
        m: table.loc[table["model"] == m, "term"].tolist() for m in sorted(table["model"].unique())
    }
    for level, table in PUBLISHED_TABLES.items()
}
"""Terms of each model, e.g. ``MODEL_TERMS["zhejiang"][2] == ['edges', 'PCF', 'HTH', 'GDP', 'INT', 'GeoProx']``."""

ROUNDING = 0.00005
"""Half of the last printed digit: a printed 0.0000 means a value in [-0.00005, 0.00005]."""


def published_table(level: str) -> pd.DataFrame:
    """The published table in the paper's layout: one row per term, one column per model.

    Cells read like the paper (``"-5.0613***"``, ``"–"`` when absent), with AIC, BIC and N rows.

    Examples
    --------
    >>> published_table("zhejiang").loc["Edgecov.CulProx", "Model 3"]
    '-0.2533*'
    """
    table = PUBLISHED_TABLES[_check_level(level)]
    terms = list(dict.fromkeys(table["term"]))
    out = pd.DataFrame(index=[PAPER_LABELS[t] for t in terms] + ["AIC", "BIC", "N (sample size)"])
    for m in (1, 2, 3):
        part = table[table["model"] == m].set_index("term")
        col = []
        for t in terms:
            if t in part.index:
                col.append(f"{part.loc[t, 'coef']:.4f}{part.loc[t, 'stars']}")
            else:
                col.append("–")
        first = part.iloc[0]
        col += [f"{first['AIC']:.4f}", f"{first['BIC']:.4f}", str(first["N"])]
        out[f"Model {m}"] = col
    return out


def published_fit(level: str) -> pd.DataFrame:
    """AIC, BIC and number of parameters of each published model, indexed by model number.

    Examples
    --------
    >>> int(published_fit("national").loc[3, "k"])
    10
    """
    table = PUBLISHED_TABLES[_check_level(level)]
    grouped = table.groupby("model")
    return pd.DataFrame(
        {"AIC": grouped["AIC"].first(), "BIC": grouped["BIC"].first(), "k": grouped.size()}
    )


def model_formula(level: str, model_number: int) -> str:
    """The model in statnet style, with covariate names as in the node / edge attributes.

    Examples
    --------
    >>> model_formula("zhejiang", 2)
    "edges + nodeicov('PCF') + nodeicov('HTH') + nodeicov('GDP') + nodeicov('INT') + edgecov('GeoProx')"
    """
    terms = MODEL_TERMS[_check_level(level)].get(model_number)
    if terms is None:
        raise ValueError(f"model_number must be 1, 2 or 3, got {model_number!r}")
    parts = []
    for term in terms:
        if term == "edges":
            parts.append("edges")
        elif term in EDGE_COVARIATES:
            parts.append(f"edgecov('{term}')")
        else:
            parts.append(f"nodeicov('{term}')")
    return " + ".join(parts)


def _check_level(level: str) -> str:
    if level not in PUBLISHED_TABLES:
        raise ValueError(f"level must be 'national' or 'zhejiang', got {level!r}")
    return level
