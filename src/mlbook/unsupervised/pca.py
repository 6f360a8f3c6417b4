"""Principal component analysis by the singular value decomposition (chapter 7, section "PCA").

The principal directions are the right singular vectors of the centred data matrix, and the
variances along them are the squared singular values divided by n - 1. Checked against
scikit-learn's ``PCA`` in ``tests/test_unsupervised.py``.
"""
from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from ..validation import as_float_array, check_is_fitted, validate_X

__all__ = ["PCA"]


class PCA(TransformerMixin, BaseEstimator):
    """Principal component analysis, by the SVD of the centred data, as ``sklearn.decomposition.PCA``.

    Parameters
    ----------
    n_components : int, float in (0, 1) or None, default None
        An int k in [1, min(n_samples, n_features)]: keep k components. A float r in (0, 1): keep
        the smallest k whose explained-variance ratios sum to at least r. None: keep
        min(n_samples, n_features).
    whiten : bool, default False
        Divide each projected coordinate by its standard deviation, so that the transformed data
        have unit variance along every component.

    Attributes
    ----------
    components_ : ndarray of shape (n_components_, n_features)
        The principal directions (orthonormal rows), by decreasing variance. Sign convention
        (scikit-learn's ``svd_flip(u_based_decision=False)``): the entry of largest absolute value
        of each component is positive.
    explained_variance_ : ndarray of shape (n_components_,)
        The variance of the data along each component, :math:`s_j^2 / (n - 1)`: the eigenvalues of
        the sample covariance matrix.
    explained_variance_ratio_ : ndarray of shape (n_components_,)
        Each component's share of the total variance (of all components, kept or not).
    singular_values_ : ndarray of shape (n_components_,)
    mean_ : ndarray of shape (n_features,)
    n_components_ : int
    noise_variance_ : float
        The mean variance of the discarded components (0 when none is discarded).
    n_features_in_ : int

    Notes
    -----
    With the centred data :math:`X_c = X - \\mathbf 1 \\bar x^\\top = U S V^\\top` (thin SVD), the
    sample covariance is :math:`X_c^\\top X_c / (n-1) = V \\frac{S^2}{n-1} V^\\top`: its eigenvectors are
    the columns of V, its eigenvalues :math:`\\lambda_j = s_j^2/(n-1)`. The projection on the first k
    is :math:`Z = X_c V_k`, and the squared reconstruction error
    :math:`\\lVert X_c - Z V_k^\\top \\rVert_F^2 = \\sum_{j>k} s_j^2 = (n-1)\\sum_{j>k}\\lambda_j`
    (section "PCA"). The covariance matrix is never formed, which keeps the precision of the SVD.
    """

    def __init__(self, n_components: int | float | None = None, whiten: bool = False):
        self.n_components = n_components
        self.whiten = whiten

    def _n_kept(self, ratio: np.ndarray, n: int, d: int) -> int:
        k, full = self.n_components, min(n, d)
        if k is None:
            return full
        if isinstance(k, bool) or not isinstance(k, numbers.Real):
            raise TypeError(f"n_components must be None, an int or a float in (0, 1), got {k!r}")
        if isinstance(k, numbers.Integral):
            if not 1 <= k <= full:
                raise ValueError(f"n_components={k} must be between 1 and min(n_samples, n_features)={full} "
                                 f"(n_samples={n}, n_features={d})")
            return int(k)
        if not 0 < k < 1:
            raise ValueError(f"a float n_components is a fraction of the variance to explain and must lie in "
                             f"(0, 1), got {k!r}; pass an int to keep a number of components")
        # the smallest k whose ratios sum to at least n_components (rounding of the sum aside)
        return int(min(np.searchsorted(np.cumsum(ratio), k, side="left") + 1, full))

    def fit(self, X: Any, y: Any = None) -> "PCA":
        """Fit the components to X of shape (n_samples, n_features); ``y`` is ignored."""
        X = validate_X(self, X, reset=True)
        n, d = X.shape
        if n < 2:
            raise ValueError(f"PCA needs at least 2 samples, got n_samples={n}: the variances divide by n - 1")
        # region: svd
        self.mean_ = X.mean(axis=0)
        U, S, Vt = np.linalg.svd(X - self.mean_, full_matrices=False)   # X_c = U diag(S) V^T
        largest = np.argmax(np.abs(Vt), axis=1)                         # sign: largest |entry| > 0
        Vt *= np.sign(Vt[np.arange(len(Vt)), largest])[:, None]
        variance = S ** 2 / (n - 1)                                      # eigenvalues of the covariance
        # endregion
        total = variance.sum()
        ratio = variance / total if total > 0 else np.zeros_like(variance)
        k = self._n_kept(ratio, n, d)
        self.n_components_ = k
        self.components_ = Vt[:k]
        self.explained_variance_ = variance[:k]
        self.explained_variance_ratio_ = ratio[:k]
        self.singular_values_ = S[:k]
        # the eigenvalues beyond min(n, d) are 0; average over every discarded direction, as scikit-learn
        self.noise_variance_ = float(variance[k:].sum() / (min(n, d) - k)) if k < min(n, d) else 0.0
        return self

    def _scale(self) -> np.ndarray:
        # standard deviations along the components; a zero one (constant direction) is left unscaled
        sd = np.sqrt(self.explained_variance_)
        return np.where(sd > np.finfo(np.float64).eps, sd, 1.0)

    def transform(self, X: Any) -> np.ndarray:
        """Project X on the components: :math:`(X - \\bar x) V_k`, shape (n_samples, n_components_)."""
        X = validate_X(self, X, fitted_attribute="components_")
        Z = (X - self.mean_) @ self.components_.T
        return Z / self._scale() if self.whiten else Z

    def inverse_transform(self, Z: Any) -> np.ndarray:
        """Map projected points back: :math:`Z V_k^\\top + \\bar x` (un-whitened first), shape (n_samples, n_features).

        For X itself this is the best rank-k approximation of X in the least-squares sense; it
        equals X when no component was dropped.
        """
        check_is_fitted(self, "components_")
        Z = as_float_array(Z, "Z", ndim=2)
        if Z.shape[1] != self.n_components_:
            raise ValueError(f"Z has {Z.shape[1]} columns, but this PCA has n_components_={self.n_components_}")
        if self.whiten:
            Z = Z * self._scale()
        return Z @ self.components_ + self.mean_
