"""One colour-blind-safe palette for every figure of the kit (Okabe & Ito, 2008).

The eight colours of Okabe and Ito's palette stay distinct under the common forms of colour
blindness (deuteranopia, protanopia, tritanopia). Every plot in :mod:`medkit.plots` and
:mod:`medkit.widgets` takes its colours from here, so that a grade, a tier or a strategy has
the same colour in every lesson. Never encode a category by a red/green pair.

- grades and tiers: primary care sky blue, secondary blue, tertiary / high-tier vermillion
  (light to dark to "hot": the overflowing top tier), in :data:`GRADE_COLOURS` and
  :data:`TIER_COLOURS`;
- strategies of Lesson 05 in :data:`STRATEGY_COLOURS` (the baseline is neutral grey);
- any other list of categories in the order of :data:`CATEGORY_COLOURS`
  (:func:`category_colours`), which :func:`medkit.lesson.setup_lesson` also makes
  matplotlib's default colour cycle.

Reference: Okabe M, Ito K (2008). *Color Universal Design (CUD): how to make figures and
presentations that are friendly to colorblind people.* https://jfly.uni-koeln.de/color/

Examples
--------
>>> OKABE_ITO["vermillion"]
'#D55E00'
>>> GRADE_COLOURS[1], TIER_COLOURS["high-tier"]
('#56B4E9', '#D55E00')
>>> category_colours(3)
['#0072B2', '#E69F00', '#009E73']
"""

from __future__ import annotations

from itertools import cycle, islice

OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
"""The eight colours of Okabe & Ito (2008), by name."""

NEUTRAL = "#999999"
"""Grey for baselines, context and reference lines (not a category colour)."""
DARK = "#444444"
"""Dark grey for rules and group boundaries."""

MAIN = OKABE_ITO["blue"]
"""The colour of a single series."""
SECOND = OKABE_ITO["vermillion"]
"""The colour of a second series beside :data:`MAIN` (for example a twin axis)."""
HIGHLIGHT = OKABE_ITO["vermillion"]
"""The colour that picks out one item (the chosen hospital, the current value)."""

CATEGORY_COLOURS: list[str] = [
    OKABE_ITO[name]
    for name in (
        "blue",
        "orange",
        "bluish_green",
        "vermillion",
        "reddish_purple",
        "sky_blue",
        "yellow",
        "black",
    )
]
"""Colours for unordered categories, in order (the default colour cycle of the lessons)."""

GRADE_COLOURS: dict[int, str] = {
    1: OKABE_ITO["sky_blue"],
    2: OKABE_ITO["blue"],
    3: OKABE_ITO["vermillion"],
}
"""Hospital grade (1 primary, 2 secondary, 3 tertiary) -> colour."""

TIER_COLOURS: dict[str, str] = {
    "primary": GRADE_COLOURS[1],
    "secondary": GRADE_COLOURS[2],
    "tertiary": GRADE_COLOURS[3],
    "high-tier": GRADE_COLOURS[3],
}
"""Care tier by name -> colour (the same as :data:`GRADE_COLOURS`)."""

STRATEGY_COLOURS: dict[str, str] = {
    "baseline": NEUTRAL,
    "uniform": OKABE_ITO["sky_blue"],
    "core": OKABE_ITO["vermillion"],
    "bottleneck": OKABE_ITO["blue"],
    "lost_patients": OKABE_ITO["orange"],
}
"""Capacity strategy of Yang et al. (2025) -> colour (Lesson 05, Figure 6)."""

PALETTE_COLOURS = frozenset([*OKABE_ITO.values(), NEUTRAL, DARK])
"""Every colour a medkit figure may use for data (tests check figures against it)."""


def category_colours(n: int) -> list[str]:
    """``n`` colours for unordered categories, repeating after eight.

    Examples
    --------
    >>> len(category_colours(10)), category_colours(10)[8] == category_colours(10)[0]
    (10, True)
    """
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n}")
    return list(islice(cycle(CATEGORY_COLOURS), n))


def colour_cycle():
    """A matplotlib ``cycler`` over :data:`CATEGORY_COLOURS` (for ``axes.prop_cycle``).

    Examples
    --------
    >>> [c["color"] for c in colour_cycle()][:2]
    ['#0072B2', '#E69F00']
    """
    from cycler import cycler

    return cycler(color=CATEGORY_COLOURS)
