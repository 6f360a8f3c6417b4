"""Feature maps and feature scaling for linear models (chapter "Linear models", sections 2-3)."""
from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from ..validation import as_float_array, check_is_fitted, check_n_features, check_positive


def polynomial_features(x: Any, degree: int) -> np.ndarray:
    """The powers ``[x, x², ..., x^degree]`` of a 1-D input, shape (n_samples, degree).

    No constant column is returned: the models fit their own intercept (a column of ones
    as well would duplicate it; see the dummy-variable trap in the chapter).
    """
    x = as_float_array(x, "x", ndim=1)
    check_positive(degree, "degree", integer=True)
    return x[:, None] ** np.arange(1, degree + 1)


class _Scaler(TransformerMixin, BaseEstimator):
    """``(X - center_) / scale_`` column by column; a constant column gets scale 1."""

    def fit(self, X: Any, y: Any = None) -> "_Scaler":
        X = as_float_array(X, "X", ndim=2)
        self.n_features_in_ = X.shape[1]
        center, scale = self._statistics(X)
        self.center_, self.scale_ = center, np.where(scale > 0, scale, 1.0)
        return self

    def transform(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "scale_")
        X = as_float_array(X, "X", ndim=2)
        check_n_features(X, self.n_features_in_, self)
        return (X - self.center_) / self.scale_

    def inverse_transform(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "scale_")
        return as_float_array(X, "X", ndim=2) * self.scale_ + self.center_


class MinMaxScaler(_Scaler):
    """Map every feature to [0, 1]: ``(x - min) / (max - min)`` (training min and max)."""

    def _statistics(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lo = X.min(axis=0)
        return lo, X.max(axis=0) - lo


class StandardScaler(_Scaler):
    """The z-score ``(x - mean) / std`` (population standard deviation, as scikit-learn)."""

    def _statistics(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return X.mean(axis=0), X.std(axis=0)


class RobustScaler(_Scaler):
    """``(x - median) / IQR``: outliers move neither the centre nor the scale much."""

    def _statistics(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        q1, med, q3 = np.percentile(X, [25, 50, 75], axis=0)
        return med, q3 - q1
