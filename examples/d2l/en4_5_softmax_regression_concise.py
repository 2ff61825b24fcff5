"""Section 4.5 (d2l.ai 1.0), concise softmax regression, in the book's style on minigrad.

Only the import block differs from what runs on PyTorch with ``d2l.torch``.
Run: ``python examples/d2l/en4_5_softmax_regression_concise.py`` (reads ../data).
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l

F = nn.functional                             # torch.nn.functional, as the book's F

torch.manual_seed(0)


# --8<-- [start:model]
class Softmax(d2l.Classifier):
    """Softmax regression from the library's layers."""
    def __init__(self, num_outputs, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Flatten(), nn.LazyLinear(num_outputs))

    def forward(self, X):
        return self.net(X)


@d2l.add_to_class(Softmax)
def loss(self, Y_hat, Y, averaged=True):
    Y_hat = d2l.reshape(Y_hat, (-1, Y_hat.shape[-1]))
    Y = d2l.reshape(Y, (-1,))
    return F.cross_entropy(Y_hat, Y, reduction='mean' if averaged else 'none')
# --8<-- [end:model]

# --8<-- [start:train]
data = d2l.FashionMNIST(batch_size=256)
model = Softmax(num_outputs=10, lr=0.1)
trainer = d2l.Trainer(max_epochs=10)
trainer.fit(model, data)
# --8<-- [end:train]
