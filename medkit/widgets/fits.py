"""Widget for Lessons 03-04: choose the terms of an ERGM and refit it at once.

The numbers come from :func:`medkit.tables.refit_summary` (a plain, tested function); the widget
only collects the choice of terms and shows the table and AIC/BIC.
"""

from __future__ import annotations

import matplotlib.pyplot as plt

from medkit.plots.fits import plot_effects_per_sd
from medkit.tables import effect_sizes, refit_summary


def describe_refit(fit) -> str:
    """One line: method, number of terms, AIC and BIC of a fit.

    Examples
    --------
    >>> class Fit:
    ...     method, aic, bic = "MLE", 100.0, 110.0
    ...     params = [1, 2]
    >>> describe_refit(Fit())
    'MLE with 2 terms: AIC 100.0, BIC 110.0'
    """
    return f"{fit.method} with {len(fit.params)} terms: AIC {fit.aic:.1f}, BIC {fit.bic:.1f}"


def synthetic_note(frame) -> str:
    """``" (SYNTHETIC data)"`` when a table's column metadata marks any column synthetic.

    The kit's loaders record, per column, whether it is real or synthetic
    (``frame.attrs["columns"][name]["synthetic"]``); a researcher's own table has no such
    mark and gets no label.

    Examples
    --------
    >>> import pandas as pd
    >>> own = pd.DataFrame({"HTH": [1.0, 2.0]})
    >>> synthetic_note(own)
    ''
    >>> own.attrs["columns"] = {"HTH": {"synthetic": True}}
    >>> synthetic_note(own)
    ' (SYNTHETIC data)'
    """
    columns = getattr(frame, "attrs", {}).get("columns", {}) or {}
    marked = any(bool(meta.get("synthetic")) for meta in columns.values() if hasattr(meta, "get"))
    return " (SYNTHETIC data)" if marked else ""


def term_refit_widget(
    graph,
    options,
    *,
    initial=None,
    edge_covariates=None,
    node_covariates=None,
    preview: bool = True,
):
    """Tick terms, see the refitted coefficients, odds ratios per SD, AIC and BIC.

    Dyad-independent choices are fitted by exact MLE; with ``mutual`` or ``gwesp`` ticked
    the fit is the MPLE (fast; its standard errors are too small, as the output says).

    Parameters
    ----------
    graph : networkx.DiGraph
    options : list of str
        Term names offered (``"HTH"``, ``"GeoProx"``, ``"mutual"``, ``"gwesp"``, ...).
    initial : list of str, optional
        Terms ticked at the start (default: all options).
    preview : bool
        Show the fit of the initial terms first as static output (a reader of the saved
        notebook sees it); ``False`` shows it only inside the widget.

    Examples
    --------
    In a notebook (tests/test_fits_support.py builds it without a browser)::

        term_refit_widget(graph, ["PCF", "HTH", "GeoProx"], edge_covariates=ec)
    """
    import ipywidgets as widgets
    from IPython.display import display

    from medkit.widgets._preview import PreviewInteractive, readable

    initial = list(options) if initial is None else list(initial)

    def show(terms) -> None:
        fit, table = refit_summary(
            graph, list(terms), edge_covariates=edge_covariates, node_covariates=node_covariates
        )
        print(describe_refit(fit))
        for note in fit.notes:
            print("note:", note)
        display(table)
        if node_covariates is not None:
            title = "Odds ratio per SD of the covariate" + synthetic_note(node_covariates)
            plot_effects_per_sd(effect_sizes(fit, node_covariates, edge_covariates), title=title)
            plt.show()

    return PreviewInteractive(
        show,
        summary=f"Widget: tick terms among {', '.join(options)} to refit the model and see "
        "its coefficients, AIC and BIC (the fit of the initial terms is shown above).",
        preview=preview,
        terms=readable(
            widgets.SelectMultiple(
                options=list(options),
                value=tuple(initial),
                rows=min(len(options), 10),
                description="terms in the model (Ctrl/Cmd-click to tick several)",
            )
        ),
    )
