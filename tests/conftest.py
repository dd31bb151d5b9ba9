"""Shared test fixtures and paths."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

# Agg for the test process only: do not export MPLBACKEND, which the nbval kernels would
# inherit, losing their inline figures.
matplotlib.use("Agg")

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def shared_dir() -> Path:
    """The ``../shared`` folder beside the repository (reference data); skip if absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repository")
    return SHARED


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
