"""Widget for Lesson 00: how trust and distance split patients between care levels."""

from __future__ import annotations

import matplotlib.pyplot as plt

from medkit.plots.palette import NEUTRAL, TIER_COLOURS
from medkit.story import hospital_choice_shares


def _tier_colour(label: str) -> str:
    """The palette colour of a care tier named in ``label`` (grey if none is named)."""
    text = str(label).lower()
    for tier in ("high-tier", "tertiary", "secondary", "primary"):
        if tier in text:
            return TIER_COLOURS[tier]
    return NEUTRAL


def plot_choice_shares(trust_in_primary: float, extra_distance_km: float, ax=None):
    """Bar chart of :func:`medkit.story.hospital_choice_shares`; returns the axes.

    Examples
    --------
    >>> ax = plot_choice_shares(0.0, 20.0)
    >>> [round(float(p.get_height()), 3) for p in ax.patches]
    [0.269, 0.731]
    """
    shares = hospital_choice_shares(trust_in_primary, extra_distance_km)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3))
    colours = [_tier_colour(name) for name in shares.index]
    ax.bar(shares.index, shares.values, color=colours, edgecolor="k", linewidth=0.4)
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of routine patients")
    ax.set_title(
        f"trust {trust_in_primary:+.1f}, high-tier hospital {extra_distance_km:.0f} km further"
    )
    for x, value in enumerate(shares.values):
        ax.text(x, value + 0.02, f"{value:.0%}", ha="center")
    return ax


def choice_widget(
    trust_in_primary: float = 0.0, extra_distance_km: float = 20.0, *, preview: bool = True
):
    """Sliders for trust in primary care and extra distance, redrawing the shares.

    The default view is drawn first as a static figure (a reader of the saved notebook sees
    it); ``preview=False`` draws it only inside the widget.

    Examples
    --------
    In a notebook (tests/test_story.py builds it without a browser)::

        choice_widget(trust_in_primary=1.0)
    """
    from medkit.widgets._preview import PreviewInteractive, float_slider

    def show(trust_in_primary: float, extra_distance_km: float) -> None:
        plot_choice_shares(trust_in_primary, extra_distance_km)
        plt.show()

    return PreviewInteractive(
        show,
        summary="Widget: sliders for trust in primary care and the extra distance to a "
        "high-tier hospital, redrawing the shares (its default view is the figure above).",
        preview=preview,
        trust_in_primary=float_slider(
            trust_in_primary, -1.0, 4.0, 0.25, "trust in primary care", continuous_update=True
        ),
        extra_distance_km=float_slider(
            extra_distance_km,
            0.0,
            100.0,
            5.0,
            "extra distance to high-tier hospital (km)",
            continuous_update=True,
        ),
    )
