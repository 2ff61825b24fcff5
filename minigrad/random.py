"""The one random-number generator behind minigrad, seeded by :func:`manual_seed`.

PyTorch has one default generator that ``torch.manual_seed`` seeds and that
``torch.randn``, ``nn.Linear``'s initialisation and ``DataLoader(shuffle=True)`` all
draw from; the book relies on that (one ``manual_seed`` makes a whole run repeatable).
minigrad does the same with one :class:`numpy.random.Generator`.

Examples
--------
>>> import minigrad
>>> _ = minigrad.manual_seed(0); a = minigrad.randn(3).tolist()
>>> _ = minigrad.manual_seed(0); a == minigrad.randn(3).tolist()
True
"""

from __future__ import annotations

import numpy as np

__all__ = ["manual_seed", "seed", "initial_seed", "default_generator"]

_generator = np.random.default_rng()
_initial_seed: int | None = None


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the default generator (``torch.manual_seed``) and return it.

    Parameters
    ----------
    seed : int
        A non-negative integer.

    Examples
    --------
    >>> from minigrad.random import manual_seed, default_generator
    >>> manual_seed(1) is default_generator()
    True
    """
    global _generator, _initial_seed
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"manual_seed: seed must be a non-negative integer, got {seed!r}")
    _generator = np.random.default_rng(int(seed))
    _initial_seed = int(seed)
    return _generator


def seed() -> int:
    """Seed the default generator from the operating system's entropy; return the seed.

    Examples
    --------
    >>> from minigrad.random import seed
    >>> isinstance(seed(), int)
    True
    """
    s = int(np.random.SeedSequence().entropy % (2**63))
    manual_seed(s)
    return s


def initial_seed() -> int | None:
    """The seed last given to :func:`manual_seed` (None if it was never called).

    Examples
    --------
    >>> from minigrad.random import manual_seed, initial_seed
    >>> _ = manual_seed(7); initial_seed()
    7
    """
    return _initial_seed


def default_generator() -> np.random.Generator:
    """The generator every random draw of minigrad uses (read it anew after a reseed).

    Examples
    --------
    >>> from minigrad.random import default_generator
    >>> 0 <= default_generator().random() < 1
    True
    """
    return _generator
