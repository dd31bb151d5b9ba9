"""INSTRUCTORS.md's run times come from the lesson benchmark; a stale document fails here."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests._tools import load_tool

instructors = load_tool("instructors")
ROOT = Path(__file__).resolve().parents[1]


def test_instructors_md_is_current():
    found = instructors.problems()
    assert not found, "; ".join(found)


def test_readme_links_the_instructor_guide():
    assert "(INSTRUCTORS.md)" in (ROOT / "README.md").read_text()


def test_a_changed_measurement_makes_the_document_stale(tmp_path: Path):
    doc = tmp_path / "INSTRUCTORS.md"
    shutil.copy(instructors.DOC, doc)
    times = tmp_path / "lesson_times.csv"
    text = instructors.CSV.read_text().splitlines()
    header, first = text[0].split(","), text[1].split(",")
    first[header.index("wall_s")] = str(float(first[header.index("wall_s")]) + 17.0)
    times.write_text("\n".join([text[0], ",".join(first), *text[2:]]) + "\n")
    found = instructors.problems(doc, times)
    assert any("stale" in p for p in found)


def test_an_unmeasured_lesson_is_reported(tmp_path: Path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    for source in sorted(instructors.LESSONS.glob("[0-9][0-9]_*.py")):
        (lessons / source.name).write_text("")
    (lessons / "99_new_lesson.py").write_text("")
    found = instructors.problems(instructors.DOC, instructors.CSV, lessons)
    assert any("99_new_lesson" in p and "bench_lessons.py" in p for p in found)


def test_every_lesson_has_objectives_and_notes():
    text = instructors.DOC.read_text()
    for name in instructors.lesson_names():
        assert f"`{name}`" in text, f"INSTRUCTORS.md does not cover {name}"
    for heading in ("Learning objectives", "Tracks", "Pre-workshop checklist", "Misconceptions"):
        assert heading.lower() in text.lower()
