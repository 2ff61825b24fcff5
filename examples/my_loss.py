"""A file of your own, drawn from the command line: ``minigrad graph FILE.py:FUNCTION``.

    .venv/bin/minigrad graph examples/my_loss.py:build_loss --format png --out loss.png

The function takes no arguments and returns the Value or Tensor to draw; copy this file
and change ``build_loss`` to draw your own computation.
"""

import minigrad


def build_loss():
    """The loss of a one-layer model on two examples: tanh of a linear map, squared, averaged."""
    x = minigrad.tensor([[1.0, 2.0], [3.0, 4.0]])
    w = minigrad.tensor([0.5, -1.0], requires_grad=True)
    b = minigrad.tensor(0.1, requires_grad=True)
    x.label, w.label, b.label = "x", "w", "b"
    loss = ((x @ w + b).tanh() ** 2).mean()
    loss.label = "loss"
    return loss


if __name__ == "__main__":
    print(build_loss())
