"""Shared presentation: plots reused across lessons.

- :mod:`medkit.plots.palette` -- the one colour-blind-safe palette (Okabe-Ito) for grades,
  tiers, strategies and categories; use it, never a hard-coded colour;
- :mod:`medkit.plots.axes` -- plain-number ticks on log axes;
- :mod:`medkit.plots.maps` -- cities and flows on real coordinates, labels without overlap;
- :mod:`medkit.plots.gof` -- goodness-of-fit figures readable for large networks;
- :mod:`medkit.plots.fits`, :mod:`medkit.plots.referral`, :mod:`medkit.plots.triage` -- the
  figures of Lessons 03-06.

Bars start at zero; where a difference is too small for bars from zero, the plot draws points
on a zoomed axis and says so on the axis.
"""
