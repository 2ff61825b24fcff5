"""minigrad.exercises: the checker must accept right gradients and pinpoint wrong ones."""

import numpy as np
import pytest

import minigrad
from minigrad.exercises import check_gradient

rng = np.random.default_rng(0)
X = rng.normal(size=(5, 3))
y = rng.integers(0, 4, 5)
W = rng.normal(size=(3, 4))


def ce_loss(W):
    return minigrad.functional.cross_entropy(minigrad.tensor(X) @ W, y)


def ce_grad(W):
    z = X @ W
    p = np.exp(z - z.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    return X.T @ (p - np.eye(4)[y]) / len(y)


def test_right_gradient_passes():
    report = check_gradient(ce_loss, {"W": W}, {"W": ce_grad(W)})
    assert report.ok and bool(report) and "correct" in str(report)


def test_one_wrong_entry_is_named_with_both_values():
    bad = ce_grad(W)
    bad[2, 1] += 0.1
    report = check_gradient(ce_loss, {"W": W}, {"W": bad})
    entry = report.entries[0]
    assert not report.ok and entry.wrong == 1 and entry.worst_index == (2, 1)
    assert entry.correct == pytest.approx(ce_grad(W)[2, 1]) and "(2, 1)" in str(report)


def test_batch_factor_sign_and_transpose_are_recognised():
    g = ce_grad(W)
    assert "division by the batch size" in str(check_gradient(ce_loss, {"W": W}, {"W": g * 5}, batch_size=5))
    assert "sign error" in str(check_gradient(ce_loss, {"W": W}, {"W": -g}))
    square = rng.normal(size=(3, 3))
    f = lambda A: (minigrad.tensor(X[:, :3]) @ A).sum()  # noqa: E731
    right = X[:, :3].sum(0)[:, None] * np.ones((1, 3))
    assert check_gradient(f, [square], [right]).ok
    assert "transpose" in str(check_gradient(f, [square], [right.T]))


def test_wrong_shape_is_reported_not_broadcast():
    report = check_gradient(ce_loss, {"W": W}, {"W": ce_grad(W)[:, :1]})
    assert not report.ok and "shape" in str(report)


def test_bad_arguments_raise():
    with pytest.raises(TypeError, match="keys"):
        check_gradient(ce_loss, {"W": W}, {"V": W})
    with pytest.raises(TypeError, match="scalar"):
        check_gradient(lambda W: minigrad.tensor(X) @ W, {"W": W}, {"W": W})


def test_a_forgotten_broadcast_sum_is_named():
    """The bias of x + b was broadcast over the rows: a gradient left with the rows' shape is
    named as a missing sum over axis 0, also when it is off by a factor once summed."""
    from minigrad.exercises import check_gradient

    X = np.random.default_rng(0).normal(size=(4, 3))
    b = np.array([0.1, 0.2, -0.3])
    right = 2 * (X + b)                                          # d/dx of sum((x + b)^2), shape (4, 3)
    report = check_gradient(lambda x, b: ((x + b) ** 2).sum(), {"x": X, "b": b}, {"x": right, "b": right})
    assert not report.ok and "broadcast" in str(report) and "axis 0" in str(report)
    report = check_gradient(lambda x, b: ((x + b) ** 2).sum(), {"x": X, "b": b}, {"x": right, "b": right / 4},
                            batch_size=4)
    assert "forgotten broadcast sum" in str(report) and "0.25 times" in str(report)
    # a column bias (3, 1) broadcast over columns: the sum is over axis 1
    c = np.array([[0.5], [-0.5], [0.0], [1.0]])
    g = 2 * (X + c)
    report = check_gradient(lambda x, c: ((x + c) ** 2).sum(), {"x": X, "c": c}, {"x": g, "c": g})
    assert "axis 1" in str(report)
    # a shape that is no broadcast of the input's gets no broadcast hint
    report = check_gradient(lambda x, b: ((x + b) ** 2).sum(), {"x": X, "b": b}, {"x": right, "b": np.ones(5)})
    assert "broadcast" not in str(report)
