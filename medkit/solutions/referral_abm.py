"""Exercises, checks and worked answers for Lesson 05 (the referral agent-based model).

A lesson cell calls ``solutions.check(n, my_answer)``; ``solutions.hint(n)`` and
``solutions.show(n)`` help a learner who is stuck.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from medkit.referral import ReferralParams, layout_from_arrays
from medkit.solutions._checks import (
    CheckResult,
    ChoiceCheck,
    Exercise,
    ExerciseBook,
    NumberCheck,
    TextCheck,
)
from medkit.widgets.referral import Scenario, choice_probabilities, run_scenario

book = ExerciseBook("05_referral_abm")

# Exercise 1: three hospitals on a line, a patient not cured at primary hospital 0.
EXERCISE_LAYOUT = layout_from_arrays([1, 1, 3], [0, 10, 40], [0, 0, 0], [5, 5, 5], side_km=50)


def _answer_tertiary_probability() -> float:
    """P(0 -> 2): weights all 1, distances 10 and 40 km, grade preferences 0.5 and 0.881."""
    w = 1.0 - np.eye(3)
    return float(choice_probabilities(0, [5, 5, 5], w, EXERCISE_LAYOUT)[2])


def _answer_max_hospitals() -> int:
    """A patient sees the first hospital plus at most ``referral_limit`` more."""
    return ReferralParams().referral_limit + 1


@lru_cache(maxsize=1)
def _in_degree_experiment(days: int = 100, seed: int = 0) -> dict:
    runs = {
        "paper": run_scenario(days=days, seed=seed),
        "preference": run_scenario(0.5, 0.5, days=days, seed=seed),
        "capacity": run_scenario(capacity_scale=(1.0, 1.0, 0.25), days=days, seed=seed),
    }
    return {k: float(s.grades.loc[3, "in_degree"]) for k, s in runs.items()}


def _answer_stronger_lever() -> str:
    """ "preference" or "capacity": which change lowers the tertiary in-degree more."""
    v = _in_degree_experiment()
    return "preference" if v["preference"] < v["capacity"] else "capacity"


def stronger_lever_values() -> dict:
    """Tertiary mean in-degree at the paper's weights, with C = 0, and with 1/4 capacity."""
    return dict(_in_degree_experiment())


@lru_cache(maxsize=1)
def _half_tertiary_capacity() -> Scenario:
    return run_scenario(capacity_scale=(1.0, 1.0, 0.5), days=100, seed=0)


def check_half_tertiary_capacity(answer) -> CheckResult:
    """Check the learner's scenario with half the tertiary capacity (exercise 3).

    Examples
    --------
    >>> check_half_tertiary_capacity("run_scenario").message[:40]
    'Not quite: I need the Scenario that run_'
    """
    hint = " Hint: run_scenario(capacity_scale=(1, 1, 0.5), days=100, seed=0)."
    if not isinstance(answer, Scenario):
        return CheckResult(
            False,
            f"Not quite: I need the Scenario that run_scenario returns, got "
            f"{type(answer).__name__}.{hint}",
        )
    if int(answer.params.days) != 100:
        return CheckResult(
            False, f"Not quite: that run has {answer.params.days} days; run 100 days.{hint}"
        )
    right = _half_tertiary_capacity()
    got = answer.grades["in_degree"].to_numpy(float)
    want = right.grades["in_degree"].to_numpy(float)
    same_totals = np.allclose(answer.totals.to_numpy(float), right.totals.to_numpy(float))
    if got.shape != want.shape or not np.allclose(got, want) or not same_totals:
        return CheckResult(
            False,
            "Not quite: that run differs from the one asked for; check the capacities "
            f"(1, 1, 0.5), the seed (0) and the other arguments.{hint}",
        )
    return CheckResult(True, "Correct!")


book.add(
    Exercise(
        1,
        "Three hospitals on a line: primary hospitals 0 (at 0 km) and 1 (at 10 km), tertiary "
        "hospital 2 (at 40 km), all weights 1, all with free slots. A patient is not cured at "
        "hospital 0. What is the probability of a referral to the tertiary hospital? (three "
        "decimal places; a percentage counts)",
        NumberCheck(
            _answer_tertiary_probability,
            decimals=3,
            share=True,
            hint="add A x 1/2 (history: both weights 1), B x (1/40)/(1/10 + 1/40) (distance) and "
            "C x 0.881/(0.5 + 0.881) (grade preference), with A = B = 0.3 and C = 0.4.",
            mistakes=[
                (
                    lambda: 1 - _answer_tertiary_probability(),
                    "that is the probability of the other candidate, hospital 1.",
                ),
                (
                    lambda: 0.3 * 0.5 + 0.3 * 0.2 + 0.4 * 0.5,
                    "the grade preference of a tertiary hospital seen from a primary one is "
                    "1 / (1 + e^(1 - 3)) = 0.881, not 0.5.",
                ),
                (
                    1 / 3,
                    "hospital 0 is the patient's current hospital: only hospitals 1 and 2 "
                    "are candidates.",
                ),
            ],  # fmt: skip
        ),
        answer=lambda: f"{_answer_tertiary_probability():.3f}",
        reasoning="The candidates are hospitals 1 and 2. History: both weights 1, so 1/2 each. "
        "Distance: (1/40) / (1/10 + 1/40) = 0.2. Grade: 0.881 / (0.5 + 0.881) = 0.638. "
        "P = 0.3 x 0.5 + 0.3 x 0.2 + 0.4 x 0.638, about 0.465.",
        hint="choice_probabilities(0, [5, 5, 5], 1 - np.eye(3), solutions.EXERCISE_LAYOUT).",
        wrong_answers=[
            (lambda: 1 - _answer_tertiary_probability(), "other candidate"),
            (0.41, "0.881"),
            (0.333, "candidates"),
        ],
    )
)

book.add(
    Exercise(
        2,
        "On one day, at most how many hospital visits can one patient make: the first visit "
        "plus the referrals that follow it? (a whole number)",
        NumberCheck(
            _answer_max_hospitals,
            hint="the first hospital, then at most m referrals.",
            mistakes=[
                (4, "4 is the referral limit m; add the first hospital."),
                (3, "three is the number of grades; a patient may see the same grade again."),
                (200, "hospitals are many, but the referral limit stops a patient early."),
            ],
        ),
        answer=_answer_max_hospitals,
        reasoning="A patient starts at the nearest hospital and is referred at most m = 4 times "
        "(referral limit m in the table of parameters): 1 + 4 = 5 hospitals.",
        hint="the referral limit m is in the table of the paper's parameters.",
        wrong_answers=[(4, "add the first"), (3, "grades"), (200, "referral limit"), (6, "Hint")],
    )
)

book.add(
    Exercise(
        3,
        "Write the code: run the reduced-scale model with half the tertiary capacity "
        "(`run_scenario(capacity_scale=(1, 1, 0.5), days=100, seed=0)`) and pass the result.",
        check_half_tertiary_capacity,
        answer="half = run_scenario(capacity_scale=(1, 1, 0.5), days=100, seed=0)\n"
        "solutions.check(3, half)\nhalf.grades",
        reasoning="run_scenario returns a Scenario with per-grade means (grades), grade-pair "
        "shares (pairs) and totals; the check compares its in-degrees with the same run. Compare "
        "half.grades with default.grades: fewer tertiary slots, fewer referrals land there.",
        hint="run_scenario is imported in section 7; capacity_scale multiplies the slots by grade.",
        right_forms=[_half_tertiary_capacity],
        wrong_answers=[
            (lambda: run_scenario(days=100, seed=0), "capacities"),
            (lambda: run_scenario(capacity_scale=(1.0, 1.0, 0.5), days=100, seed=1), "the seed"),
            (lambda: run_scenario(capacity_scale=(1.0, 1.0, 0.5), days=50, seed=0), "100 days"),
            ("half", "Scenario"),
        ],
    )
)

book.add(
    Exercise(
        4,
        "Which lowers the tertiary hospitals' mean in-degree more: removing the grade "
        "preference (A = B = 0.5, C = 0) or cutting tertiary capacity to a quarter "
        "(`capacity_scale=(1, 1, 0.25)`)? Answer 'preference' or 'capacity'; run_scenario "
        "(days=100, seed=0) helps.",
        TextCheck(
            lambda: {
                "capacity": [
                    "capacity",
                    "tertiary capacity",
                    "cutting capacity",
                    "the capacity cut",
                ],
                "preference": [
                    "preference",
                    "grade preference",
                    "removing the grade preference",
                    "C = 0",
                ],
            }[_answer_stronger_lever()],
            hint="compare .grades.loc[3, 'in_degree'] of run_scenario(), run_scenario(0.5, 0.5) "
            "and run_scenario(capacity_scale=(1, 1, 0.25)).",
            mistakes=[
                (
                    lambda a: (
                        str(a).strip().lower() in {"preference", "grade preference", "c = 0", "c=0"}
                    ),
                    "without grade preference tertiary hospitals still collect referrals: run both "
                    "scenarios and compare their tertiary in-degree.",
                ),
                (
                    lambda a: str(a).strip().lower() in {"both", "neither", "same"},
                    "one of the two changes lowers it much more; compare the numbers.",
                ),
            ],  # fmt: skip
        ),
        answer=lambda: _answer_stronger_lever(),
        reasoning="Tertiary hospitals collect referrals mostly because they are the ones with "
        "free slots when a patient needs one, and because past referrals attract more "
        "(history). Taking away three quarters of their slots cuts their in-degree far more "
        "than taking away the grade preference, which adds little in this model.",
        hint="three calls of run_scenario and their .grades.loc[3, 'in_degree'].",
        wrong_answers=[
            ("preference", "still collect"),
            ("both", "much more"),
            ("distance", "Hint"),
        ],
    )
)

KEY_NODE_OPTIONS = {
    "a": "No: the largest hospitals are tertiary, and they are the key nodes by in-degree, not "
    "by out-degree.",
    "b": "Right: patients start at the nearest hospital, mostly primary or secondary, which "
    "cure fewer of them and refer the rest up: sending many referrals is what out-degree "
    "counts.",
    "c": "No: out-degree is not random here; it follows the grades because cure rates and "
    "first visits do.",
}

book.add(
    Exercise(
        5,
        "The key nodes by out-degree (section 5) are primary hospitals. Why? "
        "(a) they are the largest hospitals; (b) they see most first visits, cure fewer "
        "patients and refer the rest up; (c) chance: another run would pick tertiary ones.",
        ChoiceCheck(KEY_NODE_OPTIONS, "b"),
        answer="(b)",
        reasoning=KEY_NODE_OPTIONS["b"],
        hint="who sends referrals: the hospital a patient leaves.",
    )
)

check, hint, show = book.check, book.hint, book.show
