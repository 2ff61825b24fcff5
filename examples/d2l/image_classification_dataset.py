"""Section 3.5, the image classification data set, in the book's style on minigrad.

Only the import block differs from what runs on PyTorch with ``d2l.torch``. The
files are read from ``../data/FashionMNIST/raw`` (torchvision's layout) or downloaded.
Run: ``python examples/d2l/image_classification_dataset.py``.
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l

d2l.use_svg_display()

# --8<-- [start:read]
to_tensor = transforms.ToTensor()     # uint8 28x28 -> float32 (1, 28, 28) in [0, 1]
fashion_train = torchvision.datasets.FashionMNIST(
    root="../data", train=True, transform=to_tensor, download=True)
fashion_test = torchvision.datasets.FashionMNIST(
    root="../data", train=False, transform=to_tensor, download=True)
print(len(fashion_train), len(fashion_test))
print(fashion_train[0][0].shape)
# --8<-- [end:read]


# --8<-- [start:show]
def label_names(labels):
    """Class numbers -> the words for them."""
    names = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat',
             'sandal', 'shirt', 'sneaker', 'bag', 'ankle boot']
    return [names[int(i)] for i in labels]


def image_grid(imgs, num_rows, num_cols, titles=None, scale=1.5):
    """Draw images in a grid; return the axes."""
    _, axes = d2l.plt.subplots(num_rows, num_cols, figsize=(num_cols * scale, num_rows * scale))
    axes = axes.flatten()
    for i, (ax, img) in enumerate(zip(axes, imgs)):
        ax.imshow(img.numpy() if torch.is_tensor(img) else img)
        ax.axes.get_xaxis().set_visible(False)
        ax.axes.get_yaxis().set_visible(False)
        if titles:
            ax.set_title(titles[i])
    return axes


X, y = next(iter(data.DataLoader(fashion_train, batch_size=18)))
image_grid(X.reshape(18, 28, 28), 2, 9, titles=label_names(y));
# --8<-- [end:show]

# --8<-- [start:loader]
batch_size = 256


def workers():
    return 4


train_iter = data.DataLoader(fashion_train, batch_size, shuffle=True, num_workers=workers())
timer = d2l.Timer()
for X, y in train_iter:
    continue
print(f'{timer.stop():.2f} sec')
# --8<-- [end:loader]


# --8<-- [start:load_data]
def fashion_loaders(batch_size, resize=None):
    """Train and test loaders of Fashion-MNIST, the images optionally resized."""
    steps = [transforms.ToTensor()]
    if resize:
        steps.insert(0, transforms.Resize(resize))
    steps = transforms.Compose(steps)
    train = torchvision.datasets.FashionMNIST(root="../data", train=True, transform=steps, download=True)
    test = torchvision.datasets.FashionMNIST(root="../data", train=False, transform=steps, download=True)
    return (data.DataLoader(train, batch_size, shuffle=True, num_workers=workers()),
            data.DataLoader(test, batch_size, shuffle=False, num_workers=workers()))


train_iter, test_iter = fashion_loaders(32, resize=64)
for X, y in train_iter:
    print(X.shape, X.dtype, y.shape, y.dtype)
    break
# --8<-- [end:load_data]
