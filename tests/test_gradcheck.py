"""gradcheck: agreement, the error report, blaming a planted wrong rule, and order=2."""

import numpy as np
import pytest

import minigrad
from minigrad import GradcheckError, gradcheck, tensor
from minigrad.gradcheck import numeric_grad
from minigrad.registry import REGISTRY, RULES, primitive
from minigrad.tensor import apply_op, to_numpy


def test_one_finite_difference_routine():
    import minigrad.testing

    assert minigrad.testing.numeric_grad is numeric_grad
    # d/dx sum(sin x) = cos x, by central differences only
    x = np.array([0.3, -1.2, 2.0])
    np.testing.assert_allclose(numeric_grad(lambda a: float(np.sin(a).sum()), x), np.cos(x), atol=1e-9)


def test_gradcheck_passes_on_a_composite():
    rng = np.random.default_rng(0)
    w, x = rng.standard_normal((3, 4)), rng.standard_normal((5, 4))
    assert gradcheck(lambda w, x: minigrad.functional.log_softmax(x @ w.T, dim=1).tanh(), [w, x])


def test_gradcheck_order_2_passes_on_a_composite():
    rng = np.random.default_rng(1)
    w, x = rng.standard_normal((3, 4)), rng.standard_normal((5, 4))
    assert gradcheck(lambda w, x: minigrad.functional.log_softmax(x @ w.T, dim=1).tanh(), [w, x], order=2)


def test_gradcheck_order_2_of_a_linear_function_is_zero_not_an_error():
    assert gradcheck(lambda a, b: a * 2 - b, [np.ones(3), np.zeros(3)], order=2)


def test_gradcheck_rejects_other_orders():
    with pytest.raises(ValueError, match="order"):
        gradcheck(lambda t: t, [np.ones(2)], order=3)


@pytest.fixture
def planted():
    """Two ops with planted bugs, removed again after the test."""
    # d x^2/dx = 2x, written 3x: wrong at first order
    primitive("wrong_square", "tensor", lambda g, x, out: g * 3 * x,
              rule=(r"\frac{d}{dx}x^2 = 2x", ""))(lambda x: x * x)
    # right at first order, but computed on the raw array: under create_graph the
    # engine sees a constant, so the second derivative comes out 0 instead of 2
    primitive("leaky_square", "tensor", lambda g, x, out: g * 2 * to_numpy(x),
              rule=(r"\frac{d}{dx}x^2 = 2x", ""))(lambda x: x * x)
    yield
    for name in ("wrong_square", "leaky_square"):
        REGISTRY.pop(name)
        RULES.pop(name)


def test_gradcheck_names_input_index_values_and_the_wrong_op(planted):
    x = np.array([0.5, -1.0, 2.0])
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda t: (apply_op("wrong_square", t.tanh()) * 2).sum(), [x])
    msg = str(info.value)
    assert "input 0 at index (0,)" in msg and "analytic" in msg and "numeric" in msg
    assert "op 'wrong_square'" in msg
    assert "'tanh'" not in msg and "'mul'" not in msg  # only the wrong op is blamed


def test_order_2_catches_a_first_derivative_that_escapes_the_graph(planted):
    x = np.array([0.5, -1.0, 2.0])

    def fn(t):
        return (apply_op("leaky_square", t) * t.tanh()).sum()

    assert gradcheck(fn, [x])  # first derivatives are right
    with pytest.raises(GradcheckError, match=r"order=2.*op 'leaky_square'.*second derivative") as info:
        gradcheck(fn, [x], order=2)
    assert "'tanh'" not in str(info.value)


def test_gradcheck_blames_nothing_when_the_error_is_outside_the_graph():
    def sneaky(t):
        return tensor(np.sin(to_numpy(t))) * t  # sin escapes the graph: its gradient is lost

    with pytest.raises(GradcheckError, match="every recorded op passes"):
        gradcheck(sneaky, [np.array([0.3, 1.1])])


def test_gradcheck_does_not_change_its_inputs():
    x = tensor([0.5, 1.5], dtype=minigrad.float64, requires_grad=True)
    before = x.tolist()
    gradcheck(lambda t: t.exp(), [x], order=2)
    assert x.tolist() == before and x.grad is None
