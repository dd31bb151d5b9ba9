"""Where the shipped datasets and the source geography live.

In a checkout (and an editable install) the data are the repository's ``datasets/`` folder. A
built wheel carries a copy of that folder as package data, ``medkit/_datasets``, found with
:mod:`importlib.resources`, so ``pip install .`` or a wheel works without the repository.
``$MEDKIT_DATASETS`` overrides both (a folder with the same files).
"""

from __future__ import annotations

import atexit
import contextlib
import os
from importlib import resources
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

PACKAGE_DATA = "_datasets"
"""Folder of ``medkit`` that a wheel's data are installed into (see ``setup.py``)."""

GEOGRAPHY = "geography"
"""Sub-folder of the datasets with the real source geography (input of the build)."""

_extracted: contextlib.ExitStack | None = None


def _package_datasets() -> Path | None:
    """``medkit/_datasets`` of an installed wheel, as a real folder, or None in a checkout."""
    global _extracted
    folder = resources.files("medkit").joinpath(PACKAGE_DATA)
    if not folder.is_dir():
        return None
    if isinstance(folder, Path):
        return folder
    if _extracted is None:  # a zipped install: extract once for the life of the process
        _extracted = contextlib.ExitStack()
        atexit.register(_extracted.close)
    return Path(_extracted.enter_context(resources.as_file(folder)))


def shipped_datasets_dir() -> Path:
    """The datasets that came with medkit (package data, else ``<repo>/datasets``).

    Examples
    --------
    >>> (shipped_datasets_dir() / "cities_zhejiang.csv").is_file()
    True
    """
    return _package_datasets() or REPO_ROOT / "datasets"


def datasets_dir() -> Path:
    """Folder of the datasets: ``$MEDKIT_DATASETS`` if set, else :func:`shipped_datasets_dir`."""
    override = os.environ.get("MEDKIT_DATASETS")
    return Path(override) if override else shipped_datasets_dir()


def shared_data_dir() -> Path:
    """Folder of the source geography: ``$MEDKIT_SHARED_DATA`` if set, else the shipped
    ``datasets/geography``."""
    override = os.environ.get("MEDKIT_SHARED_DATA")
    return Path(override) if override else shipped_datasets_dir() / GEOGRAPHY
