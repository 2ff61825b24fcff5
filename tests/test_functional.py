"""softmax, log_softmax, the two cross-entropies and mse_loss."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad import functional as F
from minigrad import tensor
from minigrad.testing import class_targets, logits, numeric_grad


@given(logits(), st.floats(-50, 50))
def test_softmax_rows_sum_to_one_and_shift_invariant(z, c):
    p = F.softmax(tensor(z), axis=1).data
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(F.softmax(tensor(z + c), axis=1).data, p, atol=1e-12)


@given(logits())
def test_softmax_jacobian_matches_closed_form(z):
    # d softmax_i / d z_j = p_i (delta_ij - p_j): check J^T v for a random v
    v = np.random.default_rng(1).standard_normal(z.shape)
    x = tensor(z, requires_grad=True)
    F.softmax(x, axis=1).backward(gradient=v)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    closed = p * (v - (v * p).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(x.grad, closed, atol=1e-12)


@given(logits().flatmap(lambda z: st.tuples(st.just(z), class_targets(*z.shape))),
       st.sampled_from(["mean", "sum", "none"]))
def test_fused_and_composed_cross_entropy_agree(case, reduction):
    z, y = case
    grads, values = [], []
    for fused in (True, False):
        x = tensor(z, requires_grad=True)
        loss = F.cross_entropy(x, y, reduction=reduction, fused=fused)
        seed = np.ones(loss.shape)
        loss.backward(gradient=seed)
        grads.append(x.grad)
        values.append(loss.data)
    np.testing.assert_allclose(values[0], values[1], atol=1e-12)
    np.testing.assert_allclose(grads[0], grads[1], atol=1e-12)
    if reduction == "mean":  # the closed form (softmax - onehot) / N, computed here by hand
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        onehot = np.eye(z.shape[1])[y]
        np.testing.assert_allclose(grads[0], (p - onehot) / len(y), atol=1e-12)


@pytest.mark.parametrize("fused", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropy_stable_at_logits_of_1e4(fused, dtype):
    z = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 5e3]], dtype=dtype)
    x = tensor(z, requires_grad=True)
    loss = F.cross_entropy(x, [1, 1], fused=fused)
    loss.backward()
    assert np.isfinite(loss.item()) and np.isfinite(x.grad).all()
    assert loss.item() == pytest.approx(1e4, rel=1e-4)  # (2e4 + 0) / 2
    np.testing.assert_allclose(x.grad, [[0.5, -0.5, 0], [0, 0, 0]], atol=1e-6)


def test_log_softmax_stable_and_matches_fd():
    z = np.array([[1e4, 0.0, -1e4]])
    assert np.isfinite(F.log_softmax(tensor(z)).data).all()
    small = np.array([[0.3, -1.2, 2.0]])
    x = tensor(small, requires_grad=True)
    v = np.array([[1.0, -2.0, 0.5]])
    F.log_softmax(x).backward(gradient=v)
    ref = lambda a: float((v * (a - np.log(np.exp(a).sum()))).sum())  # noqa: E731
    np.testing.assert_allclose(x.grad, numeric_grad(ref, small), atol=1e-7)


@pytest.mark.parametrize("target, message", [
    ([0, 5], r"class 5.*0\.\.2"),
    ([0, -1], r"class -1"),
    (np.array([0.0, 1.0]), "integer class indices"),
    ([0, 1, 2], r"shape \(3,\).*batch size 2"),
])
def test_cross_entropy_rejects_bad_targets(target, message):
    z = minigrad.zeros(2, 3, requires_grad=True)
    for fused in (True, False):
        with pytest.raises((ValueError, TypeError), match=message):
            F.cross_entropy(z, target, fused=fused)


def test_cross_entropy_rejects_unknown_reduction():
    with pytest.raises(ValueError, match="reduction"):
        F.cross_entropy(minigrad.zeros(1, 2), [0], reduction="avg")


def test_mse_loss_value_gradient_and_shape_check():
    pred = tensor([[1.0], [3.0]], requires_grad=True)
    loss = F.mse_loss(pred, [[0.0], [1.0]])
    loss.backward()
    assert loss.item() == pytest.approx(2.5)
    np.testing.assert_allclose(pred.grad, [[1.0], [2.0]])  # 2 (pred - y) / N
    with pytest.raises(ValueError, match=r"\(2, 1\).*\(2,\)"):
        F.mse_loss(pred, [0.0, 1.0])


# ---------------------------------------------------------------- activations as functions

def test_activations_as_functions_against_finite_differences_and_closed_forms():
    import minigrad.functional as F
    rng = np.random.default_rng(0)
    x = rng.uniform(0.2, 3, 8) * rng.choice([-1, 1], 8)  # away from the kinks at 0
    for f in (F.relu, F.sigmoid, F.tanh, F.softplus, F.elu, F.silu, lambda t: F.leaky_relu(t, 0.2),
              lambda t: F.softplus(t, beta=2.0), lambda t: F.elu(t, alpha=0.5)):
        assert minigrad.gradcheck(f, [x])
    t = minigrad.tensor(x)
    np.testing.assert_allclose(F.softplus(t).numpy(), np.log1p(np.exp(x)), rtol=1e-6)
    np.testing.assert_allclose(F.elu(t).numpy(), np.where(x > 0, x, np.expm1(x)), rtol=1e-6)
    np.testing.assert_allclose(F.silu(t).numpy(), x / (1 + np.exp(-x)), rtol=1e-6)
    np.testing.assert_allclose(F.leaky_relu(t, 0.1).numpy(), np.where(x > 0, x, 0.1 * x))
    big = minigrad.tensor([1000.0, -1000.0])
    assert np.isfinite(F.softplus(big).numpy()).all() and np.isfinite(F.elu(big).numpy()).all()


def test_relu_inplace_as_a_function_overwrites_its_input():
    import minigrad.functional as F
    x = minigrad.tensor([-1.0, 2.0], requires_grad=True)
    h = x * 1.0
    out = F.relu(h, inplace=True)
    assert out is h and h.tolist() == [0.0, 2.0]
    out.sum().backward()
    assert x.grad.tolist() == [0.0, 1.0]
    assert F.leaky_relu(minigrad.tensor([-1.0, 2.0]), 0.5, inplace=True).tolist() == [-0.5, 2.0]
