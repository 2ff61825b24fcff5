"""Real data for the walkthroughs: the bundled 8x8 digits, MNIST and Fashion-MNIST.

``load_digits()`` works offline everywhere (scikit-learn ships the data). MNIST and
Fashion-MNIST are read from IDX files (gzipped or not), looked for in this order:

1. the ``root`` directory passed in (or its ``mnist`` / ``fashion-mnist`` subfolder);
2. the directory in the ``MINIGRAD_DATA`` environment variable (same rule);
3. the per-user cache, ``$XDG_CACHE_HOME/minigrad`` or ``~/.cache/minigrad``;

and, when missing everywhere, downloaded into the cache from the official mirrors,
with a progress bar, verified against the published MD5 checksums and moved into
place atomically, so an interrupted download never leaves a half-written file.
"""

from __future__ import annotations

import gzip
import hashlib
import math
import numbers
import os
import tempfile
import urllib.request
import zlib
from pathlib import Path

import numpy as np

__all__ = ["load_digits", "load_mnist", "load_fashion_mnist", "read_idx", "DatasetError",
           "MNIST_CLASSES", "FASHION_CLASSES"]

MNIST_CLASSES = [str(i) for i in range(10)]
FASHION_CLASSES = ["t-shirt", "trouser", "pullover", "dress", "coat",
                   "sandal", "shirt", "sneaker", "bag", "ankle boot"]

# Published MD5 checksums of the official gzipped files (the ones torchvision also uses).
_SOURCES = {
    "mnist": {
        "mirrors": ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"],
        "md5": {
            "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
            "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
            "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
            "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
        },
    },
    "fashion-mnist": {
        "mirrors": ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
        "md5": {
            "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
            "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
            "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
        },
    },
}

_IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
MAX_IDX_BYTES = 1 << 30  # 1 GiB: far above MNIST (47 MB), far below an absurd header


class DatasetError(ValueError):
    """A data file is missing, corrupt or inconsistent; the message names the file.

    Examples
    --------
    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "bad-idx"); _ = open(p, "wb").write(b"oops")
    >>> try:
    ...     read_idx(p)
    ... except DatasetError as err:
    ...     print("bad-idx" in str(err) and "magic" in str(err))
    True
    """


def read_idx(path) -> np.ndarray:
    """Read one IDX file (``.gz`` or raw) into an array, refusing anything malformed.

    Checks the magic number, the element type, the number of dimensions, that the
    header's sizes are not absurd (over 1 GiB, computed in exact integers so that no
    product of dimensions can wrap around), that a gzip stream is intact, and that the
    data is exactly as long as the header says (truncated and over-long files are both
    refused). Every fault is a :class:`DatasetError` naming the file.

    Examples
    --------
    >>> import gzip, tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "x.gz")
    >>> with gzip.open(p, "wb") as f:
    ...     _ = f.write(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]))
    >>> read_idx(p)
    array([7, 2, 1], dtype=uint8)
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            head = f.read(4)
            if len(head) < 4 or head[0] != 0 or head[1] != 0:
                raise DatasetError(f"{path}: not an IDX file (bad magic number {head.hex() or 'empty'})")
            code, ndim = head[2], head[3]
            if code not in _IDX_DTYPES:
                raise DatasetError(f"{path}: unknown IDX element type 0x{code:02x}")
            if not 1 <= ndim <= 4:
                raise DatasetError(f"{path}: IDX header says {ndim} dimensions (expected 1 to 4)")
            dims_raw = f.read(4 * ndim)
            if len(dims_raw) < 4 * ndim:
                raise DatasetError(f"{path}: truncated IDX header")
            dims = tuple(int(d) for d in np.frombuffer(dims_raw, dtype=">u4"))
            dtype = np.dtype(_IDX_DTYPES[code])
            expected = math.prod(dims) * dtype.itemsize  # Python ints: exact, never overflows
            if expected > MAX_IDX_BYTES:
                raise DatasetError(f"{path}: header dimensions {dims} would need {expected / 2**30:.4g} GiB, "
                                   f"over the {MAX_IDX_BYTES / 2**30:g} GiB limit; refusing")
            data = f.read(expected + 1)  # one byte more than promised tells an over-long file
    except (OSError, EOFError, zlib.error) as err:  # gzip.BadGzipFile is an OSError
        if isinstance(err, (FileNotFoundError, PermissionError, IsADirectoryError)):
            raise
        raise DatasetError(f"{path}: cannot be read as (gzipped) IDX: corrupt or truncated compressed "
                           f"data ({type(err).__name__}: {err})") from None
    if len(data) != expected:
        problem = "truncated" if len(data) < expected else "longer than its header says"
        raise DatasetError(f"{path}: {problem}: header dimensions {dims} need {expected} bytes of data")
    return np.frombuffer(data, dtype=dtype).reshape(dims).astype(dtype.newbyteorder("="))


def _search_dirs(name: str, root) -> list:
    bases = [Path(root)] if root is not None else []
    if os.environ.get("MINIGRAD_DATA"):
        bases.append(Path(os.environ["MINIGRAD_DATA"]))
    dirs = [d for base in bases for d in (base, base / name)]
    return dirs + [_cache_dir() / name]


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "minigrad"


def _find(filename: str, dirs: list):
    for d in dirs:
        for candidate in (d / filename, d / filename.removesuffix(".gz")):
            if candidate.is_file():
                return candidate
    return None


def _download(name: str, filename: str, dest_dir: Path) -> Path:
    """Fetch ``filename`` from the mirrors into ``dest_dir``, verified, written atomically."""
    from tqdm.auto import tqdm  # optional dependency, needed only to download

    made = [d for d in (dest_dir, *dest_dir.parents) if not d.exists()]  # removed again if nothing comes
    dest_dir.mkdir(parents=True, exist_ok=True)
    errors = []
    for mirror in _SOURCES[name]["mirrors"]:
        fd, tmp = tempfile.mkstemp(dir=dest_dir, prefix=f".{filename}.", suffix=".part")
        try:
            md5 = hashlib.md5()
            with os.fdopen(fd, "wb") as out, urllib.request.urlopen(mirror + filename, timeout=30) as resp:
                total = int(resp.headers.get("Content-Length") or 0) or None
                with tqdm(total=total, unit="B", unit_scale=True, desc=filename, leave=False) as bar:
                    while chunk := resp.read(1 << 16):
                        out.write(chunk)
                        md5.update(chunk)
                        bar.update(len(chunk))
            if md5.hexdigest() != _SOURCES[name]["md5"][filename]:
                raise DatasetError(f"checksum mismatch for {filename} from {mirror}")
            final = dest_dir / filename
            os.replace(tmp, final)  # atomic: the file is either absent or complete
            return final
        except Exception as err:  # noqa: BLE001  (try the next mirror, report all)
            reason = getattr(err, "reason", None) or err  # URLError: the reason, not its wrapper
            errors.append(f"{mirror}{filename}: {reason}")
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
    for d in made:  # innermost first: a failed download leaves no empty cache folders behind
        try:
            d.rmdir()
        except OSError:  # not empty (another process wrote there meanwhile): keep it
            break
    raise DatasetError(f"could not download {filename} (" + "; ".join(errors) + ")")


def _load_idx_pair(name: str, split: str, root, download: bool, first=()):
    """Find (or download), read and check one split's images and labels.

    ``first``: directories searched before the usual ones (torchvision's layout), file by file,
    so a folder holding only the images still names the labels file as the one missing.
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    prefix = "train" if split == "train" else "t10k"
    dirs = [Path(d) for d in first] + _search_dirs(name, root)
    paths = []
    for filename in (f"{prefix}-images-idx3-ubyte.gz", f"{prefix}-labels-idx1-ubyte.gz"):
        path = _find(filename, dirs)
        if path is None and download:
            try:
                path = _download(name, filename, _cache_dir() / name)
            except DatasetError as err:
                raise DatasetError(f"{err}\n{_where_to_put(filename, dirs)}") from None
        if path is None:
            raise DatasetError(f"{filename} not found.\n{_where_to_put(filename, dirs)}")
        paths.append(path)
    images, labels = read_idx(paths[0]), read_idx(paths[1])
    if images.ndim != 3 or labels.ndim != 1:
        raise DatasetError(f"{paths[0]} / {paths[1]}: expected images (N, H, W) and labels (N,), "
                           f"got {images.shape} and {labels.shape}")
    if len(images) != len(labels):
        raise DatasetError(f"{paths[0]} has {len(images)} images but {paths[1]} has {len(labels)} labels")
    if images.dtype != np.uint8:
        raise DatasetError(f"{paths[0]}: images have element type {images.dtype}; MNIST-format images are uint8")
    if labels.dtype.kind not in "iu":
        raise DatasetError(f"{paths[1]}: labels have element type {labels.dtype}; class labels must be integers")
    bad = labels[(labels < 0) | (labels > 9)]
    if bad.size:
        raise DatasetError(f"{paths[1]}: label {bad[0]} is outside the 10 classes 0..9 "
                           f"({bad.size} label(s) out of range)")
    return images.astype(np.float32) / 255.0, labels.astype(np.int64)


def _where_to_put(filename: str, dirs: list) -> str:
    name = Path(dirs[-1]).name  # the cache folder is named after the data set
    source = f" (from {_SOURCES[name]['mirrors'][0]}{filename})" if name in _SOURCES else ""
    places = "\n".join(f"  - {d}" for d in dict.fromkeys(dirs))
    return (f"Put {filename}{source}, gzipped or not, in one of these folders, or point to its folder "
            f"with root=... (--data-dir) or $MINIGRAD_DATA:\n{places}")


def load_mnist(root=None, split: str = "train", download: bool = True):
    """MNIST handwritten digits: images (N, 28, 28) float32 in [0, 1] and labels (N,) int64.

    Parameters
    ----------
    root : path, optional
        Directory holding the IDX files (or an ``mnist`` subfolder of it).
    split : {"train", "test"}
    download : bool
        Download into the per-user cache when the files are found nowhere.

    Examples
    --------
    >>> X, y = load_mnist("../shared/data", split="test", download=False)  # doctest: +SKIP
    >>> X.shape, y[:5]                                                     # doctest: +SKIP
    ((10000, 28, 28), array([7, 2, 1, 0, 4]))
    """
    return _load_idx_pair("mnist", split, root, download)


def load_fashion_mnist(root=None, split: str = "train", download: bool = True):
    """Fashion-MNIST (Zalando): same format and API as :func:`load_mnist`; class names
    in :data:`FASHION_CLASSES`.

    Examples
    --------
    >>> X, y = load_fashion_mnist("../data", split="test", download=False)  # doctest: +SKIP
    >>> FASHION_CLASSES[int(y[0])]                                          # doctest: +SKIP
    'ankle boot'
    """
    return _load_idx_pair("fashion-mnist", split, root, download)


def load_digits(test_fraction: float = 0.2, seed: int = 0):
    """scikit-learn's bundled 8x8 handwritten digits (1,797 images), split train/test.

    Returns ``((X_train, y_train), (X_test, y_test))`` with images (N, 8, 8) float32
    scaled to [0, 1] and labels int64. Works offline: the data ships with scikit-learn.

    Parameters
    ----------
    test_fraction : float
        Share of the images held out for testing, in [0, 1).
    seed : int
        Seed of the split (the same split every time by default).

    Examples
    --------
    >>> (X, y), (X_test, y_test) = load_digits()
    >>> X.shape, X_test.shape, X.dtype
    ((1438, 8, 8), (359, 8, 8), dtype('float32'))
    """
    if isinstance(test_fraction, (bool, np.bool_)) or not isinstance(test_fraction, numbers.Real):
        raise TypeError(f"load_digits: test_fraction must be a number in [0, 1), got {test_fraction!r}")
    if not 0 <= test_fraction < 1:  # also refuses NaN
        raise ValueError(f"load_digits: test_fraction must be in [0, 1), got {test_fraction}")
    try:
        from sklearn.datasets import load_digits as sk_digits
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("load_digits() needs scikit-learn: pip install 'minigrad[examples]'") from None
    bunch = sk_digits()
    X = (bunch.images / 16.0).astype(np.float32)
    y = bunch.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(y))
    n_test = int(round(len(y) * test_fraction))
    test, train = order[:n_test], order[n_test:]
    return (X[train], y[train]), (X[test], y[test])
