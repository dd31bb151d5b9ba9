"""Build hook: ship the repository's ``datasets/`` inside the wheel as ``medkit/_datasets``.

``datasets/`` stays the one home of the data in a checkout (``./kit data`` writes it, editable
installs read it there); a built wheel carries a copy as package data, which
``medkit.data._paths`` finds with ``importlib.resources``. Everything else is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class build_py_with_datasets(build_py):
    """The usual build_py, then datasets/ copied to <build>/medkit/_datasets (not in editable mode)."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        source = HERE / "datasets"
        target = Path(self.build_lib) / "medkit" / "_datasets"
        if target.exists():
            shutil.rmtree(target)
        ignore = shutil.ignore_patterns("__pycache__", "*.py[co]", ".*")
        shutil.copytree(source, target, ignore=ignore)


setup(cmdclass={"build_py": build_py_with_datasets})
