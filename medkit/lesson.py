"""Set-up shared by every lesson notebook: quiet, deterministic, readable output."""

from __future__ import annotations

import warnings


def setup_lesson(*, dpi: int = 90) -> None:
    """Prepare a notebook for a lesson.

    Silences warnings that would make outputs vary between machines (they are noise to a
    learner and would make nbval flaky), sets a readable plot style and pandas display
    options. Prints nothing.

    Parameters
    ----------
    dpi : int, default 90
        Resolution of inline figures.

    Examples
    --------
    >>> setup_lesson()
    """
    import matplotlib as mpl
    import pandas as pd

    from medkit.plots.palette import colour_cycle

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=RuntimeWarning, module="numpy")
    warnings.filterwarnings("ignore", message=".*tight_layout.*")
    mpl.rcParams.update(
        {
            "figure.dpi": dpi,
            "figure.figsize": (7.0, 4.2),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "svg.hashsalt": "medkit",
            "axes.prop_cycle": colour_cycle(),  # the kit's colour-blind-safe palette
        }
    )
    pd.set_option("display.precision", 4)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.width", 110)
