"""Accuracy, the geometric-mean quality Qmean, and a confusion matrix.

Examples
--------
>>> import numpy as np
>>> logits = np.log(np.array([[0.8, 0.2], [0.4, 0.6]]))
>>> accuracy(logits, [0, 0])
0.5
>>> round(qmean(logits, [0, 0]), 4)    # exp(mean(log [0.8, 0.4]))
0.5657
"""

from __future__ import annotations

import numpy as np

from .autograd import no_grad
from .tensor import Tensor
from .tensor_ops import logsumexp

__all__ = ["accuracy", "evaluate_accuracy", "qmean", "confusion_matrix"]


def _np(x) -> np.ndarray:
    """The NumPy data behind a Tensor (detached) or array-like, without copying."""
    return x.detach().numpy() if isinstance(x, Tensor) else np.asarray(x)


def accuracy(scores, y) -> float:
    """Fraction of rows whose highest score is the true class (a number in [0, 1]).

    ``scores`` may be logits or probabilities, shape (N, C); ``y`` holds class indices.
    Note that d2l's ``accuracy`` (:func:`minigrad.d2l.accuracy`) returns the *count* of
    correct rows instead, which its training loop divides by the number of examples.

    Examples
    --------
    >>> accuracy([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], [0, 1, 1])
    0.6666666666666666
    """
    scores, y = _np(scores), _np(y).reshape(-1)
    if scores.ndim != 2 or len(scores) != len(y):
        raise ValueError(f"accuracy: scores must be (N, C) with N = len(y) = {len(y)}, got {scores.shape}")
    return float((scores.argmax(axis=1) == y).mean()) if len(y) else float("nan")


def qmean(logits, y) -> float:
    r"""Geometric mean of the probability given to the correct class.

    \(Q_{mean} = \exp\big(\frac1N \sum_i \log p(y_i \mid x_i)\big) = e^{-\text{mean cross-entropy}}\):
    it is 1 for a perfect, confident model and 1/C for uniform guessing.

    Examples
    --------
    >>> round(qmean(np.zeros((4, 10)), [0, 1, 2, 3]), 12)    # uniform guessing over 10 classes
    0.1
    """
    z, y = _np(logits).astype(np.float64), _np(y).reshape(-1)
    if z.ndim != 2 or len(z) != len(y):
        raise ValueError(f"qmean: logits must be (N, C) with N = len(y) = {len(y)}, got {z.shape}")
    if y.dtype.kind not in "iu" or (y.size and (y.min() < 0 or y.max() >= z.shape[1])):
        raise ValueError(f"qmean: y must hold class indices in 0..{z.shape[1] - 1}")
    log_p = z - logsumexp(z, axis=(1,), keepdims=True)  # log softmax, by the one logsumexp
    return float(np.exp(log_p[np.arange(len(y)), y].mean()))


def evaluate_accuracy(model, loader) -> float:
    """Accuracy of ``model`` over all batches of ``loader`` (weighted by batch size), a fraction.

    Examples
    --------
    >>> from minigrad.data import DataLoader
    >>> X, y = np.eye(3, dtype=np.float32), np.array([0, 1, 0])
    >>> evaluate_accuracy(lambda t: t * 1.0, DataLoader((X, y), batch_size=2))
    0.6666666666666666
    """
    correct = total = 0
    with no_grad():
        for X, y in loader:
            pred = _np(model(X)).argmax(axis=1)
            correct += int((pred == _np(y).reshape(-1)).sum())
            total += len(pred)
    return correct / total if total else float("nan")


def confusion_matrix(y_true, y_pred, num_classes: int) -> np.ndarray:
    """Counts ``M[i, j]`` of examples of true class ``i`` predicted as ``j``.

    Examples
    --------
    >>> confusion_matrix([0, 1, 1], [0, 0, 1], 2)
    array([[1, 0],
           [1, 1]])
    """
    t, p = _np(y_true).reshape(-1).astype(np.int64), _np(y_pred).reshape(-1).astype(np.int64)
    if len(t) != len(p):
        raise ValueError(f"confusion_matrix: {len(t)} true labels but {len(p)} predictions")
    for name, v in (("y_true", t), ("y_pred", p)):
        if v.size and (v.min() < 0 or v.max() >= num_classes):  # would land in another cell
            raise ValueError(f"confusion_matrix: {name} holds a class outside 0..{num_classes - 1}")
    return np.bincount(num_classes * t + p, minlength=num_classes ** 2).reshape(num_classes, num_classes)
