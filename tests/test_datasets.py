"""IDX reading (valid and corrupt files), where data is looked for, downloading safely,
and the real MNIST test set from ../shared/data when it is present."""

import gzip
import hashlib
import io
import struct
from pathlib import Path

import numpy as np
import pytest

from minigrad import datasets
from minigrad.datasets import DatasetError, load_mnist, read_idx

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def idx_bytes(array: np.ndarray) -> bytes:
    code = {np.uint8: 0x08, np.int32: 0x0C, np.float32: 0x0D}[array.dtype.type]
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def write(path: Path, data: bytes, gz: bool):
    path.parent.mkdir(parents=True, exist_ok=True)
    if gz:
        with gzip.open(path, "wb") as f:
            f.write(data)
    else:
        path.write_bytes(data)
    return path


def small_mnist(folder: Path, split="t10k", n=6, gz=True):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, n, dtype=np.uint8)
    suffix = ".gz" if gz else ""
    write(folder / f"{split}-images-idx3-ubyte{suffix}", idx_bytes(images), gz)
    write(folder / f"{split}-labels-idx1-ubyte{suffix}", idx_bytes(labels), gz)
    return images, labels


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("MINIGRAD_DATA", raising=False)


@pytest.mark.parametrize("gz", [True, False])
@pytest.mark.parametrize("dtype", [np.uint8, np.int32, np.float32])
def test_read_idx_roundtrip(tmp_path, gz, dtype):
    a = (np.arange(24).reshape(2, 3, 4) * 3).astype(dtype)
    np.testing.assert_array_equal(read_idx(write(tmp_path / ("a.gz" if gz else "a"), idx_bytes(a), gz)), a)


@pytest.mark.parametrize("data, message", [
    (b"\x01\x02\x08\x01\x00\x00\x00\x01\x00", "bad magic number"),
    (b"\x00\x00\x42\x01\x00\x00\x00\x01\x00", "unknown IDX element type"),
    (b"\x00\x00\x08\x07" + b"\x00\x00\x00\x01" * 7, "7 dimensions"),
    (b"\x00\x00\x08\x02\x00\x00", "truncated IDX header"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x05\x01\x02", "truncated: header dimensions"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x01\x01\x02", "longer than its header says"),
    (b"\x00\x00\x08\x03" + struct.pack(">3I", 100000, 100000, 100000), "GiB; refusing"),
    (b"", "bad magic number empty"),
])
def test_corrupt_idx_files_are_refused_naming_the_file(tmp_path, data, message):
    path = write(tmp_path / "bad-idx", data, gz=False)
    with pytest.raises(DatasetError, match=message) as info:
        read_idx(path)
    assert "bad-idx" in str(info.value)


def test_a_file_that_is_not_gzip_is_refused(tmp_path):
    path = write(tmp_path / "x.gz", b"not gzip at all", gz=False)
    with pytest.raises(DatasetError, match="x.gz.*cannot be read"):
        read_idx(path)


def test_load_from_root_env_and_cache_in_that_order(tmp_path, monkeypatch):
    images, labels = small_mnist(tmp_path / "root")
    X, y = load_mnist(tmp_path / "root", split="test", download=False)
    assert X.shape == (6, 28, 28) and X.dtype == np.float32 and X.max() <= 1.0
    np.testing.assert_array_equal(y, labels)
    np.testing.assert_allclose(X, images / 255.0)
    small_mnist(tmp_path / "env" / "mnist", n=4, gz=False)  # the subfolder rule, uncompressed
    monkeypatch.setenv("MINIGRAD_DATA", str(tmp_path / "env"))
    assert len(load_mnist(split="test", download=False)[1]) == 4
    assert len(load_mnist(tmp_path / "root", split="test", download=False)[1]) == 6  # root wins


def test_missing_files_offline_say_where_to_put_them(tmp_path):
    with pytest.raises(DatasetError, match=r"t10k-images-idx3-ubyte.gz not found[\s\S]*MINIGRAD_DATA"):
        load_mnist(tmp_path / "nowhere", split="test", download=False)


def test_images_and_labels_must_agree(tmp_path):
    small_mnist(tmp_path, n=5)
    write(tmp_path / "t10k-labels-idx1-ubyte.gz", idx_bytes(np.zeros(3, np.uint8)), gz=True)
    with pytest.raises(DatasetError, match="5 images but .* 3 labels"):
        load_mnist(tmp_path, split="test", download=False)
    write(tmp_path / "t10k-labels-idx1-ubyte.gz", idx_bytes(np.full(5, 12, np.uint8)), gz=True)
    with pytest.raises(DatasetError, match="label 12"):
        load_mnist(tmp_path, split="test", download=False)


class FakeResponse(io.BytesIO):
    def __init__(self, data, fail_after=None):
        super().__init__(data)
        self.headers = {"Content-Length": str(len(data))}
        self.fail_after = fail_after

    def read(self, n=-1):
        if self.fail_after is not None and self.tell() >= self.fail_after:
            raise ConnectionResetError("connection dropped")
        return super().read(min(n, 100) if n > 0 else n)

    def __exit__(self, *exc):
        return False


def fake_mirror(monkeypatch, files, fail_after=None):
    """Serve ``files`` (name -> gz bytes) as the mirrors would, with their MD5s published."""
    monkeypatch.setitem(datasets._SOURCES, "mnist", {
        "mirrors": ["https://mirror.invalid/"],
        "md5": {name: hashlib.md5(data).hexdigest() for name, data in files.items()},
    })
    calls = []

    def urlopen(url, timeout=None):
        calls.append(url)
        return FakeResponse(files[url.rsplit("/", 1)[1]], fail_after)

    monkeypatch.setattr(datasets.urllib.request, "urlopen", urlopen)
    return calls


def gz(data: bytes) -> bytes:
    return gzip.compress(data)


def test_download_verifies_and_caches(tmp_path, monkeypatch):
    imgs, labs = np.zeros((2, 28, 28), np.uint8), np.array([3, 4], np.uint8)
    files = {"t10k-images-idx3-ubyte.gz": gz(idx_bytes(imgs)), "t10k-labels-idx1-ubyte.gz": gz(idx_bytes(labs))}
    calls = fake_mirror(monkeypatch, files)
    X, y = load_mnist(split="test")
    assert y.tolist() == [3, 4] and len(calls) == 2
    cached = sorted(p.name for p in (tmp_path / "cache" / "minigrad" / "mnist").iterdir())
    assert cached == sorted(files)
    load_mnist(split="test")
    assert len(calls) == 2  # second time from the cache


def test_checksum_mismatch_and_interrupted_download_leave_no_file(tmp_path, monkeypatch):
    noise = np.random.default_rng(0).integers(0, 256, (4, 28, 28), dtype=np.uint8)  # incompressible
    files = {"t10k-images-idx3-ubyte.gz": gz(idx_bytes(noise))}
    fake_mirror(monkeypatch, files)
    datasets._SOURCES["mnist"]["md5"]["t10k-images-idx3-ubyte.gz"] = "0" * 32
    with pytest.raises(DatasetError, match="checksum mismatch"):
        load_mnist(split="test")
    fake_mirror(monkeypatch, files, fail_after=150)
    with pytest.raises(DatasetError, match="connection dropped"):
        load_mnist(split="test")
    cache = tmp_path / "cache" / "minigrad" / "mnist"
    assert list(cache.iterdir()) == []  # neither a partial nor an unverified file


@pytest.mark.skipif(not (SHARED / "mnist").is_dir(), reason="../shared/data/mnist is not present")
def test_the_real_mnist_test_set():
    X, y = load_mnist(SHARED, split="test", download=False)
    assert X.shape == (10000, 28, 28) and y.shape == (10000,)
    assert y[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert np.bincount(y).min() > 800
