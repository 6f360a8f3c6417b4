"""Gradient descent and Newton's method on a function given by its derivatives.

Both return the whole trajectory, so that the chapters can draw the path on a contour plot
and the loss along it. The convergence analysis (0 < eta < 2 / lambda_max, the rate against
the condition number, Newton's quadratic convergence) is in Chapter 1, "Gradient descent"
and "Newton's method and convexity".
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..validation import as_float_array, check_positive


def _check_steps(steps: Any) -> int:
    check_positive(steps, "steps", strict=False, integer=True)
    return int(steps)


def _start(x0: Any) -> np.ndarray:
    x = as_float_array(x0, "x0", ndim=(0, 1))
    return x.reshape(-1).copy()


def _call_vector(fn: Callable[[np.ndarray], Any], x: np.ndarray, name: str) -> np.ndarray:
    g = np.asarray(fn(x.copy()), dtype=np.float64)
    if g.size != x.size or g.ndim > 1:
        raise ValueError(f"{name}(x) must return an array of shape ({x.size},) like x, got shape {g.shape}")
    return g.reshape(x.shape)


def gradient_descent(grad: Callable[[np.ndarray], Any], x0: Any, lr: float, steps: int) -> np.ndarray:
    """Run gradient descent and return every iterate.

    Parameters
    ----------
    grad : callable
        ``grad(x)`` returns the gradient of f at ``x``, an array of shape (dim,).
    x0 : float or array-like of shape (dim,)
        The starting point.
    lr : float
        The learning rate (step size) eta > 0.
    steps : int
        The number of updates (>= 0).

    Returns
    -------
    ndarray of shape (steps + 1, dim)
        Row t is x_t; row 0 is x0. A run that diverges shows growing (possibly infinite) rows.

    Notes
    -----
    All coordinates are updated at once, from the gradient at the current point:

    .. math:: x_{t+1} = x_t - \\eta \\nabla f(x_t).

    On a quadratic with Hessian eigenvalues in [lambda_min, lambda_max] it converges exactly
    when 0 < eta < 2 / lambda_max.
    """
    if not callable(grad):
        raise TypeError(f"grad must be a callable returning the gradient, got {type(grad).__name__}")
    check_positive(lr, "lr")
    steps = _check_steps(steps)
    x = _start(x0)
    path = np.empty((steps + 1, x.size))
    path[0] = x
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps):
            x = x - lr * _call_vector(grad, x, "grad")  # simultaneous update of every coordinate
            path[t + 1] = x
    return path


def newton(grad: Callable[[np.ndarray], Any], hess: Callable[[np.ndarray], Any], x0: Any,
           steps: int, lr: float = 1.0) -> np.ndarray:
    """Run Newton's method for minimisation and return every iterate.

    Parameters
    ----------
    grad : callable
        ``grad(x)`` returns the gradient, shape (dim,).
    hess : callable
        ``hess(x)`` returns the Hessian, shape (dim, dim).
    x0 : float or array-like of shape (dim,)
    steps : int
        The number of updates (>= 0).
    lr : float, default 1.0
        A damping factor eta > 0 on the Newton step (1 is the pure method).

    Returns
    -------
    ndarray of shape (steps + 1, dim)

    Notes
    -----
    Each step jumps to the stationary point of the second-order Taylor model at x_t:

    .. math:: x_{t+1} = x_t - \\eta H(x_t)^{-1} \\nabla f(x_t),

    computed by solving H d = grad rather than inverting H. On a quadratic with eta = 1 it
    reaches the minimiser in one step. A singular Hessian raises ``numpy.linalg.LinAlgError``.
    """
    for fn, name in ((grad, "grad"), (hess, "hess")):
        if not callable(fn):
            raise TypeError(f"{name} must be callable, got {type(fn).__name__}")
    check_positive(lr, "lr")
    steps = _check_steps(steps)
    x = _start(x0)
    dim = x.size
    path = np.empty((steps + 1, dim))
    path[0] = x
    # region: newton step
    for t in range(steps):
        g = _call_vector(grad, x, "grad")
        H = np.asarray(hess(x.copy()), dtype=np.float64)
        if dim == 1 and H.size == 1:  # a 1-D problem may return its second derivative as a number
            H = H.reshape(1, 1)
        if H.shape != (dim, dim):
            raise ValueError(f"hess(x) must return an array of shape ({dim}, {dim}), got shape {H.shape}")
        try:
            step = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            raise np.linalg.LinAlgError(
                f"the Hessian is singular at step {t} (x = {x}); Newton's step is undefined there. "
                "Start elsewhere or use gradient descent") from None
        x = x - lr * step
        path[t + 1] = x
    # endregion
    return path
