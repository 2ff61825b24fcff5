"""Section 3.2 (d2l.ai 1.0), object-oriented design: add_to_class, HyperParameters, ProgressBoard.

Only the import block differs from what runs on PyTorch with ``d2l.torch``.
Run: ``python examples/d2l/en3_2_oo_design.py``.
"""
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l

import numpy as np


# --8<-- [start:add_to_class]
class Counter:
    def __init__(self):
        self.start = 10


counter = Counter()


@d2l.add_to_class(Counter)
def show(self):                  # added after the instance was made: it has it too
    print('the counter starts at', self.start)


counter.show()
# --8<-- [end:add_to_class]


# --8<-- [start:hyperparameters]
class Config(d2l.HyperParameters):
    def __init__(self, width, depth, seed):
        self.save_hyperparameters(ignore=['seed'])
        print('self.width =', self.width, 'self.depth =', self.depth)
        print('There is no self.seed =', not hasattr(self, 'seed'))


config = Config(width=8, depth=3, seed=0)
# --8<-- [end:hyperparameters]

# --8<-- [start:board]
board = d2l.ProgressBoard('x')
for x in np.arange(0, 10, 0.1):
    board.draw(x, np.sin(x), 'sin', every_n=2)    # the mean of every 2 points
    board.draw(x, np.cos(x), 'cos', every_n=10)   # a smoother, coarser curve
# --8<-- [end:board]
