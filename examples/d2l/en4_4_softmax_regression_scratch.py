"""Section 4.4 (d2l.ai 1.0), softmax regression from scratch, in the book's style on minigrad.

Only the import block differs from what runs on PyTorch with ``d2l.torch``.
Run: ``python examples/d2l/en4_4_softmax_regression_scratch.py`` (reads ../data).
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l

torch.manual_seed(0)

# --8<-- [start:softmax]
X = d2l.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
print(d2l.reduce_sum(X, 0, keepdims=True), d2l.reduce_sum(X, 1, keepdims=True))


def softmax(X):
    X_exp = d2l.exp(X)
    partition = d2l.reduce_sum(X_exp, 1, keepdims=True)
    return X_exp / partition          # each row divided by its own sum (broadcasting)


X = d2l.rand((2, 5))
X_prob = softmax(X)
print(X_prob, d2l.reduce_sum(X_prob, 1))
# --8<-- [end:softmax]


# --8<-- [start:model]
class SoftmaxScratch(d2l.Classifier):
    def __init__(self, num_inputs, num_outputs, lr, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.W = torch.normal(0, sigma, size=(num_inputs, num_outputs), requires_grad=True)
        self.b = torch.zeros(num_outputs, requires_grad=True)

    def parameters(self):
        return [self.W, self.b]


@d2l.add_to_class(SoftmaxScratch)
def forward(self, X):
    X = d2l.reshape(X, (-1, self.W.shape[0]))
    return softmax(d2l.matmul(X, self.W) + self.b)
# --8<-- [end:model]

# --8<-- [start:loss]
y = d2l.tensor([0, 2])
y_hat = d2l.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
print(y_hat[[0, 1], y])               # the probability given to the right class


def cross_entropy(y_hat, y):
    return -d2l.reduce_mean(d2l.log(y_hat[list(range(len(y_hat))), y]))


print(cross_entropy(y_hat, y))


@d2l.add_to_class(SoftmaxScratch)
def loss(self, y_hat, y):
    return cross_entropy(y_hat, y)
# --8<-- [end:loss]

# --8<-- [start:train]
data = d2l.FashionMNIST(batch_size=256)
model = SoftmaxScratch(num_inputs=784, num_outputs=10, lr=0.1)
trainer = d2l.Trainer(max_epochs=10)
trainer.fit(model, data)
# --8<-- [end:train]

# --8<-- [start:predict]
X, y = next(iter(data.val_dataloader()))
preds = d2l.argmax(model(X), axis=1)
print(preds.shape)
wrong = d2l.astype(preds, y.dtype) != y
X, y, preds = X[wrong], y[wrong], preds[wrong]
labels = [a + '\n' + b for a, b in zip(data.text_labels(y), data.text_labels(preds))]
data.visualize([X, y], labels=labels)
# --8<-- [end:predict]
