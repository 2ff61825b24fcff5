"""Section 4.2 (d2l.ai 1.0), the image classification data set, in the book's style on minigrad.

Only the import block differs from what runs on PyTorch with ``d2l.torch``.
Run: ``python examples/d2l/en4_2_image_classification_dataset.py`` (reads ../data).
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l

import time

d2l.use_svg_display()


# --8<-- [start:data]
class Fashion(d2l.DataModule):
    """Fashion-MNIST, resized."""
    def __init__(self, batch_size=64, resize=(28, 28)):
        super().__init__()
        self.save_hyperparameters()
        trans = transforms.Compose([transforms.Resize(resize), transforms.ToTensor()])
        self.train = torchvision.datasets.FashionMNIST(root=self.root, train=True, transform=trans,
                                                       download=True)
        self.val = torchvision.datasets.FashionMNIST(root=self.root, train=False, transform=trans,
                                                     download=True)


data = Fashion(resize=(32, 32))
print(len(data.train), len(data.val))
print(data.train[0][0].shape)
# --8<-- [end:data]


# --8<-- [start:loader]
@d2l.add_to_class(Fashion)
def text_labels(self, indices):
    """The names of the classes."""
    labels = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat',
              'sandal', 'shirt', 'sneaker', 'bag', 'ankle boot']
    return [labels[int(i)] for i in indices]


@d2l.add_to_class(Fashion)
def get_dataloader(self, train):
    data = self.train if train else self.val
    return torch.utils.data.DataLoader(data, self.batch_size, shuffle=train,
                                       num_workers=self.num_workers)


X, y = next(iter(data.train_dataloader()))
print(X.shape, X.dtype, y.shape, y.dtype)
tic = time.time()
for X, y in data.train_dataloader():
    continue
print(f'{time.time() - tic:.2f} sec')
# --8<-- [end:loader]


# --8<-- [start:visualize]
@d2l.add_to_class(Fashion)
def visualize(self, batch, nrows=1, ncols=8, labels=[]):
    X, y = batch
    if not labels:
        labels = self.text_labels(y)
    d2l.show_images(X.squeeze(1), nrows, ncols, titles=labels)


batch = next(iter(data.val_dataloader()))
data.visualize(batch)
# --8<-- [end:visualize]
