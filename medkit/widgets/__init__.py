"""Thin ipywidgets over plain, tested functions.

Every widget here is built by a function that takes plain values, calls a plain function of
``medkit`` for its numbers and a plot function for its picture. Tests call the plain functions
directly (and build the widgets) without a browser.

Every builder first draws its default view as a static figure into the cell's output, so a
reader of the saved notebook (GitHub, nbviewer, JupyterLab before "Run All") sees it, and
returns the live widget, whose text form is a sentence saying what it does; controls carry
their full descriptions (see :mod:`medkit.widgets._preview`). Pass ``preview=False`` to draw
the default view only inside the widget.
"""
