"""Section 3.6, softmax regression from scratch, in the book's style on minigrad.

Only the import block differs from what runs on PyTorch with ``d2l.torch``.
Run: ``python examples/d2l/softmax_regression_scratch.py`` (data in ../data).
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l

torch.manual_seed(0)

# --8<-- [start:params]
batch_size = 256
train_iter, test_iter = d2l.load_data_fashion_mnist(batch_size)

num_inputs, num_outputs = 784, 10
W = torch.normal(0, 0.01, size=(num_inputs, num_outputs), requires_grad=True)
b = torch.zeros(num_outputs, requires_grad=True)
# --8<-- [end:params]

# --8<-- [start:softmax]
X = d2l.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
print(d2l.reduce_sum(X, 0, keepdim=True), d2l.reduce_sum(X, 1, keepdim=True))


def softmax(X):
    X_exp = d2l.exp(X)
    row_sums = d2l.reduce_sum(X_exp, 1, keepdim=True)
    return X_exp / row_sums          # (n, q) / (n, 1): broadcast over the columns


X = d2l.normal(0, 1, (2, 5))
X_prob = softmax(X)
print(X_prob, d2l.reduce_sum(X_prob, 1))


def net(X):
    return softmax(d2l.matmul(d2l.reshape(X, (-1, W.shape[0])), W) + b)
# --8<-- [end:softmax]


# --8<-- [start:loss]
y = d2l.tensor([0, 2])
y_hat = d2l.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
print(y_hat[[0, 1], y])              # the probability given to each true class


def cross_entropy(y_hat, y):
    return - d2l.log(y_hat[range(len(y_hat)), y])


print(cross_entropy(y_hat, y))


def count_correct(y_hat, y):
    """How many rows put their largest score on the true class."""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = d2l.argmax(y_hat, axis=1)
    hits = d2l.astype(y_hat, y.dtype) == y
    return float(d2l.reduce_sum(d2l.astype(hits, y.dtype)))


print(count_correct(y_hat, y) / len(y))
# --8<-- [end:loss]


# --8<-- [start:evaluate]
class Sums:
    """Running totals of n numbers."""
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(v) for a, v in zip(self.data, args)]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]


def test_accuracy(net, data_iter):
    if isinstance(net, torch.nn.Module):
        net.eval()
    totals = Sums(2)                 # correct, seen
    with torch.no_grad():
        for X, y in data_iter:
            totals.add(count_correct(net(X), y), d2l.size(y))
    return totals[0] / totals[1]


print(test_accuracy(net, test_iter))   # about 0.1 before training
# --8<-- [end:evaluate]


# --8<-- [start:train]
def one_epoch(net, train_iter, loss, updater):
    if isinstance(net, torch.nn.Module):
        net.train()
    totals = Sums(3)                 # summed loss, correct, seen
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            l.mean().backward()
            updater.step()
        else:
            l.sum().backward()
            updater(X.shape[0])
        totals.add(float(l.sum()), count_correct(y_hat, y), y.numel())
    return totals[0] / totals[2], totals[1] / totals[2]


def train(net, train_iter, test_iter, loss, num_epochs, updater):
    animator = d2l.Animator(xlabel='epoch', xlim=[1, num_epochs], ylim=[0.3, 0.9],
                            legend=['train loss', 'train acc', 'test acc'])
    for epoch in range(num_epochs):
        train_metrics = one_epoch(net, train_iter, loss, updater)
        acc = test_accuracy(net, test_iter)
        animator.add(epoch + 1, train_metrics + (acc,))
        print(f'epoch {epoch + 1}: loss {train_metrics[0]:.4f}, '
              f'train acc {train_metrics[1]:.4f}, test acc {acc:.4f}')
    return animator


lr = 0.1


def updater(batch_size):
    return d2l.sgd([W, b], lr, batch_size)


num_epochs = 10
animator = train(net, train_iter, test_iter, cross_entropy, num_epochs, updater)
# --8<-- [end:train]


# --8<-- [start:predict]
def show_predictions(net, test_iter, n=6):
    for X, y in test_iter:
        break
    trues = d2l.get_fashion_mnist_labels(y)
    preds = d2l.get_fashion_mnist_labels(d2l.argmax(net(X), axis=1))
    titles = [t + '\n' + p for t, p in zip(trues, preds)]
    d2l.show_images(d2l.reshape(X[0:n], (n, 28, 28)), 1, n, titles=titles[0:n])


show_predictions(net, test_iter)
# --8<-- [end:predict]
