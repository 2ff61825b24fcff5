"""Section 3.7, concise softmax regression, in the book's style on minigrad.

Only the import block differs from what runs on PyTorch with ``d2l.torch``.
Run: ``python examples/d2l/softmax_regression_concise.py`` (data in ../data).
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l

torch.manual_seed(0)

# --8<-- [start:model]
batch_size = 256
train_iter, test_iter = d2l.load_data_fashion_mnist(batch_size)

# nn.Linear wants (n, 784): Flatten turns the (n, 1, 28, 28) images into rows first
net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))


def small_normal(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, std=0.01)


net.apply(small_normal);
# --8<-- [end:model]

# --8<-- [start:train]
loss = nn.CrossEntropyLoss(reduction='none')   # one loss per example; train_ch3 averages
trainer = torch.optim.SGD(net.parameters(), lr=0.1)
num_epochs = 10
d2l.train_ch3(net, train_iter, test_iter, loss, num_epochs, trainer)
# --8<-- [end:train]

test_acc = d2l.evaluate_accuracy(net, test_iter)
print(f'test accuracy {test_acc:.4f}')
d2l.predict_ch3(net, test_iter)
