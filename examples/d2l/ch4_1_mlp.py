"""Section 4.1 (d2l-zh), multilayer perceptrons: activation functions and their gradients.

Only the import block differs from what runs on PyTorch with ``d2l.torch``.
Run: ``python examples/d2l/ch4_1_mlp.py``.
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l

# --8<-- [start:activations]
x = torch.arange(-6.0, 6.0, 0.1, requires_grad=True)
curves = {}
for name in ['relu', 'sigmoid', 'tanh']:
    y = getattr(torch, name)(x)
    y.backward(torch.ones_like(x), retain_graph=True)   # a vector output: seed with ones
    curves[name] = (y.detach(), x.grad.clone())
    d2l.plot(x.detach(), [y.detach(), x.grad], 'x', name + '(x)', legend=[name, 'gradient'],
             figsize=(5, 2.5))
    x.grad.data.zero_()                                  # clear before the next function
# --8<-- [end:activations]
