"""nn modules, optimizers (each update against its formula), the scheduler, checkpoints."""

import numpy as np
import pytest

import minigrad
from minigrad import nn, optim
from minigrad.optim.lr_scheduler import StepLR


def test_linear_shapes_init_and_forward():
    nn.manual_seed(0)
    layer = nn.Linear(784, 10)
    assert layer.weight.shape == (10, 784) and layer.bias.shape == (10,)
    bound = 1 / np.sqrt(784)
    assert np.abs(layer.weight.data).max() <= bound and np.abs(layer.bias.data).max() <= bound
    assert layer.weight.data.std() == pytest.approx(bound / np.sqrt(3), rel=0.05)  # uniform's std
    x = np.random.default_rng(0).standard_normal((5, 784)).astype(np.float32)
    np.testing.assert_allclose(layer(minigrad.Tensor(x)).data, x @ layer.weight.data.T + layer.bias.data, rtol=1e-5)


def test_module_collects_parameters_names_and_repr():
    net = nn.Sequential(nn.Flatten(), nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    assert [n for n, _ in net.named_parameters()] == ["1.weight", "1.bias", "3.weight", "3.bias"]
    assert len(net.parameters()) == 4 and len(net) == 4 and net[1].out_features == 3
    text = repr(net)
    assert "(1): Linear(in_features=4, out_features=3, bias=True)" in text and "(2): ReLU()" in text


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
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_state_dict_roundtrip_through_npz(tmp_path):
    a, b = nn.Linear(3, 2), nn.Linear(3, 2)
    minigrad.save(a.state_dict(), tmp_path / "a.npz")
    b.load_state_dict(minigrad.load(tmp_path / "a.npz"))
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    assert list(tmp_path.iterdir()) == [tmp_path / "a.npz"]  # no temporary file left behind


def test_load_state_dict_checks_names_and_shapes_before_writing():
    net = nn.Linear(3, 2)
    before = net.weight.data.copy()
    with pytest.raises(KeyError, match="missing keys"):
        net.load_state_dict({"weight": np.zeros((2, 3))})
    with pytest.raises(ValueError, match=r"'bias' has shape \(3,\)"):
        net.load_state_dict({"weight": np.zeros((2, 3)), "bias": np.zeros(3)})
    np.testing.assert_array_equal(net.weight.data, before)


def test_checkpoint_refuses_pickled_objects(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, x=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ValueError, match="not a minigrad .npz checkpoint"):
        minigrad.load(path)


def _param_with_grads(values, grads):
    p = nn.Parameter(np.array(values, dtype=np.float64))
    return p, [np.array(g, dtype=np.float64) for g in grads]


def test_sgd_momentum_weight_decay_follow_the_formula():
    lr, mu, wd = 0.1, 0.9, 0.01
    p, grads = _param_with_grads([1.0, -2.0], [[0.5, 0.1], [0.2, -0.3], [-0.4, 0.6]])
    opt = optim.SGD([p], lr=lr, momentum=mu, weight_decay=wd)
    x, v = np.array([1.0, -2.0]), None
    for g in grads:
        p.grad = g
        opt.step()
        d = g + wd * x                         # weight decay joins the gradient
        v = d if v is None else mu * v + d     # momentum buffer, no dampening
        x = x - lr * v
        np.testing.assert_allclose(p.data, x, rtol=1e-12)


def test_adam_follows_the_formula_with_bias_correction():
    lr, (b1, b2), eps, wd = 0.01, (0.9, 0.999), 1e-8, 0.1
    p, grads = _param_with_grads([0.3, -0.7], [[0.5, 0.1], [0.2, -0.3], [-0.4, 0.6], [1.0, 1.0]])
    opt = optim.Adam([p], lr=lr, betas=(b1, b2), eps=eps, weight_decay=wd)
    x, m, v = np.array([0.3, -0.7]), 0.0, 0.0
    for t, g in enumerate(grads, 1):
        p.grad = g
        opt.step()
        d = g + wd * x
        m, v = b1 * m + (1 - b1) * d, b2 * v + (1 - b2) * d * d
        x = x - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
        np.testing.assert_allclose(p.data, x, rtol=1e-12)


def test_optimizer_skips_params_without_grad_and_zero_grad_resets():
    a, b = nn.Parameter([1.0]), nn.Parameter([2.0])
    opt = optim.SGD([a, b], lr=1.0)
    a.grad = np.array([0.5], dtype=np.float32)
    opt.step()
    assert a.tolist() == [0.5] and b.tolist() == [2.0]
    opt.zero_grad()
    assert a.grad is None


def test_optimizer_rejects_bad_arguments():
    with pytest.raises(ValueError, match="empty"):
        optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="learning rate"):
        optim.SGD([nn.Parameter([1.0])], lr=-1)
    with pytest.raises(ValueError, match="require grad"):
        optim.SGD([minigrad.tensor([1.0])], lr=0.1)


def test_steplr_start_at_2_5_and_halve_every_10_epochs():
    opt = optim.SGD([nn.Parameter([1.0])], lr=2.5)
    sched = StepLR(opt, step_size=10, gamma=0.5)
    seen = []
    for _ in range(30):
        seen.append(opt.param_groups[0]["lr"])
        sched.step()
    assert seen[:10] == [2.5] * 10 and seen[10:20] == [1.25] * 10 and seen[20:] == [0.625] * 10
    assert sched.get_last_lr() == [0.3125]


def test_loss_modules_match_functional():
    z = minigrad.tensor([[1.0, 2.0, 0.5]])
    assert nn.CrossEntropyLoss()(z, [1]).item() == pytest.approx(minigrad.functional.cross_entropy(z, [1]).item())
    assert nn.MSELoss(reduction="sum")(minigrad.tensor([1.0, 2.0]), [0.0, 0.0]).item() == 5.0
