"""Devices, as PyTorch names them: minigrad computes on the CPU only.

``minigrad.device("cpu")``, ``tensor.to(device)``, ``module.to(device)`` and
``minigrad.cuda.device_count()`` exist so that code written for a GPU (d2l's
``try_gpu()``, ``Trainer``) runs unchanged; asking to move data to a GPU raises.
"""

from __future__ import annotations

__all__ = ["device", "as_device"]


class device:  # noqa: N801  (torch.device's name)
    """A place where tensors live: ``device("cpu")``, ``device("cuda", 0)``, ``device("cuda:1")``.

    A CUDA device can be *named* (as in PyTorch on a machine without a GPU), but no
    tensor can be moved there.

    Examples
    --------
    >>> device("cpu"), device("cuda:1").index, device("cpu") == device("cpu")
    (device(type='cpu'), 1, True)
    """

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):  # noqa: A002
        if isinstance(type, device):
            type, index = type.type, type.index
        if not isinstance(type, str):
            raise TypeError(f"device: expected a string such as 'cpu' or 'cuda:0', got {type!r}")
        name, _, number = type.partition(":")
        if name not in ("cpu", "cuda", "mps"):
            raise RuntimeError(f"device: expected one of cpu, cuda, mps as the device type, got {type!r}")
        if number:
            if index is not None or not number.isdigit():
                raise RuntimeError(f"device: invalid device string {type!r}")
            index = int(number)
        self.type, self.index = name, index

    def __repr__(self) -> str:
        return f"device(type={self.type!r}" + (f", index={self.index})" if self.index is not None else ")")

    def __str__(self) -> str:
        return self.type + (f":{self.index}" if self.index is not None else "")

    def __eq__(self, other) -> bool:
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))


def as_device(where, what: str) -> device:
    """``where`` (a device or a string) as a device, checked to be the CPU.

    Examples
    --------
    >>> as_device("cpu", "to")
    device(type='cpu')
    >>> as_device("cuda:0", "to")
    Traceback (most recent call last):
    ...
    RuntimeError: to: minigrad runs on the CPU only, so nothing can move to cuda:0 (minigrad.cuda.device_count() is 0); use 'cpu', as d2l.try_gpu() does on a machine without a GPU
    """
    d = device(where)
    if d.type != "cpu":
        raise RuntimeError(f"{what}: minigrad runs on the CPU only, so nothing can move to {d} "
                           "(minigrad.cuda.device_count() is 0); use 'cpu', as d2l.try_gpu() does on a "
                           "machine without a GPU")
    return d
