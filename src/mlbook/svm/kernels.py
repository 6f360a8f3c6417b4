"""Kernel functions and Gram matrices (chapter 4, section "The kernel trick").

A kernel :math:`K(x, z) = \\langle \\phi(x), \\phi(z) \\rangle` is an inner product in a feature
space that is never built: the SVM's dual and its decision function only ever use inner products,
so every :math:`\\langle \\phi(x_i), \\phi(x_j) \\rangle` can be replaced by :math:`K(x_i, x_j)`.
The three kernels here are those of scikit-learn's ``sklearn.metrics.pairwise`` (same signatures,
same defaults, equal to 1e-12), each a Gram matrix :math:`K_{ij} = K(x_i, z_j)` of shape
``(n_samples_X, n_samples_Y)``.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..validation import as_float_array, check_positive

__all__ = ["linear_kernel", "polynomial_kernel", "rbf_kernel", "make_kernel", "KERNELS"]

Kernel = Callable[[np.ndarray, np.ndarray], np.ndarray]


def _check_pair(X: Any, Y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Both arguments as float 2-D arrays with the same number of columns (``Y=None`` means X)."""
    X = as_float_array(X, "X", ndim=2)
    Y = X if Y is None else as_float_array(Y, "Y", ndim=2)
    if X.shape[1] != Y.shape[1]:
        raise ValueError(f"X and Y must have the same number of features (columns), got X with "
                         f"{X.shape[1]} and Y with {Y.shape[1]}")
    return X, Y


def _gamma(gamma: float | None, n_features: int) -> float:
    if gamma is None:
        return 1.0 / n_features            # scikit-learn's default in sklearn.metrics.pairwise
    check_positive(gamma, "gamma")
    return float(gamma)


def linear_kernel(X: Any, Y: Any = None) -> np.ndarray:
    """The linear kernel :math:`K(x, z) = x^\\top z`, i.e. the matrix ``X @ Y.T``.

    Parameters
    ----------
    X : array-like of shape (n_samples_X, n_features)
    Y : array-like of shape (n_samples_Y, n_features), optional
        Defaults to X.

    Returns
    -------
    K : ndarray of shape (n_samples_X, n_samples_Y)
    """
    X, Y = _check_pair(X, Y)
    return X @ Y.T


def polynomial_kernel(X: Any, Y: Any = None, degree: int = 3, gamma: float | None = None,
                      coef0: float = 1.0) -> np.ndarray:
    """The polynomial kernel :math:`K(x, z) = (\\gamma\\, x^\\top z + c_0)^d`.

    Parameters
    ----------
    X : array-like of shape (n_samples_X, n_features)
    Y : array-like of shape (n_samples_Y, n_features), optional
        Defaults to X.
    degree : int, default 3
        The degree d >= 1.
    gamma : float, optional
        Scale of the inner product; None means ``1 / n_features`` (as scikit-learn).
    coef0 : float, default 1.0
        The constant :math:`c_0`; with :math:`c_0 > 0` the feature map holds every monomial of
        degree at most d, with :math:`c_0 = 0` only those of degree exactly d.

    Returns
    -------
    K : ndarray of shape (n_samples_X, n_samples_Y)

    Notes
    -----
    For d = 2, two features and :math:`\\gamma = 1` the feature map is
    :math:`\\phi(x) = (x_1^2,\\ x_2^2,\\ \\sqrt2 x_1 x_2,\\ \\sqrt{2c_0} x_1,\\ \\sqrt{2c_0} x_2,\\ c_0)`:
    six coordinates for one inner product in two.
    """
    X, Y = _check_pair(X, Y)
    check_positive(degree, "degree", integer=True)
    g = _gamma(gamma, X.shape[1])
    K = X @ Y.T
    K *= g
    K += coef0
    K **= degree
    return K


def rbf_kernel(X: Any, Y: Any = None, gamma: float | None = None) -> np.ndarray:
    """The Gaussian (RBF) kernel :math:`K(x, z) = \\exp(-\\gamma \\lVert x - z \\rVert^2)`.

    Parameters
    ----------
    X : array-like of shape (n_samples_X, n_features)
    Y : array-like of shape (n_samples_Y, n_features), optional
        Defaults to X.
    gamma : float, optional
        :math:`\\gamma = 1/(2\\ell^2)` for a length scale :math:`\\ell` (the bump :math:`\\exp(-\\gamma r^2)` has
        standard deviation :math:`\\ell`); None means ``1 / n_features`` (as scikit-learn).

    Returns
    -------
    K : ndarray of shape (n_samples_X, n_samples_Y)

    Notes
    -----
    The squared distances are computed as :math:`\\lVert x\\rVert^2 + \\lVert z\\rVert^2 - 2x^\\top z`
    (one matrix product), clipped at 0 against rounding. The feature map of this kernel has
    infinitely many coordinates; the Gram matrix is still only n × n.
    """
    Y_is_X = Y is None or Y is X
    X, Y = _check_pair(X, Y)
    g = _gamma(gamma, X.shape[1])
    # region: rbf
    sq = -2.0 * (X @ Y.T)                       # (n_X, n_Y)
    sq += np.einsum("ij,ij->i", X, X)[:, None]  # + ||x_i||²
    sq += np.einsum("ij,ij->i", Y, Y)[None, :]  # + ||z_j||²
    np.maximum(sq, 0.0, out=sq)                 # rounding can make a distance slightly negative
    if Y_is_X:
        np.fill_diagonal(sq, 0.0)               # ||x_i - x_i||² is exactly 0
    K = np.exp(-g * sq)
    # endregion
    return K


KERNELS: dict[str, Callable[..., np.ndarray]] = {
    "linear": linear_kernel, "poly": polynomial_kernel, "rbf": rbf_kernel,
}


def make_kernel(kernel: str | Kernel, *, gamma: float = 1.0, degree: int = 3, coef0: float = 0.0) -> Kernel:
    """The function ``(X, Y) -> Gram matrix`` for a kernel name and its (already checked) parameters.

    Parameters
    ----------
    kernel : {"linear", "poly", "rbf"} or callable
        A callable is returned as it is; it must map arrays of shapes (n, d) and (m, d) to the
        Gram matrix of shape (n, m).
    gamma, degree, coef0
        The parameters of ``"poly"`` (all three) and ``"rbf"`` (gamma only).
    """
    if callable(kernel):
        return kernel
    if kernel == "linear":
        return lambda X, Y: X @ Y.T
    if kernel == "poly":
        return lambda X, Y: polynomial_kernel(X, Y, degree=degree, gamma=gamma, coef0=coef0)
    if kernel == "rbf":
        return lambda X, Y: rbf_kernel(X, Y, gamma=gamma)
    raise ValueError(f"kernel must be one of {sorted(KERNELS)} or a callable (X, Y) -> Gram matrix, "
                     f"got {kernel!r}")
