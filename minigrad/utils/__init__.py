"""PyTorch's ``torch.utils`` layout: ``minigrad.utils.data`` is :mod:`minigrad.data`.

It is the same module object, not a copy, so ``from minigrad.utils import data`` and
``import minigrad.data`` see the same classes (``isinstance`` checks agree).

Examples
--------
>>> import minigrad.data
>>> from minigrad.utils import data
>>> data is minigrad.data
True
"""

import sys

from .. import data

# `import minigrad.utils.data` finds the module here instead of looking for a file.
sys.modules[__name__ + ".data"] = data

__all__ = ["data"]
