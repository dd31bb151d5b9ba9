"""medkit: a Jupyter-first kit on population mobility, hospital referral networks and the
structural imbalance of medical resources in China.

Subpackages are imported on demand so that ``import medkit`` stays fast:

- :mod:`medkit.data`      loaders, schemas and the synthetic-twin generator
- :mod:`medkit.mobility`  individual moves -> origin-destination flows -> mobility networks
- :mod:`medkit.ergm`      exponential random graph models (formula, fit, simulate, gof)
- :mod:`medkit.referral`  the inter-hospital referral agent-based model (with digital triage)
- :mod:`medkit.tables`, :mod:`medkit.centrality`, :mod:`medkit.plots`  shared presentation
- :mod:`medkit.widgets`   thin ipywidgets over plain, tested functions
- :mod:`medkit.solutions` exercise answers and checks, one module per lesson
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
