"""Section 3.3, concise linear regression, in the book's style on minigrad.

Only the import block differs from what runs on PyTorch with ``d2l.torch``.
Run: ``python examples/d2l/linear_regression_concise.py``.
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l

import numpy as np

torch.manual_seed(0)

# --8<-- [start:data]
true_w = d2l.tensor([2, -3.4])
true_b = 4.2
features, labels = d2l.synthetic_data(true_w, true_b, 1000)


def loader(arrays, batch_size, is_train=True):
    """A DataLoader over tensors of equal length, shuffled for training."""
    dataset = data.TensorDataset(*arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)


batch_size = 10
data_iter = loader((features, labels), batch_size)
print(next(iter(data_iter)))
# --8<-- [end:data]

# --8<-- [start:model]
net = nn.Sequential(nn.Linear(2, 1))
net[0].weight.data.normal_(0, 0.01)
net[0].bias.data.fill_(0)
loss = nn.MSELoss()
trainer = torch.optim.SGD(net.parameters(), lr=0.03)
# --8<-- [end:model]

# --8<-- [start:train]
num_epochs = 3
for epoch in range(num_epochs):
    for X, y in data_iter:
        l = loss(net(X), y)
        trainer.zero_grad()
        l.backward()
        trainer.step()
    l = loss(net(features), labels)
    print(f'epoch {epoch + 1}, loss {l:f}')

w = net[0].weight.data
print('error in w:', true_w - d2l.reshape(w, true_w.shape))
b = net[0].bias.data
print('error in b:', true_b - b)
# --8<-- [end:train]
print('max |w_hat - w|:', np.abs(d2l.numpy(true_w - d2l.reshape(w, true_w.shape))).max())
