"""Exercises, checks and worked answers for Lesson 00 (start here).

A lesson cell calls ``solutions.check(n, my_answer)``; a learner who is stuck calls
``solutions.hint(n)`` or ``solutions.show(n)``.
"""

from __future__ import annotations

import pandas as pd

from medkit.solutions._checks import (
    CheckResult,
    ChoiceCheck,
    Exercise,
    ExerciseBook,
    NumberCheck,
    check_frame,
)
from medkit.story import hospital_choice_shares, trust_needed_for_balance

book = ExerciseBook("00_start_here")


def _answer_primary_share_at_40km() -> float:
    """Share staying in primary care with no extra trust and the hospital 40 km further."""
    return float(hospital_choice_shares(0.0, 40.0)["primary care"])


def _answer_trust_for_balance_at_10km() -> float:
    """Trust that makes half of routine patients stay local when the hospital is 10 km further."""
    return trust_needed_for_balance(10.0)


def _shares_trust_1_at_30km() -> pd.Series:
    return hospital_choice_shares(trust_in_primary=1.0, extra_distance_km=30.0)


def check_shares_trust_1_at_30km(answer) -> CheckResult:
    """Check the Series of choice shares at trust 1 and 30 km (exercise 3).

    Examples
    --------
    >>> check_shares_trust_1_at_30km(hospital_choice_shares(1.0, 30.0))
    Correct!
    """
    right = _shares_trust_1_at_30km()
    if isinstance(answer, pd.Series) and set(answer.index) != set(right.index):
        return CheckResult(
            False,
            "Not quite: I expected the Series hospital_choice_shares returns, indexed "
            "'primary care' and 'high-tier hospital'.",
        )
    if isinstance(answer, pd.Series):
        answer = answer.rename("share").to_frame().T
        right_frame = right.rename("share").to_frame().T
        return check_frame(
            answer,
            list(right.index),
            n_rows=1,
            values={c: right_frame[c] for c in right.index},
            decimals=3,
            hint="trust_in_primary=1.0, extra_distance_km=30.0.",
        )
    return CheckResult(
        False, "Not quite: pass the Series that hospital_choice_shares(...) returns."
    )


book.add(
    Exercise(
        1,
        "With no extra trust, what share of routine patients stays in primary care when the "
        "high-tier hospital is 40 km further away? (two decimal places; a percentage counts)",
        NumberCheck(
            _answer_primary_share_at_40km,
            decimals=2,
            share=True,
            hint="at 40 km travel costs 0.05 x 40 = 2 units: compare with the premium of 2.",
            mistakes=[
                (
                    lambda v: (
                        abs(v - float(hospital_choice_shares(0.0, 40.0).iloc[1])) < 0.005
                        and abs(v - 0.5) > 0.005
                    ),
                    "that is the share going to the high-tier hospital.",
                ),
                (
                    lambda v: (
                        abs(v - float(hospital_choice_shares(0.0, 20.0)["primary care"])) < 0.005
                    ),
                    "that is the share at 20 km, the example above; redo it at 40 km.",
                ),
            ],  # fmt: skip
        ),
        answer=lambda: f"{_answer_primary_share_at_40km():.2f}",
        reasoning="At 40 km travel costs 0.05 x 40 = 2 utility units, exactly the high-tier "
        "hospital's reputation premium: the two utilities are equal, so the logit splits "
        "patients 50/50. hospital_choice_shares(0.0, 40.0) says the same.",
        hint="hospital_choice_shares(trust_in_primary=0.0, extra_distance_km=40.0).",
        wrong_answers=[
            (float(hospital_choice_shares(0.0, 20.0)["primary care"]), "20 km"),
            (0.88, "Hint"),
            (-0.5, "sign"),
        ],
    )
)

book.add(
    Exercise(
        2,
        "What trust in primary care (utility units, two decimal places) makes the split "
        "exactly 50/50 when the high-tier hospital is 10 km further away?",
        NumberCheck(
            _answer_trust_for_balance_at_10km,
            decimals=2,
            hint="50/50 means equal utilities: trust + 0 = premium - 0.05 x km.",
            mistakes=[
                (
                    trust_needed_for_balance(20.0),
                    "that is the trust needed at 20 km (printed above); redo it at 10 km.",
                ),
                (2.0, "that ignores the 10 km of travel, which also count against the hospital."),
                (2.5, "travel makes the far hospital less attractive: subtract it, don't add it."),
            ],  # fmt: skip
        ),
        answer=lambda: f"{_answer_trust_for_balance_at_10km():.2f}",
        reasoning="The split is 50/50 when both options have the same utility: "
        "trust = premium - cost x km = 2 - 0.05 x 10 = 1.5.",
        hint="set the two utilities equal: trust = 2 - 0.05 x 10.",
        wrong_answers=[(1.0, "20 km"), (2.0, "travel"), (2.5, "subtract"), (0.7, "Hint")],
    )
)

book.add(
    Exercise(
        3,
        "Write the code: compute the choice shares at trust 1.0 with the high-tier hospital "
        "30 km further away, and pass the Series to the check.",
        check_shares_trust_1_at_30km,
        answer="shares = hospital_choice_shares(trust_in_primary=1.0, extra_distance_km=30.0)\n"
        "solutions.check(3, shares)",
        reasoning="hospital_choice_shares returns both shares as a pandas Series; at trust 1 and "
        "30 km the clinic's utility is 1 and the hospital's 2 - 1.5 = 0.5, so about 62 % stay "
        "in primary care.",
        hint="call hospital_choice_shares with trust_in_primary and extra_distance_km.",
        right_forms=[_shares_trust_1_at_30km],
        wrong_answers=[
            (lambda: hospital_choice_shares(0.0, 30.0), "values"),
            (lambda: hospital_choice_shares(1.0, 20.0), "values"),
            (0.62, "Series"),
            (lambda: pd.Series({"a": 0.6, "b": 0.4}), "indexed"),
        ],
    )
)

TRUST_OPTIONS = {
    "a": "No: more trust in primary care raises the clinic's utility, so fewer patients, not "
    "more, travel to the high-tier hospital.",
    "b": "Yes: trust adds to the clinic's utility; in the logit the hospital's share "
    "e^u_H / (e^u_H + e^u_P) falls as u_P rises, whatever the distance.",
    "c": "No: distance changes how much trust is needed, but at any distance more trust moves "
    "patients toward the clinic.",
}

book.add(
    Exercise(
        4,
        "Trust in primary care rises while the distance stays the same. What happens to the "
        "share of routine patients travelling to the high-tier hospital? (a) it rises, "
        "(b) it falls, (c) it depends on the distance whether it changes at all.",
        ChoiceCheck(
            TRUST_OPTIONS,
            "b",
            texts={
                "a": ["it rises", "rises", "increases"],
                "b": ["it falls", "falls", "decreases", "goes down", "drops"],
                "c": ["it depends on the distance", "depends on the distance"],
            },
        ),
        answer="(b) it falls",
        reasoning=TRUST_OPTIONS["b"],
        hint="trust is added to the clinic's utility; what does the logit do with that?",
    )
)

check, hint, show = book.check, book.hint, book.show
