"""Regenerate every lesson notebook from its .py source and execute it in place.

Usage (normally through ``./kit notebooks``)::

    python tools/build_lessons.py                 # every lessons/*.py
    python tools/build_lessons.py 02_ergm_intuition  # one lesson (name or path)

The .py (jupytext percent format) is the source; the .ipynb is written from it, executed
with a fresh kernel in ``lessons/`` and saved with its outputs, without timing metadata,
so that nbval can compare them and diffs stay small.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"


def lesson_sources(names: list[str]) -> list[Path]:
    if not names:
        return sorted(p for p in LESSONS.glob("[0-9][0-9]_*.py"))
    found = []
    for name in names:
        stem = Path(name).stem
        path = LESSONS / f"{stem}.py"
        if not path.exists():
            raise SystemExit(f"no lesson source {path}")
        found.append(path)
    return found


def build(source: Path) -> float:
    notebook = jupytext.read(source)
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    start = time.perf_counter()
    client = NotebookClient(
        notebook,
        timeout=900,
        kernel_name="python3",
        resources={"metadata": {"path": str(LESSONS)}},
        record_timing=False,
    )
    client.execute()
    elapsed = time.perf_counter() - start
    for index, cell in enumerate(notebook.cells):
        cell.metadata.pop("execution", None)
        cell.id = f"cell-{index:03d}"  # stable ids keep diffs to what changed
    # keep the pairing information jupytext needs to sync the two files
    notebook.metadata.setdefault("jupytext", {})["formats"] = "ipynb,py:percent"
    nbformat.write(notebook, source.with_suffix(".ipynb"))
    return elapsed


def main(argv: list[str]) -> int:
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for source in lesson_sources(argv):
        print(f"building {source.relative_to(ROOT)} ...", flush=True)
        elapsed = build(source)
        print(f"  executed in {elapsed:.1f} s -> {source.with_suffix('.ipynb').name}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
