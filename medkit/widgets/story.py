"""Widget for Lesson 00: how trust and distance split patients between care levels."""

from __future__ import annotations

import matplotlib.pyplot as plt

from medkit.story import hospital_choice_shares


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
    ax.bar(shares.index, shares.values, color=["#4c9a2a", "#b22222"])
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of routine patients")
    ax.set_title(
        f"trust {trust_in_primary:+.1f}, high-tier hospital {extra_distance_km:.0f} km further"
    )
    for x, value in enumerate(shares.values):
        ax.text(x, value + 0.02, f"{value:.0%}", ha="center")
    return ax


def choice_widget(trust_in_primary: float = 0.0, extra_distance_km: float = 20.0):
    """Sliders for trust in primary care and extra distance, redrawing the shares.

    Examples
    --------
    In a notebook (tests/test_story.py builds it without a browser)::

        choice_widget(trust_in_primary=1.0)
    """
    import ipywidgets as widgets

    def show(trust_in_primary: float, extra_distance_km: float) -> None:
        plot_choice_shares(trust_in_primary, extra_distance_km)
        plt.show()

    return widgets.interactive(
        show,
        trust_in_primary=widgets.FloatSlider(
            value=trust_in_primary, min=-1.0, max=4.0, step=0.25, description="trust"
        ),
        extra_distance_km=widgets.FloatSlider(
            value=extra_distance_km, min=0.0, max=100.0, step=5.0, description="extra km"
        ),
    )
