"""Widget for Lesson 06: a digital-triage tool in a reduced-scale referral run."""

from __future__ import annotations

import matplotlib.pyplot as plt

from medkit.plots.triage import plot_triage_run
from medkit.referral.triage import compare_run


def show_triage_run(
    adoption: float = 0.5,
    sensitivity: float = 0.9,
    specificity: float = 0.85,
    trust: float = 0.5,
    *,
    days: int = 100,
    seed: int = 1,
    ax=None,
    world: str = "yang",
):
    """Run :func:`medkit.referral.triage.compare_run` and draw it; returns the axes.

    Examples
    --------
    >>> ax = show_triage_run(1.0, days=5)
    >>> len(ax.patches)
    10
    """
    table = compare_run(adoption, sensitivity, specificity, trust, days=days, seed=seed,
                        world=world)  # fmt: skip
    ax = plot_triage_run(table["with triage"], table["no triage"], ax=ax)
    name = {"yang": "Yang et al.'s world", "fulu": "Fu & Lu world"}.get(world, world)
    ax.set_title(
        f"{name}: adoption {adoption:.0%}, sensitivity {sensitivity:.2f}, specificity "
        f"{specificity:.2f}, trust {trust:.2f}\n(synthetic, 50 hospitals, {days} days)",
        fontsize=9,
    )
    return ax


def triage_widget(
    adoption: float = 0.5,
    sensitivity: float = 0.9,
    specificity: float = 0.85,
    trust: float | None = None,
    *,
    days: int = 100,
    seed: int = 1,
    world: str = "yang",
    preview: bool = True,
):
    """Sliders for adoption, sensitivity, specificity and trust; redraws a reduced-scale run.

    Each change reruns two 50-hospital runs (about a second). Sliders update on release.
    ``world`` is "yang" (trust = cut in bypassing) or "fulu" (trust = starting-trust boost of
    an adopting hospital, then learnt). Where the kit's preview helpers exist, the default run is
    drawn first as a static figure (``preview=False`` draws it only inside the widget).

    Examples
    --------
    In a notebook (tests/test_triage_lesson.py builds it without a browser)::

        triage_widget(adoption=1.0)
    """
    from medkit.referral.triage import FULU_TRUST_BOOST
    from medkit.widgets._preview import PreviewInteractive, float_slider

    if trust is None:  # the default tool's trust lever in this world
        trust = FULU_TRUST_BOOST if world == "fulu" else 0.5

    def show(adoption, sensitivity, specificity, trust):
        show_triage_run(adoption, sensitivity, specificity, trust, days=days, seed=seed,
                        world=world)  # fmt: skip
        plt.show()

    trust_label = ("trust: starting-trust boost of adopting hospitals" if world == "fulu"
                   else "trust: cut in bypassing primary care")  # fmt: skip
    return PreviewInteractive(
        show,
        summary="Widget: sliders for triage adoption, the tool's sensitivity and specificity "
        "and its trust lever, rerunning a reduced-scale model with and without triage (its "
        "default run is the figure above).",
        preview=preview,
        adoption=float_slider(
            adoption, 0.0, 1.0, 0.1, "triage adoption (share of primary hospitals)"
        ),  # fmt: skip
        sensitivity=float_slider(sensitivity, 0.5, 0.99, 0.01, "tool sensitivity"),
        specificity=float_slider(specificity, 0.5, 0.99, 0.01, "tool specificity"),
        trust=float_slider(trust, 0.0, 1.0, 0.1, trust_label),
    )
