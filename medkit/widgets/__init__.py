"""Thin ipywidgets over plain, tested functions.

Every widget here is built by a function that takes plain values, calls a plain function of
``medkit`` for its numbers and a plot function for its picture. Tests call the plain functions
directly (and build the widgets) without a browser.
"""
