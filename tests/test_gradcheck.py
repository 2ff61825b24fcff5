"""gradcheck: agreement, the error report, and blaming a planted wrong VJP."""

import numpy as np
import pytest

import minigrad
from minigrad import GradcheckError, gradcheck, tensor
from minigrad.registry import REGISTRY, primitive
from minigrad.tensor import _apply


def test_gradcheck_passes_on_a_composite():
    rng = np.random.default_rng(0)
    w, x = rng.standard_normal((3, 4)), rng.standard_normal((5, 4))
    assert gradcheck(lambda w, x: minigrad.functional.log_softmax(x @ w.T, axis=1).tanh(), [w, x])


@pytest.fixture
def wrong_square():
    @primitive("wrong_square", engine="tensor", kind="elementwise", domain=("real",),
               latex=r"\frac{d}{dx}x^2 = 2x", reference=np.square)
    def wrong_square(x):
        return x * x, (lambda g: g * 3 * x,)  # planted bug: should be 2x

    yield
    REGISTRY.pop("wrong_square")


def test_gradcheck_names_input_index_values_and_the_wrong_op(wrong_square):
    x = np.array([0.5, -1.0, 2.0])
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda t: (_apply("wrong_square", t.tanh()) * 2).sum(), [x])
    msg = str(info.value)
    assert "input 0 at index (0,)" in msg and "analytic" in msg and "numeric" in msg
    assert "op 'wrong_square'" in msg
    assert "'tanh'" not in msg and "'mul'" not in msg  # only the wrong op is blamed


def test_gradcheck_blames_nothing_when_the_error_is_outside_the_graph():
    def sneaky(t):
        return tensor(np.sin(t.data)) * t  # sin escapes the graph: its gradient is lost

    with pytest.raises(GradcheckError, match="every recorded op passes"):
        gradcheck(sneaky, [np.array([0.3, 1.1])])
