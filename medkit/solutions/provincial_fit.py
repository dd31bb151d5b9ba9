"""Exercises, checks and worked answers for Lesson 04 (the Zhejiang fit, Table 4).

Every number comes from the paper's models refitted to the SYNTHETIC twins. A lesson cell
calls ``solutions.check(n, my_answer)``; ``solutions.hint(n)`` and ``solutions.show(n)`` help
a learner who is stuck.
"""

from __future__ import annotations

import math
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

book = ExerciseBook("04_provincial_fit")


def _fit(model_number: int):
    return reproduced_fit("zhejiang", model_number)


def _answer_odds_ratio_ten_more_hth() -> float:
    """Odds ratio of a tie into a county with ten more high-tier hospitals (Model 3)."""
    return odds_ratio_ten_more_hth("zhejiang")


def _answer_bic_preferred_model() -> int:
    """Number (1, 2 or 3) of the reproduced Zhejiang model with the lowest BIC."""
    bics = {m: _fit(m).bic for m in (1, 2, 3)}
    return min(bics, key=bics.get)


def hth_pull_per_sd() -> dict[str, float]:
    """Odds ratio per SD of HTH in the reproduced Model 3, national and Zhejiang.

    Examples
    --------
    >>> pull = hth_pull_per_sd()
    >>> pull["national"] > pull["zhejiang"] > 1
    True
    """
    from medkit import data
    from medkit.tables import effect_sizes

    out = {}
    for level in ("national", "zhejiang"):
        effects = effect_sizes(
            reproduced_fit(level, 3), data.load_cities(level), data.edge_covariates(level)
        )
        out[level] = float(effects.loc["nodeicov.HTH", "odds_ratio_per_sd"])
    return out


@cache
def _fit_with_mutual():
    from medkit import data, ergm

    return ergm.fit(
        data.mobility_network("zhejiang"),
        data.model_formula("zhejiang", 3) + " + mutual",
        edge_covariates=data.edge_covariates("zhejiang"),
    )


def check_fit_with_mutual(answer) -> CheckResult:
    """Check the learner's Zhejiang Model 3 + mutual (exercise 2).

    Examples
    --------
    >>> check_fit_with_mutual(None).correct is None
    True
    """
    names = [*_fit(3).coef_names, "mutual"]
    result = check_fit(
        answer,
        names,
        n_nodes=88,
        directed=True,
        hint="ergm.fit(graph, data.model_formula('zhejiang', 3) + ' + mutual', "
        "edge_covariates=edge_cov).",
    )
    if not result:
        return result
    return check_fit(
        answer,
        names,
        params={"mutual": float(_fit_with_mutual().params["mutual"])},
        decimals=3,
        hint="fit it to the Zhejiang network with its edge covariates.",
    )


def _hth(fit) -> float:
    return float(fit.params["nodeicov.HTH"])


book.add(
    Exercise(
        1,
        "By how much are the odds of an incoming tie multiplied for a county with ten more "
        "high-tier hospitals (reproduced Zhejiang Model 3)? (two decimal places)",
        NumberCheck(
            _answer_odds_ratio_ten_more_hth,
            decimals=2,
            hint="exp(10 x the nodeicov.HTH coefficient of the reproduced Model 3).",
            mistakes=[
                (
                    lambda: math.exp(_hth(_fit(3))),
                    "that is the odds ratio for one more hospital; ten multiply ten times.",
                ),
                (lambda: 10 * _hth(_fit(3)), "that is the change in log-odds; exponentiate it."),
                (
                    lambda: math.exp(10 * _hth(reproduced_fit("national", 3))),
                    "that is the national Model 3 (Lesson 03); use the Zhejiang fit.",
                ),
            ],  # fmt: skip
        ),
        answer=lambda: f"{_answer_odds_ratio_ten_more_hth():.3f}",
        reasoning="exp(10 b) with b the Zhejiang HTH coefficient: per hospital the Zhejiang "
        "coefficient is several times the national one, so ten hospitals matter far more here.",
        hint="fits[2].params['nodeicov.HTH'] is b.",
        wrong_answers=[
            (lambda: math.exp(_hth(_fit(3))), "one more hospital"),
            (lambda: 10 * _hth(_fit(3)), "exponentiate"),
            (lambda: math.exp(10 * _hth(reproduced_fit("national", 3))), "national"),
        ],
    )
)

book.add(
    Exercise(
        2,
        "Write the code: add `mutual` to the Zhejiang Model 3 (`data.model_formula('zhejiang', "
        "3) + ' + mutual'`), fit it, and pass the fit.",
        check_fit_with_mutual,
        answer="with_mutual = ergm.fit(graph, data.model_formula('zhejiang', 3) + ' + mutual', "
        "edge_covariates=edge_cov)\nsolutions.check(2, with_mutual)",
        reasoning="mutual is the one dependent term medkit fits exactly (pairs stay independent "
        "of each other, Lesson 02), so this fit takes a second. Compare with_mutual.params with "
        "fits[2].params: on the twin, generated without reciprocity, mutual is small and HTH "
        "hardly moves.",
        hint="the formula is a string: add ' + mutual' to it.",
        right_forms=[_fit_with_mutual],
        wrong_answers=[
            (lambda: _fit(3), "lacks the term"),
            (lambda: _fit(2), "lacks the term"),
            (3, "fitted model"),
        ],
    )
)

book.add(
    Exercise(
        3,
        "Which of the reproduced Models 1, 2, 3 does BIC prefer? Answer 1, 2 or 3.",
        TextCheck(
            lambda: [str(_answer_bic_preferred_model()), f"model {_answer_bic_preferred_model()}"],
            hint="lower BIC is better; compare the BIC row of the reproduced table.",
            mistakes=[
                (
                    lambda a: str(a).strip().lower() in {"3", "model 3"},
                    "Model 3 has the lowest AIC, not BIC: BIC charges log(7,656), about 8.9, per "
                    "term instead of 2.",
                ),
            ],  # fmt: skip
        ),
        answer=lambda: f"Model {_answer_bic_preferred_model()}",
        reasoning="BIC = -2 loglik + log(n) p with n = 7,656 dyads: CulProx improves the "
        "log-likelihood too little to pay its 8.9 BIC points, so the smaller Model 2 wins on BIC "
        "while Model 3 wins on AIC.",
        hint="min(range(3), key=lambda k: fits[k].bic) + 1.",
        wrong_answers=[(3, "AIC, not BIC"), ("Model 3", "AIC, not BIC"), (1, "Hint")],
    )
)

GDP_OPTIONS = {
    "a": "No: 'not significant' is not 'no effect'. An interval that still contains the "
    "national effect cannot rule that effect out.",
    "b": "Right: with 88 similar units GDP is measured imprecisely; the interval is wide and "
    "contains effects as large as the national one. Not significant here means not measured "
    "precisely, not absent.",
    "c": "No: the point estimate is not larger, and an imprecise estimate cannot show that it "
    "matters more.",
}

book.add(
    Exercise(
        4,
        "Zhejiang's GDP coefficient is not significant, and its 95 % interval per SD contains "
        "the national odds ratio. What follows? (a) GDP has no effect between Zhejiang's "
        "counties; (b) the effect is not measured precisely: effects as large as the national "
        "one are still possible; (c) GDP matters more in Zhejiang than nationally.",
        ChoiceCheck(GDP_OPTIONS, "b"),
        answer="(b)",
        reasoning=GDP_OPTIONS["b"],
        hint="what values does the interval still allow?",
    )
)

check, hint, show = book.check, book.hint, book.show
