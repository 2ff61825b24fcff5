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
    code = {np.uint8: 0x08, np.int8: 0x09, np.int32: 0x0C, np.float32: 0x0D}[array.dtype.type]
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
    (b"\x00\x00\x08\x03" + struct.pack(">3I", 100000, 100000, 100000), "GiB limit; refusing"),
    (b"", "bad magic number empty"),
])
def test_corrupt_idx_files_are_refused_naming_the_file(tmp_path, data, message):
    path = write(tmp_path / "bad-idx", data, gz=False)
    with pytest.raises(DatasetError, match=message) as info:
        read_idx(path)
    assert "bad-idx" in str(info.value)


@pytest.mark.parametrize("dims", [
    (65536, 65536, 65536, 65536),          # 2**64 elements: wraps to 0 in int64
    (4294967295, 4294967295, 4294967295, 3),
    (2**31, 2**31, 4, 1),
])
def test_a_header_whose_size_overflows_int64_is_refused(tmp_path, dims):
    path = write(tmp_path / "huge-idx", bytes([0, 0, 8, len(dims)]) + struct.pack(f">{len(dims)}I", *dims), gz=False)
    with pytest.raises(DatasetError, match=r"huge-idx: header dimensions .* GiB limit; refusing"):
        read_idx(path)


def _gz_faults():
    good = gzip.compress(idx_bytes(np.arange(200, dtype=np.uint8)), mtime=0)
    bad_block = bytearray(good)
    bad_block[10] = 0xFF          # first deflate block of reserved type 3: zlib.error
    bad_crc = bytearray(good)
    bad_crc[-8] ^= 0xFF           # gzip trailer CRC: gzip.BadGzipFile
    return {"deflate": bytes(bad_block), "crc": bytes(bad_crc), "truncated": good[:-12]}  # EOFError


@pytest.mark.parametrize("fault", ["deflate", "crc", "truncated"])
def test_a_corrupt_gzip_stream_is_a_dataset_error_naming_the_file(tmp_path, fault):
    path = write(tmp_path / "broken-idx.gz", _gz_faults()[fault], gz=False)
    with pytest.raises(DatasetError, match="broken-idx.gz: cannot be read as .gzipped. IDX: corrupt"):
        read_idx(path)


@pytest.mark.parametrize("labels, message", [
    (np.array([1, -3, 2], np.int8), "label -3 is outside the 10 classes"),
    (np.array([1.0, 2.0, 3.0], np.float32), "labels have element type float32"),
    (np.array([1, 2, 300], np.int32), "label 300 is outside"),
])
def test_labels_outside_the_ten_classes_are_refused(tmp_path, labels, message):
    small_mnist(tmp_path, n=3)
    write(tmp_path / "t10k-labels-idx1-ubyte.gz", idx_bytes(labels), gz=True)
    with pytest.raises(DatasetError, match=f"t10k-labels-idx1-ubyte.gz: {message}"):
        load_mnist(tmp_path, split="test", download=False)


def test_images_that_are_not_bytes_are_refused(tmp_path):
    small_mnist(tmp_path, n=2)
    write(tmp_path / "t10k-images-idx3-ubyte.gz", idx_bytes(np.zeros((2, 28, 28), np.float32)), gz=True)
    with pytest.raises(DatasetError, match="t10k-images-idx3-ubyte.gz: images have element type float32"):
        load_mnist(tmp_path, split="test", download=False)


@pytest.mark.parametrize("fraction, error", [(-0.1, ValueError), (1.5, ValueError), (1.0, ValueError),
                                             (float("nan"), ValueError), (True, TypeError), ("0.2", TypeError)])
def test_load_digits_refuses_a_test_fraction_outside_zero_one(fraction, error):
    with pytest.raises(error, match="test_fraction"):
        datasets.load_digits(test_fraction=fraction)


def test_load_digits_split_sizes():
    (X, y), (Xt, yt) = datasets.load_digits(test_fraction=0.0)
    assert len(Xt) == 0 and len(X) == 1797
    (X, y), (Xt, yt) = datasets.load_digits(test_fraction=0.5)
    assert len(X) + len(Xt) == 1797 and abs(len(X) - len(Xt)) <= 1


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
    # neither a partial nor an unverified file, nor the empty folders made to hold one
    assert not (tmp_path / "cache").exists()


def test_an_offline_download_fails_in_a_few_lines_naming_the_file_and_leaves_no_folders(tmp_path, monkeypatch):
    import urllib.error

    def offline(url, timeout=None):
        raise urllib.error.URLError(OSError(-2, "Name or service not known"))

    monkeypatch.setattr(datasets.urllib.request, "urlopen", offline)
    (tmp_path / "cache").mkdir()  # the user's own cache folder: kept
    with pytest.raises(DatasetError) as info:
        load_mnist(tmp_path / "mine", split="test")
    message = str(info.value)
    assert message.startswith("could not download t10k-images-idx3-ubyte.gz")
    assert "Name or service not known" in message and "URLError" not in message
    assert "https://ossci-datasets.s3.amazonaws.com/mnist/t10k-images-idx3-ubyte.gz" in message  # how to get it
    assert str(tmp_path / "mine") in message and len(message.splitlines()) <= 6
    assert list((tmp_path / "cache").iterdir()) == []  # no minigrad/mnist left behind


def test_fashion_mnist_with_its_labels_file_missing_names_the_labels_file(tmp_path):
    from minigrad.vision.datasets import FashionMNIST, write_idx_pair

    images, _ = write_idx_pair(tmp_path, "FashionMNIST", train=False, n=3)
    (images.parent / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DatasetError) as info:
        FashionMNIST(tmp_path, train=False)
    first = str(info.value).splitlines()[0]
    assert first == "t10k-labels-idx1-ubyte.gz not found." and str(images.parent) in str(info.value)
    assert "download=True" in str(info.value)


@pytest.mark.skipif(not (SHARED / "mnist").is_dir(), reason="../shared/data/mnist is not present")
def test_the_real_mnist_test_set():
    X, y = load_mnist(SHARED, split="test", download=False)
    assert X.shape == (10000, 28, 28) and y.shape == (10000,)
    assert y[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert np.bincount(y).min() > 800
