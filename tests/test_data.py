"""Datasets, minibatching and collation (torch.utils.data's interface), synthetic data, metrics."""

import subprocess
import sys
from collections import namedtuple

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad.data import DataLoader, Dataset, TensorDataset, default_collate, synthetic_data
from minigrad.metrics import accuracy, confusion_matrix, evaluate_accuracy, qmean


def arr(t) -> np.ndarray:
    return np.array(t.detach().numpy())


def test_utils_data_is_the_same_module_as_data():
    from minigrad.utils import data
    import minigrad.data
    import minigrad.utils.data as again
    assert data is minigrad.data and again is data and data.DataLoader is DataLoader
    # also when minigrad.utils.data is the very first import of a fresh interpreter
    code = ("import minigrad.utils.data as d, minigrad.data as e, sys; "
            "assert d is e is sys.modules['minigrad.utils.data']")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_loader_covers_every_example_once_per_epoch_with_partial_last_batch():
    X, y = np.arange(23.0).reshape(23, 1), np.arange(23)
    loader = DataLoader((X, y), batch_size=5, shuffle=True, seed=1)
    assert len(loader) == 5
    for _ in range(2):
        batches = list(loader)
        assert [len(b[0]) for b in batches] == [5, 5, 5, 5, 3]
        seen = np.concatenate([arr(b[1]) for b in batches])
        assert sorted(seen) == list(range(23))
        for xb, yb in batches:
            np.testing.assert_array_equal(arr(xb)[:, 0], arr(yb))  # rows stay paired


def test_loader_shuffle_is_seeded_and_changes_per_epoch():
    X = np.arange(50)
    first = [b[0].tolist() for b in DataLoader((X,), batch_size=50, shuffle=True, seed=3)]
    again = [b[0].tolist() for b in DataLoader((X,), batch_size=50, shuffle=True, seed=3)]
    assert first == again
    loader = DataLoader((X,), batch_size=50, shuffle=True, seed=3)
    assert next(iter(loader))[0].tolist() != next(iter(loader))[0].tolist()


def test_shuffles_come_from_the_one_generator():
    loader = DataLoader(TensorDataset(np.arange(40)), batch_size=40, shuffle=True)
    minigrad.manual_seed(5)
    run1 = [next(iter(loader))[0].tolist() for _ in range(3)]
    minigrad.manual_seed(5)
    run2 = [next(iter(loader))[0].tolist() for _ in range(3)]
    assert run1 == run2                       # manual_seed makes a run repeatable
    assert run1[0] != run1[1] != run1[2]      # and every epoch has its own order
    assert sorted(run1[0]) == list(range(40))
    gen = np.random.default_rng(9)
    own = DataLoader(TensorDataset(np.arange(40)), batch_size=40, shuffle=True, generator=gen)
    assert next(iter(own))[0].tolist() == np.random.default_rng(9).permutation(40).tolist()


def test_drop_last_and_bad_arguments():
    loader = DataLoader((np.zeros(23),), batch_size=5, drop_last=True)
    assert len(loader) == 4 and [len(b[0]) for b in loader] == [5] * 4
    ds = (np.zeros(3),)
    for bad in (0, -1, True, 2.0, "4"):
        with pytest.raises(ValueError, match=f"batch_size must be a positive integer, got {bad!r}"):
            DataLoader(ds, batch_size=bad)
    with pytest.raises(ValueError, match="batch_size=None"):
        DataLoader(ds, batch_size=None)
    for bad in (-1, 1.5, True):
        with pytest.raises(ValueError, match="num_workers must be a non-negative integer"):
            DataLoader(ds, num_workers=bad)
    assert DataLoader(ds, num_workers=4).num_workers == 4  # accepted; loads in this process
    with pytest.raises(TypeError, match="shuffle must be True or False"):
        DataLoader(ds, shuffle="yes")
    with pytest.raises(TypeError, match="needs __getitem__ and __len__; it has no __len__"):
        DataLoader(_NoLen())
    with pytest.raises(ValueError, match="different lengths"):
        TensorDataset(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="0-d"):
        TensorDataset(np.float32(1.0))


class _NoLen:
    def __getitem__(self, i):
        return i


def test_tensor_dataset_takes_tensors_arrays_and_lists():
    ds = TensorDataset(minigrad.tensor([[1.0, 2.0], [3.0, 4.0]]), np.array([0, 1]), [5.0, 6.0])
    x, y, z = ds[1]
    assert x.tolist() == [3.0, 4.0] and int(y) == 1 and float(z) == 6.0
    assert len(ds) == 2 and [tuple(t.shape) for t in ds.tensors] == [(2, 2), (2,), (2,)]


class Images(Dataset):
    """A map-style dataset as torchvision's: ds[i] is (image tensor (1, 4, 4), int label)."""

    def __init__(self, n):
        rng = np.random.default_rng(0)
        self.images = rng.random((n, 1, 4, 4)).astype(np.float32)
        self.labels = rng.integers(0, 10, n).tolist()

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return minigrad.tensor(self.images[i]), self.labels[i]


def test_loader_over_any_map_style_dataset_collates_like_pytorch():
    ds = Images(7)
    batches = list(DataLoader(ds, batch_size=3))
    assert [tuple(X.shape) for X, _ in batches] == [(3, 1, 4, 4), (3, 1, 4, 4), (1, 1, 4, 4)]
    X, y = batches[0]
    assert X.dtype == np.float32 and y.dtype == np.int64 and y.tolist() == ds.labels[:3]
    np.testing.assert_array_equal(arr(X), ds.images[:3])


def test_default_collate_kinds():
    Point = namedtuple("Point", "x y")
    assert default_collate([1.5, 2]).dtype == np.float64       # floats never truncated
    assert default_collate([True, False]).dtype == np.bool_
    assert default_collate([np.int32(1), np.int32(2)]).dtype == np.int32
    assert default_collate(["a", "b"]) == ["a", "b"]
    d = default_collate([{"x": np.zeros(2), "k": 1}, {"x": np.ones(2), "k": 2}])
    assert tuple(d["x"].shape) == (2, 2) and d["k"].tolist() == [1, 2]
    p = default_collate([Point(1, 2.0), Point(3, 4.0)])
    assert isinstance(p, Point) and p.x.tolist() == [1, 3]
    with pytest.raises(ValueError, match=r"equal shapes, got \(2,\) at entry 0 and \(3,\) at entry 1"):
        default_collate([np.zeros(2), np.zeros(3)])
    with pytest.raises(ValueError, match="same length"):
        default_collate([(1, 2), (1, 2, 3)])
    with pytest.raises(TypeError, match="mixes numbers with other kinds"):
        default_collate([1, "2"])
    with pytest.raises(TypeError, match="got NoneType"):
        default_collate([None, None])
    with pytest.raises(TypeError, match="dtype <U1, not numbers"):
        default_collate([np.array(["a"]), np.array(["b"])])


class Views:
    """A dataset whose items are *views* into its own arrays (the way slicing gives them)."""

    def __init__(self, X, y):
        self.X, self.y = X, y

    def __len__(self):
        return len(self.X)

    def __getitem__(self, i):
        return self.X[i], self.y[i:i + 1]


@given(n=st.integers(1, 12), batch_size=st.integers(1, 13), shuffle=st.booleans(),
       kind=st.sampled_from(["tuple", "arrays", "tensors", "views", "list"]), drop_last=st.booleans())
def test_batches_never_share_memory_with_the_dataset(n, batch_size, shuffle, kind, drop_last):
    X = np.arange(n * 3, dtype=np.float32).reshape(n, 3)
    y = np.arange(n, dtype=np.int64)
    X0, y0 = X.copy(), y.copy()
    dataset = {
        "tuple": (X, y),
        "arrays": TensorDataset(X, y),
        "tensors": TensorDataset(minigrad.from_numpy(X), minigrad.from_numpy(y)),
        "views": Views(X, y),
        "list": [(X[i], y[i:i + 1]) for i in range(n)],
    }[kind]
    for xb, yb in DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last, seed=0):
        xb += 100.0          # in-place edits of a batch, as a training step might make
        yb.fill_(-1)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


@given(n=st.integers(0, 15), batch_size=st.integers(1, 6), shuffle=st.booleans(), drop_last=st.booleans())
def test_vectorized_gather_equals_item_by_item_collation(n, batch_size, shuffle, drop_last):
    X = np.random.default_rng(n).standard_normal((n, 2)).astype(np.float32)
    y = np.arange(n, dtype=np.int64)

    class ItemByItem(TensorDataset):  # same items, but not the TensorDataset fast path
        def __getitem__(self, i):
            return super().__getitem__(i)

    fast = list(DataLoader(TensorDataset(X, y), batch_size, shuffle=shuffle, drop_last=drop_last, seed=4))
    slow = list(DataLoader(ItemByItem(X, y), batch_size, shuffle=shuffle, drop_last=drop_last, seed=4))
    assert len(fast) == len(slow) == (n // batch_size if drop_last else -(-n // batch_size))
    for a, b in zip(fast, slow):
        for ta, tb in zip(a, b):
            assert ta.dtype == tb.dtype
            np.testing.assert_array_equal(arr(ta), arr(tb))


def test_synthetic_data_follows_the_model():
    X, y = synthetic_data([2, -3.4], 4.2, 5000, noise=0.01, seed=0)
    assert X.dtype == np.float32 and tuple(y.shape) == (5000, 1)
    residual = arr(y)[:, 0] - (arr(X) @ np.array([2, -3.4]) + 4.2)
    assert abs(residual.std() - 0.01) < 0.001 and abs(residual.mean()) < 0.001
    minigrad.manual_seed(1)
    a = arr(synthetic_data(minigrad.tensor([2, -3.4]), 4.2, 10)[0])
    minigrad.manual_seed(1)
    np.testing.assert_array_equal(arr(synthetic_data(minigrad.tensor([2, -3.4]), 4.2, 10)[0]), a)


def test_accuracy_qmean_confusion():
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.5, 0.4, 0.1]])
    y = np.array([0, 2, 1])
    assert accuracy(p, y) == pytest.approx(2 / 3)
    assert accuracy(minigrad.tensor(p, requires_grad=True), minigrad.tensor(y)) == pytest.approx(2 / 3)
    # Qmean from logits: geometric mean of the true-class probabilities
    assert qmean(np.log(p), y) == pytest.approx((0.7 * 0.6 * 0.4) ** (1 / 3))
    np.testing.assert_array_equal(confusion_matrix(y, p.argmax(1), 3), [[1, 0, 0], [1, 0, 0], [0, 0, 1]])
    with pytest.raises(ValueError, match="scores"):
        accuracy(p, [0, 1])
    with pytest.raises(ValueError, match="class indices"):
        qmean(np.log(p), [0, 3, 1])
    with pytest.raises(ValueError, match="outside 0..2"):
        confusion_matrix([0, 3], [0, 0], 3)


def test_evaluate_accuracy_over_batches():
    X = np.eye(3, dtype=np.float32)[[0, 1, 2, 0, 1]]
    y = np.array([0, 1, 2, 1, 1])
    model = lambda t: t * 1.0  # noqa: E731  (identity logits)
    assert evaluate_accuracy(model, DataLoader((X, y), batch_size=2)) == pytest.approx(4 / 5)


# ---------------------------------------------------------------- issue 19

@given(st.integers(0, 40), st.lists(st.integers(1, 5), min_size=1, max_size=4), st.integers(0, 100))
def test_random_split_partitions_the_dataset(n, weights, seed):
    from minigrad.data import random_split
    fractions = [w / sum(weights) for w in weights]
    fractions[-1] = 1.0 - sum(fractions[:-1])
    parts = random_split(range(n), fractions, generator=minigrad.Generator().manual_seed(seed))
    assert sorted(i for p in parts for i in p) == list(range(n))
    floors = [int(np.floor(n * f)) for f in fractions]
    assert all(len(p) - f in (0, 1) for p, f in zip(parts, floors))  # floors, remainder one each
    again = random_split(range(n), fractions, generator=minigrad.Generator().manual_seed(seed))
    assert [list(p) for p in parts] == [list(p) for p in again]
    sizes = [len(p) for p in parts]
    assert [len(p) for p in random_split(range(n), sizes)] == sizes
    with pytest.raises(ValueError, match="add up"):
        random_split(range(n), [n + 1])


def test_dataloader_generator_pin_memory_persistent_workers():
    data = (minigrad.arange(10.0),)
    order = [b[0].tolist() for b in DataLoader(data, batch_size=5, shuffle=True, pin_memory=True,
                                               persistent_workers=True, generator=minigrad.Generator().manual_seed(3))]
    again = [b[0].tolist() for b in DataLoader(data, batch_size=5, shuffle=True,
                                               generator=minigrad.Generator().manual_seed(3))]
    assert order == again and sorted(order[0] + order[1]) == list(range(10))
    with pytest.raises(TypeError, match="generator"):
        DataLoader(data, generator=3)


def test_collate_and_totensor_dtypes_as_pytorch():
    from minigrad.vision.transforms import ToTensor
    assert default_collate([1.5, 2.5]).dtype == np.float64
    assert default_collate([1, 2]).dtype == np.int64
    assert default_collate([1, 2.5]).dtype == np.float32  # ints first: what tensor() infers
    assert default_collate([np.float32(1.5)]).dtype == np.float32
    assert ToTensor()(np.zeros((2, 2), np.float64)).dtype == np.float64
    assert ToTensor()(np.zeros((2, 2, 3), np.float32)).shape == (3, 2, 2)
    assert ToTensor()(np.full((1, 1), 255, np.uint8)).tolist() == [[[1.0]]]
