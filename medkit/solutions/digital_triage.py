"""Exercises of Lesson 06 (digital triage): checks, hints and worked answers on request.

A lesson cell reads ``solutions.check(2, my_answer)``; ``solutions.hint(2)`` gives a nudge and
``solutions.show(2)`` the worked answer with its reasoning (switched off in the student edition).
Values that depend on model output are computed from the shipped tables, never typed.

Examples
--------
>>> from medkit.solutions import digital_triage as solutions
>>> solutions.check(1, 0.75)
Correct!
"""

from __future__ import annotations

import pandas as pd

from medkit.referral import ReferralParams
from medkit.referral.triage import load_lever_effects, monotone_within_noise
from medkit.solutions._checks import (
    CheckResult,
    ChoiceCheck,
    Exercise,
    ExerciseBook,
    NumberCheck,
    TextCheck,
    check_frame,
    check_value,
)

LESSON = "06_digital_triage"


# --- worked answers (plain functions, also used by the tests) ------------------------------------
def _answer_primary_mixed_cure() -> float:
    """Cure probability at a primary hospital for the default mix of routine and serious."""
    p = ReferralParams()
    return (1 - p.serious_share) * p.cure_routine[0] + p.serious_share * p.cure_serious[0]


def _answer_false_positive_share_of_flagged(
    serious_share: float = 0.2, sensitivity: float = 0.9, specificity: float = 0.85
) -> float:
    """Share of flagged patients who are routine (false positives)."""
    tp = serious_share * sensitivity
    fp = (1 - serious_share) * (1 - specificity)
    return fp / (tp + fp)


def _answer_real_imbalance_index() -> float:
    """The 2010 contrast: tertiary over first-level hospital bed occupancy, 1.029 / 0.567."""
    from medkit.referral.world import OCCUPANCY_FIGURES as f

    high = f.loc[(f["facility"] == "tertiary hospitals") & (f["year"] == 2010), "bed_occupancy"]
    primary = f.loc[(f["facility"] == "first-level hospitals") & (f["year"] == 2010),
                    "bed_occupancy"]  # fmt: skip
    return float(high.iloc[0] / primary.iloc[0])


def _answer_default_tool_index_change(scale: str = "small", world: str = "fulu") -> float:
    """Mean paired change in the imbalance index with the default tool (shipped model output)."""
    e = load_lever_effects(scale).set_index(["world", "comparison", "measure"])
    return float(e.loc[(world, "default tool", "imbalance_index"), "difference"])


def _answer_imbalance_direction(summary: pd.DataFrame) -> str:
    """'rises', 'falls' or 'flat' for the imbalance index over adoption in ``summary``."""
    d = monotone_within_noise(summary, "triage_adoption", "imbalance_index")
    return {"increasing": "rises", "decreasing": "falls"}.get(d, "flat")


CODE_INDEX = """from medkit.referral.world import OCCUPANCY_FIGURES as f
high = f.query("facility == 'tertiary hospitals' and year == 2010")["bed_occupancy"]
primary = f.query("facility == 'first-level hospitals' and year == 2010")["bed_occupancy"]
my_index = high.iloc[0] / primary.iloc[0]      # 1.029 / 0.567 = 1.81"""

CODE_TABLE = """rows = levers_small.query("world == 'fulu' and measure == 'imbalance_index'")
my_table = rows[["comparison", "difference", "low", "high"]]"""


def _answer_fulu_index_table(scale: str = "small") -> pd.DataFrame:
    """The Fu & Lu world's imbalance-index rows of the lever table: comparison, difference, CI."""
    e = load_lever_effects(scale)
    rows = e[(e["world"] == "fulu") & (e["measure"] == "imbalance_index")]
    return rows[["comparison", "difference", "low", "high"]].reset_index(drop=True)


def check_fulu_index_table(answer) -> CheckResult:
    """Check the learner's table of the Fu & Lu world's imbalance-index effects (exercise 4).

    Examples
    --------
    >>> check_fulu_index_table(_answer_fulu_index_table()).correct
    True
    """
    right = _answer_fulu_index_table()
    if not isinstance(answer, pd.DataFrame):
        return CheckResult(False, "Not quite: pass a DataFrame (a selection of rows and columns "
                           f"of levers_small), not a {type(answer).__name__}.")  # fmt: skip
    if "world" in answer.columns and set(answer["world"]) != {"fulu"}:
        return CheckResult(False, "Not quite: keep only the Fu & Lu world's rows "
                           "(world == 'fulu').")  # fmt: skip
    if "measure" in answer.columns and set(answer["measure"]) != {"imbalance_index"}:
        return CheckResult(False, "Not quite: keep only the rows of the imbalance index "
                           "(measure == 'imbalance_index').")  # fmt: skip
    if "comparison" in answer.columns and set(answer["comparison"]) == set(right["comparison"]):
        answer = answer.set_index("comparison").loc[list(right["comparison"])].reset_index()
    return check_frame(
        answer,
        ["comparison", "difference", "low", "high"],
        n_rows=len(right),
        values={c: right[c] for c in ("difference", "low", "high")},
        decimals=4,
        hint="one row per comparison of the Fu & Lu world, measure 'imbalance_index'.",
    )


READING_OPTIONS = {
    "a": "Right: above 1 the index reads as Fu & Lu's imbalance (high-tier hospitals the fuller "
    "side), so a rise moves it further from equal load: the opposite of what H3 predicts, "
    "whatever the same rise would mean in Yang et al.'s world, whose index starts below 1.",
    "b": "No: a rise is a move towards equal load only below 1 (Yang et al.'s world); the Fu & "
    "Lu world starts above 1, where a rise moves the index away from 1.",
    "c": "No: the index is tertiary over primary utilisation; primary care becoming full would "
    "lower it, not raise it.",
    "d": "No: the index compares utilisation by grade; lost patients are a separate measure.",
}
READING_TEXTS = {
    "a": "the imbalance grew: high-tier care, already the fuller side, got relatively fuller",
    "b": "a move towards equal load",
    "c": "primary care became full",
    "d": "fewer patients were lost",
}

LEVER_OPTIONS = {
    "a": "No: trust is the other lever's business; the routing lever alone changes where a "
    "flagged patient goes, not how patients choose their first hospital.",
    "b": "Right: routing sends every flagged patient upstream, and with specificity 0.85 about "
    "two in five of them are routine (exercise 2); that extra tertiary load raises the index.",
    "c": "No: the tool changes no capacity; every run keeps the same beds by grade, with and "
    "without it.",
}
LEVER_TEXTS = {
    "a": "it makes patients trust primary care less",
    "b": "it sends every flagged patient upstream, and many flagged patients are routine",
    "c": "it removes capacity from primary hospitals",
}


def _build_book() -> ExerciseBook:
    book = ExerciseBook(LESSON)
    book.add(
        Exercise(
            1,
            "With the default severity mix (20 % serious), what is the cure probability at a "
            "primary hospital? (two decimals)",
            NumberCheck(
                _answer_primary_mixed_cure,
                decimals=2,
                mistakes=[
                    (
                        0.85,
                        "0.85 is the routine rate alone; weight in the 20 % "
                        "serious patients, who are cured far less often.",
                    )
                ],
            ),  # fmt: skip
            answer="0.8 x 0.85 + 0.2 x 0.35 = 0.75",
            reasoning="Weight each cure rate by its share: routine 0.8 x 0.85 = 0.68, serious "
            "0.2 x 0.35 = 0.07; together 0.75, Yang et al.'s primary cure rate.",
            hint="weight each cure rate by its share: 0.8 x routine + 0.2 x serious.",
            wrong_answers=[
                (0.85, "routine rate alone"),
                (0.35, "Hint"),
                (0.5, "Hint"),
                (-0.75, "sign"),
            ],
        )
    )
    book.add(
        Exercise(
            2,
            "With 20 % serious patients, sensitivity 0.9 and specificity 0.85, what share of "
            "the patients the tool flags are in fact routine? (two decimals)",
            NumberCheck(
                _answer_false_positive_share_of_flagged,
                decimals=2,
                share=True,
                mistakes=[
                    (
                        0.15,
                        "0.15 is 1 - specificity: the share of *routine* patients "
                        "flagged, not the share of flagged patients who are routine.",
                    ),
                    (
                        0.12,
                        "0.12 is the share of *all* patients who are routine and "
                        "flagged; divide by everyone flagged.",
                    ),
                    (0.6, "0.6 is the share of flagged patients who are serious."),
                ],
            ),  # fmt: skip
            answer="0.12 / (0.18 + 0.12) = 0.40",
            reasoning="Flagged = serious x sensitivity + routine x (1 - specificity) = 0.2 x 0.9 "
            "+ 0.8 x 0.15 = 0.18 + 0.12 = 0.30; the routine part is 0.12 / 0.30 = 0.40. When "
            "the condition is rare, even a good tool's referrals are often needless.",
            hint="flagged = serious x sensitivity + routine x (1 - specificity); false positives "
            "are the second part.",
            wrong_answers=[
                (0.15, "1 - specificity"),
                (0.12, "*all* patients"),
                (0.6, "serious"),
                (0.9, "Hint"),
            ],
        )
    )
    book.add(
        Exercise(
            3,
            "Write code: from `OCCUPANCY_FIGURES`, compute the imbalance index of 2010: "
            "tertiary over first-level hospital bed occupancy (NHC statistics). (two decimals)",
            NumberCheck(
                _answer_real_imbalance_index,
                decimals=2,
                mistakes=[
                    (
                        0.567 / 1.029,
                        "upside down: the index is high-tier over "
                        "primary, so above 1 means the top is fuller.",
                    )
                ],
            ),  # fmt: skip
            answer=CODE_INDEX,
            reasoning="The index is the high-tier occupancy over the primary one: 1.029 / 0.567 "
            "= 1.81 in 2010, a sharper contrast than 2021's 1.50 (0.782 / 0.521), which the "
            "Fu & Lu world is calibrated to hold.",
            hint="select the 2010 'tertiary hospitals' row and the 2010 'first-level hospitals' "
            "row of OCCUPANCY_FIGURES and divide their bed_occupancy.",
            wrong_answers=[(0.55, "upside down"), (1.5, "Hint"), (1.0, "Hint"), (1.18, "Hint")],
        )
    )
    book.add(
        Exercise(
            4,
            "Write code: from the reduced-scale lever table `levers_small`, make a DataFrame "
            "`my_table` of the Fu & Lu world's imbalance-index rows with the columns comparison, "
            "difference, low and high (one row per tool or lever).",
            check_fulu_index_table,
            answer=CODE_TABLE,
            reasoning="Filter the rows (world 'fulu', measure 'imbalance_index') and keep the "
            "columns: 'difference' is the mean over layouts and seeds of (with tool - without), "
            "each pair run on the same layout and seed, and low/high its 95 % interval. Read it "
            "with the index's guide: above 0 means high-tier care got relatively fuller.",
            hint="levers_small.query(\"world == 'fulu' and measure == 'imbalance_index'\"), then "
            "select the four columns.",
            right_forms=[
                _answer_fulu_index_table,
                lambda: _answer_fulu_index_table().iloc[::-1],
                lambda: load_lever_effects("small").query(
                    "world == 'fulu' and measure == 'imbalance_index'"
                ),
            ],
            wrong_answers=[
                (lambda: load_lever_effects("small"), "keep only"),
                (lambda: _answer_fulu_index_table()["difference"], "DataFrame"),
                (lambda: _answer_fulu_index_table().drop(columns="low"), "low"),
                (
                    lambda: load_lever_effects("small").query(
                        "world == 'yang' and measure == 'imbalance_index'"
                    ),
                    "fulu",
                ),  # fmt: skip
            ],
        )
    )
    book.add(
        Exercise(
            5,
            "In the Fu & Lu world (its index starts above 1, Figure 1) the default tool raises "
            "the imbalance index (Figure 2). What does that mean? Answer a, b, c or d.",
            ChoiceCheck(READING_OPTIONS, "a", texts=READING_TEXTS),
            answer="a",
            reasoning=READING_OPTIONS["a"],
            hint="read the index with the reading guide: which side is fuller above 1, and "
            "does a rise take the index towards 1 or away from it?",
        )
    )
    book.add(
        Exercise(
            6,
            "In the Fu & Lu world the routing lever raises the imbalance index (Figure 2). Why? "
            "(a) it makes patients trust primary care less; (b) it sends every flagged patient "
            "upstream, and with specificity 0.85 about two in five flagged patients are "
            "routine; (c) it removes capacity from primary hospitals.",
            ChoiceCheck(LEVER_OPTIONS, "b", texts=LEVER_TEXTS),
            answer="b",
            reasoning=LEVER_OPTIONS["b"],
            hint="what does routing do with a flagged patient, and who is flagged? Exercise 2 "
            "gave the share of flagged patients who are routine.",
        )
    )
    book.add(
        Exercise(
            7,
            "In the Fu & Lu world's dose-response, does the imbalance index 'rises', 'falls' or "
            "stay 'flat' (within noise) as adoption grows?",
            TextCheck(
                lambda: _direction_spellings(),
                mistakes={
                    "falls": "Look again: a fall would be H3's prediction; does the "
                    "curve go down beyond its band?"
                },
            ),  # fmt: skip
            answer=lambda: _shipped_direction(),
            reasoning="Read the paired change from 0 % to 100 % adoption and compare it with "
            "its 95 % band; the shipped dose-response (5 layouts) decides.",
            hint="read the imbalance-index panel of the Fu & Lu dose-response from left to right.",
            wrong_answers=[
                (lambda: [d for d in _SYNONYMS if d != _shipped_direction()][0], "Hint"),
                (lambda: [d for d in _SYNONYMS if d != _shipped_direction()][1], "Hint"),
                ("sideways", "Hint"),
            ],
        )
    )
    return book


_SYNONYMS = {
    "rises": ["rises", "rise", "increases", "goes up", "up"],
    "falls": ["falls", "fall", "decreases", "goes down", "down"],
    "flat": ["flat", "stays flat", "no change", "unchanged"],
}


def _shipped_direction() -> str:
    from medkit.referral.triage import dose_effects, load_sweep_runs

    paired = dose_effects(load_sweep_runs("dose_response", "small", "fulu"))
    return _answer_imbalance_direction(paired)


def _direction_spellings() -> list[str]:
    return _SYNONYMS[_shipped_direction()]


book = _build_book()
check, hint, show = book.check, book.hint, book.show


# --- older entry points, kept working ------------------------------------------------------------
def check_primary_mixed_cure(answer):
    """Exercise 1 (older name). Examples: ``check_primary_mixed_cure(0.75).correct`` is True."""
    return book.check(1, answer)


def check_false_positive_share_of_flagged(answer):
    """Exercise 2 (older name)."""
    return book.check(2, answer)


def check_imbalance_direction(answer, summary: pd.DataFrame):
    """'rises' / 'falls' / 'flat' against a dose-response summary computed by the caller.

    Examples
    --------
    >>> s = pd.DataFrame({"triage_adoption": [0, 1], "measure": "imbalance_index",
    ...                   "mean": [1.0, 2.0], "low": [0.9, 1.9], "high": [1.1, 2.1]})
    >>> check_imbalance_direction("rises", s).correct
    True
    """
    return TextCheck(_SYNONYMS[_answer_imbalance_direction(summary)])(answer)


def _answer_target_pcf_raw(cf) -> float:
    """beta_HTH x sd(HTH) / sd(PCF) for a :class:`medkit.counterfactual.CounterfactualFit`."""
    return cf.target_pcf_raw()


def check_target_pcf_raw(answer, cf):
    """Check the raw-unit PCF coefficient that matches HTH per standard deviation."""
    return check_value(answer, _answer_target_pcf_raw(cf), rel_tol=0.01,
                       hint="per-SD effects are equal when beta_PCF x sd(PCF) = beta_HTH x "
                       "sd(HTH); use cf.params_raw and cf.sd.")  # fmt: skip
