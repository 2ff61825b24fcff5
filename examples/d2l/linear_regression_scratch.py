"""Section 3.2, linear regression from scratch, in the book's style on minigrad.

Only the import block differs from what runs on PyTorch with ``d2l.torch``.
Run: ``python examples/d2l/linear_regression_scratch.py``.
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l

import random

torch.manual_seed(0)   # one seed for every tensor drawn below
random.seed(0)         # and one for the order of the minibatches


# --8<-- [start:data]
def make_examples(w, b, n):
    """n noisy examples of the line y = Xw + b."""
    X = d2l.normal(0, 1, (n, len(w)))
    y = d2l.matmul(X, w) + b
    y += d2l.normal(0, 0.01, y.shape)        # in place, on a tensor outside any graph
    return X, d2l.reshape(y, (-1, 1))


true_w = d2l.tensor([2, -3.4])
true_b = 4.2
features, labels = make_examples(true_w, true_b, 1000)
print('first example:', features[0], '\nits label:', labels[0])

d2l.set_figsize()
d2l.plt.scatter(d2l.numpy(features[:, 1]), d2l.numpy(labels), 1);
# --8<-- [end:data]


# --8<-- [start:minibatches]
def minibatches(batch_size, features, labels):
    """Shuffle the example numbers, then hand them out batch_size at a time."""
    order = list(range(len(features)))
    random.shuffle(order)
    for start in range(0, len(order), batch_size):
        picked = d2l.tensor(order[start:min(start + batch_size, len(order))])
        yield features[picked], labels[picked]


batch_size = 10
for X, y in minibatches(batch_size, features, labels):
    print(X, '\n', y)
    break
# --8<-- [end:minibatches]

# --8<-- [start:model]
w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)
b = torch.zeros(1, requires_grad=True)


def model(X, w, b):
    return d2l.matmul(X, w) + b


def half_squared_error(y_hat, y):
    return (y_hat - d2l.reshape(y, y_hat.shape)) ** 2 / 2


def step(params, lr, batch_size):
    """Minibatch SGD on a summed loss; the update must not be recorded."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
# --8<-- [end:model]


# --8<-- [start:train]
lr, num_epochs = 0.03, 3
net, loss = model, half_squared_error
for epoch in range(num_epochs):
    for X, y in minibatches(batch_size, features, labels):
        l = loss(net(X, w, b), y)       # one loss per example, shape (batch_size, 1)
        l.sum().backward()
        step([w, b], lr, batch_size)
    with torch.no_grad():
        train_l = loss(net(features, w, b), labels)
        print(f'epoch {epoch + 1}, loss {float(train_l.mean()):f}')

print(f'error in w: {true_w - d2l.reshape(w, true_w.shape)}')
print(f'error in b: {true_b - b}')
# --8<-- [end:train]
