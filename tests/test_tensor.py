"""The tensor engine: broadcasting, dtypes, indexing, graph rules and errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad import Tensor, tensor
from minigrad.registry import primitive, REGISTRY
from minigrad.testing import arrays, broadcast_shapes, numeric_grad


@given(broadcast_shapes(2).flatmap(lambda s: st.tuples(arrays(shape=s[0]), arrays(shape=s[1]))))
def test_broadcast_gradients_are_summed_back(pair):
    a, b = (tensor(x, requires_grad=True) for x in pair)
    ((a * b + a - b) * 2).sum().backward()
    ones = np.ones(np.broadcast_shapes(a.shape, b.shape))
    expected_a = (ones * (pair[1] + 1) * 2)
    expected_b = (ones * (pair[0] - 1) * 2)
    np.testing.assert_allclose(a.grad, minigrad.tensor_ops.sum_to_shape(expected_a, a.shape))
    np.testing.assert_allclose(b.grad, minigrad.tensor_ops.sum_to_shape(expected_b, b.shape))
    # the same numbers by finite differences, independently of sum_to_shape
    num = numeric_grad(lambda x: float(((x * pair[1] + x - pair[1]) * 2).sum()), pair[0])
    np.testing.assert_allclose(a.grad, num, atol=1e-5)


def test_ndarray_on_the_left_gives_a_tensor():
    x = tensor([1.0, 2.0], requires_grad=True)
    y = np.array([3.0, 4.0], dtype=np.float32) + x
    assert isinstance(y, Tensor)
    (np.ones(2, dtype=np.float32) @ (np.float32(2) * y)).backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])


def test_float32_stays_float32_with_python_scalars():
    x = tensor([1.0, 2.0], requires_grad=True)
    assert x.dtype == np.float32
    y = (2.5 * x + 1) ** 2 / 3 - 0.5
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == np.float32


def test_integer_array_indexing_adds_repeats():
    p = tensor([[0.1, 0.9], [0.6, 0.4], [0.3, 0.7]], requires_grad=True)
    picked = p[np.array([0, 1, 1, 2]), np.array([1, 0, 0, 1])]
    picked.sum().backward()
    np.testing.assert_allclose(p.grad, [[0, 1], [2, 0], [0, 1]])


def test_max_splits_gradient_across_ties():
    x = tensor([1.0, 3.0, 3.0], requires_grad=True)
    x.max().backward()
    np.testing.assert_allclose(x.grad, [0, 0.5, 0.5])


@pytest.mark.parametrize("x", [1000.0, -1000.0])
def test_tanh_sigmoid_finite_at_extremes(x):
    t = tensor([x, x], dtype=np.float64, requires_grad=True)
    s = tensor([x, x], dtype=np.float64, requires_grad=True)
    (t.tanh().sum() + s.sigmoid().sum()).backward()
    assert np.isfinite(t.grad).all() and np.isfinite(s.grad).all()
    assert np.allclose(s.sigmoid().data, 1.0 if x > 0 else 0.0)


def test_chain_of_1e5_tensor_ops():
    x = tensor([1.0, 2.0], requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 1.0])


def test_only_leaves_keep_grad_unless_retained():
    x = tensor([1.0, 2.0], requires_grad=True)
    h = (x * 2).retain_grad()
    m = h * 3
    m.sum().backward()
    assert m.grad is None
    np.testing.assert_array_equal(h.grad, [3, 3])
    np.testing.assert_array_equal(x.grad, [6, 6])


def test_leaf_grads_never_share_a_buffer():
    a = tensor([1.0], requires_grad=True)
    b = tensor([2.0], requires_grad=True)
    (a + b).sum().backward()  # add hands one array to both parents
    a.grad[0] = 100.0
    assert b.grad[0] == 1.0


def test_no_vjp_runs_for_inputs_that_do_not_require_grad():
    calls = []

    @primitive("traced_mul", "tensor", lambda g, a, b, out: calls.append("a") or g * b,
               lambda g, a, b, out: calls.append("b") or g * a, rule=("-", ""))
    def traced_mul(a, b):
        return a * b

    try:
        w = tensor([1.0], requires_grad=True)
        from minigrad.tensor import apply_op
        apply_op("traced_mul", w, tensor([2.0])).sum().backward()
        assert calls == ["a"]
    finally:
        REGISTRY.pop("traced_mul")


def test_no_grad_context_and_decorator():
    w = tensor([1.0], requires_grad=True)
    with minigrad.no_grad():
        assert not (w * 2).requires_grad

    @minigrad.no_grad()
    def f():
        return w * 2

    assert not f().requires_grad and (w * 2).requires_grad


def test_inplace_update_only_inside_no_grad():
    w = tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="no_grad"):
        w -= 0.1
    with minigrad.no_grad():
        w -= 0.5
    assert w.tolist() == [0.5] and w.requires_grad


def test_second_backward_raises_and_retain_graph_allows_it():
    x = tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_array_equal(x.grad, [4.0, 8.0])
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()


def test_gradient_is_linear_in_the_seed():
    rng = np.random.default_rng(0)
    w = rng.standard_normal((3, 4))
    u, v = rng.standard_normal(3), rng.standard_normal(3)
    grads = []
    for seed in (u, v, 2 * u - 3 * v):
        x = tensor(w, requires_grad=True)
        (x.tanh() @ np.ones(4)).backward(gradient=seed)
        grads.append(x.grad)
    np.testing.assert_allclose(grads[2], 2 * grads[0] - 3 * grads[1], atol=1e-12)


# ------------------------------------------------------------------ errors

def test_matmul_shape_error_names_both_shapes():
    with pytest.raises(minigrad.ShapeError, match=r"matmul.*\(3, 4\).*\(5, 2\)"):
        minigrad.zeros(3, 4) @ minigrad.zeros(5, 2)


def test_broadcast_error_names_op_and_shapes():
    with pytest.raises(minigrad.ShapeError, match=r"add.*\(3, 4\).*\(5,\)"):
        minigrad.zeros(3, 4) + minigrad.zeros(5)


def test_backward_on_non_scalar_needs_gradient():
    x = tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"shape \(2,\).*gradient="):
        (x * 2).backward()
    with pytest.raises(minigrad.ShapeError, match="gradient has shape"):
        (x * 2).backward(gradient=[1.0, 2.0, 3.0])


def test_backward_without_requires_grad():
    with pytest.raises(RuntimeError, match="does not require grad"):
        tensor([1.0]).sum().backward()


@pytest.mark.parametrize("bad", [["a", "b"], {"x": 1}, [[1.0, 2.0], [3.0]], object()])
def test_non_numeric_data_is_rejected(bad):
    with pytest.raises(TypeError, match="tensor\\(\\)"):
        tensor(bad)


def test_integer_tensor_cannot_require_grad():
    with pytest.raises(TypeError, match="floating-point"):
        tensor([1, 2], requires_grad=True)


def test_detect_anomaly_names_the_op_forward_and_backward():
    x = tensor([0.0, 1.0], requires_grad=True)
    with minigrad.detect_anomaly():
        with pytest.raises(FloatingPointError, match=r"forward of 'log'.*\(2,\)"):
            x.log()
    y = tensor([0.0, 1.0], dtype=np.float64, requires_grad=True)
    z = (y ** 0.5).sum()  # finite forward, infinite derivative at 0
    with minigrad.detect_anomaly():
        with pytest.raises(FloatingPointError, match="backward of 'pow'"):
            z.backward()


def test_truth_value_only_for_one_element():
    assert bool(tensor([1.0]) == tensor([1.0]))
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(tensor([1.0, 2.0]) == tensor([1.0, 2.0]))
