"""Minibatching, synthetic data, metrics."""

import numpy as np
import pytest

from minigrad.data import DataLoader, TensorDataset, synthetic_data
from minigrad.metrics import accuracy, confusion_matrix, evaluate_accuracy, qmean


def test_loader_covers_every_example_once_per_epoch_with_partial_last_batch():
    X, y = np.arange(23.0).reshape(23, 1), np.arange(23)
    loader = DataLoader((X, y), batch_size=5, shuffle=True, seed=1)
    assert len(loader) == 5
    for _ in range(2):
        batches = list(loader)
        assert [len(b[0]) for b in batches] == [5, 5, 5, 5, 3]
        seen = np.concatenate([b[1].numpy() for b in batches])
        assert sorted(seen) == list(range(23))
        for xb, yb in batches:
            np.testing.assert_array_equal(xb.numpy()[:, 0], yb.numpy())  # rows stay paired


def test_loader_shuffle_is_seeded_and_changes_per_epoch():
    X = np.arange(50)
    first = [b[0].tolist() for b in DataLoader((X,), batch_size=50, shuffle=True, seed=3)]
    again = [b[0].tolist() for b in DataLoader((X,), batch_size=50, shuffle=True, seed=3)]
    assert first == again
    loader = DataLoader((X,), batch_size=50, shuffle=True, seed=3)
    assert next(iter(loader))[0].tolist() != next(iter(loader))[0].tolist()


def test_drop_last_and_bad_batch_size():
    loader = DataLoader((np.zeros(23),), batch_size=5, drop_last=True)
    assert len(loader) == 4 and [len(b[0]) for b in loader] == [5] * 4
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader((np.zeros(3),), batch_size=0)
    with pytest.raises(ValueError, match="different lengths"):
        TensorDataset(np.zeros(3), np.zeros(4))


def test_synthetic_data_follows_the_model():
    X, y = synthetic_data([2, -3.4], 4.2, 5000, noise=0.01, seed=0)
    assert X.dtype == np.float32 and y.shape == (5000, 1)
    residual = y.numpy()[:, 0] - (X.numpy() @ np.array([2, -3.4]) + 4.2)
    assert abs(residual.std() - 0.01) < 0.001 and abs(residual.mean()) < 0.001


def test_accuracy_qmean_confusion():
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.5, 0.4, 0.1]])
    y = np.array([0, 2, 1])
    assert accuracy(p, y) == pytest.approx(2 / 3)
    # Qmean from logits: geometric mean of the true-class probabilities
    assert qmean(np.log(p), y) == pytest.approx((0.7 * 0.6 * 0.4) ** (1 / 3))
    np.testing.assert_array_equal(confusion_matrix(y, p.argmax(1), 3), [[1, 0, 0], [1, 0, 0], [0, 0, 1]])
    with pytest.raises(ValueError, match="scores"):
        accuracy(p, [0, 1])


def test_evaluate_accuracy_over_batches():
    X = np.eye(3, dtype=np.float32)[[0, 1, 2, 0, 1]]
    y = np.array([0, 1, 2, 1, 1])
    model = lambda t: t * 1.0  # noqa: E731  (identity logits)
    assert evaluate_accuracy(model, DataLoader((X, y), batch_size=2)) == pytest.approx(4 / 5)
