"""nn modules (the module tree, shared modules, checkpoints), optimizers (each update
against its formula, argument checks, in-place steps), the scheduler."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad import nn, optim
from minigrad.optim.lr_scheduler import StepLR


def arr(t) -> np.ndarray:
    """A private NumPy copy of a tensor's values (works for parameters that require grad)."""
    return np.array(t.detach().numpy())


def set_grad(p, g):
    """Give ``p`` the gradient ``g`` exactly, the way training does: through backward()."""
    p.grad = None
    (p * minigrad.tensor(np.asarray(g, dtype=p.dtype))).sum().backward()


# ----------------------------------------------------------------- layers

def test_linear_shapes_init_and_forward():
    minigrad.manual_seed(0)
    layer = nn.Linear(784, 10)
    assert tuple(layer.weight.shape) == (10, 784) and tuple(layer.bias.shape) == (10,)
    w, b = arr(layer.weight), arr(layer.bias)
    bound = 1 / np.sqrt(784)
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert w.std() == pytest.approx(bound / np.sqrt(3), rel=0.05)  # uniform's std
    x = np.random.default_rng(0).standard_normal((5, 784)).astype(np.float32)
    np.testing.assert_allclose(arr(layer(minigrad.tensor(x))), x @ w.T + b, rtol=1e-5)


def test_initialisation_draws_from_the_one_generator():
    minigrad.manual_seed(3)
    a = arr(nn.Linear(4, 3).weight)
    minigrad.manual_seed(3)
    np.testing.assert_array_equal(arr(nn.Linear(4, 3).weight), a)
    minigrad.manual_seed(3)
    w = nn.init.normal_(minigrad.zeros(4, 3), std=0.5)
    minigrad.manual_seed(3)
    np.testing.assert_array_equal(arr(nn.init.normal_(minigrad.zeros(4, 3), std=0.5)), arr(w))


def test_init_functions_write_in_place_and_count_versions():
    layer = nn.Linear(50, 40)
    w = layer.weight
    for fn, check in [
        (lambda t: nn.init.normal_(t, 0.0, 0.01), lambda a: abs(a.std() - 0.01) < 0.002),
        (lambda t: nn.init.uniform_(t, -0.1, 0.1), lambda a: a.min() >= -0.1 and a.max() <= 0.1),
        (lambda t: nn.init.constant_(t, 0.25), lambda a: (a == 0.25).all()),
        (nn.init.zeros_, lambda a: (a == 0).all()),
        (nn.init.ones_, lambda a: (a == 1).all()),
        (nn.init.xavier_uniform_, lambda a: np.abs(a).max() <= math.sqrt(6 / 90)),
        (nn.init.xavier_normal_, lambda a: abs(a.std() - math.sqrt(2 / 90)) < 0.02),
    ]:
        before = w._version
        assert fn(w) is w and w.requires_grad
        assert w._version > before, fn
        assert check(arr(w)), fn
    with pytest.raises(TypeError, match="expected a Tensor"):
        nn.init.zeros_(np.zeros(3))


def test_book_style_data_writes_on_parameters():
    # d2l 3.3: net[0].weight.data.normal_(0, 0.01); net[0].bias.data.fill_(0)
    net = nn.Sequential(nn.Linear(2, 1))
    net[0].weight.data.normal_(0, 0.01)
    net[0].bias.data.fill_(0)
    assert np.abs(arr(net[0].weight)).max() < 0.1 and arr(net[0].bias).tolist() == [0.0]


@pytest.mark.parametrize("sizes, error, message", [
    ((-1, 5), ValueError, "in_features must be a non-negative int, got -1"),
    ((3, -2), ValueError, "out_features must be a non-negative int, got -2"),
    ((2.5, 3), TypeError, r"in_features must be a non-negative int, got 2.5"),
    ((True, 3), TypeError, "in_features must be a non-negative int, got True"),
    (("3", 3), TypeError, "in_features"),
])
def test_linear_refuses_bad_sizes(sizes, error, message):
    with pytest.raises(error, match=message):
        nn.Linear(*sizes)


def test_linear_dtype():
    assert nn.Linear(2, 3).weight.dtype == np.float32
    assert nn.Linear(2, 3, dtype=minigrad.float64).bias.dtype == np.float64
    with pytest.raises(TypeError, match="floating-point dtype, got int64"):
        nn.Linear(2, 3, dtype=np.int64)


def test_linear_with_zero_inputs_is_allowed_as_in_pytorch():
    layer = nn.Linear(0, 5)
    assert tuple(layer.weight.shape) == (5, 0) and arr(layer.bias).tolist() == [0.0] * 5
    out = layer(minigrad.zeros(3, 0))
    assert tuple(out.shape) == (3, 5) and (arr(out) == 0).all()
    out.sum().backward()
    assert arr(layer.bias.grad).tolist() == [3.0] * 5
    assert tuple(nn.Linear(4, 0)(minigrad.zeros(2, 4)).shape) == (2, 0)


@pytest.mark.parametrize("shape", [(), (3,), (2, 4)])
def test_linear_input_of_wrong_shape_names_the_shapes(shape):
    layer = nn.Linear(2, 1)
    with pytest.raises(ValueError, match=rf"Linear\(2, 1\) got input of shape \({', '.join(map(str, shape))},?\)"):
        layer(minigrad.zeros(*shape))


def test_flatten_and_losses():
    assert tuple(nn.Flatten()(minigrad.zeros(2, 3, 4)).shape) == (2, 12)
    assert tuple(nn.Flatten(0, 1)(minigrad.zeros(2, 3, 4)).shape) == (6, 4)
    with pytest.raises(ValueError, match="does not fit"):
        nn.Flatten(3)(minigrad.zeros(2, 3))
    z = minigrad.tensor([[1.0, 2.0, 0.5], [0.0, 0.0, 3.0]])
    per_example = nn.CrossEntropyLoss(reduction="none")(z, minigrad.tensor([1, 2]))
    assert tuple(per_example.shape) == (2,)
    assert nn.CrossEntropyLoss()(z, [1, 2]).item() == pytest.approx(float(arr(per_example).mean()))
    assert nn.MSELoss(reduction="sum")(minigrad.tensor([1.0, 2.0]), minigrad.tensor([0.0, 0.0])).item() == 5.0
    with pytest.raises(ValueError, match="reduction must be one of"):
        nn.CrossEntropyLoss(reduction="avg")


def test_functional_is_reachable_from_nn():
    from minigrad.nn import functional as F
    import minigrad.nn.functional as F2
    assert F is minigrad.functional and F2 is F


# ----------------------------------------------------------------- the module tree

def test_module_collects_parameters_names_and_repr():
    net = nn.Sequential(nn.Flatten(), nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    assert [n for n, _ in net.named_parameters()] == ["1.weight", "1.bias", "3.weight", "3.bias"]
    assert len(list(net.parameters())) == 4 and len(net) == 4 and net[1].out_features == 3
    assert isinstance(net[1:], nn.Sequential) and len(net[1:]) == 3 and net[-1] is net[3]
    text = repr(net)
    assert "(1): Linear(in_features=4, out_features=3, bias=True)" in text and "(2): ReLU()" in text


def test_children_yield_modules_and_named_children_pairs():
    a, b = nn.Linear(2, 2), nn.ReLU()
    net = nn.Sequential(a, b)
    assert list(net.children()) == [a, b]
    assert list(net.named_children()) == [("0", a), ("1", b)]
    seen = []
    for m in net.children():  # the d2l idiom that used to do nothing
        seen.append(type(m))
    assert seen == [nn.Linear, nn.ReLU]


def test_modules_named_modules_and_apply():
    inner = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    net = nn.Sequential(nn.Flatten(), inner, nn.Linear(3, 1))
    assert [name for name, _ in net.named_modules()] == ["", "0", "1", "1.0", "1.1", "2"]
    assert list(net.modules())[0] is net and len(list(net.modules())) == 6
    order = []
    assert net.apply(lambda m: order.append(m)) is net
    assert order == [net[0], inner[0], inner[1], inner, net[2], net]  # children first, as torch

    def init_weights(m):
        if type(m) == nn.Linear:  # noqa: E721  (the book's spelling)
            nn.init.normal_(m.weight, std=0.01)
            nn.init.zeros_(m.bias)
    net.apply(init_weights)
    assert arr(inner[0].bias).tolist() == [0.0] * 3 and arr(net[2].bias).tolist() == [0.0]
    assert np.abs(arr(net[2].weight)).max() < 0.1


def shared_models():
    """Models that reach one layer (or one parameter) by two paths."""
    layer = nn.Linear(3, 3)
    yield "Sequential(l, l)", nn.Sequential(layer, layer), layer

    class TwoNames(nn.Module):
        def __init__(self):
            self.first = layer
            self.again = layer

        def forward(self, x):
            return self.again(self.first(x))
    yield "two attributes", TwoNames(), layer

    class Tied(nn.Module):
        def __init__(self):
            self.enc = nn.Linear(3, 3)
            self.dec = nn.Linear(3, 3, bias=False)
            self.dec.weight = self.enc.weight  # weight tying

        def forward(self, x):
            return self.dec(self.enc(x))
    tied = Tied()
    yield "tied weight", tied, tied.enc


@pytest.mark.parametrize("case", range(3))
def test_a_module_used_twice_is_listed_and_stepped_once(case):
    name, net, layer = list(shared_models())[case]
    params = list(net.parameters())
    assert len(params) == len({id(p) for p in params}) == 2, name
    assert [id(p) for _, p in net.named_parameters()] == [id(p) for p in params]
    # one SGD step moves the shared weight by exactly lr * grad, not twice that
    x = minigrad.tensor(np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32))
    net(x).sum().backward()
    before, g = arr(layer.weight), arr(layer.weight.grad)
    optim.SGD(net.parameters(), lr=0.1).step()
    np.testing.assert_allclose(arr(layer.weight), before - 0.1 * g, rtol=1e-6)
    assert len(list(net.modules())) == len({id(m) for m in net.modules()})


def _all_paths(module, prefix=""):
    """Oracle: every (dotted path, parameter) reachable, repeats included, depth first."""
    for name, value in vars(module).items():
        if isinstance(value, nn.Parameter):
            yield prefix + name, value
        elif isinstance(value, nn.Module):
            yield from _all_paths(value, prefix + name + ".")


trees = st.recursive(st.integers(0, 3), lambda kids: st.lists(kids, min_size=1, max_size=3), max_leaves=8)


@given(tree=trees, twice=st.booleans())
def test_any_sharing_lists_each_parameter_once_under_its_first_name(tree, twice):
    pool = [nn.Linear(2, 2) for _ in range(4)]

    def build(t):
        return nn.Sequential(*(build(c) for c in t)) if isinstance(t, list) else pool[t]
    net = build(tree if isinstance(tree, list) else [tree])
    if twice:
        net = nn.Sequential(net, nn.ReLU(), net)
    paths = list(_all_paths(net))
    first = {}
    for name, p in paths:
        first.setdefault(id(p), name)
    assert [(n, id(p)) for n, p in net.named_parameters()] == [(n, i) for i, n in first.items()]
    assert list(net.state_dict()) == [n for n, _ in paths]  # every name, as PyTorch
    modules = list(net.modules())
    reachable, stack = set(), [net]
    while stack:  # oracle: every module reachable through attributes
        m = stack.pop()
        if id(m) not in reachable:
            reachable.add(id(m))
            stack.extend(v for v in vars(m).values() if isinstance(v, nn.Module))
    assert len(modules) == len(reachable) and {id(m) for m in modules} == reachable


def test_state_dict_of_a_shared_module_lists_every_name_as_pytorch():
    layer = nn.Linear(2, 2)
    net = nn.Sequential(layer, layer)
    sd = net.state_dict()
    assert list(sd) == ["0.weight", "0.bias", "1.weight", "1.bias"]
    fresh = nn.Linear(2, 2)
    twin = nn.Sequential(fresh, fresh)
    twin.load_state_dict(sd)
    np.testing.assert_array_equal(arr(fresh.weight), arr(layer.weight))
    with pytest.raises(KeyError, match=r"missing keys \['1.weight', '1.bias'\]"):
        twin.load_state_dict({"0.weight": sd["0.weight"], "0.bias": sd["0.bias"]})


def test_state_dict_values_are_copies():
    layer = nn.Linear(2, 2)
    sd = layer.state_dict()
    with minigrad.no_grad():
        layer.weight.fill_(7.0)
    assert (arr(sd["weight"]) != 7.0).all()


def test_attribute_typo_raises_with_a_hint():
    layer = nn.Linear(2, 1)
    with pytest.raises(AttributeError, match="did you mean 'weight'"):
        layer.weigth  # noqa: B018


def test_train_eval_and_zero_grad():
    net = nn.Sequential(nn.Linear(2, 2))
    net.eval()
    assert not net.training and not net[0].training
    net.train()
    assert net[0].training
    net(minigrad.ones(1, 2)).sum().backward()
    assert net[0].weight.grad is not None
    net.zero_grad(set_to_none=False)
    assert (arr(net[0].weight.grad) == 0).all()
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


# ----------------------------------------------------------------- load_state_dict

def test_state_dict_roundtrip_through_npz(tmp_path):
    a, b = nn.Linear(3, 2), nn.Linear(3, 2)
    minigrad.save(a.state_dict(), tmp_path / "a.npz")
    b.load_state_dict(minigrad.load(tmp_path / "a.npz"))
    np.testing.assert_array_equal(arr(a.weight), arr(b.weight))
    assert list(tmp_path.iterdir()) == [tmp_path / "a.npz"]  # no temporary file left behind


def test_load_state_dict_checks_names_and_shapes_before_writing():
    net = nn.Linear(3, 2)
    before = arr(net.weight)
    with pytest.raises(KeyError, match="missing keys"):
        net.load_state_dict({"weight": np.zeros((2, 3))})
    with pytest.raises(ValueError, match=r"'bias' has shape \(3,\)"):
        net.load_state_dict({"weight": np.zeros((2, 3)), "bias": np.zeros(3)})
    np.testing.assert_array_equal(arr(net.weight), before)
    result = net.load_state_dict({"weight": np.zeros((2, 3)), "extra": np.zeros(1)}, strict=False)
    assert result.missing_keys == ["bias"] and result.unexpected_keys == ["extra"]
    assert (arr(net.weight) == 0).all()


@pytest.mark.parametrize("bad", [
    np.array(["1", "2"]),                      # strings NumPy would parse into floats
    np.array([1 + 2j, 3j]),                    # complex: the imaginary part would be dropped
    np.array([{}, {}], dtype=object),
    np.array([None, None]),
    [["a"], ["b"]],
], ids=["str", "complex", "object", "None", "nested-str"])
def test_load_state_dict_is_all_or_nothing_for_a_value_of_the_wrong_kind(bad):
    net = nn.Linear(1, 2)
    before_w, before_b = arr(net.weight), arr(net.bias)
    good_weight = np.full((2, 1), 5.0, np.float32)
    bad = np.asarray(bad) if not isinstance(bad, list) else bad
    with pytest.raises(TypeError, match="'bias'"):
        net.load_state_dict({"weight": good_weight, "bias": bad})  # weight comes first: must stay
    np.testing.assert_array_equal(arr(net.weight), before_w)
    np.testing.assert_array_equal(arr(net.bias), before_b)


def test_load_state_dict_accepts_tensors_and_ints_and_refuses_floats_into_ints():
    net = nn.Linear(1, 2)
    net.load_state_dict({"weight": minigrad.tensor([[1.0], [2.0]]), "bias": np.array([3, 4])})
    assert arr(net.bias).tolist() == [3.0, 4.0] and net.bias.dtype == np.float32
    v = net.weight._version
    net.load_state_dict(net.state_dict())
    assert net.weight._version > v  # the write is an in-place change like any other


# ----------------------------------------------------------------- optimizers

def _param(values):
    return nn.Parameter(np.array(values, dtype=np.float64))


def test_sgd_momentum_weight_decay_follow_the_formula():
    lr, mu, wd = 0.1, 0.9, 0.01
    p = _param([1.0, -2.0])
    opt = optim.SGD([p], lr=lr, momentum=mu, weight_decay=wd)
    x, v = np.array([1.0, -2.0]), None
    for g in [[0.5, 0.1], [0.2, -0.3], [-0.4, 0.6]]:
        set_grad(p, g)
        opt.step()
        d = np.array(g) + wd * x               # weight decay joins the gradient
        v = d if v is None else mu * v + d     # momentum buffer, no dampening
        x = x - lr * v
        np.testing.assert_allclose(arr(p), x, rtol=1e-12)


def test_adam_follows_the_formula_with_bias_correction():
    lr, (b1, b2), eps, wd = 0.01, (0.9, 0.999), 1e-8, 0.1
    p = _param([0.3, -0.7])
    opt = optim.Adam([p], lr=lr, betas=(b1, b2), eps=eps, weight_decay=wd)
    x, m, v = np.array([0.3, -0.7]), 0.0, 0.0
    for t, g in enumerate([[0.5, 0.1], [0.2, -0.3], [-0.4, 0.6], [1.0, 1.0]], 1):
        set_grad(p, g)
        opt.step()
        d = np.array(g) + wd * x
        m, v = b1 * m + (1 - b1) * d, b2 * v + (1 - b2) * d * d
        x = x - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
        np.testing.assert_allclose(arr(p), x, rtol=1e-12)


@pytest.mark.parametrize("make", [lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9),
                                  lambda ps: optim.Adam(ps, lr=0.1)], ids=["SGD", "Adam"])
def test_a_step_is_an_in_place_change_that_backward_detects(make):
    w = nn.Parameter([1.0, 2.0])
    opt = make([w])
    loss = (w * w).sum()  # mul saves w for backward
    loss.backward(retain_graph=True)
    version = w._version
    opt.step()
    assert w._version > version
    with pytest.raises(RuntimeError, match="modified"):
        loss.backward()  # the graph saw the old w: PyTorch refuses too


def test_optimizer_skips_params_without_grad_or_requires_grad():
    a, b = nn.Parameter([1.0]), nn.Parameter([2.0])
    frozen = minigrad.tensor([3.0])  # requires_grad=False: accepted, never updated
    opt = optim.SGD([a, b, frozen], lr=1.0)
    set_grad(a, [0.5])
    opt.step()
    assert arr(a).tolist() == [0.5] and arr(b).tolist() == [2.0] and arr(frozen).tolist() == [3.0]
    opt.zero_grad(set_to_none=False)
    assert arr(a.grad).tolist() == [0.0] and b.grad is None
    opt.zero_grad()
    assert a.grad is None
    assert isinstance(opt, optim.Optimizer)


def test_optimizer_takes_a_generator_and_param_groups():
    net = nn.Linear(2, 1)
    opt = optim.SGD(net.parameters(), lr=0.1)  # a generator, consumed once
    assert len(opt.param_groups[0]["params"]) == 2
    opt = optim.SGD([{"params": net.weight, "weight_decay": 0.5}, {"params": [net.bias]}], lr=0.1)
    assert [g["weight_decay"] for g in opt.param_groups] == [0.5, 0.0]
    with pytest.raises(ValueError, match="another parameter group"):
        opt.add_param_group({"params": [net.bias]})


def test_optimizer_rejects_bad_params():
    w = nn.Parameter([1.0, 2.0])
    with pytest.raises(TypeError, match="iterable of Tensors or dicts, but got a Tensor"):
        optim.SGD(w, lr=0.1)  # would silently train nothing (or walk the rows)
    with pytest.raises(TypeError, match="iterable of Tensors or dicts, but got a Tensor"):
        optim.Adam(w)
    with pytest.raises(ValueError, match="empty"):
        optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="appears twice"):
        optim.SGD([w, w], lr=0.1)
    with pytest.raises(TypeError, match="parameter 1 is a ndarray"):
        optim.SGD([w, np.zeros(2)], lr=0.1)
    with pytest.raises(ValueError, match="non-leaf"):
        optim.SGD([w * 2], lr=0.1)


@given(name=st.sampled_from(["lr", "momentum", "weight_decay", "eps"]),
       value=st.one_of(st.floats(max_value=-1e-300, allow_infinity=True), st.just(float("nan")),
                       st.integers(max_value=-1)))
def test_negative_or_nan_hyperparameters_are_refused_naming_the_value(name, value):
    cls = optim.Adam if name == "eps" else optim.SGD
    kwargs = {"lr": 0.1, name: value}
    with pytest.raises(ValueError, match="invalid") as info:
        cls([nn.Parameter([1.0])], **kwargs)
    assert str(value) in str(info.value)


@given(index=st.integers(0, 1),
       beta=st.one_of(st.floats(max_value=-1e-300), st.floats(min_value=1.0), st.just(float("nan"))))
def test_betas_outside_zero_one_are_refused_naming_the_value(index, beta):
    betas = [0.9, 0.999]
    betas[index] = beta
    with pytest.raises(ValueError, match=f"beta parameter at index {index}") as info:
        optim.Adam([nn.Parameter([1.0])], betas=tuple(betas))
    assert str(beta) in str(info.value)


def test_hyperparameters_of_the_wrong_type_are_refused():
    with pytest.raises(TypeError, match="learning rate must be a real number"):
        optim.SGD([nn.Parameter([1.0])], lr="0.1")
    with pytest.raises(TypeError, match="momentum must be a real number, got True"):
        optim.SGD([nn.Parameter([1.0])], lr=0.1, momentum=True)
    optim.SGD([nn.Parameter([1.0])], lr=0, momentum=0.0)  # zero is valid, as in torch


def test_steplr_start_at_2_5_and_halve_every_10_epochs():
    opt = optim.SGD([nn.Parameter([1.0])], lr=2.5)
    sched = StepLR(opt, step_size=10, gamma=0.5)
    seen = []
    for _ in range(30):
        seen.append(opt.param_groups[0]["lr"])
        sched.step()
    assert seen[:10] == [2.5] * 10 and seen[10:20] == [1.25] * 10 and seen[20:] == [0.625] * 10
    assert sched.get_last_lr() == [0.3125]
    with pytest.raises(ValueError, match="step_size"):
        StepLR(opt, step_size=0)


def test_step_with_a_closure_returns_its_loss():
    w = nn.Parameter([2.0])
    opt = optim.SGD([w], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss
    with minigrad.no_grad():  # the closure still records: step turns grad mode on for it
        loss = opt.step(closure)
    assert loss.item() == 4.0 and arr(w).tolist() == [1.0]  # 2 - 0.25 * 4


def test_modules_in_a_plain_list_warn_and_module_list_registers_them():
    class Hidden(nn.Module):
        def __init__(self):
            self.layers = [nn.Linear(2, 2)]
    with pytest.warns(UserWarning, match="Hidden.layers is a plain list .* use nn.ModuleList"):
        hidden = Hidden()
    assert list(hidden.parameters()) == []

    class Listed(nn.Module):
        def __init__(self):
            self.layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 1)])
    net = Listed()
    assert [n for n, _ in net.named_parameters()] == ["layers.0.weight", "layers.0.bias",
                                                      "layers.1.weight", "layers.1.bias"]
    assert len(net.layers) == 2 and net.layers[-1].out_features == 1 and len(net.layers[:1]) == 1


# ---------------------------------------------------------------- issue 19: what users reach for next

def _sgd_by_hand(w0, grads_of, lr, momentum, dampening, nesterov, steps):
    """torch.optim.SGD's update written out (closed form per step) on a NumPy array."""
    w, buf = w0.copy(), None
    for _ in range(steps):
        g = grads_of(w)
        buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
        w = w - lr * (g + momentum * buf if nesterov else buf)
    return w


@given(st.floats(0.01, 0.2), st.floats(0.1, 0.95), st.sampled_from([0.0, 0.3]), st.booleans())
def test_sgd_momentum_dampening_nesterov_follow_pytorchs_update(lr, momentum, dampening, nesterov):
    if nesterov:
        dampening = 0.0
    w0 = np.array([1.0, -2.0, 0.5])
    w = nn.Parameter(w0.copy())
    opt = optim.SGD([w], lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov)
    for _ in range(4):
        opt.zero_grad()
        (w * w * w).sum().backward()  # gradient 3 w^2
        opt.step()
    expected = _sgd_by_hand(w0, lambda v: 3 * v * v, lr, momentum, dampening, nesterov, 4)
    np.testing.assert_allclose(w.tolist(), expected, rtol=1e-5)


def test_nesterov_needs_momentum():
    with pytest.raises(ValueError, match="Nesterov"):
        optim.SGD([nn.Parameter([1.0])], lr=0.1, nesterov=True)


@pytest.mark.parametrize("make", [lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9), lambda ps: optim.Adam(ps, lr=0.1)])
def test_optimizer_state_dict_round_trip_resumes_training_exactly(make):
    def run(opt, net, steps):
        for _ in range(steps):
            opt.zero_grad()
            net(minigrad.ones(3, 2)).pow(2).sum().backward()
            opt.step()
    minigrad.manual_seed(0)
    a = nn.Linear(2, 2)
    b = nn.Linear(2, 2)
    b.load_state_dict(a.state_dict())
    opt_a, opt_b = make(a.parameters()), make(b.parameters())
    run(opt_a, a, 3)
    run(opt_b, b, 3)
    saved = opt_b.state_dict()
    assert sorted(saved) == ["param_groups", "state"] and saved["param_groups"][0]["params"] == [0, 1]
    opt_c = make(b.parameters())  # a fresh optimizer resumes from the saved state
    opt_c.load_state_dict(saved)
    run(opt_a, a, 2)
    run(opt_c, b, 2)
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p.tolist(), q.tolist())
    with pytest.raises(ValueError, match="parameter groups"):
        opt_c.load_state_dict({"state": {}, "param_groups": []})
