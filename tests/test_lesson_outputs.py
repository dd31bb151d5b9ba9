"""Committed notebooks of Lessons 00-05 show no worked answer before the learner asks, no raw
``Text(...)``/``interactive(...)`` repr and no stack trace; every figure has a description."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "lessons").glob("0[0-5]_*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _texts(output: dict) -> list[str]:
    """The text a reader sees of one output (a widget's own text fallback excluded)."""
    if output.get("output_type") == "stream":
        return ["".join(output.get("text", ""))]
    if output.get("output_type") == "error":
        return ["Traceback"]
    data = output.get("data", {})
    if WIDGET_VIEW in data:  # a live widget; its static preview is the widget code's job
        return []
    return ["".join(data.get(k, "")) for k in ("text/plain", "text/html", "text/markdown")]


def _source(cell: dict) -> str:
    return "".join(cell.get("source", ""))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_raw_reprs_or_tracebacks(path):
    for index, cell in enumerate(_cells(path)):
        for output in cell.get("outputs", []):
            for text in _texts(output):
                assert "Traceback" not in text, f"{path.name} cell {index}: a stack trace"
                assert not re.search(r"^Text\(", text, flags=re.M), (
                    f"{path.name} cell {index}: raw Text(...) repr; assign the return value"
                )
                assert not re.search(r"^interactive\(", text, flags=re.M), (
                    f"{path.name} cell {index}: raw interactive(...) repr"
                )
                assert not re.search(r"^\[<matplotlib\.|^<matplotlib\.", text, flags=re.M), (
                    f"{path.name} cell {index}: raw matplotlib repr; assign the return value"
                )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_worked_answer_is_shown_before_the_learner_asks(path):
    for index, cell in enumerate(_cells(path)):
        if cell["cell_type"] != "code":
            continue
        source = _source(cell)
        assert not re.search(r"solutions\.(show|hint)\(|\banswer_\w+\(", source), (
            f"{path.name} cell {index}: prints a worked answer or hint by default"
        )
        for output in cell.get("outputs", []):
            for text in _texts(output):
                assert not re.search(r"^Answer:|^Why:|^Hint for exercise", text, flags=re.M), (
                    f"{path.name} cell {index}: a worked answer in the committed output"
                )
        if re.search(r"solutions\.check\(", source):
            shown = " ".join(t for o in cell.get("outputs", []) for t in _texts(o))
            assert "Not answered yet" in shown and "Correct" not in shown, (
                f"{path.name} cell {index}: an exercise cell must ship unanswered"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_is_followed_by_a_one_sentence_description(path):
    cells = _cells(path)
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code" or "NBVAL_IGNORE_OUTPUT" in _source(cell):
            continue
        has_figure = any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        if not has_figure:
            continue
        following = cells[index + 1] if index + 1 < len(cells) else None
        assert following is not None and following["cell_type"] == "markdown", (
            f"{path.name} cell {index}: a figure needs a markdown description right after it"
        )
        assert _source(following).lstrip().startswith("*Figure:"), (
            f"{path.name} cell {index}: the description starts with '*Figure:'"
        )
