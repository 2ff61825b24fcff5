"""Section 4.4 (d2l-zh), model selection, underfitting and overfitting, on minigrad.

A cubic with noise, fitted by polynomials of degree 3 (right), 1 (underfits) and 19
(overfits with 100 examples). Only the import block differs from PyTorch's version.
Run: ``python examples/d2l/ch4_4_underfit_overfit.py``.
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l

import math
import numpy as np

torch.manual_seed(0)
np.random.seed(0)

# --8<-- [start:data]
max_degree = 20
n_train, n_test = 100, 100
true_w = np.zeros(max_degree)
true_w[0:4] = np.array([5, 1.2, -3.4, 5.6])

features = np.random.normal(size=(n_train + n_test, 1))
np.random.shuffle(features)
poly_features = np.power(features, np.arange(max_degree).reshape(1, -1))
for i in range(max_degree):
    poly_features[:, i] /= math.gamma(i + 1)   # x^i / i!: keeps large powers in range
labels = np.dot(poly_features, true_w)
labels += np.random.normal(scale=0.1, size=labels.shape)

true_w, features, poly_features, labels = [torch.tensor(x, dtype=torch.float32)
                                           for x in [true_w, features, poly_features, labels]]
print(features[:2], poly_features[:2, :], labels[:2])
# --8<-- [end:data]


# --8<-- [start:train]
def evaluate_loss(net, data_iter, loss):
    """The mean loss of net over a data set."""
    metric = d2l.Accumulator(2)   # sum of losses, number of examples
    for X, y in data_iter:
        out = net(X)
        y = y.reshape(out.shape)
        l = loss(out, y)
        metric.add(l.sum(), l.numel())
    return metric[0] / metric[1]


def train(train_features, test_features, train_labels, test_labels, num_epochs=400):
    loss = nn.MSELoss(reduction='none')
    input_shape = train_features.shape[-1]
    net = nn.Sequential(nn.Linear(input_shape, 1, bias=False))   # the bias is the x^0 feature
    batch_size = min(10, train_labels.shape[0])
    train_iter = d2l.load_array((train_features, train_labels.reshape(-1, 1)), batch_size)
    test_iter = d2l.load_array((test_features, test_labels.reshape(-1, 1)), batch_size, is_train=False)
    trainer = torch.optim.SGD(net.parameters(), lr=0.01)
    animator = d2l.Animator(xlabel='epoch', ylabel='loss', yscale='log', xlim=[1, num_epochs],
                            ylim=[1e-3, 1e2], legend=['train', 'test'])
    for epoch in range(num_epochs):
        d2l.train_epoch_ch3(net, train_iter, loss, trainer)
        if epoch == 0 or (epoch + 1) % 20 == 0:
            animator.add(epoch + 1, (evaluate_loss(net, train_iter, loss),
                                     evaluate_loss(net, test_iter, loss)))
    print('weight:', net[0].weight.data.numpy())
    return net, animator
# --8<-- [end:train]


# --8<-- [start:fits]
cubic, cubic_curves = train(poly_features[:n_train, :4], poly_features[n_train:, :4],
                            labels[:n_train], labels[n_train:])
line, line_curves = train(poly_features[:n_train, :2], poly_features[n_train:, :2],
                          labels[:n_train], labels[n_train:])
wiggly, wiggly_curves = train(poly_features[:n_train, :], poly_features[n_train:, :],
                              labels[:n_train], labels[n_train:], num_epochs=1500)
# --8<-- [end:fits]
