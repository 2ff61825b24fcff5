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


def test_truth_value_only_for_one_element():
    assert bool(tensor([1.0]) == tensor([1.0]))
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(tensor([1.0, 2.0]) == tensor([1.0, 2.0]))


# ------------------------------------------------------------------ PyTorch's tensor API (issue 10)

def test_data_and_grad_are_tensors_sharing_memory_and_version():
    w = tensor([1.0, 2.0], requires_grad=True)
    d = w.data
    assert isinstance(d, Tensor) and not d.requires_grad and d.is_leaf
    d.fill_(3.0)  # a write through .data changes w and is counted
    assert w.tolist() == [3.0, 3.0] and w._version == 1
    (w * w).sum().backward()
    assert isinstance(w.grad, Tensor) and w.grad.tolist() == [6.0, 6.0]
    g = w.grad
    (w * w).sum().backward()  # accumulates into the same tensor, as PyTorch
    assert g.tolist() == [12.0, 12.0]
    w.grad.zero_()
    assert w.grad.tolist() == [0.0, 0.0]
    with pytest.raises(RuntimeError, match="detach"):
        w.numpy()
    assert np.asarray(w.detach()).tolist() == [3.0, 3.0]


@pytest.mark.parametrize("edit", [
    lambda x: x.data.add_(10), lambda x: x.data.mul_(2), lambda x: x.data.normal_(),
    lambda x: x.data.copy_(np.zeros(2)), lambda x: x.data.__isub__(1), lambda x: x.data.__setitem__(0, 5.0),
    lambda x: setattr(x, "data", np.zeros(2, dtype=np.float32)),
])
def test_inplace_edit_of_a_saved_input_makes_backward_raise(edit):
    w = tensor([1.0, 2.0], requires_grad=True, label="w")
    x = tensor([3.0, 4.0], label="x")
    loss = (w * x).sum()
    edit(x)
    with pytest.raises(RuntimeError, match=r"modified by an in-place operation: input 1 'x' of 'mul'"):
        loss.backward()


def test_optimizer_step_between_two_backwards_raises_only_where_backward_reads_a_weight():
    # One layer on data: backward reads the input, never the weight (PyTorch saves only x), so
    # a step in between is allowed. Two layers: the second weight is read for the first's gradient.
    net = minigrad.nn.Linear(2, 1)
    opt = minigrad.optim.SGD(net.parameters(), lr=0.1)
    loss = net(minigrad.ones(3, 2)).sum()
    loss.backward(retain_graph=True)
    opt.step()
    loss.backward()
    assert np.allclose(net.weight.grad.numpy(), [[6.0, 6.0]])
    net = minigrad.nn.Sequential(minigrad.nn.Linear(2, 2), minigrad.nn.Linear(2, 1))
    opt = minigrad.optim.SGD(net.parameters(), lr=0.1)
    loss = net(minigrad.ones(3, 2)).sum()
    loss.backward(retain_graph=True)
    opt.step()
    with pytest.raises(RuntimeError, match="in-place operation: input 1 of 'linear'"):
        loss.backward()


def test_module_level_functions_and_dtypes():
    torch = minigrad
    w = torch.normal(0, 0.01, size=(3, 1), requires_grad=True)
    assert w.shape == (3, 1) and w.dtype == torch.float32 and w.requires_grad
    assert torch.arange(3).dtype == torch.int64 and torch.arange(0, 1, 0.5).tolist() == [0.0, 0.5]
    assert torch.zeros_like(w).shape == w.shape and torch.ones(2, dtype=torch.float64).dtype == np.float64
    assert torch.cat([torch.zeros(1, 2), torch.ones(2, 2)], 0).shape == (3, 2)
    assert torch.stack([torch.zeros(2), torch.ones(2)], dim=-1).shape == (2, 2)
    assert torch.is_tensor(w) and not torch.is_tensor(w.tolist())
    torch.manual_seed(3); a = torch.randn(4).tolist(); torch.manual_seed(3)
    assert a == torch.randn(4).tolist()
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(torch.exp(torch.log(x)).numpy(), x.numpy(), rtol=1e-6)
    assert torch.matmul(x, torch.eye(2)).tolist() == x.tolist()
    assert torch.abs(-x).tolist() == x.tolist() and torch.tanh(torch.zeros(1)).tolist() == [0.0]


def test_tensor_methods_as_the_book_uses_them():
    X = minigrad.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
    assert X.sum(0, keepdim=True).shape == (1, 3) and X.sum(1).tolist() == [9.0, 12.0]
    assert X.size() == (2, 3) and X.size(1) == 3 and X.size(-1) == 3 and X.numel() == 6
    assert X.t().shape == (3, 2) and X.T.shape == (3, 2)
    values, indices = X.max(1)
    assert values.tolist() == [5.0, 6.0] and indices.tolist() == [1, 2]
    assert X.argmax(axis=1).tolist() == [1, 2] and X.argmax(dim=1).tolist() == [1, 2]
    y = minigrad.tensor([1, 2])
    cmp = X.argmax(axis=1).type(y.dtype) == y
    assert float(cmp.type(y.dtype).sum()) == 2.0
    assert X.float().dtype == np.float32 and X.long().dtype == np.int64 and X.to(minigrad.float64).dtype == np.float64
    labels = ["a", "b", "c"]
    assert [labels[int(i)] for i in y] == ["b", "c"] and labels[y[0]] == "b"
    assert f"{X.sum():f}" == "21.000000" and f"{X.sum():.1f}" == "21.0"
    c = X.clone()
    c.zero_()
    assert X.sum().item() == 21.0


def test_max_along_dim_sends_gradient_to_the_index_as_pytorch():
    x = tensor([[1.0, 3.0, 3.0]], requires_grad=True)
    x.max(1).values.sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0, 0.0]]  # the first maximum, not shared


# ------------------------------------------------------------------ right or loud (issue 9, engine side)

@given(st.data())
def test_negative_axes_give_the_layout_of_positive_ones(data):
    shape = data.draw(st.lists(st.integers(1, 3), min_size=2, max_size=4).map(tuple))
    perm = data.draw(st.permutations(range(len(shape))))
    neg = [p - len(shape) if data.draw(st.booleans()) else p for p in perm]
    x = np.random.default_rng(0).standard_normal(shape)
    weights = np.random.default_rng(1).standard_normal(np.transpose(x, perm).shape)
    a, b = tensor(x, requires_grad=True), tensor(x, requires_grad=True)
    (a.permute(*perm) * weights).sum().backward()
    (b.permute(*neg) * weights).sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), np.transpose(weights, np.argsort(perm)))  # independent oracle
    np.testing.assert_array_equal(b.grad.numpy(), a.grad.numpy())


def test_sum_to_shape_refuses_a_gradient_that_does_not_fit():
    with pytest.raises(minigrad.ShapeError, match="does not fit"):
        minigrad.tensor_ops.sum_to_shape(np.ones((2, 3)), (3, 2))


def test_dtype_promotion_as_pytorch():
    f32 = minigrad.zeros(2)
    assert (f32 + minigrad.tensor([1, 2])).dtype == np.float32
    assert (f32 * np.int64(3)).dtype == np.float32 and (f32 * np.float64(3)).dtype == np.float32
    assert (minigrad.tensor([1, 2]) * 2.5).dtype == np.float32
    assert (minigrad.tensor([1, 2]) / minigrad.tensor([2, 4])).tolist() == [0.5, 0.5]
    assert minigrad.tensor([1, 2]).exp().dtype == np.float32  # float ops promote, never truncate
    assert (minigrad.zeros(2, dtype=minigrad.float64) + f32).dtype == np.float64
    with pytest.raises(TypeError, match="floating point"):
        minigrad.functional.cross_entropy(minigrad.tensor([[1, 2]]), [0])
    assert minigrad.functional.mse_loss(minigrad.tensor([1, 2]), minigrad.tensor([1.5, 2.5])).item() == 0.25
    with pytest.raises(TypeError, match="mean"):
        minigrad.tensor([1, 2]).mean()


def test_pow_at_zero_base_as_pytorch():
    x = tensor([0.0, 2.0], requires_grad=True)
    (x ** 0.0).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]
    e = tensor([2.0], requires_grad=True)
    (tensor([0.0]) ** e).sum().backward()
    assert e.grad.tolist() == [0.0]


def test_reductions_edge_cases():
    x = tensor([[1.0, float("nan"), 3.0], [1.0, 2.0, 3.0]], requires_grad=True)
    x.amax(1).sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]  # NaN only reaches its own row
    s = tensor(2.0, requires_grad=True)
    s.sum(0).backward()
    s.sum(-1).backward()
    assert s.grad.item() == 2.0
    assert minigrad.zeros(3, 0).logsumexp(1).tolist() == [-np.inf] * 3
    y = s * 2
    with pytest.raises(RuntimeError, match="non-leaf"):
        y.requires_grad_(False)


@pytest.mark.parametrize("bad", [None, ["1", "2"]])
def test_none_and_strings_are_refused_even_with_a_dtype(bad):
    with pytest.raises(TypeError, match="numbers"):
        tensor(bad, dtype=minigrad.float32)


def test_numpy_errors_name_the_op_without_blaming_shapes():
    with pytest.raises(ValueError, match=r"pow: .*operands: \(2,\) int64") as info:
        minigrad.tensor([1, 2]) ** -1
    assert "do not fit" not in str(info.value)
    with pytest.raises(minigrad.ShapeError, match=r"reshape.*\(2, 3\).*\(4,\)"):
        minigrad.zeros(2, 3).reshape(4)


# ------------------------------------------------------------------ gradients of gradients (issue 14)



# ---------------------------------------------------------------- issue 19: the last silent differences

def test_setting_requires_grad_runs_requires_grads_checks():
    x = minigrad.ones(2)
    x.requires_grad = True
    assert x.requires_grad and x.is_leaf
    y = x * 2
    with pytest.raises(RuntimeError, match="non-leaf"):
        y.requires_grad = False
    with pytest.raises(TypeError, match="only floating-point"):
        minigrad.ones(2, dtype=minigrad.int64).requires_grad = True


@given(arrays("real", (5,)), st.lists(st.integers(0, 4), min_size=1, max_size=5))
def test_elementwise_max_min_split_ties_as_pytorch(a, tie_at):
    # closed form: d max(a, b)/da = [a > b] + [a == b] / 2, and min alike
    b = a.copy()
    b[[i for i in range(5) if i not in tie_at]] += 1.0
    for fn, wins in ((minigrad.maximum, np.greater), (minigrad.minimum, np.less),
                     (lambda x, y: x.max(y), np.greater), (lambda x, y: x.min(y), np.less)):
        x, y = tensor(a, requires_grad=True), tensor(b, requires_grad=True)
        fn(x, y).sum().backward()
        tie = (a == b) * 0.5
        np.testing.assert_array_equal(x.grad.numpy(), wins(a, b) + tie)
        np.testing.assert_array_equal(y.grad.numpy(), wins(b, a) + tie)


def test_set_grad_enabled_as_a_decorator_changes_nothing_at_definition():
    @minigrad.set_grad_enabled(False)
    def f(t):
        return minigrad.is_grad_enabled(), (t * 2).requires_grad
    assert minigrad.is_grad_enabled()
    assert f(tensor([1.0], requires_grad=True)) == (False, False)
    assert minigrad.is_grad_enabled()
    with minigrad.no_grad():
        assert f(tensor([1.0])) == (False, False) and not minigrad.is_grad_enabled()
    minigrad.set_grad_enabled(False)  # as a call it switches now, as PyTorch
    assert not minigrad.is_grad_enabled()
    minigrad.set_grad_enabled(True)


def test_nan_and_inf_gradients_where_pytorch_has_them():
    x = tensor([np.nan, 1.0, -1.0, 0.0], requires_grad=True)
    x.relu().sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1, 1, 0, 0])  # the NaN passes, as PyTorch
    z = tensor([[np.inf, 1.0, 2.0], [1.0, 2.0, 3.0]], requires_grad=True)
    out = z.log_softmax(dim=1)
    assert np.isnan(out.detach().numpy()[0]).all()
    out.sum().backward()
    assert np.isnan(z.grad.numpy()[0]).all() and np.isfinite(z.grad.numpy()[1]).all()
    # the finite row is untouched by the fix: d sum(log_softmax)/dz = 1 - 3 softmax
    row = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(z.grad.numpy()[1], 1 - 3 * np.exp(row) / np.exp(row).sum(), rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int32, np.bool_])
def test_sum_of_integers_is_int64(dtype):
    x = tensor(np.array([100, 100, 1], dtype=dtype))  # 201 overflows int8 and uint8 would wrap too
    assert x.sum().dtype == np.int64 and x.sum(0).dtype == np.int64
    assert int(x.sum()) == (201 if dtype is not np.bool_ else 3)


def test_randint_short_form_and_cat_of_0d():
    minigrad.manual_seed(0)
    r = minigrad.randint(10, (4, 2))
    assert r.shape == (4, 2) and r.dtype == np.int64 and 0 <= int(r.min()) and int(r.max()) < 10
    with pytest.raises(ValueError, match=r"zero-dimensional tensor \(at position 1\) cannot be concatenated"):
        minigrad.cat([tensor([1.0]), tensor(2.0)])


def test_axis_is_an_alias_of_dim_where_pytorch_accepts_it():
    x = tensor(np.arange(6.0).reshape(2, 3, 1))
    for a, b in [(x.softmax(axis=1), x.softmax(dim=1)), (x.log_softmax(axis=1), x.log_softmax(1)),
                 (minigrad.cat([x, x], axis=1), minigrad.cat([x, x], dim=1)),
                 (minigrad.stack([x, x], axis=1), minigrad.stack([x, x], dim=1)),
                 (x.squeeze(axis=2), x.squeeze(2)), (x.unsqueeze(axis=0), x.unsqueeze(0)),
                 (minigrad.softmax(x, axis=1), x.softmax(1))]:
        np.testing.assert_array_equal(a.numpy(), b.numpy())


_DTYPES = [np.float32, np.float64, np.int64, np.int32, np.uint8, np.bool_]
_OPERATORS = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
              "div": lambda a, b: a / b}


@given(data=st.data())
def test_operators_outside_the_graph_agree_with_apply_op(data):
    # +, -, *, / take a shortcut to NumPy when nothing is recorded (tensor._arith): every kind of
    # operand gives the value, dtype and shape of the general route, apply_op, and PyTorch's dtype rule
    name = data.draw(st.sampled_from(sorted(_OPERATORS)))
    shapes = data.draw(broadcast_shapes(2))
    da, db = (data.draw(st.sampled_from(_DTYPES)) for _ in range(2))
    a = tensor(np.round(data.draw(arrays(shape=shapes[0])), 1).astype(da))
    other = data.draw(st.sampled_from(["tensor", "int", "float"]))
    b = (tensor(np.round(data.draw(arrays(shape=shapes[1])), 1).astype(db)) if other == "tensor"
         else data.draw(st.integers(-3, 3)) if other == "int" else data.draw(st.floats(-3, 3)))
    if name == "sub" and (a.dtype == np.bool_ or getattr(b, "dtype", None) == np.bool_):
        return  # (bool - bool is an error in both routes: checked below for one case)
    reflected = data.draw(st.booleans())
    x, y = (b, a) if reflected else (a, b)
    with np.errstate(all="ignore"):
        expected = minigrad.apply_op(name, x, y)
        with minigrad.no_grad():
            got = _OPERATORS[name](x, y)
        recorded_off = _OPERATORS[name](x, y)  # grad mode on, nothing requires grad: the shortcut too
    for out in (got, recorded_off):
        assert type(out) is Tensor and out.dtype == expected.dtype and out.shape == expected.shape
        assert not out.requires_grad and out.is_leaf
        np.testing.assert_array_equal(out.numpy(), expected.numpy())


_RECORDED = {**_OPERATORS, "pow": lambda a, b: a ** b}


@given(data=st.data())
def test_recorded_operators_link_what_apply_op_links(data):
    # + - * / ** record their usual operands themselves (tensor._arith): the same value, parents,
    # saved versions and op as apply_op's route, and gradients that match finite differences
    name = data.draw(st.sampled_from(sorted(_RECORDED)))
    shapes = data.draw(broadcast_shapes(2))
    dtype = data.draw(st.sampled_from([np.float32, np.float64]))
    domain = "positive" if name in ("pow", "div") else "real"  # (a positive base and divisor: smooth)
    a = tensor(data.draw(arrays(domain, shape=shapes[0])).astype(dtype), requires_grad=True)
    other = data.draw(st.sampled_from(["tensor", "int", "float"]))
    b = (tensor(data.draw(arrays(domain, shape=shapes[1])).astype(dtype), requires_grad=data.draw(st.booleans()))
         if other == "tensor" else data.draw(st.integers(1, 3)) if other == "int" else data.draw(st.floats(0.5, 2.0)))
    reflected = data.draw(st.booleans())
    x, y = (b, a) if reflected else (a, b)
    got, expected = _RECORDED[name](x, y), minigrad.apply_op(name, x, y)
    assert type(got) is Tensor and got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got.detach().numpy(), expected.detach().numpy())
    assert got.grad_fn is expected.grad_fn and got._versions == expected._versions
    assert [p is q or (p.is_leaf and not p.requires_grad and p.item() == q.item())
            for p, q in zip(got._inputs, expected._inputs)] == [True, True]
    weights = np.linspace(-1.0, 1.0, got.numel()).reshape(got.shape)
    (got * tensor(weights.astype(dtype))).sum().backward()
    a_array = a.detach().numpy().astype(np.float64)

    def f(values):
        u = tensor(values)
        v = b if not isinstance(b, Tensor) else tensor(b.detach().numpy().astype(np.float64))
        return float((_RECORDED[name](*((v, u) if reflected else (u, v))) * tensor(weights)).sum())
    np.testing.assert_allclose(a.grad.numpy(), numeric_grad(f, a_array), rtol=2e-2 if dtype == np.float32 else 1e-5,
                               atol=2e-2 if dtype == np.float32 else 1e-6)


def test_recorded_matmul_links_what_apply_op_links():
    X, w = tensor(np.arange(6.0, dtype=np.float32).reshape(3, 2)), tensor([[1.0], [-2.0]], requires_grad=True)
    assert X.dtype == w.dtype  # (one dtype: the operators' own route, not the general rule's)
    got, expected = X @ w, minigrad.apply_op("matmul", X, w)
    assert got.grad_fn is expected.grad_fn and got._versions == expected._versions and got._inputs == (X, w)
    got.sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), numeric_grad(lambda v: float((X.numpy() @ v).sum()), w.detach().numpy()))
    with pytest.raises(minigrad.tensor_ops.ShapeError, match="matmul"):  # the error still names the op
        w @ X


def test_operators_outside_the_graph_name_the_op_in_errors():
    with minigrad.no_grad():
        with pytest.raises(minigrad.tensor_ops.ShapeError, match="add: shapes .2,. and .3,. cannot be broadcast"):
            tensor([1.0, 2.0]) + tensor([1.0, 2.0, 3.0])
        with pytest.raises(TypeError, match="sub"):
            tensor([True]) - tensor([False])
    w = tensor([1.0, 2.0], requires_grad=True)
    with minigrad.no_grad():
        assert not (w * 2).requires_grad  # under no_grad even a parameter's product is not recorded
    assert (w * 2).requires_grad and (w * 2).grad_fn.name == "mul"


@pytest.mark.parametrize("grad_shape, shape", [((256, 10), (10,)), ((2,), (1,)), ((3, 4), (1,)), ((3, 1), (1,)),
                                               ((3, 4), (1, 4)), ((5, 3, 4), (4,)), ((3, 4), (3, 1)), ((2, 3), ())])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_sum_to_shape_undoes_every_kind_of_broadcast(grad_shape, shape, dtype):
    # each case, including the bias-over-a-batch shortcut (a product with ones), against np.sum
    g = np.arange(np.prod(grad_shape), dtype=dtype).reshape(grad_shape) % 7 - 3
    lead = len(grad_shape) - len(shape)
    expected = g.sum(axis=tuple(range(lead)))
    expected = expected.sum(axis=tuple(i for i, n in enumerate(shape) if n == 1 and expected.shape[i] != 1),
                            keepdims=True) if shape else expected
    got = minigrad.tensor_ops.sum_to_shape(g, shape)
    assert got.shape == shape and got.dtype == g.dtype
    np.testing.assert_array_equal(got, expected)
