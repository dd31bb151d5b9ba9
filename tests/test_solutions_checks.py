"""The answer-check core: right answers pass in every reasonable form, wrong ones get a hint."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from medkit.solutions._checks import (
    CheckResult,
    ChoiceCheck,
    Exercise,
    ExerciseBook,
    NumberCheck,
    TextCheck,
    as_number,
    check_choice,
    check_number,
    check_text,
    check_value,
    normalise_text,
)

# Same examples on every run and no example database written into the repository.
settings.register_profile("medkit", derandomize=True, database=None, deadline=None)
settings.load_profile("medkit")

FINITE = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
SHARES = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


# ------------------------------------------------------------------------------- as_number
@pytest.mark.parametrize(
    "form",
    [
        np.float64(0.25),
        np.float32(0.25),
        np.array(0.25),
        np.array([0.25]),
        np.array([[0.25]]),
        pd.Series([0.25], index=[10]),
        pd.DataFrame({"density": [0.25]}),
        pd.Index([0.25]),
        [0.25],
        (0.25,),
        "0.25",
        " 0.25 ",
        "\u22120.25".replace("\u2212", ""),
    ],
)
def test_as_number_reads_every_one_number_form(form):
    assert as_number(form) == pytest.approx(0.25)


def test_as_number_reads_integers_and_text_with_separators():
    assert as_number(np.int64(330100)) == 330100.0
    assert as_number(pd.Series([3], dtype="int64")) == 3.0
    assert as_number("1,234") == 1234.0
    assert as_number("\u22121.5") == -1.5
    assert as_number("50 %") == 50.0


@pytest.mark.parametrize("bad", [[1, 2], np.array([]), pd.Series([1.0, 2.0]), {}])
def test_as_number_refuses_several_values(bad):
    with pytest.raises(ValueError, match="one value"):
        as_number(bad)


@pytest.mark.parametrize("bad", [True, np.bool_(False), object(), 1 + 2j])
def test_as_number_refuses_non_numbers(bad):
    with pytest.raises(TypeError):
        as_number(bad)


def test_as_number_refuses_words():
    with pytest.raises(ValueError, match="not a number"):
        as_number("about three")


@given(FINITE)
def test_as_number_round_trips_any_float_in_any_container(x):
    for form in (x, np.float64(x), np.array([x]), pd.Series([x]), [x], (x,), repr(x)):
        assert as_number(form) == pytest.approx(x, rel=1e-12, abs=1e-300)


# ---------------------------------------------------------------------------- check_number
def test_pandas_one_element_series_passes_the_issue_examples():
    zj = pd.DataFrame({"threshold": [5, 10, 20], "density": [0.2, 0.0694, 0.03]})
    answer = zj.loc[zj.threshold == 10, "density"]
    assert check_number(answer, 0.0694, decimals=3).correct
    assert check_number(0.069, 0.0694, decimals=3).correct
    assert check_number(0.07, 0.0694, decimals=2).correct
    assert check_number(-1.1, -1.0986, decimals=1).correct
    assert check_number(50, 0.5, share=True, decimals=2).correct
    assert check_number(np.int64(330100), 330100).correct


@settings(max_examples=200, deadline=None)
@given(FINITE, st.integers(min_value=0, max_value=4), st.integers(min_value=0, max_value=3))
def test_any_rounding_to_the_stated_precision_or_finer_passes(x, decimals, finer):
    for form in (round(x, decimals + finer), np.float64(round(x, decimals + finer))):
        assert check_number(form, x, decimals=decimals).correct


@settings(max_examples=200, deadline=None)
@given(FINITE, st.integers(min_value=0, max_value=4), st.floats(min_value=0.6, max_value=1e3))
def test_answers_more_than_half_a_last_place_away_fail(x, decimals, units):
    step = 10.0 ** (-decimals)
    wrong = x + units * step
    assume(abs(wrong - x) > 0.5 * step * (1 + 1e-6))
    result = check_number(wrong, x, decimals=decimals)
    assert result.correct is False
    assert result.message.startswith(("Not quite", "Close"))


@settings(max_examples=200, deadline=None)
@given(SHARES, st.integers(min_value=2, max_value=4))
def test_a_share_passes_as_a_percentage_and_says_so(p, decimals):
    result = check_number(round(100 * p, decimals - 2), p, decimals=decimals, share=True)
    assert result.correct
    if abs(p) > 10.0 ** (-decimals):  # 0 % and 0 are the same answer: no note needed
        assert "percentage" in result.message or result.message == "Correct!"
    assert check_number(f"{100 * p:.3f}%", p, decimals=decimals, share=True).correct


def test_a_percentage_is_not_accepted_unless_a_share_is_asked():
    assert not check_number(50, 0.5, decimals=2).correct
    note = check_number(50, 0.5, decimals=2, share=True).message
    assert "percentage" in note and "0.5" in note


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=0.1, max_value=1e4), st.floats(min_value=1e-4, max_value=0.05))
def test_relative_tolerance(x, rel):
    assert check_number(x * (1 + 0.9 * rel), x, rel_tol=rel).correct
    assert not check_number(x * (1 + 1.5 * rel), x, rel_tol=rel).correct


def test_known_mistakes_get_their_own_explanation():
    mistakes = [
        (0.75, "that is the share without a tie."),
        (lambda v: v > 1, "a share cannot exceed 1."),
    ]
    r = check_number(0.75, 0.25, decimals=2, mistakes=mistakes, hint="p / (1 - p)")
    assert r.correct is False and "without a tie" in r.message
    r = check_number(3, 0.25, decimals=2, mistakes=mistakes)
    assert "cannot exceed" in r.message
    r = check_number(0.4, 0.25, decimals=2, mistakes=mistakes, hint="p / (1 - p)")
    assert "p / (1 - p)" in r.message


def test_a_sign_error_is_named():
    assert "sign" in check_number(1.0986, -1.0986, decimals=2).message


def test_close_but_too_coarse_is_named():
    r = check_number(0.1, 0.0694, decimals=3)
    assert r.correct is False and "Close" in r.message


@pytest.mark.parametrize("bad", [[1, 2], "lots", object(), float("nan"), float("inf"), True])
def test_unreadable_or_nonfinite_answers_fail_without_raising(bad):
    result = check_number(bad, 0.5, decimals=2, hint="read the table.")
    assert result.correct is False
    assert "read the table" in result.message


@pytest.mark.parametrize("blank", [None, ...])
def test_blank_answers_are_not_answered_yet(blank):
    assert check_number(blank, 1.0).correct is None
    assert check_text(blank, "a").correct is None
    assert check_choice(blank, {"a": "x"}, "a").correct is None


# ------------------------------------------------------------------------------ check_text
@pytest.mark.parametrize(
    "form", ["Model 3", "model 3", "MODEL3", " model-3. ", "3", 3, np.int64(3), 3.0, ["3"]]
)
def test_text_matches_ignore_case_space_punctuation_and_accept_numbers(form):
    assert check_text(form, ["3", "Model 3"]).correct


def test_text_accents_and_synonyms():
    assert check_text("Hangzhou", ["Hángzhōu"]).correct
    assert check_text("Increases", ["rises", "increases", "goes up"]).correct
    assert check_text(pd.Series(["triangle"]), ["triangle", "triangles"]).correct
    assert check_text("杭州市", ["杭州市", "Hangzhou"]).correct


def test_text_wrong_answers_get_their_mistake_or_the_hint():
    r = check_text("falls", ["rises"], mistakes={"falls": "read the slope again."}, hint="h")
    assert r.correct is False and "slope" in r.message
    r = check_text("flat", ["rises"], hint="compare the ends")
    assert r.correct is False and "compare the ends" in r.message
    assert check_text("", ["rises"]).correct is None


@given(st.text(alphabet=st.characters(categories=("Lu", "Ll", "Nd")), min_size=1, max_size=12))
def test_text_forms_of_any_word_pass(word):
    assume(normalise_text(word))
    check = TextCheck([word])
    for form in check.right_forms():
        assert check(form).correct


# ---------------------------------------------------------------------------- check_choice
OPTIONS = {"a": "No: that is the primary-care coefficient.", "b": "Yes.", "c": "No: AIC."}


@pytest.mark.parametrize("form", ["b", "B", "(b)", "b)", " b. ", "[B]", "Option b"[-1]])
def test_choice_accepts_the_label_in_any_dress(form):
    assert check_choice(form, OPTIONS, "b").correct


def test_choice_accepts_the_option_text_and_explains_each_wrong_option():
    texts = {"a": "It falls", "b": "It rises", "c": "It stays flat"}
    assert check_choice("it rises", OPTIONS, "b", texts=texts).correct
    for label in ("a", "c"):
        r = check_choice(label.upper(), OPTIONS, "b", texts=texts)
        assert r.correct is False
        assert OPTIONS[label].split(": ", 1)[-1].lower() in r.message.lower()
    r = check_choice("d", OPTIONS, "b")
    assert r.correct is False and "a, b, c" in r.message


# ---------------------------------------------------------------------- check objects, book
@settings(max_examples=100, deadline=None)
@given(FINITE, st.integers(min_value=0, max_value=4), st.booleans())
def test_number_check_right_forms_all_pass(x, decimals, share):
    if share:
        x = abs(x) / (1 + abs(x))
    check = NumberCheck(x, decimals=decimals, share=share)
    for form in check.right_forms():
        assert check(form).correct, form


def test_number_check_evaluates_a_lazy_expected_once():
    calls = []

    def expensive():
        calls.append(1)
        return 2.5

    check = NumberCheck(expensive, decimals=1)
    assert check(2.5).correct and check(2.54).correct and not check(2.7).correct
    assert calls == [1]


def test_choice_check_wrong_forms_cover_every_wrong_option():
    check = ChoiceCheck(OPTIONS, "b")
    wrong = check.wrong_forms()
    assert [w for w, _ in wrong] == ["a", "c", "none of them"]
    for answer, fragment in wrong:
        r = check(answer)
        assert r.correct is False and fragment in r.message


def _book() -> ExerciseBook:
    book = ExerciseBook("99_demo")
    book.add(
        Exercise(
            1,
            "Log-odds of a tie at density 0.25, to two decimals?",
            NumberCheck(math.log(1 / 3), decimals=2, mistakes=[(0.25, "that is the density.")]),
            answer=lambda: round(math.log(1 / 3), 4),
            reasoning="log(0.25 / 0.75) = log(1/3).",
            hint="log(p / (1 - p)).",
            wrong_answers=[(0.25, "density"), (1.0986, "sign"), (0.0, "Hint")],
        )
    )
    book.add(
        Exercise(
            2,
            "Give me a frame with a 'count' column.",
            lambda df: CheckResult(bool("count" in df.columns), "ok" if "count" in df else "no"),
            answer="flows = movers.groupby(['origin', 'destination']).size()",
            reasoning="groupby then size.",
            hint="groupby.",
            right_forms=[lambda: pd.DataFrame({"count": [1]})],
            wrong_answers=[(pd.DataFrame({"n": [1]}), "no"), (3, "could not read")],
        )
    )
    return book


def test_book_checks_hints_and_shows(capsys, monkeypatch):
    monkeypatch.delenv("MEDKIT_HIDE_ANSWERS", raising=False)
    book = _book()
    assert [e.number for e in book.exercises] == [1, 2]
    assert book.check(1, np.float64(-1.1)).correct
    assert "density" in book.check(1, 0.25).message
    assert book.check(1, ...).correct is None
    assert "no exercise 5" in book.check(5, 1).message
    # a check that raises on an odd answer still returns a result
    r = book.check(2, 3)
    assert r.correct is False and "could not read" in r.message and "groupby" in r.message
    book.hint(1)
    assert "log(p / (1 - p))" in capsys.readouterr().out
    book.show(1)
    out = capsys.readouterr().out
    assert "-1.0986" in out and "log(1/3)" in out
    book.show(2)
    assert "groupby" in capsys.readouterr().out


def test_show_refuses_in_the_student_edition_unless_instructor(capsys, monkeypatch):
    monkeypatch.setenv("MEDKIT_HIDE_ANSWERS", "1")
    book = _book()
    book.show(1)
    out = capsys.readouterr().out
    assert "-1.0986" not in out and "hint(1)" in out
    book.show(1, instructor=True)
    assert "-1.0986" in capsys.readouterr().out


def test_book_refuses_duplicate_numbers():
    book = _book()
    with pytest.raises(ValueError, match="already has an exercise 1"):
        book.add(book[1])


def test_exercise_collects_forms_from_its_check_and_its_extras():
    book = _book()
    forms = book[1].all_right_forms()
    assert any(isinstance(f, pd.Series) for f in forms)
    assert all(book.check(1, f).correct for f in forms)
    for answer, fragment in book[1].all_wrong_answers():
        r = book.check(1, answer)
        assert r.correct is False and fragment in r.message
    for answer, fragment in book[2].all_wrong_answers():
        assert fragment in book.check(2, answer).message


def test_check_value_keeps_working_with_series():
    assert check_value(pd.Series([0.5]), 0.5).correct
    assert check_value(np.int64(3), 3).correct
    assert check_value("Medici", "medici").correct
    assert not check_value("x", 0.5).correct


def test_no_public_answer_functions_in_the_exercise_modules():
    """A learner's tab completion on ``solutions.`` offers check, hint, show and the exercise
    helpers, never a function that returns an answer (those are private: ``_answer_*``)."""
    import importlib
    import pkgutil

    import medkit.solutions as package

    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"medkit.solutions.{info.name}")
        public = [n for n in dir(module) if not n.startswith("_")]
        assert not [n for n in public if n.startswith("answer")], info.name
