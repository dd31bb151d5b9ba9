"""A built wheel installs into a fresh environment and works there without the repository.

Offline: the wheel is built with the test environment's setuptools (no build isolation), and the
fresh virtual environment borrows the test environment's third-party packages through a ``.pth``
file, so nothing is downloaded. Only medkit itself comes from the wheel.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE_FILES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE",
                "THIRD_PARTY_NOTICES")  # fmt: skip

CHECK = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import medkit
    from medkit.data._paths import datasets_dir

    package = Path(medkit.__file__).resolve().parent
    assert Path(sys.prefix).resolve() in package.parents, package
    assert datasets_dir() == package / "_datasets", datasets_dir()

    import medkit.data as data
    import medkit.ergm as ergm
    from medkit.ergm.datasets import florentine_business, florentine_marriage
    from medkit.referral import ReferralParams, make_layout, run_evolution
    from medkit.referral.triage import load_paper_effects

    rows = {}
    for level in ("national", "zhejiang"):
        rows[f"cities_{level}"] = len(data.load_cities(level))
        rows[f"movers_{level}"] = len(data.load_movers(level))
        rows[f"flows_{level}"] = len(data.load_flows(level))
        rows[f"GeoProx_{level}"] = data.edge_covariates(level)["GeoProx"].shape[0]
    rows["florentine"] = florentine_marriage().number_of_edges()
    rows["florentine_business"] = florentine_business().number_of_edges()
    rows["paper_effects"] = len(load_paper_effects())
    net = data.mobility_network("zhejiang")
    fit = ergm.fit(net, "edges + nodeicov('HTH') + edgecov('GeoProx')",
                   edge_covariates=data.edge_covariates("zhejiang"))
    rows["ergm_HTH_positive"] = int(fit.params["nodeicov.HTH"] > 0)
    p = ReferralParams.small(days=5)
    run = run_evolution(make_layout(p, seed=1), p, seed=2)
    rows["referrals_positive"] = int(run.counters["referrals"] > 0)
    print(rows)
    """
)


def _clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEDKIT_", "PYTHON"))}
    env["PIP_NO_INDEX"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_checkout(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in SOURCE_FILES:
        shutil.copy2(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.py[co]", "*.nbi", "*.nbc")
    shutil.copytree(ROOT / "medkit", src / "medkit", ignore=ignore)
    shutil.copytree(ROOT / "datasets", src / "datasets", ignore=ignore)
    env = _clean_env()
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--wheel-dir", str(dist), str(src)],
        check=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    (wheel,) = dist.glob("medkit-*.whl")

    # the wheel carries every shipped dataset file, the manifest and the source geography
    manifest = (ROOT / "datasets" / "MANIFEST.sha256").read_text().splitlines()
    expected = {"medkit/_datasets/" + line.split("  ", 1)[1] for line in manifest}
    names = set(zipfile.ZipFile(wheel).namelist())
    assert expected | {"medkit/_datasets/MANIFEST.sha256"} <= names, expected - names
    assert "medkit/_datasets/geography/prefectures.csv" in names

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True, env=env,
    ).stdout.strip()  # fmt: skip
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "_borrowed_test_env.pth").write_text("\n".join(sorted(borrowed)) + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True, env=env, cwd=tmp_path,
    )  # fmt: skip

    out = subprocess.run(
        [str(python), "-c", CHECK], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr[-3000:]
    rows = ast.literal_eval(out.stdout.strip().splitlines()[-1])
    assert rows["cities_national"] == 288 and rows["cities_zhejiang"] == 88
    assert rows["GeoProx_national"] == 288 and rows["GeoProx_zhejiang"] == 88
    assert rows["movers_national"] > 100_000 and rows["flows_zhejiang"] > 1_000
    assert rows["florentine"] == 20 and rows["florentine_business"] == 15
    assert rows["paper_effects"] > 0
    assert rows["ergm_HTH_positive"] == 1 and rows["referrals_positive"] == 1
