"""Section 2.3 (d2l-zh), linear algebra, in the book's style on minigrad.

Only the import block differs from what runs on PyTorch with ``d2l.torch``.
Run: ``python examples/d2l/ch2_3_linear_algebra.py``.
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l

# --8<-- [start:objects]
s, t = torch.tensor(5.0), torch.tensor(4.0)
print(s + t, s * t, s / t, s ** t)
v = torch.arange(5)
print(v, v[2], len(v), v.shape)
M = torch.arange(6).reshape(3, 2)
print(M, M.T)
S = torch.tensor([[1, 5, 6], [5, 2, 0], [6, 0, 3]])
print(S == S.T)                       # a symmetric matrix equals its transpose
print(torch.arange(12).reshape(2, 2, 3))
# --8<-- [end:objects]

# --8<-- [start:arithmetic]
A = torch.arange(12, dtype=torch.float32).reshape(4, 3)
B = A.clone()
print(A + B, A * B)                   # the Hadamard product is element-wise
print(3 + torch.arange(6).reshape(1, 2, 3), (3 * A).shape)
# --8<-- [end:arithmetic]

# --8<-- [start:reductions]
x = torch.arange(5, dtype=torch.float32)
print(x.sum(), A.shape, A.sum())
col_sums, row_sums = A.sum(axis=0), A.sum(axis=1)
print(col_sums, col_sums.shape, row_sums, row_sums.shape)
print(A.sum(axis=[0, 1]), A.mean(), A.sum() / A.numel())
print(A.mean(axis=0), A.sum(axis=0) / A.shape[0])
row_totals = A.sum(axis=1, keepdims=True)
print(row_totals, A / row_totals)     # each row now sums to 1
print(A.cumsum(axis=0))
# --8<-- [end:reductions]

# --8<-- [start:products]
w = torch.ones(5, dtype=torch.float32)
print(torch.dot(x, w), torch.sum(x * w))
P = torch.arange(15, dtype=torch.float32).reshape(3, 5)
print(P.shape, x.shape, torch.mv(P, x))
Q = torch.ones(5, 2)
print(torch.mm(P, Q))
# --8<-- [end:products]

# --8<-- [start:norms]
u = torch.tensor([6.0, -8.0])
print(torch.norm(u), torch.abs(u).sum())   # L2 and L1
print(torch.norm(torch.ones((2, 8))))      # Frobenius: sqrt(16) = 4
# --8<-- [end:norms]
