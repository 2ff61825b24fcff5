"""Section 4.3 (d2l.ai 1.0), the base classification model, in the book's style on minigrad.

Only the import block differs from what runs on PyTorch with ``d2l.torch``.
Run: ``python examples/d2l/en4_3_classification.py``.
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l


# --8<-- [start:classifier]
class MyClassifier(d2l.Module):
    """A Module that also plots its validation accuracy."""
    def validation_step(self, batch):
        Y_hat = self(*batch[:-1])
        self.plot('loss', self.loss(Y_hat, batch[-1]), train=False)
        self.plot('acc', self.accuracy(Y_hat, batch[-1]), train=False)


@d2l.add_to_class(MyClassifier)
def configure_optimizers(self):
    return torch.optim.SGD(self.parameters(), lr=self.lr)


@d2l.add_to_class(MyClassifier)
def accuracy(self, Y_hat, Y, averaged=True):
    """The fraction of correct predictions (or each prediction's 0/1)."""
    Y_hat = d2l.reshape(Y_hat, (-1, Y_hat.shape[-1]))
    preds = d2l.astype(d2l.argmax(Y_hat, axis=1), Y.dtype)
    compare = d2l.astype(preds == d2l.reshape(Y, -1), d2l.float32)
    return d2l.reduce_mean(compare) if averaged else compare
# --8<-- [end:classifier]

# --8<-- [start:check]
scores = d2l.tensor([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3]])
labels = d2l.tensor([1, 2, 2, 0])
print(MyClassifier.accuracy(None, scores, labels))                   # 2 of 4 right
print(MyClassifier.accuracy(None, scores, labels, averaged=False))
# --8<-- [end:check]
