"""Memory a kept loss holds after backward(): minigrad vs PyTorch, same MLP, same data (issue 18).

Measured as the process's resident memory with the loss kept, minus after ``del loss``;
every array is large enough to be its own mmap, so freeing it shows at once when glibc's
mmap threshold is fixed::

    MALLOC_MMAP_THRESHOLD_=65536 python benchmarks/kept_memory.py minigrad .
    MALLOC_MMAP_THRESHOLD_=65536 /path/to/torch/python benchmarks/kept_memory.py torch

Each run also records its figure in ``benchmarks/results/kept_memory.json`` (the graphs page
of the docs reads it), with the engine's version.
"""
import gc, json, os, platform, sys
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
held, activations = kept - after, (N * H * 2 + N * C) * 4
print(f"{sys.argv[1]}: kept loss holds {held / 2**10:.0f} KiB after backward; forward activations: {activations / 2**10:.0f} KiB")
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "kept_memory.json")
record = json.load(open(path)) if os.path.exists(path) else {}
version = torch.__version__ if sys.argv[1] == "torch" else minigrad.__version__
record[sys.argv[1]] = {"held_bytes": max(held, 0), "activation_bytes": activations, "version": version,
                       "model": f"MLP {D}-{H}-{C}, batch {N}, float32", "python": platform.python_version()}
tmp = path + ".tmp"
with open(tmp, "w") as f:  # whole or not at all
    json.dump(record, f, indent=1, sort_keys=True)
os.replace(tmp, path)
