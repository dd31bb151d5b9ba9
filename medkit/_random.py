"""Seeds: every random draw in medkit takes one, and the same seed gives the same result."""

from __future__ import annotations

import numpy as np

SeedLike = int | np.random.Generator | None


def as_generator(seed: SeedLike) -> np.random.Generator:
    """Return a numpy ``Generator`` from an int, a ``Generator`` or ``None``.

    Parameters
    ----------
    seed : int, numpy.random.Generator or None
        An int seeds a new PCG64 generator; a generator is returned as is; ``None``
        draws fresh entropy (results then differ from run to run).

    Examples
    --------
    >>> a = as_generator(7).integers(0, 100, 3)
    >>> b = as_generator(7).integers(0, 100, 3)
    >>> bool((a == b).all())
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(
            f"seed must be an int, a numpy Generator or None, not {type(seed).__name__}"
        )
    if seed < 0:
        raise ValueError(f"seed must be non-negative, got {seed}")
    return np.random.default_rng(int(seed))


def int_seed(seed: SeedLike) -> int:
    """Draw a reproducible 32-bit integer seed (for compiled kernels) from ``seed``.

    Examples
    --------
    >>> int_seed(3) == int_seed(3)
    True
    """
    return int(as_generator(seed).integers(0, 2**31 - 1))
