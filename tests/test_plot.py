"""Live training curves: in Jupyter a PNG sent through IPython's display and updated in place
(no ``%matplotlib inline`` needed); in a terminal no display at all, only the table.

IPython's display is faked here (a module in ``sys.modules``), so this runs without Jupyter;
tests/test_notebooks.py runs the real thing in a kernel."""

import io
import sys
import types

import numpy as np
import pytest

pytest.importorskip("matplotlib")
from minigrad import plot  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


class FakeHandle:
    def __init__(self, log):
        self.log = log

    def update(self, obj, **kwargs):
        self.log.append(("update", obj, kwargs))


def fake_ipython(monkeypatch, shell):
    """Install a fake ``IPython`` whose ``get_ipython()`` is ``shell`` and whose display records calls."""
    log = []

    def display(obj, **kwargs):
        log.append(("display", obj, kwargs))
        return FakeHandle(log) if kwargs.get("display_id") else None

    ipython = types.ModuleType("IPython")
    ipython.get_ipython = lambda: shell
    ipython.version_info = (9, 0, 0, "")  # matplotlib reads it when it makes a canvas
    ipython_display = types.ModuleType("IPython.display")
    ipython_display.display = display
    ipython.display = ipython_display
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "IPython.display", ipython_display)
    return log


class KernelShell:  # what ipykernel's shell looks like to us
    config = {"IPKernelApp": {"connection_file": "kernel.json"}}


class TerminalShell:  # terminal IPython: no kernel
    config = {"TerminalIPythonApp": {}}


def decoded(png: bytes) -> np.ndarray:
    import matplotlib.image

    return matplotlib.image.imread(io.BytesIO(png), format="png")


def test_in_notebook_only_inside_a_kernel(monkeypatch):
    fake_ipython(monkeypatch, KernelShell())
    assert plot._in_notebook() is True
    fake_ipython(monkeypatch, TerminalShell())
    assert plot._in_notebook() is False
    fake_ipython(monkeypatch, None)
    assert plot._in_notebook() is False
    monkeypatch.delitem(sys.modules, "IPython")
    assert plot._in_notebook() is False


def test_live_curves_send_a_png_and_update_it_in_place(monkeypatch, capsys):
    log = fake_ipython(monkeypatch, KernelShell())
    curves = plot.TrainingCurves(["loss", "acc"])
    assert curves.live and curves.echo is None  # in Jupyter: live plot, no table rows
    curves.add(1, loss=0.9, acc=0.5)
    curves.add(2, loss=0.4, acc=0.8)
    curves.add(3, loss=0.2, acc=0.9)
    assert capsys.readouterr().out == ""
    assert [entry[0] for entry in log] == ["display", "update", "update"]  # one output, replaced
    kind, first, kwargs = log[0]
    assert kwargs == {"raw": True, "display_id": True}
    assert first["image/png"].startswith(PNG) and first["text/plain"] == "epoch 1: loss 0.9, acc 0.5"
    last = log[-1][1]
    assert log[-1][2] == {"raw": True} and last["text/plain"] == "epoch 3: loss 0.2, acc 0.9"
    image = decoded(last["image/png"])
    assert image.shape[0] > 100 and image.shape[1] > 200 and image[..., :3].std() > 0.05  # a drawn plot
    assert last["image/png"] != first["image/png"]  # the new points are in it
    assert curves._repr_png_().startswith(PNG)


@pytest.mark.parametrize("shell", [None, TerminalShell()], ids=["plain python", "terminal ipython"])
def test_in_a_terminal_live_shows_nothing_and_the_table_is_echoed(monkeypatch, capsys, shell):
    log = fake_ipython(monkeypatch, shell)
    curves = plot.TrainingCurves(["loss"], live=True)  # even when asked for
    curves.add(1, loss=0.5)
    curves.add(2, loss=0.25)
    assert log == []
    assert capsys.readouterr().out.split() == ["epoch", "loss", "1", "0.5", "2", "0.25"]


def test_live_without_ipython_installed_is_quiet(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "IPython", None)  # `import IPython` raises ImportError
    curves = plot.TrainingCurves(["loss"], live=True, echo=None)
    curves.add(1, loss=1.0)
    assert capsys.readouterr().out == "" and curves.history == {"loss": [1.0]}
