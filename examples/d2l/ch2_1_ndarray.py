"""Section 2.1 (d2l-zh), data manipulation, in the book's style on minigrad.

Only the import block differs from what runs on PyTorch with ``d2l.torch``.
Run: ``python examples/d2l/ch2_1_ndarray.py``.
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l

# --8<-- [start:create]
x = torch.arange(12)
print(x, x.shape, x.numel())
X = x.reshape(3, -1)                 # -1: worked out from the 12 elements
print(X)
print(torch.zeros((2, 3, 4)).shape, torch.ones(2, 3).sum())
torch.manual_seed(0)
print(torch.randn(3, 4).shape)
print(torch.tensor([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]]))
# --8<-- [end:create]

# --8<-- [start:operators]
u = torch.tensor([1.0, 2, 4, 8])
v = torch.tensor([2, 2, 2, 2])
print(u + v, u - v, u * v, u / v, u ** v)
print(torch.exp(u))
X = torch.arange(12, dtype=torch.float32).reshape((3, 4))
Y = torch.tensor([[2.0, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
rows, cols = torch.cat((X, Y), dim=0), torch.cat((X, Y), dim=1)
print(rows.shape, cols.shape)
print(X == Y)
print(X.sum())
# --8<-- [end:operators]

# --8<-- [start:broadcasting]
a = torch.arange(3).reshape((3, 1))
b = torch.arange(2).reshape((1, 2))
print(a + b)                         # (3, 1) + (1, 2) -> (3, 2)
# --8<-- [end:broadcasting]

# --8<-- [start:indexing]
print(X[-1], X[1:3])
X[1, 2] = 9
X[0:2, :] = 12
print(X)
# --8<-- [end:indexing]

# --8<-- [start:memory]
before = id(Y)
Y = Y + X
new_object = id(Y) != before         # a new tensor
Z = torch.zeros_like(Y)
z_before = id(Z)
Z[:] = X + Y                         # written into Z's memory
same_z = id(Z) == z_before
x_before = id(X)
X += Y
same_x = id(X) == x_before
print(new_object, same_z, same_x)
# --8<-- [end:memory]

# --8<-- [start:convert]
A = X.numpy()
B = torch.tensor(A)
print(type(A).__name__, type(B).__name__)
s = torch.tensor([3.5])
print(s, s.item(), float(s), int(s))
# --8<-- [end:convert]
