"""Learning-rate schedules, as ``torch.optim.lr_scheduler``."""

from __future__ import annotations

__all__ = ["StepLR"]


class StepLR:
    """Multiply the learning rate by ``gamma`` every ``step_size`` epochs.

    Call ``scheduler.step()`` once per epoch, after the optimizer's steps.

    Examples
    --------
    The schedule "start at 2.5, halve every 10 epochs":

    >>> import minigrad
    >>> from minigrad.optim.lr_scheduler import StepLR
    >>> opt = minigrad.optim.SGD(minigrad.nn.Linear(1, 1).parameters(), lr=2.5)
    >>> sched = StepLR(opt, step_size=10, gamma=0.5)
    >>> for epoch in range(20):
    ...     sched.step()
    >>> opt.param_groups[0]["lr"]
    0.625
    """

    def __init__(self, optimizer, step_size: int, gamma: float = 0.1):
        if not hasattr(optimizer, "param_groups"):
            raise TypeError(f"StepLR: expected an optimizer, got {type(optimizer).__name__}")
        if isinstance(step_size, bool) or not isinstance(step_size, int) or step_size < 1:
            raise ValueError(f"step_size must be a positive integer, got {step_size}")
        self.optimizer, self.step_size, self.gamma = optimizer, step_size, gamma
        self.base_lrs = [g["lr"] for g in optimizer.param_groups]
        self.last_epoch = 0

    def step(self) -> None:
        """Advance one epoch and set each group's learning rate.

        Examples
        --------
        >>> import minigrad
        >>> opt = minigrad.optim.SGD(minigrad.nn.Linear(1, 1).parameters(), lr=1.0)
        >>> sched = StepLR(opt, step_size=1, gamma=0.5); sched.step(); opt.param_groups[0]["lr"]
        0.5
        """
        self.last_epoch += 1
        for group, base in zip(self.optimizer.param_groups, self.base_lrs):
            group["lr"] = base * self.gamma ** (self.last_epoch // self.step_size)

    def get_last_lr(self) -> list:
        """The learning rate of each parameter group now.

        Examples
        --------
        >>> import minigrad
        >>> opt = minigrad.optim.SGD(minigrad.nn.Linear(1, 1).parameters(), lr=0.1)
        >>> StepLR(opt, step_size=5).get_last_lr()
        [0.1]
        """
        return [g["lr"] for g in self.optimizer.param_groups]
