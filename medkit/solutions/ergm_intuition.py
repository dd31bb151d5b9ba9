"""Exercises, checks and worked answers for Lesson 02 (ERGM intuition).

A lesson cell calls ``solutions.check(n, my_answer)``; ``solutions.hint(n)`` and
``solutions.show(n)`` help a learner who is stuck.
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
    check_fit,
)

book = ExerciseBook("02_ergm_intuition")


def _answer_question_1() -> float:
    """Edges-only coefficient for a network with density 0.1: the log-odds log(0.1 / 0.9)."""
    return math.log(0.1 / 0.9)


def gwesp_weight(shared_partners: int, decay: float) -> float:
    """What one edge with ``k`` shared partners adds to gwesp: e^a (1 - (1 - e^-a)^k).

    Examples
    --------
    >>> round(gwesp_weight(1, 0.5), 6)
    1.0
    >>> round(gwesp_weight(3, 0.5), 3)
    1.548
    """
    a = float(decay)
    return math.exp(a) * (1 - (1 - math.exp(-a)) ** shared_partners)


@cache
def _zhejiang_mutual_fit():
    from medkit import data, ergm

    return ergm.fit(data.mobility_network("zhejiang"), "edges + mutual")


def _zhejiang_edges_only_fit():
    from medkit import data, ergm

    return ergm.fit(data.mobility_network("zhejiang"), "edges")


def _florentine_triangle_mple():
    from medkit import ergm
    from medkit.ergm.datasets import florentine_marriage

    return ergm.fit(florentine_marriage(), "edges + triangle", method="MPLE")


def check_zhejiang_mutual_fit(answer) -> CheckResult:
    """Check an ``edges + mutual`` fit of the (synthetic) Zhejiang mobility network (exercise 5).

    Examples
    --------
    >>> check_zhejiang_mutual_fit(_zhejiang_mutual_fit())
    Correct!
    """
    right = _zhejiang_mutual_fit()
    return check_fit(
        answer,
        ["edges", "mutual"],
        n_nodes=88,
        directed=True,
        params=right.params.to_dict(),
        decimals=3,
        hint="ergm.fit(data.mobility_network('zhejiang'), 'edges + mutual').",
    )


book.add(
    Exercise(
        1,
        "A network has density 0.1. What is the edges coefficient of its edges-only ERGM? "
        "(two decimal places)",
        NumberCheck(
            _answer_question_1,
            decimals=2,
            hint="the edges coefficient is the log-odds of a tie: log(p / (1 - p)).",
            mistakes=[
                (0.1, "that is the density itself; the coefficient is its log-odds."),
                (math.log(0.1), "that is log(p); the log-odds is log(p / (1 - p))."),
                (1 / 9, "that is the odds p / (1 - p); take its logarithm."),
            ],
        ),
        answer=lambda: f"{_answer_question_1():.4f}",
        reasoning="In an edges-only ERGM every tie is an independent coin flip with "
        "P(tie) = 1 / (1 + e^-theta), so theta = log(p / (1 - p)) = log(0.1 / 0.9) = "
        "log(1/9), about -2.20. The coin network of section 1 shows the same at density 0.25.",
        hint="invert density = 1 / (1 + exp(-theta)).",
        wrong_answers=[(0.1, "density itself"), (-2.3, "log(p)"), (0.11, "odds"), (2.2, "sign")],
    )
)

book.add(
    Exercise(
        2,
        "Nodes i and j are not tied and have 3 neighbours in common. By how much does the "
        "triangle statistic change if we add the tie i-j? (a whole number)",
        NumberCheck(
            3,
            hint="each common neighbour k closes one new triangle i-j-k.",
            mistakes=[
                (1, "1 is the change of the edges statistic; count the triangles closed."),
                (6, "each triangle is counted once, not once per direction or corner."),
                (9, "each common neighbour closes one triangle, not three."),
            ],
        ),
        answer=3,
        reasoning="A new triangle needs a node tied to both i and j; there are 3 such common "
        "neighbours, so adding i-j closes 3 triangles: the change statistic is 3.",
        hint="draw i, j and the 3 common neighbours, then add the tie.",
        wrong_answers=[(1, "edges statistic"), (6, "counted once"), (9, "not three"), (0, "Hint")],
    )
)

MCMC_OPTIONS = {
    "a": "No: wealth is a property of each node, so the change statistic of a pair depends on "
    "that pair only; the model is a logistic regression and its MPLE is the exact MLE.",
    "b": "Right: the triangle change statistic counts shared partners, so each pair depends on "
    "other ties; the likelihood's normalising constant needs MCMC.",
    "c": "No: only one of them is dyad-dependent. Which change statistic depends on other ties?",
    "d": "No: one change statistic depends on the rest of the network, and then the "
    "pseudo-likelihood is only an approximation.",
}

book.add(
    Exercise(
        3,
        "Which model needs MCMC to be fitted exactly? (a) edges + nodecov('wealth'); "
        "(b) edges + triangle; (c) both; (d) neither.",
        ChoiceCheck(
            MCMC_OPTIONS,
            "b",
            texts={
                "a": "edges + nodecov('wealth')",
                "b": ["edges + triangle", "triangle", "the triangle model"],
                "c": "both",
                "d": "neither",
            },
        ),
        answer="(b) edges + triangle",
        reasoning=MCMC_OPTIONS["b"],
        hint="a term is dyad-dependent when its change statistic depends on other ties.",
    )
)

book.add(
    Exercise(
        4,
        "How much does one edge with 3 shared partners add to gwesp with decay 0.5? "
        "(two decimal places)",
        NumberCheck(
            lambda: gwesp_weight(3, 0.5),
            decimals=2,
            hint="e^a (1 - (1 - e^-a)^k) with a = 0.5 and k = 3.",
            mistakes=[
                (
                    3,
                    "3 is what the triangle term would count; gwesp discounts each extra "
                    "shared partner.",
                ),
                (1, "1 is the weight of the first shared partner only."),
                (
                    lambda v: abs(v - gwesp_weight(3, 0.5) / math.exp(0.5)) < 0.01,
                    "you left out the factor e^a in front.",
                ),
            ],  # fmt: skip
        ),
        answer=lambda: f"{gwesp_weight(3, 0.5):.3f}",
        reasoning="With decay a = 0.5 the k-th shared partner adds e^a (1 - e^-a)^(k-1) "
        "less and less: 1 + 0.39 + 0.15 = e^0.5 (1 - (1 - e^-0.5)^3), about 1.55, far below the "
        "3 a triangle term would count. That is why gwesp does not run away.",
        hint="gwesp_weight(3, 0.5) in medkit.solutions.ergm_intuition computes it; try by hand.",
        wrong_answers=[
            (3, "triangle term"),
            (1, "first shared partner"),
            (0.94, "e^a"),
            (2, "Hint"),
        ],
    )
)

book.add(
    Exercise(
        5,
        "Write the code: fit `edges + mutual` to the directed synthetic Zhejiang mobility "
        "network (`data.mobility_network('zhejiang')`) and pass the fit.",
        check_zhejiang_mutual_fit,
        answer="zj_mutual = ergm.fit(zj_graph, 'edges + mutual')\nsolutions.check(5, zj_mutual)",
        reasoning="mutual counts pairs tied both ways; given the rest, each pair's four states "
        "depend only on that pair, so ergm.fit finds the exact MLE (method 'dyad MLE'). A "
        "positive mutual coefficient means a tie i -> j is more likely when j -> i exists.",
        hint="ergm.fit(graph, 'edges + mutual'); the graph is directed, so mutual is defined.",
        right_forms=[_zhejiang_mutual_fit],
        wrong_answers=[
            (
                _zhejiang_edges_only_fit,
                "lacks the term",
            ),
            (
                _florentine_triangle_mple,
                "lacks the term",
            ),
            (0.22, "fitted model"),
        ],  # fmt: skip
    )
)

TRACE_OPTIONS = {
    "a": "No: nearly independent draws have an autocorrelation that drops to about 0 after "
    "lag 0, as in section 6; 0.9 at lag 30 is the opposite.",
    "b": "Right: each draw is nearly a copy of the one before, so 4,096 draws carry the "
    "information of only a few dozen (a small effective size). Take more toggles between "
    "draws (a larger interval) or a longer chain.",
    "c": "No: a degenerate model runs to the empty or complete graph (section 8); slow mixing "
    "alone says the chain moves slowly, not that the model is degenerate.",
}

book.add(
    Exercise(
        6,
        "Another fit's autocorrelation plot stays near 0.9 all the way to lag 30. What does "
        "that say? (a) the draws are nearly independent: good; (b) successive draws are nearly "
        "copies: the effective sample is small, so take more toggles between draws; (c) the "
        "model is degenerate.",
        ChoiceCheck(TRACE_OPTIONS, "b"),
        answer="(b)",
        reasoning=TRACE_OPTIONS["b"],
        hint="what does a high correlation between a draw and the one 30 draws later mean?",
    )
)

check, hint, show = book.check, book.hint, book.show
