"""Section 2.4 (d2l-zh), calculus, in the book's style on minigrad.

Only the import block differs from what runs on PyTorch with ``d2l.torch``.
Run: ``python examples/d2l/ch2_4_calculus.py``.
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l

import numpy as np


# --8<-- [start:limit]
def f(x):
    return 2 * x ** 2 - 3 * x


def difference_quotient(f, x, h):
    return (f(x + h) - f(x)) / h


h = 0.1
quotients = []
for i in range(5):
    quotients.append(difference_quotient(f, 1, h))
    print(f'h={h:.5f}, numerical limit={quotients[-1]:.5f}')   # tends to f'(1) = 1
    h *= 0.1
# --8<-- [end:limit]

# --8<-- [start:plot]
x = np.arange(0, 3, 0.1)
d2l.plot(x, [f(x), x - 2], 'x', 'f(x)', legend=['f(x)', 'Tangent line (x=1)'])
# --8<-- [end:plot]
