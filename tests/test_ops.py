"""Every registered op, on every engine that implements it: forward vs NumPy, gradient
vs central finite differences of an independent NumPy reference, gradient shapes, and
float32 staying float32. A new op is tested here by registering it."""

import numpy as np
import pytest
from hypothesis import given

import minigrad
from minigrad.registry import REGISTRY
from minigrad.testing import check_op, op_cases
from minigrad.tensor import _apply

TENSOR_OPS = [s for s in REGISTRY.values() if s.tensor is not None]
SCALAR_OPS = [s for s in REGISTRY.values() if s.scalar is not None]


def test_registry_is_complete():
    expected = {"add", "sub", "mul", "div", "pow", "neg", "exp", "log", "tanh", "sigmoid", "relu",
                "sum", "max", "logsumexp", "matmul", "reshape", "transpose", "getitem", "cross_entropy"}
    assert expected <= set(REGISTRY)
    for spec in REGISTRY.values():
        assert spec.latex and spec.reference and len(spec.domain) == spec.arity


@pytest.mark.parametrize("spec", TENSOR_OPS, ids=lambda s: s.name)
def test_tensor_op_forward_and_gradient(spec):
    @given(op_cases(spec))
    def run(case):
        check_op(spec, *case, engine="tensor")

    run()


@pytest.mark.parametrize("spec", SCALAR_OPS, ids=lambda s: s.name)
def test_scalar_op_forward_and_gradient(spec):
    from hypothesis import strategies as st
    from minigrad.testing import elements

    @given(st.tuples(*[elements(d) for d in spec.domain]))
    def run(xs):
        check_op(spec, [np.float64(x) for x in xs], {}, engine="scalar")

    run()


@pytest.mark.parametrize("spec", TENSOR_OPS, ids=lambda s: s.name)
def test_float32_stays_float32(spec):
    @given(op_cases(spec, dtype=np.float32))
    def run(case):
        args, kwargs = case
        xs = [minigrad.Tensor(a.astype(np.float32), requires_grad=True) for a in args]
        out = _apply(spec.name, *xs, **kwargs)
        assert out.dtype == np.float32, f"{spec.name}: forward gave {out.dtype}"
        out.backward(gradient=np.ones(out.shape, np.float32))
        for x in xs:
            assert x.grad.dtype == np.float32 and x.grad.shape == x.shape

    run()
