"""What the book's chapters 2 and 4 use from the engine (issue 21): dot, mm, mv, norm,
cumsum, clamp, randn(size=), Multinomial, Dropout, LazyLinear, devices, and printing
as PyTorch prints. Gradients against finite differences (minigrad.gradcheck); printed
forms against PyTorch's own outputs (written out here, and compared with torch live when
it is installed)."""

import importlib.util
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import minigrad
from minigrad import nn
from minigrad.distributions import multinomial
from minigrad.testing import arrays

HAS_TORCH = importlib.util.find_spec("torch") is not None


# ------------------------------------------------------------------ the functions


@settings(max_examples=30, deadline=None)
@given(a=arrays(shape=(4,)), b=arrays(shape=(4,)), M=arrays(shape=(3, 4)), N=arrays(shape=(4, 2)))
def test_dot_mm_mv_values_and_gradients(a, b, M, N):
    assert float(minigrad.dot(minigrad.tensor(a), minigrad.tensor(b))) == pytest.approx(float((a * b).sum()))
    np.testing.assert_allclose(minigrad.mv(minigrad.tensor(M), minigrad.tensor(a)).numpy(),
                               [sum(M[i, k] * a[k] for k in range(4)) for i in range(3)], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(minigrad.mm(minigrad.tensor(M), minigrad.tensor(N)).numpy(),
                               np.einsum("ik,kj->ij", M, N), rtol=1e-9, atol=1e-12)
    minigrad.gradcheck(minigrad.dot, [a, b])
    minigrad.gradcheck(minigrad.mv, [M, a])
    minigrad.gradcheck(lambda x, y: x.mm(y), [M, N])


def test_dot_mm_mv_refuse_other_shapes():
    with pytest.raises(minigrad.ShapeError, match=r"dot: expects 1-D and 1-D operands, got shapes \(2, 2\)"):
        minigrad.dot(minigrad.ones(2, 2), minigrad.ones(2))
    with pytest.raises(minigrad.ShapeError, match="not aligned"):
        minigrad.dot(minigrad.ones(3), minigrad.ones(2))
    with pytest.raises(minigrad.ShapeError, match="mm: expects 2-D"):
        minigrad.mm(minigrad.ones(2, 2, 2), minigrad.ones(2, 2))
    with pytest.raises(minigrad.ShapeError, match="mv: expects 2-D and 1-D"):
        minigrad.mv(minigrad.ones(2, 2), minigrad.ones(2, 1))


@settings(max_examples=30, deadline=None)
@given(x=arrays("away_from_zero", min_dims=1), p=st.sampled_from(["fro", 2, 1, 3, 0.5, math.inf, -math.inf]),
       keep=st.booleans(), data=st.data())
def test_norm_matches_numpy_and_finite_differences(x, p, keep, data):
    dim = data.draw(st.one_of(st.none(), st.integers(-x.ndim, x.ndim - 1)))
    axis = None if dim is None else dim % x.ndim
    a = np.abs(x)
    order = 2 if p == "fro" else p
    if order == math.inf:
        expected = a.max(axis=axis, keepdims=keep)
    elif order == -math.inf:
        expected = a.min(axis=axis, keepdims=keep)
    else:
        expected = (a ** order).sum(axis=axis, keepdims=keep) ** (1 / order)
    t = minigrad.tensor(x)
    np.testing.assert_allclose(t.norm(p, dim, keep).numpy(), expected, rtol=1e-9)
    np.testing.assert_allclose(minigrad.norm(t, p=p, dim=dim, keepdim=keep).numpy(), expected, rtol=1e-9)
    if abs(order) != math.inf or len(set(np.round(a.ravel(), 6))) == a.size:  # max needs a unique winner
        minigrad.gradcheck(lambda y: y.norm(p, dim, keep), [x])


def test_norm_is_the_books_numbers_and_zero_safe():
    assert float(minigrad.norm(minigrad.tensor([3.0, -4.0]))) == 5.0
    assert float(minigrad.norm(minigrad.ones((4, 9)))) == 6.0
    z = minigrad.zeros(3, requires_grad=True)
    z.norm().backward()
    assert z.grad.tolist() == [0.0, 0.0, 0.0]  # PyTorch's subgradient, not nan
    with pytest.raises(TypeError, match="floating-point"):
        minigrad.arange(3).norm()
    with pytest.raises(ValueError, match="p must be"):
        minigrad.ones(2).norm(p=-1)


@settings(max_examples=30, deadline=None)
@given(x=arrays(min_dims=1), data=st.data())
def test_cumsum_dim_or_axis_and_its_gradient(x, data):
    d = data.draw(st.integers(-x.ndim, x.ndim - 1))
    expected = np.cumsum(x, axis=d)
    t = minigrad.tensor(x)
    np.testing.assert_allclose(t.cumsum(dim=d).numpy(), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(t.cumsum(axis=d).numpy(), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(minigrad.cumsum(t, d).numpy(), expected, rtol=1e-12, atol=1e-12)
    minigrad.gradcheck(lambda y: y.cumsum(d), [x])
    minigrad.gradcheck(lambda y: y.cumsum(d), [x], order=2)


def test_cumsum_integers_and_errors():
    A = minigrad.arange(6).reshape(2, 3)
    assert A.cumsum(axis=0).tolist() == [[0, 1, 2], [3, 5, 7]] and A.cumsum(1).dtype == minigrad.int64
    assert minigrad.tensor([True, True]).cumsum(0).tolist() == [1, 2]
    assert minigrad.tensor(2.0).cumsum(0).tolist() == 2.0
    with pytest.raises(TypeError, match="dim="):
        A.cumsum()
    with pytest.raises(IndexError, match="out of range"):
        A.cumsum(2)


def test_clamp_function_and_gradient():
    x = minigrad.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    minigrad.clamp(x, min=0, max=1).sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 0.0]
    assert minigrad.clamp(minigrad.tensor([-2.0, 3.0]), min=-1).tolist() == [-1.0, 3.0]


def test_size_keyword_and_float_arange():
    a = minigrad.randn(size=(), requires_grad=True)
    assert a.shape == () and a.requires_grad and minigrad.zeros(size=(2, 3)).shape == (2, 3)
    assert minigrad.ones(size=[4]).tolist() == [1.0] * 4 and minigrad.rand(size=(1, 2)).shape == (1, 2)
    # start + i * step, each in float64 then rounded once to float32 (as PyTorch)
    x = minigrad.arange(-8.0, 8.0, 0.1)
    assert x.shape == (160,)
    np.testing.assert_array_equal(x.numpy(), np.float32([-8.0 + i * 0.1 for i in range(160)]))
    assert minigrad.arange(0, 1, 0.3).tolist() == [np.float32(v).item() for v in (0.0, 0.3, 0.6, 0.9)]
    assert minigrad.arange(1.0, 0.0, 0.5).shape == (0,)


# ------------------------------------------------------------------ distributions


def test_multinomial_counts_shape_seed_and_frequencies():
    fair = minigrad.ones([6]) / 6
    minigrad.manual_seed(1)
    one = multinomial.Multinomial(1, fair).sample()
    assert one.shape == (6,) and one.sum().item() == 1.0 and set(one.tolist()) <= {0.0, 1.0}
    counts = multinomial.Multinomial(10, fair).sample((500,))
    assert counts.shape == (500, 6) and counts.dtype == minigrad.float32
    assert (counts.sum(dim=1) == 10).all()
    minigrad.manual_seed(1)
    multinomial.Multinomial(1, fair).sample()
    assert (multinomial.Multinomial(10, fair).sample((500,)) == counts).all()  # reproducible
    big = multinomial.Multinomial(60000, minigrad.tensor([0.1, 0.2, 0.7])).sample().numpy() / 60000
    # each frequency within 5 standard deviations sqrt(p (1 - p) / n) of its probability
    assert np.all(np.abs(big - [0.1, 0.2, 0.7]) < 5 * np.sqrt(np.array([0.09, 0.16, 0.21]) / 60000))
    assert multinomial.Multinomial(3, minigrad.tensor([[1.0, 0.0], [0.0, 2.0]])).sample((4,)).shape == (4, 2, 2)
    assert multinomial.Multinomial(2, logits=minigrad.tensor([0.0, 0.0])).probs.tolist() == [0.5, 0.5]


def test_multinomial_refuses_bad_arguments():
    with pytest.raises(ValueError, match="non-negative"):
        multinomial.Multinomial(1, minigrad.tensor([-0.5, 1.5]))
    with pytest.raises(ValueError, match="total_count"):
        multinomial.Multinomial(1.5, minigrad.ones(2))
    with pytest.raises(ValueError, match="either probs or logits"):
        multinomial.Multinomial(1)


# ------------------------------------------------------------------ nn


def test_dropout_train_eval_and_gradient():
    minigrad.manual_seed(0)
    drop = nn.Dropout(0.3)
    x = minigrad.ones(20000, requires_grad=True)
    y = drop(x)
    kept = y.detach().numpy() != 0
    assert abs(kept.mean() - 0.7) < 0.02                       # about 1 - p kept
    np.testing.assert_allclose(y.detach().numpy()[kept], 1 / 0.7, rtol=1e-6)  # scaled: the mean is kept
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), y.detach().numpy())  # d(x * mask)/dx = mask
    net = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
    net.eval()
    X = minigrad.randn(3, 4)
    assert (net(X) == net[0](X)).all()                          # eval: the identity
    net.train()
    assert not (net(X) == net[0](X)).all()
    z = minigrad.ones(3, requires_grad=True)
    nn.Dropout(1.0)(z).sum().backward()
    assert z.grad.tolist() == [0.0, 0.0, 0.0]
    minigrad.gradcheck(lambda v: nn.Dropout(0.0)(v) * 2, [np.ones(3)])
    for bad in (-0.1, 1.5, "0.5"):
        with pytest.raises(ValueError, match="probability"):
            nn.Dropout(bad)


def test_lazy_linear_as_pytorch():
    minigrad.manual_seed(0)
    net = nn.LazyLinear(1)
    net.weight.data.normal_(0, 0.01)   # the book writes through .data: on an empty tensor, as PyTorch
    net.bias.data.fill_(0)
    params = list(net.parameters())
    assert repr(params[0]) == "<UninitializedParameter>"
    with pytest.raises(ValueError, match="not initialised yet"):
        net.weight.shape
    with pytest.raises(ValueError, match="not initialised yet"):
        net.weight.normal_(0, 0.01)
    opt = minigrad.optim.SGD(net.parameters(), lr=0.1)    # made before the first forward
    out = net(minigrad.ones(5, 3))
    assert out.shape == (5, 1) and type(net) is nn.Linear and net.in_features == 3
    assert params[0] is net.weight and net.weight.shape == (1, 3)
    assert np.all(np.abs(net.weight.detach().numpy()) <= 1 / math.sqrt(3))   # Linear's own init
    before = net.weight.detach().numpy().copy()
    out.sum().backward()
    opt.step()
    np.testing.assert_allclose(net.weight.detach().numpy(), before - 0.1 * 5, rtol=1e-6)


def test_devices_are_cpu_only():
    assert minigrad.cuda.device_count() == 0 and not minigrad.cuda.is_available()
    x = minigrad.ones(2)
    cpu = minigrad.device("cpu")
    assert x.to(cpu) is x and x.to("cpu") is x and x.to(device="cpu") is x
    assert x.to("cpu", minigrad.float64).dtype == minigrad.float64
    net = nn.Linear(2, 1)
    assert net.to(cpu) is net and net.to(device=cpu) is net
    with pytest.raises(RuntimeError, match="CPU only"):
        x.to("cuda")
    with pytest.raises(RuntimeError, match="CPU only"):
        net.to(minigrad.device("cuda", 0))
    assert str(minigrad.device("cuda:1")) == "cuda:1" and minigrad.device("cuda:1").index == 1


# ------------------------------------------------------------------ printing as PyTorch

# (minigrad value, what PyTorch 2 prints for the same tensor with torch in place of minigrad)
PRINTED = [
    (lambda: minigrad.arange(12), "tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11])"),
    (lambda: minigrad.arange(12).shape, "torch.Size([12])"),
    (lambda: minigrad.tensor(3.0) / minigrad.tensor(2.0) * 3, "tensor(4.5000)"),
    (lambda: minigrad.tensor([3.0, 2.0]), "tensor([3., 2.])"),
    (lambda: minigrad.tensor([0.5, -1.25]), "tensor([ 0.5000, -1.2500])"),
    (lambda: minigrad.tensor([1e-5, 1.0]), "tensor([1.0000e-05, 1.0000e+00])"),
    (lambda: minigrad.tensor([True, False, True]), "tensor([ True, False,  True])"),
    (lambda: minigrad.tensor([1.0, 2.0], dtype=minigrad.float64), "tensor([1., 2.], dtype=torch.float64)"),
    (lambda: minigrad.zeros(0, 3), "tensor([], size=(0, 3))"),
    (lambda: minigrad.arange(2000), "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])"),
    (lambda: minigrad.arange(6.0).reshape(2, 3) / 3,
     "tensor([[0.0000, 0.3333, 0.6667],\n        [1.0000, 1.3333, 1.6667]])"),
    (lambda: minigrad.arange(8).reshape(2, 2, 2),
     "tensor([[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]])"),
    (lambda: minigrad.arange(3000).reshape(1000, 3),
     "tensor([[   0,    1,    2],\n        [   3,    4,    5],\n        [   6,    7,    8],\n        ...,\n"
     "        [2991, 2992, 2993],\n        [2994, 2995, 2996],\n        [2997, 2998, 2999]])"),
    (lambda: minigrad.arange(30.0) / 7,
     "tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,\n"
     "        1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,\n"
     "        2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143,\n"
     "        3.8571, 4.0000, 4.1429])"),
]


@pytest.mark.parametrize("make, printed", PRINTED)
def test_tensors_print_as_pytorch(make, printed):
    assert repr(make()).replace("minigrad", "torch") == printed
    assert str(make()).replace("minigrad", "torch") == printed


def test_type_format_and_requires_grad_suffix():
    x = minigrad.tensor(0.25, requires_grad=True)
    assert f"{x}" == "0.25" and f"{x:.1f}" == "0.2" and f"{minigrad.tensor(3)}" == "3"
    assert repr(x) == "tensor(0.2500, requires_grad=True)"
    assert minigrad.zeros(1).type() == "minigrad.FloatTensor"
    assert minigrad.tensor([True]).type() == "minigrad.BoolTensor"
    assert minigrad.zeros(1, dtype=minigrad.float64).type() == "minigrad.DoubleTensor"
    assert minigrad.zeros(2, 3).shape == (2, 3) and minigrad.zeros(2, 3).shape.numel() == 6


@pytest.mark.skipif(not HAS_TORCH, reason="needs torch")
@settings(max_examples=60, deadline=None)
@given(x=st.one_of(
    arrays(dtype=np.float32, max_dims=3, max_side=12),
    arrays(dtype=np.float32, shape=st.sampled_from([(1001,), (20, 60), (3, 400)])),
    st.builds(lambda a, k: (a * 10.0 ** k).astype(np.float32), arrays(max_dims=2, max_side=6), st.integers(-6, 9)),
    st.lists(st.integers(-10 ** 6, 10 ** 6), min_size=1, max_size=30).map(np.array),
))
def test_printing_agrees_with_torch(x):
    import torch

    assert repr(minigrad.tensor(x)).replace("minigrad", "torch") == repr(torch.from_numpy(x))


@pytest.mark.skipif(not HAS_TORCH, reason="needs torch")
def test_ops_agree_with_torch():
    import torch

    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 4))
    for p in ("fro", 1, 3, math.inf):
        for dim in (None, 0, -1):
            a, b = minigrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
            ra, rb = a.norm(p, dim), b.norm(p, dim)
            np.testing.assert_allclose(np_(ra), rb.detach().numpy(), rtol=1e-12)
            ra.sum().backward(), rb.sum().backward()
            np.testing.assert_allclose(np_(a.grad), b.grad.numpy(), rtol=1e-10)
    a, b = minigrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    (minigrad.cumsum(a, dim=1) ** 2).sum().backward(), (torch.cumsum(b, dim=1) ** 2).sum().backward()
    np.testing.assert_allclose(np_(a.grad), b.grad.numpy(), rtol=1e-12)
    for start, end, step in ((-8.0, 8.0, 0.1), (0, 1, 0.3), (1.5, -2.0, -0.7)):
        # the same count, and values within one float32 step: PyTorch's vectorised kernel adds
        # the step to chunks of 8 or 16 values, so its last bit depends on the CPU
        ours, theirs = minigrad.arange(start, end, step).numpy(), torch.arange(start, end, step).numpy()
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs, rtol=2e-7, atol=1e-7)


def np_(t):
    return t.detach().numpy()
