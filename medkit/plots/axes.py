"""Axis helpers shared by medkit's plots: plain-number ticks on log axes, bars from zero."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

__all__ = ["plain_log_ticks", "set_plain_log_axis"]

_LEVELS = (
    (1.0, 2.0, 5.0),
    (1.0, 2.0, 3.0, 5.0),
    (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0),
    (1.0, 1.1, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.5, 8.0, 9.0),
    (1.0, 1.05, 1.1, 1.2, 1.25, 1.3, 1.4, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 7.5, 8.0,
     9.0, 9.5),
)  # fmt: skip
"""Mantissas per decade, roundest first: ticks come from the roundest level that gives four."""


def _in_range(mantissas, lo: float, hi: float) -> list[float]:
    values = {
        round(m * 10.0**e, 12)
        for e in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1)
        for m in mantissas
    }
    return sorted(v for v in values if lo <= v <= hi)


def _thin(values: list[float], max_ticks: int) -> list[float]:
    """Every k-th value, k as small as keeps at most ``max_ticks``, always keeping 1."""
    if len(values) <= max_ticks:
        return values
    anchor = values.index(1.0) if 1.0 in values else 0
    for k in range(2, len(values) + 1):
        kept = [v for i, v in enumerate(values) if (i - anchor) % k == 0]
        if len(kept) <= max_ticks:
            return kept
    return values[:1]


def plain_log_ticks(lo: float, hi: float, max_ticks: int = 7) -> list[float]:
    """Round tick values for a log axis from ``lo`` to ``hi``.

    Values are ones a reader says aloud (0.5, 0.8, 0.9, 1, 1.25, 1.5, 2, ...), from the roundest
    series that puts at least four (else three) ticks in the range, at most ``max_ticks`` of them, and 1
    whenever it is in range.

    Examples
    --------
    >>> plain_log_ticks(0.85, 1.3)
    [0.9, 1.0, 1.1, 1.25]
    >>> plain_log_ticks(0.5, 8)
    [0.5, 1.0, 2.0, 5.0]
    """
    if not (lo > 0 and hi > lo):
        raise ValueError(f"need 0 < lo < hi, got {lo}, {hi}")
    for enough in (4, 3):
        for mantissas in _LEVELS:
            values = _in_range(mantissas, lo, hi)
            if len(values) >= enough:
                return [float(v) for v in _thin(values, max_ticks)]
    # a very narrow range: evenly spaced values with as few significant digits as tell them apart
    inner = np.geomspace(lo, hi, 4)[1:-1]
    for digits in range(3, 9):
        values = sorted({float(f"{v:.{digits}g}") for v in inner})
        if len(values) == len(inner):
            return values
    return [float(v) for v in inner]


def _plain(value: float, _pos=None) -> str:
    return f"{value:g}"


def set_plain_log_axis(ax, lo: float, hi: float, *, axis: str = "x", max_ticks: int = 7) -> None:
    """Log scale from ``lo`` to ``hi`` (a little margin added) with plain-number ticks only.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> _, ax = plt.subplots()
    >>> set_plain_log_axis(ax, 0.85, 1.3)
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['0.9', '1', '1.1', '1.25']
    """
    pad = (hi / lo) ** 0.06
    lo, hi = lo / pad, hi * pad
    ticks = plain_log_ticks(lo, hi, max_ticks)
    target = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    (ax.set_xlim if axis == "x" else ax.set_ylim)(lo, hi)
    target.set_major_locator(FixedLocator(ticks))
    target.set_major_formatter(FuncFormatter(_plain))
    target.set_minor_locator(NullLocator())
