"""Section 2.5 (d2l-zh), automatic differentiation, in the book's style on minigrad.

Only the import block differs from what runs on PyTorch with ``d2l.torch``.
Run: ``python examples/d2l/ch2_5_autograd.py``.
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l

# --8<-- [start:dot]
x = torch.arange(4.0)
x.requires_grad_(True)        # same as torch.arange(4.0, requires_grad=True)
print(x.grad)                 # None until backward() fills it
y = 3 * torch.dot(x, x)       # y = 3 x.x, so dy/dx = 6x
y.backward()
print(x.grad, x.grad == 6 * x)
# --8<-- [end:dot]

# --8<-- [start:accumulate]
x.grad.zero_()                # gradients add up unless cleared
y = x.sum()
y.backward()
grad_of_sum = x.grad.clone()
print(grad_of_sum)
# --8<-- [end:accumulate]

# --8<-- [start:nonscalar]
x.grad.zero_()
y = x * x
y.backward(torch.ones(len(x)))    # a vector output needs a gradient: ones sum its entries
print(x.grad)
# --8<-- [end:nonscalar]

# --8<-- [start:detach]
x.grad.zero_()
y = x * x
u = y.detach()                # the same numbers, cut from the graph: a constant
z = u * x
z.sum().backward()
print(x.grad == u)            # dz/dx = u, not 3x^2
x.grad.zero_()
y.sum().backward()            # y itself still has its graph
print(x.grad == 2 * x)
# --8<-- [end:detach]


# --8<-- [start:control]
def g(a):
    b = a * 3
    while b.norm() < 500:     # how many loops depends on a
        b = b * 3
    if b.sum() > 0:
        c = b
    else:
        c = 50 * b
    return c


torch.manual_seed(0)
a = torch.randn(size=(), requires_grad=True)
d = g(a)
d.backward()
print(a.grad == d / a)        # g is linear in a on each path: d = k a, so dd/da = d / a
# --8<-- [end:control]
