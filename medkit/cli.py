"""Shared behaviour of medkit's command lines: bad input exits with status 2 and one line.

:class:`Parser` is an :class:`argparse.ArgumentParser` whose errors are a single line
``prog: error: ...`` (no usage block), and :func:`guarded` runs a ``main`` so that the kit's own
errors (bad values, unwritable folders, bad data) end the same way instead of in a traceback;
Ctrl-C ends with status 130 and one line.

Examples
--------
>>> p = Parser(prog="demo")
>>> _ = p.add_argument("--runs", type=positive_int)
>>> p.parse_args(["--runs", "3"]).runs
3
"""

from __future__ import annotations

import argparse
import functools
import math
import sys

from medkit.errors import MedkitError


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str):  # noqa: D102 - argparse API
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _whole(text: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{text} is not valid: it must be >= {minimum}")
    return value


def positive_int(text: str) -> int:
    """argparse type: a whole number >= 1."""
    return _whole(text, 1)


def nonnegative_int(text: str) -> int:
    """argparse type: a whole number >= 0."""
    return _whole(text, 0)


def finite_float(text: str) -> float:
    """argparse type: a finite number (no nan or inf)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text} is not valid: it must be a finite number")
    return value


def share(text: str) -> float:
    """argparse type: a finite number in [0, 1]."""
    value = finite_float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not valid: it must lie in [0, 1]")
    return value


def guarded(main):
    """Run ``main`` so that the kit's errors and Ctrl-C end in one line, not a traceback."""

    @functools.wraps(main)
    def run(argv=None):
        prog = getattr(main, "prog", None) or main.__module__.replace(".__main__", "")
        try:
            return main(argv)
        except MedkitError as exc:
            message = " ".join(str(exc).split())
            print(f"python -m {prog}: error: {message}", file=sys.stderr)
            raise SystemExit(2) from None
        except KeyboardInterrupt:
            print(f"python -m {prog}: interrupted", file=sys.stderr)
            raise SystemExit(130) from None

    return run
