"""Section 2.6 (d2l-zh), probability, in the book's style on minigrad.

Only the import block differs from what runs on PyTorch with ``d2l.torch``.
Run: ``python examples/d2l/ch2_6_probability.py``.
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l

torch.manual_seed(0)

# --8<-- [start:sample]
multinomial = torch.distributions.multinomial
coin_probs = torch.tensor([0.3, 0.7])          # a bent coin
print(multinomial.Multinomial(1, coin_probs).sample())
print(multinomial.Multinomial(10, coin_probs).sample())
tosses = multinomial.Multinomial(1000, coin_probs).sample()
print(tosses / 1000)                            # relative frequencies estimate the probabilities
# --8<-- [end:sample]

# --8<-- [start:running]
counts = multinomial.Multinomial(10, coin_probs).sample((400,))
running = counts.cumsum(dim=0)
estimates = running / running.sum(dim=1, keepdims=True)

d2l.set_figsize((6, 4.5))
for i in range(2):
    d2l.plt.plot(estimates[:, i].numpy(), label=("P(side=" + str(i) + ")"))
for p in coin_probs.tolist():
    d2l.plt.axhline(y=p, color='black', linestyle='dashed')
d2l.plt.gca().set_xlabel('Groups of experiments')
d2l.plt.gca().set_ylabel('Estimated probability')
d2l.plt.legend();
# --8<-- [end:running]
