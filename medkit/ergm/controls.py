"""Checks of the options of :func:`medkit.ergm.fit`, :func:`~medkit.ergm.simulate` and
:func:`~medkit.ergm.gof`, run before any sampling starts.

MCMC controls too small to estimate anything (``interval=0`` never moves the chain,
``samplesize=1`` has no variance, ``bridge_steps=0`` no log-likelihood) are refused with a
:class:`~medkit.errors.ParameterError` that names the control, the bad value, the minimum and the
default.

Examples
--------
>>> check_fit_controls({"interval": 100}, n_stats=2)["interval"]
100
"""

from __future__ import annotations

import difflib
import math

import numpy as np

from medkit import validation as V
from medkit.errors import ParameterError

MAX_STEPS = 10**9
"""Largest interval, burnin or sample size accepted (a billion sampler steps)."""
MIN_SAMPLESIZE = 10
"""Fewest MCMC draws accepted for an estimate (and at least twice the number of statistics)."""

FIT_CONTROLS = {
    "samplesize": "max(256, 32 per statistic)",
    "interval": "adaptive from the effective size",
    "burnin": "16 * interval",
    "maxit": "60",
    "chains": "2",
    "effective_size": "64 ('auto'; None samples exactly samplesize records)",
    "termination": "'confidence'",
    "precision": "0.1",
    "confidence": "0.99",
    "final_samplesize": "set from final_effective_size",
    "final_effective_size": "400 on networks of at most 5,000 dyads",
    "final_rounds": "3 (0: the converging iteration's estimate is the answer)",
    "conv_pvalue": "None (the confidence rule)",
    "loglik": "True",
    "bridge_steps": "16",
    "bridge_samplesize": "256",
    "progress": "True",
    "init": "the MPLE",
}


def _default(name: str) -> str:
    return f"the default is {FIT_CONTROLS[name]}"


def _steps(name, value, minimum, allow_none=True):
    return V.whole_number(
        name, value, minimum=minimum, maximum=MAX_STEPS, allow_none=allow_none,
        hint=_default(name) if name in FIT_CONTROLS else "",
    )  # fmt: skip


def check_fit_controls(control: dict, n_stats: int | None = None) -> dict:
    """Validate the ``**control`` options of :func:`medkit.ergm.fit`; returns them converted."""
    out = {}
    minimum = MIN_SAMPLESIZE if n_stats is None else max(MIN_SAMPLESIZE, 2 * n_stats)
    for name, value in control.items():
        if name not in FIT_CONTROLS:
            close = difflib.get_close_matches(name, list(FIT_CONTROLS), n=1)
            hint = f"did you mean {close[0]!r}?" if close else ""
            raise ParameterError(name, value, f"a known control: {', '.join(FIT_CONTROLS)}", hint)
        if name == "interval":
            out[name] = _steps(name, value, 1)
        elif name == "burnin":
            out[name] = _steps(name, value, 0)
        elif name in ("samplesize", "final_samplesize", "bridge_samplesize"):
            need = minimum
            if value is not None and name == "samplesize":
                out[name] = _steps(name, value, need, allow_none=False)
                continue
            out[name] = _steps(name, value, need)
        elif name == "maxit":
            out[name] = _steps(name, value, 1, allow_none=False)
        elif name == "bridge_steps":
            out[name] = _steps(name, value, 1, allow_none=False)
        elif name == "chains":
            out[name] = _steps(name, value, 1)
        elif name == "final_rounds":
            out[name] = _steps(name, value, 0, allow_none=False)
        elif name in ("effective_size", "final_effective_size"):
            if value is None or (name == "effective_size" and value == "auto"):
                out[name] = value
            else:
                out[name] = V.real_number(
                    name, value, minimum=1, maximum=MAX_STEPS, hint=_default(name)
                )
        elif name == "termination":
            out[name] = V.choice(name, value, ("confidence", "hotelling"), hint=_default(name))
        elif name in ("precision", "confidence"):
            out[name] = V.real_number(
                name, value, minimum=0, maximum=1, open_min=True, open_max=True,
                hint=_default(name),
            )  # fmt: skip
        elif name == "conv_pvalue":
            out[name] = V.real_number(
                name, value, minimum=0, maximum=1, open_min=True, open_max=True,
                hint=_default(name),
            )  # fmt: skip
        elif name in ("loglik", "progress"):
            out[name] = V.boolean(name, value)
        elif name == "init":
            out[name] = check_coef("init", value, n_stats, allow_none=True)
    return out


def check_coef(name, value, n_stats, *, allow_none=False, names=None):
    """A finite parameter vector with one value per statistic (list, array, Series or dict)."""
    if value is None:
        if allow_none:
            return None
        raise ParameterError(name, value, f"{n_stats} numbers, one per statistic")
    if isinstance(value, dict):
        if names is None:
            return value
        unknown = [k for k in value if k not in names]
        lacking = [k for k in names if k not in value]
        if unknown or lacking:
            raise ParameterError(
                name, value, f"a value for each of {names}",
                f"unknown {unknown}" if unknown else f"missing {lacking}",
            )  # fmt: skip
        return value
    if hasattr(value, "index") and hasattr(value, "reindex"):  # pandas Series
        return value
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(name, value, f"{n_stats} numbers, one per statistic") from None
    if n_stats is not None and arr.shape != (n_stats,):
        raise ParameterError(name, value, f"{n_stats} numbers, one per statistic (got {arr.size})")
    if not np.all(np.isfinite(arr)):
        raise ParameterError(name, value, "finite numbers (no NaN or inf)")
    return value


def check_fit_args(method, seed, rescale) -> None:
    """The plain arguments of :func:`medkit.ergm.fit`."""
    if not isinstance(method, str):
        raise ParameterError(
            "method", method, "one of 'auto', 'MLE', 'MPLE', 'dyad', 'MCMC' (a string)"
        )
    V.seed("seed", seed)
    V.boolean("rescale", rescale)


def check_simulate_args(n, output, burnin, interval, seed, progress) -> None:
    """The arguments of :func:`medkit.ergm.simulate`."""
    V.whole_number("n", n, minimum=1, maximum=MAX_STEPS, hint="the number of networks to draw")
    V.choice("output", output, ("network", "stats", "adjacency"))
    _steps("burnin", burnin, 0)
    _steps("interval", interval, 1)
    V.seed("seed", seed)
    V.boolean("progress", progress)


def check_start(start, n: int):
    """A start network: a networkx graph or an n x n array."""
    if start is None or hasattr(start, "nodes"):
        return start
    arr = np.asarray(start)
    if arr.shape != (n, n):
        raise ParameterError(
            "start", f"an array of shape {arr.shape}", f"a graph or an array of shape ({n}, {n})"
        )
    return start


def check_gof_args(nsim, interval, seed, progress) -> None:
    """The arguments of :func:`medkit.ergm.gof`."""
    V.whole_number("nsim", nsim, minimum=1, maximum=MAX_STEPS, hint="statnet's default is 100")
    _steps("interval", interval, 1)
    V.seed("seed", seed)
    V.boolean("progress", progress)


def finite(x) -> bool:
    return isinstance(x, int | float) and math.isfinite(x)
