"""``minigrad.distributions``: the sampling d2l's probability section uses.

``from minigrad.distributions import multinomial`` then
``multinomial.Multinomial(10, probs).sample((500,))``, as with ``torch.distributions``.
Draws come from minigrad's one generator (:func:`minigrad.manual_seed`).

Examples
--------
>>> import minigrad
>>> from minigrad.distributions import multinomial
>>> _ = minigrad.manual_seed(0)
>>> counts = multinomial.Multinomial(10, minigrad.ones(6) / 6).sample((500,))
>>> counts.shape, counts.dtype, bool((counts.sum(dim=1) == 10).all())
(minigrad.Size([500, 6]), dtype('float32'), True)
"""

from __future__ import annotations

import sys

import numpy as np

from .convert import _shape_args, to_numpy
from .random import default_generator
from .tensor import Tensor

__all__ = ["Multinomial", "multinomial"]


class Multinomial:
    """Counts of ``total_count`` independent draws among ``len(probs)`` outcomes.

    Parameters
    ----------
    total_count : int
        Draws per sample.
    probs : Tensor or array_like
        Non-negative weights of the outcomes along the last axis (normalised to sum to 1,
        as PyTorch does); leading axes are a batch of distributions.

    Examples
    --------
    >>> import minigrad
    >>> m = Multinomial(4, minigrad.tensor([1.0, 3.0]))
    >>> m.probs.tolist(), m.mean.tolist()
    ([0.25, 0.75], [1.0, 3.0])
    """

    def __init__(self, total_count: int = 1, probs=None, logits=None):
        if isinstance(total_count, bool) or not isinstance(total_count, (int, np.integer)) or total_count < 0:
            raise ValueError(f"Multinomial: total_count must be a non-negative int, got {total_count!r}")
        if (probs is None) == (logits is None):
            raise ValueError("Multinomial: give either probs or logits, not both")
        if probs is not None:
            p = np.asarray(to_numpy(probs), dtype=np.float64)
            if p.ndim == 0 or not np.all(np.isfinite(p)) or np.any(p < 0) or np.any(p.sum(-1) == 0):
                raise ValueError(f"Multinomial: probs must be finite, non-negative weights along the last axis "
                                 f"with a positive sum, got {p!r}")
            dtype = np.asarray(to_numpy(probs)).dtype if np.asarray(to_numpy(probs)).dtype.kind == "f" else np.float32
        else:
            z = np.asarray(to_numpy(logits), dtype=np.float64)
            p = np.exp(z - z.max(-1, keepdims=True))
            dtype = np.asarray(to_numpy(logits)).dtype if np.asarray(to_numpy(logits)).dtype.kind == "f" else np.float32
        self.total_count = int(total_count)
        self._p = p / p.sum(-1, keepdims=True)
        self._dtype = np.dtype(dtype)

    @property
    def probs(self) -> Tensor:
        """The normalised probabilities."""
        return Tensor(self._p.astype(self._dtype))

    @property
    def mean(self) -> Tensor:
        """Expected counts, ``total_count * probs``."""
        return Tensor((self.total_count * self._p).astype(self._dtype))

    @property
    def variance(self) -> Tensor:
        """``total_count * probs * (1 - probs)``."""
        return Tensor((self.total_count * self._p * (1 - self._p)).astype(self._dtype))

    def sample(self, sample_shape=()) -> Tensor:
        """Counts of shape ``sample_shape + probs.shape`` (float, as PyTorch), outside any graph.

        Examples
        --------
        >>> import minigrad
        >>> Multinomial(1, minigrad.tensor([0.0, 1.0])).sample().tolist()
        [0.0, 1.0]
        """
        shape = _shape_args((sample_shape,), "sample") + self._p.shape[:-1]
        counts = default_generator().multinomial(self.total_count, self._p, size=shape)
        return Tensor(counts.astype(self._dtype))


# `from minigrad.distributions import multinomial; multinomial.Multinomial(...)`, as
# torch.distributions.multinomial is the module that holds the class.
multinomial = sys.modules[__name__]
