"""./kit check: one line per item, OK or what to do, non-zero exit on any failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests._tools import load_tool

check_env = load_tool("check_env")
ROOT = Path(__file__).resolve().parents[1]

PYPROJECT = """
[project]
name = "demo"
requires-python = ">=3.11"
dependencies = ["numpy>=1.26", "medkit-absent-package>=1.0"]

[project.optional-dependencies]
test = ["pytest>=8"]
extra = ["another-absent-package>=2"]
"""


def test_a_missing_dependency_fails_with_what_to_do(tmp_path: Path, capsys):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(PYPROJECT)
    code = check_env.main(["--pyproject", str(pyproject), "--skip-lessons", "--skip-kernels"])
    out = capsys.readouterr().out
    assert code == 1
    assert "OK    numpy:" in out and "OK    pytest:" in out
    line = next(x for x in out.splitlines() if "medkit-absent-package" in x)
    assert line.startswith("FAIL  medkit-absent-package: not installed (needs >=1.0)")
    assert "pip install" in line
    # an absent package of an optional extra is not a failure
    assert "OK    another-absent-package: optional, not installed" in out
    assert "1 of " in out and "checks failed" in out


def test_a_dependency_that_cannot_be_imported_fails(monkeypatch):
    monkeypatch.setitem(sys.modules, "seaborn", None)  # importing it now raises ImportError
    item = check_env.check_dependency("seaborn>=0.13")
    assert not item.ok
    assert "`import seaborn` fails" in item.detail and "--force-reinstall" in item.detail


def test_an_incompatible_version_fails():
    item = check_env.check_dependency("numpy>=999")
    assert not item.ok and "is not compatible (needs >=999)" in item.detail


def test_python_version_is_checked():
    assert check_env.check_python(">=3.11").ok
    old = check_env.check_python(">=99")
    assert not old.ok and "too old" in old.detail


def test_version_specifiers_without_packaging():
    assert check_env._version_tuple("2.4.6rc1") == (2, 4, 6)
    assert check_env.split_requirement("pandas[excel] >= 2.1 ; python_version>'3'") == (
        "pandas",
        ">= 2.1",
    )
    assert check_env.satisfies("2.4.6", ">=1.26,<3")
    assert not check_env.satisfies("1.20.0", ">=1.26")


def test_this_environment_has_every_dependency(capsys):
    code = check_env.main(["--skip-lessons", "--skip-kernels"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "FAIL" not in out
    assert "all " in out and "checks passed" in out


def test_memory_and_disk_report_what_to_do():
    assert check_env.check_disk().ok
    low = check_env.check_memory(minimum=1e9)
    assert not low.ok and "close other programs" in low.detail


def test_lesson_first_cells(tmp_path: Path):
    assert check_env.check_lesson("00_start_here", cells=2).ok
    (tmp_path / "99_broken.py").write_text(
        "# %%\nprint('fine')\n\n# %%\nraise RuntimeError('no data here')\n"
    )
    item = check_env.check_lesson("99_broken", cells=3, lessons=tmp_path)
    assert not item.ok
    assert "RuntimeError: no data here" in item.detail


@pytest.mark.slow
def test_kernels_compile_when_missing_then_load_from_the_cache(tmp_path: Path):
    """With an empty numba cache the check compiles the kernels; a second run loads them."""
    script = (
        "import sys; sys.path.insert(0, 'tools'); import check_env; "
        "print(check_env.check_kernels().line())"
    )
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba")}

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    first, second = run(), run()
    assert first.startswith("OK    compiled kernels:") and "compiled now" in first, first
    assert "loaded from the cache" in second and "compiled now" not in second, second
