"""`./kit lab` and Binder set the same JupyterLab defaults, from one file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "binder" / "jupyterlab-overrides.json"
SCRIPT = ROOT / "binder" / "install_lab_settings.py"
TARGET = Path("etc", "jupyter", "labconfig", "default_setting_overrides.json")


def test_the_one_source_opens_py_as_notebooks_and_turns_off_the_news():
    settings = json.loads(SOURCE.read_text())
    viewers = settings["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["python"] == "Jupytext Notebook"
    news = settings["@jupyterlab/apputils-extension:notification"]
    assert news == {"fetchNews": "false", "checkForUpdates": False}


def test_kit_lab_and_binder_postbuild_both_call_the_installer():
    kit = (ROOT / "kit").read_text()
    lab = kit[kit.index("    lab)") : kit.index(";;", kit.index("    lab)"))]
    assert "binder/install_lab_settings.py" in lab
    assert lab.index("install_lab_settings") < lab.index('jupyter" lab')
    postbuild = (ROOT / "binder" / "postBuild").read_text()
    assert "python binder/install_lab_settings.py" in postbuild
    # no second copy of the settings anywhere
    assert "defaultViewers" not in postbuild and "defaultViewers" not in kit


def test_installer_writes_and_merges_the_settings(tmp_path):
    target = tmp_path / TARGET
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps({"other:plugin": {"x": 1},
                                  "@jupyterlab/docmanager-extension:plugin": {"y": 2}}))  # fmt: skip
    run = subprocess.run([sys.executable, str(SCRIPT), "--prefix", str(tmp_path)],
                         capture_output=True, text=True, check=True)  # fmt: skip
    assert "open as notebooks" in run.stdout
    written = json.loads(target.read_text())
    assert written["other:plugin"] == {"x": 1}  # what was there is kept
    assert written["@jupyterlab/docmanager-extension:plugin"]["y"] == 2
    source = json.loads(SOURCE.read_text())
    for plugin, values in source.items():
        for key, value in values.items():
            assert written[plugin][key] == value
    # idempotent: a second run gives the same file
    subprocess.run([sys.executable, str(SCRIPT), "--prefix", str(tmp_path), "--quiet"], check=True)
    assert json.loads(target.read_text()) == written


def test_jupyterlab_reads_the_installed_file_as_defaults(tmp_path):
    target = tmp_path / TARGET
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps({"medkit-test:marker": {"here": True}}))  # proves which file
    subprocess.run([sys.executable, str(SCRIPT), "--prefix", str(tmp_path), "--quiet"], check=True)
    code = (
        "import json; from jupyterlab_server.settings_utils import _get_overrides; "
        f"print(json.dumps(_get_overrides({str(tmp_path / 'empty')!r})[0]))"
    )
    env = dict(os.environ, JUPYTER_CONFIG_PATH=str(tmp_path / "etc" / "jupyter"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env)  # fmt: skip
    overrides = json.loads(out.stdout)
    assert overrides["medkit-test:marker"] == {"here": True}
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    viewers = overrides["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers == {"python": "Jupytext Notebook"}
