"""The KKT conditions of a quadratic programme, solved by trying every active set (Chapter 4, section 2).

For a QP, :math:`\\min \\tfrac12 x^\\top P x + q^\\top x` subject to :math:`Ax \\le b`, the KKT conditions
say which constraints are active; guessing the active set S turns them into one linear system.
P may be indefinite: the KKT points are then candidates, not necessarily minimisers. Trying all :math:`2^k` sets is exponential, so this is for teaching and for checking small
worked examples by hand, not for solving (active-set and interior-point solvers do that).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..validation import as_float_array

__all__ = ["ActiveSetCase", "kkt_by_active_sets"]


@dataclass
class ActiveSetCase:
    """One guess of the active set and what it gives."""

    active: list[int]            # the constraints assumed active (A_S x = b_S)
    x: np.ndarray | None         # the stationary point, None when the system is singular
    alpha: np.ndarray | None     # the multipliers, 0 off the active set
    primal_feasible: bool        # A x <= b + tol (False when singular)
    dual_feasible: bool          # alpha >= -tol (False when singular)
    singular: bool = False       # this guess determines no unique (x, alpha): not a verdict on feasibility

    @property
    def is_kkt_point(self) -> bool:
        """Both feasibilities hold: x and alpha satisfy all four KKT conditions."""
        return self.primal_feasible and self.dual_feasible


def kkt_by_active_sets(P: Any, q: Any, A: Any, b: Any, *, tol: float = 1e-9) -> list[ActiveSetCase]:
    """Try every active set S of :math:`\\min \\tfrac12 x^\\top P x + q^\\top x` s.t. :math:`Ax \\le b`.

    Parameters
    ----------
    P : ndarray of shape (n, n), symmetric
    q : ndarray of shape (n,)
    A : ndarray of shape (k, n)
    b : ndarray of shape (k,)
    tol : float, default 1e-9
        The slack allowed in the feasibility tests.

    Returns
    -------
    list of ActiveSetCase
        One case per subset S, by increasing size; the cases with ``is_kkt_point`` are the KKT
        points. For P positive definite they all share one point x, the minimiser; several cases can
        report it, with the same multipliers when a constraint is active with a zero multiplier, or
        with different multipliers when the active constraints' gradients are linearly dependent.
        For a merely semidefinite P a minimiser may appear in no case (every system singular).

    Notes
    -----
    With S active, stationarity :math:`Px + A_S^\\top \\alpha_S = -q` and activity :math:`A_S x = b_S`
    form the linear system

    .. math::
        \\begin{pmatrix} P & A_S^\\top \\\\ A_S & 0 \\end{pmatrix}
        \\begin{pmatrix} x \\\\ \\alpha_S \\end{pmatrix} = \\begin{pmatrix} -q \\\\ b_S \\end{pmatrix},

    and complementary slackness sets :math:`\\alpha_i = 0` off S. What remains to check is primal
    feasibility :math:`Ax \\le b` and dual feasibility :math:`\\alpha \\ge 0`.
    """
    P = as_float_array(P, "P", ndim=2)
    q = as_float_array(q, "q", ndim=1)
    A = as_float_array(A, "A", ndim=2)
    b = as_float_array(b, "b", ndim=1)
    n, k = q.size, b.size
    if P.shape != (n, n) or A.shape != (k, n):
        raise ValueError(f"shapes do not fit: P {P.shape} and A {A.shape} for q of length {n} and b of length {k}")
    if not np.allclose(P, P.T):
        raise ValueError(f"P must be symmetric, but max |P - P.T| = {np.max(np.abs(P - P.T)):.3g}")
    if k > 20:
        raise ValueError(f"{k} constraints means 2^{k} active sets: this enumeration is for small worked examples")
    scale_b = max(1.0, float(np.max(np.abs(b))) if b.size else 1.0)
    cases = []
    for size in range(k + 1):
        for S in map(list, itertools.combinations(range(k), size)):
            # region: active-set
            K = np.block([[P, A[S].T], [A[S], np.zeros((size, size))]])
            sv = np.linalg.svd(K, compute_uv=False)
            if sv[-1] <= 1e-12 * sv[0]:                       # this guess determines no unique point
                cases.append(ActiveSetCase(S, None, None, False, False, singular=True))
                continue
            sol = np.linalg.solve(K, np.concatenate([-q, b[S]]))
            x, alpha = sol[:n] + 0.0, np.zeros(k)
            alpha[S] = sol[n:]                                # complementary slackness: 0 off S
            alpha = alpha + 0.0                               # no -0.0
            scale_a = max(1.0, float(np.max(np.abs(alpha))))
            cases.append(ActiveSetCase(S, x, alpha, bool(np.all(A @ x <= b + tol * scale_b)),
                                       bool(np.all(alpha >= -tol * scale_a))))
            # endregion
    return cases
