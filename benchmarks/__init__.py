"""Side-by-side benchmarks: minigrad against hand-written code, PyTorch and micrograd.

Run ``python -m benchmarks`` (``make bench``); ``--quick`` for the small version CI runs.
"""
