"""``MNIST`` and ``FashionMNIST`` as ``torchvision.datasets`` has them.

``ds = FashionMNIST(root, train=True, transform=None, target_transform=None,
download=False)``; ``len(ds)``; ``ds[i]`` is ``(image, label)`` with ``label`` a Python
int and ``image`` what ``transform`` makes of the ``uint8`` 28 x 28 array (torchvision
gives a Pillow image there; minigrad stays Pillow-free, and ``transforms.ToTensor`` and
``plt.imshow`` take either).

The IDX files are looked for first in torchvision's layout,
``root/FashionMNIST/raw/*-ubyte[.gz]`` (``root/MNIST/raw`` for MNIST), so a learner's
existing ``../data`` is reused; then in the places :mod:`minigrad.datasets` searches
(``root`` itself, ``$MINIGRAD_DATA``, the per-user cache). Files found are read by
:func:`minigrad.datasets.read_idx`, which refuses malformed ones; with
``download=True`` missing files are fetched by :mod:`minigrad.datasets` into the cache,
checksummed and moved into place atomically.

Examples
--------
>>> import tempfile
>>> from minigrad.vision.datasets import write_idx_pair
>>> root = tempfile.mkdtemp()
>>> _ = write_idx_pair(root, "FashionMNIST", train=False, n=3)
>>> ds = FashionMNIST(root, train=False)
>>> len(ds), ds[0][0].shape, ds[0][0].dtype, type(ds[0][1])
(3, (28, 28), dtype('uint8'), <class 'int'>)
"""

from __future__ import annotations

import gzip
import operator
import os
from pathlib import Path

import numpy as np

from .. import data as _data
from .. import datasets as _datasets

__all__ = ["MNIST", "FashionMNIST", "write_idx_pair"]


# torchvision's data sets are torch.utils.data.Dataset subclasses; ours are minigrad's.
_DatasetBase = getattr(_data, "Dataset", object)


def _raw_dir(root, folder: str):
    return None if root is None else Path(root).expanduser() / folder / "raw"


class MNIST(_DatasetBase):
    """The MNIST handwritten digits, as ``torchvision.datasets.MNIST``.

    Parameters
    ----------
    root : str or path
        The data directory (the book uses ``"../data"``). Files are found in
        ``root/MNIST/raw`` (torchvision's layout) or wherever :mod:`minigrad.datasets`
        looks.
    train : bool
        The 60,000 training images, or the 10,000 test images.
    transform : callable, optional
        Applied to each image (a ``uint8`` H x W array), e.g. ``transforms.ToTensor()``.
    target_transform : callable, optional
        Applied to each label (a Python int).
    download : bool
        Download the files when they are found nowhere (into minigrad's per-user cache,
        not into ``root``; verified and atomic).

    Attributes
    ----------
    data : Tensor, uint8, (N, 28, 28)
    targets : Tensor, int64, (N,)
    classes : list of str

    Examples
    --------
    >>> import tempfile
    >>> root = tempfile.mkdtemp(); _ = write_idx_pair(root, "MNIST", train=True, n=5)
    >>> ds = MNIST(root, train=True, target_transform=lambda y: y + 100)
    >>> len(ds), ds[-1][1] >= 100
    (5, True)
    """

    _key = "mnist"          # the name minigrad.datasets knows it by
    _folder = "MNIST"       # torchvision's folder
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four",
               "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"]

    def __init__(self, root, train: bool = True, transform=None, target_transform=None,
                 download: bool = False):
        if transform is not None and not callable(transform):
            raise TypeError(f"{type(self).__name__}: transform must be callable, got {transform!r}")
        if target_transform is not None and not callable(target_transform):
            raise TypeError(f"{type(self).__name__}: target_transform must be callable, got {target_transform!r}")
        self.root = root
        self.train = bool(train)
        self.transform, self.target_transform = transform, target_transform
        images, labels = self._load(download)
        # The images come back as float32 in [0, 1] (k / 255 exactly); torchvision keeps
        # the stored bytes, and ToTensor is what scales them, so go back to the bytes.
        images *= 255
        self._images = np.rint(images, out=images).astype(np.uint8)
        self._labels = labels.astype(np.int64, copy=False)
        for arr in (self._images, self._labels):
            arr.flags.writeable = False  # ds[i] returns views: a stray write would change the set

    def _load(self, download: bool):
        split = "train" if self.train else "test"
        raw = _raw_dir(self.root, self._folder)
        try:
            # torchvision's layout first, file by file, so an existing ../data is reused and a
            # folder missing only its labels file names that file
            return _datasets._load_idx_pair(self._key, split, self.root, download, first=[raw] if raw else ())
        except _datasets.DatasetError as err:
            if download or "not found" not in str(err):
                raise
            raise _datasets.DatasetError(f"{err}\n(or pass download=True)") from None

    @property
    def data(self):
        """The images, a ``uint8`` Tensor of shape (N, 28, 28) (read-only memory).

        Examples
        --------
        >>> import tempfile
        >>> root = tempfile.mkdtemp(); _ = write_idx_pair(root, "MNIST", n=2)
        >>> MNIST(root).data.shape
        minigrad.Size([2, 28, 28])
        """
        from ..tensor import Tensor

        return Tensor(self._images)

    @property
    def targets(self):
        """The labels, an ``int64`` Tensor of shape (N,).

        Examples
        --------
        >>> import tempfile
        >>> root = tempfile.mkdtemp(); _ = write_idx_pair(root, "MNIST", n=2, labels=[4, 2])
        >>> MNIST(root).targets.tolist()
        [4, 2]
        """
        from ..tensor import Tensor

        return Tensor(self._labels)

    @property
    def class_to_idx(self) -> dict:
        """``{class name: index}``, as torchvision.

        Examples
        --------
        >>> FashionMNIST.class_to_idx.fget(FashionMNIST)["Bag"]
        8
        """
        return {c: i for i, c in enumerate(self.classes)}

    def __len__(self) -> int:
        return len(self._labels)

    def __getitem__(self, index):
        try:
            i = operator.index(index)
        except TypeError:
            raise TypeError(f"{type(self).__name__} indices must be integers, got {type(index).__name__} "
                            f"(batches come from a DataLoader)") from None
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"{type(self).__name__} index {i} out of range for {n} images")
        img, target = self._images[i], int(self._labels[i])
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __repr__(self) -> str:
        lines = [f"Dataset {type(self).__name__}", f"    Number of datapoints: {len(self)}",
                 f"    Root location: {self.root}", f"    Split: {'Train' if self.train else 'Test'}"]
        if self.transform is not None:
            lines.append(f"    Transform: {self.transform!r}")
        if self.target_transform is not None:
            lines.append(f"    Target transform: {self.target_transform!r}")
        return "\n".join(lines)


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST, as ``torchvision.datasets.FashionMNIST``.

    Same parameters and behaviour as :class:`MNIST`; files in ``root/FashionMNIST/raw``
    (torchvision's layout) or wherever :mod:`minigrad.datasets` looks.

    Examples
    --------
    >>> import tempfile
    >>> root = tempfile.mkdtemp(); _ = write_idx_pair(root, "FashionMNIST", train=True, n=2)
    >>> FashionMNIST(root).classes[9]
    'Ankle boot'
    """

    _key = "fashion-mnist"
    _folder = "FashionMNIST"
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def _idx_bytes(array: np.ndarray) -> bytes:
    array = np.ascontiguousarray(array, dtype=np.uint8)
    header = bytes([0, 0, 0x08, array.ndim]) + np.asarray(array.shape, dtype=">u4").tobytes()
    return header + array.tobytes()


def write_idx_pair(root, folder: str = "FashionMNIST", train: bool = True, n: int = 10,
                   images=None, labels=None, seed: int = 0, gz: bool = True):
    """Write an images/labels IDX pair in torchvision's layout ``root/folder/raw``.

    For tests and for putting other data (e.g. part of MNIST) where the book's code
    looks for Fashion-MNIST. Without ``images``, ``n`` random 28 x 28 images are made
    whose class shows in their pixels (a bright band at a class-dependent row), so a
    linear classifier can learn them.

    Parameters
    ----------
    root : path
    folder : {"FashionMNIST", "MNIST"}
    train : bool
        Write ``train-*`` (True) or ``t10k-*`` (False) files.
    n : int
        Number of random images when ``images`` is not given.
    images : uint8 array (N, H, W), optional
    labels : int array (N,), optional
    seed : int
    gz : bool
        Gzip the files (torchvision keeps both forms; either is read).

    Returns
    -------
    list of Path
        The two files written.

    Examples
    --------
    >>> import tempfile
    >>> [p.name for p in write_idx_pair(tempfile.mkdtemp(), train=False, n=1)]
    ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']
    """
    if images is None:
        rng = np.random.default_rng(seed)
        labels = rng.integers(0, 10, n) if labels is None else np.asarray(labels)
        images = rng.integers(0, 60, (len(labels), 28, 28))
        for k, y in enumerate(labels):
            images[k, 2 + 2 * int(y):4 + 2 * int(y), 4:24] += 180
    images, labels = np.asarray(images), np.asarray(labels)
    if images.ndim != 3 or labels.shape != (len(images),):
        raise ValueError(f"write_idx_pair: need images (N, H, W) and labels (N,), got {images.shape}, {labels.shape}")
    if images.min(initial=0) < 0 or images.max(initial=0) > 255 or labels.min(initial=0) < 0 or labels.max(initial=0) > 9:
        raise ValueError("write_idx_pair: images must be in 0..255 and labels in 0..9")
    raw = Path(root) / folder / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    prefix = "train" if train else "t10k"
    paths = []
    for kind, arr in (("images-idx3", images), ("labels-idx1", labels)):
        path = raw / f"{prefix}-{kind}-ubyte{'.gz' if gz else ''}"
        payload = _idx_bytes(arr)
        if gz:
            payload = gzip.compress(payload, mtime=0)
        tmp = path.with_name(f".{path.name}.part")
        tmp.write_bytes(payload)
        os.replace(tmp, path)  # never a half-written file where a reader would look
        paths.append(path)
    return paths
