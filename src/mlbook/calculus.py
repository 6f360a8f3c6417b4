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
    The step is then replaced by ``(x + h) - x``, the step that floating point actually takes, so
    that the difference quotient divides by the true distance between the two points (Nocedal &
    Wright, 2006, section 8.1; Press et al., *Numerical Recipes*, section 5.7). Elementwise for arrays.
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    power = 1 / 3 if method == "central" else 1 / 2
    x = np.asarray(x, dtype=np.float64)
    h = EPS ** power * np.maximum(1.0, np.abs(x))
    # region: representable step
    h = (x + h) - x          # exactly representable: x + h lies exactly h away from x (x - h may not)
    # endregion
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
        The step (> 0). Default: :func:`default_step` for the method, scaled by ``max(1, |x|)`` and
        made exactly representable; a step passed explicitly is used as given.
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

    To leading order the truncation errors are :math:`+\\tfrac{h}{2} f''(x)` (forward),
    :math:`-\\tfrac{h}{2} f''(x)` (backward) and :math:`\\tfrac{h^2}{6} f'''(x)` (central). If each
    value of f carries a relative rounding error of at most :math:`\\epsilon`, round-off adds at most
    about :math:`2\\epsilon |f(x)| / h` to a one-sided quotient and :math:`\\epsilon |f(x)| / h` to the
    central one (Chapter 1, "Derivatives").
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
    x : array-like of any shape, e.g. (n,)
        The derivatives are taken with respect to the entries of ``x`` in C order (``x.ravel()``),
        so n = ``x.size``; ``f`` is called with arrays of the shape of ``x``.
    h : float, optional
        The step (> 0); default ``eps ** (1/3) * max(1, |x_j|)`` per coordinate (:func:`default_step`).

    Returns
    -------
    ndarray of shape (m, n)
        Row i is the gradient of output i: :math:`J_{ij} = \\partial f_i / \\partial x_j`.
    """
    _check_callable(f)
    x = as_float_array(x, "x")
    if h is not None:
        _check_step(h)
    flat = x.reshape(-1)
    steps = np.atleast_1d(default_step("central", flat)) if h is None else np.full(flat.shape, float(h))
    columns = []
    for j in range(flat.size):
        e = np.zeros_like(flat)
        e[j] = steps[j]
        plus = np.atleast_1d(np.asarray(f((flat + e).reshape(x.shape)), dtype=np.float64))
        minus = np.atleast_1d(np.asarray(f((flat - e).reshape(x.shape)), dtype=np.float64))
        if plus.ndim != 1:
            raise ValueError(f"f must return a vector of shape (m,), got shape {plus.shape}")
        columns.append((plus - minus) / (2 * steps[j]))
    return np.stack(columns, axis=1)


def hessian(f: Callable[[np.ndarray], Any], x: Any, h: float | None = None) -> np.ndarray:
    """Approximate the Hessian of a scalar function by central second differences.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` for ``x`` of the shape given.
    x : array-like of any shape, e.g. (n,)
        The derivatives are taken with respect to the entries of ``x`` in C order (``x.ravel()``).
    h : float, optional
        One step (> 0) for every coordinate. Default, per coordinate:
        ``h_i = eps ** (1/4) * max(1, |x_i|)``, made exactly representable as in
        :func:`default_step`; it balances the O(h^2) truncation error against the O(eps / h^2)
        round-off of a second difference.

    Returns
    -------
    ndarray of shape (x.size, x.size), symmetric

    Notes
    -----
    .. math::

        H_{ij} \\approx \\frac{f(x+h_ie_i+h_je_j) - f(x+h_ie_i-h_je_j) - f(x-h_ie_i+h_je_j)
        + f(x-h_ie_i-h_je_j)}{4h_ih_j}.

    On the diagonal (i = j) this is the second difference of f along e_i with step 2h_i.
    """
    _check_callable(f)
    x = as_float_array(x, "x")
    flat = x.reshape(-1)
    if h is None:
        steps = EPS ** 0.25 * np.maximum(1.0, np.abs(flat))
        steps = (flat + steps) - flat
    else:
        _check_step(h)
        steps = np.full(flat.shape, float(h))
    n = flat.size

    def at(z: np.ndarray) -> float:
        return _scalar_output(f, z.reshape(x.shape))

    H = np.empty((n, n))
    for i in range(n):
        ei = np.zeros(n)
        ei[i] = steps[i]
        for j in range(i, n):
            ej = np.zeros(n)
            ej[j] = steps[j]
            H[i, j] = (at(flat + ei + ej) - at(flat + ei - ej)
                       - at(flat - ei + ej) + at(flat - ei - ej)) / (4 * steps[i] * steps[j])
            H[j, i] = H[i, j]
    return H
