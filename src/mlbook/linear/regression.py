"""Linear regression, ridge and lasso (chapter "Linear models", sections 1-3).

Every estimator fits ``y ≈ X @ coef_ + intercept_``. The intercept is never penalised:
the data are centred, the slopes are solved for, and the intercept is recovered as
``mean(y) - mean(X) @ coef_``.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin

from ..validation import check_positive, validate_X, validate_X_y

_SOLVERS = ("normal", "gd", "sgd")


class _LinearPredictor(RegressorMixin, BaseEstimator):
    """Shared ``predict`` and ``score`` (R²) of the linear regressors."""

    def predict(self, X: Any) -> np.ndarray:
        """Predict ``X @ coef_ + intercept_``; X of shape (n_samples, n_features) -> (n_samples,)."""
        X = validate_X(self, X, fitted_attribute="coef_")
        return X @ self.coef_ + self.intercept_


def squared_loss(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    """The mean squared loss ``(1/2n) ||X w + b - y||²`` (the ½ makes the gradient clean)."""
    r = X @ w + b - y
    return 0.5 * float(r @ r) / len(y)


class LinearRegression(_LinearPredictor):
    """Ordinary least squares, solved in closed form or by (minibatch) gradient descent.

    Parameters
    ----------
    solver : {"normal", "gd", "sgd"}, default "normal"
        ``"normal"`` solves the least-squares problem with the bias column folded into X by
        ``np.linalg.lstsq`` (an SVD: the normal equation's solution, without forming
        ``(XᵀX)⁻¹``). ``"gd"`` runs full-batch gradient descent, ``"sgd"`` minibatch SGD.
    lr : float, default 0.1
        Learning rate η of ``"gd"`` and ``"sgd"``.
    n_epochs : int, default 1000
        Passes over the data (for ``"gd"`` one pass is one update).
    batch_size : int, default 32
        Minibatch size of ``"sgd"`` (sampled without replacement within each epoch).
    tol : float, default 0.0
        ``"gd"`` stops once the gradient norm falls below ``tol`` (0 never stops early).
    random_state : int or None
        Seed of the minibatch shuffling.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_iter_ : int
        Updates made (0 for ``"normal"``).
        A diverging run stops when the loss overflows, with a ``RuntimeWarning``.
    loss_history_ : ndarray of shape (n_epochs_run + 1,)
        ``(1/2n)||Xw + b - y||²`` before training and after every epoch (iterative solvers).

    Notes
    -----
    With :math:`\\tilde X = [X, 1]` the minimiser of :math:`\\|y - \\tilde X \\theta\\|^2` solves
    the normal equation :math:`\\tilde X^\\top \\tilde X \\theta = \\tilde X^\\top y`; the gradient of
    :math:`\\frac{1}{2n}\\|\\tilde X\\theta - y\\|^2` is :math:`\\frac1n \\tilde X^\\top(\\tilde X\\theta - y)`.
    Derivations: section "Linear regression" and "Gradient descent and minibatch SGD".
    """

    def __init__(self, solver: str = "normal", *, lr: float = 0.1, n_epochs: int = 1000,
                 batch_size: int = 32, tol: float = 0.0, random_state: int | None = None):
        self.solver = solver
        self.lr = lr
        self.n_epochs = n_epochs
        self.batch_size = batch_size
        self.tol = tol
        self.random_state = random_state

    def fit(self, X: Any, y: Any) -> "LinearRegression":
        """Fit to X of shape (n_samples, n_features) and y of shape (n_samples,); returns self."""
        X, y = validate_X_y(self, X, y)
        if self.solver not in _SOLVERS:
            raise ValueError(f"solver must be one of {_SOLVERS}, got {self.solver!r}")
        n, d = X.shape
        self.n_features_in_ = d
        # region: normal equation
        if self.solver == "normal":
            Xb = np.hstack([X, np.ones((n, 1))])  # fold the bias into X
            theta, *_ = np.linalg.lstsq(Xb, y, rcond=None)
            self.coef_, self.intercept_ = theta[:-1], float(theta[-1])
            self.n_iter_, self.loss_history_ = 0, np.array([squared_loss(X, y, self.coef_, self.intercept_)])
            return self
        # endregion
        check_positive(self.lr, "lr")
        check_positive(self.n_epochs, "n_epochs", integer=True)
        check_positive(self.tol, "tol", strict=False)
        w, b = np.zeros(d), 0.0
        history = [squared_loss(X, y, w, b)]
        # Full-batch descent is minibatch SGD with a single batch of all n rows in their
        # original order, so both solvers share one loop; only "gd" checks tol.
        full_batch = self.solver == "gd"
        if not full_batch:
            check_positive(self.batch_size, "batch_size", integer=True)
        rng = np.random.default_rng(self.random_state)
        with np.errstate(over="ignore", invalid="ignore"):
            # region: descent loop
            bs = n if full_batch else min(self.batch_size, n)
            n_iter, converged = 0, False
            for _ in range(self.n_epochs):
                if not np.isfinite(history[-1]):
                    break
                order = np.arange(n) if full_batch else rng.permutation(n)
                for start in range(0, n, bs):
                    idx = order[start:start + bs]
                    r = X[idx] @ w + b - y[idx]                    # residuals of the batch, (m,)
                    gw, gb = X[idx].T @ r / len(idx), r.mean()     # gradient of (1/2m)||r||²
                    if full_batch and np.sqrt(gw @ gw + gb * gb) < self.tol:
                        converged = True
                        break
                    w, b = w - self.lr * gw, b - self.lr * gb
                    n_iter += 1
                if converged:
                    break
                history.append(squared_loss(X, y, w, b))
            # endregion
        if not (np.all(np.isfinite(w)) and np.isfinite(history[-1])):
            warnings.warn(f"gradient descent diverged with lr={self.lr} (the loss overflowed); "
                          "use a smaller lr or scale the features", RuntimeWarning)
        self.coef_, self.intercept_, self.n_iter_ = w, float(b), n_iter
        self.loss_history_ = np.array(history)
        return self

def _centre(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    x_mean, y_mean = X.mean(axis=0), float(y.mean())
    return X - x_mean, y - y_mean, x_mean, y_mean


class Ridge(_LinearPredictor):
    """Ridge regression: least squares with an L2 penalty on the slopes (not on the intercept).

    Parameters
    ----------
    alpha : float, default 1.0
        Penalty strength α ≥ 0 (the same objective as ``sklearn.linear_model.Ridge(alpha)``).
    solver : {"closed", "gd"}, default "closed"
        ``"closed"`` solves ``(X_cᵀX_c + αI) w = X_cᵀ y_c`` on centred data, as the stacked
        least-squares problem ``[X_c; √α I] w ≈ [y_c; 0]`` (no ``X_cᵀX_c`` is formed);
        ``"gd"`` runs the weight-decay update on the objective divided by 2n.
    lr, n_epochs : float, int
        Learning rate and number of updates of ``"gd"``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    loss_history_ : ndarray (``"gd"`` only)

    Notes
    -----
    Objective :math:`\\|y - Xw - b\\|^2 + \\alpha\\|w\\|^2`. Gradient descent on it divided by
    :math:`2n` is the weight-decay update
    :math:`w \\leftarrow (1 - \\eta\\alpha/n)\\,w - \\frac{\\eta}{n} X^\\top(Xw + b - y)`.
    Derivation: section "Polynomial features, regularisation and model selection".
    """

    def __init__(self, alpha: float = 1.0, *, solver: str = "closed", lr: float = 0.1, n_epochs: int = 1000):
        self.alpha = alpha
        self.solver = solver
        self.lr = lr
        self.n_epochs = n_epochs

    def fit(self, X: Any, y: Any) -> "Ridge":
        """Fit to X of shape (n_samples, n_features) and y of shape (n_samples,); returns self."""
        X, y = validate_X_y(self, X, y)
        check_positive(self.alpha, "alpha", strict=False)
        if self.solver not in ("closed", "gd"):
            raise ValueError(f"solver must be 'closed' or 'gd', got {self.solver!r}")
        n, d = X.shape
        self.n_features_in_ = d
        # region: solvers
        Xc, yc, x_mean, y_mean = _centre(X, y)
        if self.solver == "closed":
            # (X_cᵀX_c + αI) w = X_cᵀy_c is the normal equation of the stacked least-squares problem
            # [X_c; √α I] w ≈ [y_c; 0]; solving that by lstsq never forms X_cᵀX_c (section 1).
            A = np.vstack([Xc, np.sqrt(self.alpha) * np.eye(d)])
            w = np.linalg.lstsq(A, np.r_[yc, np.zeros(d)], rcond=None)[0]
        else:
            check_positive(self.lr, "lr")
            check_positive(self.n_epochs, "n_epochs", integer=True)
            w, history = np.zeros(d), []
            decay = 1.0 - self.lr * self.alpha / n
            for _ in range(self.n_epochs):
                r = Xc @ w - yc
                history.append(0.5 * (r @ r + self.alpha * w @ w) / n)
                w = decay * w - self.lr * Xc.T @ r / n    # weight decay, then the data gradient
            self.loss_history_ = np.array(history)
        # endregion
        self.coef_ = w
        self.intercept_ = y_mean - float(x_mean @ w)
        return self


def soft_threshold(z: np.ndarray | float, t: float) -> np.ndarray | float:
    """The soft-thresholding operator ``sign(z) * max(|z| - t, 0)`` (the lasso's coordinate step)."""
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


class Lasso(_LinearPredictor):
    """The lasso, ``(1/2n)||y - Xw - b||² + α||w||₁``, by cyclic coordinate descent.

    Parameters
    ----------
    alpha : float, default 1.0
        Penalty strength (the same objective as ``sklearn.linear_model.Lasso(alpha)``).
    max_iter : int, default 1000
        Maximum number of sweeps over the coordinates.
    tol : float, default 1e-8
        Stop when no coefficient moved by more than ``tol`` in a sweep.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_iter_ : int

    Notes
    -----
    With the other coordinates fixed and the partial residual :math:`r_j = y - Xw + x_j w_j`,
    the minimiser over :math:`w_j` is
    :math:`w_j = S(x_j^\\top r_j / n,\\ \\alpha) \\,/\\, (x_j^\\top x_j / n)`, where
    :math:`S(z, t) = \\operatorname{sign}(z)\\max(|z| - t, 0)`.
    Derivation: section "Polynomial features, regularisation and model selection".
    """

    def __init__(self, alpha: float = 1.0, *, max_iter: int = 1000, tol: float = 1e-8):
        self.alpha = alpha
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: Any, y: Any) -> "Lasso":
        """Fit to X of shape (n_samples, n_features) and y of shape (n_samples,); returns self."""
        X, y = validate_X_y(self, X, y)
        check_positive(self.alpha, "alpha", strict=False)
        check_positive(self.max_iter, "max_iter", integer=True)
        n, d = X.shape
        self.n_features_in_ = d
        Xc, yc, x_mean, y_mean = _centre(X, y)
        col_sq = (Xc ** 2).sum(axis=0) / n          # x_jᵀx_j / n
        w = np.zeros(d)
        r = yc.copy()                               # residual y_c - X_c w
        n_iter = 0
        for n_iter in range(1, self.max_iter + 1):
            max_step = 0.0
            # region: coordinate sweep
            for j in range(d):
                if col_sq[j] == 0.0:
                    continue                        # a constant column never enters
                rho = Xc[:, j] @ r / n + col_sq[j] * w[j]
                new = soft_threshold(rho, self.alpha) / col_sq[j]
                if new != w[j]:
                    r -= Xc[:, j] * (new - w[j])
                    max_step = max(max_step, abs(new - w[j]))
                    w[j] = new
            # endregion
            if max_step <= self.tol:
                break
        self.coef_, self.n_iter_ = w, n_iter
        self.intercept_ = y_mean - float(x_mean @ w)
        return self
