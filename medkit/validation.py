"""Checks of arguments at the public entry points, raising :class:`~medkit.errors.ParameterError`.

Each check names the argument, the bad value, the valid range and what to do, and returns the
value converted to its plain Python type. They run before any long work starts.

Examples
--------
>>> whole_number("interval", 1024, minimum=1)
1024
>>> real_number("share", 0.5, minimum=0, maximum=1)
0.5
"""

from __future__ import annotations

import math
import numbers
import os
import tempfile
from pathlib import Path

import numpy as np

from medkit.errors import ParameterError

INT64_MAX = int(np.iinfo(np.int64).max)


def _range_text(kind: str, minimum, maximum, open_min=False, open_max=False) -> str:
    parts = []
    if minimum is not None:
        parts.append(f"{'>' if open_min else '>='} {minimum:g}")
    if maximum is not None:
        parts.append(f"{'<' if open_max else '<='} {maximum:g}")
    if minimum is not None and maximum is not None:
        lo = "(" if open_min else "["
        hi = ")" if open_max else "]"
        return f"{kind} in {lo}{minimum:g}, {maximum:g}{hi}"
    return f"{kind} {' and '.join(parts)}".strip()


def whole_number(
    name: str,
    value,
    *,
    minimum: int | None = None,
    maximum: int | None = INT64_MAX,
    hint: str = "",
    allow_none: bool = False,
) -> int | None:
    """``value`` as an ``int``, refusing bools, fractions, NaN, inf and values out of range.

    Examples
    --------
    >>> whole_number("runs", 3.0, minimum=1)
    3
    >>> whole_number("runs", 0, minimum=1)
    Traceback (most recent call last):
    ...
    medkit.errors.ParameterError: runs=0 is not valid: it must be a whole number >= 1
    """
    if value is None and allow_none:
        return None
    valid = _range_text("a whole number", minimum, maximum if maximum != INT64_MAX else None)
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise ParameterError(name, value, valid, hint)
    if isinstance(value, numbers.Integral):
        number = int(value)
    else:
        fvalue = float(value)
        if not math.isfinite(fvalue) or not fvalue.is_integer():
            raise ParameterError(name, value, valid, hint)
        number = int(fvalue)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ParameterError(name, value, valid, hint)
    return number


def real_number(
    name: str,
    value,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    open_min: bool = False,
    open_max: bool = False,
    hint: str = "",
    allow_none: bool = False,
) -> float | None:
    """``value`` as a finite ``float`` in range (NaN and inf are refused).

    Examples
    --------
    >>> real_number("conv_pvalue", 0.5, minimum=0, maximum=1, open_min=True)
    0.5
    """
    if value is None and allow_none:
        return None
    valid = _range_text("a finite number", minimum, maximum, open_min, open_max)
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise ParameterError(name, value, valid, hint)
    number = float(value)
    if not math.isfinite(number):
        raise ParameterError(name, value, valid, hint)
    if minimum is not None and (number < minimum or (open_min and number == minimum)):
        raise ParameterError(name, value, valid, hint)
    if maximum is not None and (number > maximum or (open_max and number == maximum)):
        raise ParameterError(name, value, valid, hint)
    return number


def boolean(name: str, value, hint: str = "") -> bool:
    """``value`` as a ``bool``: only True/False (and numpy bools) are accepted."""
    if not isinstance(value, bool | np.bool_):
        raise ParameterError(name, value, "True or False", hint)
    return bool(value)


def choice(name: str, value, choices, hint: str = ""):
    """``value`` if it is one of ``choices``."""
    try:
        ok = value in tuple(choices)
    except TypeError:
        ok = False
    if not ok:
        import difflib

        listed = ", ".join(repr(c) for c in choices)
        close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1)
        extra = f"did you mean {close[0]!r}?" if close else hint
        raise ParameterError(name, value, f"one of {listed}", extra)
    return value


def seed(name: str, value):
    """A seed: None, a whole number in [0, 2**63), a numpy Generator or SeedSequence."""
    if value is None or isinstance(value, np.random.Generator | np.random.SeedSequence):
        return value
    if isinstance(value, np.random.BitGenerator):
        return value
    return whole_number(name, value, minimum=0, hint="use a non-negative whole number, e.g. seed=1")


def output_folder(path, argument: str = "--out") -> Path:
    """Create (if needed) and check that ``path`` is a writable folder, before any work starts."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise ParameterError(argument, str(path), "a folder", "it names an existing file")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".medkit-write-test-"):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ParameterError(
            argument, str(path), "a folder you can write to", f"cannot write there ({reason})"
        ) from None
    if not os.access(folder, os.W_OK):
        raise ParameterError(argument, str(path), "a folder you can write to")
    return folder
