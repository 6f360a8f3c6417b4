"""Numerical differentiation: derivatives, gradients, Jacobians and Hessians by finite differences.

These are the reference checks for every gradient the book derives by hand or computes by
automatic differentiation. The error analysis (truncation against round-off, and the best
step h) is in Chapter 1, "Derivatives".
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .validation import as_float_array, check_positive

EPS = float(np.finfo(np.float64).eps)
_METHODS = ("central", "forward", "backward")


def default_step(method: str = "central", x: Any = 0.0) -> np.ndarray | float:
    """The step that balances truncation and round-off error for ``method`` at ``x``.

    ``sqrt(eps)`` for one-sided differences (error O(h)), ``eps ** (1/3)`` for central
    differences (error O(h^2)), scaled by ``max(1, |x|)`` so that ``x + h`` differs from ``x``.
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    power = 1 / 3 if method == "central" else 1 / 2
    scale = np.maximum(1.0, np.abs(np.asarray(x, dtype=np.float64)))
    h = EPS ** power * scale
    return float(h) if np.ndim(h) == 0 else h


def _check_callable(f: Any) -> None:
    if not callable(f):
        raise TypeError(f"f must be a callable function, got {type(f).__name__}")


def _check_step(h: Any) -> None:
    check_positive(h, "h")


def numerical_derivative(f: Callable[[Any], Any], x: Any, h: float | None = None,
                         method: str = "central") -> float | np.ndarray:
    """Approximate f'(x) by a finite difference.

    Parameters
    ----------
    f : callable
        A function of one real variable. When ``x`` is an array, ``f`` must act element-wise
        (like ``np.sin``), and the derivative is returned at every point.
    x : float or ndarray of any shape
        Where to differentiate.
    h : float, optional
        The step (> 0). Default: :func:`default_step` for the method, scaled by ``max(1, |x|)``.
    method : {"central", "forward", "backward"}, default "central"

    Returns
    -------
    float or ndarray of the shape of ``x``

    Notes
    -----
    .. math::

        \\text{forward: } \\frac{f(x+h)-f(x)}{h}, \\qquad
        \\text{backward: } \\frac{f(x)-f(x-h)}{h}, \\qquad
        \\text{central: } \\frac{f(x+h)-f(x-h)}{2h}.

    The one-sided formulas have truncation error :math:`\\tfrac{h}{2} f''(x)`, the central one
    :math:`\\tfrac{h^2}{6} f'''(x)`; round-off adds about :math:`\\epsilon |f| / h`.
    """
    _check_callable(f)
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    x = as_float_array(x, "x")
    if h is None:
        h = default_step(method, x)
    else:
        _check_step(h)
    if method == "central":
        d = (np.asarray(f(x + h), dtype=np.float64) - np.asarray(f(x - h), dtype=np.float64)) / (2 * h)
    elif method == "forward":
        d = (np.asarray(f(x + h), dtype=np.float64) - np.asarray(f(x), dtype=np.float64)) / h
    else:
        d = (np.asarray(f(x), dtype=np.float64) - np.asarray(f(x - h), dtype=np.float64)) / h
    if d.shape != x.shape:
        raise ValueError(f"f must return one number per point of x: x has shape {x.shape}, "
                         f"the difference quotient came out with shape {d.shape}")
    return float(d) if d.ndim == 0 else d


def _scalar_output(f: Callable[[np.ndarray], Any], x: np.ndarray) -> float:
    y = np.asarray(f(x), dtype=np.float64)
    if y.size != 1:
        raise ValueError(f"f must return a scalar, got an output of shape {y.shape}; "
                         "for a vector-valued f use numerical_jacobian")
    return float(y.reshape(()))


def numerical_gradient(f: Callable[[np.ndarray], Any], x: Any, h: float | None = None) -> np.ndarray:
    """Approximate the gradient of a scalar function by central differences, one coordinate at a time.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` for ``x`` of the shape given.
    x : array-like of any shape, e.g. (n,)
    h : float, optional
        The step (> 0); default ``eps ** (1/3) * max(1, |x_i|)`` per coordinate.

    Returns
    -------
    ndarray of the shape of ``x``

    Notes
    -----
    .. math:: \\frac{\\partial f}{\\partial x_i} \\approx \\frac{f(x + h e_i) - f(x - h e_i)}{2h}.

    It costs 2n evaluations of f, which is why training uses automatic differentiation instead.
    """
    _check_callable(f)
    x = as_float_array(x, "x")
    if h is not None:
        _check_step(h)
    flat = x.reshape(-1)
    steps = default_step("central", flat) if h is None else np.full(flat.shape, float(h))
    steps = np.atleast_1d(steps)
    grad = np.empty_like(flat)
    for i in range(flat.size):
        e = np.zeros_like(flat)
        e[i] = steps[i]
        grad[i] = (_scalar_output(f, (flat + e).reshape(x.shape))
                   - _scalar_output(f, (flat - e).reshape(x.shape))) / (2 * steps[i])
    return grad.reshape(x.shape)


def numerical_jacobian(f: Callable[[np.ndarray], Any], x: Any, h: float | None = None) -> np.ndarray:
    """Approximate the Jacobian of ``f: R^n -> R^m`` by central differences.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns an array of shape (m,) (a scalar counts as m = 1).
    x : array-like of shape (n,)
    h : float, optional
        The step (> 0); default ``eps ** (1/3) * max(1, |x_j|)``.

    Returns
    -------
    ndarray of shape (m, n)
        Row i is the gradient of output i: :math:`J_{ij} = \\partial f_i / \\partial x_j`.
    """
    _check_callable(f)
    x = as_float_array(x, "x", ndim=1)
    if h is not None:
        _check_step(h)
    steps = np.atleast_1d(default_step("central", x)) if h is None else np.full(x.shape, float(h))
    columns = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = steps[j]
        plus = np.atleast_1d(np.asarray(f(x + e), dtype=np.float64))
        minus = np.atleast_1d(np.asarray(f(x - e), dtype=np.float64))
        if plus.ndim != 1:
            raise ValueError(f"f must return a vector of shape (m,), got shape {plus.shape}")
        columns.append((plus - minus) / (2 * steps[j]))
    return np.stack(columns, axis=1)


def hessian(f: Callable[[np.ndarray], Any], x: Any, h: float | None = None) -> np.ndarray:
    """Approximate the Hessian of a scalar function by central second differences.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` for ``x`` of shape (n,).
    x : array-like of shape (n,)
    h : float, optional
        The step (> 0); default ``eps ** (1/4) * max(1, |x|)``, which balances the O(h^2)
        truncation error against the O(eps / h^2) round-off of a second difference.

    Returns
    -------
    ndarray of shape (n, n), symmetric

    Notes
    -----
    .. math::

        H_{ij} \\approx \\frac{f(x+he_i+he_j) - f(x+he_i-he_j) - f(x-he_i+he_j) + f(x-he_i-he_j)}{4h^2}.

    On the diagonal (i = j) this is the second difference of f along e_i with step 2h.
    """
    _check_callable(f)
    x = as_float_array(x, "x", ndim=1)
    if h is None:
        h = EPS ** 0.25 * max(1.0, float(np.max(np.abs(x))))
    else:
        _check_step(h)
    n = x.size
    H = np.empty((n, n))
    eye = np.eye(n) * h
    for i in range(n):
        for j in range(i, n):
            ei, ej = eye[i], eye[j]
            H[i, j] = (_scalar_output(f, x + ei + ej) - _scalar_output(f, x + ei - ej)
                       - _scalar_output(f, x - ei + ej) + _scalar_output(f, x - ei - ej)) / (4 * h * h)
            H[j, i] = H[i, j]
    return H
