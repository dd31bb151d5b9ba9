"""Exercises, checks and worked answers for Lesson 01 (from individual moves to a network).

Exercises 2-5 use the shipped Zhejiang data, which are SYNTHETIC (see ``datasets/README.md``).
A lesson cell calls ``solutions.check(n, my_answer)``; ``solutions.hint(n)`` and
``solutions.show(n)`` help a learner who is stuck.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from medkit.mobility import aggregate_flows, in_degree_table, threshold_summary
from medkit.solutions._checks import (
    CheckResult,
    ChoiceCheck,
    Exercise,
    ExerciseBook,
    NumberCheck,
    TextCheck,
    check_frame,
)

DENSITY_THRESHOLD = 8
ATTRACTOR_THRESHOLD = 5
SPARSE_DENSITY = 0.05

book = ExerciseBook("01_edge_list_aggregation")


def exercise_movers() -> pd.DataFrame:
    """A small hand-made edge list of moves between four made-up cities A-D (exercise 1).

    Examples
    --------
    >>> len(exercise_movers())
    12
    """
    moves = [
        ("A", "B"), ("C", "B"), ("A", "B"), ("B", "A"), ("A", "C"), ("D", "B"),
        ("A", "B"), ("C", "A"), ("B", "C"), ("A", "B"), ("D", "A"), ("B", "A"),
    ]  # fmt: skip
    return pd.DataFrame(
        {
            "person_id": range(1, len(moves) + 1),
            "origin": [o for o, _ in moves],
            "destination": [d for _, d in moves],
        }
    )


def _answer_moves_a_to_b() -> int:
    """Number of people in :func:`exercise_movers` who moved from A to B."""
    flows = aggregate_flows(exercise_movers()).set_index(["origin", "destination"])
    return int(flows.loc[("A", "B"), "count"])


@cache
def _zhejiang():
    from medkit.data import load_cities, load_flows

    return load_flows("zhejiang"), load_cities("zhejiang")


def _answer_density_at_threshold() -> float:
    """Density of the synthetic Zhejiang network at threshold :data:`DENSITY_THRESHOLD`."""
    flows, cities = _zhejiang()
    summary = threshold_summary(flows, [DENSITY_THRESHOLD], len(cities))
    return float(summary["density"].iloc[0])


def _answer_in_degree_table() -> pd.DataFrame:
    """The Zhejiang in-degree table at threshold :data:`ATTRACTOR_THRESHOLD`."""
    flows, cities = _zhejiang()
    return in_degree_table(flows, ATTRACTOR_THRESHOLD, cities)


def _answer_top_attractor() -> str:
    """Pinyin name of the Zhejiang unit with the highest in-degree at threshold 5."""
    return str(_answer_in_degree_table()["name_pinyin"].iloc[0])


def _top_attractor_spellings() -> list[str]:
    table = _answer_in_degree_table()
    code = table.index[0]
    _, cities = _zhejiang()
    name = str(table["name_pinyin"].iloc[0])
    return [name, f"{name} district", str(cities.loc[code, "name_zh"]), str(int(code))]


def _answer_first_sparse_threshold() -> int:
    """Lowest threshold at which the Zhejiang network's density drops below 5%."""
    flows, cities = _zhejiang()
    summary = threshold_summary(flows, range(1, 101), len(cities))
    return int(summary.loc[summary["density"] < SPARSE_DENSITY, "threshold"].iloc[0])


def check_in_degree_table(answer) -> CheckResult:
    """Check the learner's Zhejiang in-degree table at threshold 5 (exercise 3).

    Examples
    --------
    >>> check_in_degree_table(_answer_in_degree_table())
    Correct!
    """
    right = _answer_in_degree_table()
    result = check_frame(
        answer,
        ["in_degree"],
        n_rows=len(right),
        values={"in_degree": right["in_degree"]},
        decimals=0,
        hint="in_degree_table(zj_flows, 5, zj_cities) gives one row per unit.",
    )
    if result.correct or "values" not in result.message:
        return result
    if set(answer.index) != set(right.index):
        return CheckResult(
            False, "Not quite: index the table by adcode, one row per Zhejiang unit (88)."
        )
    return CheckResult(
        False,
        "Not quite: the in-degrees differ from those at threshold 5; did you use another "
        "threshold or the national flows?",
    )


book.add(
    Exercise(
        1,
        "How many people in the exercise edge list moved from A to B? (a whole number)",
        NumberCheck(
            _answer_moves_a_to_b,
            hint="count the rows with origin 'A' and destination 'B', or use "
            "movers.groupby(['origin', 'destination']).size().",
            mistakes=[
                (6, "that counts A -> B and B -> A together; the flows are directed."),
                (12, "that is every move in the list; keep only origin A and destination B."),
                (5, "that counts every move out of A; keep only those that end in B."),
            ],
        ),
        answer=_answer_moves_a_to_b,
        reasoning="Four rows have origin A and destination B (persons 1, 3, 7 and 10); the two "
        "B -> A moves belong to the other direction.",
        hint="filter exercise[(exercise.origin == 'A') & (exercise.destination == 'B')].",
        wrong_answers=[(6, "directed"), (12, "every move"), (5, "out of A"), (3, "Hint")],
    )
)

book.add(
    Exercise(
        2,
        f"What is the density of the synthetic Zhejiang network at a threshold of "
        f"{DENSITY_THRESHOLD} movers? (three decimal places; a percentage counts)",
        NumberCheck(
            _answer_density_at_threshold,
            decimals=3,
            share=True,
            hint=f"threshold_summary(zj_flows, [{DENSITY_THRESHOLD}], n_nodes=88); density = "
            "ties / (88 x 87).",
            mistakes=[
                (
                    lambda v: 0.1 < v < 0.2,
                    "that is about twice the density: a directed "
                    "network has n x (n - 1) = 7,656 ordered pairs, not n x (n - 1) / 2.",
                ),
                (lambda v: v > 1, "a density is a share of pairs, at most 1 (or 100 %)."),
            ],  # fmt: skip
        ),
        answer=lambda: f"{_answer_density_at_threshold():.4f}",
        reasoning=f"At {DENSITY_THRESHOLD} movers, "
        "threshold_summary counts the ordered pairs with at least that many movers and divides "
        "by 88 x 87 = 7,656 possible ties.",
        hint="threshold_summary(zj_flows, [8], n_nodes=len(zj_cities)).",
        wrong_answers=[
            (lambda: 2 * _answer_density_at_threshold(), "ordered pairs"),
            (637, "at most 1"),
            (0.069, "Hint"),
        ],
    )
)

book.add(
    Exercise(
        3,
        "Write the code: make the in-degree table of the Zhejiang units at the shipped "
        "threshold of 5 movers (one row per unit, an in_degree column) and pass it.",
        check_in_degree_table,
        answer="zj_attract = in_degree_table(zj_flows, 5, zj_cities)\n"
        "solutions.check(3, zj_attract)",
        reasoning="in_degree_table builds the binary network at the threshold, counts for every "
        "unit the units that send it a tie, and sorts the table by that count.",
        hint="in_degree_table(zj_flows, 5, zj_cities), as section 6 does for the nation.",
        right_forms=[
            _answer_in_degree_table,
            lambda: _answer_in_degree_table().sort_index(),
            lambda: _answer_in_degree_table()["in_degree"],
        ],
        wrong_answers=[
            (lambda: in_degree_table(_zhejiang()[0], 10, _zhejiang()[1]), "another threshold"),
            (lambda: _answer_in_degree_table().head(10), "rows"),
            (lambda: _answer_in_degree_table().drop(columns="in_degree"), "no column"),
            (88, "DataFrame"),
        ],  # fmt: skip
    )
)

book.add(
    Exercise(
        4,
        "Which Zhejiang unit has the largest in-degree at the shipped threshold of 5? Give its "
        "pinyin name (its adcode or Chinese name also count).",
        TextCheck(
            _top_attractor_spellings,
            hint="sort your table of exercise 3 by in_degree and read the first row.",
            mistakes={
                "Yiwu": "Yiwu receives the most movers (the darkest column of the heatmap), "
                "but the in-degree counts sending units, not movers.",
                "Hangzhou": "Hangzhou is a prefecture; the table lists county-level units.",
            },
        ),
        answer=lambda: _answer_top_attractor(),
        reasoning="The first row of the sorted in-degree table: more units send a tie (at "
        "least 5 movers) to it than to any other.",
        hint="zj_attract.iloc[0] (or zj_attract['in_degree'].idxmax()).",
        right_forms=[lambda: _answer_in_degree_table().index[0]],
        wrong_answers=[("Yiwu", "sending units"), ("Hangzhou", "prefecture"), ("Ningbo", "Hint")],
    )
)

book.add(
    Exercise(
        5,
        "What is the lowest threshold (a whole number of movers) at which the Zhejiang "
        "network's density drops below 5 %?",
        NumberCheck(
            _answer_first_sparse_threshold,
            hint="threshold_summary(zj_flows, range(1, 51), 88) and the first row with "
            "density < 0.05.",
            mistakes=[
                (
                    lambda v: v == _answer_first_sparse_threshold() - 1,
                    "at that threshold the density is still at least 5 %; go one further.",
                ),
                (lambda v: 0 < v < 1, "give the threshold (a number of movers), not the density."),
            ],  # fmt: skip
        ),
        answer=_answer_first_sparse_threshold,
        reasoning="Density falls as the threshold rises; the first threshold whose density is "
        "below 0.05 is the answer (read the table of threshold_summary over 1-50).",
        hint="summary.loc[summary['density'] < 0.05, 'threshold'].min().",
        wrong_answers=[
            (lambda: _answer_first_sparse_threshold() - 1, "go one further"),
            (0.05, "not the density"),
            (50, "Hint"),
        ],
    )
)

INDEGREE_OPTIONS = {
    "a": "No: in-degree counts sending cities, not people; 287 movers could all come from one "
    "city.",
    "b": "Yes: at threshold 1 a tie needs one mover, so in-degree 287 means every one of the "
    "other 287 cities sent at least one mover there.",
    "c": "No: that is the out-degree (ties leaving the city); in-degree counts ties arriving.",
    "d": "No: a high in-degree at threshold 1 says little about volume; a ranking by movers "
    "would need the flows themselves.",
}

book.add(
    Exercise(
        6,
        "At threshold 1, a city of the national network (288 cities) has in-degree 287. What "
        "does that say? (a) 287 people moved there; (b) every other city sent at least one "
        "mover there; (c) it sent movers to every other city; (d) it receives the most movers "
        "of all cities.",
        ChoiceCheck(INDEGREE_OPTIONS, "b"),
        answer="(b)",
        reasoning=INDEGREE_OPTIONS["b"],
        hint="a tie i -> j exists when at least k people moved from i to j.",
    )
)

check, hint, show = book.check, book.hint, book.show
