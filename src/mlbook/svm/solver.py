"""The SVM dual solver: sequential minimal optimisation (Platt, 1998; chapter 4, section 6).

The dual of the soft-margin SVM is

.. math::

    \\max_\\alpha\\ W(\\alpha) = \\sum_i \\alpha_i - \\tfrac12 \\sum_{i,j} \\alpha_i \\alpha_j y_i y_j K_{ij}
    \\quad\\text{s.t.}\\quad 0 \\le \\alpha_i \\le C,\\qquad \\sum_i \\alpha_i y_i = 0,

with labels :math:`y_i \\in \\{-1, +1\\}` and decision function :math:`f(x) = \\sum_i \\alpha_i y_i K(x_i, x) + b`.
The equality constraint means no single :math:`\\alpha_i` can move alone; SMO moves two at a time,
along the line :math:`y_1 \\alpha_1 + y_2 \\alpha_2 = \\text{const}`, where the optimum is a
clipped one-dimensional Newton step, in closed form. Every step keeps the constraints exactly
(up to rounding), so the iterate is always feasible.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..validation import as_float_array, check_positive

__all__ = ["SMOResult", "smo", "two_variable_step", "dual_objective"]


@dataclass
class SMOResult:
    """What :func:`smo` returns."""

    alpha: np.ndarray   # (n,) the dual variables, each in [0, C]
    b: float            # the intercept of f
    n_iter: int         # the number of two-variable steps taken
    converged: bool     # the maximal KKT violation fell below tol
    gap: float          # the maximal violation max_{I_low} E - min_{I_up} E at the end


def dual_objective(alpha: np.ndarray, y: np.ndarray, K: np.ndarray) -> float:
    """The dual objective that SMO maximises.

    .. math:: W(\\alpha) = \\sum_i \\alpha_i - \\tfrac12 (\\alpha \\odot y)^\\top K\\, (\\alpha \\odot y)

    Parameters
    ----------
    alpha : ndarray of shape (n,)
    y : ndarray of shape (n,)
        Labels in {-1, +1}.
    K : ndarray of shape (n, n)
        The Gram matrix.
    """
    v = alpha * y
    return float(alpha.sum() - 0.5 * v @ K @ v)


def two_variable_step(a1: float, a2: float, y1: float, y2: float, E1: float, E2: float,
                       k11: float, k12: float, k22: float, C: float) -> tuple[float, float]:
    """Maximise W over (α1, α2) with all other α fixed; return the new pair (Platt's takeStep).

    The pair stays on the line :math:`y_1\\alpha_1 + y_2\\alpha_2 = \\text{const}` inside the box
    :math:`[0, C]^2`, i.e. :math:`\\alpha_2 \\in [L, H]`. Along it, W is a parabola in
    :math:`\\alpha_2` with curvature :math:`-\\eta`, :math:`\\eta = K_{11} + K_{22} - 2K_{12}
    = \\lVert\\phi(x_1) - \\phi(x_2)\\rVert^2 \\ge 0`.
    """
    s = y1 * y2
    # region: clip
    if s < 0:                                   # y1 != y2: α2 - α1 is constant
        L, H = max(0.0, a2 - a1), min(C, C + a2 - a1)
    else:                                       # y1 == y2: α1 + α2 is constant
        L, H = max(0.0, a1 + a2 - C), min(C, a1 + a2)
    # endregion
    if L >= H:
        return a1, a2
    # region: two-variable-step
    eta = k11 + k22 - 2.0 * k12
    if eta > 1e-12 * max(k11, k22, 1e-300):        # positive curvature, relative to the kernel's scale
        a2_new = a2 + y2 * (E1 - E2) / eta      # the unconstrained maximum of the parabola ...
        a2_new = min(max(a2_new, L), H)         # ... clipped to the box
    else:
        # η ≤ 0 (x1 = x2 in feature space, or a kernel that is not PSD): W is linear or convex
        # along the line, so its maximum on [L, H] is at an end; take the better one (Platt).
        def gain(t: float) -> float:
            return y2 * (E1 - E2) * (t - a2) - 0.5 * eta * (t - a2) ** 2
        a2_new = L if gain(L) > gain(H) else H
    a1_new = a1 + s * (a2 - a2_new)             # keeps y1 α1 + y2 α2, hence Σ α_i y_i, fixed
    # endregion
    tiny = 1e-12 * C                            # a value on a bound up to rounding: put it there
    a1_new = 0.0 if a1_new < tiny else C if a1_new > C - tiny else a1_new
    a2_new = 0.0 if a2_new < tiny else C if a2_new > C - tiny else a2_new
    return a1_new, a2_new


def _check_smo_inputs(y: Any, diag: Any, C: Any, tol: Any, max_iter: Any) -> tuple:
    y = as_float_array(y, "y", ndim=1)
    if not np.all(np.isin(y, (-1.0, 1.0))) or not (np.any(y > 0) and np.any(y < 0)):
        raise ValueError(f"y must hold labels -1 and +1, both present, got values {np.unique(y)[:5]}")
    diag = as_float_array(diag, "diag", ndim=1)
    if diag.shape != y.shape:
        raise ValueError(f"diag has {diag.size} entries for {y.size} labels")
    check_positive(C, "C")
    check_positive(tol, "tol")
    if tol >= 2:
        raise ValueError(f"tol must be < 2, got {tol!r}: at α = 0 the largest KKT violation is exactly 2, "
                         "so SMO would stop before its first step with no support vector")
    check_positive(max_iter, "max_iter", integer=True)
    return y, diag, float(C), float(tol), int(max_iter)


def smo(column: Callable[[int], np.ndarray], diag: np.ndarray, y: np.ndarray, C: float, *,
        tol: float = 1e-3, max_iter: int = 100_000,
        callback: Callable[[int, np.ndarray, float], None] | None = None) -> SMOResult:
    """Solve the SVM dual by SMO with the maximal-violating-pair working set.

    Parameters
    ----------
    column : callable
        ``column(i)`` returns the column :math:`K_{:, i}` of the Gram matrix, shape (n,)
        (a row of a precomputed matrix, or a column computed on demand).
    diag : ndarray of shape (n,)
        The diagonal :math:`K_{ii}`.
    y : ndarray of shape (n,)
        Labels in {-1, +1}, both present.
    C : float
        The box bound, > 0.
    tol : float, default 1e-3
        Stop when no pair violates the KKT conditions by more than tol (libsvm's ``eps``).
    max_iter : int, default 100_000
        The most two-variable steps.
    callback : callable, optional
        ``callback(step, alpha, b)`` after every step (a copy of α), to trace the iterates.

    Returns
    -------
    SMOResult

    Notes
    -----
    **Error cache.** :math:`E_i = f(x_i) - y_i` is kept for every i and updated after each step
    with the two changed columns of K, in O(n).

    **Working set.** The maximal violating pair (Keerthi et al., 2001; libsvm's WSS1, first-order
    information), not Platt's heuristic loops. Let :math:`I_{up}` be the indices whose
    :math:`y_i\\alpha_i` may grow (:math:`y_i = +1, \\alpha_i < C` or :math:`y_i = -1, \\alpha_i > 0`)
    and :math:`I_{low}` those whose :math:`y_i\\alpha_i` may shrink. The KKT conditions hold, for
    some b, iff :math:`\\max_{I_{low}} E \\le \\min_{I_{up}} E`; SMO takes
    :math:`i = \\arg\\max_{I_{low}} E`, :math:`j = \\arg\\min_{I_{up}} E` and stops when
    :math:`E_i - E_j \\le` tol. Then every sample satisfies its KKT condition to tol
    (:math:`\\alpha = 0 \\Rightarrow yf \\ge 1 - \\text{tol}`, :math:`0 < \\alpha < C \\Rightarrow
    |yf - 1| \\le \\text{tol}`, :math:`\\alpha = C \\Rightarrow yf \\le 1 + \\text{tol}`).

    **Bias.** During the iterations b follows Platt's rule (:math:`b_1` makes
    :math:`f(x_1) = y_1` exact, :math:`b_2` likewise, their mean when both α are at a bound). At the
    end b is recomputed as libsvm does, from the KKT conditions averaged over the free
    support vectors (:math:`0 < \\alpha_i < C`), or from the middle of the feasible interval.
    """
    y, diag, C, tol, max_iter = _check_smo_inputs(y, diag, C, tol, max_iter)
    n = len(y)
    alpha = np.zeros(n)
    b = 0.0
    E = -y.copy()                               # error cache: f = 0 at α = 0, so E_i = -y_i
    up, low = y > 0, y < 0                      # I_up and I_low at α = 0
    gap, n_iter, converged = np.inf, 0, False
    while True:
        # region: working-set
        i = int(np.argmax(np.where(low, E, -np.inf)))   # the most violating sample of I_low ...
        j = int(np.argmin(np.where(up, E, np.inf)))     # ... and of I_up
        gap = float(E[i] - E[j])
        if gap <= tol:                          # KKT conditions hold to tol: optimal
            converged = True
            break
        # endregion
        if n_iter >= max_iter:
            break
        n_iter += 1
        Ki, Kj = column(i), column(j)
        a1, a2 = alpha[i], alpha[j]
        a1_new, a2_new = two_variable_step(a1, a2, y[i], y[j], E[i], E[j], diag[i], Ki[j], diag[j], C)
        d1, d2 = y[i] * (a1_new - a1), y[j] * (a2_new - a2)
        # region: bias
        b1 = b - E[i] - d1 * diag[i] - d2 * Ki[j]     # makes f(x_i) = y_i after the step
        b2 = b - E[j] - d1 * Ki[j] - d2 * diag[j]     # makes f(x_j) = y_j after the step
        if 0.0 < a1_new < C:
            b_new = b1
        elif 0.0 < a2_new < C:
            b_new = b2
        else:                                   # both at a bound: any b in between is consistent
            b_new = 0.5 * (b1 + b2)
        # endregion
        # region: error-cache
        E += d1 * Ki
        E += d2 * Kj
        E += b_new - b
        # endregion
        b = b_new
        alpha[i], alpha[j] = a1_new, a2_new
        if callback is not None:
            callback(n_iter, alpha.copy(), b)
        for t in (i, j):                        # only α_i and α_j moved: update their memberships
            up[t] = alpha[t] < C if y[t] > 0 else alpha[t] > 0
            low[t] = alpha[t] > 0 if y[t] > 0 else alpha[t] < C
    return SMOResult(alpha, _final_bias(alpha, y, E - b, up, low, C), n_iter, converged, gap)


def _final_bias(alpha: np.ndarray, y: np.ndarray, F: np.ndarray, up: np.ndarray, low: np.ndarray,
                C: float) -> float:
    """b from the KKT conditions, with :math:`F_i = f(x_i) - b - y_i` (libsvm's rule).

    A free support vector has :math:`y_i f(x_i) = 1`, i.e. :math:`b = -F_i`; their mean is used.
    Without one, every b in :math:`[-\\min_{I_{up}} F, -\\max_{I_{low}} F]` satisfies the
    conditions (to tol); the middle is taken.
    """
    free = (alpha > 0) & (alpha < C)
    if free.any():
        return float(-F[free].mean())
    return float(-0.5 * (F[up].min() + F[low].max()))
