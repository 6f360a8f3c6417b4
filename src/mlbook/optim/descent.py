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
    reaches the minimiser in one step. An exactly singular Hessian raises
    ``numpy.linalg.LinAlgError``; a nearly singular one gives a huge step, and an indefinite one a
    step towards a saddle or a maximum, both without warning: the pure method has no safeguard.
    :func:`damped_newton` adds a descent check and a line search.
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
        if not np.isfinite(x).all():  # a huge step overflowed: the rest of the path stays non-finite
            path[t + 1:] = x
            break
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
        with np.errstate(over="ignore", invalid="ignore"):
            x = x - lr * step
        path[t + 1] = x
    # endregion
    return path


def _hessian_at(hess: Callable[[np.ndarray], Any], x: np.ndarray) -> np.ndarray:
    H = np.asarray(hess(x.copy()), dtype=np.float64)
    if x.size == 1 and H.size == 1:
        H = H.reshape(1, 1)
    if H.shape != (x.size, x.size):
        raise ValueError(f"hess(x) must return an array of shape ({x.size}, {x.size}), got shape {H.shape}")
    return H


def damped_newton(f: Callable[[np.ndarray], Any], grad: Callable[[np.ndarray], Any],
                  hess: Callable[[np.ndarray], Any], x0: Any, steps: int, *, alpha: float = 0.25,
                  beta: float = 0.5, tol: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    r"""Newton's method with a descent check and a backtracking line search; every iterate and step size.

    Parameters
    ----------
    f, grad, hess : callables
        The function, its gradient (shape (dim,)) and its Hessian (shape (dim, dim)).
    x0 : float or array-like of shape (dim,)
    steps : int
        The largest number of updates (>= 0).
    alpha : float in (0, 1/2), default 0.25
        The sufficient-decrease constant of the Armijo condition.
    beta : float in (0, 1), default 0.5
        The factor by which the step size shrinks while the condition fails.
    tol : float, default 0
        Stop early when the Newton decrement squared, :math:`\lambda^2 = -\nabla f^\top d`, falls
        to ``tol`` or below (Boyd & Vandenberghe's stopping rule; with 0 every step is taken unless
        the gradient is exactly 0).

    Returns
    -------
    path : ndarray of shape (n_steps + 1, dim)
    step_sizes : ndarray of shape (n_steps,)
        The step size t that the line search accepted at each update (1 is a full Newton step).

    Notes
    -----
    The direction is the Newton step :math:`d = -H^{-1} \nabla f` when it points downhill
    (:math:`\nabla f^\top d < 0`, true whenever H is positive definite) and the steepest-descent
    direction :math:`-\nabla f` otherwise (H singular, or indefinite with an uphill Newton step).
    The step size starts at t = 1 and is multiplied by ``beta`` until

    .. math:: f(x + t d) \le f(x) + \alpha\, t\, \nabla f(x)^\top d .

    This is Algorithm 9.5 of Boyd & Vandenberghe (2004, section 9.5) with the fallback direction
    added. Every step decreases f, so the method is not drawn uphill to a saddle or a maximum the way
    pure Newton can be; like any descent method it can still converge to a saddle from a start whose
    descent path leads into it (on the saddle's stable set, e.g. a symmetry axis). Near a minimiser
    with positive definite Hessian the full step t = 1 passes the test and the convergence is
    quadratic again.
    """
    for fn, name in ((f, "f"), (grad, "grad"), (hess, "hess")):
        if not callable(fn):
            raise TypeError(f"{name} must be callable, got {type(fn).__name__}")
    if not 0 < alpha < 0.5:
        raise ValueError(f"alpha must lie in (0, 1/2), got {alpha}")
    if not 0 < beta < 1:
        raise ValueError(f"beta must lie in (0, 1), got {beta}")
    check_positive(tol, "tol", strict=False)
    steps = _check_steps(steps)
    x = _start(x0)

    def value(z: np.ndarray) -> float:
        with np.errstate(over="ignore", invalid="ignore"):
            v = np.asarray(f(z.copy()), dtype=np.float64)
        if v.size != 1:
            raise ValueError(f"f(x) must return a number, got shape {v.shape}")
        return float(v.reshape(()))

    path, sizes = [x.copy()], []
    fx = value(x)
    if not np.isfinite(fx):
        raise ValueError(f"f is not finite at the starting point (f(x0) = {fx})")
    # region: damped newton step
    for _ in range(steps):
        g = _call_vector(grad, x, "grad")
        try:
            d = -np.linalg.solve(_hessian_at(hess, x), g)
        except np.linalg.LinAlgError:
            d = -g                                   # singular H: no Newton step
        slope = float(g @ d)
        if not np.isfinite(slope) or slope >= 0:     # not a descent direction: H is not positive definite
            d, slope = -g, -float(g @ g)
        if -slope <= tol:                            # -∇fᵀd (squared Newton decrement, or ‖∇f‖²) ≈ 0: stop
            break
        t = 1.0
        while True:                                  # backtracking until sufficient decrease
            x_new = x + t * d
            if np.array_equal(x_new, x):             # the step underflowed: no decrease was found
                raise FloatingPointError("the line search found no decrease along a descent direction: "
                                         "grad does not match f, or f is not smooth here")
            f_new = value(x_new)
            if np.isfinite(f_new) and f_new <= fx + alpha * t * slope:
                break
            t *= beta
        x, fx = x_new, f_new
        path.append(x.copy())
        sizes.append(t)
    # endregion
    return np.array(path), np.array(sizes)
