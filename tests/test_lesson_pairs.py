"""Every lesson is a pair: the .py source and an .ipynb generated from it, in sync."""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest

LESSONS = Path(__file__).resolve().parents[1] / "lessons"
SOURCES = sorted(LESSONS.glob("[0-9][0-9]_*.py"))
NOTEBOOKS = sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))


def cells_of(path: Path) -> list[tuple[str, str]]:
    notebook = jupytext.read(path)
    return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]


def out_of_sync_cells(source: Path, notebook: Path) -> list[int]:
    """Indices of cells whose type or source differ between a .py and its .ipynb."""
    left, right = cells_of(source), cells_of(notebook)
    differing = [i for i, (a, b) in enumerate(zip(left, right, strict=False)) if a != b]
    if len(left) != len(right):
        differing.append(min(len(left), len(right)))
    return differing


def test_there_are_lessons():
    assert SOURCES, "no lessons/NN_*.py found"
    assert (LESSONS / "00_start_here.py") in SOURCES


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_every_source_has_a_notebook(source: Path):
    notebook = source.with_suffix(".ipynb")
    assert notebook.exists(), f"{source.name} has no paired {notebook.name}: run ./kit notebooks"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_has_a_source(notebook: Path):
    assert notebook.with_suffix(".py").exists(), f"{notebook.name} has no .py source"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_pair_in_sync(source: Path):
    notebook = source.with_suffix(".ipynb")
    if not notebook.exists():
        pytest.skip("reported by test_every_source_has_a_notebook")
    differing = out_of_sync_cells(source, notebook)
    assert not differing, (
        f"{source.name} and {notebook.name} differ at cell(s) {differing}: "
        f"run ./kit notebooks {source.stem}"
    )


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_notebook_was_executed(source: Path):
    notebook = source.with_suffix(".ipynb")
    if not notebook.exists():
        pytest.skip("reported by test_every_source_has_a_notebook")
    nb = nbformat.read(notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    unexecuted = [i for i, c in enumerate(code) if c.get("execution_count") is None]
    assert not unexecuted, f"{notebook.name}: code cells {unexecuted} not executed"
    errors = [
        i for i, c in enumerate(code) for o in c.get("outputs", []) if o.output_type == "error"
    ]
    assert not errors, f"{notebook.name}: code cells {errors} stored an error"


def test_sync_check_detects_an_edit(tmp_path: Path):
    """The check above can fail: an edited copy of a lesson is reported out of sync."""
    source = LESSONS / "00_start_here.py"
    edited = tmp_path / source.name
    edited.write_text(source.read_text() + "\n# %%\nprint('an extra cell')\n")
    (tmp_path / "00_start_here.ipynb").write_bytes(source.with_suffix(".ipynb").read_bytes())
    assert out_of_sync_cells(edited, tmp_path / "00_start_here.ipynb")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_lesson_follows_the_template(source: Path):
    text = source.read_text()
    assert "**Goal:**" in text, f"{source.name}: state the goal"
    assert "setup_lesson()" in text, f"{source.name}: call setup_lesson() first"
    assert "## Exercises" in text, f"{source.name}: needs exercises"
    assert "medkit.solutions" in text, f"{source.name}: exercises need checks"
    assert "widget" in text.lower(), f"{source.name}: needs at least one widget"
    assert "## Summary" in text and "## Further reading" in text
