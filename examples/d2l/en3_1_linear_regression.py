"""Section 3.1 (d2l.ai 1.0), linear regression: vectorization and the normal distribution.

Only the import block differs from what runs on PyTorch with ``d2l.torch``.
Run: ``python examples/d2l/en3_1_linear_regression.py``.
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l

import math
import time
import numpy as np

# --8<-- [start:vectorization]
n = 5000
a = d2l.ones(n)
b = d2l.ones(n)
c = d2l.zeros(n)
t = time.time()
for i in range(n):              # one element at a time
    c[i] = a[i] + b[i]
print(f'{time.time() - t:.5f} sec')
t = time.time()
d = a + b                       # the whole vector at once
print(f'{time.time() - t:.5f} sec')
# --8<-- [end:vectorization]


# --8<-- [start:normal]
def normal(x, mu, sigma):
    p = 1 / math.sqrt(2 * math.pi * sigma**2)
    return p * np.exp(-0.5 * (x - mu)**2 / sigma**2)


x = np.arange(-7, 7, 0.01)
params = [(0, 1), (0, 2), (3, 1)]
d2l.plot(x, [normal(x, mu, sigma) for mu, sigma in params], xlabel='x', ylabel='p(x)',
         figsize=(4.5, 2.5), legend=[f'mean {mu}, std {sigma}' for mu, sigma in params])
# --8<-- [end:normal]
