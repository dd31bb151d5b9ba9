"""Answers and checks for Lesson 04 (the Zhejiang fit, Table 4, centrality maps)."""

from __future__ import annotations

from medkit.solutions._checks import CheckResult, check_value
from medkit.solutions._fits import odds_ratio_ten_more_hth, reproduced_fit


def _fit(model_number: int):
    return reproduced_fit("zhejiang", model_number)


def answer_odds_ratio_ten_more_hth() -> float:
    """Odds ratio of a tie into a county with ten more high-tier hospitals (Model 3)."""
    return odds_ratio_ten_more_hth("zhejiang")


def check_odds_ratio_ten_more_hth(answer) -> CheckResult:
    """Check the Zhejiang odds ratio for ten more high-tier hospitals.

    Examples
    --------
    >>> check_odds_ratio_ten_more_hth(answer_odds_ratio_ten_more_hth()).correct
    True
    """
    return check_value(
        answer,
        answer_odds_ratio_ten_more_hth(),
        rel_tol=0.005,
        hint="exp(10 x the Nodeicov.HTH coefficient of the reproduced Model 3).",
    )


def answer_most_central_county() -> dict:
    """The county with the highest standardised in-degree: adcode and names."""
    from medkit import data
    from medkit.centrality import in_degree_centrality, top_nodes

    top = top_nodes(in_degree_centrality(data.mobility_network("zhejiang")), k=1).index[0]
    row = data.load_cities("zhejiang").loc[top]
    return {"adcode": int(top), "name_zh": row["name_zh"], "name_pinyin": row["name_pinyin"]}


def check_most_central_county(answer) -> CheckResult:
    """Check the county with the highest standardised in-degree (adcode, Chinese name or pinyin).

    Examples
    --------
    >>> check_most_central_county(answer_most_central_county()["adcode"]).correct
    True
    """
    right = answer_most_central_county()
    if answer is None or answer is Ellipsis:
        return check_value(answer, right["adcode"])
    if isinstance(answer, str):
        for key in ("name_zh", "name_pinyin"):
            if check_value(answer, right[key]).correct:
                return check_value(answer, right[key])
        return check_value(answer, right["name_zh"], hint="sort the centrality and take the top.")
    return check_value(
        answer,
        right["adcode"],
        hint="top_nodes(in_degree_centrality(graph), k=1) gives the adcode of the top county.",
    )


def answer_bic_preferred_model() -> int:
    """Number (1, 2 or 3) of the reproduced Zhejiang model with the lowest BIC."""
    bics = {m: _fit(m).bic for m in (1, 2, 3)}
    return min(bics, key=bics.get)


def check_bic_preferred_model(answer) -> CheckResult:
    """Check which reproduced Zhejiang model BIC prefers (answer 1, 2 or 3).

    Examples
    --------
    >>> check_bic_preferred_model(answer_bic_preferred_model()).correct
    True
    """
    return check_value(
        answer,
        answer_bic_preferred_model(),
        hint="BIC charges log(7,656) ~ 8.9 per term, AIC only 2: compare the BIC row.",
    )
