"""Write the student edition of the lessons (``./kit student OUT``).

The lessons in ``lessons/`` are the instructor edition: they carry short instructor notes
(markdown cells tagged ``instructor``) and ``solutions.show(n)`` prints a worked answer on
request. The student edition, written to ``OUT/`` as executed notebooks with their figures:

- drops every instructor-note cell;
- drops every code cell that prints a worked answer (calls to ``solutions.show`` or to an
  ``answer_...`` function) and the short markdown cell introducing it;
- clears any other output of an exercise cell that is not the "not answered yet" message;
- adds, as its first code cell (collapsed), ``os.environ["MEDKIT_HIDE_ANSWERS"] = "1"``, so
  that ``solutions.show(n)`` declines to reveal an answer (``solutions.hint(n)`` still helps).

Why a cell and not the kernel's environment: a notebook carries it wherever it is opened
(JupyterLab, Binder, VS Code, Colab, a single file e-mailed to a student) with nothing to
install; a kernelspec with the variable set would have to be installed on every machine. The
cell hides answers from a learner who wants them hidden; it is not a lock (a learner can delete
it, or call ``show(n, instructor=True)``), as answers in an open kit never are.

    python tools/editions.py OUT [--lessons 00_start_here ...]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
INSTRUCTOR_TAG = "instructor"
STUDENT_TAG = "student-edition"
HIDE_CELL = (
    "# Student edition: worked answers stay hidden; solutions.hint(n) still gives a hint.\n"
    "import os\n"
    "\n"
    'os.environ["MEDKIT_HIDE_ANSWERS"] = "1"'
)
REVEALS = re.compile(r"\bsolutions\.(?:show\s*\(|answer_\w*\s*\()|\.worked_answer\s*\(")
NOT_ANSWERED = "Not answered yet"
README = """# medkit lessons: student edition

These notebooks are the medkit lessons without instructor notes and worked answers. Run them
with the kit installed (`./kit lab` in a clone, or Binder). Each exercise has a check:
replace the `...` with your answer and run the cell. Stuck? `solutions.hint(n)` gives a hint;
your instructor has the worked answers.

The mobility datasets are synthetic twins and the referral results synthetic model output:
they teach the method, they are not evidence about China.
"""


def _outputs_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if "text" in output:
            parts.append(str(output["text"]))
        for value in output.get("data", {}).values():
            parts.append(value if isinstance(value, str) else str(value))
    return "\n".join(parts)


def student_notebook(notebook):
    """Return the student edition of one lesson notebook (the argument is changed in place)."""
    kept = []
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if INSTRUCTOR_TAG in tags:
            continue
        if cell.cell_type == "code" and REVEALS.search(cell.source):
            # the markdown cell that only introduces the worked answers goes with them
            if kept and kept[-1].cell_type == "markdown" and len(kept[-1].source) < 200:
                if re.search(r"answer", kept[-1].source, flags=re.I):
                    kept.pop()
            continue
        if cell.cell_type == "code" and "solutions" in cell.source:
            text = _outputs_text(cell)
            if text and NOT_ANSWERED not in text:
                cell.outputs = []
                cell.execution_count = None
        kept.append(cell)
    first_code = next((i for i, c in enumerate(kept) if c.cell_type == "code"), len(kept))
    hide = nbformat.v4.new_code_cell(HIDE_CELL)
    hide.metadata["tags"] = [STUDENT_TAG]
    hide.metadata["jupyter"] = {"source_hidden": True}
    hide.outputs = []
    hide.execution_count = None
    kept.insert(first_code, hide)
    for index, cell in enumerate(kept):
        cell.id = f"cell-{index:03d}"
    notebook.cells = kept
    notebook.metadata.pop("jupytext", None)  # a single notebook, not a pair
    return notebook


def write_student_edition(out: Path, lessons: list[str] | None = None, echo=print) -> list[Path]:
    """Write the student edition of the lessons into ``out``; return the notebooks written."""
    stems = lessons or sorted(p.stem for p in LESSONS.glob("[0-9][0-9]_*.ipynb"))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for stem in stems:
        source = LESSONS / f"{stem}.ipynb"
        if not source.exists():
            raise SystemExit(f"no executed notebook {source}: run ./kit notebooks {stem}")
        notebook = student_notebook(nbformat.read(source, as_version=4))
        target = out / source.name
        nbformat.write(notebook, target)
        written.append(target)
        echo(f"  {target.name}")
    (out / "README.md").write_text(README)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the student edition into")
    parser.add_argument("--lessons", nargs="*", help="lessons to include (default: all)")
    args = parser.parse_args(argv)
    if args.out.resolve() == LESSONS.resolve():
        raise SystemExit("OUT must not be lessons/ itself (that is the instructor edition)")
    print(f"writing the student edition to {args.out} ...")
    written = write_student_edition(args.out, args.lessons)
    print(f"{len(written)} lessons written; answers hidden (MEDKIT_HIDE_ANSWERS=1 in each)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
