"""Add an op to minigrad: softplus, its derivative, and the checks that come with it.

Three steps, each a few lines:

1. register the forward (on NumPy arrays) with its vector-Jacobian product (VJP);
2. call it on tensors with ``apply_op`` (and wrap it in a function, as PyTorch would);
3. check its first and second derivatives against finite differences, and give the
   property tests the facts they need (a domain and an independent NumPy reference).

Run it: ``python examples/custom_op.py``.
"""

import numpy as np

import minigrad
from minigrad.registry import primitive
from minigrad.tensor import apply_op
from minigrad.tensor_ops import call


# 1. softplus(x) = log(1 + e^x); its derivative is the sigmoid: e^x / (1 + e^x).
#    The VJP gets the output's gradient g, the op's inputs and its output. Writing it
#    with call() (or operators) makes it work on arrays for backward() and on Tensors
#    under create_graph=True, so second derivatives come for free.
@primitive("softplus", "tensor",
           lambda g, x, out: g * call("sigmoid", x),     # d softplus(x)/dx = sigmoid(x)
           rule=(r"\frac{d}{dx}\log(1 + e^x) = \sigma(x)", "computed as logaddexp(0, x): no overflow"),
           floats=True)
def softplus_forward(x):
    return np.logaddexp(0, x)


# 2. A function for users; the graph records the op under its name.
def softplus(x):
    """log(1 + e^x), element-wise, differentiable to any order."""
    return apply_op("softplus", x)


def main() -> None:
    x = minigrad.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    y = softplus(x).sum()
    y.backward()
    print("softplus'(x) =", x.grad.tolist())
    print("sigmoid(x)   =", x.detach().sigmoid().tolist())

    # 3a. Check the rule: first and second derivatives against finite differences.
    print("gradcheck order 1:", minigrad.gradcheck(softplus, [x.detach()]))
    print("gradcheck order 2:", minigrad.gradcheck(softplus, [x.detach()], order=2))

    # 3b. The facts the registry-driven property tests need (tests/test_ops.py reads
    #     minigrad.testing.CASES: an op without an entry there fails the suite).
    from minigrad.testing import CASES, OpCase, check_op, op_cases

    CASES["softplus"] = OpCase("elementwise", ("real",), reference=lambda a: np.log(1 + np.exp(a)))
    try:
        from hypothesis import given, settings
    except ImportError:
        print("install hypothesis for the property test")
        return

    @settings(max_examples=20, derandomize=True, database=None)
    @given(op_cases("softplus"))
    def property_test(case):
        check_op("softplus", *case)            # forward vs reference, VJP vs its finite differences
        check_op("softplus", *case, order=2)   # second derivatives

    property_test()
    print("property test: passed")


if __name__ == "__main__":
    main()
