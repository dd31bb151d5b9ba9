"""./kit student: the student edition drops instructor notes and leaks no worked answer."""

from __future__ import annotations

import importlib
import inspect
import json
import math
import pkgutil
import re
import warnings
from pathlib import Path

import jupytext
import nbformat
import pytest

import medkit.solutions
from medkit.solutions._checks import ExerciseBook
from tests._tools import load_tool

editions = load_tool("editions")
LESSONS = Path(__file__).resolve().parents[1] / "lessons"
SOURCES = sorted(LESSONS.glob("[0-9][0-9]_*.py"))


def lesson_of_module(name: str) -> str | None:
    found = [p.stem for p in SOURCES if p.stem[3:] == name]
    return found[0] if found else None


def answers() -> list[tuple[str, str, object]]:
    """(lesson, where, value) for every worked answer: ExerciseBooks and answer_ functions."""
    found = []
    for info in pkgutil.iter_modules(medkit.solutions.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"medkit.solutions.{info.name}")
        lesson = lesson_of_module(info.name)
        if lesson is None:
            continue
        for value in vars(module).values():
            if isinstance(value, ExerciseBook):
                for exercise in value.exercises:
                    where = f"exercise {exercise.number}"
                    found.append((lesson, where, exercise.worked_answer()))
                    found.append((lesson, f"{where} reasoning", exercise.reasoning))
        for name, function in vars(module).items():
            if not (name.startswith("answer_") and inspect.isfunction(function)):
                continue
            parameters = inspect.signature(function).parameters.values()
            if any(p.default is inspect.Parameter.empty for p in parameters):
                continue  # needs an object the lesson builds; covered by the book's answer
            found.append((lesson, name, function()))
    return found


def distinctive_forms(value) -> list[str]:
    """Spellings of an answer that would not turn up by chance (short values are skipped)."""
    if isinstance(value, dict):
        return [f for v in value.values() for f in distinctive_forms(v)]
    if isinstance(value, list | tuple):
        return [f for v in value for f in distinctive_forms(v)]
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int) and not isinstance(value, bool):
        return [str(value)] if abs(value) >= 1000 else []
    if isinstance(value, float) or hasattr(value, "dtype"):
        number = float(value)
        if not math.isfinite(number):
            return []
        forms = {f"{number:.4f}", f"{number:.3f}", f"{number:.4g}", f"{number:.3g}"}
        # at least three significant digits, else the spelling turns up anywhere
        return sorted(f for f in forms if len(re.sub(r"^[-0.]+|\D", "", f)) >= 3)
    text = " ".join(str(value).split())
    try:  # a worked answer given as formatted text, e.g. "1.603"
        return distinctive_forms(float(text.replace(",", "")))
    except ValueError:
        pass
    return [text[:80]] if len(text) >= 12 else []


def visible_text(path: Path, *, before_exercises: bool = False) -> str:
    """Sources and text outputs of a notebook (no image data, where digits occur by chance);
    with ``before_exercises``, only the teaching cells before the ``## Exercises`` heading."""
    notebook = nbformat.read(path, as_version=4)
    parts = []
    for cell in notebook.cells:
        if before_exercises and cell.cell_type == "markdown" and "## Exercises" in cell.source:
            break
        parts.append(cell.source)
        for output in cell.get("outputs", []):
            parts.append(str(output.get("text", "")))
            for mime, data in output.get("data", {}).items():
                if not mime.startswith("image/"):
                    parts.append(data if isinstance(data, str) else json.dumps(data))
    return " ".join(" ".join(parts).split())


def question_text(lesson: str) -> str:
    """The lesson's markdown (questions may name the options an answer picks from)."""
    notebook = jupytext.read(LESSONS / f"{lesson}.py")
    return " ".join(" ".join(c.source for c in notebook.cells if c.cell_type == "markdown").split())


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("student")
    editions.write_student_edition(out, echo=lambda *_: None)
    return out


@pytest.mark.slow
def test_student_edition_leaks_no_answer(edition: Path):
    """Grep the student edition for every worked answer's distinctive spellings.

    A value the lesson's own teaching sections print before its exercises (a number the
    exercise asks the learner to find again) is the lesson's content, not a leak of the
    edition: it is reported as a warning for the lesson's author, not failed here.
    """
    checked, leaks, taught = 0, [], []
    for lesson, where, value in answers():
        page = visible_text(edition / f"{lesson}.ipynb")
        teaching = visible_text(LESSONS / f"{lesson}.ipynb", before_exercises=True)
        questions = question_text(lesson)
        for form in distinctive_forms(value):
            if form in questions:
                continue  # the question itself names it (an option to choose from)
            checked += 1
            if form in teaching:
                taught.append(f"{lesson} {where}: {form!r}")
            elif form in page:
                leaks.append(f"{lesson} {where}: {form!r}")
    if taught:
        warnings.warn(
            "answers the lessons print before their exercises: " + "; ".join(taught), stacklevel=1
        )
    assert checked > 0
    assert not leaks, leaks


@pytest.mark.slow
def test_the_leak_check_can_fail(edition: Path, tmp_path: Path):
    """The instructor edition prints worked answers where the student edition must not."""
    lesson, where, value = next(
        (lesson, where, value)
        for lesson, where, value in answers()
        if distinctive_forms(value) and "reasoning" not in where
    )
    notebook = nbformat.read(edition / f"{lesson}.ipynb", as_version=4)
    form = distinctive_forms(value)[0]
    notebook.cells.append(nbformat.v4.new_markdown_cell(f"The answer is {form}."))
    nbformat.write(notebook, tmp_path / f"{lesson}.ipynb")
    assert form in visible_text(tmp_path / f"{lesson}.ipynb")


def test_student_edition_drops_instructor_notes_and_hides_answers(edition: Path):
    for source in SOURCES:
        notebook = nbformat.read(edition / f"{source.stem}.ipynb", as_version=4)
        tags = [t for c in notebook.cells for t in c.metadata.get("tags", [])]
        assert editions.INSTRUCTOR_TAG not in tags, source.stem
        code = [c for c in notebook.cells if c.cell_type == "code"]
        assert 'os.environ["MEDKIT_HIDE_ANSWERS"] = "1"' in code[0].source
        assert not [c for c in code if editions.REVEALS.search(c.source)], source.stem


def test_show_declines_in_the_student_edition(monkeypatch, capsys):
    book = ExerciseBook("99_demo")
    from medkit.solutions._checks import Exercise, NumberCheck

    book.add(Exercise(1, "2 + 2?", NumberCheck(4), 4, "Two and two make four.", "add."))
    monkeypatch.setenv("MEDKIT_HIDE_ANSWERS", "1")
    book.show(1)
    assert "four" not in capsys.readouterr().out


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_each_lesson_has_an_instructor_note_after_its_title(source: Path):
    cells = jupytext.read(source).cells
    notes = [
        i for i, c in enumerate(cells) if editions.INSTRUCTOR_TAG in c.metadata.get("tags", [])
    ]
    assert notes and notes[0] == 1, f"{source.name}: instructor note right after the title cell"
    assert len(notes) <= 2, f"{source.name}: at most two instructor notes"
    assert all(cells[i].cell_type == "markdown" for i in notes)
