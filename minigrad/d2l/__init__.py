"""The helpers of *Dive into Deep Learning*'s ``d2l.torch``, on minigrad, for both editions.

``from minigrad import d2l`` stands for ``from d2l import torch as d2l``: the names and
signatures are the book's (an interface is a fact), the code is minigrad's own. The
classic helpers of d2l-zh (chapters 2 to 4) are in this file; d2l.ai 1.0's
object-oriented framework (``Module``, ``Trainer``, ``DataModule``, ``add_to_class``,
``ProgressBoard``, ...) is in :mod:`minigrad.d2l.framework` and re-exported here. What
is in this file: the plotting helpers (``use_svg_display``, ``set_figsize``, ``set_axes``,
``plot``, ``plt``, ``show_images``, ``Animator``), ``Timer``, the linear-regression
pieces (``synthetic_data``, ``linreg``, ``squared_loss``, ``sgd``, ``load_array``),
Fashion-MNIST (``get_fashion_mnist_labels``, ``get_dataloader_workers``,
``load_data_fashion_mnist``), the softmax-regression loop (``accuracy``,
``evaluate_accuracy``, ``Accumulator``, ``train_epoch_ch3``, ``train_ch3``,
``predict_ch3``, ``evaluate_loss``) and the framework aliases the book's shared
cells call (``d2l.tensor``, ``d2l.reduce_sum``, ``d2l.reshape``, ``d2l.argmax``, ...).

matplotlib and IPython are optional: they are imported on first use, and a missing
one is named in the error. In a terminal or headless, ``Animator`` updates its figure
silently; in Jupyter it redraws live.

Examples
--------
>>> from minigrad import d2l
>>> X = d2l.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
>>> d2l.reduce_sum(X, 1, keepdim=True).tolist()
[[6.0], [15.0]]
>>> d2l.accuracy(d2l.tensor([[0.1, 0.9], [0.8, 0.2]]), d2l.tensor([1, 1]))  # a count
1.0
"""

from __future__ import annotations

import sys
import time

import numpy as np

import minigrad as _mg
from .. import nn as _nn
from .. import optim as _optim

__all__ = [
    "use_svg_display", "set_figsize", "set_axes", "plot", "plt", "Timer", "synthetic_data", "linreg",
    "squared_loss", "sgd", "load_array", "get_fashion_mnist_labels", "show_images",
    "get_dataloader_workers", "load_data_fashion_mnist", "accuracy", "evaluate_accuracy", "Accumulator",
    "train_epoch_ch3", "Animator", "train_ch3", "predict_ch3", "evaluate_loss",
    # framework aliases of the shared cells
    "ones", "zeros", "tensor", "arange", "linspace", "exp", "log", "tanh", "abs", "normal", "rand",
    "randn", "matmul", "int32", "float32", "concat", "stack", "eye", "numpy", "size", "reshape", "to",
    "reduce_sum", "reduce_mean", "argmax", "astype", "transpose",
]

# ----------------------------------------------------------------- optional dependencies


def _pyplot():
    try:
        from matplotlib import pyplot
    except ImportError:
        raise ImportError("minigrad.d2l: plotting needs matplotlib; install it with "
                          "pip install 'minigrad[examples]' (or pip install matplotlib)") from None
    return pyplot


def _in_notebook() -> bool:
    """True inside a Jupyter kernel (where figures can be displayed inline)."""
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    ip = shell.get_ipython()
    return ip is not None and "IPKernelApp" in getattr(ip, "config", {})


def _ipython_display():
    try:
        from IPython import display
    except ImportError:
        raise ImportError("minigrad.d2l: live plots in Jupyter need IPython (pip install ipython)") from None
    return display


# A module-level __getattr__ gives ``d2l.plt`` without importing matplotlib at import.
_ALIASES = {  # d2l name -> minigrad name (d2l.concat is torch.cat)
    "ones": "ones", "zeros": "zeros", "tensor": "tensor", "arange": "arange", "linspace": "linspace",
    "exp": "exp", "log": "log", "tanh": "tanh", "abs": "abs", "normal": "normal", "rand": "rand",
    "randn": "randn", "matmul": "matmul", "int32": "int32", "float32": "float32", "concat": "cat",
    "stack": "stack", "eye": "eye", "sin": "sin", "cos": "cos", "sinh": "sinh", "cosh": "cosh",
    "meshgrid": "meshgrid",
}


def __getattr__(name):
    if name == "plt":
        return _pyplot()
    if name in _ALIASES:
        target = _ALIASES[name]
        try:
            return getattr(_mg, target)
        except AttributeError:
            raise AttributeError(f"d2l.{name} stands for torch.{target}, which minigrad does not have "
                                 f"(chapter 3 does not use it)") from None
    raise AttributeError(f"module 'minigrad.d2l' has no attribute {name!r} (it has the helpers of the "
                         f"book's chapters 2 to 4: chapter-3 helpers of d2l-zh and the 1.0 framework of d2l.ai)")


def __dir__():
    return sorted(set(globals()) | {"plt"} | set(_ALIASES))


# --------------------------------------------------------------- framework aliases (d2l's
# one-liners that let the shared cells name an operation the same way in every framework)


def numpy(x, *args, **kwargs):
    """The ndarray of a Tensor, detached first (``d2l.numpy``).

    Examples
    --------
    >>> numpy(_mg.tensor([1.0, 2.0], requires_grad=True))
    array([1., 2.], dtype=float32)
    """
    return x.detach().numpy(*args, **kwargs)


def size(x, *args, **kwargs):
    """The number of elements (``d2l.size`` is ``x.numel()``).

    Examples
    --------
    >>> size(_mg.zeros(2, 3))
    6
    """
    return x.numel(*args, **kwargs)


def reshape(x, *args, **kwargs):
    """``x.reshape(shape)``.

    Examples
    --------
    >>> reshape(_mg.arange(6), (2, 3)).shape
    minigrad.Size([2, 3])
    """
    return x.reshape(*args, **kwargs)


def to(x, *args, **kwargs):
    """``x.to(...)`` (a dtype; minigrad has no devices).

    Examples
    --------
    >>> to(_mg.tensor([1, 2]), _mg.float32).dtype
    dtype('float32')
    """
    return x.to(*args, **kwargs)


def _dim_kwargs(kwargs):
    # d2l's shared cells write NumPy's ``axis=`` (d2l.argmax(y_hat, axis=1)); PyTorch
    # takes it as an alias of ``dim``, so translate it here.
    if "axis" in kwargs:
        if "dim" in kwargs:
            raise TypeError("give dim or axis, not both")
        kwargs["dim"] = kwargs.pop("axis")
    return kwargs


def reduce_sum(x, *args, **kwargs):
    """``x.sum(...)`` (``dim``/``axis``, ``keepdim``).

    Examples
    --------
    >>> reduce_sum(_mg.tensor([[1.0, 2.0], [3.0, 4.0]]), 0).tolist()
    [4.0, 6.0]
    """
    return x.sum(*args, **_dim_kwargs(kwargs))


def reduce_mean(x, *args, **kwargs):
    """``x.mean(...)``.

    Examples
    --------
    >>> float(reduce_mean(_mg.tensor([1.0, 3.0])))
    2.0
    """
    return x.mean(*args, **_dim_kwargs(kwargs))


def argmax(x, *args, **kwargs):
    """``x.argmax(...)``; ``axis=`` is accepted for ``dim=`` as in the book.

    Examples
    --------
    >>> argmax(_mg.tensor([[0.1, 0.9], [0.7, 0.3]]), axis=1).tolist()
    [1, 0]
    """
    return x.argmax(*args, **_dim_kwargs(kwargs))


def astype(x, *args, **kwargs):
    """``x.type(dtype)`` (d2l's name for a cast).

    Examples
    --------
    >>> astype(_mg.tensor([True, False]), _mg.int64).tolist()
    [1, 0]
    """
    return x.type(*args, **kwargs)


def transpose(x, *args, **kwargs):
    """``x.t()``: the transpose of a matrix.

    Examples
    --------
    >>> transpose(_mg.zeros(2, 3)).shape
    minigrad.Size([3, 2])
    """
    return x.t(*args, **kwargs)


# --------------------------------------------------------------------------- plotting


def use_svg_display():
    """Show matplotlib figures as SVG in Jupyter; does nothing elsewhere.

    Examples
    --------
    >>> use_svg_display()   # in a terminal: no effect, no error
    """
    if not _in_notebook():
        return
    try:
        from matplotlib_inline import backend_inline
    except ImportError:
        raise ImportError("minigrad.d2l.use_svg_display needs matplotlib-inline "
                          "(pip install matplotlib-inline); it comes with ipykernel") from None
    backend_inline.set_matplotlib_formats("svg")


def set_figsize(figsize=(3.5, 2.5)):
    """Set the default size of new matplotlib figures (inches).

    Examples
    --------
    >>> from minigrad.d2l import plt     # matplotlib.pyplot, imported on first use
    >>> set_figsize((4, 3))
    >>> tuple(plt.rcParams["figure.figsize"])
    (4.0, 3.0)
    >>> set_figsize()
    """
    use_svg_display()
    _pyplot().rcParams["figure.figsize"] = figsize


def set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend):
    """Label, limit, scale and grid one matplotlib ``Axes``; add a legend if given.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> set_axes(ax, "x", "y", [0, 1], None, "linear", "log", None)
    >>> ax.get_xlabel(), ax.get_yscale()
    ('x', 'log')
    """
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_xscale(xscale)
    axes.set_yscale(yscale)
    axes.set_xlim(xlim)
    axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid()


def _as_plottable(x):
    # Tensors (even ones that require grad) become arrays; lists of them stay lists.
    if isinstance(x, _mg.Tensor):
        return x.detach().numpy()
    return x


def _one_series(x) -> bool:
    if hasattr(x, "ndim"):
        return x.ndim == 1
    return isinstance(x, list) and len(x) > 0 and not hasattr(x[0], "__len__")


def plot(X, Y=None, xlabel=None, ylabel=None, legend=None, xlim=None,
         ylim=None, xscale="linear", yscale="linear",
         fmts=("-", "m--", "g-.", "r:"), figsize=(3.5, 2.5), axes=None):
    """Plot one or more curves on ``axes`` (default: the current axes).

    ``X`` and ``Y`` may each be one series or a list of series; with ``Y`` omitted, ``X``
    holds the y values and x runs 0, 1, ...; one x series is shared by several y series.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> plot([0, 1, 2], [[0, 1, 4], [0, 1, 8]], legend=["x^2", "x^3"], axes=ax)
    >>> len(ax.lines)
    2
    """
    legend = [] if legend is None else legend
    set_figsize(figsize)
    axes = axes if axes else _pyplot().gca()
    X = _as_plottable(X)
    Y = _as_plottable(Y)
    if _one_series(X):
        X = [X]
    if Y is None:
        X, Y = [[]] * len(X), X
    elif _one_series(Y):
        Y = [Y]
    if len(X) != len(Y):
        X = X * len(Y)
    axes.cla()
    for x, y, fmt in zip(X, Y, fmts):
        x, y = _as_plottable(x), _as_plottable(y)
        if len(x):
            axes.plot(x, y, fmt)
        else:
            axes.plot(y, fmt)
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend)


def show_images(imgs, num_rows, num_cols, titles=None, scale=1.5):
    """Show images in a grid of ``num_rows`` x ``num_cols``; return the flat array of axes.

    ``imgs``: Tensors or arrays (H x W, or anything ``imshow`` takes), e.g. a batch
    reshaped to (n, 28, 28).

    Examples
    --------
    >>> from minigrad.d2l import plt
    >>> axes = show_images(_mg.zeros(2, 28, 28), 1, 2, titles=["a", "b"])
    >>> [ax.get_title() for ax in axes]
    ['a', 'b']
    >>> plt.close("all")
    """
    plt = _pyplot()
    _, axes = plt.subplots(num_rows, num_cols, figsize=(num_cols * scale, num_rows * scale), squeeze=False)
    axes = axes.flatten()
    for i, (ax, img) in enumerate(zip(axes, imgs)):
        ax.imshow(img.detach().numpy() if _mg.is_tensor(img) else img)
        ax.axes.get_xaxis().set_visible(False)
        ax.axes.get_yaxis().set_visible(False)
        if titles:
            ax.set_title(titles[i])
    return axes


class Animator:
    """A figure of curves that grows point by point while a model trains.

    In Jupyter the figure is redrawn in place after each :meth:`add` (through
    ``IPython.display``); in a terminal or headless nothing is printed or shown, the
    figure (``self.fig``) and the points (``self.X``, ``self.Y``) are just kept up to date.

    Parameters
    ----------
    xlabel, ylabel : str, optional
    legend : list of str, optional
    xlim, ylim : pair, optional
    xscale, yscale : str
    fmts : tuple of str
        matplotlib formats, one per curve.
    nrows, ncols : int
        Subplots (curves go to the first).
    figsize : pair of float

    Examples
    --------
    >>> from minigrad.d2l import plt
    >>> a = Animator(xlabel="epoch", legend=["loss"])
    >>> a.add(1, 0.5); a.add(2, 0.25); a.Y
    [[0.5, 0.25]]
    >>> plt.close("all")
    """

    def __init__(self, xlabel=None, ylabel=None, legend=None, xlim=None,
                 ylim=None, xscale="linear", yscale="linear",
                 fmts=("-", "m--", "g-.", "r:"), nrows=1, ncols=1,
                 figsize=(3.5, 2.5)):
        legend = [] if legend is None else legend
        use_svg_display()
        self.fig, axes = _pyplot().subplots(nrows, ncols, figsize=figsize, squeeze=False)
        self.axes = list(axes.flatten())

        def config_axes():
            set_axes(self.axes[0], xlabel, ylabel, xlim, ylim, xscale, yscale, legend)

        self.config_axes = config_axes
        self.X, self.Y, self.fmts = None, None, fmts
        self._live = _in_notebook()

    def add(self, x, y):
        """Append one point to each curve: ``y`` a number or one number per curve."""
        if not hasattr(y, "__len__"):
            y = [y]
        n = len(y)
        if not hasattr(x, "__len__"):
            x = [x] * n
        if not self.X:
            self.X = [[] for _ in range(n)]
        if not self.Y:
            self.Y = [[] for _ in range(n)]
        for i, (a, b) in enumerate(zip(x, y)):
            if a is not None and b is not None:
                self.X[i].append(float(a))
                self.Y[i].append(float(b))
        ax = self.axes[0]
        ax.cla()
        for xs, ys, fmt in zip(self.X, self.Y, self.fmts):
            ax.plot(xs, ys, fmt)
        self.config_axes()
        if self._live:
            display = _ipython_display()
            display.display(self.fig)
            display.clear_output(wait=True)


# ------------------------------------------------------------------------------ timing


class Timer:
    """Record the durations of several runs (seconds, wall clock).

    Examples
    --------
    >>> t = Timer(); _ = sum(range(1000)); dt = t.stop()
    >>> dt >= 0 and len(t.times) == 1 and t.sum() == t.avg() == t.cumsum()[-1]
    True
    """

    def __init__(self):
        self.times = []
        self.start()

    def start(self):
        """Start (or restart) the clock."""
        self.tik = time.perf_counter()

    def stop(self):
        """Stop the clock, record the duration and return it."""
        self.times.append(time.perf_counter() - self.tik)
        return self.times[-1]

    def avg(self):
        """Mean recorded duration."""
        return sum(self.times) / len(self.times)

    def sum(self):
        """Total recorded duration."""
        return sum(self.times)

    def cumsum(self):
        """Running totals of the recorded durations, as a list."""
        return np.cumsum(self.times).tolist()


# ------------------------------------------------------------------- linear regression


def synthetic_data(w, b, num_examples):
    """Examples of ``y = X w + b + noise``: X ~ N(0, 1), noise ~ N(0, 0.01^2).

    Drawn from minigrad's one generator, so ``torch.manual_seed`` makes them repeatable.

    Returns
    -------
    X : Tensor (num_examples, len(w))
    y : Tensor (num_examples, 1)

    Examples
    --------
    >>> features, labels = synthetic_data(_mg.tensor([2, -3.4]), 4.2, 5)
    >>> features.shape, labels.shape
    (minigrad.Size([5, 2]), minigrad.Size([5, 1]))
    """
    w = w if _mg.is_tensor(w) else _mg.tensor(w)  # the book passes a tensor; a list is fine too
    X = _mg.normal(0, 1, (num_examples, len(w)))
    y = _mg.matmul(X, w) + b
    y += _mg.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


def linreg(X, w, b):
    """The linear model ``X w + b``.

    Examples
    --------
    >>> linreg(_mg.ones(2, 2), _mg.tensor([[1.0], [2.0]]), 0.5).tolist()
    [[3.5], [3.5]]
    """
    return _mg.matmul(X, w) + b


def squared_loss(y_hat, y):
    """Half the squared error, element by element (not reduced).

    ``y`` is reshaped to ``y_hat``'s shape first, so (n,) labels meet (n, 1) predictions.

    Examples
    --------
    >>> squared_loss(_mg.tensor([[1.0], [3.0]]), _mg.tensor([0.0, 1.0])).tolist()
    [[0.5], [2.0]]
    """
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """One step of minibatch SGD in place: ``p -= lr * p.grad / batch_size``; grads zeroed.

    For a loss *summed* over the minibatch (hence the division).

    Examples
    --------
    >>> w = _mg.tensor([1.0], requires_grad=True)
    >>> (3 * w).sum().backward(); sgd([w], 0.1, 1)
    >>> round(w.item(), 4), w.grad.tolist()
    (0.7, [0.0])
    """
    with _mg.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def load_array(data_arrays, batch_size, is_train=True):
    """A ``DataLoader`` over ``TensorDataset(*data_arrays)``, shuffled when ``is_train``.

    Examples
    --------
    >>> it = load_array((_mg.zeros(5, 2), _mg.ones(5)), 2, is_train=False)
    >>> [len(y) for _, y in it]
    [2, 2, 1]
    """
    from ..utils import data

    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)


# ------------------------------------------------------------------------ Fashion-MNIST


def get_fashion_mnist_labels(labels):
    """The text labels of Fashion-MNIST class indices (a Tensor or any iterable of ints).

    Examples
    --------
    >>> get_fashion_mnist_labels(_mg.tensor([0, 9]))
    ['t-shirt', 'ankle boot']
    """
    from ..datasets import FASHION_CLASSES

    return [FASHION_CLASSES[int(i)] for i in labels]


def get_dataloader_workers():
    """The ``num_workers`` the book passes to its loaders: 4.

    minigrad's ``DataLoader`` accepts it and loads in the main process anyway.

    Examples
    --------
    >>> get_dataloader_workers()
    4
    """
    return 4


def load_data_fashion_mnist(batch_size, resize=None):
    """Fashion-MNIST train and test loaders of (N, 1, H, W) float32 images and int64 labels.

    Looks in ``../data`` as the book (torchvision's layout ``../data/FashionMNIST/raw``),
    then where :mod:`minigrad.datasets` looks, and downloads when found nowhere.

    Parameters
    ----------
    batch_size : int
    resize : int or (int, int), optional
        Resize the 28 x 28 images (bilinear) before ``ToTensor``.

    Returns
    -------
    (DataLoader, DataLoader)
        Shuffled train loader, ordered test loader.

    Examples
    --------
    >>> train_iter, test_iter = load_data_fashion_mnist(256)   # doctest: +SKIP
    """
    from ..utils import data
    from ..vision import datasets, transforms

    trans = [transforms.ToTensor()]
    if resize:
        trans.insert(0, transforms.Resize(resize))
    trans = transforms.Compose(trans)
    train = datasets.FashionMNIST(root="../data", train=True, transform=trans, download=True)
    test = datasets.FashionMNIST(root="../data", train=False, transform=trans, download=True)
    workers = get_dataloader_workers()
    return (data.DataLoader(train, batch_size, shuffle=True, num_workers=workers),
            data.DataLoader(test, batch_size, shuffle=False, num_workers=workers))


# ------------------------------------------------------------------ softmax regression


def accuracy(y_hat, y):
    """The NUMBER of correct predictions (a float count, as d2l's ``accuracy``).

    Divide by ``len(y)`` for a fraction. (``minigrad.metrics.accuracy`` returns the
    fraction directly; this one is a count so that batches can be summed.)

    Parameters
    ----------
    y_hat : Tensor (n, q) of scores, or (n,) of predicted classes
    y : Tensor (n,) of classes

    Examples
    --------
    >>> y_hat = _mg.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    >>> accuracy(y_hat, _mg.tensor([0, 2]))
    1.0
    """
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(dim=1)
    correct = y_hat.type(y.dtype) == y
    return float(correct.type(y.dtype).sum())


def evaluate_accuracy(net, data_iter):
    """The fraction of correct predictions of ``net`` over all of ``data_iter``.

    An ``nn.Module`` is put in eval mode first (and left there, as the book's).

    Examples
    --------
    >>> net = lambda X: _mg.tensor([[0.0, 1.0]] * len(X))
    >>> evaluate_accuracy(net, [(_mg.zeros(4, 1), _mg.tensor([1, 1, 0, 1]))])
    0.75
    """
    if isinstance(net, _nn.Module):
        net.eval()
    metric = Accumulator(2)  # correct predictions, predictions
    with _mg.no_grad():
        for X, y in data_iter:
            metric.add(accuracy(net(X), y), size(y))
    return metric[0] / metric[1]


class Accumulator:
    """Running sums of ``n`` numbers.

    Examples
    --------
    >>> m = Accumulator(2); m.add(1, 2); m.add(3, _mg.tensor(4.0))
    >>> m[0], m[1]
    (4.0, 6.0)
    >>> m.reset(); m.data
    [0.0, 0.0]
    """

    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        """Add one number to each sum (Tensors of one element are converted)."""
        if len(args) != len(self.data):
            raise ValueError(f"Accumulator of {len(self.data)} sums given {len(args)} numbers")
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self):
        """Set every sum back to zero."""
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]


def train_epoch_ch3(net, train_iter, loss, updater):
    """One pass over ``train_iter``; returns (mean training loss, training accuracy).

    ``loss`` must return one loss per example (``reduction='none'``). ``updater`` is an
    ``optim.Optimizer`` (then the *mean* loss is differentiated) or a function of the
    batch size (then the *summed* loss is, as ``sgd`` expects).

    Examples
    --------
    >>> from minigrad import nn, optim
    >>> net = nn.Linear(2, 2)
    >>> batches = [(_mg.tensor([[1.0, 0.0], [0.0, 1.0]]), _mg.tensor([0, 1]))]
    >>> trainer = optim.SGD(net.parameters(), lr=0.1)
    >>> mean_loss, acc = train_epoch_ch3(net, batches, nn.CrossEntropyLoss(reduction="none"), trainer)
    >>> mean_loss > 0 and 0 <= acc <= 1
    True
    """
    if isinstance(net, _nn.Module):
        net.train()
    metric = Accumulator(3)  # summed loss, correct predictions, examples
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)
        if isinstance(updater, _optim.Optimizer):
            updater.zero_grad()
            l.mean().backward()
            updater.step()
        else:
            l.sum().backward()
            updater(X.shape[0])
        with _mg.no_grad():
            metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    return metric[0] / metric[2], metric[1] / metric[2]


def train_ch3(net, train_iter, test_iter, loss, num_epochs, updater):
    """Train for ``num_epochs``, plotting train loss, train and test accuracy each epoch.

    As the book's, it ends by checking that training worked (train loss < 0.5, train
    and test accuracy above 0.7) and raises ``AssertionError`` otherwise. The curves
    stay in ``train_ch3.animator`` (a minigrad addition, for reading them afterwards).

    Examples
    --------
    >>> train_ch3(net, train_iter, test_iter, loss, 10, trainer)   # doctest: +SKIP
    """
    animator = Animator(xlabel="epoch", xlim=[1, num_epochs], ylim=[0.3, 0.9],
                        legend=["train loss", "train acc", "test acc"])
    train_ch3.animator = animator
    for epoch in range(num_epochs):
        train_metrics = train_epoch_ch3(net, train_iter, loss, updater)
        test_acc = evaluate_accuracy(net, test_iter)
        animator.add(epoch + 1, train_metrics + (test_acc,))
    train_loss, train_acc = train_metrics
    assert train_loss < 0.5, f"train_ch3: final training loss {train_loss:.4f} is not below 0.5"
    assert 0.7 < train_acc <= 1, f"train_ch3: final training accuracy {train_acc:.4f} is not above 0.7"
    assert 0.7 < test_acc <= 1, f"train_ch3: final test accuracy {test_acc:.4f} is not above 0.7"


def predict_ch3(net, test_iter, n=6):
    """Show the first ``n`` images of the first test batch titled true / predicted label.

    Examples
    --------
    >>> predict_ch3(net, test_iter)                        # doctest: +SKIP
    """
    for X, y in test_iter:
        break
    trues = get_fashion_mnist_labels(y)
    with _mg.no_grad():
        preds = get_fashion_mnist_labels(argmax(net(X), axis=1))
    titles = [true + "\n" + pred for true, pred in zip(trues, preds)]
    show_images(reshape(X[0:n], (n, 28, 28)), 1, n, titles=titles[0:n])


def evaluate_loss(net, data_iter, loss):
    """The mean of ``loss`` over all examples of ``data_iter`` (loss per example).

    Examples
    --------
    >>> net = lambda X: X
    >>> evaluate_loss(net, [(_mg.tensor([[1.0], [3.0]]), _mg.tensor([0.0, 1.0]))], squared_loss)
    1.25
    """
    metric = Accumulator(2)  # summed loss, number of losses
    with _mg.no_grad():
        for X, y in data_iter:
            out = net(X)
            y = reshape(y, out.shape)
            l = loss(out, y)
            metric.add(reduce_sum(l), size(l))
    return metric[0] / metric[1]


# ------------------------------------------------------------ d2l.ai 1.0's framework (issue 21)
from .framework import *  # noqa: E402,F401,F403  (Module, Trainer, DataModule, add_to_class, ...)
from .framework import __all__ as _framework_names  # noqa: E402

__all__ += _framework_names
