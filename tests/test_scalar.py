"""The scalar engine: Value semantics, saturation, and its errors (the graph core's rules,
shared with Tensor, are in test_autograd.py; pow at a zero base in test_ops.py)."""

import math

import numpy as np

import pytest

import minigrad
from minigrad import Value
from minigrad.testing import numeric_grad


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


@pytest.mark.parametrize("x", [1000.0, -1000.0])
def test_tanh_and_sigmoid_saturate_finitely(x):
    for op, value, grad in [("tanh", math.copysign(1, x), 0.0), ("sigmoid", 1.0 if x > 0 else 0.0, 0.0)]:
        v = Value(x)
        y = getattr(v, op)()
        y.backward()
        assert math.isfinite(y.data) and y.data == pytest.approx(value)
        assert math.isfinite(v.grad) and v.grad == pytest.approx(grad)


def test_relu_keeps_nan_as_pytorch_and_the_tensor_engine_do():
    # max(x, 0) of NaN is NaN (a NaN must not silently become 0); its gradient is 0 there
    x = Value(math.nan)
    y = x.relu()
    y.backward()
    assert math.isnan(y.data) and x.grad == 0.0
    assert math.isnan(minigrad.tensor([math.nan]).relu().item())


def test_relu_derivative_at_zero_is_zero():
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0


@pytest.mark.parametrize("bad", ["1.0", None, [1.0], 1 + 2j, True])
def test_value_rejects_non_numbers(bad):
    with pytest.raises(TypeError, match="real number"):
        Value(bad)


# (x: data, w: parameter) -> a Value; each op of the engine with the input on either side
_MIXED = {
    "add": lambda x, w: x + w, "radd": lambda x, w: w + x, "sub": lambda x, w: x - w, "rsub": lambda x, w: w - x,
    "mul": lambda x, w: x * w, "div": lambda x, w: x / w, "rdiv": lambda x, w: w / x,
    "pow": lambda x, w: x ** w, "rpow": lambda x, w: w ** x,
    "unary": lambda x, w: (-(x * w)).exp().log().tanh().sigmoid().relu() + x.tanh(),
}


@pytest.mark.parametrize("name", list(_MIXED))
def test_a_value_that_does_not_require_grad_is_data_as_a_pytorch_tensor_is(name):
    # PyTorch: an op's result requires grad iff an operand does; backward writes only into those
    f = _MIXED[name]
    x = Value(1.7, label="x", requires_grad=False)
    assert x.requires_grad is False and x.is_leaf and Value(1.7).requires_grad is True
    alone = f(x, Value(0.6, requires_grad=False))  # data only: nothing to differentiate
    assert alone.requires_grad is False and alone.is_leaf and alone._parents == ()
    with pytest.raises(RuntimeError, match="does not require grad"):
        alone.backward()
    w = Value(0.6, label="w")
    x.grad = 7.0  # a sentinel: backward must leave it alone (not even add 0)
    y = f(x, w)
    assert y.requires_grad is True and not y.is_leaf
    y.backward()
    assert x.grad == 7.0
    # finite differences of forward values only (no graph is recorded: nothing requires grad)
    data = lambda v: Value(float(v), requires_grad=False)  # noqa: E731
    expected = numeric_grad(lambda v: f(data(1.7), data(v[0])).data, np.array([0.6]))[0]
    assert w.grad == pytest.approx(expected, rel=1e-6, abs=1e-9)
    with pytest.raises(RuntimeError, match="does not require grad"):  # as torch.autograd.grad
        minigrad.autograd.grad(f(x, Value(0.6)), [x])


def test_requires_grad_false_under_create_graph_and_a_misplaced_flag():
    x, w = Value(2.0, requires_grad=False), Value(0.5)
    y = (w * x).tanh() * x
    y.backward(create_graph=True)
    assert x.grad == 0.0 and isinstance(w.grad, Value) and w.grad.requires_grad
    # Value(2.0, False) puts False in the label's place: a clear error, not a node labelled False
    with pytest.raises(TypeError, match="requires_grad=False"):
        Value(2.0, False)


def test_bad_operand_names_its_type():
    with pytest.raises(TypeError, match="str"):
        Value(1.0) + "2"


def test_log_of_a_negative_number_is_a_clear_error_and_log_0_is_minus_inf():
    with pytest.raises(ValueError, match="positive"):
        Value(-1.0).log()
    assert Value(0.0).log().data == -math.inf  # as math's limit and PyTorch


def test_exp_overflow_is_inf_not_an_exception():
    assert Value(1000.0).exp().data == math.inf


def test_a_value_given_to_tensor_is_a_type_error_that_says_what_to_pass():
    # issue 18: as_array treated every graph node as a Tensor and failed with AttributeError
    import pytest

    import minigrad

    with pytest.raises(TypeError, match=r"Value.*v\.data"):
        minigrad.tensor(minigrad.Value(1.0))
    assert minigrad.tensor(minigrad.Value(1.0).data).item() == 1.0
    from minigrad.tensor import apply_op
    assert minigrad.apply_op is apply_op  # the documented path (minigrad.tensor is the function tensor())


def _ops_below(root) -> set:
    from minigrad.autograd import toposort

    return {n.op for n in toposort(root) if n.op}


@pytest.mark.parametrize("residual", [-2.5, -0.4, 0.3, 1.7])
def test_second_derivative_of_a_squared_loss_with_a_negative_residual(residual):
    # issue 19/18: under create_graph, pow's exponent VJP took log of the negative base and raised
    # in Value.log, although the exponent is a constant whose gradient goes nowhere
    from minigrad.gradcheck import numeric_grad

    def first(w0, create_graph=False):
        w = Value(w0)
        ((w * 1.5 - (1.5 * 0.8 - residual)) ** 2).backward(create_graph=create_graph)  # residual 1.5 (w - 0.8) + r
        return w

    w = first(0.8, create_graph=True)
    dw = w.grad
    assert "log" not in _ops_below(dw), "a constant exponent must not compute a log"
    w.grad = 0.0
    dw.backward()
    numeric = float(numeric_grad(lambda v: first(float(v)).grad, np.array(0.8)))
    assert abs(dw.data - 2 * 1.5 * residual) < 1e-9  # d/dw r^2 = 2 r dr/dw
    assert abs(w.grad - numeric) < 1e-5 and abs(w.grad - 2 * 1.5 ** 2) < 1e-9


def test_an_exponent_that_requires_grad_gets_nan_at_a_negative_base_as_pytorch():
    # d(a^b)/db = a^b ln a: NaN for a < 0 (PyTorch gives nan); the base's gradient stays finite
    for create_graph in (False, True):
        a, b = Value(-1.5), Value(2.0)
        (a ** b).backward(create_graph=create_graph)
        assert math.isnan(float(b.grad)) and float(a.grad) == 2 * -1.5


@pytest.mark.parametrize("x, g", [(0.0, 1.0), (-0.0, 1.0), (0.0, -2.0), (-0.0, -2.0), (0.0, 0.0)])
def test_log_backward_at_zero_gives_the_ieee_result_as_the_tensor_engine(x, g):
    # d ln x/dx = 1/x: at 0 the Tensor engine (NumPy's division) gives +-inf, or NaN for 0/0, as PyTorch;
    # the Value engine must agree instead of raising ZeroDivisionError in the backward pass.
    v = Value(x)
    (v.log() * g).backward()
    t = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        (t.log() * g).backward()
    expected = float(t.grad)
    assert (math.isnan(v.grad) and math.isnan(expected)) or v.grad == expected
