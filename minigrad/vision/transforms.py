"""Image transforms with torchvision's names: ``ToTensor``, ``Resize``, ``Normalize``, ``Compose``.

They work on NumPy arrays (``uint8`` H x W or H x W x C, as the data sets of
:mod:`minigrad.vision.datasets` return them) and on minigrad Tensors (C x H x W), so
no imaging library is needed. A Pillow image is accepted too: ``ToTensor`` reads it as
an array, and ``Resize`` hands it to Pillow (imported only then).

Examples
--------
>>> import numpy as np
>>> from minigrad.vision import transforms
>>> trans = transforms.Compose([transforms.Resize(4), transforms.ToTensor()])
>>> x = trans(np.full((2, 2), 255, dtype=np.uint8))
>>> x.shape, x.dtype, float(x.max())
(minigrad.Size([1, 4, 4]), dtype('float32'), 1.0)
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["ToTensor", "Resize", "Normalize", "Compose"]


def _is_pil(img) -> bool:
    # Duck-typed so that Pillow is never imported just to ask the question.
    return type(img).__module__.startswith("PIL.")


def _tensor_class():
    from ..tensor import Tensor

    return Tensor


def _as_tensor(array: np.ndarray):
    return _tensor_class()(np.ascontiguousarray(array))


def _tensor_array(x) -> np.ndarray:
    """The ndarray behind a Tensor (no copy, no graph) or behind anything array-like."""
    from ..tensor import Tensor

    if isinstance(x, Tensor):
        x = x.detach()
        return x.numpy() if hasattr(x, "numpy") else x.data
    return np.asarray(x)


class Compose:
    """Apply transforms one after the other, as ``torchvision.transforms.Compose``.

    Parameters
    ----------
    transforms : list of callables

    Examples
    --------
    >>> c = Compose([lambda x: x + 1, lambda x: 2 * x])
    >>> c(3)
    8
    """

    def __init__(self, transforms):
        transforms = list(transforms)
        for t in transforms:
            if not callable(t):
                raise TypeError(f"Compose: every transform must be callable, got {t!r}")
        self.transforms = transforms

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self) -> str:
        inner = "".join(f"\n    {t!r}" for t in self.transforms)
        return f"{type(self).__name__}({inner}\n)"


class ToTensor:
    """An image (H x W or H x W x C array, or a Pillow image) -> a C x H x W float32 Tensor.

    As torchvision: ``uint8`` images are scaled to [0, 1] by dividing by 255 (float32);
    other numeric arrays keep their values and their dtype (only the axes move: a float64
    array gives a float64 tensor), so applying ``ToTensor`` to an already-scaled float
    image does not divide again.

    Examples
    --------
    >>> import numpy as np
    >>> x = ToTensor()(np.array([[0, 255], [51, 102]], dtype=np.uint8))
    >>> x.shape, x.dtype
    (minigrad.Size([1, 2, 2]), dtype('float32'))
    >>> x.numpy()[0, 1]
    array([0.2, 0.4], dtype=float32)
    """

    def __call__(self, pic):
        from ..tensor import Tensor

        if isinstance(pic, Tensor):
            raise TypeError("ToTensor: the input is already a Tensor (expected an image: an "
                            "H x W (x C) array or a Pillow image)")
        if _is_pil(pic):
            pic = np.asarray(pic)  # mode "L" -> H x W uint8, "RGB" -> H x W x 3
        if not isinstance(pic, np.ndarray):
            raise TypeError(f"ToTensor: expected an H x W (x C) NumPy array or a Pillow image, "
                            f"got {type(pic).__name__}")
        if pic.ndim == 2:
            pic = pic[:, :, None]
        if pic.ndim != 3:
            raise ValueError(f"ToTensor: expected an image of 2 or 3 dimensions (H x W or H x W x C), "
                             f"got shape {pic.shape}")
        if pic.dtype.kind not in "biuf":
            raise TypeError(f"ToTensor: image dtype {pic.dtype} is not numeric")
        chw = pic.transpose(2, 0, 1)
        if pic.dtype == np.uint8:
            chw = chw.astype(np.float32) / np.float32(255)
        return _as_tensor(chw)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _bilinear_weights(n_in: int, n_out: int) -> np.ndarray:
    """The (n_out, n_in) matrix of one axis of an antialiased bilinear resize.

    Output pixel ``i`` is centred at ``(i + 0.5) * scale`` in input coordinates (pixel
    centres, not corners). Each input pixel ``j`` gets the weight of a triangle ("tent")
    centred there; when shrinking, the tent is stretched by ``scale`` so every input pixel
    contributes (this is the antialiasing of Pillow and of torchvision's default). The
    rows are normalised to sum to one, which also handles the image border.
    """
    scale = n_in / n_out
    support = max(scale, 1.0)
    centres = (np.arange(n_out) + 0.5) * scale
    dist = (np.arange(n_in)[None, :] + 0.5 - centres[:, None]) / support
    w = np.clip(1.0 - np.abs(dist), 0.0, None)
    return w / w.sum(axis=1, keepdims=True)


class Resize:
    """Resize an image with bilinear interpolation, as ``torchvision.transforms.Resize``.

    Parameters
    ----------
    size : int or (int, int)
        ``(h, w)``: the output size. An int: the *smaller* edge becomes ``size`` and the
        other keeps the aspect ratio (torchvision's rule).
    interpolation : {"bilinear"}
        Only bilinear is implemented (the book uses the default).
    antialias : bool
        Widen the filter when shrinking, as Pillow and torchvision do by default.

    Notes
    -----
    NumPy arrays (H x W or H x W x C, any numeric dtype; ``uint8`` is rounded back to
    ``uint8``) and Tensors (... x H x W) are resized in NumPy by one matrix product per
    axis. Pillow images are resized by Pillow (``Image.BILINEAR``), imported lazily.

    Examples
    --------
    >>> import numpy as np
    >>> Resize(4)(np.array([[0.0, 1.0], [2.0, 3.0]])).round(3)
    array([[0.  , 0.25, 0.75, 1.  ],
           [0.5 , 0.75, 1.25, 1.5 ],
           [1.5 , 1.75, 2.25, 2.5 ],
           [2.  , 2.25, 2.75, 3.  ]])
    >>> Resize((1, 3))(np.zeros((28, 28), dtype=np.uint8)).shape
    (1, 3)
    """

    def __init__(self, size, interpolation="bilinear", antialias: bool = True):
        if isinstance(size, numbers.Integral) and not isinstance(size, bool):
            size = int(size)
            if size < 1:
                raise ValueError(f"Resize: size must be positive, got {size}")
        elif (isinstance(size, (tuple, list)) and len(size) in (1, 2)
              and all(isinstance(s, numbers.Integral) and not isinstance(s, bool) and s >= 1 for s in size)):
            size = int(size[0]) if len(size) == 1 else (int(size[0]), int(size[1]))
        else:
            raise ValueError(f"Resize: size must be a positive int or a pair (h, w) of them, got {size!r}")
        mode = getattr(interpolation, "value", interpolation)  # torchvision's InterpolationMode
        if str(mode).lower() != "bilinear":
            raise ValueError(f"Resize: only bilinear interpolation is implemented, got {interpolation!r}")
        self.size, self.interpolation, self.antialias = size, "bilinear", bool(antialias)

    def _output_size(self, h: int, w: int):
        if isinstance(self.size, tuple):
            return self.size
        short, long = (h, w) if h <= w else (w, h)
        new_short, new_long = self.size, int(self.size * long / short)
        return (new_short, new_long) if h <= w else (new_long, new_short)

    def _resize_array(self, img: np.ndarray, channels_last: bool) -> np.ndarray:
        h_axis, w_axis = (0, 1) if channels_last else (img.ndim - 2, img.ndim - 1)
        h, w = img.shape[h_axis], img.shape[w_axis]
        new_h, new_w = self._output_size(h, w)
        if self.antialias:
            wh, ww = _bilinear_weights(h, new_h), _bilinear_weights(w, new_w)
        else:  # plain bilinear: the tent never widens
            wh, ww = (_bilinear_weights_plain(n, m) for n, m in ((h, new_h), (w, new_w)))
        x = img.astype(np.float64)
        x = np.moveaxis(np.tensordot(wh, x, axes=([1], [h_axis])), 0, h_axis)
        x = np.moveaxis(np.tensordot(ww, x, axes=([1], [w_axis])), 0, w_axis)
        if img.dtype == np.uint8:
            return np.clip(np.rint(x), 0, 255).astype(np.uint8)
        return x.astype(img.dtype if img.dtype.kind == "f" else np.float32)

    def __call__(self, img):
        from ..tensor import Tensor

        if _is_pil(img):
            from PIL import Image  # optional: only a Pillow image brings us here

            h, w = img.size[1], img.size[0]
            new_h, new_w = self._output_size(h, w)
            return img.resize((new_w, new_h), Image.BILINEAR)
        if isinstance(img, Tensor):
            arr = _tensor_array(img)
            if arr.ndim < 2:
                raise ValueError(f"Resize: a Tensor image needs at least 2 dimensions (... x H x W), "
                                 f"got shape {tuple(arr.shape)}")
            return _as_tensor(self._resize_array(arr, channels_last=False))
        if isinstance(img, np.ndarray):
            if img.ndim not in (2, 3) or img.dtype.kind not in "biuf":
                raise ValueError(f"Resize: expected a numeric H x W or H x W x C array, got shape "
                                 f"{img.shape} and dtype {img.dtype}")
            return self._resize_array(img, channels_last=True)
        raise TypeError(f"Resize: expected a NumPy array, a Tensor or a Pillow image, got {type(img).__name__}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(size={self.size}, interpolation={self.interpolation})"


def _bilinear_weights_plain(n_in: int, n_out: int) -> np.ndarray:
    scale = n_in / n_out
    centres = np.clip((np.arange(n_out) + 0.5) * scale - 0.5, 0, n_in - 1)
    w = np.clip(1.0 - np.abs(np.arange(n_in)[None, :] - centres[:, None]), 0.0, None)
    return w / w.sum(axis=1, keepdims=True)


class Normalize:
    """Per-channel standardisation of a C x H x W Tensor: ``(x - mean[c]) / std[c]``.

    Parameters
    ----------
    mean, std : sequence of float (one per channel, or one for all)
    inplace : bool
        Accepted for torchvision's signature; a new Tensor is always returned.

    Examples
    --------
    >>> import numpy as np
    >>> x = ToTensor()(np.array([[0, 255]], dtype=np.uint8))
    >>> Normalize([0.5], [0.5])(x).numpy()
    array([[[-1.,  1.]]], dtype=float32)
    """

    def __init__(self, mean, std, inplace: bool = False):
        self.mean = np.atleast_1d(np.asarray(mean, dtype=np.float64))
        self.std = np.atleast_1d(np.asarray(std, dtype=np.float64))
        if self.mean.ndim != 1 or self.std.ndim != 1:
            raise ValueError(f"Normalize: mean and std must be sequences of numbers, got {mean!r}, {std!r}")
        if np.any(self.std == 0) or not np.all(np.isfinite(self.std)) or not np.all(np.isfinite(self.mean)):
            raise ValueError(f"Normalize: std must be finite and non-zero and mean finite, got "
                             f"mean={mean!r}, std={std!r}")
        self.inplace = inplace

    def __call__(self, tensor):
        from ..tensor import Tensor

        if not isinstance(tensor, Tensor):
            raise TypeError(f"Normalize: expected a C x H x W Tensor (apply ToTensor first), "
                            f"got {type(tensor).__name__}")
        arr = _tensor_array(tensor)
        if arr.ndim < 3:
            raise ValueError(f"Normalize: expected a Tensor of shape (..., C, H, W), got {tuple(arr.shape)}")
        c = arr.shape[-3]
        for name, v in (("mean", self.mean), ("std", self.std)):
            if len(v) not in (1, c):
                raise ValueError(f"Normalize: {len(v)} {name} values for an image of {c} channels")
        dtype = arr.dtype if arr.dtype.kind == "f" else np.dtype(np.float32)
        shape = (-1, 1, 1)
        mean = self.mean.astype(dtype).reshape(shape)
        std = self.std.astype(dtype).reshape(shape)
        # Through Tensor arithmetic, so a Tensor that records a graph keeps recording it.
        return (tensor - Tensor(mean)) / Tensor(std)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(mean={self.mean.tolist()}, std={self.std.tolist()})"
