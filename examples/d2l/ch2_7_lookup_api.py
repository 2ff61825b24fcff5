"""Section 2.7 (d2l-zh), looking up the API, in the book's style on minigrad.

Only the import block differs from what runs on PyTorch with ``d2l.torch``.
Run: ``python examples/d2l/ch2_7_lookup_api.py``.
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l

# --8<-- [start:lookup]
names = [name for name in dir(torch.distributions) if not name.startswith('_')]
print(names)
help(torch.zeros)
print(torch.zeros(3))
# --8<-- [end:lookup]
