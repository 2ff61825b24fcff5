"""Section 3.5 (d2l.ai 1.0), concise linear regression, in the book's style on minigrad.

Only the import block differs from what runs on PyTorch with ``d2l.torch``.
Run: ``python examples/d2l/en3_5_linear_regression_concise.py``.
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l

torch.manual_seed(0)


# --8<-- [start:model]
class LinearConcise(d2l.Module):
    """Linear regression from the library's layers."""
    def __init__(self, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.LazyLinear(1)          # in_features comes from the first batch
        self.net.weight.data.normal_(0, 0.01)
        self.net.bias.data.fill_(0)


@d2l.add_to_class(LinearConcise)
def forward(self, X):
    return self.net(X)


@d2l.add_to_class(LinearConcise)
def loss(self, y_hat, y):
    fn = nn.MSELoss()
    return fn(y_hat, y)


@d2l.add_to_class(LinearConcise)
def configure_optimizers(self):
    return torch.optim.SGD(self.parameters(), self.lr)
# --8<-- [end:model]

# --8<-- [start:train]
model = LinearConcise(lr=0.03)
data = d2l.SyntheticRegressionData(w=d2l.tensor([2, -3.4]), b=4.2)
trainer = d2l.Trainer(max_epochs=3)
trainer.fit(model, data)


@d2l.add_to_class(LinearConcise)
def get_w_b(self):
    return (self.net.weight.data, self.net.bias.data)


w, b = model.get_w_b()
print(f'error in estimating w: {data.w - d2l.reshape(w, data.w.shape)}')
print(f'error in estimating b: {data.b - b}')
# --8<-- [end:train]
