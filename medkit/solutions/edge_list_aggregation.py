"""Answers and checks for Lesson 01 (from individual moves to a mobility network).

Exercises 2-4 use the shipped Zhejiang data, which are SYNTHETIC (see ``datasets/README.md``).
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from medkit.mobility import aggregate_flows, in_degree_table, threshold_summary
from medkit.solutions._checks import CheckResult, check_value

DENSITY_THRESHOLD = 10
ATTRACTOR_THRESHOLD = 5
SPARSE_DENSITY = 0.05


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


def answer_moves_a_to_b() -> int:
    """Number of people in :func:`exercise_movers` who moved from A to B."""
    flows = aggregate_flows(exercise_movers()).set_index(["origin", "destination"])
    return int(flows.loc[("A", "B"), "count"])


def check_moves_a_to_b(answer) -> CheckResult:
    """Check the count of moves from A to B in the exercise edge list.

    Examples
    --------
    >>> check_moves_a_to_b(4).correct
    True
    """
    return check_value(
        answer,
        answer_moves_a_to_b(),
        rel_tol=0,
        abs_tol=0,
        hint="count the rows with origin 'A' and destination 'B' (B -> A is another flow), "
        "or use movers.groupby(['origin', 'destination']).size().",
    )


@cache
def _zhejiang():
    from medkit.data import load_cities, load_flows

    return load_flows("zhejiang"), load_cities("zhejiang")


def answer_density_at_threshold() -> float:
    """Density of the synthetic Zhejiang network at threshold :data:`DENSITY_THRESHOLD`."""
    flows, cities = _zhejiang()
    summary = threshold_summary(flows, [DENSITY_THRESHOLD], len(cities))
    return float(summary["density"].iloc[0])


def check_density_at_threshold(answer) -> CheckResult:
    """Check the density of the Zhejiang network at threshold 10.

    Examples
    --------
    >>> check_density_at_threshold(answer_density_at_threshold()).correct
    True
    """
    return check_value(
        answer,
        answer_density_at_threshold(),
        rel_tol=0.005,
        hint="density = ties / (n x (n - 1)): count the pairs with at least 10 movers and "
        "divide by 88 x 87 ordered pairs.",
    )


def answer_top_attractor() -> str:
    """Pinyin name of the Zhejiang unit with the highest in-degree at threshold 5."""
    flows, cities = _zhejiang()
    table = in_degree_table(flows, ATTRACTOR_THRESHOLD, cities)
    return str(table["name_pinyin"].iloc[0])


def check_top_attractor(answer) -> CheckResult:
    """Check the most attractive Zhejiang unit: its pinyin name, Chinese name or adcode.

    Examples
    --------
    >>> check_top_attractor(answer_top_attractor()).correct
    True
    """
    flows, cities = _zhejiang()
    code = int(in_degree_table(flows, ATTRACTOR_THRESHOLD, cities).index[0])
    hint = (
        "sort the in-degree table at threshold 5 (medkit.mobility.in_degree_table) and take "
        "the first row; answer with its name_pinyin."
    )
    if isinstance(answer, int) and not isinstance(answer, bool):
        return check_value(answer, code, rel_tol=0, abs_tol=0, hint=hint)
    if isinstance(answer, str) and answer.strip() == cities.loc[code, "name_zh"]:
        return CheckResult(True, "Correct!")
    return check_value(answer, answer_top_attractor(), hint=hint)


def answer_first_sparse_threshold() -> int:
    """Lowest threshold at which the Zhejiang network's density drops below 5%."""
    flows, cities = _zhejiang()
    summary = threshold_summary(flows, range(1, 101), len(cities))
    return int(summary.loc[summary["density"] < SPARSE_DENSITY, "threshold"].iloc[0])


def check_first_sparse_threshold(answer) -> CheckResult:
    """Check the lowest threshold giving a density below 0.05 in Zhejiang.

    Examples
    --------
    >>> check_first_sparse_threshold(answer_first_sparse_threshold()).correct
    True
    """
    return check_value(
        answer,
        answer_first_sparse_threshold(),
        rel_tol=0,
        abs_tol=0,
        hint="compute threshold_summary(flows, range(1, 51), 88) and find the first row "
        "whose density is below 0.05.",
    )
