"""The scalar engine: Value semantics, deep graphs, saturation, and its errors."""

import math

import pytest

from minigrad import Value, no_grad


def test_value_starts_with_float_grad():
    v = Value(3)
    assert v.data == 3.0 and isinstance(v.data, float)
    assert v.grad == 0.0 and isinstance(v.grad, float)


def test_reflected_operators_and_gradients():
    x = Value(1.5)
    y = 2 + x - 1 * x / 4 + 3 / x - 2 - x ** 2 + 2 ** x
    y.backward()
    # dy/dx = 1 - 1/4 - 3/x^2 - 2x + 2^x ln 2, by hand
    expected = 1 - 0.25 - 3 / 1.5 ** 2 - 3 + 2 ** 1.5 * math.log(2)
    assert x.grad == pytest.approx(expected, rel=1e-12)


def test_value_exponent_gets_its_gradient():
    a, b = Value(2.0), Value(3.0)
    (a ** b).backward()
    assert a.grad == pytest.approx(3 * 2.0 ** 2)
    assert b.grad == pytest.approx(8 * math.log(2))


def test_reuse_and_diamond_accumulate():
    x = Value(3.0)
    (x * x).backward()
    assert x.grad == 6.0
    y = Value(2.0)
    a, b = y * 3, y.tanh()
    (a * b).backward()  # d/dy [3y tanh y] = 3 tanh y + 3y (1 - tanh^2 y)
    assert y.grad == pytest.approx(3 * math.tanh(2) + 6 * (1 - math.tanh(2) ** 2))


def test_gradients_accumulate_across_separate_graphs():
    x = Value(2.0)
    (x * 3).backward()
    (x * 4).backward()
    assert x.grad == 7.0


def test_second_backward_raises_unless_retained():
    x = Value(2.0)
    y = (x * x).tanh()
    y.backward()
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()
    z = (x * x).tanh()
    x.grad = 0.0
    z.backward(retain_graph=True)
    first = x.grad
    z.backward()
    assert x.grad == pytest.approx(2 * first)


@pytest.mark.parametrize("x", [1000.0, -1000.0])
def test_tanh_and_sigmoid_saturate_finitely(x):
    for op, value, grad in [("tanh", math.copysign(1, x), 0.0), ("sigmoid", 1.0 if x > 0 else 0.0, 0.0)]:
        v = Value(x)
        y = getattr(v, op)()
        y.backward()
        assert math.isfinite(y.data) and y.data == pytest.approx(value)
        assert math.isfinite(v.grad) and v.grad == pytest.approx(grad)


def test_relu_derivative_at_zero_is_zero():
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0


def test_chain_of_a_million_ops_backpropagates():
    x = Value(0.5)
    y = x
    for _ in range(1_000_000):
        y = y + 1e-6
    y = y * 2
    y.backward()
    assert x.grad == 2.0


def test_no_grad_records_nothing():
    x = Value(1.0)
    with no_grad():
        y = x * 2
    assert y.requires_grad is False
    with pytest.raises(RuntimeError, match="does not require grad"):
        y.backward()


@pytest.mark.parametrize("bad", ["1.0", None, [1.0], 1 + 2j, True])
def test_value_rejects_non_numbers(bad):
    with pytest.raises(TypeError, match="real number"):
        Value(bad)


def test_bad_operand_names_its_type():
    with pytest.raises(TypeError, match="str"):
        Value(1.0) + "2"


def test_log_of_non_positive_is_a_clear_error():
    with pytest.raises(ValueError, match="positive"):
        Value(0.0).log()


def test_exp_overflow_is_inf_not_an_exception():
    assert Value(1000.0).exp().data == math.inf
