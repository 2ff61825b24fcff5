"""The graph core (minigrad/autograd.py), on both engines: the topological sort, the
reverse pass, accumulation, freeing the graph, grad mode, anomaly detection, the
version counter and ``autograd.grad`` (gradients of gradients).

Gradients here are checked against finite differences or against derivatives worked
out by hand, never against the engine itself.
"""

import gc
import math
import sys
import threading
import weakref

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from minigrad import Tensor, Value, no_grad, tensor
from minigrad.autograd import toposort
from minigrad.testing import arrays, evaluate, expressions, numeric_grad

autograd = minigrad.autograd


def _np(t):
    return t.detach().numpy() if isinstance(t, Tensor) else np.asarray(t)


def f64(x, requires_grad=True, **kw):
    return tensor(np.asarray(x, dtype=np.float64), requires_grad=requires_grad, **kw)


# ================================================================ toposort and the reverse pass

@given(expressions(num_inputs=3, max_steps=12))
def test_toposort_puts_every_node_after_its_parents_once(steps):
    root = evaluate(steps, [Value(0.5), Value(-1.0), Value(2.0)])
    order = toposort(root)
    position = {id(n): i for i, n in enumerate(order)}
    assert len(position) == len(order), "a node appears twice"
    assert order[-1] is root
    for node in order:
        for parent in node._parents:
            assert position[id(parent)] < position[id(node)]


@given(expressions(num_inputs=2), expressions(num_inputs=2), st.integers(0, 2000), st.floats(-2, 2),
       st.floats(-2, 2))
def test_reverse_pass_skips_the_numbers_of_nodes_outside_the_graph(steps, other, gap, a, b):
    # The walk goes down the creation numbers: nodes made in between (another graph, or
    # results no root uses) leave gaps it must step over while still adding every path.
    def program(x, y):
        first = evaluate(steps, [x, y])
        unused = [Value(0.5) * 2.0 for _ in range(gap)]  # numbers that belong to no root
        evaluate(other, [first, Value(0.25)])
        second = evaluate(other, [first, y])
        return first * second + unused[-1] if unused else first * second

    x, y = Value(a), Value(b)
    program(x, y).backward()
    expected = numeric_grad(lambda v: program(Value(v[0]), Value(v[1])).data, np.array([a, b]))
    np.testing.assert_allclose([x.grad, y.grad], expected, atol=1e-5, rtol=1e-4)


@given(expressions(num_inputs=2), st.floats(-2, 2), st.floats(-2, 2))
def test_reverse_pass_matches_finite_differences_on_random_graphs(steps, a, b):
    # inputs reused and diamonds: the reverse pass must add every path's contribution
    x, y = Value(a), Value(b)
    evaluate(steps, [x, y]).backward()

    def forward(v):
        return float(evaluate(steps, [Value(v[0]), Value(v[1])]).data)

    np.testing.assert_allclose([x.grad, y.grad], numeric_grad(forward, np.array([a, b])), atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("engine", ["scalar", "tensor"])
def test_reuse_and_diamond_accumulate(engine):
    make = Value if engine == "scalar" else (lambda v: f64(v))
    x = make(3.0)
    (x * x + x).backward()
    assert float(_np(x.grad)) == 7.0
    y = make(2.0)
    a, b = y * 3, y.tanh()
    (a * b).backward()  # d/dy [3y tanh y] = 3 tanh y + 3y (1 - tanh^2 y)
    assert float(_np(y.grad)) == pytest.approx(3 * np.tanh(2) + 6 * (1 - np.tanh(2) ** 2))


@pytest.mark.parametrize("engine", ["scalar", "tensor"])
def test_gradients_accumulate_across_separate_graphs(engine):
    x = Value(2.0) if engine == "scalar" else f64(2.0)
    (x * 3).backward()
    (x * 4).backward()
    assert float(_np(x.grad)) == 7.0


def test_only_leaves_keep_grad_unless_retained():
    x = f64([1.0, 2.0])
    h = x * 2
    h.retain_grad()
    m = h * 3
    m.sum().backward()
    assert m.grad is None
    np.testing.assert_array_equal(_np(h.grad), [3, 3])
    np.testing.assert_array_equal(_np(x.grad), [6, 6])


def test_leaf_grads_never_share_a_buffer():
    a, b = f64([1.0]), f64([2.0])
    (a + b).sum().backward()  # add hands one gradient to both parents
    with no_grad():
        a.grad[0] = 100.0
    assert _np(b.grad)[0] == 1.0


def test_gradient_is_linear_in_the_seed():
    rng = np.random.default_rng(0)
    w = rng.standard_normal((3, 4))
    u, v = rng.standard_normal(3), rng.standard_normal(3)
    grads = []
    for seed in (u, v, 2 * u - 3 * v):
        x = f64(w)
        (x.tanh() @ tensor(np.ones(4))).backward(gradient=tensor(seed))
        grads.append(_np(x.grad))
    np.testing.assert_allclose(grads[2], 2 * grads[0] - 3 * grads[1], atol=1e-12)


@pytest.mark.parametrize("engine", ["scalar", "tensor"])
def test_second_backward_raises_unless_retained(engine):
    x = Value(2.0) if engine == "scalar" else f64(2.0)
    y = (x * x).tanh()
    y.backward(retain_graph=True)
    first = float(_np(x.grad))
    y.backward()
    assert float(_np(x.grad)) == pytest.approx(2 * first)
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()


def test_backward_that_fails_part_way_leaves_the_graph_intact():
    x = f64([0.0, 1.0])
    y = (x ** 0.5).sum()  # infinite derivative at 0: detect_anomaly stops the walk
    with minigrad.detect_anomaly(), pytest.raises(FloatingPointError):
        y.backward()
    y.backward()  # not "a second time": the failed walk freed nothing
    assert _np(x.grad)[0] == np.inf


@pytest.fixture
def default_recursion_limit():
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)  # Python's default: a recursive walk would stop near 1,000
    yield
    sys.setrecursionlimit(limit)


def test_scalar_chain_of_a_million_ops(default_recursion_limit):
    x = Value(0.5)
    y = x
    for _ in range(1_000_000):
        y = y + 1e-6
    (y * 2).backward()
    assert x.grad == 2.0


def test_tensor_chain_of_1e5_ops(default_recursion_limit):
    x = f64([1.0, 2.0])
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.sum().backward()
    np.testing.assert_array_equal(_np(x.grad), [1.0, 1.0])


# ================================================================ freeing the graph

def test_backward_frees_what_pytorch_frees_and_keeps_what_a_drawing_needs():
    # issue 18: the saved intermediates (cross_entropy's exponentials, the inputs' versions)
    # go, as PyTorch's saved tensors do; structure, values and gradients stay for draw(loss)
    from minigrad.functional import cross_entropy
    from minigrad.viz import draw, to_text

    z = f64(np.linspace(-1, 1, 12).reshape(4, 3))
    hidden = (z * 2).tanh()
    loss = cross_entropy(hidden, [0, 1, 2, 0])
    exps_ref = weakref.ref(loss._stash[0])
    loss.backward()
    gc.collect()
    assert exps_ref() is None, "backward() kept the forward's saved intermediates"
    assert loss._versions is None and hidden._versions is None, "backward() kept the inputs' versions"
    assert loss._parents == (hidden,) and hidden.op == "tanh" and loss.op == "cross_entropy"
    assert "cross_entropy" in draw(loss).source and "tanh" in to_text(loss)
    assert z.grad is not None
    with pytest.raises(RuntimeError, match="second time"):
        loss.backward()


@pytest.mark.parametrize("engine", ["Value", "Tensor"])
def test_draw_after_a_plain_backward_shows_the_graph_with_its_gradients(engine):
    from minigrad.viz import draw

    x = Value(0.5, label="x") if engine == "Value" else tensor(0.5, requires_grad=True, label="x")
    y = (x * x).tanh()
    y.backward()
    source = draw(y).source
    assert "tanh" in source and "mul" in source and "grad 0.9" in source  # dy/dx = 2x (1 - tanh^2 x^2)
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()


# ================================================================ grad mode

def test_no_grad_context_and_decorator_with_and_without_parentheses():
    w = f64([1.0])
    with no_grad():
        assert not (w * 2).requires_grad

    @no_grad()
    def f():
        return w * 2

    @no_grad
    def g(k):
        return w * k

    assert not f().requires_grad and not g(3).requires_grad and (w * 2).requires_grad
    assert g.__name__ == "g"


def test_enable_grad_inside_no_grad_and_set_grad_enabled():
    w = f64([1.0])
    with no_grad():
        with minigrad.enable_grad():
            assert (w * 2).requires_grad
        assert not (w * 2).requires_grad
    with minigrad.set_grad_enabled(False):
        assert not minigrad.is_grad_enabled()
    assert minigrad.is_grad_enabled()


def test_no_grad_on_a_generator_function_covers_its_body():
    w = f64([1.0])

    @no_grad
    def batches():
        yield w * 2
        yield minigrad.is_grad_enabled()
        yield w * 3

    gen = batches()
    first = next(gen)
    assert minigrad.is_grad_enabled(), "the caller's mode leaks into the generator or back"
    assert (w * 2).requires_grad  # the caller still records between items
    assert not first.requires_grad
    assert next(gen) is False
    assert not next(gen).requires_grad
    with pytest.raises(StopIteration):
        next(gen)


def test_grad_mode_is_per_thread():
    w = f64([1.0])
    inside, release = threading.Event(), threading.Event()
    seen = {}

    def other_thread():
        with no_grad():
            seen["other"] = (w * 2).requires_grad
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other_thread)
    thread.start()
    try:
        assert inside.wait(5)
        assert minigrad.is_grad_enabled(), "another thread's no_grad() switched off this thread"
        assert (w * 2).requires_grad
    finally:
        release.set()
        thread.join()
    assert seen["other"] is False


def test_grad_mode_is_per_asyncio_task_and_follows_a_copied_context():
    # The switches are ContextVars: a task's no_grad does not reach another task of the same
    # thread, a task keeps the mode it was created in, and asyncio.to_thread carries the
    # caller's mode into its worker (as the PyTorch page's table of differences says).
    import asyncio

    w = f64([1.0])
    seen = {}

    async def quiet(entered, leave):
        with no_grad():
            entered.set()
            await leave.wait()
            seen["quiet"] = (w * 2).requires_grad

    async def busy(entered, leave):
        await entered.wait()
        seen["busy"] = (w * 2).requires_grad  # while the other task sits inside no_grad
        leave.set()

    async def main():
        entered, leave = asyncio.Event(), asyncio.Event()
        await asyncio.gather(quiet(entered, leave), busy(entered, leave))
        with no_grad():
            seen["made inside"] = await asyncio.create_task(mode_of_a_task())
            seen["worker"] = await asyncio.to_thread(minigrad.is_grad_enabled)
        seen["after"] = minigrad.is_grad_enabled()

    async def mode_of_a_task():
        return minigrad.is_grad_enabled()

    asyncio.run(main())
    assert seen == {"quiet": False, "busy": True, "made inside": False, "worker": False, "after": True}


def test_no_grad_records_nothing_on_values():
    x = Value(1.0)
    with no_grad():
        y = x * 2
    assert y.requires_grad is False
    with pytest.raises(RuntimeError, match="does not require grad"):
        y.backward()


def test_requires_grad_false_on_a_non_leaf_is_refused():
    x = f64([1.0, 2.0])
    y = x * 2
    with pytest.raises(RuntimeError, match="leaf|non-leaf"):
        y.requires_grad_(False)
    y.sum().backward()
    np.testing.assert_array_equal(_np(x.grad), [2.0, 2.0])


# ================================================================ anomaly detection

def test_detect_anomaly_names_the_op_forward_and_backward():
    x = tensor([0.0, 1.0], requires_grad=True)
    with minigrad.detect_anomaly():
        with pytest.raises(FloatingPointError, match=r"forward of 'log'.*\(2,\)"):
            x.log()
    z = (f64([0.0, 1.0]) ** 0.5).sum()  # finite forward, infinite derivative at 0
    with minigrad.detect_anomaly():
        with pytest.raises(FloatingPointError, match="backward of 'pow'"):
            z.backward()


# ================================================================ the version counter

# In-place changes, each spelled as a learner would write it. Each bumps the version.
_EDITS = {
    "+=": lambda t: t.__iadd__(1.0),
    "-=": lambda t: t.__isub__(1.0),
    "*=": lambda t: t.__imul__(2.0),
    "/=": lambda t: t.__itruediv__(2.0),
    "add_": lambda t: t.add_(1.0),
    "sub_": lambda t: t.sub_(1.0),
    "mul_": lambda t: t.mul_(2.0),
    "div_": lambda t: t.div_(2.0),
    "zero_": lambda t: t.zero_(),
    "fill_": lambda t: t.fill_(0.5),
    "copy_": lambda t: t.copy_(tensor(np.full(t.shape, 0.25))),
    "clamp_": lambda t: t.clamp_(-0.1, 0.1),
    "normal_": lambda t: t.normal_(),
    "uniform_": lambda t: t.uniform_(),
    "setitem": lambda t: t.__setitem__(0, 7.0),
    ".data +=": lambda t: t.data.__iadd__(1.0),
}


@pytest.mark.parametrize("edit", list(_EDITS))
def test_every_in_place_change_bumps_the_version(edit):
    t = tensor(np.arange(1.0, 4.0))
    before = t._version
    _EDITS[edit](t)
    assert t._version > before


# Ops whose backward needs the edited tensor ``t`` (to give ``w``, which requires grad, its
# gradient), so an edit of ``t`` between forward and backward must be caught.
_NEEDS_T = {
    "mul": lambda t, w: t * w,            # d(tw)/dw = t
    "div": lambda t, w: w / (t + 3.0),    # d(w/u)/dw = 1/u, u computed from t: u is saved, t is not
    "matmul": lambda t, w: t @ w,         # d(t.w)/dw = t
    "pow": lambda t, w: w ** t,           # d(w^t)/dw = t w^(t-1)
    "exp-out": None,                      # exp saves its output: edit the output itself
}


@settings(max_examples=60)
@given(data=st.data())
def test_any_in_place_edit_of_a_saved_tensor_makes_backward_raise(data):
    edit = data.draw(st.sampled_from(sorted(_EDITS)), label="edit")
    use = data.draw(st.sampled_from(sorted(_NEEDS_T)), label="op")
    where = data.draw(st.sampled_from(["constant", "leaf", "intermediate"]), label="edited tensor")
    w = f64(np.linspace(0.5, 1.5, 3), label="w")
    v = f64(np.linspace(-1.0, 1.0, 3), label="v")
    t = {"constant": tensor(np.linspace(-1.0, 1.0, 3)), "leaf": v, "intermediate": v.exp()}[where]
    if use == "exp-out":
        t = (w * t).exp()
        loss = t.sum()
    elif use == "div":
        u = t + 3.0
        loss = (w / u).sum()
        t = u  # what div saved
    else:
        loss = _NEEDS_T[use](t, w).sum()
    with no_grad():
        _EDITS[edit](t)
    with pytest.raises(RuntimeError, match="version") as info:
        loss.backward()
    assert any(op in str(info.value) for op in ("mul", "div", "matmul", "pow", "exp"))


def test_version_error_names_the_op_and_the_tensor():
    w = f64([1.0, 2.0], label="w")
    x = tensor([3.0, 4.0], dtype=minigrad.float64, label="features")
    loss = (w * x).sum()
    x.data += 10  # the example: a write through .data between forward and backward
    with pytest.raises(RuntimeError, match="version") as info:
        loss.backward()
    msg = str(info.value)
    assert "mul" in msg
    assert "features" in msg or "(2,)" in msg


def test_edits_after_backward_or_outside_the_graph_are_fine():
    w = f64([1.0, 2.0])
    x = tensor([3.0, 4.0], dtype=minigrad.float64)
    loss = (w * x).sum()
    unrelated = tensor([1.0])
    unrelated += 1.0
    loss.backward()
    x += 1.0  # after backward: nothing needs the old value
    np.testing.assert_array_equal(_np(w.grad), [3.0, 4.0])


def test_optimizer_step_between_two_backward_passes_raises():
    w = f64([1.0, -1.0])
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    minigrad.optim.SGD([w], lr=0.1).step()
    with pytest.raises(RuntimeError, match="version"):
        loss.backward()


def test_in_place_on_a_leaf_that_requires_grad_needs_no_grad():
    w = f64([1.0])
    with pytest.raises(RuntimeError, match="no_grad|leaf"):
        w -= 0.1
    with no_grad():
        w -= 0.5
    assert w.tolist() == [0.5] and w.requires_grad


# ================================================================ autograd.grad

def test_grad_returns_a_tuple_and_leaves_dot_grad_alone():
    x, y = f64(2.0), f64(3.0)
    gx, gy = autograd.grad(x * y + x, (x, y))
    assert (float(gx), float(gy)) == (4.0, 2.0)
    assert x.grad is None and y.grad is None
    assert not gx.requires_grad, "without create_graph a gradient carries no graph"
    (only,) = autograd.grad((x * x), x)
    assert float(only) == 4.0


def test_grad_unused_input_raises_unless_allow_unused():
    x, y = f64(2.0), f64(3.0)
    with pytest.raises(RuntimeError, match="not used|allow_unused"):
        autograd.grad(x * 2, [x, y])
    gx, gy = autograd.grad(x * 2, [x, y], allow_unused=True)
    assert float(gx) == 2.0 and gy is None


def test_grad_of_a_non_scalar_needs_grad_outputs():
    x = f64([1.0, 2.0])
    with pytest.raises(RuntimeError, match="grad_outputs|scalar"):
        autograd.grad(x * x, x)
    (g,) = autograd.grad(x * x, x, grad_outputs=tensor([1.0, 10.0], dtype=minigrad.float64))
    np.testing.assert_array_equal(_np(g), [2.0, 40.0])


def test_grad_frees_the_graph_unless_retained():
    x = f64(1.5)
    y = x.tanh()
    autograd.grad(y, x, retain_graph=True)
    autograd.grad(y, x)
    with pytest.raises(RuntimeError, match="second time"):
        autograd.grad(y, x)


@given(st.floats(-2, 2))
def test_create_graph_gives_derivatives_of_any_order(a):
    # tanh' = 1 - t^2, tanh'' = -2 t (1 - t^2), tanh''' = -2 (1 - t^2)(1 - 3 t^2): by hand
    x = f64(a)
    (d1,) = autograd.grad(x.tanh(), x, create_graph=True)
    (d2,) = autograd.grad(d1, x, create_graph=True)
    (d3,) = autograd.grad(d2, x)
    t = np.tanh(a)
    np.testing.assert_allclose([float(d1), float(d2), float(d3)],
                               [1 - t * t, -2 * t * (1 - t * t), -2 * (1 - t * t) * (1 - 3 * t * t)], atol=1e-12)


def test_backward_create_graph_leaves_a_differentiable_grad():
    x = f64([0.5, -1.0])
    (x ** 3).sum().backward(create_graph=True)  # x.grad = 3 x^2, with a graph
    assert x.grad.requires_grad
    (h,) = autograd.grad(x.grad.sum(), x)  # d/dx sum(3x^2) = 6x
    np.testing.assert_allclose(_np(h), [3.0, -6.0])


@given(arrays(shape=(3,)), arrays(shape=(3,)))
def test_hessian_vector_product_matches_finite_differences_of_the_gradient(x0, v):
    def loss(t):
        return ((t * t).sum().tanh() + (t.exp() * t).sum())

    x = f64(x0)
    (g,) = autograd.grad(loss(x), x, create_graph=True)
    (hv,) = autograd.grad((g * tensor(v)).sum(), x)

    def first_derivative_along_v(a):
        t = f64(a)
        (gt,) = autograd.grad(loss(t), t)
        return float((_np(gt) * v).sum())

    np.testing.assert_allclose(_np(hv), numeric_grad(first_derivative_along_v, x0), atol=1e-5, rtol=1e-5)


def test_one_newton_step_from_hessian_vector_products_solves_least_squares():
    # Linear regression: the loss is quadratic, so one Newton step lands on the minimum.
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((20, 3)), rng.standard_normal(20)
    w = f64(np.zeros(3))
    loss = ((tensor(X) @ w - tensor(y)) ** 2).mean()
    (g,) = autograd.grad(loss, w, create_graph=True)
    hessian = np.stack([_np(autograd.grad((g * tensor(e)).sum(), w, retain_graph=True)[0]) for e in np.eye(3)])
    step = np.linalg.solve(hessian, _np(g))
    expected = np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(-step, expected, atol=1e-8)


def test_a_leaf_whose_requires_grad_is_turned_off_after_the_forward_gets_no_gradient():
    # as PyTorch: x.requires_grad_(False) after (w * x) was recorded leaves x.grad None; w gets x
    w, x = minigrad.tensor([1.0, 2.0], requires_grad=True), minigrad.tensor([3.0, 4.0], requires_grad=True)
    loss = (w * x).sum()
    x.requires_grad_(False)
    loss.backward()
    assert x.grad is None and w.grad.tolist() == [3.0, 4.0]
    loss = (w * x * w).sum()
    w.requires_grad_(False)  # now neither input of the first mul wants a gradient
    loss.backward()
    assert x.grad is None and w.grad.tolist() == [3.0, 4.0]
    a, b = minigrad.Value(2.0), minigrad.Value(3.0)
    c = (a * b).tanh()
    b.requires_grad = False
    c.backward()
    assert b.grad == 0.0 and a.grad == pytest.approx((1 - math.tanh(6.0) ** 2) * 3.0)
