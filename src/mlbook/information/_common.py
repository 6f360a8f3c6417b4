"""Checks and helpers shared by the modules of :mod:`mlbook.information`."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..validation import as_float_array, check_positive


def check_base(base: Any) -> float:
    """The natural logarithm of the base: 2 for bits, ``np.e`` for nats."""
    check_positive(base, "base")
    if base == 1:
        raise ValueError("base must not be 1 (log 1 = 0); use 2 for bits or np.e for nats")
    return float(np.log(base))


def _sum_tolerance(p: Any, k: int) -> float:
    """How far from 1 a probability vector's sum may be: rounding of its own floating-point type."""
    dtype = getattr(p, "dtype", None)
    if dtype is not None and hasattr(dtype, "is_floating_point"):      # a torch dtype
        eps = float(__import__("torch").finfo(dtype).eps) if dtype.is_floating_point else 0.0
    else:
        kind = np.asarray(p).dtype
        eps = float(np.finfo(kind).eps) if kind.kind == "f" else 0.0
    return max(1e-8, 100 * eps * max(k, 1))


def check_distribution(p: Any, name: str) -> np.ndarray:
    """A probability vector (or a batch of them along the last axis): non-negative, summing to 1.

    The sum may miss 1 by the rounding of the input's own type (a float32 softmax output is accepted).
    """
    arr = as_float_array(p, name)
    if arr.ndim == 0:
        raise ValueError(f"{name} must be a probability vector (at least 1-D), got a scalar")
    if np.any(arr < 0):
        raise ValueError(f"{name} has negative entries (smallest {arr.min():.3g}); probabilities are >= 0")
    sums = arr.sum(axis=-1)
    tol = _sum_tolerance(p, arr.shape[-1])
    if np.any(np.abs(sums - 1.0) > tol):
        worst = float(sums.flat[np.argmax(np.abs(sums - 1.0))])
        raise ValueError(f"{name} must sum to 1 along its last axis, but a sum is {worst:.10g}; "
                         f"normalise it first ({name} / {name}.sum(axis=-1, keepdims=True))")
    return arr


def check_pair(p: Any, q: Any) -> tuple[np.ndarray, np.ndarray]:
    """Two probability vectors over the same outcomes."""
    p_arr, q_arr = check_distribution(p, "p"), check_distribution(q, "q")
    if p_arr.shape[-1] != q_arr.shape[-1]:
        raise ValueError(f"p and q must be distributions over the same outcomes, but p has {p_arr.shape[-1]} "
                         f"and q has {q_arr.shape[-1]}")
    return p_arr, q_arr


def check_joint(joint: Any, ndim: int = 2) -> np.ndarray:
    """A joint probability table of ``ndim`` axes: non-negative, summing to 1."""
    arr = as_float_array(joint, "joint", ndim=ndim)
    if np.any(arr < 0):
        raise ValueError("joint has negative entries; a joint probability table is >= 0")
    total = arr.sum()
    if abs(total - 1.0) > _sum_tolerance(joint, arr.size):
        raise ValueError(f"joint must sum to 1, but it sums to {total:.10g}; divide a table of counts by its total")
    return arr


def xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x log y with 0 log y = 0 for every y (including 0), and -inf where y = 0 < x."""
    with np.errstate(divide="ignore"):
        return np.where(x > 0, x * np.log(np.where(x > 0, y, 1.0)), 0.0)


def finish(values: Any) -> float | np.ndarray:
    """A float for a single value, an array for a batch; -0.0 becomes 0.0."""
    values = np.asarray(values, dtype=np.float64) + 0.0
    return float(values) if values.ndim == 0 else values
