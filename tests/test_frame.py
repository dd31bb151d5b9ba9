"""The frame: CI runs the README's test command; environment files track pyproject.toml."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def runtime_dependencies() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [re.split(r"[<>=!~ \[;]", dep, maxsplit=1)[0].lower() for dep in project["dependencies"]]


def yaml_packages(path: Path) -> dict[str, str]:
    """Package name -> version spec from a conda environment file (conda and pip sections)."""
    packages = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^\s*-\s+([A-Za-z0-9_.\-]+)\s*(.*)$", line)
        if match and match.group(1) != "pip:":
            packages[match.group(1).lower()] = match.group(2).strip()
    return packages


def test_environment_yml_has_every_runtime_dependency():
    packages = yaml_packages(ROOT / "environment.yml")
    missing = [d for d in runtime_dependencies() if d not in packages]
    assert not missing, f"environment.yml lacks {missing} from pyproject.toml"


def test_binder_environment_has_every_runtime_dependency_pinned_exactly():
    packages = yaml_packages(ROOT / "binder" / "environment.yml")
    missing = [d for d in runtime_dependencies() if d not in packages]
    assert not missing, f"binder/environment.yml lacks {missing} from pyproject.toml"
    loose = [d for d in runtime_dependencies() if not packages[d].startswith("==")]
    assert not loose, f"binder/environment.yml must pin exactly (==): {loose}"
    text = (ROOT / "binder" / "environment.yml").read_text()
    assert "-e ." not in text and "file:" not in text, "no local references in binder env"


def test_binder_postbuild_installs_the_kit_without_dependencies():
    text = (ROOT / "binder" / "postBuild").read_text()
    assert "set -e" in text
    assert "pip install --no-deps -e ." in text
    assert "binder/install_lab_settings.py" in text  # Jupytext viewer, shared with ./kit lab


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"^(\./kit \w+)\s+# runs every test", readme, flags=re.M)
    assert commands == ["./kit test"]
    ci = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert ci[-1] == commands[0]


def test_kit_script_is_valid_bash():
    subprocess.run(["bash", "-n", str(ROOT / "kit")], check=True)
    subprocess.run(["bash", "-n", str(ROOT / ".ci" / "run")], check=True)


def test_medkit_never_evals_user_text():
    offenders = []
    for path in (ROOT / "medkit").rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"(^|[^.\w])(eval|exec)\(", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offenders, offenders


def test_medkit_never_imports_lessons():
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "medkit").rglob("*.py")
        if re.search(r"^\s*(from|import)\s+lessons\b", p.read_text(), flags=re.M)
    ]
    assert not offenders, offenders
