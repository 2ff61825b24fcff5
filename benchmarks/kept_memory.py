"""Memory a kept loss holds after backward(): minigrad vs PyTorch, same MLP, same data (issue 18).

Measured as the process's resident memory with the loss kept, minus after ``del loss``;
every array is large enough to be its own mmap, so freeing it shows at once when glibc's
mmap threshold is fixed::

    MALLOC_MMAP_THRESHOLD_=65536 python benchmarks/kept_memory.py minigrad .
    MALLOC_MMAP_THRESHOLD_=65536 /path/to/torch/python benchmarks/kept_memory.py torch
"""
import gc, sys
import numpy as np

def rss():
    return int(open("/proc/self/statm").read().split()[1]) * 4096

rng = np.random.default_rng(0)
N, D, H, C = 4096, 784, 256, 10
X = rng.standard_normal((N, D)).astype(np.float32)
Y = rng.integers(0, C, N)
W1, B1 = (rng.standard_normal((H, D)) * 0.05).astype(np.float32), np.zeros(H, np.float32)
W2, B2 = (rng.standard_normal((C, H)) * 0.05).astype(np.float32), np.zeros(C, np.float32)

if sys.argv[1] == "torch":
    import torch
    import torch.nn.functional as F
    t = lambda a, g=False: torch.tensor(a, requires_grad=g)
    x, y = t(X), torch.tensor(Y)
    ps = [t(a, True) for a in (W1, B1, W2, B2)]
    def step():
        return F.cross_entropy(F.linear(F.relu(F.linear(x, ps[0], ps[1])), ps[2], ps[3]), y)
else:
    sys.path.insert(0, sys.argv[2])
    import minigrad
    import minigrad.functional as F
    x, y = minigrad.tensor(X), Y
    ps = [minigrad.tensor(a, requires_grad=True) for a in (W1, B1, W2, B2)]
    def step():
        return F.cross_entropy(F.linear(F.linear(x, ps[0], ps[1]).relu(), ps[2], ps[3]), y)

for _ in range(2):  # warm up: gradients allocated, caches filled
    loss = step(); loss.backward(); del loss
gc.collect()
before = rss()
loss = step()
loss.backward()
gc.collect()
kept = rss()
del loss
gc.collect()
after = rss()
print(f"{sys.argv[1]}: kept loss holds {(kept - after) / 2**10:.0f} KiB after backward; forward activations: {(N * H * 2 + N * C) * 4 / 2**10:.0f} KiB")
