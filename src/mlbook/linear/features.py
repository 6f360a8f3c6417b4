"""Feature maps and feature scaling for linear models (chapter "Linear models", sections 2-3).

The scalers and :class:`PolynomialFeatures` are scikit-learn transformers with scikit-learn's
attribute meanings, so that they compose with the models in a pipeline,
``make_pipeline(PolynomialFeatures(15, include_bias=False), StandardScaler(), Ridge(1.0))``, and
cross-validation then refits the scaling on each training part only.
"""
from __future__ import annotations

from itertools import chain, combinations, combinations_with_replacement
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from ..validation import as_float_array, check_is_fitted, check_positive, validate_X


def polynomial_features(x: Any, degree: int) -> np.ndarray:
    """The powers ``[x, x², ..., x^degree]`` of a 1-D input, shape (n_samples, degree).

    No constant column is returned: the models fit their own intercept (a column of ones
    as well would duplicate it; see the dummy-variable trap in the chapter). For several
    input features, or inside a pipeline, use :class:`PolynomialFeatures`.
    """
    x = as_float_array(x, "x", ndim=1)
    check_positive(degree, "degree", integer=True)
    return x[:, None] ** np.arange(1, degree + 1)


class PolynomialFeatures(TransformerMixin, BaseEstimator):
    """All monomials of the input features up to a given degree, as ``sklearn.preprocessing.PolynomialFeatures``.

    Parameters
    ----------
    degree : int or (int, int), default 2
        The maximal degree, or ``(min_degree, max_degree)``.
    interaction_only : bool, default False
        Only products of distinct features (``x0 x1``, not ``x0²``).
    include_bias : bool, default True
        Include the constant column (degree 0). The package's linear models fit their own
        intercept, so pass ``include_bias=False`` in front of them.

    Attributes
    ----------
    powers_ : ndarray of shape (n_output_features_, n_features_in_)
        ``powers_[i, j]`` is the exponent of input feature j in output column i.
    n_output_features_ : int
    n_features_in_ : int

    Notes
    -----
    The columns come in scikit-learn's order: by degree, and within a degree in the
    lexicographic order of ``itertools.combinations_with_replacement``. With one input feature
    ``x`` and ``include_bias=False`` the output is ``[x, x², ..., x^d]``, the same numbers as
    :func:`polynomial_features`.
    """

    def __init__(self, degree: int | tuple[int, int] = 2, *, interaction_only: bool = False,
                 include_bias: bool = True):
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias

    def _degrees(self) -> tuple[int, int]:
        if isinstance(self.degree, tuple) and len(self.degree) == 2:
            lo, hi = self.degree
            check_positive(lo, "min_degree", strict=False, integer=True)
            check_positive(hi, "max_degree", strict=False, integer=True)
            if lo > hi:
                raise ValueError(f"degree=(min_degree, max_degree) needs min_degree <= max_degree, got {self.degree}")
            return int(lo), int(hi)
        check_positive(self.degree, "degree", strict=False, integer=True)
        return 0, int(self.degree)

    def fit(self, X: Any, y: Any = None) -> "PolynomialFeatures":
        """Record the number of input features and the exponents of every output column."""
        X = validate_X(self, X, reset=True)
        lo, hi = self._degrees()
        d = X.shape[1]
        pick = combinations if self.interaction_only else combinations_with_replacement
        start = max(1, lo)
        combos = chain.from_iterable(pick(range(d), k) for k in range(start, hi + 1))
        rows = [np.bincount(np.asarray(c, dtype=np.int64), minlength=d) for c in combos]
        if self.include_bias:
            rows.insert(0, np.zeros(d, dtype=np.int64))
        if not rows:
            raise ValueError(f"degree={self.degree} with include_bias={self.include_bias} gives no output column")
        self.powers_ = np.array(rows, dtype=np.int64).reshape(len(rows), d)
        self.n_output_features_ = len(rows)
        return self

    def transform(self, X: Any) -> np.ndarray:
        """The monomials of every row of X, shape (n_samples, n_output_features_)."""
        X = validate_X(self, X, fitted_attribute="powers_")
        top = int(self.powers_.max())
        # every power of every feature, computed as polynomial_features does (the same numbers, bit for bit)
        powers_of = [X[:, j][:, None] ** np.arange(1, top + 1) for j in range(X.shape[1])]
        out = np.ones((X.shape[0], self.n_output_features_))
        for i, powers in enumerate(self.powers_):
            for j in np.flatnonzero(powers):
                out[:, i] = out[:, i] * powers_of[j][:, powers[j] - 1]
        return out

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names such as ``"x0"``, ``"x0^2"``, ``"x0 x1"`` (``"1"`` for the constant column)."""
        check_is_fitted(self, "powers_")
        names = (np.asarray(input_features, dtype=object) if input_features is not None
                 else getattr(self, "feature_names_in_", np.array([f"x{j}" for j in range(self.n_features_in_)],
                                                                   dtype=object)))
        out = []
        for powers in self.powers_:
            terms = [names[j] if p == 1 else f"{names[j]}^{p}" for j, p in enumerate(powers) if p]
            out.append(" ".join(terms) if terms else "1")
        return np.asarray(out, dtype=object)


class _Scaler(TransformerMixin, BaseEstimator):
    """``(X - center_) / divisor`` column by column; a constant column is divided by 1.

    ``center_`` is the vector subtracted before the division (the mean, the minimum, the median);
    every subclass also sets scikit-learn's own attributes.
    """

    def fit(self, X: Any, y: Any = None) -> "_Scaler":
        """Compute the statistics of every column of X (n_samples, n_features); returns self."""
        X = validate_X(self, X, reset=True)
        self._statistics(X)
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Scale X with the statistics of the training set, shape (n_samples, n_features)."""
        X = validate_X(self, X, fitted_attribute="center_")
        return (X - self.center_) / self._divisor

    def inverse_transform(self, X: Any) -> np.ndarray:
        """Undo :meth:`transform`."""
        X = validate_X(self, X, fitted_attribute="center_")
        return X * self._divisor + self.center_

    @staticmethod
    def _safe(scale: np.ndarray) -> np.ndarray:
        return np.where(scale > 0, scale, 1.0)  # a constant column is left unscaled


class MinMaxScaler(_Scaler):
    """Map every feature to ``feature_range`` (default [0, 1]): ``(x - min) / (max - min)``.

    Parameters
    ----------
    feature_range : (float, float), default (0, 1)

    Attributes
    ----------
    data_min_, data_max_, data_range_ : ndarray of shape (n_features,)
        Training minimum, maximum and their difference.
    scale_ : ndarray of shape (n_features,)
        As in scikit-learn, the *factor* ``(hi - lo) / data_range_`` (1/range for [0, 1]); the
        transform is ``X * scale_ + min_``.
    min_ : ndarray of shape (n_features,)
        ``lo - data_min_ * scale_``.
    center_ : ndarray of shape (n_features,)
        ``data_min_``, the value subtracted first.
    """

    def __init__(self, feature_range: tuple[float, float] = (0, 1)):
        self.feature_range = feature_range

    def _statistics(self, X: np.ndarray) -> None:
        lo, hi = self.feature_range
        if not lo < hi:
            raise ValueError(f"feature_range must be (min, max) with min < max, got {self.feature_range!r}")
        self.data_min_, self.data_max_ = X.min(axis=0), X.max(axis=0)
        self.data_range_ = self.data_max_ - self.data_min_
        rng = self._safe(self.data_range_)
        self.scale_ = (hi - lo) / rng
        self.min_ = lo - self.data_min_ * self.scale_
        self.center_ = self.data_min_
        self._rng, self._lo, self._width = rng, lo, hi - lo

    def transform(self, X: Any) -> np.ndarray:
        X = validate_X(self, X, fitted_attribute="center_")
        return (X - self.data_min_) / self._rng * self._width + self._lo

    def inverse_transform(self, X: Any) -> np.ndarray:
        X = validate_X(self, X, fitted_attribute="center_")
        return (X - self._lo) / self._width * self._rng + self.data_min_


class StandardScaler(_Scaler):
    """The z-score ``(x - mean) / std`` (population standard deviation, as scikit-learn).

    Parameters
    ----------
    with_mean, with_std : bool, default True
        Subtract the mean; divide by the standard deviation.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,)
        Training mean of every feature.
    var_ : ndarray of shape (n_features,) or None
        Training (population) variance; None when ``with_std=False``.
    scale_ : ndarray of shape (n_features,) or None
        The divisor ``sqrt(var_)``, 1 for a constant feature; None when ``with_std=False``.
    center_ : ndarray of shape (n_features,)
        The subtracted vector: ``mean_``, or zeros when ``with_mean=False``.
    n_samples_seen_ : int
    """

    def __init__(self, *, with_mean: bool = True, with_std: bool = True):
        self.with_mean = with_mean
        self.with_std = with_std

    def _statistics(self, X: np.ndarray) -> None:
        self.n_samples_seen_ = X.shape[0]
        self.mean_ = X.mean(axis=0)
        self.center_ = self.mean_ if self.with_mean else np.zeros(X.shape[1])
        if self.with_std:
            std = X.std(axis=0)
            self.var_, self.scale_ = std ** 2, self._safe(std)
            self._divisor = self.scale_
        else:
            self.var_ = self.scale_ = None
            self._divisor = np.ones(X.shape[1])


class RobustScaler(_Scaler):
    """``(x - median) / IQR``: outliers move neither the centre nor the scale much.

    Attributes
    ----------
    center_ : ndarray of shape (n_features,)
        Training median.
    scale_ : ndarray of shape (n_features,)
        The divisor: the interquartile range ``q75 - q25``, 1 where it is 0.
    """

    def _statistics(self, X: np.ndarray) -> None:
        q1, med, q3 = np.percentile(X, [25, 50, 75], axis=0)
        self.center_, self.scale_ = med, self._safe(q3 - q1)
        self._divisor = self.scale_
