"""Toy sequence tasks for the tiny transformer of chapter 10, section 6 (NumPy only)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..init import as_generator
from ..validation import check_positive

__all__ = ["make_sequence_task"]

_TASKS = ("copy", "reverse", "sort")


def make_sequence_task(task: str, n_samples: int, length: int, n_symbols: int = 10,
                       random_state: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Random sequences of symbols ``0 … n_symbols−1`` and their targets, as int64 arrays (n_samples, length).

    ``task`` is ``"copy"`` (the target is the input), ``"reverse"`` (the input read backwards) or
    ``"sort"`` (the input sorted ascending). Every output position has one correct symbol, so an
    encoder that emits one symbol per position can solve the task.
    """
    if task not in _TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of {_TASKS}")
    for value, name in ((n_samples, "n_samples"), (length, "length"), (n_symbols, "n_symbols")):
        check_positive(value, name, integer=True)
    rng = as_generator(random_state)
    X = rng.integers(0, n_symbols, size=(int(n_samples), int(length)), dtype=np.int64)
    Y = {"copy": X.copy, "reverse": lambda: X[:, ::-1].copy(), "sort": lambda: np.sort(X, axis=1)}[task]()
    return X, Y
