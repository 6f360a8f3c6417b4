"""Checks that can fail: compare a result with an independent reference, assert, and say by how much.

Every comparison in the book goes through these two functions, so that a check that turns false
stops the notebook (and the book's tests) instead of printing ``False`` and carrying on::

    from mlbook import check
    check.close(ours, torch_result, rtol=1e-10, what="gradient vs torch")
    # gradient vs torch: max |Δ| = 3.5e-17, max rel 1.2e-16 (rtol 1e-10, atol 0)  ✓

    check.equal(pred, sklearn_pred, what="predictions vs scikit-learn")
    # predictions vs scikit-learn: identical (shape (120,))  ✓

``close`` uses the criterion of :func:`numpy.testing.assert_allclose`,
``|actual - desired| <= atol + rtol * |desired|`` element by element, and raises ``AssertionError``
with the worst element when it fails. Both accept NumPy arrays, PyTorch tensors (on any device)
and Python numbers.
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["close", "equal"]


def _torch_to_numpy(x: Any) -> Any:
    if hasattr(x, "detach") and hasattr(x, "cpu"):  # a torch tensor, on any device
        return x.detach().cpu().numpy()
    return x


def _as_array(x: Any, name: str) -> np.ndarray:
    x = _torch_to_numpy(x)
    arr = np.asarray(x)
    if arr.dtype.kind not in "biufc":
        raise TypeError(f"{name} must be numeric (an array, a tensor or a number), got {type(x).__name__}")
    return arr


def _shapes(actual: np.ndarray, desired: np.ndarray, what: str) -> None:
    if actual.shape != desired.shape and desired.shape != ():
        raise AssertionError(f"{what}: shapes differ, {actual.shape} against {desired.shape}")


def close(actual: Any, desired: Any, *, rtol: float = 1e-7, atol: float = 0.0, what: str = "check",
          quiet: bool = False) -> float:
    r"""Assert that ``actual`` equals ``desired`` within a tolerance; print the measured difference.

    Parameters
    ----------
    actual : array_like or torch.Tensor
        The book's result.
    desired : array_like or torch.Tensor
        The reference: an independent library, a closed form, or a simulation's expected value.
        A scalar is compared with every element of ``actual``.
    rtol, atol : float
        Relative and absolute tolerance: element by element,
        :math:`|a - d| \le \text{atol} + \text{rtol}\,|d|`.
    what : str
        What is compared, printed at the start of the line.
    quiet : bool, default False
        Assert without printing.

    Returns
    -------
    float
        The largest absolute difference.

    Raises
    ------
    AssertionError
        When the shapes differ, when NaN or infinity appears on one side only, or when an element
        is outside the tolerance; the message gives the worst element.
    """
    if rtol < 0 or atol < 0:
        raise ValueError(f"rtol and atol must be non-negative, got rtol={rtol}, atol={atol}")
    a, d = _as_array(actual, "actual"), _as_array(desired, "desired")
    if np.iscomplexobj(a) or np.iscomplexobj(d):
        raise TypeError(f"{what}: close compares real numbers; compare the real and imaginary parts separately")
    a, d = a.astype(np.float64), d.astype(np.float64)
    _shapes(a, d, what)
    a_b, d_b = np.broadcast_arrays(a, d)
    if a_b.size == 0:
        raise AssertionError(f"{what}: nothing to compare (empty arrays)")
    same_nonfinite = ~np.isfinite(a_b) & (a_b == d_b)
    if np.any(np.isnan(a_b) | np.isnan(d_b)) or np.any(~np.isfinite(a_b) & ~same_nonfinite) \
            or np.any(~np.isfinite(d_b) & ~same_nonfinite):
        bad = tuple(int(k) for k in np.argwhere(~(np.isfinite(a_b) & np.isfinite(d_b)) & ~same_nonfinite)[0])
        raise AssertionError(f"{what}: non-finite mismatch at index {bad}: "
                             f"{a_b[bad].item()!r} against {d_b[bad].item()!r}")
    finite = np.isfinite(a_b)
    with np.errstate(invalid="ignore"):
        diff = np.where(finite, np.abs(a_b - d_b), 0.0)
    scale = np.abs(d_b)
    allowed = atol + rtol * scale
    worst_abs = float(diff.max())
    nonzero = scale > 0                     # the relative difference is defined where the reference is not 0
    worst_rel = float((diff[nonzero] / scale[nonzero]).max()) if nonzero.any() else None
    if np.any(diff > allowed):
        i = np.unravel_index(int(np.argmax(diff - allowed)), diff.shape)
        where = f" at index {tuple(int(k) for k in i)}" if diff.ndim else ""
        raise AssertionError(
            f"{what}: not close{where}: {a_b[i].item()!r} against {d_b[i].item()!r} "
            f"(|Δ| = {diff[i]:.3g} > atol + rtol·|desired| = {allowed[i]:.3g}; rtol {rtol:g}, atol {atol:g})")
    if not quiet:
        rel_text = "n/a (the reference is 0)" if worst_rel is None else f"{worst_rel:.2g}"
        print(f"{what}: max |Δ| = {worst_abs:.2g}, max rel {rel_text} (rtol {rtol:g}, atol {atol:g})  ✓")
    return worst_abs


def equal(actual: Any, desired: Any, *, what: str = "check", quiet: bool = False) -> None:
    """Assert that two arrays (or tensors, or numbers) are identical element by element; print one line.

    Use it where the result must be exact (integer predictions, indices, a confusion matrix, a
    computation that is the same arithmetic in both codes); use :func:`close` for floating point.

    Raises
    ------
    AssertionError
        When the shapes differ or any element differs; the message counts the differing elements
        and shows the first.
    """
    a, d = np.asarray(_torch_to_numpy(actual)), np.asarray(_torch_to_numpy(desired))
    _shapes(a, d, what)
    a_b, d_b = np.broadcast_arrays(a, d)
    differ = a_b != d_b
    if a_b.dtype.kind in "fc" and d_b.dtype.kind in "fc":
        differ &= ~(np.isnan(a_b) & np.isnan(d_b))
    if np.any(differ):
        i = tuple(int(k) for k in np.argwhere(differ)[0])
        raise AssertionError(f"{what}: {int(differ.sum())} of {differ.size} elements differ; "
                             f"first at index {i}: {a_b[i].item()!r} against {d_b[i].item()!r}")
    if not quiet:
        print(f"{what}: identical (shape {a.shape})  ✓")
