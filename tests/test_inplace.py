"""In-place ops as PyTorch: views share memory and version counter, backward checks exactly what
its VJPs read, and in-place ops on tensors inside the graph rebase their history.

Gradients are checked against finite differences (``minigrad.gradcheck``) or closed forms; the
version-counter tests enumerate the registry, so a new op is covered without a new test.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from minigrad import nn, tensor
from minigrad.registry import REGISTRY
from minigrad.tensor import apply_op
from minigrad.testing import CASES, arrays, op_cases

STALE = "modified by an in-place operation"
TENSOR_OPS = sorted(name for name, spec in REGISTRY.items() if spec.tensor is not None and name in CASES)


def _leaves(args):
    return [tensor(np.array(a, dtype=np.float64), requires_grad=True) for a in args]


def _run(name, leaves, kwargs):
    return apply_op(name, *leaves, **kwargs)


def _grads(name, args, kwargs, edit=None):
    """Gradients of sum(out * v) for every input; ``edit(leaves, out)`` runs between forward and backward."""
    leaves = _leaves(args)
    out = _run(name, leaves, kwargs)
    v = np.linspace(0.5, 1.5, out.numel()).reshape(out.shape)
    loss = (out * v).sum()
    if edit is not None:
        with minigrad.no_grad():
            edit(leaves, out)
    loss.backward()
    return [leaf.grad.numpy() for leaf in leaves]


def _reads(name):
    spec = REGISTRY[name]
    n = len(spec.tensor_vjps)
    return spec.reads if spec.reads is not None else [tuple(range(n + 1))] * n


# ---------------------------------------------------------------- enumerated from the registry

@pytest.mark.parametrize("name", TENSOR_OPS)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_an_input_no_vjp_reads_can_be_edited_and_one_that_is_read_raises(name, data):
    # The registry's reads= must be the truth: editing an input no VJP reads leaves every
    # gradient exactly as without the edit; editing one that is read makes backward raise.
    args, kwargs = data.draw(op_cases(name))
    read = {i for rs in _reads(name) for i in rs}
    before = _grads(name, args, kwargs)
    for i in range(len(args)):
        def edit(leaves, out, i=i):
            leaves[i].data.add_(0.25)  # through .data: the leaf's own counter
        if i in read:
            with pytest.raises(RuntimeError, match=STALE):
                _grads(name, args, kwargs, edit)
        else:
            after = _grads(name, args, kwargs, edit)
            for b, a in zip(before, after):
                np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", TENSOR_OPS)
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_an_op_whose_vjp_reads_its_output_raises_when_the_output_was_edited(name, data):
    args, kwargs = data.draw(op_cases(name))
    reads_out = any(len(args) in rs for rs in _reads(name))
    leaves = _leaves(args)
    out = _run(name, leaves, kwargs)
    if not out._data.flags.writeable:  # a broadcast view (expand): no write possible at all
        with pytest.raises(RuntimeError, match="read-only"), minigrad.no_grad():
            out.mul_(2)
        return
    loss = out.sum()
    with minigrad.no_grad():
        out.mul_(2)
    if reads_out:
        with pytest.raises(RuntimeError, match=f"{STALE}: the output of '{name}'"):
            loss.backward()
    else:
        loss.backward()  # nothing read was changed


@pytest.mark.parametrize("name", TENSOR_OPS)
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_a_result_that_is_a_view_shares_memory_and_the_version_counter(name, data):
    # Whichever ops make views (found by running them, not listed), the view and its base
    # are one memory and one counter, in both directions, as in PyTorch.
    args, kwargs = data.draw(op_cases(name))
    base = tensor(np.array(args[0], dtype=np.float64))
    rest = [tensor(np.array(a, dtype=np.float64)) for a in args[1:]]
    view = apply_op(name, base, *rest, **kwargs)
    if not np.shares_memory(view.numpy(), base.numpy()) or view.numel() == 0:
        assert view._version == 0 and base._version == 0
        return
    assert view._vc is base._vc
    if view._data.flags.writeable:
        view.add_(1.0)
        assert base._version == 1
        np.testing.assert_array_equal(view.numpy(), apply_op(name, base, *rest, **kwargs).numpy())
    base.add_(1.0)
    assert view._version == base._version >= 1


def test_the_view_making_ops_are_the_ones_expected():
    # The enumeration above finds the views by running the ops; this pins down that it finds some.
    x = tensor(np.arange(6.0).reshape(2, 3))
    made = {name for name, kw in [("getitem", {"index": (0,)}), ("reshape", {"shape": (3, 2)}),
                                  ("transpose", {"axes": (1, 0)}), ("expand", {"shape": (2, 2, 3)})]
            if np.shares_memory(apply_op(name, x, **kw).numpy(), x.numpy())}
    assert made == {"getitem", "reshape", "transpose", "expand"}


VIEWS = {
    "slice": lambda y: y[1:], "index": lambda y: y[0], "reshape": lambda y: y.reshape(-1), "view": lambda y: y.view(3, 2),
    ".T": lambda y: y.T, "t()": lambda y: y.t(), "transpose": lambda y: y.transpose(0, 1),
    "permute": lambda y: y.permute(1, 0), "expand": lambda y: y[:1].expand(4, 3),
    "squeeze": lambda y: y[:1].squeeze(0), "unsqueeze": lambda y: y.unsqueeze(0), "flatten": lambda y: y.flatten(),
    "ellipsis": lambda y: y[..., 1:],
}


@pytest.mark.parametrize("make", VIEWS.values(), ids=VIEWS.keys())
def test_an_edit_through_any_view_is_seen_by_the_bases_saved_uses(make):
    x = tensor(np.arange(1.0, 7.0).reshape(2, 3), requires_grad=True)
    y = x * 1.0
    v = make(y)
    z = (y * y).sum()
    with minigrad.no_grad():
        if v._data.flags.writeable:
            v.mul_(2)
        else:
            y.mul_(2)  # expand is read-only: edit the base, the view sees the bump
    assert v._version == y._version == 1
    with pytest.raises(RuntimeError, match=STALE):
        z.backward()


def test_the_issue_example_raises_instead_of_a_wrong_gradient():
    x = tensor([1., 2., 3.], requires_grad=True)
    y = x * 1.0
    v = y[1:]
    z = (y * y).sum()
    with minigrad.no_grad():
        v.mul_(2)
    np.testing.assert_array_equal(y.tolist(), [1, 4, 6])  # one memory, as PyTorch
    with pytest.raises(RuntimeError, match=r"input 0 of 'mul' \(shape \(3,\), float32\) is at version 1"):
        z.backward()


@pytest.mark.parametrize("op", ["exp", "tanh", "sigmoid", "softmax", "relu"])
def test_editing_an_output_that_backward_reads_raises(op):
    x = tensor([0.5, -1.0], requires_grad=True)
    y = getattr(x, op)()
    loss = y.sum()
    with minigrad.no_grad():
        y.add_(1)
    with pytest.raises(RuntimeError, match=STALE):
        loss.backward()


def test_inputs_backward_does_not_read_may_be_edited():
    # add's inputs, sum's input, mul's unsaved operand (w: only x is read for w's gradient)
    w = tensor([1.0, 2.0], requires_grad=True)
    x = tensor([3.0, 4.0])
    a = w * 1.0
    loss = (a + x).sum() + (w * x).sum() + a.sum()
    with minigrad.no_grad():
        a.mul_(10)
        w.add_(5)
    loss.backward()
    np.testing.assert_array_equal(w.grad.numpy(), [1 + 3 + 1, 1 + 4 + 1])


# ---------------------------------------------------------------- in place inside the graph

def _check(fn, *shapes, seed=0):
    rng = np.random.default_rng(seed)
    return minigrad.gradcheck(fn, [rng.uniform(0.5, 2.0, s) * rng.choice([-1, 1], s) for s in shapes])


EXAMPLES = {
    "residual Y += X": lambda x, w: _residual(x, w),
    "h[h < 0] = 0": lambda x: _mask_zero(x),
    "masked_fill_": lambda x: (x * 2).masked_fill_(x.detach().numpy() > 0.6, -1.0).exp().sum(),
    "relu_": lambda x: (x * 2).relu_().pow(2).sum(),
    "clone().add_()": lambda x, w: (x.clone().add_(w, alpha=3) * x).sum(),
    "mul_ by a tensor that requires grad": lambda x, w: ((x * 1.0).mul_(w) * x).sum(),
    "div_, sub_, pow_": lambda x, w: ((x * 1.0).div_(w).sub_(w).pow_(2)).sum(),
    "x[i] = t, t requires grad": lambda x, w: _setitem(x, w),
    "preds[i] = net(x_i)": lambda x, w: _preds(x, w),
    "a view in place: y[1:].mul_(w)": lambda x, w: _through_view(x, w),
    "y.t().mul_(w)": lambda x, w: _through_transpose(x, w),
    "zero_ and fill_ on a non-leaf": lambda x, w: _fills(x, w),
    "copy_ from a tensor that requires grad": lambda x, w: ((x * 2).copy_(w * w) * x).sum(),
    "tanh_ then used": lambda x: (x * 1.0).tanh_().sum() * 2,
    "F.relu(inplace=True)": lambda x: (minigrad.functional.relu(x * 3, inplace=True) * x).sum(),
}


def _residual(x, w):
    y = x @ w          # (3, 3) @ (3, 3)
    y += x             # the ResNet block's residual, in place
    return (y.relu() * y).sum()


def _mask_zero(x):
    h = x * 3.0
    h[h < 0] = 0
    return (h * h).sum()


def _setitem(x, w):
    y = x * 1.0
    y[1] = w[0] * 2
    y[0, 1:] = w[2, 1:]
    return (y * y).sum()


def _preds(x, w):
    preds = minigrad.zeros(x.shape[0], dtype=x.dtype)
    for i in range(x.shape[0]):
        preds[i] = (x[i] * w).sum().reshape(1)  # a one-element tensor into one element
    return (preds * preds).sum()


def _through_view(x, w):
    y = x * 1.0
    s = y[1:]          # a view
    before = y[:2]     # a sibling view made before the write: its history is refreshed
    s.mul_(w[1:])
    return (y * y).sum() + (before * x[:2]).sum() + s.sum()


def _through_transpose(x, w):
    y = x * 1.0
    y.t().mul_(w[0])   # scales the columns of y.t(), i.e. the rows of y
    return (y * x).sum()


def _fills(x, w):
    y = x * w
    z = y + 1
    y[0].zero_()
    y[1].fill_(w[0, 0])  # a 0-d tensor value gets its gradient
    return (y * z).sum()


@pytest.mark.parametrize("fn", EXAMPLES.values(), ids=EXAMPLES.keys())
def test_in_place_on_a_non_leaf_has_pytorchs_gradient(fn):
    n = fn.__code__.co_argcount
    assert _check(fn, *[(3, 3)] * n)


def test_relu_inplace_module_trains_as_the_out_of_place_one():
    minigrad.manual_seed(0)
    a = nn.Sequential(nn.Linear(4, 5), nn.ReLU(inplace=True), nn.Linear(5, 1))
    b = nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 1))
    b.load_state_dict(a.state_dict())
    x = minigrad.randn(6, 4)
    for net in (a, b):
        net(x).pow(2).sum().backward()
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-6)
    assert repr(nn.ReLU(inplace=True)) == "ReLU(inplace=True)"


IN_PLACE_STEPS = {
    "add_": lambda y, w: y.add_(w),
    "mul_": lambda y, w: y.mul_(w),
    "tanh_": lambda y, w: y.tanh_(),
    "sigmoid_": lambda y, w: y.sigmoid_(),
    "setitem": lambda y, w: y.__setitem__((slice(None), 0), w[:, 1]),
    "view mul_": lambda y, w: y[1:].mul_(w[1:]),
    "masked_fill_": lambda y, w: y.masked_fill_(w.detach().numpy() > 0, 0.5),
    "+= used before": lambda y, w: y.__iadd__(y.sum(0) * w),
}


@settings(max_examples=40, deadline=None)
@given(steps=st.lists(st.sampled_from(sorted(IN_PLACE_STEPS)), min_size=1, max_size=4),
       x=arrays("real", (3, 3)), w=arrays("away_from_zero", (3, 3)))
def test_any_sequence_of_in_place_ops_is_right_or_loud(steps, x, w):
    # PyTorch's rule: correct gradients (finite differences), or backward raises because a
    # value it reads was overwritten. Never a silently wrong gradient.
    def fn(x, w):
        y = x * w
        used = y.sigmoid()  # reads its output: later edits of y do not touch it
        for s in steps:
            IN_PLACE_STEPS[s](y, w)
        return (y * x).sum() + used.sum()
    try:
        assert minigrad.gradcheck(fn, [x, w], atol=1e-4)
    except RuntimeError as err:
        assert STALE in str(err)


def test_an_overwritten_saved_value_raises_naming_it():
    x = tensor([1.0, -1.0], requires_grad=True)
    y = x.sigmoid()
    y.mul_(2)  # sigmoid's backward reads its output, now overwritten
    with pytest.raises(RuntimeError, match=f"{STALE}: the output of 'sigmoid'"):
        y.sum().backward()
    y = x * 1.0
    z = y * y
    y.add_(1)  # mul saved y
    with pytest.raises(RuntimeError, match=f"{STALE}: input 0 of 'mul'"):
        z.sum().backward()


def test_in_place_on_a_leaf_that_requires_grad_or_a_view_of_it_is_refused():
    w = tensor([1.0, 2.0], requires_grad=True)
    for edit in (lambda: w.add_(1), lambda: w.__iadd__(1), lambda: w.__setitem__(0, 5.0), lambda: w[1:].mul_(2),
                 lambda: w.relu_(), lambda: w.zero_()):
        with pytest.raises(RuntimeError, match="leaf tensor that requires grad"):
            edit()
    with minigrad.no_grad():
        w.add_(1)  # the parameter update
    np.testing.assert_array_equal(w.tolist(), [2, 3])


def test_a_leaf_without_grad_written_with_a_tensor_that_requires_grad_joins_the_graph():
    w = tensor([5.0], requires_grad=True)
    x = minigrad.zeros(3)
    before = x * 1.0  # uses the old x: no gradient (x did not require grad)
    x[1] = w
    assert x.requires_grad and not x.is_leaf
    (x.sum() * 2 + before.sum()).backward()
    np.testing.assert_array_equal(w.grad.numpy(), [2.0])


def test_users_from_before_an_in_place_op_send_their_gradient_to_the_old_value():
    x = tensor([1.0, 2.0], requires_grad=True)
    y = x * 1.0
    z = y + 1        # add reads nothing: allowed, and its gradient goes to y as it was
    y.mul_(3)
    (z.sum() + y.sum()).backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1 + 3, 1 + 3])


# ---------------------------------------------------------------- clear errors

def test_a_float_result_into_an_int_tensor_gives_pytorchs_message():
    t = minigrad.zeros(3, dtype=minigrad.int64)
    for edit in (lambda: t.__iadd__(1.5), lambda: t.add_(tensor(1.5)), lambda: t.__itruediv__(2),
                 lambda: t.mul_(tensor([0.5, 1.0, 2.0]))):
        with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
            edit()
    t += 2  # an int result is fine
    t[0] = 1.7  # a write of a value casts, as PyTorch
    assert t.tolist() == [1, 2, 2] and t.dtype == minigrad.int64


def test_writing_into_an_expanded_view_or_a_wrong_shape_is_clear():
    x = minigrad.zeros(1, 3)
    with pytest.raises(RuntimeError, match="read-only"):
        x.expand(2, 3).add_(1)
    with pytest.raises(ValueError, match=r"output with shape \(1, 3\) doesn't match the broadcast shape \(2, 3\)"):
        (x * 1.0).requires_grad_(False).add_(tensor([[1.0], [2.0]], requires_grad=True))


@given(n=st.integers(1, 5), i=st.integers(0, 4), value=st.floats(-10, 10))
def test_a_one_element_tensor_writes_one_element(n, i, value):
    x = minigrad.zeros(n)
    x[i % n] = tensor([value])
    x[(i + 1) % n] = tensor([[value]])  # leading size-1 axes are dropped, as PyTorch
    assert x.numpy()[i % n] == np.float32(value)
    with pytest.raises(ValueError):
        x[0] = tensor([1.0, 2.0])


def test_empty_index_list_selects_nothing():
    x = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    e = x[[]]
    assert e.shape == (0, 2)
    (e.sum() + x.sum()).backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.ones((2, 2)))
