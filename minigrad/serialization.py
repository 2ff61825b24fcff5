"""Save and load parameters as ``.npz``: plain arrays, never pickle.

Examples
--------
>>> import os, tempfile, minigrad
>>> net = minigrad.nn.Linear(3, 2)
>>> path = os.path.join(tempfile.mkdtemp(), "net.npz")
>>> minigrad.save(net.state_dict(), path)
>>> minigrad.nn.Linear(3, 2).load_state_dict(minigrad.load(path))
"""

from __future__ import annotations

import os
import tempfile
from collections import OrderedDict

import numpy as np

__all__ = ["save", "load"]


def save(state_dict: dict, path) -> None:
    """Write ``{name: array}`` to ``path`` (.npz), atomically: a crash leaves the old file."""
    path = os.fspath(path)
    arrays = {name: np.asarray(value) for name, value in state_dict.items()}
    bad = [name for name, a in arrays.items() if a.dtype == object]
    if bad:
        raise TypeError(f"save: {bad} are not numeric arrays")
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".npz.part")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def load(path) -> "OrderedDict[str, np.ndarray]":
    """Read a file written by :func:`save` (``allow_pickle=False``: no code is run)."""
    try:
        with np.load(os.fspath(path), allow_pickle=False) as f:
            return OrderedDict((name, f[name]) for name in f.files)
    except (ValueError, OSError) as err:
        raise ValueError(f"load: {path} is not a minigrad .npz checkpoint: {err}") from None
