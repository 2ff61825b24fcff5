"""The object-oriented framework of *Dive into Deep Learning* 1.0 (d2l.ai, chapters 3-4), on minigrad.

d2l-en 1.0 builds every model from a few classes: a :class:`Module` (the model, its
loss, its optimiser, its plots), a :class:`DataModule` (the data loaders) and a
:class:`Trainer` (the loop), plus :func:`add_to_class` to add methods to a class one
notebook cell at a time and :class:`HyperParameters` to keep ``__init__``'s arguments.
The names, signatures and behaviour are the book's (they are facts a learner relies on);
the code is minigrad's own.

Examples
--------
>>> from minigrad import d2l
>>> class Data(d2l.DataModule):
...     def __init__(self, n=4, batch_size=2):
...         super().__init__()
...         self.save_hyperparameters()
>>> Data(batch_size=3).hparams
{'n': 4, 'batch_size': 3}
"""

from __future__ import annotations

import inspect
import os
from collections import namedtuple

import numpy as np

import minigrad as _mg
from .. import nn as _nn

__all__ = ["add_to_class", "HyperParameters", "ProgressBoard", "Module", "DataModule", "Trainer",
           "SyntheticRegressionData", "LinearRegressionScratch", "SGD", "LinearRegression", "FashionMNIST",
           "Classifier", "SoftmaxRegression", "cpu", "gpu", "num_gpus", "try_gpu", "try_all_gpus", "nn_Module"]

nn_Module = _nn.Module  # d2l's name for the framework's module class


def add_to_class(Class):
    """A decorator that adds the decorated function to ``Class`` as a method.

    The book writes a class over several cells: ``@d2l.add_to_class(Trainer)`` above a
    ``def fit_epoch(self): ...`` adds (or replaces) ``Trainer.fit_epoch``, for every
    instance, existing ones included.

    Examples
    --------
    >>> class A:
    ...     b = 1
    >>> @add_to_class(A)
    ... def twice(self):
    ...     return 2 * self.b
    >>> A().twice()
    2
    """
    def register(fn):
        setattr(Class, fn.__name__, fn)
        return fn
    return register


class HyperParameters:
    """A base class whose :meth:`save_hyperparameters` keeps ``__init__``'s arguments as attributes.

    Examples
    --------
    >>> class B(HyperParameters):
    ...     def __init__(self, a, b, c):
    ...         self.save_hyperparameters(ignore=["c"])
    >>> x = B(a=1, b=2, c=3)
    >>> x.a, x.b, hasattr(x, "c")
    (1, 2, False)
    """

    def save_hyperparameters(self, ignore=()):
        """Set ``self.<arg> = <value>`` for each argument of the calling function (except
        ``self``, names starting with ``_`` and those in ``ignore``); also kept in ``self.hparams``."""
        frame = inspect.currentframe().f_back
        try:
            code, local = frame.f_code, frame.f_locals
            names = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
            extra = [code.co_varnames[len(names) + i] for i, flag in enumerate((inspect.CO_VARARGS,
                     inspect.CO_VARKEYWORDS)) if code.co_flags & flag]
        finally:
            del frame
        skip = set(ignore) | {"self"}
        self.hparams = {k: local[k] for k in (*names, *extra) if k in local and k not in skip and not k.startswith("_")}
        for k, v in self.hparams.items():
            setattr(self, k, v)


_Point = namedtuple("Point", ["x", "y"])


class ProgressBoard(HyperParameters):
    """A figure of curves drawn point by point, averaging every ``every_n`` points.

    Where it is drawn: in Jupyter, redrawn in place after each new point (IPython's
    ``display`` then ``clear_output``); in a terminal with an interactive matplotlib
    window, that window is refreshed without blocking; headless (tests, scripts with
    the Agg backend) the figure is kept up to date silently. Set ``save_to`` (or the
    environment variable ``MINIGRAD_BOARD``) to a file name and each redraw also writes
    the figure there, to watch from any image viewer. ``display=False`` only records.

    Examples
    --------
    >>> board = ProgressBoard("x", display=False)
    >>> for x in range(6):
    ...     board.draw(x, x * x, "square", every_n=3)
    >>> board.data["square"]
    [Point(x=1.0, y=1.6666666666666667), Point(x=4.0, y=16.666666666666668)]
    """

    def __init__(self, xlabel=None, ylabel=None, xlim=None, ylim=None, xscale="linear", yscale="linear",
                 ls=("-", "--", "-.", ":"), colors=("C0", "C1", "C2", "C3"), fig=None, axes=None,
                 figsize=(3.5, 2.5), display=True, save_to=None):
        self.save_hyperparameters()
        self.raw_points, self.data = {}, {}

    def draw(self, x, y, label, every_n=1):
        """Add the point ``(x, y)`` to the curve ``label``; every ``every_n`` points, their mean
        is plotted and the figure redrawn."""
        points = self.raw_points.setdefault(label, [])
        line = self.data.setdefault(label, [])
        points.append(_Point(float(x), float(y)))
        if len(points) < max(1, int(every_n)):
            return
        line.append(_Point(sum(p.x for p in points) / len(points), sum(p.y for p in points) / len(points)))
        points.clear()
        if self.display:
            self._redraw()

    def _redraw(self):
        d2l = _mg.d2l  # the package's display helpers (read at call time: no import cycle)
        plt = d2l._pyplot()
        d2l.use_svg_display()
        if self.fig is None:
            self.fig = plt.figure(figsize=self.figsize)
        axes = self.axes if self.axes else self.fig.gca()
        axes.cla()
        lines = [axes.plot([p.x for p in v], [p.y for p in v], linestyle=ls, color=color)[0]
                 for v, ls, color in zip(self.data.values(), self.ls, self.colors)]
        if self.xlim:
            axes.set_xlim(self.xlim)
        if self.ylim:
            axes.set_ylim(self.ylim)
        axes.set_xlabel(self.xlabel if self.xlabel else "x")
        axes.set_ylabel(self.ylabel)
        axes.set_xscale(self.xscale)
        axes.set_yscale(self.yscale)
        axes.legend(lines, list(self.data))
        target = self.save_to or os.environ.get("MINIGRAD_BOARD")
        if target:
            self.fig.savefig(target)
        if d2l._in_notebook():
            display = d2l._ipython_display()
            display.display(self.fig)
            display.clear_output(wait=True)
        elif self.fig.canvas.manager is not None and plt.isinteractive():  # a window: refresh, never block
            self.fig.canvas.draw_idle()
            self.fig.canvas.flush_events()


class Module(_nn.Module, HyperParameters):
    """The base class of the book's models: the network, its loss, its optimiser and its plots.

    Subclasses set ``self.net`` (or override :meth:`forward`), :meth:`loss` and
    :meth:`configure_optimizers`; :class:`Trainer` calls :meth:`training_step` and
    :meth:`validation_step`, which plot the losses on ``self.board``.

    Examples
    --------
    >>> import minigrad
    >>> class Line(Module):
    ...     def __init__(self, lr=0.1):
    ...         super().__init__()
    ...         self.save_hyperparameters()
    ...         self.net = minigrad.nn.Linear(1, 1)
    >>> Line().lr, Line()(minigrad.zeros(3, 1)).shape
    (0.1, minigrad.Size([3, 1]))
    """

    def __init__(self, plot_train_per_epoch=2, plot_valid_per_epoch=1):
        super().__init__()
        self.save_hyperparameters()
        self.board = ProgressBoard()

    def loss(self, y_hat, y):
        """The loss of predictions ``y_hat`` against ``y`` (subclasses define it)."""
        raise NotImplementedError(f"{type(self).__name__} must define loss(y_hat, y)")

    def forward(self, X):
        """``self.net(X)``."""
        if "net" not in vars(self):
            raise NotImplementedError(f"{type(self).__name__}: set self.net in __init__ or define forward()")
        return self.net(X)

    def plot(self, key, value, train):
        """Draw ``value`` on the board as ``train_<key>`` or ``val_<key>``, at the epoch's fraction.

        Training points are averaged ``plot_train_per_epoch`` times per epoch; validation
        points once per ``1 / plot_valid_per_epoch`` of the validation batches.
        """
        if "trainer" not in vars(self):
            raise RuntimeError(f"{type(self).__name__}.plot: no Trainer yet (Trainer.fit sets model.trainer)")
        self.board.xlabel = "epoch"
        t = self.trainer
        if train:
            x = t.train_batch_idx / t.num_train_batches
            n = t.num_train_batches / self.plot_train_per_epoch
        else:
            x = t.epoch + 1
            n = t.num_val_batches / self.plot_valid_per_epoch
        value = value.detach().to(cpu()).numpy() if _mg.is_tensor(value) else value
        self.board.draw(x, value, ("train_" if train else "val_") + key, every_n=int(n))

    def training_step(self, batch):
        """The loss of one batch ``(*inputs, labels)``, plotted."""
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.plot("loss", l, train=True)
        return l

    def validation_step(self, batch):
        """Plot the loss of one validation batch."""
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.plot("loss", l, train=False)

    def configure_optimizers(self):
        """Minibatch SGD on ``self.parameters()`` with ``self.lr``."""
        return _mg.optim.SGD(self.parameters(), lr=self.lr)

    def apply_init(self, inputs, init=None):
        """Run one forward (so lazy layers get their shapes), then ``self.net.apply(init)``."""
        self.forward(*inputs)
        if init is not None:
            self.net.apply(init)


class DataModule(HyperParameters):
    """The base class of the book's data: ``train_dataloader()`` and ``val_dataloader()``.

    Subclasses define :meth:`get_dataloader` (often with :meth:`get_tensorloader`).

    Examples
    --------
    >>> DataModule().root
    '../data'
    """

    def __init__(self, root="../data", num_workers=4):
        self.save_hyperparameters()

    def get_dataloader(self, train):
        """An iterable of batches (subclasses define it)."""
        raise NotImplementedError(f"{type(self).__name__} must define get_dataloader(train)")

    def train_dataloader(self):
        """``get_dataloader(train=True)``."""
        return self.get_dataloader(train=True)

    def val_dataloader(self):
        """``get_dataloader(train=False)``."""
        return self.get_dataloader(train=False)

    def get_tensorloader(self, tensors, train, indices=slice(0, None)):
        """A DataLoader of ``self.batch_size`` over ``tensors[indices]``, shuffled when training."""
        tensors = tuple(a[indices] for a in tensors)
        dataset = _mg.utils.data.TensorDataset(*tensors)
        return _mg.utils.data.DataLoader(dataset, self.batch_size, shuffle=train)


class Trainer(HyperParameters):
    """Fit a :class:`Module` to a :class:`DataModule`: ``Trainer(max_epochs=3).fit(model, data)``.

    Each epoch: ``model.train()``, then for every training batch ``training_step``,
    ``zero_grad``, ``backward`` and ``step``; then ``model.eval()`` and
    ``validation_step`` on every validation batch, without recording a graph.
    minigrad runs on the CPU, so ``num_gpus`` is capped at ``num_gpus() == 0``.

    Examples
    --------
    >>> Trainer(max_epochs=2).gpus
    []
    """

    def __init__(self, max_epochs, num_gpus=0, gradient_clip_val=0):
        self.save_hyperparameters()
        self.gpus = [gpu(i) for i in range(min(num_gpus, _count_gpus()))]

    def prepare_data(self, data):
        """Make the loaders and count their batches."""
        self.train_dataloader = data.train_dataloader()
        self.val_dataloader = data.val_dataloader()
        self.num_train_batches = len(self.train_dataloader)
        self.num_val_batches = len(self.val_dataloader) if self.val_dataloader is not None else 0

    def prepare_model(self, model):
        """Link the model to this trainer and its board to the epochs."""
        model.trainer = self
        model.board.xlim = [0, self.max_epochs]
        self.model = model

    def prepare_batch(self, batch):
        """The batch as the model takes it (on the CPU: as it is)."""
        return batch

    def fit(self, model, data):
        """Train ``model`` on ``data`` for ``max_epochs`` epochs."""
        self.prepare_data(data)
        self.prepare_model(model)
        self.optim = model.configure_optimizers()
        self.epoch = 0
        self.train_batch_idx = 0
        self.val_batch_idx = 0
        for self.epoch in range(self.max_epochs):
            self.fit_epoch()

    def fit_epoch(self):
        """One pass over the training batches, then one over the validation batches."""
        self.model.train()
        for batch in self.train_dataloader:
            loss = self.model.training_step(self.prepare_batch(batch))
            self.optim.zero_grad()
            with _mg.no_grad():  # backward needs no recording; the update must not be recorded
                loss.backward()
                if self.gradient_clip_val > 0:
                    self.clip_gradients(self.gradient_clip_val, self.model)
                self.optim.step()
            self.train_batch_idx += 1
        if self.val_dataloader is None:
            return
        self.model.eval()
        for batch in self.val_dataloader:
            with _mg.no_grad():
                self.model.validation_step(self.prepare_batch(batch))
            self.val_batch_idx += 1

    def clip_gradients(self, grad_clip_val, model):
        """Scale all gradients down together when their joint 2-norm exceeds ``grad_clip_val``."""
        params = [p for p in model.parameters() if p.requires_grad and p.grad is not None]
        norm = float(np.sqrt(sum(float((p.grad * p.grad).sum()) for p in params)))
        if norm > grad_clip_val:
            for p in params:
                p.grad.mul_(grad_clip_val / norm)


class SyntheticRegressionData(DataModule):
    """``y = X w + b + noise`` with ``X ~ N(0, 1)`` and noise ``~ N(0, noise^2)``: the first
    ``num_train`` rows for training, the next ``num_val`` for validation.

    Examples
    --------
    >>> import minigrad
    >>> data = SyntheticRegressionData(w=minigrad.tensor([2, -3.4]), b=4.2, num_train=10, num_val=5)
    >>> data.X.shape, data.y.shape, len(data.train_dataloader())
    (minigrad.Size([15, 2]), minigrad.Size([15, 1]), 1)
    """

    def __init__(self, w, b, noise=0.01, num_train=1000, num_val=1000, batch_size=32):
        super().__init__()
        self.save_hyperparameters()
        n = num_train + num_val
        self.X = _mg.randn(n, len(w))
        noise = _mg.randn(n, 1) * noise
        self.y = _mg.matmul(self.X, w.reshape((-1, 1))) + b + noise

    def get_dataloader(self, train):
        """Batches of the training rows (shuffled) or of the validation rows."""
        i = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, i)


class LinearRegressionScratch(Module):
    """Linear regression with its own weights ``w`` (N(0, sigma^2)) and bias ``b`` (0).

    Examples
    --------
    >>> import minigrad
    >>> model = LinearRegressionScratch(2, lr=0.03)
    >>> model(minigrad.ones(4, 2)).shape, float(model.loss(minigrad.ones(1), minigrad.zeros(1)))
    (minigrad.Size([4, 1]), 0.5)
    """

    def __init__(self, num_inputs, lr, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.w = _mg.normal(0, sigma, (num_inputs, 1), requires_grad=True)
        self.b = _mg.zeros(1, requires_grad=True)

    def forward(self, X):
        """``X w + b``."""
        return _mg.matmul(X, self.w) + self.b

    def loss(self, y_hat, y):
        """Half the squared error, averaged over the batch."""
        l = (y_hat - y) ** 2 / 2
        return l.mean()

    def configure_optimizers(self):
        """This section's own :class:`SGD` on ``[w, b]``."""
        return SGD([self.w, self.b], self.lr)


class SGD(HyperParameters):
    """Minibatch SGD written out: ``param -= lr * param.grad`` (the loss is already a mean).

    Examples
    --------
    >>> import minigrad
    >>> w = minigrad.ones(2, requires_grad=True)
    >>> (w * w).sum().backward()
    >>> opt = SGD([w], lr=0.1)
    >>> with minigrad.no_grad():
    ...     opt.step()
    >>> w.tolist()
    [0.800000011920929, 0.800000011920929]
    """

    def __init__(self, params, lr):
        self.save_hyperparameters()

    def step(self):
        """One update of every parameter (call it under ``no_grad``, as the Trainer does)."""
        for param in self.params:
            param -= self.lr * param.grad

    def zero_grad(self):
        """Reset the gradients to zero."""
        for param in self.params:
            if param.grad is not None:
                param.grad.zero_()


class LinearRegression(Module):
    """Linear regression from the library: ``nn.LazyLinear(1)``, ``nn.MSELoss``, ``optim.SGD``.

    As in the book (and PyTorch), the ``normal_``/``fill_`` written through ``.data``
    before the first forward fall on a lazy layer's empty tensor: the layer is then
    initialised at its first batch as ``nn.Linear`` is.

    Examples
    --------
    >>> import minigrad
    >>> model = LinearRegression(lr=0.03)
    >>> model(minigrad.ones(4, 2)).shape, [tuple(t.shape) for t in model.get_w_b()]
    (minigrad.Size([4, 1]), [(1, 2), (1,)])
    """

    def __init__(self, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = _nn.LazyLinear(1)
        self.net.weight.data.normal_(0, 0.01)
        self.net.bias.data.fill_(0)

    def forward(self, X):
        """``self.net(X)``."""
        return self.net(X)

    def loss(self, y_hat, y):
        """Mean squared error."""
        return _nn.MSELoss()(y_hat, y)

    def configure_optimizers(self):
        """``optim.SGD`` on the layer's parameters."""
        return _mg.optim.SGD(self.parameters(), self.lr)

    def get_w_b(self):
        """The layer's weight and bias (``.data``: outside the graph)."""
        return self.net.weight.data, self.net.bias.data


_TEXT_LABELS = ("t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
                "ankle boot")


class FashionMNIST(DataModule):
    """Fashion-MNIST from ``root`` (``../data``), resized, as tensors in [0, 1].

    The files are read in torchvision's layout (``root/FashionMNIST/raw``); see
    :mod:`minigrad.vision.datasets` for where else they are looked for and how they are
    downloaded.
    """

    def __init__(self, batch_size=64, resize=(28, 28)):
        super().__init__()
        self.save_hyperparameters()
        from ..vision import datasets, transforms

        trans = transforms.Compose([transforms.Resize(resize), transforms.ToTensor()])
        self.train = datasets.FashionMNIST(root=self.root, train=True, transform=trans, download=True)
        self.val = datasets.FashionMNIST(root=self.root, train=False, transform=trans, download=True)

    def text_labels(self, indices):
        """The names of the classes ``indices``.

        Examples
        --------
        >>> FashionMNIST.text_labels(None, [0, 9])
        ['t-shirt', 'ankle boot']
        """
        return [_TEXT_LABELS[int(i)] for i in indices]

    def get_dataloader(self, train):
        """Batches of ``batch_size``, shuffled when training."""
        data = self.train if train else self.val
        return _mg.utils.data.DataLoader(data, self.batch_size, shuffle=train, num_workers=self.num_workers)

    def visualize(self, batch, nrows=1, ncols=8, labels=()):
        """Show the images of ``batch`` with their class names as titles."""
        X, y = batch
        if not labels:
            labels = self.text_labels(y)
        _mg.d2l.show_images(X.squeeze(1), nrows, ncols, titles=labels)


class Classifier(Module):
    """A :class:`Module` for classification: cross-entropy loss, and accuracy on the board.

    Examples
    --------
    >>> import minigrad
    >>> Y_hat = minigrad.tensor([[0.1, 0.9], [0.8, 0.2]])
    >>> float(Classifier.accuracy(None, Y_hat, minigrad.tensor([1, 1])))
    0.5
    """

    def validation_step(self, batch):
        """Plot the loss and the accuracy of one validation batch."""
        Y_hat = self(*batch[:-1])
        self.plot("loss", self.loss(Y_hat, batch[-1]), train=False)
        self.plot("acc", self.accuracy(Y_hat, batch[-1]), train=False)

    def accuracy(self, Y_hat, Y, averaged=True):
        """The fraction (or, ``averaged=False``, the 0/1 list) of correct predictions."""
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
        preds = Y_hat.argmax(dim=1).type(Y.dtype)
        compare = (preds == Y.reshape(-1)).type(_mg.float32)
        return compare.mean() if averaged else compare

    def loss(self, Y_hat, Y, averaged=True):
        """Cross-entropy of logits ``Y_hat`` against class indices ``Y``."""
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
        Y = Y.reshape((-1,))
        return _mg.functional.cross_entropy(Y_hat, Y, reduction="mean" if averaged else "none")

    def layer_summary(self, X_shape):
        """Print each layer's output shape for an input of ``X_shape``."""
        X = _mg.randn(*X_shape)
        for layer in self.net:
            X = layer(X)
            print(layer.__class__.__name__, "output shape:\t", X.shape)


class SoftmaxRegression(Classifier):
    """Softmax regression from the library: ``Flatten`` then ``LazyLinear(num_outputs)``.

    Examples
    --------
    >>> import minigrad
    >>> SoftmaxRegression(10, lr=0.1)(minigrad.zeros(2, 1, 28, 28)).shape
    minigrad.Size([2, 10])
    """

    def __init__(self, num_outputs, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = _nn.Sequential(_nn.Flatten(), _nn.LazyLinear(num_outputs))

    def forward(self, X):
        """``self.net(X)``: logits."""
        return self.net(X)


# ---------------------------------------------------------------------- devices (CPU only)


def cpu():
    """The CPU, where minigrad computes.

    Examples
    --------
    >>> cpu()
    device(type='cpu')
    """
    return _mg.device("cpu")


def gpu(i=0):
    """Raise: minigrad runs on the CPU only (``num_gpus()`` is 0; ``try_gpu()`` gives the CPU).

    Examples
    --------
    >>> gpu()
    Traceback (most recent call last):
    ...
    RuntimeError: d2l.gpu(0): minigrad runs on the CPU only (d2l.num_gpus() is 0); use d2l.try_gpu(), which gives d2l.cpu()
    """
    raise RuntimeError(f"d2l.gpu({i}): minigrad runs on the CPU only (d2l.num_gpus() is 0); "
                       "use d2l.try_gpu(), which gives d2l.cpu()")


def num_gpus():
    """0: minigrad has no GPU (``minigrad.cuda.device_count()``).

    Examples
    --------
    >>> num_gpus()
    0
    """
    return _mg.cuda.device_count()


_count_gpus = num_gpus  # (Trainer's argument num_gpus hides the function)


def try_gpu(i=0):
    """GPU ``i`` if there is one, else the CPU: always the CPU here.

    Examples
    --------
    >>> try_gpu()
    device(type='cpu')
    """
    return gpu(i) if num_gpus() >= i + 1 else cpu()


def try_all_gpus():
    """Every GPU, or ``[cpu()]`` when there is none: ``[cpu()]`` here.

    Examples
    --------
    >>> try_all_gpus()
    [device(type='cpu')]
    """
    return [gpu(i) for i in range(num_gpus())] or [cpu()]
