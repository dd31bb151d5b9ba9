"""Every lesson's ExerciseBook: right answers pass in every reasonable form, wrong ones fail
with a hint that fits, and every exercise can show its worked answer."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import medkit.solutions
from medkit.solutions._checks import ChoiceCheck, ExerciseBook, NumberCheck, TextCheck

ROOT = Path(__file__).resolve().parents[1]
# Lessons 00-05 must each have a book; others (a lesson being rebuilt) are checked once they do.
REQUIRED = {
    re.sub(r"^\d\d_", "", p.stem): p.stem for p in sorted((ROOT / "lessons").glob("0[0-5]_*.py"))
}
MODULES = sorted(
    m.name for m in pkgutil.iter_modules(medkit.solutions.__path__) if not m.name.startswith("_")
)


def _book(module_name: str) -> ExerciseBook:
    module = importlib.import_module(f"medkit.solutions.{module_name}")
    book = getattr(module, "book", None)
    if not isinstance(book, ExerciseBook):
        if module_name in REQUIRED:
            pytest.fail(
                f"medkit.solutions.{module_name} (lesson {REQUIRED[module_name]}) has no book"
            )
        pytest.skip(f"medkit.solutions.{module_name} defines no ExerciseBook yet")
    return book


def _cases():
    for name in MODULES:
        module = importlib.import_module(f"medkit.solutions.{name}")
        book = getattr(module, "book", None)
        if isinstance(book, ExerciseBook):
            for ex in book.exercises:
                yield pytest.param(name, ex.number, id=f"{name}-{ex.number}")


def test_every_lesson_00_to_05_has_a_solutions_module():
    assert set(REQUIRED) <= set(MODULES), set(REQUIRED) - set(MODULES)


@pytest.mark.parametrize("module_name", MODULES)
def test_each_book_is_a_real_lesson_book(module_name):
    book = _book(module_name)
    module = importlib.import_module(f"medkit.solutions.{module_name}")
    assert (module.check, module.hint, module.show) == (book.check, book.hint, book.show)
    assert len(book.exercises) >= 2, "at least two checked exercises per lesson"
    kinds = [type(ex.check) for ex in book.exercises]
    assert ChoiceCheck in kinds, "at least one multiple-choice interpretation question"
    code = [
        ex
        for ex in book.exercises
        if not isinstance(ex.check, NumberCheck | TextCheck | ChoiceCheck)
    ]
    assert code, "at least one exercise whose check inspects an object the learner made"
    for ex in book.exercises:
        if isinstance(ex.check, NumberCheck):
            stated = re.search(r"decimal|significant|whole number|integer|exact", ex.prompt)
            assert stated, f"exercise {ex.number}: a numeric question states its precision"


@pytest.mark.slow
@pytest.mark.parametrize(("module_name", "number"), list(_cases()))
def test_right_forms_pass_and_wrong_answers_fail_with_a_fitting_hint(
    module_name, number, capsys, monkeypatch
):
    monkeypatch.delenv("MEDKIT_HIDE_ANSWERS", raising=False)
    book = _book(module_name)
    ex = book[number]
    forms = ex.all_right_forms()
    assert forms, "every exercise lists the forms of its right answer"
    for form in forms:
        shown = repr(form)[:80]
        result = book.check(number, form)
        assert result.correct is True, f"{shown} should pass: {result.message}"
    wrong = ex.all_wrong_answers()
    assert len(wrong) >= 3, "at least three wrong answers"
    for answer, fragment in wrong:
        shown = repr(answer)[:80]
        result = book.check(number, answer)
        assert result.correct is False, f"{shown} should fail"
        assert fragment in result.message, f"{shown}: {result.message!r} lacks {fragment!r}"
        assert len(result.message) > len("Not quite."), "a wrong answer gets an explanation"
    assert book.check(number, ...).correct is None
    book.show(number)
    out = capsys.readouterr().out
    assert f"Exercise {number}" in out and "Why:" in out
    book.hint(number)
    assert ex.hint in capsys.readouterr().out
