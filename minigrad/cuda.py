"""``minigrad.cuda``, as ``torch.cuda`` on a machine without a GPU: minigrad is CPU only.

Examples
--------
>>> import minigrad
>>> minigrad.cuda.is_available(), minigrad.cuda.device_count()
(False, 0)
"""

__all__ = ["is_available", "device_count"]


def is_available() -> bool:
    """False: minigrad computes with NumPy on the CPU.

    Examples
    --------
    >>> is_available()
    False
    """
    return False


def device_count() -> int:
    """0: there is no GPU for minigrad (d2l's ``num_gpus()`` reads this).

    Examples
    --------
    >>> device_count()
    0
    """
    return 0
