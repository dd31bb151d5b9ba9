"""Widgets a reader can see before running anything, with labels that can be read in full.

A saved notebook cannot show a live widget: GitHub, nbviewer and JupyterLab before "Run All"
have no kernel behind the sliders, so a bare ``interactive(...)`` shows nothing (or its raw
repr). Every builder in :mod:`medkit.widgets` therefore

1. draws its **default view** straight into the cell's output (a static figure and text, the
   same function the sliders call), so the saved notebook shows it to every reader;
2. returns the live widget, whose own output area starts with a one-line pointer to that
   picture (no second copy) and redraws as soon as a control moves;
3. gives the widget a friendly text form (:class:`PreviewInteractive`'s ``repr``), shown where
   a widget cannot be drawn, instead of ``interactive(children=(FloatSlider(...``.

Controls come from :func:`slider` and friends: full descriptions, never cut off
(``description_width: initial``).
"""

from __future__ import annotations

import ipywidgets as widgets

__all__ = [
    "PreviewInteractive",
    "PreviewVBox",
    "float_slider",
    "int_slider",
    "readable",
    "show_default_view",
]

READABLE_STYLE = {"description_width": "initial"}
"""Slider style that shows the whole description instead of cutting it off."""

POINTER = "The default view is drawn above. Move a control to redraw it here."


def readable(control):
    """Give a control a description that is shown in full and a width that fits it.

    Examples
    --------
    >>> s = readable(widgets.FloatSlider(description="capacity of tertiary hospitals (x)"))
    >>> s.style.description_width
    'initial'
    """
    control.style = READABLE_STYLE
    control.layout = widgets.Layout(width="min(100%, 34em)")
    return control


def float_slider(value, lo, hi, step, description, *, continuous_update: bool = False, **kw):
    """A :class:`ipywidgets.FloatSlider` with a readable description (see :func:`readable`).

    Examples
    --------
    >>> float_slider(0.5, 0, 1, 0.1, "trust in primary care").description
    'trust in primary care'
    """
    return readable(
        widgets.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                            continuous_update=continuous_update, **kw)
    )  # fmt: skip


def int_slider(value, lo, hi, step, description, *, continuous_update: bool = False, **kw):
    """An :class:`ipywidgets.IntSlider` with a readable description (see :func:`readable`).

    Examples
    --------
    >>> int_slider(5, 1, 50, 1, "threshold: minimum movers for a tie").value
    5
    """
    return readable(
        widgets.IntSlider(value=value, min=lo, max=hi, step=step, description=description,
                          continuous_update=continuous_update, **kw)
    )  # fmt: skip


def show_default_view(draw, **values) -> None:
    """Run ``draw(**values)`` so that its figure and text land in the current cell's output.

    With matplotlib's inline backend (notebooks) ``plt.show()`` inside ``draw`` embeds the
    figure as a static image; elsewhere (tests, scripts) nothing is shown and the figure is
    closed.
    """
    import matplotlib.pyplot as plt

    before = set(plt.get_fignums())
    draw(**values)
    for number in set(plt.get_fignums()) - before:  # inline backends close shown figures
        plt.close(number)


class PreviewInteractive(widgets.interactive):
    """An :class:`ipywidgets.interactive` that first draws its default view as a static picture.

    Parameters
    ----------
    f : callable
        Draws the view for keyword values (a figure with ``plt.show()``, printed text).
    summary : str
        One sentence that says what the widget does; its ``repr``.
    preview : bool
        Draw the default view into the cell output now (a notebook reader sees it without a
        kernel); the widget's own output area starts with a pointer to it. ``False`` draws
        the default view inside the widget, as a plain ``interactive`` does.
    **controls
        Keyword -> control widget, as for :func:`ipywidgets.interactive`.

    Examples
    --------
    >>> shown = []
    >>> w = PreviewInteractive(lambda x: shown.append(x), summary="A slider for x.",
    ...                        x=widgets.IntSlider(value=3))
    >>> shown, repr(w)
    ([3], 'A slider for x.')
    """

    _preview_pending = False

    def __init__(self, f, *, summary: str, preview: bool = True, **controls):
        self._summary = summary
        self._preview_pending = preview
        super().__init__(f, **controls)  # calls update() once: held back while a preview is due
        if preview:
            values = {w._kwarg: w.get_interact_value() for w in self.kwargs_widgets}
            show_default_view(f, **values)

    def update(self, *args):
        if self._preview_pending:
            self._preview_pending = False
            self.out.append_stdout(POINTER + "\n")
            return
        super().update(*args)

    def __repr__(self) -> str:
        return self._summary

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self._summary  # in full (ipywidgets cuts reprs at 110 characters)
        return bundle


class PreviewVBox(widgets.VBox):
    """A :class:`ipywidgets.VBox` whose text form is a sentence (see :class:`PreviewInteractive`).

    Examples
    --------
    >>> repr(PreviewVBox([], summary="Two sliders and a picture."))
    'Two sliders and a picture.'
    """

    def __init__(self, children=(), *, summary: str, **kwargs):
        self._summary = summary
        super().__init__(children, **kwargs)

    def __repr__(self) -> str:
        return self._summary

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self._summary
        return bundle
