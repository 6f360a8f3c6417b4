"""Anomaly detection with a Gaussian density (chapter 7, section "Anomaly detection").

Fit a Gaussian to normal data by maximum likelihood (:func:`mlbook.probability.fit_gaussian`),
flag a point as an anomaly when its density falls below a threshold ε, and choose ε by the best
F1 on a small labelled validation set (:func:`mlbook.metrics.best_f1_threshold`).
"""
from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, OutlierMixin
from sklearn.exceptions import NotFittedError

from ..metrics import best_f1_threshold
from ..probability import fit_gaussian, gaussian_logpdf
from ..validation import as_label_array, check_is_fitted, check_positive, validate_X

__all__ = ["GaussianAnomalyDetector"]


class GaussianAnomalyDetector(OutlierMixin, BaseEstimator):
    """Flag the points of low Gaussian density: anomaly when :math:`p(x) < \\varepsilon`.

    Parameters
    ----------
    epsilon : float or None, default None
        The density threshold ε > 0. None: no threshold yet; call :meth:`choose_epsilon` on a
        labelled validation set before :meth:`predict` or :meth:`decision_function`.
    multivariate : bool, default False
        False: one Gaussian per feature, independent (a diagonal covariance), so
        :math:`\\log p(x) = \\sum_j \\log \\mathcal N(x_j \\mid \\mu_j, \\sigma_j^2)`. True: one
        multivariate Gaussian with a full covariance, which also sees correlated features.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,)
    covariance_ : ndarray of shape (n_features, n_features)
        The maximum-likelihood covariance (divided by n); diagonal unless ``multivariate``.
    epsilon_ : float
        The threshold in use (``epsilon``, or the one chosen by :meth:`choose_epsilon`); it may
        underflow to 0 in many dimensions, where ``offset_`` does not.
    offset_ : float
        :math:`\\log \\varepsilon`; ``decision_function = score_samples - offset_`` (scikit-learn's name).
    validation_f1_ : float
        The F1 reached on the validation set; only after :meth:`choose_epsilon`.
    n_features_in_ : int

    Notes
    -----
    ``predict`` follows scikit-learn's outlier convention: -1 for an anomaly
    (:math:`\\log p(x) < \\log\\varepsilon`), 1 otherwise. Densities are compared in logs, because in
    many dimensions :math:`p(x)` itself underflows.
    """

    def __init__(self, epsilon: float | None = None, multivariate: bool = False):
        self.epsilon = epsilon
        self.multivariate = multivariate

    def fit(self, X: Any, y: Any = None) -> "GaussianAnomalyDetector":
        """Fit the Gaussian to the (normal) rows of X by maximum likelihood; ``y`` is ignored."""
        X = validate_X(self, X, reset=True)
        if self.epsilon is not None:
            check_positive(self.epsilon, "epsilon")
        if len(X) < 2:
            raise ValueError(f"GaussianAnomalyDetector needs at least 2 samples to estimate a variance, "
                             f"got n_samples={len(X)}")
        # region: fit
        mean, cov = fit_gaussian(X)                   # maximum likelihood: divide by n
        if not self.multivariate:
            cov = np.diag(np.diag(cov))               # independent features: keep the variances
        # endregion
        try:
            gaussian_logpdf(mean[None, :], mean, cov)     # refuse a covariance with no density now
        except ValueError as exc:
            raise ValueError(f"the fitted covariance has no density (a feature is constant, or, with "
                             f"multivariate=True, features are linearly dependent): {exc}") from None
        self.mean_, self.covariance_ = mean, cov
        if self.epsilon is not None:
            self.epsilon_, self.offset_ = float(self.epsilon), float(np.log(self.epsilon))
        else:                                             # a refit forgets an earlier choose_epsilon
            for name in ("epsilon_", "offset_", "validation_f1_"):
                self.__dict__.pop(name, None)
        return self

    def score_samples(self, X: Any) -> np.ndarray:
        """The log-density :math:`\\log p(x_i)` of each row of X, shape (n_samples,); low means anomalous."""
        X = validate_X(self, X, fitted_attribute="mean_")
        return gaussian_logpdf(X, self.mean_, self.covariance_)

    def decision_function(self, X: Any) -> np.ndarray:
        """:math:`\\log p(x_i) - \\log\\varepsilon`, shape (n_samples,): negative for an anomaly."""
        scores = self.score_samples(X)
        if not hasattr(self, "offset_"):
            raise NotFittedError("this GaussianAnomalyDetector has no threshold: epsilon=None and "
                                 "choose_epsilon(X_val, y_val) has not been called; pass epsilon=... or "
                                 "call choose_epsilon first")
        return scores - self.offset_

    def predict(self, X: Any) -> np.ndarray:
        """-1 (anomaly) where :math:`\\log p(x) < \\log\\varepsilon`, else 1; shape (n_samples,), int."""
        return np.where(self.decision_function(X) < 0, -1, 1)

    def choose_epsilon(self, X_val: Any, y_val: Any) -> "GaussianAnomalyDetector":
        """Set ``epsilon_`` to the threshold of best F1 on a labelled validation set.

        Parameters
        ----------
        X_val : array-like of shape (n_samples, n_features)
        y_val : array-like of shape (n_samples,)
            1 for an anomaly, 0 for a normal point; both must occur.

        Returns
        -------
        self

        Notes
        -----
        The anomaly score :math:`-\\log p(x)` is handed to :func:`~mlbook.metrics.best_f1_threshold`
        (the positive class is "anomaly"), which tries every distinct score. The chosen
        :math:`\\log\\varepsilon` lies halfway between the log-density of the least dense validation
        point still called normal and that of the densest one flagged, so that :meth:`predict`
        reproduces exactly the F1 found.
        """
        check_is_fitted(self, "mean_")
        y = as_label_array(y_val, "y_val")
        if not set(np.unique(y).tolist()) == {0, 1}:
            raise ValueError(f"y_val must hold 1 (anomaly) and 0 (normal), both present, got the labels "
                             f"{np.unique(y).tolist()[:10]}")
        log_p = self.score_samples(X_val)
        if len(log_p) != len(y):
            raise ValueError(f"X_val and y_val have different numbers of samples: {len(log_p)} and {len(y)}")
        # region: choose-epsilon
        t, f1 = best_f1_threshold(y, -log_p, pos_label=1)   # anomaly where -log p >= t
        cut = -t                                             # i.e. where log p <= cut
        normal = log_p[log_p > cut]
        log_eps = (cut + normal.min()) / 2 if normal.size else cut + 1.0
        log_eps = max(log_eps, np.nextafter(cut, np.inf))    # strictly above cut: log p < log eps flags it
        # endregion
        self.offset_, self.epsilon_, self.validation_f1_ = float(log_eps), float(np.exp(log_eps)), f1
        return self
