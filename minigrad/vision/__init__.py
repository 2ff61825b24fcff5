"""A small stand-in for ``torchvision``: the MNIST data sets and image transforms.

``from minigrad import vision as torchvision`` and ``from minigrad.vision import
transforms`` let the data-loading code of *Dive into Deep Learning* chapter 3 run
unchanged: ``torchvision.datasets.FashionMNIST(root="../data", train=True,
transform=transforms.ToTensor(), download=True)``.

Examples
--------
>>> from minigrad import vision as torchvision
>>> sorted(name for name in dir(torchvision.datasets) if name.endswith("MNIST"))
['FashionMNIST', 'MNIST']
"""

from . import datasets, transforms

__all__ = ["datasets", "transforms"]
