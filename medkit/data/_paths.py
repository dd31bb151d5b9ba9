"""Where the shipped datasets and the source geography live."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def datasets_dir() -> Path:
    """Folder of the shipped datasets (``$MEDKIT_DATASETS`` overrides ``<repo>/datasets``)."""
    return Path(os.environ.get("MEDKIT_DATASETS", REPO_ROOT / "datasets"))


def shared_data_dir() -> Path:
    """Folder of the source geography (``$MEDKIT_SHARED_DATA`` overrides ``<repo>/../shared/data``)."""
    return Path(os.environ.get("MEDKIT_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
