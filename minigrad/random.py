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

__all__ = ["manual_seed", "seed", "initial_seed", "default_generator", "Generator"]

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


class Generator:
    """A private random-number generator, as ``torch.Generator``: for DataLoader shuffling,
    :func:`~minigrad.data.random_split` and the ``generator=`` of ``randn``/``rand``/``randint``.

    ``manual_seed`` returns the generator itself, so ``Generator().manual_seed(42)`` reads
    as in PyTorch. Draws come from a :class:`numpy.random.Generator` (its methods, such as
    ``permutation`` and ``normal``, are available on this object); the numbers differ from
    PyTorch's, the repeatability is the same.

    Examples
    --------
    >>> import minigrad
    >>> g = minigrad.Generator().manual_seed(42)
    >>> a = minigrad.randn(3, generator=g).tolist()
    >>> a == minigrad.randn(3, generator=minigrad.Generator().manual_seed(42)).tolist()
    True
    """

    def __init__(self, device=None):
        self._rng = np.random.default_rng()
        self._initial_seed = None

    def manual_seed(self, seed: int) -> "Generator":
        """Seed this generator; returns it."""
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"Generator.manual_seed: seed must be a non-negative integer, got {seed!r}")
        self._rng = np.random.default_rng(int(seed))
        self._initial_seed = int(seed)
        return self

    def seed(self) -> int:
        """Seed from the operating system's entropy; return the seed."""
        s = int(np.random.SeedSequence().entropy % (2**63))
        self.manual_seed(s)
        return s

    def initial_seed(self):
        """The seed last given to :meth:`manual_seed` (None if never called)."""
        return self._initial_seed

    def __getattr__(self, name):  # the NumPy generator's draws: permutation, normal, integers, ...
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._rng, name)


def as_numpy_generator(generator, what: str) -> np.random.Generator:
    """``generator`` (a :class:`Generator`, a NumPy Generator or None: the default) as a NumPy Generator."""
    if generator is None:
        return _generator
    if isinstance(generator, Generator):
        return generator._rng
    if isinstance(generator, np.random.Generator):
        return generator
    raise TypeError(f"{what}: generator must be a minigrad.Generator (or numpy.random.Generator), "
                    f"got {type(generator).__name__}")
