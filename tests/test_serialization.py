"""Checkpoints: every key round-trips, every damaged file is a CheckpointError naming its
path, nothing half-written, permissions as any new file gets them."""

import io
import os
import pickle
import struct
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minigrad
from minigrad import nn
from minigrad.serialization import CheckpointError


def arr(t) -> np.ndarray:
    return np.array(t.detach().numpy())


def assert_same(loaded, original):
    assert list(loaded) == list(original)
    for key, value in original.items():
        expected = np.asarray(value.detach().numpy() if isinstance(value, minigrad.Tensor) else value)
        got = arr(loaded[key])
        assert got.dtype == expected.dtype and got.shape == expected.shape, key
        np.testing.assert_array_equal(got, expected)


AWKWARD_KEYS = ["allow_pickle", "file", "args", "kwds", "a/b", "../up", "/abs", "", " ", "x.npy", "x",
                "#index", "#0", "0", "ünï ☃", "a\\b", "weight.bias", "-", "."]


def test_awkward_keys_round_trip(tmp_path):
    state = {key: np.full(2, i, dtype=np.float32) for i, key in enumerate(AWKWARD_KEYS)}
    minigrad.save(state, tmp_path / "c.npz")
    assert_same(minigrad.load(tmp_path / "c.npz"), state)
    assert sorted(os.listdir(tmp_path)) == ["c.npz"]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(state=st.dictionaries(
    st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=12),
    hnp.arrays(st.sampled_from([np.float32, np.float64, np.int64, np.int8, np.uint8, np.bool_]),
               hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)),
    max_size=6))
def test_any_str_keys_and_numeric_arrays_round_trip(tmp_path, state):
    path = tmp_path / "p.npz"
    minigrad.save(state, path)
    assert_same(minigrad.load(path), state)


def test_save_takes_tensors_parameters_numbers_single_tensors_and_lists(tmp_path):
    w = minigrad.tensor([1.0, 2.0])
    p = nn.Parameter([[3.0]])  # requires grad: saved through detach()
    minigrad.save({"w": w, "p": p, "n": 3, "f": 0.5}, tmp_path / "a.npz")
    out = minigrad.load(tmp_path / "a.npz")
    assert isinstance(out["w"], minigrad.Tensor) and out["w"].tolist() == [1.0, 2.0]
    assert out["p"].tolist() == [[3.0]] and out["n"].item() == 3 and out["f"].item() == 0.5
    minigrad.save(w, tmp_path / "t.npz")
    assert minigrad.load(tmp_path / "t.npz").tolist() == [1.0, 2.0]
    minigrad.save([w, p], tmp_path / "l.npz")
    assert [t.tolist() for t in minigrad.load(tmp_path / "l.npz")] == [[1.0, 2.0], [[3.0]]]
    buf = io.BytesIO()
    minigrad.save((w,), buf)
    buf.seek(0)
    loaded = minigrad.load(buf)
    assert isinstance(loaded, tuple) and loaded[0].tolist() == [1.0, 2.0]


@pytest.mark.parametrize("obj, error, message", [
    ({1: np.zeros(1)}, TypeError, "keys must be str, got 1"),
    ({"a\x00b": np.zeros(1)}, ValueError, "NUL"),
    ({"x": None}, TypeError, "value of key 'x' is a NoneType"),
    ({"x": {"y": np.zeros(1)}}, TypeError, "value of key 'x' is a dict"),
    ({"x": np.array([{}], dtype=object)}, TypeError, "key 'x' has dtype object"),
    ({"x": np.array(["a"])}, TypeError, "key 'x' has dtype <U1"),
    ({"x": "text"}, TypeError, "value of key 'x' is a str"),
    ("not a dict", TypeError, "expected a dict of tensors"),
])
def test_what_cannot_be_stored_is_refused_and_nothing_is_written(tmp_path, obj, error, message):
    path = tmp_path / "c.npz"
    minigrad.save({"old": np.ones(1)}, path)
    before = path.read_bytes()
    with pytest.raises(error, match=message):
        minigrad.save(obj, path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["c.npz"]


def test_a_crash_while_writing_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "c.npz"
    minigrad.save({"old": np.ones(1)}, path)
    before = path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")
    monkeypatch.setattr(np.lib.format, "write_array", boom)
    with pytest.raises(OSError, match="disk full"):
        minigrad.save({"new": np.zeros(1)}, path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["c.npz"]


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600), (0o027, 0o640)])
def test_saved_files_follow_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        minigrad.save({"w": np.zeros(1)}, tmp_path / "c.npz")
    finally:
        os.umask(old)
    assert (tmp_path / "c.npz").stat().st_mode & 0o777 == mode


def test_overwriting_keeps_the_files_permissions(tmp_path):
    path = tmp_path / "c.npz"
    minigrad.save({"w": np.zeros(1)}, path)
    os.chmod(path, 0o604)
    minigrad.save({"w": np.ones(1)}, path)
    assert path.stat().st_mode & 0o777 == 0o604 and minigrad.load(path)["w"].tolist() == [1.0]


def test_missing_files_and_directories(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such checkpoint file") as info:
        minigrad.load(tmp_path / "nope.npz")
    assert info.value.filename == str(tmp_path / "nope.npz")
    with pytest.raises(IsADirectoryError):
        minigrad.load(tmp_path)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        minigrad.save({"w": np.zeros(1)}, tmp_path / "no" / "dir" / "c.npz")
    with pytest.raises(IsADirectoryError):
        minigrad.save({"w": np.zeros(1)}, tmp_path)


def _valid(tmp_path) -> bytes:
    minigrad.save({"weight": np.arange(6, dtype=np.float32).reshape(2, 3), "a/b": np.arange(3)},
                  tmp_path / "ok.npz")
    return (tmp_path / "ok.npz").read_bytes()


def _member_offset(data: bytes, name: str) -> int:
    """Offset of the last byte of member ``name``'s array data."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(name)
    start = info.header_offset
    name_len, extra_len = struct.unpack("<HH", data[start + 26:start + 30])  # local file header
    return start + 30 + name_len + extra_len + info.compress_size - 1


@pytest.mark.parametrize("damage, fault", [
    (lambda d, p: b"", "empty"),
    (lambda d, p: d[: len(d) // 2], "not a minigrad .npz checkpoint"),
    (lambda d, p: d[:-1], "not a minigrad .npz checkpoint"),
    (lambda d, p: d[:_member_offset(d, "weight.npy")] + bytes([d[_member_offset(d, "weight.npy")] ^ 1])
     + d[_member_offset(d, "weight.npy") + 1:], "CRC"),
    (lambda d, p: _npy_bytes(), ".npy file"),
    (lambda d, p: pickle.dumps({"weight": np.zeros(2)}), "not a zip archive"),
    (lambda d, p: b"weight,1,2,3\n", "not a zip archive"),
    (lambda d, p: _npz_bytes(x=np.array([{"a": 1}], dtype=object)), "pickle"),
    (lambda d, p: _npz_bytes(x=np.array(["text"])), "not numbers"),
], ids=["empty", "half", "last-byte", "crc", "npy", "pickle", "text", "object-array", "str-array"])
def test_damaged_files_are_a_checkpoint_error_naming_the_path(tmp_path, damage, fault):
    path = tmp_path / "damaged.npz"
    path.write_bytes(damage(_valid(tmp_path), path))
    with pytest.raises(CheckpointError, match=fault) as info:
        minigrad.load(path)
    assert str(path) in str(info.value) and isinstance(info.value, ValueError)


def _npy_bytes() -> bytes:
    buf = io.BytesIO()
    np.save(buf, np.zeros(3))
    return buf.getvalue()


def _npz_bytes(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=120)
@given(data=st.data())
def test_any_damage_is_loud_or_harmless(tmp_path, data):
    """Truncate or flip one byte anywhere: load either raises CheckpointError or returns
    exactly the original values (a damaged field that nothing reads), never other values."""
    valid = _valid(tmp_path)
    if data.draw(st.booleans(), label="truncate"):
        damaged = valid[: data.draw(st.integers(0, len(valid) - 1), label="length")]
    else:
        i = data.draw(st.integers(0, len(valid) - 1), label="offset")
        damaged = valid[:i] + bytes([valid[i] ^ data.draw(st.integers(1, 255), label="xor")]) + valid[i + 1:]
    path = tmp_path / "d.npz"
    path.write_bytes(damaged)
    try:
        loaded = minigrad.load(path)
    except CheckpointError as err:
        assert str(path) in str(err)
        return
    assert list(loaded) == ["weight", "a/b"]
    assert arr(loaded["weight"]).tolist() == [[0, 1, 2], [3, 4, 5]] and arr(loaded["a/b"]).tolist() == [0, 1, 2]


def test_archives_from_numpy_savez_still_load(tmp_path):
    np.savez(tmp_path / "old.npz", weight=np.ones((2, 2)), bias=np.zeros(2))
    out = minigrad.load(tmp_path / "old.npz")
    assert sorted(out) == ["bias", "weight"] and out["weight"].tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_plain_keys_stay_readable_with_numpy(tmp_path):
    minigrad.save({"0.weight": np.ones(2), "a/b": np.zeros(1)}, tmp_path / "c.npz")
    with np.load(tmp_path / "c.npz") as f:
        assert f["0.weight"].tolist() == [1.0, 1.0]


def test_a_model_checkpoint_round_trip(tmp_path):
    layer = nn.Linear(3, 2)
    net = nn.Sequential(nn.Flatten(), layer, nn.ReLU(), layer)
    minigrad.save(net.state_dict(), tmp_path / "net.npz")
    other_layer = nn.Linear(3, 2)
    other = nn.Sequential(nn.Flatten(), other_layer, nn.ReLU(), other_layer)
    other.load_state_dict(minigrad.load(tmp_path / "net.npz"))
    np.testing.assert_array_equal(arr(other_layer.weight), arr(layer.weight))
