"""Save and load tensors as ``.npz`` zip archives: plain arrays, never pickle.

:func:`save` writes a dict of name -> tensor (a ``state_dict``), a single tensor, or a
list/tuple of tensors; :func:`load` gives back the same structure with Tensors in it.
Any ``str`` key round-trips exactly (``"allow_pickle"``, ``"a/b"``, ``""``, unicode):
the keys are stored in an index inside the archive, not as NumPy keyword arguments or
raw file names. Files are written atomically (a crash leaves the old file) with the
permissions a newly created file gets (the umask), or those of the file replaced.

Every fault of a file is reported as :class:`CheckpointError` (a ``ValueError``) naming
the path and the fault; a missing file is ``FileNotFoundError``.

Examples
--------
>>> import os, tempfile, minigrad
>>> net = minigrad.nn.Linear(3, 2)
>>> path = os.path.join(tempfile.mkdtemp(), "net.npz")
>>> minigrad.save(net.state_dict(), path)
>>> minigrad.nn.Linear(3, 2).load_state_dict(minigrad.load(path))
IncompatibleKeys(missing_keys=[], unexpected_keys=[])
"""

from __future__ import annotations

import errno
import io
import numbers
import os
import re
import stat
import struct
import tempfile
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Mapping

import numpy as np

from .tensor import Tensor

__all__ = ["save", "load", "CheckpointError"]

_INDEX = "#index.npy"  # '#' never appears in a member named after a key: no collision
_SAFE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_KINDS = ("dict", "tensor", "list", "tuple")


class CheckpointError(ValueError):
    """A file given to :func:`load` is not a readable minigrad checkpoint; the message
    names the path and the fault.

    Examples
    --------
    >>> import os, tempfile, minigrad
    >>> path = os.path.join(tempfile.mkdtemp(), "empty.npz")
    >>> open(path, "wb").close()
    >>> try:
    ...     minigrad.load(path)
    ... except CheckpointError as err:
    ...     print("empty" in str(err))
    True
    """


def _to_array(value, where: str) -> np.ndarray:
    if isinstance(value, Tensor):
        arr = value.detach().numpy()
    elif isinstance(value, (np.ndarray, np.generic)) or (
            isinstance(value, numbers.Real) and not isinstance(value, (str, bytes))):
        arr = np.asarray(value)
    else:
        raise TypeError(f"save: {where} is a {type(value).__name__}; a checkpoint holds tensors, "
                        "arrays and numbers (nothing that would need pickle)")
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"save: {where} has dtype {arr.dtype}; a checkpoint holds real numbers only")
    return arr


def _entries(obj):
    """(kind, [(key, array)]) for what :func:`save` accepts, refusing the rest clearly."""
    if isinstance(obj, Mapping):
        entries = []
        for key, value in obj.items():
            if not isinstance(key, str):
                raise TypeError(f"save: keys must be str, got {key!r} ({type(key).__name__})")
            if "\x00" in key:
                raise ValueError(f"save: key {key!r} contains a NUL character, which cannot be stored")
            entries.append((key, _to_array(value, f"the value of key {key!r}")))
        return "dict", entries
    if isinstance(obj, (Tensor, np.ndarray)):
        return "tensor", [("", _to_array(obj, "the tensor"))]
    if isinstance(obj, (list, tuple)):
        kind = "tuple" if isinstance(obj, tuple) else "list"
        return kind, [(str(i), _to_array(v, f"item {i}")) for i, v in enumerate(obj)]
    raise TypeError(f"save: expected a dict of tensors (e.g. net.state_dict()), a tensor, or a list of "
                    f"tensors; got {type(obj).__name__}")


def _member(i: int, key: str, kind: str) -> str:
    # Keys that are plain file names stay readable with numpy.load(path)[key].
    if kind == "dict" and _SAFE.fullmatch(key) and not key.endswith(".npy"):
        return key + ".npy"
    return f"#{i}.npy"


def _write_zip(fileobj, kind: str, entries) -> None:
    index = np.array([kind] + [key for key, _ in entries], dtype=str)
    with zipfile.ZipFile(fileobj, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        with zf.open(_INDEX, "w") as m:
            np.lib.format.write_array(m, index, allow_pickle=False)
        for i, (key, arr) in enumerate(entries):
            with zf.open(_member(i, key, kind), "w", force_zip64=True) as m:
                np.lib.format.write_array(m, arr, allow_pickle=False)


def _umask() -> int:
    try:  # read without changing it (os.umask would, for every thread)
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def save(obj, f) -> None:
    """Write tensors to ``f`` (a path or a binary file object), as ``torch.save``.

    Parameters
    ----------
    obj : dict of str -> Tensor/array/number, or a Tensor, or a list/tuple of Tensors
    f : path or writable binary file object
        A path is written atomically: a temporary file in the same directory, flushed
        to disk, then renamed over ``f``.

    Examples
    --------
    >>> import os, tempfile, minigrad
    >>> path = os.path.join(tempfile.mkdtemp(), "w.npz")
    >>> minigrad.save({"w": minigrad.tensor([1.0, 2.0]), "file": 3}, path)
    >>> {k: v.tolist() for k, v in minigrad.load(path).items()}
    {'w': [1.0, 2.0], 'file': 3}
    """
    kind, entries = _entries(obj)
    if hasattr(f, "write"):
        _write_zip(f, kind, entries)
        return
    path = os.fspath(f)
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise FileNotFoundError(errno.ENOENT, f"save: directory {directory} does not exist", path)
    if os.path.isdir(path):
        raise IsADirectoryError(errno.EISDIR, "save: the path is a directory", path)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)  # replacing a file keeps its permissions
    except FileNotFoundError:
        mode = 0o666 & ~_umask()                    # a new file gets what open() would give
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            _write_zip(fh, kind, entries)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _read_member(zf: zipfile.ZipFile, name: str) -> np.ndarray:
    data = zf.read(name)  # reads the whole member, so its CRC is checked
    arr = np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)
    return arr


def _describe(head: bytes) -> str:
    if not head:
        return "the file is empty"
    if head.startswith(b"\x93NUMPY"):
        return "it is a .npy file (one array), not a .npz archive; read it with numpy.load"
    if not head.startswith(b"PK"):
        return "it is not a zip archive"
    return ""


def _parse(fh, path) -> object:
    head = fh.read(8)
    fh.seek(0)
    fault = _describe(head)
    if fault:
        raise CheckpointError(f"load: {path} is not a minigrad .npz checkpoint: {fault}")
    with zipfile.ZipFile(fh) as zf:
        names = zf.namelist()
        if len(set(names)) != len(names):
            raise CheckpointError(f"load: {path} is not a minigrad .npz checkpoint: repeated member names")
        if _INDEX not in names:  # an archive from numpy.savez or an older minigrad: keys are the names
            if not all(n.endswith(".npy") for n in names):
                odd = [n for n in names if not n.endswith(".npy")]
                raise CheckpointError(f"load: {path} is not a minigrad .npz checkpoint: members {odd} are not arrays")
            kind, items = "dict", [(n[:-4], n) for n in names]
        else:
            index = _read_member(zf, _INDEX)
            if index.ndim != 1 or index.dtype.kind != "U" or len(index) < 1 or index[0] not in _KINDS:
                raise CheckpointError(f"load: {path} is not a minigrad .npz checkpoint: its index is malformed")
            kind, keys = str(index[0]), [str(k) for k in index[1:]]
            items = [(key, _member(i, key, kind)) for i, key in enumerate(keys)]
            expected = {member for _, member in items} | {_INDEX}
            if expected != set(names) or len(expected) != len(items) + 1:
                raise CheckpointError(f"load: {path} is not a minigrad .npz checkpoint: its members "
                                      "do not match its index")
        values = []
        for key, member in items:
            arr = _read_member(zf, member)
            if arr.dtype.kind not in "biuf":
                raise CheckpointError(f"load: {path}: entry {key!r} has dtype {arr.dtype}, not numbers")
            values.append((key, Tensor(arr)))
    if kind == "dict":
        return OrderedDict(values)
    if kind == "tensor":
        if len(values) != 1:
            raise CheckpointError(f"load: {path} is not a minigrad .npz checkpoint: a single tensor expected")
        return values[0][1]
    seq = [v for _, v in values]
    return tuple(seq) if kind == "tuple" else seq


_FAULTS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError, KeyError,
           struct.error, NotImplementedError, RuntimeError, OverflowError, OSError)


def load(f):
    """Read what :func:`save` wrote (no pickle, so loading never runs code).

    Returns an ``OrderedDict`` of name -> Tensor for a saved dict (also for archives
    written by ``numpy.savez``), a Tensor for a saved tensor, a list/tuple for a list/tuple.

    Raises
    ------
    FileNotFoundError
        No file at ``f``.
    CheckpointError
        The file is empty, truncated, corrupted (CRC), a ``.npy``, a pickle, or holds
        non-numeric arrays; the message names the path and the fault.

    Examples
    --------
    >>> import io, minigrad
    >>> buf = io.BytesIO(); minigrad.save([minigrad.ones(2)], buf); _ = buf.seek(0)
    >>> [t.tolist() for t in minigrad.load(buf)]
    [[1.0, 1.0]]
    """
    if hasattr(f, "read"):
        return _parse_checked(f, getattr(f, "name", "<file object>"))
    path = os.fspath(f)
    if not os.path.exists(path):
        raise FileNotFoundError(errno.ENOENT, "load: no such checkpoint file", path)
    if os.path.isdir(path):
        raise IsADirectoryError(errno.EISDIR, "load: the path is a directory, not a checkpoint", path)
    with open(path, "rb") as fh:  # opening errors (permissions) pass through, naming the path
        return _parse_checked(fh, path)


def _parse_checked(fh, name):
    """:func:`_parse`, with any fault of a damaged file reported as a CheckpointError naming it."""
    try:
        return _parse(fh, name)
    except CheckpointError:
        raise
    except _FAULTS as err:
        raise CheckpointError(f"load: {name} is not a minigrad .npz checkpoint: "
                              f"{type(err).__name__}: {err}") from None
