"""Exercises, checks and worked answers for Lesson 03 (the national fit, Table 3).

Every number comes from the paper's models refitted to the SYNTHETIC national twin. A lesson
cell calls ``solutions.check(n, my_answer)``; ``solutions.hint(n)`` and ``solutions.show(n)``
help a learner who is stuck.
"""

from __future__ import annotations

import math
import re
from functools import cache

from medkit.solutions._checks import (
    CheckResult,
    ChoiceCheck,
    Exercise,
    ExerciseBook,
    NumberCheck,
    TextCheck,
    check_fit,
)
from medkit.solutions._fits import odds_ratio_ten_more_hth, reproduced_fit

book = ExerciseBook("03_national_fit")


def _fit(model_number: int):
    return reproduced_fit("national", model_number)


def _answer_odds_ratio_ten_more_hth() -> float:
    """Odds ratio of a tie into a city with ten more high-tier hospitals (reproduced Model 3)."""
    return odds_ratio_ten_more_hth("national")


def _answer_aic_preferred_model() -> int:
    """Number (1, 2 or 3) of the reproduced model with the lowest AIC."""
    aics = {m: _fit(m).aic for m in (1, 2, 3)}
    return min(aics, key=aics.get)


def _answer_odds_ratio_ten_more_ur() -> float:
    """Odds ratio of an incoming tie for ten more points of urbanisation (reproduced Model 3)."""
    return math.exp(10 * float(_fit(3).params["nodeicov.UR"]))


def _answer_ur_change_for_odds_ratio_half() -> float:
    """Rise in urbanisation (percentage points) that would halve the odds of a tie (Model 3)."""
    return math.log(0.5) / float(_fit(3).params["nodeicov.UR"])


def formula_without_edu() -> str:
    """Model 3's formula without the EDU term."""
    from medkit import data

    return re.sub(r"\s*\+\s*nodeicov\('EDU'\)", "", data.model_formula("national", 3))


@cache
def _fit_without_edu():
    from medkit import data, ergm

    return ergm.fit(
        data.mobility_network("national"),
        formula_without_edu(),
        edge_covariates=data.edge_covariates("national"),
    )


def check_fit_without_edu(answer) -> CheckResult:
    """Check the learner's refit of national Model 3 without EDU (exercise 5).

    Examples
    --------
    >>> check_fit_without_edu(None).correct is None
    True
    """
    names = [n for n in _fit(3).coef_names if n != "nodeicov.EDU"]
    result = check_fit(
        answer,
        names,
        n_nodes=288,
        directed=True,
        hint="ergm.fit(graph, formula, edge_covariates=edge_cov), the formula being Model 3's "
        "without nodeicov('EDU').",
    )
    if not result:
        return result
    return check_fit(
        answer,
        names,
        params={"nodeicov.HTH": float(_fit_without_edu().params["nodeicov.HTH"])},
        decimals=4,
        hint="fit it to the national network with its edge covariates.",
    )


book.add(
    Exercise(
        1,
        "By how much are the odds of an incoming tie multiplied for a city with ten more "
        "high-tier hospitals (reproduced Model 3)? (two decimal places)",
        NumberCheck(
            _answer_odds_ratio_ten_more_hth,
            decimals=2,
            hint="odds ratios multiply: exp(10 x the nodeicov.HTH coefficient of Model 3).",
            mistakes=[
                (
                    lambda: math.exp(float(_fit(3).params["nodeicov.HTH"])),
                    "that is the odds ratio for one more hospital; ten multiply ten times.",
                ),
                (
                    lambda: 10 * float(_fit(3).params["nodeicov.HTH"]),
                    "that is the change in log-odds; exponentiate it.",
                ),
                (
                    lambda: 10 * math.exp(float(_fit(3).params["nodeicov.HTH"])),
                    "odds ratios multiply, they do not add: exp(10 b), not 10 exp(b).",
                ),
            ],  # fmt: skip
        ),
        answer=lambda: f"{_answer_odds_ratio_ten_more_hth():.3f}",
        reasoning="A coefficient b is a change in log-odds per hospital; ten hospitals add "
        "10 b to the log-odds, so the odds are multiplied by exp(10 b).",
        hint="fits[2].params['nodeicov.HTH'] is b.",
        wrong_answers=[
            (lambda: math.exp(float(_fit(3).params["nodeicov.HTH"])), "one more hospital"),
            (lambda: 10 * float(_fit(3).params["nodeicov.HTH"]), "exponentiate"),
            (lambda: 10 * math.exp(float(_fit(3).params["nodeicov.HTH"])), "multiply"),
        ],
    )
)

book.add(
    Exercise(
        2,
        "Which of the reproduced Models 1, 2, 3 does AIC prefer? Answer 1, 2 or 3.",
        TextCheck(
            lambda: [str(_answer_aic_preferred_model()), f"model {_answer_aic_preferred_model()}"],
            hint="lower AIC is better; compare the AIC row of the reproduced table.",
            mistakes=[
                (
                    lambda a: str(a).strip().lower() in {"1", "model 1", "2", "model 2"},
                    "that model has a higher AIC: lower is better.",
                ),
            ],  # fmt: skip
        ),
        answer=lambda: f"Model {_answer_aic_preferred_model()}",
        reasoning="AIC = -2 loglik + 2 p: the model with the lowest value balances fit and "
        "size best. Model 3 fits far better (its loglik gain dwarfs the 2 per extra term).",
        hint="min(range(3), key=lambda k: fits[k].aic) + 1.",
        wrong_answers=[(1, "higher AIC"), ("Model 2", "higher AIC"), ("model 4", "Hint")],
    )
)

book.add(
    Exercise(
        3,
        "By how much are the odds of an incoming tie multiplied for a city ten percentage "
        "points more urbanised (reproduced Model 3, UR taken at face value)? (two decimal "
        "places)",
        NumberCheck(
            _answer_odds_ratio_ten_more_ur,
            decimals=2,
            hint="exp(10 x the nodeicov.UR coefficient).",
            mistakes=[
                (
                    lambda v: v > 1,
                    "the UR coefficient is negative: more urbanisation lowers "
                    "the odds, so the ratio is below 1.",
                ),
                (
                    lambda: 10 * float(_fit(3).params["nodeicov.UR"]),
                    "that is the change in log-odds; exponentiate it.",
                ),
            ],  # fmt: skip
        ),
        answer=lambda: f"{_answer_odds_ratio_ten_more_ur():.3f}",
        reasoning="exp(10 b) with the reproduced UR coefficient b < 0: ten points cut the odds "
        "by about 3 %. Halving them would take log(0.5) / b points, about "
        "233, more than UR's whole range (about 35 to 100 %): within the data UR matters "
        "little per point.",
        hint="fits[2].params['nodeicov.UR'] is b; UR is in percentage points.",
        wrong_answers=[(1.03, "negative"), (-0.03, "exponentiate"), (0.5, "Hint")],
    )
)

UR_OPTIONS = {
    "a": "No: a change that needs more than the whole observed range of UR to halve the odds "
    "is a small effect per point, whatever its stars say.",
    "b": "Right: halving needs about 233 points, more than UR's range of 35-100 %: no two "
    "cities differ that much, so within the data UR barely moves the odds. Stars measure "
    "precision, not size.",
    "c": "No: the calculation log(0.5) / b is right; it is the size of b that makes the answer "
    "large.",
}

book.add(
    Exercise(
        4,
        "Taken at face value, the UR coefficient says that about 233 more percentage points of "
        "urbanisation would halve the odds of an incoming tie. UR runs from about 35 to 100 %. "
        "What follows? (a) UR is the strongest pull factor; (b) within the data, UR changes the "
        "odds only a little, however significant; (c) the calculation must be wrong.",
        ChoiceCheck(UR_OPTIONS, "b"),
        answer="(b)",
        reasoning=UR_OPTIONS["b"],
        hint="compare the change needed with the largest difference between two cities.",
    )
)

book.add(
    Exercise(
        5,
        "Write the code: refit Model 3 without EDU (drop `nodeicov('EDU')` from "
        "`data.model_formula('national', 3)`) and pass the fit.",
        check_fit_without_edu,
        answer="formula = data.model_formula('national', 3).replace(\" + nodeicov('EDU')\", '')\n"
        "no_edu = ergm.fit(graph, formula, edge_covariates=edge_cov)\n"
        "solutions.check(5, no_edu)",
        reasoning="The check reads the fit's terms (Model 3's minus EDU) and its network (288 "
        "directed cities). Compare no_edu.params with fits[2].params: the covariates correlated "
        "with EDU take over part of its effect.",
        hint="str.replace on the formula, then ergm.fit with edge_covariates=edge_cov.",
        right_forms=[_fit_without_edu],
        wrong_answers=[
            (lambda: _fit(3), "extra term"),
            (lambda: _fit(1), "lacks the term"),
            ("edges + nodeicov('HTH')", "fitted model"),
        ],
    )
)

CONVERGENCE_OPTIONS = {
    "a": "Right: the trace is simulated minus observed. At the MLE the simulated networks "
    "match the observed one on average, so a mean away from zero (above: more ties than "
    "observed; below: fewer) says the estimates are still on their way.",
    "b": "No: an unconverged fit says the estimates have not reached the MLE yet, not that the "
    "model is wrong; run the MCMC-MLE longer before judging the model.",
    "c": "No: a converged sample's mean sits on the observed value; a mean most of an SD off, "
    "over thousands of draws, is not noise.",
}

book.add(
    Exercise(
        6,
        "In section 6 the trace of edges sits away from zero (its offset is printed below the "
        "plot). What does that say? (a) the estimates are not yet the MLE: at the MLE the "
        "simulated statistics match the observed ones on average; (b) the model is wrong and "
        "must be dropped; (c) nothing: it is Monte Carlo noise.",
        ChoiceCheck(CONVERGENCE_OPTIONS, "a"),
        answer="(a)",
        reasoning=CONVERGENCE_OPTIONS["a"],
        hint="each trace is (simulated - observed) / SD.",
    )
)

check, hint, show = book.check, book.hint, book.show
