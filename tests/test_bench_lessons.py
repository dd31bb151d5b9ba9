"""The lesson benchmark runs a lesson from a fresh kernel, writes its CSV and leaves lessons alone.

No timing is asserted here (speed is measured by the benchmark, never by a unit test).
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location(
    "bench_lessons", ROOT / "benchmarks" / "bench_lessons.py"
)
bench_lessons = importlib.util.module_from_spec(spec)
sys.modules.setdefault("bench_lessons", bench_lessons)  # dataclasses look their module up
spec.loader.exec_module(bench_lessons)


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.slow
def test_benchmark_writes_its_csv_and_does_not_touch_the_lessons(tmp_path: Path, capsys):
    before = _digest(ROOT / "lessons")
    out = tmp_path / "times.csv"
    out.write_text(
        ",".join(bench_lessons.CSV_FIELDS)
        + "\n"
        + "01_edge_list_aggregation,ok,1,1,1,1,1,2,0,x,3\n"
    )
    assert bench_lessons.main(["00_start_here", "--csv", str(out)]) == 0
    assert _digest(ROOT / "lessons") == before
    rows = {row["lesson"]: row for row in csv.DictReader(out.open())}
    assert set(rows) == {"00_start_here", "01_edge_list_aggregation"}  # other rows are kept
    row = rows["00_start_here"]
    assert row["status"] == "ok"
    assert float(row["wall_s"]) > 0 and int(row["peak_rss_mib"]) > 50
    assert int(row["cores"]) >= 1 and row["load_1min_at_start"]
    assert "00_start_here" in capsys.readouterr().out


def test_an_unknown_lesson_is_refused():
    with pytest.raises(SystemExit, match="no lesson 99_nothing"):
        bench_lessons.lesson_paths(["99_nothing"])
